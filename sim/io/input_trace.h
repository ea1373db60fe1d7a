// Reader of input-trace CSV files: one "timestep,index" event per line (configs/README.md,
// workload.inputs[].trace). Problems are reported as ConfigDiagnostics at file:line:col of the
// offending cell, so the loader can merge them with its own. Also the small CSV line splitter the
// loader uses for synapse files.
#pragma once

#include <cstdint>
#include <fstream>
#include <istream>
#include <string>
#include <vector>

#include "base/diagnostics.h"

namespace neurochip::sim {

/// One input event of a trace: channel `index` of the population fires in `timestep`.
struct TraceEvent {
  uint64_t timestep = 0;
  uint32_t index = 0;
  uint64_t offset_ps = 0;  ///< arrival after the tick of `timestep` (SPEC §5.3)
};

/// Largest arrival offset a trace may give: 1 s.
inline constexpr uint64_t kMaxTraceOffsetPs = 1'000'000'000'000;

struct InputTraceReadResult {
  bool opened = false;                   ///< false: the file could not be read (no other errors)
  std::string problem;                   ///< not opened: why, when it is not a regular file or too large
  std::vector<TraceEvent> events;        ///< in file order (timesteps non-decreasing)
  std::vector<ConfigDiagnostic> errors;  ///< empty when the trace is valid
};

/// Reads a trace for a population of `channels` channels in a run of `timesteps` timesteps. The
/// path must name a regular file of at most kMaxCsvFileBytes (io/input_file.h).
/// Format: an optional header line "timestep,index" (or "timestep,index,offset_ps"), '#' comment
/// lines and blank lines anywhere, every other line "t,i" or "t,i,offset_ps" with t non-decreasing,
/// t < timesteps, 0 <= i < channels and 0 <= offset_ps <= kMaxTraceOffsetPs: the event arrives
/// offset_ps after the tick of timestep t (SPEC §5.3).
InputTraceReadResult read_input_trace(const std::string& path, uint64_t timesteps, uint32_t channels);
/// Same, checking every line without keeping the events (the loader's check of a trace that the
/// run reads again as it goes).
InputTraceReadResult check_input_trace(const std::string& path, uint64_t timesteps, uint32_t channels);

/// The trace format one line at a time (the parser of read_input_trace and TraceStream).
class TraceLineParser {
 public:
  TraceLineParser(std::string name, uint64_t timesteps, uint32_t channels);
  /// Parses the next line: true with `event` set for an event line; false for a blank, comment or
  /// header line, a bad line (its problems are appended to errors()), or after giving up.
  bool parse(const std::string& raw, TraceEvent& event);
  const std::vector<ConfigDiagnostic>& errors() const { return errors_; }
  /// Too many errors: the rest of the file is not checked.
  bool gave_up() const { return gave_up_; }

 private:
  void error(int col, std::string message);
  std::string name_;
  uint64_t timesteps_;
  uint32_t channels_;
  int line_no_ = 0;
  bool seen_data_ = false;
  bool gave_up_ = false;
  uint64_t previous_ = 0;
  std::vector<ConfigDiagnostic> errors_;
};

/// A trace file read event by event while a run goes (the loader validated it before), so that
/// a run never holds its stimulus in memory.
class TraceStream {
 public:
  /// Throws std::runtime_error if the file can no longer be read.
  TraceStream(const std::string& path, uint64_t timesteps, uint32_t channels);
  /// The next event in file order; false at the end. Throws std::runtime_error if a line no
  /// longer parses (the file changed after it was validated).
  bool next(TraceEvent& event);

 private:
  std::ifstream in_;
  TraceLineParser parser_;
};

/// Same from a stream; `name` is the file name used in diagnostics.
InputTraceReadResult parse_input_trace(std::istream& in, const std::string& name, uint64_t timesteps,
                                       uint32_t channels);

/// A CSV cell of decimal digits only (no sign); a value beyond uint64_t saturates to its maximum, so
/// that it fails any range check that follows. False for an empty cell or any other character.
bool parse_decimal(const std::string& s, uint64_t& out);

/// One comma-separated cell, trimmed of blanks, with the 1-based column of its first character.
struct CsvCell {
  std::string text;
  int col = 0;
};

/// Splits a CSV line (no quoting) into trimmed cells.
std::vector<CsvCell> split_csv_line(const std::string& line);

/// True for lines a CSV reader skips: blank, or a comment starting with '#'.
bool is_blank_or_comment(const std::string& line);

}  // namespace neurochip::sim
