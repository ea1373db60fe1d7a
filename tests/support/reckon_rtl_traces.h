// Readers of the ReckOn RTL reference slices (traces/golden/reckon_rtl/PROVENANCE.md) and the
// comparison of a run with them, shared by the ReckOn golden tests (one SystemC elaboration each).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "base/run_result.h"
#include "core/core_image.h"
#include "core/phase_table.h"

namespace neurochip::test {

inline const std::string kDir = std::string(NEUROCHIP_REPO_ROOT) + "/traces/golden/reckon_rtl/";

/// The rows of a CSV file with a header, as integer cells ("59 91" cells are kept as text).
inline std::vector<std::vector<std::string>> rows_of(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

/// What the comparison looks at, keyed by (sample, tick).
struct Observed {
  std::vector<std::tuple<int, int, int>> spikes;                 // sample, tick, neuron
  std::map<std::pair<int, int>, std::vector<int>> readouts;      // after PROP, per output
  std::map<std::pair<int, int>, std::vector<uint64_t>> cycles;   // sync, step, sdone, prop, send, total, active
  std::vector<std::string> samples;                              // "label votes"
};

inline Observed expected(const std::string& set) {
  Observed e;
  for (const auto& r : rows_of(kDir + set + "/spikes.csv")) e.spikes.emplace_back(std::stoi(r[0]), std::stoi(r[1]), std::stoi(r[2]));
  for (const auto& r : rows_of(kDir + set + "/readouts.csv")) e.readouts[{std::stoi(r[0]), std::stoi(r[1])}].push_back(std::stoi(r[4]));
  for (const auto& r : rows_of(kDir + set + "/cycles.csv")) {
    std::vector<uint64_t>& c = e.cycles[{std::stoi(r[0]), std::stoi(r[1])}];
    for (size_t i = 2; i < 9; ++i) c.push_back(std::stoull(r[i]));
  }
  for (const auto& r : rows_of(kDir + set + "/samples.csv")) e.samples.push_back(r[2] + " " + r[3]);
  // A cycles row per tick: sync, step, sdone, prop, send, total, active; EPROP is total minus the rest.
  return e;
}

inline Observed observed(const sim::RunResult& r, uint64_t per_sample) {
  Observed o;
  for (const hw::EmittedSpike& s : r.spikes)
    o.spikes.emplace_back(static_cast<int>(s.timestep / per_sample), static_cast<int>(s.timestep % per_sample),
                          static_cast<int>(s.neuron));
  for (size_t t = 0; t < r.readout_trace.size(); ++t)
    o.readouts[{static_cast<int>(t / per_sample), static_cast<int>(t % per_sample)}] = r.readout_trace[t];
  for (const sim::CoreTimestepRecord& rec : r.timesteps) {
    o.cycles[{static_cast<int>(rec.timestep / per_sample), static_cast<int>(rec.timestep % per_sample)}] = {
        rec.cycles[hw::kPhaseSync], rec.cycles[hw::kPhaseStep], rec.cycles[hw::kPhaseStepDone],
        rec.cycles[hw::kPhaseProp], rec.cycles[hw::kPhaseSend], rec.cycles.total(), rec.active_indices};
    if (rec.label >= 0) {
      std::string votes;
      for (size_t k = 0; k < rec.votes.size(); ++k) votes += (k ? " " : "") + std::to_string(rec.votes[k]);
      o.samples.push_back(std::to_string(rec.label) + " " + votes);
    }
  }
  std::sort(o.spikes.begin(), o.spikes.end());
  return o;
}

inline void expect_same(const Observed& got, Observed want) {
  std::sort(want.spikes.begin(), want.spikes.end());
  EXPECT_EQ(got.spikes.size(), want.spikes.size());
  EXPECT_TRUE(got.spikes == want.spikes) << "spikes differ";
  ASSERT_EQ(got.readouts.size(), want.readouts.size());
  for (const auto& [key, values] : want.readouts)
    ASSERT_EQ(got.readouts.at(key), values) << "readouts of sample " << key.first << " tick " << key.second;
  ASSERT_EQ(got.cycles.size(), want.cycles.size());
  for (const auto& [key, values] : want.cycles)
    ASSERT_EQ(got.cycles.at(key), values) << "cycles of sample " << key.first << " tick " << key.second;
  EXPECT_EQ(got.samples, want.samples);
}

/// The weights after sample `sample`, from the initial weights and the changed entries.
inline hw::CoreImage weights_after(int sample, uint32_t inputs, uint32_t neurons, uint32_t readouts) {
  hw::CoreImage im;
  im.input_weights.assign(size_t{inputs} * neurons, 0);
  im.recurrent_weights.assign(size_t{neurons} * neurons, 0);
  im.output_weights.assign(size_t{neurons} * readouts, 0);
  const auto matrix = [&im](const std::string& m) -> std::vector<int8_t>& {
    return m == "inp" ? im.input_weights : (m == "rec" ? im.recurrent_weights : im.output_weights);
  };
  const auto cols = [&](const std::string& m) { return m == "out" ? readouts : neurons; };
  for (const char* m : {"inp", "rec", "out"})
    for (const auto& r : rows_of(kDir + "initial_weights_" + m + ".csv"))
      matrix(m)[size_t(std::stoi(r[0])) * cols(m) + size_t(std::stoi(r[1]))] = static_cast<int8_t>(std::stoi(r[2]));
  for (const auto& r : rows_of(kDir + "train_sr1/weights_changed.csv"))
    if (std::stoi(r[0]) == sample)
      matrix(r[1])[size_t(std::stoi(r[2])) * cols(r[1]) + size_t(std::stoi(r[3]))] = static_cast<int8_t>(std::stoi(r[4]));
  return im;
}

}  // namespace neurochip::test
