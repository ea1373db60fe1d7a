// Checks made before a file named by the user is read (the configuration, trace and synapse CSV
// files): it must be a regular file, since a FIFO blocks the reader and a device such as /dev/zero
// never ends, and no larger than a limit. The type is checked with std::filesystem::status before
// anything is opened.
#pragma once

#include <cstdint>
#include <string>

namespace neurochip::sim {

/// Largest configuration (YAML) file or document the loader reads.
constexpr uint64_t kMaxConfigFileBytes = uint64_t{16} << 20;  // 16 MiB
/// Largest trace or synapse CSV file the loader reads.
constexpr uint64_t kMaxCsvFileBytes = uint64_t{1} << 30;  // 1 GiB

/// What check_input_file() found.
struct InputFileCheck {
  enum class Result { kOk, kMissing, kNotRegular, kTooLarge };
  Result result = Result::kMissing;
  /// kNotRegular and kTooLarge: why the file is refused, e.g. "not a regular file (a FIFO)" or
  /// "larger than the 16 MiB limit for a config file (17000000 bytes)".
  std::string problem;
};

/// Checks that `path` names a regular file of at most `max_bytes` bytes without opening it;
/// `what` names such a file in the message ("a config file", "a CSV file"). kMissing covers
/// everything that makes the path unusable before its type is known (absent, no permission).
InputFileCheck check_input_file(const std::string& path, uint64_t max_bytes, const std::string& what);

/// "larger than the <limit> limit for <what> (<size> bytes)"; `at_least` words the size as a
/// lower bound ("more than N bytes"), for a file that grew while it was read.
std::string too_large_message(uint64_t max_bytes, const std::string& what, uint64_t size, bool at_least = false);

/// Reads the checked regular file `path` into `out`, at most `max_bytes` + 1 bytes (one more than
/// allowed shows that it grew beyond the limit). False when it cannot be opened or read.
bool read_input_file(const std::string& path, uint64_t max_bytes, std::string& out);

}  // namespace neurochip::sim
