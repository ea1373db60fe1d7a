// What the benchmarks share: their command line (CONFIG [repeats] [--set key=value ...]) and running
// one measurement in a forked child process (SystemC elaborates once per process), which reports a
// trivially copyable result back through a pipe.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace neurochip::bench {

struct BenchArgs {
  std::string config;
  int repeats = 1;
  std::vector<std::string> overrides;
};

/// CONFIG [repeats] [--set key=value ...]; none (after a usage line on stderr) without a CONFIG.
inline std::optional<BenchArgs> parse_bench_args(int argc, char* argv[], int default_repeats) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CONFIG [repeats] [--set key=value ...]\n", argv[0]);
    return std::nullopt;
  }
  BenchArgs a;
  a.config = argv[1];
  a.repeats = argc > 2 && argv[2][0] != '-' ? std::max(1, std::atoi(argv[2])) : default_repeats;
  for (int i = 2; i + 1 < argc; ++i)
    if (std::string(argv[i]) == "--set") a.overrides.push_back(argv[++i]);
  return a;
}

/// Runs `measure()` in a forked child and returns its result; R{} if the child failed to report.
template <class R, class F>
R in_child(F&& measure) {
  static_assert(std::is_trivially_copyable_v<R>, "the result crosses a pipe as bytes");
  R result{};
  int fds[2];
  if (pipe(fds) != 0) return result;
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    const R r = measure();
    const bool written = write(fds[1], &r, sizeof r) == static_cast<ssize_t>(sizeof r);
    _exit(written ? 0 : 1);
  }
  close(fds[1]);
  if (pid > 0 && read(fds[0], &result, sizeof result) != static_cast<ssize_t>(sizeof result)) result = R{};
  close(fds[0]);
  int status = 0;
  if (pid > 0) waitpid(pid, &status, 0);
  return result;
}

}  // namespace neurochip::bench
