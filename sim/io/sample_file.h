// Readers of sample datasets (configs/README.md, workload.samples): a run of samples reads every
// sample's input events and target label from one file, in either of two formats:
//  - csv: `sample,timestep,index` event lines (samples numbered 0, 1, … in order, timesteps
//    non-decreasing within a sample), with the targets in a second file of `sample,label` lines;
//  - reckon: ReckOn's released dataset format — a first line with the number of samples, then
//    `index, time_ms` lines, where index -2 marks the start of supervision and gives the target
//    label as its second field, and index -1 ends the sample, its second field the sample's length.
// Problems are ConfigDiagnostics at file:line:col of the offending cell.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "base/diagnostics.h"

namespace neurochip::sim {

/// One sample: its input events (timestep within the sample, channel), in file order.
struct SampleData {
  std::vector<std::pair<uint64_t, uint32_t>> events;
  int32_t target = -1;                ///< the target label, -1 when the file gives none
  uint64_t length = 0;                ///< reckon format: the -1 marker's time; csv: 0 (not given)
};

struct SampleReadResult {
  bool opened = false;
  std::string problem;                   ///< not opened: why, when it is not a regular file or too large
  std::vector<SampleData> samples;
  std::vector<ConfigDiagnostic> errors;  ///< empty when the file is valid
};

/// Reads a csv-format event file for `channels` channels, samples of `timesteps` timesteps.
SampleReadResult read_sample_csv(const std::string& path, uint32_t channels, uint64_t timesteps);
/// Reads `sample,label` lines into the targets of `samples` (each sample at most once, labels 0..readouts-1).
void read_sample_labels(const std::string& path, uint32_t readouts, SampleReadResult& samples);
/// Reads a dataset in ReckOn's format for `channels` channels.
SampleReadResult read_reckon_dataset(const std::string& path, uint32_t channels);
/// The same two readers on a stream; `name` is the file name used in diagnostics.
SampleReadResult parse_sample_csv(std::istream& in, const std::string& name, uint32_t channels, uint64_t timesteps);
SampleReadResult parse_reckon_dataset(std::istream& in, const std::string& name, uint32_t channels);

}  // namespace neurochip::sim
