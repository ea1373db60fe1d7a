// The MPI task farm of a sweep (mpi_farm.h). Messages are JSON text: rank 0 sends {id, hash} (tag
// kWork) or an empty stop message (kStop); a worker answers with the point's result (kResult).
#include "sweep/mpi_farm.h"

#include <mpi.h>

#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "io/manifest.h"

namespace neurochip::sim {
namespace {

constexpr int kWork = 1, kStop = 2, kResult = 3;

void send_text(const std::string& text, int to, int tag) {
  MPI_Send(text.data(), static_cast<int>(text.size()), MPI_CHAR, to, tag, MPI_COMM_WORLD);
}

std::string receive_text(int from, int tag, MPI_Status* status) {
  MPI_Status probe;
  MPI_Probe(from, tag, MPI_COMM_WORLD, &probe);
  int size = 0;
  MPI_Get_count(&probe, MPI_CHAR, &size);
  std::string text(static_cast<size_t>(size), '\0');
  MPI_Recv(text.data(), size, MPI_CHAR, probe.MPI_SOURCE, probe.MPI_TAG, MPI_COMM_WORLD, status);
  return text;
}

std::string to_json(const PointResult& r) {
  nlohmann::json j = {{"id", r.id},         {"config_hash", r.config_hash}, {"status", r.status},
                      {"message", r.message}, {"values", r.values},        {"metrics", r.metrics},
                      {"wall_s", r.wall_s},   {"max_rss_kb", r.max_rss_kb}};
  return j.dump();
}

PointResult from_json(const std::string& text) {
  const nlohmann::json j = nlohmann::json::parse(text);
  PointResult r;
  r.id = j["id"].get<uint64_t>();
  r.config_hash = j["config_hash"].get<std::string>();
  r.status = j["status"].get<std::string>();
  r.message = j["message"].get<std::string>();
  r.values = j["values"].get<std::vector<std::pair<std::string, std::string>>>();
  r.metrics = j["metrics"].get<std::vector<std::pair<std::string, double>>>();
  r.wall_s = j["wall_s"].get<double>();
  r.max_rss_kb = j["max_rss_kb"].get<uint64_t>();
  return r;
}

/// Rank 0's view of the workers: one point each at a time.
class MpiExecutor : public PointExecutor {
 public:
  explicit MpiExecutor(int ranks) {
    for (int r = ranks - 1; r >= 1; --r) idle_.push_back(r);
    capacity_ = idle_.size();
  }
  size_t capacity() const override { return capacity_; }
  size_t running() const override { return capacity_ - idle_.size(); }
  void start(const SweepPoint& p, const std::string& config_hash) override {
    const int worker = idle_.back();
    idle_.pop_back();
    send_text(nlohmann::json{{"id", p.id}, {"hash", config_hash}}.dump(), worker, kWork);
  }
  std::optional<PointResult> poll() override {
    int ready = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, kResult, MPI_COMM_WORLD, &ready, &status);
    if (!ready) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      return std::nullopt;
    }
    const std::string text = receive_text(status.MPI_SOURCE, kResult, &status);
    idle_.push_back(status.MPI_SOURCE);
    return from_json(text);
  }

 private:
  std::vector<int> idle_;
  size_t capacity_ = 0;
};

void work(const SweepSpec& spec, const SweepRunOptions& opts) {
  for (;;) {
    MPI_Status status;
    MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
    if (status.MPI_TAG == kStop) {
      MPI_Recv(nullptr, 0, MPI_CHAR, 0, kStop, MPI_COMM_WORLD, &status);
      return;
    }
    const nlohmann::json job = nlohmann::json::parse(receive_text(0, kWork, &status));
    LocalExecutor exec(spec, opts, 1);
    exec.start(grid_point(spec, job["id"].get<uint64_t>()), job["hash"].get<std::string>());
    std::optional<PointResult> r;
    while (!(r = exec.poll())) {
    }
    send_text(to_json(*r), 0, kResult);
  }
}

}  // namespace

bool run_sweep_mpi(int* argc, char*** argv, const SweepSpec& spec, const SweepRunOptions& opts, SweepSummary& summary) {
  setenv("OMPI_MCA_mpi_warn_on_fork", "0", 0);  // the points are child processes, by design
  MPI_Init(argc, argv);
  int rank = 0, ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  if (rank != 0) {
    work(spec, opts);
    MPI_Finalize();
    return false;
  }
  try {
    if (ranks == 1) {
      summary = run_sweep(spec, opts);
    } else {
      MpiExecutor exec(ranks);
      summary = run_sweep(spec, opts, exec);
    }
  } catch (...) {
    MPI_Abort(MPI_COMM_WORLD, 1);
    throw;
  }
  for (int r = 1; r < ranks; ++r) MPI_Send(nullptr, 0, MPI_CHAR, r, kStop, MPI_COMM_WORLD);
  MPI_Finalize();
  return true;
}

}  // namespace neurochip::sim
