// The sweep runner (sweep_runner.h): a worker pool of child processes driven by waitpid, the
// database written as each point finishes, progress on stderr.
#include "sweep/sweep_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <thread>

#include <nlohmann/json.hpp>

#include "config/config_loader.h"
#include "config/text_format.h"
#include "config/yaml_reader.h"
#include "io/manifest.h"
#include "sweep/nsga2_search.h"
#include "sweep/sweep_db.h"

namespace neurochip::sim {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct LocalExecutor::Job {
  SweepPoint point;
  std::string config_hash;
  fs::path dir;
  Clock::time_point start;
  bool timed_out = false;
};

namespace {

constexpr size_t kMaxMessageChars = 400;


/// The last non-empty line of a point's stderr, shortened.
std::string last_line(const fs::path& file) {
  std::ifstream in(file);
  std::string line, last;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) last = line;
  }
  if (last.size() > kMaxMessageChars) last = last.substr(0, kMaxMessageChars) + "...";
  return last;
}

/// Every scalar of a point's stats.json: a stat's value, or a distribution's fields as name.field.
std::vector<std::pair<std::string, double>> read_metrics(const fs::path& stats_file) {
  std::vector<std::pair<std::string, double>> out;
  std::ifstream in(stats_file);
  if (!in) return out;
  const nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
  if (doc.is_discarded() || !doc.contains("stats")) return out;
  for (const auto& s : doc["stats"]) {
    const std::string name = s.value("name", "");
    if (name.empty()) continue;
    if (s.contains("value") && s["value"].is_number()) {
      out.emplace_back(name, s["value"].get<double>());
      continue;
    }
    for (const char* field : {"count", "sum", "min", "max", "mean"})
      if (s.contains(field) && s[field].is_number()) out.emplace_back(name + "." + field, s[field].get<double>());
  }
  return out;
}

std::string signal_text(int sig) {
  const char* name = sigabbrev_np(sig);
  return "killed by signal " + std::to_string(sig) + (name ? std::string(" (SIG") + name + ")" : "");
}

pid_t launch(const SweepSpec& spec, const SweepRunOptions& opts, const SweepPoint& p, const fs::path& dir) {
  std::vector<std::string> args = {opts.executable, "run", spec.base};
  for (const std::string& o : p.overrides(spec)) {
    args.push_back("--set");
    args.push_back(o);
  }
  for (const std::string& a : {std::string("--outputs"), spec.outputs, std::string("--fidelity"), spec.fidelity,
                               std::string("-q"), std::string("--out"), dir.string()})
    args.push_back(a);
  const std::string log = (dir / "stderr.txt").string();
  const pid_t pid = fork();
  if (pid < 0) throw IoError(std::string("cannot start a point's process: ") + std::strerror(errno));
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // a killed sweep leaves no point running
    const rlim_t bytes = static_cast<rlim_t>(spec.memory_limit_mb) << 20;
    const rlimit limit{bytes, bytes};
    setrlimit(RLIMIT_AS, &limit);
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
      close(fd);
    }
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    std::fprintf(stderr, "cannot run %s: %s\n", argv[0], std::strerror(errno));
    _exit(127);
  }
  return pid;
}

/// The point's result from its finished process.
PointResult collect(const SweepSpec& spec, const LocalExecutor::Job& job, int status, const rusage& usage) {
  PointResult r;
  r.id = job.point.id;
  r.values = job.point.values;
  r.config_hash = job.config_hash;
  r.wall_s = std::chrono::duration<double>(Clock::now() - job.start).count();
  r.max_rss_kb = static_cast<uint64_t>(usage.ru_maxrss);
  if (job.timed_out) {
    r.status = "timeout";
    r.message = "ran longer than limits.time_s = " + number_text(spec.time_limit_s) + " s and was killed";
  } else if (WIFSIGNALED(status)) {
    r.status = "crashed";
    r.message = signal_text(WTERMSIG(status));
  } else {
    const int code = WEXITSTATUS(status);
    r.status = code == 0 ? "ok" : code == 2 ? "config_error" : code == 3 ? "timing_error" : "failed";
    if (code != 0) r.message = last_line(job.dir / "stderr.txt");
    if (code == 1 && r.message.find("bad_alloc") != std::string::npos) {
      r.status = "memory_limit";
      r.message = "ran out of memory under limits.memory_mb = " + std::to_string(spec.memory_limit_mb) + ": " + r.message;
    }
    if (code == 0 || code == 3) r.metrics = read_metrics(job.dir / "stats.json");
    if (code == 0 && r.metrics.empty()) {
      r.status = "failed";
      r.message = "the point's run wrote no readable stats.json";
    }
  }
  return r;
}

