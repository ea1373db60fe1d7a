// The completion manifest of a run directory (traces/README.md, "Manifest"): manifest.json, written
// last, lists the files of one run with their sizes and CRC-32 checksums, the fidelity and a run
// id. A directory without it, or whose files do not match it, holds no complete run.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace neurochip::sim {

/// An I/O problem with a run's files (unreadable, unwritable, incomplete); the message says which.
class IoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr int kManifestFormat = 1;
inline constexpr const char* kManifestName = "manifest.json";

struct ManifestEntry {
  std::string name;  ///< file name inside the run directory
  uint64_t size = 0;
  uint32_t crc32 = 0;
};

struct Manifest {
  int format = kManifestFormat;
  std::string run_id;
  std::string fidelity;
  std::string config;
  bool halted = false;  ///< the run stopped at a timing error; its files hold the timesteps up to it
  bool diverged = false;  ///< a lockstep run stopped at a model/RTL divergence (divergence.json)
  std::vector<ManifestEntry> files;
  bool has(const std::string& name) const {
    for (const auto& f : files)
      if (f.name == name) return true;
    return false;
  }
};

std::string render_manifest(const Manifest& m);
/// Parses manifest text; throws IoError naming `origin` if it is not a manifest of this format.
Manifest parse_manifest(const std::string& text, const std::string& origin);

/// Reads `dir`/manifest.json and checks that every file it lists exists with its size and checksum.
/// Throws IoError saying why the directory holds no complete run.
Manifest read_verified_manifest(const std::string& dir);

/// CRC-32 and size of a file; throws IoError if it cannot be read.
ManifestEntry checksum_file(const std::string& dir, const std::string& name);

}  // namespace neurochip::sim
