// End-to-end tests of how `neurochip run` publishes its files (README "Outputs", traces/README.md
// "Manifest"): --outputs selects them, the manifest matches them, a second run into a locked
// directory fails at once, runs killed with SIGKILL at random moments never leave a manifest that
// does not match or a final-named file that is not one complete file of one run (half of the
// kills aimed at the moment of publication, seen through inotify), and a full disk
// (RLIMIT_FSIZE: a real EFBIG from the kernel; and a small tmpfs where one can be mounted) gives
// exit 1 with the earlier results untouched.
#include <gtest/gtest.h>

#include <poll.h>
#include <sys/inotify.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <random>
#include <set>
#include <thread>

#include "support/run_dirs.h"

namespace neurochip::test {
namespace {

const std::string kRoot = NEUROCHIP_REPO_ROOT;
const std::string kReckon = kRoot + "/configs/chips/reckon.yaml";
const std::string kTiny = kRoot + "/configs/examples/tiny.yaml";

fs::path fresh_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("neurochip_publish_" + std::to_string(getpid()) + "_" + name);
  fs::remove_all(d);
  return d;
}

/// Runs the binary to completion; returns the exit code, output in `log`.
int run_binary(const std::vector<std::string>& args, std::string* output = nullptr, rlim_t file_size_limit = 0) {
  const fs::path log = fs::temp_directory_path() / ("neurochip_publish_" + std::to_string(getpid()) + ".log");
  const int code = wait_for(spawn(args, log, file_size_limit));
  if (output) *output = slurp(log);
  fs::remove(log);
  return code;
}

std::set<std::string> final_files(const fs::path& dir) {
  std::set<std::string> present;
  for (const std::string& n : output_names())
    if (fs::exists(dir / n)) present.insert(n);
  return present;
}

bool has_temporaries(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string n = e.path().filename().string();
    if (n.size() > 4 && n.compare(n.size() - 4, 4, ".tmp") == 0) return true;
  }
  return false;
}

void drain_events(int watch) {
  alignas(inotify_event) char buf[4096];
  while (read(watch, buf, sizeof buf) > 0) {
  }
}

/// Waits (at most 10 s) until a run starts publishing into the watched directory: the old manifest
/// or a stale output is removed, or a file is renamed to a final name.
void wait_for_publication(int watch) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  alignas(inotify_event) char buf[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{watch, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    const ssize_t n = read(watch, buf, sizeof buf);
    for (ssize_t off = 0; off < n;) {
      const auto* e = reinterpret_cast<const inotify_event*>(buf + off);
      const std::string name = e->len > 0 ? e->name : "";
      if (name == "manifest.json" ||
          std::find(output_names().begin(), output_names().end(), name) != output_names().end())
        return;
      off += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
    }
  }
}

std::vector<std::string> reckon_args(const fs::path& out, int timesteps, int seed) {
  return {"run", kReckon, "--set", "workload.timesteps=" + std::to_string(timesteps), "--set",
          "workload.seed=" + std::to_string(seed), "-q", "--out", out.string()};
}

TEST(Publish, OutputsSelectsTheFilesAndRemovesStaleOnes) {
  const fs::path out = fresh_dir("select");
  ASSERT_EQ(run_binary({"run", kTiny, "--vcd", "-q", "--out", out.string()}), 0);
  EXPECT_EQ(final_files(out), (std::set<std::string>{"spikes.csv", "timesteps.csv", "readouts.csv", "populations.csv",
                                                     "stats.json", "resolved_config.yaml", "waves.vcd"}));
  ASSERT_EQ(run_binary({"run", kTiny, "--outputs", "stats", "-q", "--out", out.string()}), 0);
  EXPECT_EQ(final_files(out), (std::set<std::string>{"stats.json"}));
  const ManifestCheck m = check_manifest(out);
  ASSERT_TRUE(m.present);
  EXPECT_EQ(m.problem, "");
  EXPECT_EQ(m.files, (std::vector<std::string>{"stats.json"}));
  EXPECT_EQ(m.manifest["fidelity"], "cycle");
  EXPECT_EQ(m.manifest["status"], "complete");
  ASSERT_EQ(run_binary({"run", kTiny, "--outputs", "spikes,readouts", "--fidelity", "functional", "-q", "--out",
                        out.string()}),
            0);
  EXPECT_EQ(final_files(out), (std::set<std::string>{"spikes.csv", "readouts.csv"}));
  EXPECT_EQ(slurp(out / "spikes.csv"), slurp(kRoot + "/traces/golden/tiny/spikes.csv"));
  EXPECT_EQ(check_manifest(out).manifest["fidelity"], "functional");
  EXPECT_FALSE(has_temporaries(out));
  fs::remove_all(out);
}

