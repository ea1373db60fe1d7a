// Skipping idle cycles is exact (SPEC.md §4.1, §4.4): NeuroCore, which advances SystemC time by
// whole phases, and a naive model that walks the same schedule one sc_clock cycle at a time
// (tests/support/clocked_core.h) agree on every phase's cycle count, every timestep's start cycle
// and every spike's emission cycle, on hundreds of random single-core chips.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "reference/functional_model.h"
#include "runner/cycle_runner.h"
#include "support/clocked_core.h"
#include "support/random_chip.h"

namespace neurochip {
namespace {

constexpr uint64_t kCases = 300;

/// A random single-core, free-running case with at least one neuron (so no timestep is empty).
test::RandomCase single_core_case(uint64_t seed) {
  test::RandomCase rc = test::make_random_case(seed);
  rc.chip.cores.resize(1);
  rc.chip.image.cores.resize(1);
  rc.chip.timestep = hw::TimestepConfig{};
  rc.chip.clock_period_ps = 10000;  // the clocked walk's sc_clock below
  hw::CoreShape& en = rc.chip.cores[0].enabled;
  hw::CoreImage& im = rc.chip.image.cores[0];
  if (en.neurons == 0) {
    en.neurons = 1;
    im.input_weights.assign(en.inputs, 1);
    im.recurrent_weights.assign(1, 0);
    im.output_weights.assign(en.readouts, 1);
  }
  for (auto& events : rc.stimulus)
    events.erase(std::remove_if(events.begin(), events.end(), [](const hw::AerEvent& e) { return e.core != 0; }),
                 events.end());
  return rc;
}

TEST(IdleSkip, SkipAheadCoreIsCycleIdenticalToAClockedWalk) {
  std::vector<test::RandomCase> cases;
  std::vector<std::unique_ptr<sim::CycleSimulation>> fast;
  std::vector<std::unique_ptr<test::ClockedCore>> clocked;
  sc_core::sc_clock clock("clock", 10, sc_core::SC_NS);
  uint64_t longest = 0;
  for (uint64_t seed = 1; seed <= kCases; ++seed) {
    cases.push_back(single_core_case(seed));
    const test::RandomCase& rc = cases.back();
    // The run length in cycles bounds the clocked simulation (the functional model has the same
    // total as the cycle model: see the equivalence test).
    longest = std::max(longest, test::run_functional(rc.chip, rc.stimulus, rc.timesteps, false).total_cycles);
    fast.push_back(test::cycle_simulation("fast" + std::to_string(seed), rc.chip, rc.stimulus,
                                                          rc.timesteps));
    clocked.push_back(std::make_unique<test::ClockedCore>(("clocked" + std::to_string(seed)).c_str(),
                                                          rc.chip.cores[0], rc.chip.image.cores[0], rc.stimulus,
                                                          rc.timesteps));
    clocked.back()->clk_i(clock);
  }
  // Posedges at 0, 10, ... ns: cycle k is the posedge at 10k ns; run past the last cycle.
  sc_core::sc_start(sc_core::sc_time(10.0 * (longest + 2), sc_core::SC_NS));

  uint64_t spikes = 0, cycles = 0;
  for (uint64_t i = 0; i < kCases; ++i) {
    SCOPED_TRACE("random case seed " + std::to_string(i + 1));
    const sim::RunResult r = fast[i]->result();
    const test::ClockedCore& walk = *clocked[i];
    ASSERT_EQ(walk.reports.size(), r.timesteps.size());
    for (size_t t = 0; t < r.timesteps.size(); ++t) {
      EXPECT_EQ(walk.reports[t].start_cycle, r.timesteps[t].start_cycle) << "timestep " << t;
      EXPECT_TRUE(walk.reports[t].cycles == r.timesteps[t].cycles) << "timestep " << t;
      EXPECT_EQ(walk.reports[t].active_indices, r.timesteps[t].active_indices) << "timestep " << t;
    }
    ASSERT_EQ(walk.spikes.size(), r.spikes.size());
    for (size_t s = 0; s < r.spikes.size(); ++s) {
      EXPECT_EQ(walk.spikes[s].timestep, r.spikes[s].timestep) << "spike " << s;
      EXPECT_EQ(walk.spikes[s].cycle, r.spikes[s].cycle) << "spike " << s;
      EXPECT_EQ(walk.spikes[s].neuron, r.spikes[s].neuron) << "spike " << s;
    }
    spikes += r.spikes.size();
    cycles += r.total_cycles;
  }
  // The clocked walk really ticked through every cycle of every run.
  EXPECT_GT(spikes, 1000u);
  EXPECT_GT(cycles, 100000u);
}

}  // namespace
}  // namespace neurochip
