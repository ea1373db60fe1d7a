// A run's memory does not grow with its length (README "Speed and memory"): results stream to their
// files, the stimulus is drawn one timestep at a time, and nothing else is kept per timestep. The
// peak resident set of ReckOn's chip (configs/chips/reckon.yaml, Poisson input) is measured for
// 10^4 and 10^6 timesteps, each run in its own process.
#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "support/run_dirs.h"

namespace {

/// Runs the binary with `args` (output to `log`); returns its peak resident set in KiB (-1 if it failed).
long peak_rss_kib(const std::vector<std::string>& args, const std::filesystem::path& log) {
  const pid_t pid = neurochip::test::spawn(args, log);
  int status = 0;
  rusage usage{};
  if (pid < 0 || wait4(pid, &status, 0, &usage) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
  return usage.ru_maxrss;
}

TEST(Memory, PeakResidentSetDoesNotGrowWithRunLength) {
  const std::string config = std::string(NEUROCHIP_REPO_ROOT) + "/configs/chips/reckon.yaml";
  const std::filesystem::path out =
      std::filesystem::temp_directory_path() / ("neurochip_memory_" + std::to_string(getpid()));
  std::filesystem::create_directories(out);
  const auto run = [&](const char* timesteps, const char* outputs) {
    return peak_rss_kib({"run", config, "--set", std::string("workload.timesteps=") + timesteps, "--outputs", outputs,
                         "-q", "--out", (out / "run").string()},
                        out / "log.txt");
  };
  // With every output file written too: the files grow on disk, not in memory.
  const long short_run = run("10000", "spikes,timesteps,readouts,stats");
  const long long_run = run("1000000", "spikes,timesteps,readouts,stats");
  std::filesystem::remove_all(out);
  ASSERT_GT(short_run, 0);
  ASSERT_GT(long_run, 0);
  std::cout << "peak resident set, configs/chips/reckon.yaml, every output file: 10^4 timesteps " << short_run
            << " KiB, 10^6 timesteps " << long_run << " KiB\n";
  // 100 times the timesteps (the files of the long run are ~380 MB): at most 2 MiB more.
  EXPECT_LT(long_run, short_run + 2048) << "10^4 timesteps: " << short_run << " KiB, 10^6: " << long_run << " KiB";
}

}  // namespace