TEST(Publish, UnknownOutputNameIsACommandLineErrorNamingTheValidOnes) {
  const fs::path out = fresh_dir("unknown");
  std::string msg;
  EXPECT_EQ(run_binary({"run", kTiny, "--outputs", "stats,spikez", "--out", out.string()}, &msg), 2);
  EXPECT_NE(msg.find("spikez"), std::string::npos) << msg;
  EXPECT_NE(msg.find("spikes,timesteps,readouts,populations,stats,config"), std::string::npos) << msg;
  EXPECT_FALSE(fs::exists(out));
}

TEST(Publish, ManifestListsEveryFileWithItsSizeAndChecksum) {
  const fs::path out = fresh_dir("manifest");
  ASSERT_EQ(run_binary(reckon_args(out, 300, 1)), 0);
  const ManifestCheck m = check_manifest(out);
  ASSERT_TRUE(m.present);
  EXPECT_EQ(m.problem, "");
  EXPECT_EQ(std::set<std::string>(m.files.begin(), m.files.end()), final_files(out));
  EXPECT_EQ(m.files.size(), 6u);
  EXPECT_EQ(m.manifest["neurochip_manifest"], 1);
  EXPECT_EQ(m.manifest["run_id"].get<std::string>().size(), 32u);
  // A halted run publishes what it simulated, marked as such.
  ASSERT_EQ(run_binary({"run", kTiny, "--set", "chip.timestep.policy=fixed", "--set",
                        "chip.timestep.cycles_per_timestep=19", "-q", "--out", out.string()}),
            3);
  EXPECT_EQ(check_manifest(out).problem, "");
  EXPECT_EQ(check_manifest(out).manifest["status"], "halted");
  fs::remove_all(out);
}

TEST(Publish, ASecondRunIntoALockedDirectoryFailsAtOnceAndTheFirstCompletes) {
  const fs::path out = fresh_dir("lock");
  const fs::path log = fresh_dir("lock.log");
  const pid_t first = spawn({"run", kReckon, "--set", "workload.timesteps=150000", "--outputs", "stats,spikes", "-q",
                             "--out", out.string()},
                            log);
  // Wait until the first run holds the lock (its pid is in the lock file).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (slurp(out / ".neurochip.lock") != std::to_string(first) + "\n" && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ASSERT_EQ(slurp(out / ".neurochip.lock"), std::to_string(first) + "\n");
  std::string msg;
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(run_binary(reckon_args(out, 200, 2), &msg), 1);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5)) << "the second run waited";
  EXPECT_NE(msg.find(out.string()), std::string::npos) << msg;
  EXPECT_NE(msg.find("in use"), std::string::npos) << msg;
  EXPECT_NE(msg.find("pid " + std::to_string(first)), std::string::npos) << msg;
  EXPECT_EQ(wait_for(first), 0) << slurp(log);
  const ManifestCheck m = check_manifest(out);
  ASSERT_TRUE(m.present);
  EXPECT_EQ(m.problem, "");
  EXPECT_EQ(final_files(out), (std::set<std::string>{"spikes.csv", "stats.json"}));
  EXPECT_NE(slurp(out / "stats.json").find("\"value\": 150000"), std::string::npos) << "not the first run's stats";
  EXPECT_FALSE(has_temporaries(out));
  fs::remove_all(out);
  fs::remove(log);
}

