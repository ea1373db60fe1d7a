// Positioned configuration diagnostics shared by every reader of user input (YAML loader, CSV
// readers, override parser): where a problem was found (file, 1-based line and column) and what
// was expected. Neutral header: no reader's API is needed to report or catch one.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace neurochip::sim {

/// Where a node, key or cell was written: file (or "--set"), 1-based line and column.
struct SourceLocation {
  std::string file;
  int line = 0;
  int col = 0;
};

/// One problem found in a configuration, with a 1-based source position. For "--set" overrides
/// `file` is "--set", `line` the 1-based index of the override and `col` the column in it.
struct ConfigDiagnostic {
  std::string file;
  int line = 0;
  int col = 0;
  std::string message;
  /// "file:line:col: message" ("file: message" when the problem has no position, line == 0).
  std::string str() const;
};

/// Thrown by the loader with every problem it found; what() lists them one per line.
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::vector<ConfigDiagnostic> d);
  const std::vector<ConfigDiagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<ConfigDiagnostic> diagnostics_;
};

/// Appends an error at `at` to `diags`.
void add_error(std::vector<ConfigDiagnostic>& diags, const SourceLocation& at, std::string message);

/// "file:line:col" of a location, for messages that point at a second place.
std::string location_string(const SourceLocation& at);

}  // namespace neurochip::sim