class Progress {
 public:
  Progress(bool on, uint64_t todo) : on_(on), todo_(todo), start_(Clock::now()) {}
  void update(uint64_t done, uint64_t failed, size_t running, bool final = false) {
    if (!on_) return;
    const auto now = Clock::now();
    if (!final && now - last_ < std::chrono::seconds(1)) return;
    last_ = now;
    const double s = std::chrono::duration<double>(now - start_).count();
    const double rate = s > 0 ? static_cast<double>(done) / s : 0;
    std::string eta = "-";
    if (rate > 0 && done < todo_) eta = std::to_string(static_cast<uint64_t>((todo_ - done) / rate + 0.5)) + " s";
    std::fprintf(stderr, "[sweep] %llu/%llu points done, %llu failed, %zu running, %.2f points/s, ETA %s\n",
                 static_cast<unsigned long long>(done), static_cast<unsigned long long>(todo_),
                 static_cast<unsigned long long>(failed), running, rate, eta.c_str());
  }

 private:
  bool on_;
  uint64_t todo_;
  Clock::time_point start_, last_{};
};

/// Runs `points` (those without a record of the same configuration hash), recording each.
void run_points(const SweepSpec& spec, const SweepRunOptions& opts, SweepDb& db, PointExecutor& exec,
                const std::vector<const SweepPoint*>& owned, SweepSummary& sum, Progress& progress, uint64_t& done) {
  const auto recorded = db.recorded();
  const auto finish = [&](PointResult r) {
    ++done;
    if (point_status_ok(r.status)) {
      ++sum.ok;
    } else if (r.status == "excluded") {
      ++sum.excluded;
    } else {
      ++sum.failed;
    }
    db.record(r);
  };
  const auto already = [&](uint64_t id, const std::string& hash) {
    const auto it = recorded.find(id);
    if (it == recorded.end() || it->second.first != hash) return false;
    const std::string& status = it->second.second;
    return point_status_ok(status) || status == "excluded" || !opts.retry_failed;
  };

  size_t next = 0;
  while (next < owned.size() || exec.running() > 0) {
    // Fill the executor: prepare points until one needs a process and a slot is free.
    while (exec.running() < exec.capacity() && next < owned.size()) {
      const SweepPoint& p = *owned[next++];
      PointResult r;
      r.id = p.id;
      r.values = p.values;
      std::optional<RunConfig> rc;
      try {
        rc = load_run_config(spec.base, p.overrides(spec));
        r.config_hash = config_hash(*rc);
      } catch (const ConfigError& e) {
        r.status = "config_error";
        r.message = e.diagnostics().empty() ? "configuration error" : e.diagnostics().front().str();
        if (e.total() > 1) r.message += " (and " + std::to_string(e.total() - 1) + " more)";
      } catch (const std::exception& e) {
        r.status = "failed";
        r.message = e.what();
      }
      if (already(p.id, r.config_hash)) {
        ++sum.already;
        ++done;
        continue;
      }
      if (rc) {
        for (const SweepConstraint& c : spec.constraints) {
          if (c.on != SweepConstraint::On::kKey || !r.status.empty()) continue;
          const std::optional<std::string> text = resolved_value(*rc, c.name);
          std::optional<double> v = text ? parse_number(*text) : std::nullopt;
          if (text && !v)
            if (const std::optional<int64_t> i = parse_integer(*text)) v = static_cast<double>(*i);
          if (!v) {
            r.status = "config_error";
            r.message = "constraint key '" + c.name + "' has no numeric value in this point's resolved configuration";
          } else if (!c.holds(*v)) {
            r.status = "excluded";
            r.message = c.name + " = " + *text + " is outside the constraint";
          }
        }
      }
      if (!r.status.empty()) {
        finish(std::move(r));
        continue;
      }
      exec.start(p, r.config_hash);
    }
    progress.update(done, sum.failed, exec.running());
    if (exec.running() == 0) continue;
    if (std::optional<PointResult> r = exec.poll()) finish(std::move(*r));
  }
}

}  // namespace

LocalExecutor::LocalExecutor(const SweepSpec& spec, const SweepRunOptions& opts, size_t capacity)
    : spec_(spec), opts_(opts), capacity_(capacity) {}

LocalExecutor::~LocalExecutor() {
  for (const auto& [pid, job] : running_) kill(pid, SIGKILL);
}

