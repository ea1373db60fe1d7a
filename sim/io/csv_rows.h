// Fast CSV rows of integers (traces/README.md formats): fields are formatted with std::to_chars
// into a buffer that is handed to the stream in large blocks, since result files of long runs hold
// tens of millions of fields. Shared by the whole-result writers and the streaming ones.
#pragma once

#include <charconv>
#include <cstdint>
#include <ostream>
#include <string>

namespace neurochip::sim {

class CsvRows {
 public:
  explicit CsvRows(std::ostream& os) : os_(os) { buf_.reserve(kBlock + 256); }
  /// Hands what is buffered to the stream; call flush() first where a stream error must be seen
  /// (an exception of the stream is swallowed here).
  ~CsvRows() {
    try {
      flush();
    } catch (...) {
      buf_.clear();
    }
  }
  CsvRows(const CsvRows&) = delete;
  CsvRows& operator=(const CsvRows&) = delete;

  template <class... Ints>
  void row(Ints... fields) {
    (field(static_cast<int64_t>(fields)), ...);
    end_row();
  }
  /// A row of any length: field() for each value, then end_row().
  void field(int64_t v) {
    if (!at_row_start_) buf_.push_back(',');
    at_row_start_ = false;
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, v).ptr;
    buf_.append(digits, end);
  }
  void end_row() {
    buf_.push_back('\n');
    at_row_start_ = true;
    if (buf_.size() >= kBlock) flush();
  }
  void flush() {
    if (buf_.empty()) return;
    struct ClearAfter {
      std::string& buf;
      ~ClearAfter() { buf.clear(); }
    } clear_after{buf_};
    os_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
  }

 private:
  static constexpr size_t kBlock = 1 << 20;
  std::ostream& os_;
  std::string buf_;
  bool at_row_start_ = true;
};

}  // namespace neurochip::sim
