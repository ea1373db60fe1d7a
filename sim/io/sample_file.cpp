// Sample dataset readers (see sample_file.h).
#include "io/sample_file.h"

#include <algorithm>
#include <fstream>

#include "io/input_file.h"
#include "io/input_trace.h"

namespace neurochip::sim {
namespace {

constexpr size_t kMaxErrorsPerFile = 20;

/// An optionally signed decimal integer in [lo, hi] (the digits through parse_decimal).
bool parse_int(const std::string& s, int64_t lo, int64_t hi, int64_t& out) {
  const bool negative = !s.empty() && s[0] == '-';
  uint64_t magnitude = 0;
  if (!parse_decimal(negative ? s.substr(1) : s, magnitude)) return false;
  const uint64_t bound = negative ? static_cast<uint64_t>(-(lo < 0 ? lo : 0)) : static_cast<uint64_t>(hi < 0 ? 0 : hi);
  if (magnitude > bound) return false;
  const int64_t v = negative ? -static_cast<int64_t>(magnitude) : static_cast<int64_t>(magnitude);
  if (v < lo || v > hi) return false;
  out = v;
  return true;
}

class Reader {
 public:
  Reader(const std::string& path, SampleReadResult& r) : path_(path), r_(r) {}
  bool open(std::ifstream& in) {
    const InputFileCheck check = check_input_file(path_, kMaxCsvFileBytes, "a CSV file");
    r_.problem = check.problem;
    if (check.result != InputFileCheck::Result::kOk) return false;
    in.open(path_);
    r_.opened = static_cast<bool>(in);
    return r_.opened;
  }
  bool next(std::istream& in, std::vector<CsvCell>& cells) {
    std::string line;
    while (!gave_up() && std::getline(in, line)) {
      ++line_;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (is_blank_or_comment(line)) continue;
      cells = split_csv_line(line);
      return true;
    }
    return false;
  }
  void error(int col, const std::string& message) {
    if (gave_up()) return;
    r_.errors.push_back({path_, line_, col, message});
    if (gave_up()) r_.errors.push_back({path_, line_, 1, "too many errors; the rest of the file is not checked"});
  }
  bool gave_up() const { return r_.errors.size() >= kMaxErrorsPerFile; }
  int line() const { return line_; }

