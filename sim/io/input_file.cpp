// Type and size checks of user-named input files before they are read, and a bounded read.
#include "io/input_file.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace neurochip::sim {

namespace {

namespace fs = std::filesystem;

const char* type_name(fs::file_type type) {
  switch (type) {
    case fs::file_type::directory: return "a directory";
    case fs::file_type::character: return "a character device";
    case fs::file_type::block: return "a block device";
    case fs::file_type::fifo: return "a FIFO";
    case fs::file_type::socket: return "a socket";
    default: return "of an unknown type";
  }
}

/// "16 MiB", "1 GiB" or the number of bytes.
std::string size_text(uint64_t bytes) {
  if (bytes >= (uint64_t{1} << 30) && bytes % (uint64_t{1} << 30) == 0) return std::to_string(bytes >> 30) + " GiB";
  if (bytes >= (uint64_t{1} << 20) && bytes % (uint64_t{1} << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

}  // namespace

std::string too_large_message(uint64_t max_bytes, const std::string& what, uint64_t size, bool at_least) {
  return "larger than the " + size_text(max_bytes) + " limit for " + what + " (" + (at_least ? "more than " : "") +
         std::to_string(size) + " bytes)";
}

InputFileCheck check_input_file(const std::string& path, uint64_t max_bytes, const std::string& what) {
  InputFileCheck check;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) return check;
  if (!fs::is_regular_file(status)) {
    check.result = InputFileCheck::Result::kNotRegular;
    check.problem = std::string("not a regular file (") + type_name(status.type()) + ")";
    return check;
  }
  const uintmax_t size = fs::file_size(path, ec);
  if (ec) return check;
  if (size > max_bytes) {
    check.result = InputFileCheck::Result::kTooLarge;
    check.problem = too_large_message(max_bytes, what, size);
    return check;
  }
  check.result = InputFileCheck::Result::kOk;
  return check;
}

bool read_input_file(const std::string& path, uint64_t max_bytes, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.clear();
  char chunk[1 << 16];
  while (out.size() <= max_bytes) {
    const uint64_t wanted = std::min<uint64_t>(sizeof chunk, max_bytes + 1 - out.size());
    in.read(chunk, static_cast<std::streamsize>(wanted));
    out.append(chunk, static_cast<size_t>(in.gcount()));
    if (!in) break;
  }
  return !in.bad();
}

}  // namespace neurochip::sim
