// Helpers of the end-to-end tests that drive the neurochip binary as a separate process: spawn it
// (optionally under a file-size limit), wait for or kill it, and check a run directory against its
// manifest independently of the binary's own code (own JSON reading and table CRC-32).
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace neurochip::test {

namespace fs = std::filesystem;

inline std::string slurp(const fs::path& p) {
  std::ifstream is(p, std::ios::binary);
  std::ostringstream ss;
  ss << is.rdbuf();
  return ss.str();
}

/// CRC-32 (IEEE 802.3, reflected; zlib's), one table lookup per byte.
inline uint32_t crc32_of(const std::string& data) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : data) c = table[(c ^ b) & 0xFFu] ^ (c >> 8);
  return ~c;
}

/// Starts the binary with `args`, stdout and stderr to `log`. `file_size_limit` > 0 runs it under
/// RLIMIT_FSIZE with SIGXFSZ ignored, so that a write beyond the limit fails with EFBIG.
inline pid_t spawn(const std::vector<std::string>& args, const fs::path& log, rlim_t file_size_limit = 0) {
  const pid_t pid = fork();
  if (pid != 0) return pid;
  const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    dup2(fd, 1);
    dup2(fd, 2);
  }
  if (file_size_limit > 0) {
    signal(SIGXFSZ, SIG_IGN);
    const rlimit lim{file_size_limit, file_size_limit};
    setrlimit(RLIMIT_FSIZE, &lim);
  }
  std::vector<char*> argv;
  std::string binary = NEUROCHIP_BINARY;
  argv.push_back(binary.data());
  std::vector<std::string> copy = args;
  for (std::string& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  execv(binary.c_str(), argv.data());
  _exit(127);
}

/// Exit code of `pid`, or -signal if a signal ended it.
inline int wait_for(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1000;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

/// Every file name a run may publish (README "Outputs").
inline const std::vector<std::string>& output_names() {
  static const std::vector<std::string> names = {"spikes.csv",      "timesteps.csv", "readouts.csv",
                                                 "populations.csv", "stats.json",    "resolved_config.yaml",
                                                 "waves.vcd"};
  return names;
}

struct ManifestCheck {
  bool present = false;
  std::string problem;                 ///< empty: every listed file matches
  std::vector<std::string> files;      ///< listed names
  nlohmann::json manifest;
};

/// Reads `dir`/manifest.json and checks every listed file's size and CRC-32.
inline ManifestCheck check_manifest(const fs::path& dir) {
  ManifestCheck c;
  if (!fs::exists(dir / "manifest.json")) return c;
  c.present = true;
  try {
    c.manifest = nlohmann::json::parse(slurp(dir / "manifest.json"));
    for (const auto& f : c.manifest.at("files")) {
      const std::string name = f.at("name").get<std::string>();
      c.files.push_back(name);
      if (!fs::exists(dir / name)) {
        c.problem += name + " is missing; ";
        continue;
      }
      const std::string content = slurp(dir / name);
      char crc[9];
      std::snprintf(crc, sizeof crc, "%08x", crc32_of(content));
      if (content.size() != f.at("size").get<uint64_t>() || f.at("crc32").get<std::string>() != crc)
        c.problem += name + " does not match; ";
    }
  } catch (const std::exception& e) {
    c.problem += std::string("unreadable manifest: ") + e.what();
  }
  return c;
}

/// Rewrites the manifest entry of `name` for its current content (a planted change that keeps the
/// directory complete).
inline void reseal(const fs::path& dir, const std::string& name) {
  nlohmann::json m = nlohmann::json::parse(slurp(dir / "manifest.json"));
  const std::string content = slurp(dir / name);
  char crc[9];
  std::snprintf(crc, sizeof crc, "%08x", crc32_of(content));
  for (auto& f : m["files"])
    if (f["name"] == name) {
      f["size"] = content.size();
      f["crc32"] = crc;
    }
  std::ofstream(dir / "manifest.json", std::ios::binary | std::ios::trunc) << m.dump(2) << '\n';
}

}  // namespace neurochip::test