 private:
  std::string path_;
  SampleReadResult& r_;
  int line_ = 0;
};

bool is_header(const std::vector<CsvCell>& cells, const char* first) {
  return !cells.empty() && cells[0].text == first;
}

}  // namespace

SampleReadResult read_sample_csv(const std::string& path, uint32_t channels, uint64_t timesteps) {
  SampleReadResult r;
  Reader rd(path, r);
  std::ifstream in;
  if (!rd.open(in)) return r;
  return parse_sample_csv(in, path, channels, timesteps);
}

SampleReadResult parse_sample_csv(std::istream& in, const std::string& path, uint32_t channels, uint64_t timesteps) {
  SampleReadResult r;
  r.opened = true;
  Reader rd(path, r);
  std::vector<CsvCell> cells;
  bool first = true;
  uint64_t previous_t = 0;
  while (rd.next(in, cells)) {
    if (first && is_header(cells, "sample")) {
      first = false;
      continue;
    }
    first = false;
    if (cells.size() != 3) {
      rd.error(1, "expected 'sample,timestep,index', got " + std::to_string(cells.size()) + " cells");
      continue;
    }
    int64_t s = 0, t = 0, i = 0;
    const int64_t next_sample = static_cast<int64_t>(r.samples.size());
    const int64_t last_sample = next_sample - 1;
    if (!parse_int(cells[0].text, std::max<int64_t>(0, last_sample), next_sample, s)) {
      rd.error(cells[0].col, "expected the sample " + (last_sample < 0 ? std::string("0") :
                             std::to_string(last_sample) + " or " + std::to_string(next_sample)) +
                             " (samples are numbered 0, 1, … in file order), got '" + echo(cells[0].text) + "'");
      continue;
    }
    if (!parse_int(cells[1].text, 0, static_cast<int64_t>(timesteps) - 1, t)) {
      rd.error(cells[1].col, "expected a timestep in 0.." + std::to_string(timesteps - 1) +
                                 " (samples.timesteps is " + std::to_string(timesteps) + "), got '" +
                                 echo(cells[1].text) + "'");
      continue;
    }
    if (!parse_int(cells[2].text, 0, static_cast<int64_t>(channels) - 1, i)) {
      rd.error(cells[2].col, "expected an input channel in 0.." + std::to_string(channels - 1) + ", got '" +
                                 echo(cells[2].text) + "'");
      continue;
    }
    if (s == next_sample) {
      r.samples.emplace_back();
      previous_t = 0;
    }
    if (static_cast<uint64_t>(t) < previous_t) {
      rd.error(cells[1].col, "timesteps must not decrease within a sample (" + std::to_string(t) + " after " +
                                 std::to_string(previous_t) + ")");
      continue;
    }
    previous_t = static_cast<uint64_t>(t);
    r.samples.back().events.emplace_back(static_cast<uint64_t>(t), static_cast<uint32_t>(i));
  }
  if (r.samples.empty() && r.errors.empty()) r.errors.push_back({path, std::max(1, rd.line()), 1, "no sample events in the file"});
  return r;
}

void read_sample_labels(const std::string& path, uint32_t readouts, SampleReadResult& samples) {
  SampleReadResult r;
  Reader rd(path, r);
  std::ifstream in;
  if (!rd.open(in)) {
    samples.errors.push_back({path, 0, 0, r.problem.empty() ? "cannot read the labels file" : r.problem});
    return;
  }
  std::vector<CsvCell> cells;
  bool first = true;
  std::vector<bool> seen(samples.samples.size(), false);
  while (rd.next(in, cells)) {
    if (first && is_header(cells, "sample")) {
      first = false;
      continue;
    }
    first = false;
    if (cells.size() != 2) {
      rd.error(1, "expected 'sample,label', got " + std::to_string(cells.size()) + " cells");
      continue;
    }
    int64_t s = 0, label = 0;
    if (!parse_int(cells[0].text, 0, static_cast<int64_t>(samples.samples.size()) - 1, s)) {
      rd.error(cells[0].col, "expected a sample in 0.." + std::to_string(samples.samples.size() - 1) + ", got '" +
                                 echo(cells[0].text) + "'");
      continue;
    }
    if (!parse_int(cells[1].text, 0, static_cast<int64_t>(readouts) - 1, label)) {
      rd.error(cells[1].col, "expected a label in 0.." + std::to_string(static_cast<int64_t>(readouts) - 1) +
                                 " (one per readout), got '" + echo(cells[1].text) + "'");
      continue;
    }
    if (seen[static_cast<size_t>(s)]) {
      rd.error(cells[0].col, "sample " + std::to_string(s) + " is labelled twice");
      continue;
    }
    seen[static_cast<size_t>(s)] = true;
    samples.samples[static_cast<size_t>(s)].target = static_cast<int32_t>(label);
  }
  samples.errors.insert(samples.errors.end(), r.errors.begin(), r.errors.end());
}

SampleReadResult read_reckon_dataset(const std::string& path, uint32_t channels) {
  SampleReadResult r;
  Reader rd(path, r);
  std::ifstream in;
  if (!rd.open(in)) return r;
  return parse_reckon_dataset(in, path, channels);
}

SampleReadResult parse_reckon_dataset(std::istream& in, const std::string& path, uint32_t channels) {
  SampleReadResult r;
  r.opened = true;
  Reader rd(path, r);
  std::vector<CsvCell> cells;
  int64_t declared = -1;
  bool open_sample = false;
  uint64_t previous_t = 0;
  while (rd.next(in, cells)) {
    if (declared < 0) {
      if (cells.size() != 1 || !parse_int(cells[0].text, 1, 1'000'000, declared)) {
        rd.error(1, "expected the number of samples (1..1000000) on the first line");
        return r;
      }
      continue;
    }
    if (cells.size() != 2) {
      rd.error(1, "expected 'index, time_ms', got " + std::to_string(cells.size()) + " cells");
      continue;
    }
    int64_t index = 0, time = 0;
    if (!parse_int(cells[0].text, -2, static_cast<int64_t>(channels) - 1, index)) {
      rd.error(cells[0].col, "expected an input channel in 0.." + std::to_string(channels - 1) +
                                 ", -2 (supervision and label) or -1 (end of sample), got '" + echo(cells[0].text) + "'");
      continue;
    }
    if (!parse_int(cells[1].text, 0, 10'000'000, time)) {
      rd.error(cells[1].col, "expected a time in 0..10000000 ms, got '" + echo(cells[1].text) + "'");
      continue;
    }
    if (!open_sample) {
      if (static_cast<int64_t>(r.samples.size()) == declared) {
        rd.error(1, "more samples than the " + std::to_string(declared) + " the first line declares");
        return r;
      }
      r.samples.emplace_back();
      open_sample = true;
      previous_t = 0;
    }
    SampleData& s = r.samples.back();
    if (index == -2) {
      if (time > 15) {
        rd.error(cells[1].col, "expected a label in 0..15 after index -2, got '" + echo(cells[1].text) + "'");
        continue;
      }
      s.target = static_cast<int32_t>(time);
      continue;
    }
    if (static_cast<uint64_t>(time) < previous_t) {
      rd.error(cells[1].col, "times must not decrease within a sample (" + std::to_string(time) + " after " +
                                 std::to_string(previous_t) + ")");
      continue;
    }
    if (index == -1) {
      if (time < 2) {
        rd.error(cells[1].col, "a sample must last at least 2 timesteps, got " + std::to_string(time));
        continue;
      }
      if (!s.events.empty() && s.events.back().first >= static_cast<uint64_t>(time)) {
        rd.error(cells[1].col, "the sample ends at " + std::to_string(time) + " but has an event at time " +
                                   std::to_string(s.events.back().first));
        continue;
      }
      s.length = static_cast<uint64_t>(time);
      open_sample = false;
      continue;
    }
    previous_t = static_cast<uint64_t>(time);
    s.events.emplace_back(static_cast<uint64_t>(time), static_cast<uint32_t>(index));
  }
  if (open_sample && !rd.gave_up()) r.errors.push_back({path, rd.line(), 1, "the last sample has no end marker (-1, length)"});
  if (declared >= 0 && static_cast<int64_t>(r.samples.size()) < declared && r.errors.empty())
    r.errors.push_back({path, rd.line(), 1, "the first line declares " + std::to_string(declared) +
                                                " samples, the file has " + std::to_string(r.samples.size())});
  return r;
}

}  // namespace neurochip::sim