TEST(Publish, RunsKilledAtRandomMomentsNeverLeaveAMixedOrMismatchedSet) {
  // Two runs whose every result file differs (populations.csv aside); a file under a final name
  // must always be one of them, byte for byte, and a manifest must always match its files.
  const int kTimesteps = 6000;
  const fs::path ref[2] = {fresh_dir("kill_ref0"), fresh_dir("kill_ref1")};
  const auto args = [&](const fs::path& out, int which) {
    std::vector<std::string> a = reckon_args(out, kTimesteps, which + 1);
    a.insert(a.end(), {"--vcd", "--vcd-neurons", "4"});
    return a;
  };
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(run_binary(args(ref[0], 0)), 0);
  const double run_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(run_binary(args(ref[1], 1)), 0);
  std::map<std::string, std::string> content[2];
  for (int r = 0; r < 2; ++r)
    for (const std::string& n : output_names()) content[r][n] = slurp(ref[r] / n);
  for (const std::string& n : output_names()) {
    if (n != "populations.csv") {
      ASSERT_NE(content[0][n], content[1][n]) << n;
    }
  }

  const fs::path out = fresh_dir("kill");
  const fs::path log = fresh_dir("kill.log");
  std::mt19937 rng(20240601);
  // Half the kills at any moment of the run, half within 3 ms of the first sign that it publishes.
  std::uniform_real_distribution<double> anywhere(0.0, 1.3 * run_s), in_publication(0.0, 0.003);
  fs::create_directories(out);
  const int watch = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  ASSERT_GE(watch, 0);
  ASSERT_GE(inotify_add_watch(watch, out.c_str(), IN_MOVED_TO | IN_DELETE), 0);
  int killed = 0, complete_after = 0, incomplete_after = 0;
  for (int i = 0; i < 30; ++i) {
    SCOPED_TRACE("kill " + std::to_string(i));
    const int which = static_cast<int>(rng() % 2);
    drain_events(watch);
    const pid_t pid = spawn(args(out, which), log);
    if (i % 6 != 5) {  // every sixth run is let finish, so that complete sets of both runs alternate
      if (i % 2) {
        wait_for_publication(watch);
        std::this_thread::sleep_for(std::chrono::duration<double>(in_publication(rng)));
      } else {
        std::this_thread::sleep_for(std::chrono::duration<double>(anywhere(rng)));
      }
      kill(pid, SIGKILL);
    }
    const int code = wait_for(pid);
    if (code == -SIGKILL) {
      ++killed;
    } else {
      ASSERT_EQ(code, 0) << slurp(log);
    }

    for (const std::string& n : final_files(out)) {
      const std::string got = slurp(out / n);
      EXPECT_TRUE(got == content[0][n] || got == content[1][n]) << n << " is not one complete file of one run";
    }
    const ManifestCheck m = check_manifest(out);
    if (!m.present) {
      ++incomplete_after;
      continue;
    }
    ++complete_after;
    EXPECT_EQ(m.problem, "");
    EXPECT_EQ(std::set<std::string>(m.files.begin(), m.files.end()), final_files(out));
    std::set<int> origins;
    for (const std::string& n : m.files) {
      if (n == "populations.csv") continue;
      const std::string got = slurp(out / n);
      origins.insert(got == content[0][n] ? 0 : got == content[1][n] ? 1 : -1);
    }
    EXPECT_EQ(origins.size(), 1u) << "the manifest's files come from different runs";
    EXPECT_EQ(origins.count(-1), 0u);
  }
  // The kills must have hit running processes, and left both complete and incomplete directories.
  EXPECT_GE(killed, 12);
  EXPECT_GE(complete_after, 5);
  EXPECT_GE(incomplete_after, 1);
  // The next run into the directory cleans up after the killed ones.
  ASSERT_EQ(run_binary(args(out, 0)), 0);
  EXPECT_EQ(check_manifest(out).problem, "");
  EXPECT_FALSE(has_temporaries(out));
  close(watch);
  for (const fs::path& d : {ref[0], ref[1], out}) fs::remove_all(d);
  fs::remove(log);
}

