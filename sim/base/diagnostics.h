// Positioned configuration diagnostics shared by every reader of user input (YAML loader, CSV
// readers, override parser): where a problem was found (file, 1-based line and column) and what
// was expected. Neutral header: no reader's API is needed to report or catch one.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
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

/// A ConfigError keeps (and reports) this many diagnostics, the first ones it is given; the rest
/// are only counted.
constexpr size_t kMaxReportedDiagnostics = 100;

/// Thrown by the loader with every problem it found, in document order. It keeps the first
/// kMaxReportedDiagnostics of them; what() lists those one per line, then omitted_note().
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::vector<ConfigDiagnostic> d);
  /// The reported diagnostics: the first kMaxReportedDiagnostics problems.
  const std::vector<ConfigDiagnostic>& diagnostics() const { return diagnostics_; }
  /// How many problems were found, reported or not.
  size_t total() const { return total_; }
  /// "… and N more errors not shown" when problems were left out, else "".
  std::string omitted_note() const;

 private:
  std::vector<ConfigDiagnostic> diagnostics_;
  size_t total_ = 0;
};

/// Appends an error at `at` to `diags`.
void add_error(std::vector<ConfigDiagnostic>& diags, const SourceLocation& at, std::string message);

/// "file:line:col" of a location, for messages that point at a second place.
std::string location_string(const SourceLocation& at);

/// Longest echo of a value, key or cell in a message, in characters.
constexpr size_t kMaxEchoChars = 60;
/// Longest echo of a file path (PATH_MAX): a real path is never cut.
constexpr size_t kMaxEchoPathChars = 4096;

/// User text as it is quoted in a message: bytes below 0x20, 0x7F, the C1 controls (U+0080 to
/// U+009F) and bytes that are not part of valid UTF-8 are written as \xNN (one character each);
/// text longer than `max_chars` characters is cut to its first `max_chars` followed by "…".
std::string echo(std::string_view text, size_t max_chars = kMaxEchoChars);

}  // namespace neurochip::sim
