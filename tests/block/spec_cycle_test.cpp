// SPEC.md coverage audit, SystemC part: statements of hw_model/SPEC.md about the cycle model that
// no other block test checked (§2.6 order, §2.7 initial state, §4.1 custom profile, §4.2 ReckOn
// figures, §4.3 chip timesteps, §4.4 idle time). Every chip is elaborated by the global environment
// below, which then calls sc_start() once; each test checks its chips' results. Expected values are
// derived by hand in the comments. The pure C++ part is tests/unit/spec_coverage_test.cpp.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "config/config_loader.h"
#include "runner/cycle_runner.h"
#include "support/test_chips.h"

namespace neurochip {
namespace {

using sc_core::SC_NS;
using sc_core::sc_time;
using test::chip_of;
using test::core0_events;
using test::phases;
using test::reckon_core;
using test::set_input;
using test::set_output;
using test::tiny_core;

/// I = 2, R = 1, O = 1: input 0 -> neuron 0 weight 100 (= threshold), neuron 0 -> readout 0 weight 5.
/// W_n = 1, sweep 2, STEP max(2, I = 2, O = 1) + 1 = 3, scan max(2, 1) = 2.
/// Stimulus t0 axon 0, t1 axon 1, t2 axon 0.
///   t0: A = 1 (x_0): PROP 2 + 2 = 4, latency 3 + 3 + 1 + 4 = 11; u_0 = 100.
///   t1: neuron 0 spikes (stamp start + 3 + 0 + 2 - 1 = start + 4), reset to 0. Active: index 0 (z),
///       index 1 (x, input-only as 1 >= R): A = 2, A_s = 1: PROP 2 + 2 * 2 + 1 * 2 = 8, latency 15;
///       v_0 = 5; u_0 = 0 (both weights into neuron 0 of this timestep are 0).
///   t2: u_0 = 0 no spike; A = 1 (x_0): latency 11.
test::TestChip overrun_chip(const std::string& name, uint64_t period) {
  test::TestCore core = tiny_core(2, 1, 1);
  core.learning.force_traces = true;  // input 1 is input-only: its trace update costs 2 cycles (§4.1)
  set_input(core, 0, 0, 100);
  set_output(core, 0, 0, 5);
  test::TestChip chip = chip_of({core}, name);
  chip.timestep.policy = hw::TimestepPolicy::kFixed;
  chip.timestep.cycles_per_timestep = period;
  chip.timestep.on_overrun = hw::OverrunAction::kHalt;
  return chip;
}

/// Elaborates every chip of this file, then runs the one simulation of the process.
class SpecCycleRuns : public ::testing::Environment {
 public:
  void SetUp() override {
    sim::CycleOptions readouts;
    readouts.record_readouts = true;

    // §2.7 / §4.4: I = 2, R = 3, O = 2, ALIF threshold 1000, alpha = rho = kappa = 1.0 (start
    // values would survive), input 0 -> every neuron weight 10; axon 0 fires at t0.
    test::TestCore fresh_core = tiny_core(2, 3, 2);
    fresh_core.neuron = fresh_core.neuron.with_model(hw::neuron_model("alif"));
    fresh_core.neuron.set("threshold", 1000);
    fresh_core.neuron.set("adaptation_rho", 0x8000);
    fresh_core.neuron.set("adaptation_increment", 0);
    for (uint32_t j = 0; j < 3; ++j) set_input(fresh_core, 0, j, 10);
    sim::CycleOptions fresh_opts = readouts;
    fresh_opts.on_timestep = [this](uint64_t) { fresh_stamps.push_back(sc_core::sc_time_stamp()); };
    fresh = test::cycle_simulation("fresh", chip_of({fresh_core}, "fresh"),
                                                   core0_events({{0}, {}}), 2, fresh_opts);

    // §4.4: a one-neuron core ticked every 10^9 cycles.
    test::TestChip idle_chip = chip_of({tiny_core(1, 1, 0)}, "idle");
    idle_chip.timestep.policy = hw::TimestepPolicy::kFixed;
    idle_chip.timestep.cycles_per_timestep = kIdlePeriod;
    sim::CycleOptions idle_opts;
    idle_opts.on_timestep = [this](uint64_t) { idle_stamps.push_back(sc_core::sc_time_stamp()); };
    idle = test::cycle_simulation("idle", idle_chip, hw::InputSchedule{}, 3, idle_opts);

    // §4.3: the overrun chip with a period of 12 (t1 overruns) and 15 (t1 fits exactly).
    const hw::InputSchedule overrun_stimulus = core0_events({{0}, {1}, {0}});
    halting = test::cycle_simulation("halting", overrun_chip("halting", 12), overrun_stimulus, 3,
                                                     readouts);
    exact = test::cycle_simulation("exact", overrun_chip("exact", 15), overrun_stimulus, 3);

    // §5: two cores of different latency, a 333,333 ps clock (about 3 MHz).
    test::TestChip two_chip = chip_of({tiny_core(1, 1, 0, "fast"), tiny_core(1, 5, 0, "slow")}, "two");
    two_chip.clock_period_ps = 333333;
    two = test::cycle_simulation("two", two_chip, hw::InputSchedule{}, 2);

    // §4.2: the ReckOn profile on the worked example and on the cue-accumulation figures.
    reckon256 = test::cycle_simulation(
        "reckon256", chip_of({reckon_core(256, 256, 16)}, "reckon256"), core0_events({{0, 10, 100, 200, 255}}), 1);
    cue = test::cycle_simulation("cue", chip_of({reckon_core(40, 100, 2)}, "cue"),
                                                 core0_events({{0, 1, 39}}), 1);

    // §2.6: core "membrane": I = 4, R = 1, threshold 32767, inputs 0..3 -> neuron 0 with
    // 127, 127, 127, -128 << 7. Core "readout": I = 4, R = 4, O = 1, threshold 1, input i ->
    // neuron i weight 1, neurons 0..3 -> readout 0 with 127, 127, 127, -128 << 7.
    // Both receive their events in descending order 3, 2, 1, 0 at t0.
    test::TestCore membrane = tiny_core(4, 1, 0, "membrane");
    membrane.neuron.set("threshold", 32767);
    membrane.weights.input_shift = 7;
    test::TestCore readout = tiny_core(4, 4, 1, "readout");
    readout.neuron.set("threshold", 1);
    readout.weights.output_shift = 7;
    const int8_t ramp[4] = {127, 127, 127, -128};
    for (uint32_t i = 0; i < 4; ++i) {
      set_input(membrane, i, 0, ramp[i]);
      set_input(readout, i, i, 1);
      set_output(readout, i, 0, ramp[i]);
    }
    hw::InputSchedule descending(1);
    for (uint32_t core = 0; core < 2; ++core)
      for (uint32_t a : {3u, 2u, 1u, 0u}) descending[0].push_back(hw::AerEvent{core, a});
    order = test::cycle_simulation("order", chip_of({membrane, readout}, "order"), descending, 2,
                                                   readouts);

    // §4.1: custom profile with no SYNC and no STEP_DONE cycles. I = 4, R = 2, O = 1, one neuron per
    // word, sync 0, 3 cycles per word, tail 2, step_done 0, scan 2 per index, input-only 5.
    // Input 1 -> neuron 1 weight 100. Axons 1 and 3 fire at t0.
    test::TestCore custom = tiny_core(4, 2, 1);
    custom.memory.neurons_per_word = 1;
    custom.memory.neuron_sram.words = 2;
    custom.timing.tick_sync_cycles = 0;
    custom.timing.neuron_word_cycles = 3;
    custom.timing.step_tail_cycles = 2;
    custom.timing.step_done_cycles = 0;
    custom.timing.scan_cycles_per_index = 2;
    custom.timing.input_only_cycles = 5;
    custom.learning.force_traces = true;  // the input-only cost is the input-trace update (§4.1)
    set_input(custom, 1, 1, 100);
    profile = test::cycle_simulation("profile", chip_of({custom}, "profile"),
                                                     core0_events({{1, 3}}), 2);

    sc_core::sc_start();
    delta_cycles = sc_core::sc_delta_count();
  }