TEST(Publish, AFullDiskGivesExitOneAndNoIncompleteFileUnderAFinalName) {
  const fs::path out = fresh_dir("full");
  const auto args = [&](int seed) {
    std::vector<std::string> a = reckon_args(out, 2000, seed);
    a.insert(a.end(), {"--vcd", "--vcd-neurons", "4"});
    return a;
  };
  ASSERT_EQ(run_binary(args(1)), 0);
  std::map<std::string, std::string> earlier;
  std::vector<uint64_t> sizes;
  for (const std::string& n : final_files(out)) {
    earlier[n] = slurp(out / n);
    sizes.push_back(earlier[n].size());
  }
  const std::string manifest = slurp(out / "manifest.json");
  std::sort(sizes.begin(), sizes.end());
  ASSERT_GE(sizes.size(), 3u);
  ASSERT_GT(sizes.back(), sizes[sizes.size() - 2] + 4096) << "the second limit must stop the largest file only";
  // A limit that the first streamed file hits, and one that only the largest file exceeds.
  for (const rlim_t limit : {rlim_t{4096}, static_cast<rlim_t>(sizes[sizes.size() - 2] + 4096)}) {
    SCOPED_TRACE("file size limit " + std::to_string(limit));
    std::string msg;
    EXPECT_EQ(run_binary(args(2), &msg, limit), 1) << msg;
    EXPECT_NE(msg.find("File too large"), std::string::npos) << msg;
    EXPECT_EQ(slurp(out / "manifest.json"), manifest);
    EXPECT_EQ(check_manifest(out).problem, "");
    for (const auto& [n, c] : earlier) EXPECT_EQ(slurp(out / n), c) << n;
    EXPECT_FALSE(has_temporaries(out));
  }
  // Into an empty directory: nothing under a final name at all.
  const fs::path empty = fresh_dir("full_empty");
  std::string msg;
  EXPECT_EQ(run_binary({"run", kReckon, "--set", "workload.timesteps=2000", "-q", "--out", empty.string()}, &msg, 4096),
            1);
  EXPECT_EQ(final_files(empty), std::set<std::string>{});
  EXPECT_FALSE(fs::exists(empty / "manifest.json"));
  EXPECT_FALSE(has_temporaries(empty));
  fs::remove_all(out);
  fs::remove_all(empty);
}

TEST(Publish, AFullTmpfsGivesExitOneAndLeavesTheEarlierRunComplete) {
  // A real ENOSPC where a small tmpfs can be mounted (root); the RLIMIT_FSIZE test above covers
  // the same path everywhere else.
  const fs::path mnt = fresh_dir("tmpfs");
  fs::create_directories(mnt);
  if (std::system(("mount -t tmpfs -o size=640k tmpfs '" + mnt.string() + "' 2>/dev/null").c_str()) != 0) {
    fs::remove_all(mnt);
    GTEST_SKIP() << "cannot mount a tmpfs here";
  }
  struct Unmount {
    fs::path dir;
    ~Unmount() {
      if (std::system(("umount '" + dir.string() + "'").c_str()) == 0) fs::remove_all(dir);
    }
  } unmount{mnt};
  const fs::path out = mnt / "run";
  ASSERT_EQ(run_binary({"run", kTiny, "--vcd", "-q", "--out", out.string()}), 0);
  std::map<std::string, std::string> earlier;
  for (const std::string& n : final_files(out)) earlier[n] = slurp(out / n);
  std::string msg;
  EXPECT_EQ(run_binary({"run", kReckon, "--set", "workload.timesteps=2000", "--vcd", "-q", "--out", out.string()}, &msg),
            1);
  EXPECT_NE(msg.find("No space left on device"), std::string::npos) << msg;
  EXPECT_EQ(check_manifest(out).problem, "");
  EXPECT_EQ(check_manifest(out).manifest["config"], kTiny);
  EXPECT_EQ(final_files(out).size(), earlier.size());
  for (const auto& [n, c] : earlier) EXPECT_EQ(slurp(out / n), c) << n;
  EXPECT_FALSE(has_temporaries(out));
}

}  // namespace
}  // namespace neurochip::test
