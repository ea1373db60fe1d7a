// End-to-end tests of design-space sweeps (README "Design-space exploration"): the database is the
// same whatever -j, shard split or MPI rank count; a sweep killed with SIGKILL resumes without recomputing a finished
// point and ends with the uninterrupted run's database; failing points (configuration error, timing
// error, crash, time limit, excluded by a constraint) are recorded and the others complete; a bad
// sweep file stops before any point with exit 2; the report's files hold the database's points.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "io/manifest.h"
#include "support/e2e_run.h"
#include "sweep/sweep_db.h"
#include "sweep/sweep_runner.h"
#include "sweep/sweep_spec.h"

namespace neurochip::sim {
namespace {

namespace fs = std::filesystem;
using test::fresh_dir;
using test::run_neurochip;
using test::slurp;

const std::string kTiny = std::string(NEUROCHIP_REPO_ROOT) + "/configs/examples/tiny.yaml";

fs::path write_sweep(const fs::path& dir, const std::string& body) {
  fs::create_directories(dir);
  const fs::path file = dir / "sweep.yaml";
  std::ofstream(file) << "base: " << kTiny << "\n" << body;
  return file;
}

std::string dump(const fs::path& dir) { return SweepDb(sweep_db_path(dir.string())).canonical_dump(); }

const char* kSixPoints = R"(set: {workload.timesteps: 40}
axes:
  - {key: chip.cores.0.neuron.threshold, values: [3, 40, 80]}
  - {key: chip.cores.0.timing.scan_cycles_per_index, range: {from: 1, to: 2}}
objectives:
  - {metric: stats.chip.cycles, goal: minimise}
  - {metric: stats.chip.core0.spikes, goal: maximise}
)";

TEST(Sweep, DatabaseIsTheSameWhateverJobsShardsOrRanks) {
  const fs::path root = fresh_dir("sweep_same");
  const fs::path file = write_sweep(root, kSixPoints);
  const auto sweep = [&](const std::string& out, const std::string& extra) {
    const test::Outcome o = run_neurochip("sweep " + file.string() + " -q --out " + (root / out).string() + extra);
    EXPECT_EQ(o.exit_code, 0) << o.output;
    return o.output;
  };
  EXPECT_NE(sweep("j1", " -j 1").find("6 points: 6 ok, 0 failed"), std::string::npos);
  sweep("j2", " -j 2");
  EXPECT_NE(sweep("s1", " --shard 1/2").find("3 points in shard 1/2: 3 ok"), std::string::npos);
  sweep("s2", " --shard 2/2 -j 2");
  // An MPI task farm of three ranks (two workers), as root in CI.
  const test::Outcome farm = test::run_command(
      "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 mpirun --oversubscribe "
      "--mca btl_vader_single_copy_mechanism none -np 3 " + std::string(NEUROCHIP_BINARY) + " sweep " +
      file.string() + " --mpi -q --out " + (root / "mpi").string());
  ASSERT_EQ(farm.exit_code, 0) << farm.output;
  EXPECT_NE(farm.output.find("6 points: 6 ok"), std::string::npos) << farm.output;
  const test::Outcome merged = run_neurochip("sweep merge --out " + (root / "merged").string() + " " +
                                             (root / "s1").string() + " " + (root / "s2").string());
  ASSERT_EQ(merged.exit_code, 0) << merged.output;
  const std::string reference = dump(root / "j1");
  EXPECT_EQ(dump(root / "j2"), reference);
  EXPECT_EQ(dump(root / "merged"), reference);
  EXPECT_EQ(dump(root / "mpi"), reference);
  EXPECT_NE(dump(root / "s1"), reference);  // half of it
  // A point's metrics are those of the same run made by hand.
  const fs::path single = root / "single";
  ASSERT_EQ(run_neurochip("run " + kTiny + " --set workload.timesteps=40 --set chip.cores.0.neuron.threshold=40 "
                          "--set chip.cores.0.timing.scan_cycles_per_index=2 --fidelity functional -q --out " +
                          single.string())
                .exit_code,
            0);
  const std::string stats = slurp(single / "stats.json");
  const std::string hash = stats.substr(stats.find("\"config_hash\": \"") + 16, 32);
  bool found = false;
  for (const PointResult& r : SweepDb(sweep_db_path((root / "j1").string())).results()) {
    if (r.id != 3) continue;  // threshold 40 (index 1) x scan 2 (index 1) = 1 * 2 + 1
    found = true;
    EXPECT_EQ(r.config_hash, hash);
    EXPECT_EQ(r.values, (std::vector<std::pair<std::string, std::string>>{
                            {"chip.cores.0.neuron.threshold", "40"}, {"chip.cores.0.timing.scan_cycles_per_index", "2"}}));
  }
  EXPECT_TRUE(found);

  // The report of the sweep.
  const test::Outcome report = run_neurochip("report " + (root / "j1").string());
  ASSERT_EQ(report.exit_code, 0) << report.output;
  const std::string results = slurp(root / "j1" / "results.csv");
  EXPECT_EQ(std::count(results.begin(), results.end(), '\n'), 7);  // header + 6 points
  EXPECT_EQ(results.substr(0, results.find('\n')),
            "id,status,feasible,pareto,chip.cores.0.neuron.threshold,chip.cores.0.timing.scan_cycles_per_index,"
            "stats.chip.cycles,stats.chip.core0.spikes,wall_s,message");
  const std::string pareto = slurp(root / "j1" / "pareto.csv");
  EXPECT_GE(std::count(pareto.begin(), pareto.end(), '\n'), 2);
  EXPECT_NE(report.output.find("6 points, 6 feasible"), std::string::npos) << report.output;
  const std::string html = slurp(root / "j1" / "report.html");
  EXPECT_EQ(std::count_if(results.begin(), results.end(), [](char c) { return c == '\n'; }) - 1,
            [&] {
              size_t rows = 0;
              for (size_t at = html.find("<tr"); at != std::string::npos; at = html.find("<tr", at + 1)) ++rows;
              return static_cast<long>(rows) - 1;  // minus the heading row
            }());
  EXPECT_NE(html.find("<svg"), std::string::npos);
  for (const char* plot : {"plots/pareto_stats_chip_cycles_stats_chip_core0_spikes",
                           "plots/stats_chip_cycles_vs_chip_cores_0_neuron_threshold"}) {
    EXPECT_GT(fs::file_size(root / "j1" / (std::string(plot) + ".png")), 1000u) << plot;
    EXPECT_NE(slurp(root / "j1" / (std::string(plot) + ".svg")).find("<svg"), std::string::npos) << plot;
  }
  fs::remove_all(root);
}

TEST(Sweep, KilledSweepResumesWithoutRecomputing) {
  const fs::path root = fresh_dir("sweep_kill");
  const fs::path file = write_sweep(root, R"(set: {workload.timesteps: 600000}
axes:
  - {key: chip.cores.0.neuron.threshold, range: {from: 10, to: 17}}
)");
  const fs::path killed = root / "killed";
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string bin = NEUROCHIP_BINARY, f = file.string(), out = killed.string();
    execl(bin.c_str(), bin.c_str(), "sweep", f.c_str(), "-q", "--out", out.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Kill it once two points are recorded.
  size_t recorded = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (recorded < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (fs::exists(sweep_db_path(killed.string()))) {
      try {
        recorded = SweepDb(sweep_db_path(killed.string())).recorded().size();
      } catch (const IoError&) {
      }
    }
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the sweep finished before it could be killed";
  std::map<uint64_t, double> before;
  for (const PointResult& r : SweepDb(sweep_db_path(killed.string())).results()) before[r.id] = r.wall_s;
  ASSERT_GE(before.size(), 2u);
  ASSERT_LT(before.size(), 8u);

  const test::Outcome resumed = run_neurochip("sweep " + file.string() + " -q --out " + killed.string());
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find(std::to_string(before.size()) + " already recorded"), std::string::npos)
      << resumed.output;
  // No finished point ran again: their timing rows are the first run's.
  for (const PointResult& r : SweepDb(sweep_db_path(killed.string())).results())
    if (before.count(r.id)) {
      EXPECT_EQ(r.wall_s, before[r.id]) << r.id;
    }
  const test::Outcome whole = run_neurochip("sweep " + file.string() + " -q -j 2 --out " + (root / "whole").string());
  ASSERT_EQ(whole.exit_code, 0) << whole.output;
  EXPECT_EQ(dump(killed), dump(root / "whole"));
  fs::remove_all(root);
}

TEST(Sweep, FailingPointsAreRecordedAndTheOthersComplete) {
  const fs::path root = fresh_dir("sweep_fail");
  fs::create_directories(root);
  // A stand-in for the binary that crashes on one point and runs the others.
  const fs::path crasher = root / "crash_on_threshold_7.sh";
  std::ofstream(crasher) << "#!/bin/sh\ncase \"$*\" in *threshold=7\\ *) kill -SEGV $$ ;; esac\nexec "
                         << NEUROCHIP_BINARY << " \"$@\"\n";
  fs::permissions(crasher, fs::perms::owner_all);
  const std::string body = R"(set: {chip.timestep: {policy: fixed, cycles_per_timestep: 20}}
limits: {time_s: 0.6}
axes:
  - zip:
      - {key: chip.cores.0.neuron.threshold, values: [5, 7, 9, 11, 13, 15]}
      - {key: chip.cores.0.memory.max_neurons, values: [4, 4, 2, 4, 4, 4]}
      - {key: chip.cores.0.timing.scan_cycles_per_index, values: [1, 1, 1, 5, 1, 1]}
      - {key: workload.timesteps, values: [20, 20, 20, 20, 10000000, 20]}
constraints:
  - {key: chip.cores.0.neuron.threshold, max: 14}
)";
  const fs::path file = write_sweep(root, body);
  const SweepSpec spec = load_sweep_file(file.string());
  SweepRunOptions opts;
  opts.out_dir = (root / "out").string();
  opts.executable = crasher.string();
  opts.jobs = 2;
  opts.progress = false;
  const SweepSummary s = run_sweep(spec, opts);
  EXPECT_EQ(s.ok, 1u);
  EXPECT_EQ(s.failed, 4u);
  EXPECT_EQ(s.excluded, 1u);
  std::map<uint64_t, PointResult> by_id;
  for (PointResult& r : SweepDb(sweep_db_path(opts.out_dir)).results()) by_id[r.id] = r;
  ASSERT_EQ(by_id.size(), 6u);
  EXPECT_EQ(by_id[0].status, "ok");
  EXPECT_FALSE(by_id[0].metrics.empty());
  EXPECT_EQ(by_id[1].status, "crashed");
  EXPECT_EQ(by_id[1].message, "killed by signal 11 (SIGSEGV)");
  EXPECT_EQ(by_id[2].status, "config_error");
  EXPECT_NE(by_id[2].message.find("needs 3 neuron slots but memory.max_neurons is 2"), std::string::npos)
      << by_id[2].message;
  EXPECT_EQ(by_id[3].status, "timing_error");
  EXPECT_NE(by_id[3].message.find("timing error"), std::string::npos) << by_id[3].message;
  EXPECT_FALSE(by_id[3].metrics.empty());  // the stats up to the halt
  EXPECT_EQ(by_id[4].status, "timeout");
  EXPECT_EQ(by_id[5].status, "excluded");
  EXPECT_EQ(by_id[5].message, "chip.cores.0.neuron.threshold = 15 is outside the constraint");
  // Recorded failures are finished points: a rerun runs nothing, --retry-failed reruns them.
  EXPECT_EQ(run_sweep(spec, opts).already, 6u);
  opts.retry_failed = true;
  opts.executable = NEUROCHIP_BINARY;
  const SweepSummary retried = run_sweep(spec, opts);
  EXPECT_EQ(retried.already, 2u);  // the ok and the excluded point
  EXPECT_EQ(SweepDb(sweep_db_path(opts.out_dir)).recorded().at(1).second, "ok");
  fs::remove_all(root);
}

TEST(Sweep, Nsga2SearchIsTheSameWhateverJobsAndResumes) {
  const fs::path root = fresh_dir("sweep_nsga2");
  const fs::path file = write_sweep(root, R"(set: {workload.timesteps: 30}
axes:
  - {key: chip.cores.0.neuron.threshold, range: {from: 1, to: 120}}
  - {key: chip.cores.0.timing.scan_cycles_per_index, range: {from: 1, to: 4}}
objectives:
  - {metric: stats.chip.cycles, goal: minimise}
  - {metric: stats.chip.core0.spikes, goal: maximise}
strategy: {kind: nsga2, population: 8, generations: 3, seed: 5}
)");
  const auto sweep = [&](const std::string& out, const std::string& jobs) {
    const test::Outcome o = run_neurochip("sweep " + file.string() + " -q -j " + jobs + " --out " + (root / out).string());
    EXPECT_EQ(o.exit_code, 0) << o.output;
    return o.output;
  };
  sweep("j1", "1");
  sweep("j2", "2");
  const std::string reference = dump(root / "j1");
  EXPECT_EQ(dump(root / "j2"), reference);
  const size_t evaluated = SweepDb(sweep_db_path((root / "j1").string())).recorded().size();
  EXPECT_GE(evaluated, 8u);   // at least the first population
  EXPECT_LE(evaluated, 32u);  // at most 8 per generation
  // The same search again finds every point recorded and runs none.
  EXPECT_NE(sweep("j1", "2").find(" 0 ok, 0 failed"), std::string::npos);
  EXPECT_EQ(dump(root / "j1"), reference);
  fs::remove_all(root);
}

/// The DOM of `page` after its scripts ran in headless Chromium, and the page's console lines.
std::pair<std::string, std::string> render(const fs::path& page, const fs::path& scratch) {
  // A profile and a log per page: a second Chromium on the same profile would hand its page to the
  // first one and exit.
  const std::string stem = page.stem().string();
  const std::string log = (scratch / (stem + "_chromium.log")).string();
  const test::Outcome o = test::run_command(
      "(timeout 120 chromium --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 --user-data-dir=" +
      (scratch / (stem + "_profile")).string() + " --dump-dom file://" + page.string() + " 2>" + log + ")");
  EXPECT_EQ(o.exit_code, 0) << "chromium (installed by .ci/setup) did not render " << page;
  std::string console;
  std::istringstream lines(slurp(log));
  for (std::string line; std::getline(lines, line);)
    if (line.find(":CONSOLE") != std::string::npos) console += line + "\n";
  return {o.output, console};
}

TEST(Sweep, ReportPageRendersInHeadlessChromiumWithoutErrors) {
  const fs::path root = fresh_dir("sweep_html");
  const fs::path file = write_sweep(root, kSixPoints);
  ASSERT_EQ(run_neurochip("sweep " + file.string() + " -q -j 2 --out " + (root / "out").string()).exit_code, 0);
  ASSERT_EQ(run_neurochip("report " + (root / "out").string()).exit_code, 0);
  const auto [dom, console] = render(root / "out" / "report.html", root);
  EXPECT_EQ(console, "") << "the page logged to its console";
  size_t rows = 0, plots = 0;
  for (size_t at = dom.find("<tr"); at != std::string::npos; at = dom.find("<tr", at + 1)) ++rows;
  for (size_t at = dom.find("<svg"); at != std::string::npos; at = dom.find("<svg", at + 1)) ++plots;
  EXPECT_EQ(rows, 7u);   // the heading and the six points
  EXPECT_EQ(plots, 5u);  // two objectives x two axes, and the objective pair
  EXPECT_NE(dom.find("6 points, 6 feasible"), std::string::npos);
  EXPECT_EQ(dom.find("src=\"http"), std::string::npos);  // self-contained
  EXPECT_EQ(dom.find("href=\"http"), std::string::npos);
  // The check sees a page that fails: the same report with a script error planted in it.
  std::string broken = slurp(root / "out" / "report.html");
  broken.insert(broken.find("</body>"), "<script>planted_error();</script>");
  std::ofstream(root / "broken.html") << broken;
  const std::string planted = render(root / "broken.html", root).second;
  EXPECT_NE(planted.find("planted_error is not defined"), std::string::npos) << planted;
  fs::remove_all(root);
}

TEST(Sweep, BadSweepFileStopsBeforeAnyPoint) {
  const fs::path root = fresh_dir("sweep_bad");
  const fs::path file = write_sweep(root, "axes:\n  - {key: chip.cores.0.neuron.threshhold, values: [1, 2]}\n");
  const test::Outcome o = run_neurochip("sweep " + file.string() + " --out " + (root / "out").string());
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.output.find(file.string() + ":3:11: unknown key 'threshhold' under 'chip.cores.0.neuron'"),
            std::string::npos)
      << o.output;
  EXPECT_NE(o.output.find("no point was run"), std::string::npos);
  EXPECT_FALSE(fs::exists(root / "out"));
  EXPECT_EQ(run_neurochip("report " + (root / "out").string()).exit_code, 2);
  fs::remove_all(root);
}

}  // namespace
}  // namespace neurochip::sim