void LocalExecutor::start(const SweepPoint& p, const std::string& config_hash) {
  const fs::path dir = fs::path(opts_.out_dir) / "points" / std::to_string(p.id);
  fs::remove_all(dir);
  fs::create_directories(dir);
  const pid_t pid = launch(spec_, opts_, p, dir);
  running_.emplace(pid, std::make_unique<Job>(Job{p, config_hash, dir, Clock::now()}));
}

std::optional<PointResult> LocalExecutor::poll() {
  int status = 0;
  rusage usage{};
  const pid_t pid = wait4(-1, &status, WNOHANG, &usage);
  if (pid <= 0) {
    const auto now = Clock::now();
    for (auto& [child, job] : running_) {
      if (!job->timed_out && std::chrono::duration<double>(now - job->start).count() > spec_.time_limit_s) {
        kill(child, SIGKILL);
        job->timed_out = true;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    return std::nullopt;
  }
  const auto it = running_.find(pid);
  if (it == running_.end()) return std::nullopt;
  const std::unique_ptr<Job> job = std::move(it->second);
  running_.erase(it);
  return collect(spec_, *job, status, usage);
}

std::string sweep_db_path(const std::string& out_dir) { return (fs::path(out_dir) / "sweep.sqlite").string(); }

std::string grid_text(const SweepSpec& spec) {
  std::string t = "fidelity " + spec.fidelity + "\noutputs " + spec.outputs + "\n";
  for (const std::string& s : spec.set) t += "set " + s + "\n";
  for (const SweepGroup& g : spec.groups) {
    t += g.axes.size() > 1 ? "zip\n" : "axis\n";
    for (const SweepAxis& a : g.axes) {
      t += "  " + a.key + ":";
      for (const std::string& v : a.values) t += " " + v;
      t += "\n";
    }
  }
  return t;
}

SweepSummary run_sweep(const SweepSpec& spec, const SweepRunOptions& opts, PointExecutor& exec) {
  const auto t0 = Clock::now();
  fs::create_directories(fs::path(opts.out_dir) / "points");
  SweepDb db(sweep_db_path(opts.out_dir));
  db.bind_grid(grid_text(spec));
  nlohmann::json objectives = nlohmann::json::array(), constraints = nlohmann::json::array();
  for (const SweepObjective& o : spec.objectives)
    objectives.push_back({{"metric", o.metric}, {"goal", o.maximise ? "maximise" : "minimise"}});
  for (const SweepConstraint& c : spec.constraints) {
    nlohmann::json j = {{c.on == SweepConstraint::On::kKey ? "key" : "metric", c.name}};
    if (c.min) j["min"] = *c.min;
    if (c.max) j["max"] = *c.max;
    constraints.push_back(j);
  }
  db.set_meta("objectives", objectives.dump());
  db.set_meta("constraints", constraints.dump());
  db.set_meta("report_metrics", nlohmann::json(spec.report_metrics).dump());
  std::vector<std::string> axis_keys;
  for (const SweepAxis* a : spec.axes()) axis_keys.push_back(a->key);
  db.set_meta("axes", nlohmann::json(axis_keys).dump());

  SweepSummary sum;
  uint64_t done = 0;
  if (spec.strategy.kind == SweepStrategy::Kind::kNsga2) {
    if (opts.shard_count > 1) throw IoError("--shard splits grid and random sweeps; an NSGA-II search runs whole");
    Progress progress(opts.progress, spec.strategy.population * (spec.strategy.generations + 1ull));
    search_nsga2(spec, db, [&](const std::vector<const SweepPoint*>& batch) {
      run_points(spec, opts, db, exec, batch, sum, progress, done);
    });
    sum.owned = db.recorded().size();  // the points the search visited
    progress.update(done, sum.failed, 0, true);
  } else {
    const std::vector<SweepPoint> points = sweep_points(spec);
    std::vector<const SweepPoint*> owned;
    for (size_t o = 0; o < points.size(); ++o)
      if (o % opts.shard_count == opts.shard_index) owned.push_back(&points[o]);
    sum.owned = owned.size();
    Progress progress(opts.progress, owned.size());
    run_points(spec, opts, db, exec, owned, sum, progress, done);
    progress.update(done, sum.failed, 0, true);
  }
  sum.wall_s = std::chrono::duration<double>(Clock::now() - t0).count();
  return sum;
}

SweepSummary run_sweep(const SweepSpec& spec, const SweepRunOptions& opts) {
  LocalExecutor exec(spec, opts, std::max(1u, opts.jobs));
  return run_sweep(spec, opts, exec);
}

}  // namespace neurochip::sim
