// The run comparer (sim/check/compare.h) on in-memory results: identical runs give no divergence,
// and a single planted bit flip in a spike's neuron, a spike's cycle stamp, a readout value, a
// record field, the final state, a counter or a run total is found at its exact place with both
// values; the earliest timestep wins across files.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "check/compare.h"
#include "config/config_loader.h"
#include "io/workload_stimulus.h"
#include "reference/functional_model.h"

namespace neurochip::sim {
namespace {

/// 200 timesteps of ReckOn: hundreds of spikes, 16 readouts per timestep.
const RunResult& reckon() {
  static const RunResult r = [] {
    const RunConfig rc = load_run_config(std::string(NEUROCHIP_REPO_ROOT) + "/configs/chips/reckon.yaml",
                                         {"workload.timesteps=200"});
    return run_functional(rc.chip, rc.image, stimulus_schedule(rc), rc.workload.timesteps, true);
  }();
  return r;
}

TEST(Compare, IdenticalRunsHaveNoDivergence) {
  const RunResult a = reckon(), b = reckon();
  ASSERT_GT(a.spikes.size(), 500u);
  const std::optional<Divergence> d = first_divergence(a, b);
  EXPECT_FALSE(d.has_value()) << d->str();
}

TEST(Compare, FlippedNeuronBitOfOneSpikeIsFoundAtItsPlace) {
  RunResult b = reckon();
  const size_t k = b.spikes.size() / 2;
  const hw::EmittedSpike s = b.spikes[k];
  b.spikes[k].neuron ^= 1u;
  const std::optional<Divergence> d = first_divergence(reckon(), b);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->file, "spikes.csv");
  EXPECT_EQ(d->row, k + 1);
  EXPECT_EQ(d->timestep, s.timestep);
  EXPECT_EQ(d->cycle, s.cycle);
  EXPECT_EQ(d->core, s.core);
  EXPECT_EQ(d->field, "neuron");
  EXPECT_EQ(d->a, std::to_string(s.neuron));
  EXPECT_EQ(d->b, std::to_string(s.neuron ^ 1u));
  EXPECT_NE(d->str().find("timestep " + std::to_string(s.timestep)), std::string::npos) << d->str();
}

TEST(Compare, FlippedCycleBitOfOneSpikeIsFoundAtItsPlace) {
  RunResult b = reckon();
  const size_t k = b.spikes.size() / 3;
  const hw::EmittedSpike s = b.spikes[k];
  b.spikes[k].cycle ^= 4u;
  const std::optional<Divergence> d = first_divergence(reckon(), b);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->file, "spikes.csv");
  EXPECT_EQ(d->row, k + 1);
  EXPECT_EQ(d->timestep, s.timestep);
  EXPECT_EQ(d->core, s.core);
  EXPECT_EQ(d->index, s.neuron);
  EXPECT_EQ(d->field, "cycle");
  EXPECT_EQ(d->a, std::to_string(s.cycle));
  EXPECT_EQ(d->b, std::to_string(s.cycle ^ 4u));
}

TEST(Compare, FlippedBitOfOneReadoutValueIsFoundAtItsPlace) {
  RunResult b = reckon();
  ASSERT_EQ(b.readout_trace.size(), 200u);
  ASSERT_EQ(b.readout_trace[150].size(), 16u);
  b.readout_trace[150][11] ^= 1 << 9;
  const std::optional<Divergence> d = first_divergence(reckon(), b);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->file, "readouts.csv");
  EXPECT_EQ(d->row, 150u * 16 + 11 + 1);
  EXPECT_EQ(d->timestep, 150u);
  EXPECT_EQ(d->core, 0u);
  EXPECT_EQ(d->index_name, "readout");
  EXPECT_EQ(d->index, 11u);
  EXPECT_EQ(d->field, "value");
  EXPECT_EQ(d->a, std::to_string(reckon().readout_trace[150][11]));
  EXPECT_EQ(d->b, std::to_string(b.readout_trace[150][11]));
}

TEST(Compare, FlippedBitOfARecordFieldIsFoundByColumnName) {
  RunResult b = reckon();
  b.timesteps[17].cycles[hw::kPhaseProp] ^= 2u;
  const std::optional<Divergence> d = first_divergence(reckon(), b);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->file, "timesteps.csv");
  EXPECT_EQ(d->timestep, 17u);
  EXPECT_EQ(d->cycle, reckon().timesteps[17].start_cycle);
  EXPECT_EQ(d->field, "prop_cycles");
}

TEST(Compare, EarliestTimestepWinsAcrossFiles) {
  RunResult b = reckon();
  b.spikes.back().neuron ^= 1u;  // late
  b.readout_trace[3][0] ^= 1;    // early
  const std::optional<Divergence> d = first_divergence(reckon(), b);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->file, "readouts.csv");
  EXPECT_EQ(d->timestep, 3u);
}

TEST(Compare, MissingSpikeIsPlacedAtTheEarlierRow) {
  RunResult b = reckon();
  const size_t k = 10;
  const hw::EmittedSpike s = b.spikes[k];
  b.spikes.erase(b.spikes.begin() + static_cast<long>(k));
  const std::optional<Divergence> d = first_divergence(reckon(), b);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->file, "spikes.csv");
  EXPECT_EQ(d->row, k + 1);
  EXPECT_EQ(d->timestep, s.timestep);
  EXPECT_EQ(d->cycle, s.cycle);
}

TEST(Compare, FinalStateCountersAndTotalsAreCompared) {
  {
    RunResult b = reckon();
    b.final_state[0].fields[0][7] ^= 1;
    const std::optional<Divergence> d = first_divergence(reckon(), b);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->file, "final_state");
    EXPECT_EQ(d->field, "u");
    EXPECT_EQ(d->index, 7u);
  }
  {
    RunResult b = reckon();
    b.final_state[0].readout[1] ^= 1;
    const std::optional<Divergence> d = first_divergence(reckon(), b);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->field, "v");
    EXPECT_EQ(d->index, 1u);
  }
  {
    RunResult b = reckon();
    b.counters[0].recurrent_sram_reads ^= 1;
    const std::optional<Divergence> d = first_divergence(reckon(), b);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->file, "counters");
    EXPECT_EQ(d->field, "recurrent_sram_reads");
    EXPECT_EQ(d->core, 0u);
  }
  for (auto plant : {+[](RunResult& r) { r.total_cycles ^= 1; }, +[](RunResult& r) { r.overruns ^= 1; },
                     +[](RunResult& r) { r.halted = !r.halted; }, +[](RunResult& r) { r.timesteps_completed ^= 1; },
                     +[](RunResult& r) { r.unmapped_stimulus_packets ^= 1; }}) {
    RunResult b = reckon();
    plant(b);
    const std::optional<Divergence> d = first_divergence(reckon(), b);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->file, "run");
  }
}

}  // namespace
}  // namespace neurochip::sim
