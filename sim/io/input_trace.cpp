// Input-trace CSV reader ("timestep,index" lines) with cell-precise diagnostics.
#include "io/input_trace.h"

#include <fstream>
#include <stdexcept>
#include <limits>

#include "io/input_file.h"

namespace neurochip::sim {

namespace {

/// A reader gives up on a file after this many errors: the rest is most likely noise.
constexpr size_t kMaxErrorsPerFile = 20;


std::string strip_cr(std::string line) {
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

bool parse_decimal(const std::string& s, uint64_t& out) {
  if (s.empty()) return false;
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    const auto digit = static_cast<uint64_t>(c - '0');
    v = v > (kMax - digit) / 10 ? kMax : v * 10 + digit;
  }
  out = v;
  return true;
}

std::vector<CsvCell> split_csv_line(const std::string& line) {
  std::vector<CsvCell> cells;
  size_t start = 0;
  while (true) {
    const size_t comma = line.find(',', start);
    const size_t end = comma == std::string::npos ? line.size() : comma;
    size_t b = start;
    size_t e = end;
    while (b < e && (line[b] == ' ' || line[b] == '\t')) ++b;
    while (e > b && (line[e - 1] == ' ' || line[e - 1] == '\t')) --e;
    cells.push_back(CsvCell{line.substr(b, e - b), static_cast<int>((b < end ? b : start)) + 1});
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return cells;
}

bool is_blank_or_comment(const std::string& line) {
  for (char c : line) {
    if (c == '#') return true;
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

TraceLineParser::TraceLineParser(std::string name, uint64_t timesteps, uint32_t channels)
    : name_(std::move(name)), timesteps_(timesteps), channels_(channels) {}

void TraceLineParser::error(int col, std::string message) {
  errors_.push_back(ConfigDiagnostic{name_, line_no_, col, std::move(message)});
}

bool TraceLineParser::parse(const std::string& raw, TraceEvent& event) {
  ++line_no_;
  if (gave_up_) return false;
  if (errors_.size() >= kMaxErrorsPerFile) {
    error(1, "too many errors, the rest of the file is not checked");
    gave_up_ = true;
    return false;
  }
  const std::string line = strip_cr(raw);
  if (is_blank_or_comment(line)) return false;
  const std::vector<CsvCell> cells = split_csv_line(line);
  const bool first_data = !seen_data_;
  seen_data_ = true;
  const bool header = cells.size() >= 2 && cells.size() <= 3 && cells[0].text == "timestep" &&
                      cells[1].text == "index" && (cells.size() == 2 || cells[2].text == "offset_ps");
  if (first_data && header) return false;
  if (cells.size() != 2 && cells.size() != 3) {
    error(1, "expected 2 or 3 comma-separated values 'timestep,index[,offset_ps]', got " + std::to_string(cells.size()));
    return false;
  }
  uint64_t t = 0;
  uint64_t i = 0;
  bool ok = true;
  if (!parse_decimal(cells[0].text, t)) {
    error(cells[0].col, "expected a non-negative integer timestep, got '" + echo(cells[0].text) + "'");
    ok = false;
  } else if (t >= timesteps_) {
    error(cells[0].col, "expected a timestep in 0.." + std::to_string(timesteps_ - 1) + " (workload.timesteps is " +
                            std::to_string(timesteps_) + "), got '" + echo(cells[0].text) + "'");
    ok = false;
  } else if (t < previous_) {
    error(cells[0].col, "timestep " + std::to_string(t) + " is smaller than the previous timestep " +
                            std::to_string(previous_) + " (timesteps must be non-decreasing)");
    ok = false;
  }
  if (!parse_decimal(cells[1].text, i)) {
    error(cells[1].col, "expected a non-negative integer index, got '" + echo(cells[1].text) + "'");
    ok = false;
  } else if (i >= channels_) {
    error(cells[1].col, "expected an index in 0.." + std::to_string(channels_ - 1) + " (population size " +
                            std::to_string(channels_) + "), got '" + echo(cells[1].text) + "'");
    ok = false;
  }
  uint64_t offset = 0;
  if (cells.size() == 3) {
    if (!parse_decimal(cells[2].text, offset) || offset > kMaxTraceOffsetPs) {
      error(cells[2].col, "expected an arrival offset in 0.." + std::to_string(kMaxTraceOffsetPs) + " ps, got '" +
                              echo(cells[2].text) + "'");
      ok = false;
    }
  }
  if (!ok) return false;
  previous_ = t;
  event = TraceEvent{t, static_cast<uint32_t>(i), offset};
  return true;
}

InputTraceReadResult parse_input_trace(std::istream& in, const std::string& name, uint64_t timesteps,
                                       uint32_t channels) {
  InputTraceReadResult result;
  result.opened = true;
  TraceLineParser parser(name, timesteps, channels);
  std::string raw;
  TraceEvent event;
  while (!parser.gave_up() && std::getline(in, raw)) {
    if (parser.parse(raw, event)) result.events.push_back(event);
  }
  result.errors = parser.errors();
  return result;
}

TraceStream::TraceStream(const std::string& path, uint64_t timesteps, uint32_t channels)
    : in_(path), parser_(path, timesteps, channels) {
  if (check_input_file(path, kMaxCsvFileBytes, "a CSV file").result != InputFileCheck::Result::kOk || !in_)
    throw std::runtime_error("cannot read the trace file " + path + " (it was readable when the run was loaded)");
}

bool TraceStream::next(TraceEvent& event) {
  std::string raw;
  while (std::getline(in_, raw)) {
    if (parser_.parse(raw, event)) return true;
    if (!parser_.errors().empty())
      throw std::runtime_error(parser_.errors().front().str() + " (the trace file changed after the run was loaded)");
  }
  if (in_.bad()) throw std::runtime_error("error while reading the trace file");
  return false;
}

namespace {

InputTraceReadResult read_trace(const std::string& path, uint64_t timesteps, uint32_t channels, bool keep_events) {
  const InputFileCheck check = check_input_file(path, kMaxCsvFileBytes, "a CSV file");
  InputTraceReadResult result;
  result.problem = check.problem;
  if (check.result != InputFileCheck::Result::kOk) return result;
  std::ifstream in(path);
  if (!in) return result;
  result.opened = true;
  TraceLineParser parser(path, timesteps, channels);
  std::string raw;
  TraceEvent event;
  while (!parser.gave_up() && std::getline(in, raw)) {
    if (parser.parse(raw, event) && keep_events) result.events.push_back(event);
  }
  result.errors = parser.errors();
  return result;
}

}  // namespace

InputTraceReadResult read_input_trace(const std::string& path, uint64_t timesteps, uint32_t channels) {
  return read_trace(path, timesteps, channels, true);
}

InputTraceReadResult check_input_trace(const std::string& path, uint64_t timesteps, uint32_t channels) {
  return read_trace(path, timesteps, channels, false);
}

}  // namespace neurochip::sim
