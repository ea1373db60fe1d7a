// Positioned configuration diagnostics (see diagnostics.h).
#include "base/diagnostics.h"

namespace neurochip::sim {

std::string ConfigDiagnostic::str() const {
  if (line == 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ":" + std::to_string(col) + ": " + message;
}

namespace {

std::string join_diagnostics(const std::vector<ConfigDiagnostic>& d) {
  std::string s;
  for (size_t i = 0; i < d.size(); ++i) s += (i ? "\n" : "") + d[i].str();
  return s;
}

}  // namespace

ConfigError::ConfigError(std::vector<ConfigDiagnostic> d)
    : std::runtime_error(join_diagnostics(d)), diagnostics_(std::move(d)) {}

void add_error(std::vector<ConfigDiagnostic>& diags, const SourceLocation& at, std::string message) {
  diags.push_back(ConfigDiagnostic{at.file, at.line, at.col, std::move(message)});
}

std::string location_string(const SourceLocation& at) {
  return at.file + ":" + std::to_string(at.line) + ":" + std::to_string(at.col);
}

}  // namespace neurochip::sim