  void TearDown() override {
    for (auto* sim : {&fresh, &idle, &halting, &exact, &two, &reckon256, &cue, &order, &profile}) sim->reset();
  }

  static constexpr uint64_t kIdlePeriod = 1000000000;
  std::unique_ptr<sim::CycleSimulation> fresh, idle, halting, exact, two, reckon256, cue, order, profile;
  std::vector<sc_time> fresh_stamps, idle_stamps;
  uint64_t delta_cycles = 0;
};

SpecCycleRuns* const runs = static_cast<SpecCycleRuns*>(::testing::AddGlobalTestEnvironment(new SpecCycleRuns));


// §2.6: "For every active index i in ascending order" — "the ascending order is part of the
// contract", for membranes and readouts alike, whatever order the events arrived in.
TEST(Spec2_6, CycleModelAccumulatesInAscendingIndexOrder) {
  const sim::RunResult r = runs->order->result();
  // Core "membrane", t0 PROP: 16256, 32512, sat16(48768) = 32767, 32767 - 16384 = 16383
  //   (arrival order would end at 32384); t1: 16383 < 32767, no leak: 16383.
  EXPECT_EQ(r.final_state[0].field("u"), (std::vector<int32_t>{16383}));
  // Core "readout": t0 u = (1, 1, 1, 1); t1 all four spike and PROP z_0..z_3 adds
  //   16256, 32512, 32767 (saturated), 16383.
  EXPECT_EQ(r.readout_trace, (std::vector<std::vector<int32_t>>{{0}, {16383}}));
  EXPECT_EQ(r.timesteps[3].spikes, 4u);
}

// §2.7: "At the start of a run every u, ref, a, v and every event bit is 0."
TEST(Spec2_7, CycleModelStartsFromZeroState) {
  const sim::RunResult r = runs->fresh->result();
  // t0: theta 1000 + 0 > u = 0; only x_0 is active (A = 1); ref 0 lets every neuron integrate
  //   u = 0 + 10. t1: no event, so no x bit (A = 0). a and v keep their start value 0.
  EXPECT_TRUE(r.spikes.empty());
  ASSERT_EQ(r.timesteps.size(), 2u);
  EXPECT_EQ(r.timesteps[0].active_indices, 1u);
  EXPECT_EQ(r.timesteps[0].input_events, 1u);
  EXPECT_EQ(r.timesteps[1].active_indices, 0u);
  EXPECT_EQ(r.timesteps[1].input_events, 0u);
  EXPECT_EQ(r.final_state[0].field("u"), (std::vector<int32_t>{10, 10, 10}));
  EXPECT_EQ(r.final_state[0].field("ref"), (std::vector<int32_t>{0, 0, 0}));
  EXPECT_EQ(r.final_state[0].field("a"), (std::vector<int32_t>{0, 0, 0}));
  EXPECT_EQ(r.readout_trace, (std::vector<std::vector<int32_t>>{{0, 0}, {0, 0}}));
}

// §4.1: "Each phase starts the cycle after the previous one ends" (with 0-cycle SYNC and STEP_DONE),
// the STEP, PROP and spike-cycle formulas on a profile other than the defaults, with an input-only
// index.
TEST(Spec4_1, CycleModelCustomProfileWithoutSyncCycles) {
  const sim::RunResult r = runs->profile->result();
  // W_n = 2, sweep 2 * 3 = 6; STEP max(6, I = 4, O = 1) + 2 = 8; scan N = max(4, 2) = 4 -> 8 cycles.
  // t0: index 1 (< R) and index 3 (>= R, input-only): A = 2, A_s = 1: PROP 8 + 2 * 6 + 5 = 25;
  //     total 0 + 8 + 0 + 25 = 33; u_1 = 100.
  // t1 (start 33): neuron 1 spikes in word 1, in cycle 33 + 0 + 1 * 3 + 3 - 1 = 38; A = 1:
  //     PROP 8 + 6 = 14; total 22; end 55.
  ASSERT_EQ(r.timesteps.size(), 2u);
  EXPECT_EQ(r.timesteps[0].cycles, phases(0, 8, 0, 25));
  EXPECT_EQ(r.timesteps[1].start_cycle, 33u);
  EXPECT_EQ(r.timesteps[1].cycles, phases(0, 8, 0, 14));
  ASSERT_EQ(r.spikes.size(), 1u);
  EXPECT_EQ(r.spikes[0].neuron, 1u);
  EXPECT_EQ(r.spikes[0].cycle, 38u);
  EXPECT_EQ(r.total_cycles, 55u);
}

// §4.2: "Example: 256 inputs, 256 neurons, 16 readouts and 5 active indices of which none
// input-only → 3 + 256 + 1 + (256 + 5·256) = 1796 cycles." (profile of configs/chips/reckon.yaml)
TEST(Spec4_2, CycleModelWorkedExample) {
  const sim::RunResult r = runs->reckon256->result();
  EXPECT_EQ(r.timesteps[0].cycles, phases(3, 256, 1, 256 + 5 * 256));
  EXPECT_EQ(r.total_cycles, 1796u);
}

// §4.2: "The measured cue-accumulation figures (R = 100, I = 40, O = 2: STEP 100, scan 100, 100 per
// active index) follow."
TEST(Spec4_2, CycleModelCueAccumulationFigures) {
  const sim::RunResult r = runs->cue->result();
  // W_n = 50, sweep 100; STEP max(100, 40, 2) + 0 = 100; 3 active indices: PROP 100 + 3 * 100.
  EXPECT_EQ(r.timesteps[0].cycles, phases(3, 100, 1, 400));
  EXPECT_EQ(r.total_cycles, 504u);
}

// §4.3: "on_overrun: halt stops the run with a timing error (exit 3); the overrunning timestep's
// work is finished and kept (it counts as completed), the run ends when it ends, and overruns
// stays 0."
TEST(Spec4_3, CycleModelHaltKeepsTheOverrunningTimestep) {
  const sim::RunResult r = runs->halting->result();
  // Period 12: t0 (11) fits; t1 starts at 12 and needs 15 > 12: halt after t1, end 12 + 15 = 27.
  EXPECT_TRUE(r.halted);
  EXPECT_EQ(r.overruns, 0u);
  EXPECT_EQ(r.timesteps_completed, 2u);
  ASSERT_EQ(r.timesteps.size(), 2u);
  EXPECT_EQ(r.timesteps[1].start_cycle, 12u);
  EXPECT_EQ(r.timesteps[1].cycles, phases(3, 3, 1, 8));
  EXPECT_EQ(r.total_cycles, 27u);
  // t1's spike (cycle 12 + 4 = 16) and readout (v = 5) are kept; t2's event is never delivered.
  ASSERT_EQ(r.spikes.size(), 1u);
  EXPECT_EQ(r.spikes[0].timestep, 1u);
  EXPECT_EQ(r.spikes[0].cycle, 16u);
  EXPECT_EQ(r.readout_trace, (std::vector<std::vector<int32_t>>{{0}, {5}}));
  EXPECT_EQ(r.counters[0].input_events, 2u);
}

// §4.3: "fixed: timestep t+1 starts cycles_per_timestep cycles after timestep t started" and "A
// latency equal to cycles_per_timestep is not an overrun."
TEST(Spec4_3, CycleModelLatencyEqualToPeriodIsNoOverrun) {
  const sim::RunResult r = runs->exact->result();
  // Period 15: latencies 11, 15, 11; starts 0, 15, 30; the run ends where t3 would start, 45.
  EXPECT_FALSE(r.halted);
  EXPECT_EQ(r.overruns, 0u);
  EXPECT_EQ(r.timesteps_completed, 3u);
  ASSERT_EQ(r.timesteps.size(), 3u);
  EXPECT_EQ(r.timesteps[1].cycles.total(), 15u);
  EXPECT_EQ(r.timesteps[1].start_cycle, 15u);
  EXPECT_EQ(r.timesteps[2].start_cycle, 30u);
  ASSERT_EQ(r.spikes.size(), 1u);
  EXPECT_EQ(r.spikes[0].cycle, 19u);  // 15 + 4
  EXPECT_EQ(r.total_cycles, 45u);
}

// §5.2: "All cores of a chip start a timestep together", "free_running: the next tick is at the
// first chip clock edge at or after the end of the slowest core's work", "The first timestep
// starts at time 0." §5.1: "time in ns is cycles · period_ps / 1000".
TEST(Spec5_2, CycleModelCoresStartTogetherAndTimeIsInNanoseconds) {
  const sim::RunResult r = runs->two->result();
  // Core "fast": W_n 1, STEP max(2, 1, 0) + 1 = 3, PROP 1: latency 8.
  // Core "slow": W_n 3, STEP max(6, 1, 0) + 1 = 7, PROP 5: latency 16.
  // Both start t0 at 0 and t1 at 16; end 32.
  ASSERT_EQ(r.timesteps.size(), 4u);  // timestep-major, then core
  EXPECT_EQ(r.timesteps[0].start_cycle, 0u);
  EXPECT_EQ(r.timesteps[1].start_cycle, 0u);
  EXPECT_EQ(r.timesteps[0].cycles.total(), 8u);
  EXPECT_EQ(r.timesteps[1].cycles.total(), 16u);
  EXPECT_EQ(r.timesteps[2].start_cycle, 16u);
  EXPECT_EQ(r.timesteps[3].start_cycle, 16u);
  EXPECT_EQ(r.total_cycles, 32u);
  // 32 cycles of 333,333 ps: 10,666,656 ps.
  bool found = false;
  for (const hw::StatView& s : runs->two->stats().collect()) {
    if (s.name != "stats.chip.time_ns") continue;
    found = true;
    ASSERT_EQ(s.values.size(), 1u);
    EXPECT_DOUBLE_EQ(s.values[0].second, 10666.656);
  }
  EXPECT_TRUE(found);
}

// §4.4: "Cycles between a core's end of timestep and the next tick do no work and are not simulated
// cycle by cycle; the model advances time by the exact counts above." §4.3: "The first timestep
// starts at cycle 0."
TEST(Spec4_4, CycleModelAdvancesTimeByExactCounts) {
  // Chip "fresh" at 100 MHz (10 ns per cycle): W_n 2, STEP max(4, 2, 2) + 1 = 5, scan 3.
  //   t0: A = 1: PROP 3 + 4 = 7, latency 16 -> ends at 0 + 16 cycles = 160 ns.
  //   t1: A = 0: PROP 3, latency 12 -> ends at 16 + 12 = 28 cycles = 280 ns.
  EXPECT_EQ(runs->fresh_stamps, (std::vector<sc_time>{sc_time(160, SC_NS), sc_time(280, SC_NS)}));
  // Chip "idle": latency 3 + (max(2, 1, 0) + 1) + 1 + 1 = 8 cycles, ticks every 10^9 cycles:
  //   timesteps end at 8, 10^9 + 8 and 2 * 10^9 + 8 cycles; the run spans 3 * 10^9 cycles.
  EXPECT_EQ(runs->idle_stamps, (std::vector<sc_time>{sc_time(80, SC_NS), sc_time(10000000080.0, SC_NS),
                                                     sc_time(20000000080.0, SC_NS)}));
  EXPECT_EQ(runs->idle->result().total_cycles, 3 * SpecCycleRuns::kIdlePeriod);
  // The idle gaps alone are ~3 * 10^9 cycles; simulating them one by one would take at least one
  // delta cycle each. The whole process (every chip of this file, a few dozen timesteps) needs a
  // few hundred.
  EXPECT_LT(runs->delta_cycles, 10000u);
}

}  // namespace
}  // namespace neurochip
