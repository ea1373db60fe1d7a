// Helpers of the end-to-end tests: run the neurochip binary (or any command line) into a fresh
// scratch directory; run_dirs.h reads back what it wrote.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "support/run_dirs.h"  // slurp

namespace neurochip::test {

struct Outcome {
  int exit_code = -1;
  std::string output;  ///< stdout and stderr
};

/// Runs a shell command line, stdout and stderr together.
inline Outcome run_command(const std::string& command) {
  const std::string cmd = command + " 2>&1";
  Outcome o;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return o;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) o.output.append(buf, n);
  const int status = pclose(p);
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return o;
}

/// Runs `neurochip ARGS`.
inline Outcome run_neurochip(const std::string& args) { return run_command(std::string(NEUROCHIP_BINARY) + " " + args); }

/// A path under the temporary directory, unique to this process and `name`, removed if present.
inline std::filesystem::path fresh_dir(const std::string& name) {
  const std::filesystem::path d =
      std::filesystem::temp_directory_path() / ("neurochip_e2e_" + std::to_string(getpid()) + "_" + name);
  std::filesystem::remove_all(d);
  return d;
}

}  // namespace neurochip::test
