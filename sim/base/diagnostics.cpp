// Positioned configuration diagnostics (see diagnostics.h) and the escaping of user text in them.
#include "base/diagnostics.h"

#include <cstdint>
#include <cstdio>

namespace neurochip::sim {

std::string ConfigDiagnostic::str() const {
  const std::string where = echo(file, kMaxEchoPathChars);
  if (line == 0) return where + ": " + message;
  return where + ":" + std::to_string(line) + ":" + std::to_string(col) + ": " + message;
}

namespace {

std::string omitted_text(size_t omitted) {
  if (omitted == 0) return "";
  return "\u2026 and " + std::to_string(omitted) + " more error" + (omitted == 1 ? "" : "s") + " not shown";
}

/// The reported diagnostics one per line, then the note on the omitted ones.
std::string join_diagnostics(const std::vector<ConfigDiagnostic>& d) {
  std::string s;
  const size_t reported = d.size() < kMaxReportedDiagnostics ? d.size() : kMaxReportedDiagnostics;
  for (size_t i = 0; i < reported; ++i) s += (i ? "\n" : "") + d[i].str();
  if (reported < d.size()) s += "\n" + omitted_text(d.size() - reported);
  return s;
}

/// Length of the valid UTF-8 sequence at text[i] (2 to 4), or 0 when it is not one.
size_t utf8_sequence(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
  const uint8_t lead = byte(i);
  size_t length = 0;
  uint8_t second_min = 0x80;
  uint8_t second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_min = 0xA0;  // no overlong forms
    if (lead == 0xED) second_max = 0x9F;  // no UTF-16 surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_min = 0x90;  // no overlong forms
    if (lead == 0xF4) second_max = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < second_min || byte(i + 1) > second_max) return 0;
  for (size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

void append_escaped(std::string& out, uint8_t byte) {
  char buf[5];
  std::snprintf(buf, sizeof buf, "\\x%02X", byte);
  out += buf;
}

}  // namespace

ConfigError::ConfigError(std::vector<ConfigDiagnostic> d)
    : std::runtime_error(join_diagnostics(d)), diagnostics_(std::move(d)) {
  total_ = diagnostics_.size();
  if (diagnostics_.size() > kMaxReportedDiagnostics) {
    diagnostics_.resize(kMaxReportedDiagnostics);
    diagnostics_.shrink_to_fit();
  }
}

std::string ConfigError::omitted_note() const { return omitted_text(total_ - diagnostics_.size()); }

void add_error(std::vector<ConfigDiagnostic>& diags, const SourceLocation& at, std::string message) {
  diags.push_back(ConfigDiagnostic{at.file, at.line, at.col, std::move(message)});
}

std::string location_string(const SourceLocation& at) {
  return echo(at.file, kMaxEchoPathChars) + ":" + std::to_string(at.line) + ":" + std::to_string(at.col);
}

std::string echo(std::string_view text, size_t max_chars) {
  std::string out;
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++chars) {
    if (chars == max_chars) return out + "\u2026";
    const auto byte = static_cast<uint8_t>(text[i]);
    if (byte >= 0x20 && byte < 0x7F) {
      out += text[i++];
      continue;
    }
    const size_t length = byte >= 0x80 ? utf8_sequence(text, i) : 0;
    const bool c1_control = length == 2 && byte == 0xC2 && static_cast<uint8_t>(text[i + 1]) <= 0x9F;
    if (length == 0 || c1_control) {
      append_escaped(out, byte);
      ++i;
      if (c1_control) append_escaped(out, static_cast<uint8_t>(text[i++]));
      continue;
    }
    out.append(text.substr(i, length));
    i += length;
  }
  return out;
}

}  // namespace neurochip::sim
