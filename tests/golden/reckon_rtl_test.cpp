// Golden tests against ReckOn's RTL (traces/golden/reckon_rtl/PROVENANCE.md): ReckOn's
// cue-accumulation demo in inference on test samples 0-4, with stochastic rounding on (infer_sr1)
// and off (infer_sr0). Both fidelities must reproduce the RTL's spikes (sample, tick, neuron), the
// readouts after PROP on every tick, every tick's cycles per phase and active indices (the sample
// protocol's first and last ticks included), and each sample's win counters and label.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <systemc>

#include "config/config_loader.h"
#include "io/workload_stimulus.h"
#include "reference/functional_model.h"
#include "runner/cycle_runner.h"

namespace neurochip {
namespace {

const std::string kDir = std::string(NEUROCHIP_REPO_ROOT) + "/traces/golden/reckon_rtl/";

/// The rows of a CSV file with a header, as integer cells ("59 91" cells are kept as text).
std::vector<std::vector<std::string>> rows_of(const std::string& path) {
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

Observed expected(const std::string& set) {
  Observed e;
  for (const auto& r : rows_of(kDir + set + "/spikes.csv")) e.spikes.emplace_back(std::stoi(r[0]), std::stoi(r[1]), std::stoi(r[2]));
  for (const auto& r : rows_of(kDir + set + "/readouts.csv")) e.readouts[{std::stoi(r[0]), std::stoi(r[1])}].push_back(std::stoi(r[4]));
  for (const auto& r : rows_of(kDir + set + "/cycles.csv")) {
    std::vector<uint64_t>& c = e.cycles[{std::stoi(r[0]), std::stoi(r[1])}];
    for (size_t i = 2; i < 9; ++i) c.push_back(std::stoull(r[i]));
  }
  for (const auto& r : rows_of(kDir + set + "/samples.csv")) e.samples.push_back(r[2] + " " + r[3]);
  return e;
}

Observed observed(const sim::RunResult& r, uint64_t per_sample) {
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

void expect_same(const Observed& got, Observed want) {
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

struct Case {
  std::string set;
  std::vector<std::string> overrides;
};

TEST(ReckOnRtl, CueInferenceMatchesTheRtlSpikeForSpikeAndCycleForCycle) {
  const std::vector<Case> cases = {{"infer_sr1", {}}, {"infer_sr0", {"chip.cores.0.rounding.mode=floor"}}};
  std::vector<sim::RunConfig> configs;
  std::vector<std::unique_ptr<sim::CycleSimulation>> sims;
  configs.reserve(cases.size());
  for (const Case& c : cases) {
    configs.push_back(
        sim::load_run_config(std::string(NEUROCHIP_REPO_ROOT) + "/configs/examples/reckon_cue_infer.yaml", c.overrides));
    const sim::RunConfig& rc = configs.back();
    ASSERT_TRUE(rc.workload.samples.enabled);
    sim::CycleOptions opts;
    opts.record_readouts = true;
    opts.samples = sim::sample_schedule(rc.workload.samples);
    sims.push_back(std::make_unique<sim::CycleSimulation>("reckon_" + c.set, rc.chip, rc.image,
                                                          sim::stimulus_schedule(rc), rc.workload.timesteps, opts));
  }
  sc_core::sc_start();
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].set);
    const sim::RunConfig& rc = configs[i];
    const uint64_t per = rc.workload.samples.timesteps_per_sample;
    ASSERT_EQ(per, 2250u);
    const Observed want = expected(cases[i].set);
    {
      SCOPED_TRACE("cycle");
      expect_same(observed(sims[i]->result(), per), want);
    }
    {
      SCOPED_TRACE("functional");
      const hw::SampleSchedule schedule = sim::sample_schedule(rc.workload.samples);
      expect_same(observed(sim::run_functional(rc.chip, rc.image, sim::stimulus_schedule(rc), rc.workload.timesteps,
                                               true, {}, schedule),
                           per),
                  want);
    }
  }
}

TEST(ReckOnRtl, StochasticRoundingChangesTheOutcomeAsOnTheRtl) {
  // The two RTL runs differ (20 % of ticks, and sample 3's label: 1 without rounding, 0 with it),
  // so matching both is evidence for the rounding itself, not only for the rest of the datapath.
  const Observed sr0 = expected("infer_sr0"), sr1 = expected("infer_sr1");
  EXPECT_NE(sr0.spikes.size(), sr1.spikes.size());
  ASSERT_EQ(sr0.samples.size(), 5u);
  EXPECT_EQ(sr0.samples[3].substr(0, 1), "1");
  EXPECT_EQ(sr1.samples[3].substr(0, 1), "0");
}

}  // namespace
}  // namespace neurochip
