// Running a sweep (README "Design-space exploration"): every point of the strategy that this shard
// owns and the database has not recorded with the same configuration hash is run as its own
// `neurochip run` process (SystemC elaborates once per process), up to `jobs` at a time, each with a
// wall-clock and an address-space limit; its status and the scalars of its stats.json are recorded
// in the sweep database as it finishes. Points whose configuration does not load, or whose resolved
// values break a key constraint, are recorded without a process.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "sweep/sweep_db.h"
#include "sweep/sweep_spec.h"

namespace neurochip::sim {

struct SweepRunOptions {
  std::string out_dir;          ///< holds sweep.sqlite and points/<id>/
  std::string executable;       ///< the neurochip binary each point runs
  unsigned jobs = 1;            ///< points run at once
  uint64_t shard_index = 0;     ///< this shard: points whose place in the run order is ≡ index mod count
  uint64_t shard_count = 1;
  bool retry_failed = false;    ///< also rerun points recorded with a status other than ok or excluded
  bool progress = true;         ///< progress lines on stderr
};

struct SweepSummary {
  uint64_t owned = 0;           ///< points of this shard
  uint64_t already = 0;         ///< recorded before this run, with the same configuration hash
  uint64_t ok = 0, failed = 0, excluded = 0;
  double wall_s = 0;
};

/// Where points' processes run (sweep_runner.cpp: a local pool; mpi_farm.cpp: MPI ranks).
class PointExecutor {
 public:
  virtual ~PointExecutor() = default;
  /// Points that may run at once.
  virtual size_t capacity() const = 0;
  virtual size_t running() const = 0;
  /// Starts `p` (its configuration already loaded and hashed as `config_hash`).
  virtual void start(const SweepPoint& p, const std::string& config_hash) = 0;
  /// A point that finished, if one did; waits at most a few milliseconds.
  virtual std::optional<PointResult> poll() = 0;
};

/// Child processes of this process, each `neurochip run` of one point in DIR/points/<id>/, under
/// the sweep's time and memory limits.
class LocalExecutor : public PointExecutor {
 public:
  LocalExecutor(const SweepSpec& spec, const SweepRunOptions& opts, size_t capacity);
  ~LocalExecutor() override;
  size_t capacity() const override { return capacity_; }
  size_t running() const override { return running_.size(); }
  void start(const SweepPoint& p, const std::string& config_hash) override;
  std::optional<PointResult> poll() override;
  struct Job;

 private:
  const SweepSpec& spec_;
  const SweepRunOptions& opts_;
  size_t capacity_;
  std::map<int, std::unique_ptr<Job>> running_;
};

/// The database file of a sweep directory.
std::string sweep_db_path(const std::string& out_dir);

/// The canonical text of the grid the point numbers refer to (what a database is bound to).
std::string grid_text(const SweepSpec& spec);

/// Runs the sweep with a LocalExecutor of `opts.jobs` processes; throws IoError when the directory
/// or its database cannot be used.
SweepSummary run_sweep(const SweepSpec& spec, const SweepRunOptions& opts);
/// The same with another executor.
SweepSummary run_sweep(const SweepSpec& spec, const SweepRunOptions& opts, PointExecutor& exec);

}  // namespace neurochip::sim
