// Unit tests of the functional reference model (sim/reference/functional_model.cpp) on tiny chips
// built directly as structs. They check SPEC.md §2.4 (STEP), §2.5 (readouts), §2.6 (PROP), §3.3
// (access counters), §4.1-§4.2 (phase cycles, spike stamps), §4.3 (timestep policies) and §7.7 (a
// network only under the free-running policy). Every
// expected value is derived by hand in the comment next to it.
#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "reference/functional_model.h"
#include "support/test_chips.h"

namespace neurochip::sim {
namespace {

using test::chip_of;
using test::core0_events;
using test::phases;
using test::set_input;
using test::set_output;
using test::set_recurrent;
using test::spike_times;
using test::tiny_core;

TEST(FunctionalModel, SpikeTestUsesPreLeakPotential) {
  test::TestCore core = tiny_core(1, 1, 0);
  core.neuron.set("alpha", 0x4000);  // 0.5
  core.neuron.set("reset", hw::lif::kResetSubtract);
  set_input(core, 0, 0, 100);
  // t0: STEP u=0 no spike; PROP x_0: u = 100.
  // t1: STEP 100 >= 100 spikes (the leaked value 50 would not); leak 50; subtract 50-100 = -50.
  const RunResult r = test::run_functional(chip_of({core}), core0_events({{0}}), 2, false);
  EXPECT_EQ(spike_times(r, 0, 0), (std::vector<uint64_t>{1}));
  EXPECT_EQ(r.final_state[0].field("u"), (std::vector<int32_t>{-50}));
  EXPECT_EQ(r.final_state[0].field_names, (std::vector<std::string>{"u", "ref"}));  // LIF keeps no adaptation
  EXPECT_TRUE(r.final_state[0].readout.empty());
}

TEST(FunctionalModel, ANetworkRunsOnlyUnderTheFreeRunningPolicy) {
  test::TestChip chip = chip_of({tiny_core(1, 1, 0)});
  chip.noc.enabled = true;
  EXPECT_EQ(test::run_functional(chip, core0_events({{0}}), 2, false).timesteps_completed, 2u);
  chip.timestep.policy = hw::TimestepPolicy::kFixed;
  chip.timestep.cycles_per_timestep = 100;
  try {
    test::run_functional(chip, core0_events({{0}}), 2, false);
    ADD_FAILURE() << "the fixed policy with a network must be refused";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("free-running timestep policy"), std::string::npos) << e.what();
  }
}

TEST(FunctionalModel, ResetSubtractStartsFromLeakedValue) {
  test::TestCore core = tiny_core(1, 1, 0);
  core.neuron.set("alpha", 0x4000);
  core.neuron.set("reset", hw::lif::kResetSubtract);
  core.weights.input_shift = 1;
  set_input(core, 0, 0, 75);  // 75 << 1 = 150
  // t0: PROP u = 150.
  // t1: 150 >= 100 spike; leak 75; 75 - 100 = -25 (subtracting before the leak would give 25).
  // t2: -25 < 100; leak floor(-12.5) = -13.
  const RunResult r = test::run_functional(chip_of({core}), core0_events({{0}}), 3, false);
  EXPECT_EQ(spike_times(r, 0, 0), (std::vector<uint64_t>{1}));
  EXPECT_EQ(r.final_state[0].field("u"), (std::vector<int32_t>{-13}));
}

TEST(FunctionalModel, ResetZeroClearsMembrane) {
  test::TestCore core = tiny_core(1, 1, 0);
  core.neuron.set("alpha", 0x4000);
  core.neuron.set("reset", hw::lif::kResetZero);
  core.weights.input_shift = 1;
  set_input(core, 0, 0, 75);
  // As above up to the spike at t1, then u = 0; t2: leak(0) = 0.
  const RunResult r = test::run_functional(chip_of({core}), core0_events({{0}}), 3, false);
  EXPECT_EQ(spike_times(r, 0, 0), (std::vector<uint64_t>{1}));
  EXPECT_EQ(r.final_state[0].field("u"), (std::vector<int32_t>{0}));
}

TEST(FunctionalModel, ResetSubtractAtTheRangeEdge) {
  // Lowest value a subtract reset can produce with a legal threshold: u' = 0, threshold 32767.
  test::TestCore core = tiny_core(3, 1, 0);
  core.neuron.set("threshold", 32767);
  core.neuron.set("alpha", 0);  // leak clears u completely
  core.neuron.set("reset", hw::lif::kResetSubtract);
  core.weights.input_shift = 7;
  for (uint32_t i = 0; i < 3; ++i) set_input(core, i, 0, 127);  // 127 << 7 = 16256 each
  // t0: PROP 16256, 32512, sat16(48768) = 32767.
  // t1: 32767 >= 32767 spikes; leak with alpha 0 -> 0; 0 - 32767 = -32767
  //     (subtracting from the pre-leak value would give 0).
  const RunResult r = test::run_functional(chip_of({core}), core0_events({{0, 1, 2}}), 2, false);
  EXPECT_EQ(spike_times(r, 0, 0), (std::vector<uint64_t>{1}));
  EXPECT_EQ(r.final_state[0].field("u"), (std::vector<int32_t>{-32767}));
}

TEST(FunctionalModel, RefractoryBlocksIntegrationAndSpiking) {
  test::TestCore core = tiny_core(1, 1, 0);
  core.neuron.set("reset", hw::lif::kResetSubtract);
  core.neuron.set("refractory_steps", 2);
  core.weights.input_shift = 1;
  set_input(core, 0, 0, 125);  // 250 per event; an event in every timestep
  // State after timestep t (no leak, threshold 100):
  // t0: STEP ref 0, u 0 no spike.              PROP ref 0: u = 250.           (250, 0)
  // t1: STEP 250 >= 100 spike, u 150, ref 2.   PROP blocked (ref 2).          (150, 2)
  // t2: STEP ref 2 -> 1, no spike though 150.  PROP blocked (ref 1).          (150, 1)
  // t3: STEP ref 1 -> 0, no spike though 150.  PROP ref 0: u = 400.           (400, 0)
  // t4: STEP spike, u 300, ref 2.              PROP blocked.                  (300, 2)
  // t5: STEP ref 2 -> 1, no spike.             PROP blocked.                  (300, 1)
  // Spike at t1 blocks integration in t1..t2 and spiking in t2..t3 (SPEC §2.4, n = 2).
  const std::vector<int32_t> u = {250, 150, 150, 400, 300, 300};
  const std::vector<int32_t> ref = {0, 2, 1, 0, 2, 1};
  const hw::InputSchedule stim = core0_events({{0}, {0}, {0}, {0}, {0}, {0}});
  for (uint64_t t = 0; t < u.size(); ++t) {
    const RunResult r = test::run_functional(chip_of({core}), stim, t + 1, false);
    EXPECT_EQ(r.final_state[0].field("u")[0], u[t]) << "after timestep " << t;
    EXPECT_EQ(r.final_state[0].field("ref")[0], ref[t]) << "after timestep " << t;
  }
  const RunResult r = test::run_functional(chip_of({core}), stim, 6, false);
  EXPECT_EQ(spike_times(r, 0, 0), (std::vector<uint64_t>{1, 4}));
}

TEST(FunctionalModel, AlifThresholdAdaptsAndDecays) {
  test::TestCore core = tiny_core(1, 1, 0);
  core.neuron = core.neuron.with_model(hw::neuron_model("alif"));
  core.neuron.set("adaptation_rho", 0x4000);  // 0.5
  core.neuron.set("adaptation_increment", 200);
  core.weights.input_shift = 1;
  set_input(core, 0, 0, 75);  // 150 per event; an event in every timestep; reset zero
  // theta = 100 + a (stored a); a' = floor(a/2) (+200 on a spike). State after timestep t:
  // t0: theta 100, u 0 no.            a 0.             PROP u 150.   (150, 0)
  // t1: theta 100, 150 spike, u 0.    a 0 + 200 = 200. PROP u 150.   (150, 200)
  // t2: theta 300, 150 no.            a 100.           PROP u 300.   (300, 100)
  // t3: theta 200, 300 spike, u 0.    a 50 + 200.      PROP u 150.   (150, 250)
  // t4: theta 350, 150 no.            a 125.           PROP u 300.   (300, 125)
  // t5: theta 225, 300 spike, u 0.    a 62 + 200.      PROP u 150.   (150, 262)
  // (A LIF neuron would spike in every timestep from t1 on.)
  const std::vector<int32_t> u = {150, 150, 300, 150, 300, 150};
  const std::vector<int32_t> a = {0, 200, 100, 250, 125, 262};
  const hw::InputSchedule stim = core0_events({{0}, {0}, {0}, {0}, {0}, {0}});
  for (uint64_t t = 0; t < u.size(); ++t) {
    const RunResult r = test::run_functional(chip_of({core}), stim, t + 1, false);
    EXPECT_EQ(r.final_state[0].field("u")[0], u[t]) << "after timestep " << t;
    EXPECT_EQ(r.final_state[0].field("a")[0], a[t]) << "after timestep " << t;
  }
  const RunResult r = test::run_functional(chip_of({core}), stim, 6, false);
  EXPECT_EQ(spike_times(r, 0, 0), (std::vector<uint64_t>{1, 3, 5}));
}

TEST(FunctionalModel, AlifSubtractResetUsesBaseThreshold) {
  test::TestCore core = tiny_core(1, 1, 0);
  core.neuron = core.neuron.with_model(hw::neuron_model("alif"));
  core.neuron.set("reset", hw::lif::kResetSubtract);
  core.neuron.set("adaptation_rho", 0x4000);
  core.neuron.set("adaptation_increment", 200);
  core.weights.input_shift = 1;
  set_input(core, 0, 0, 75);  // 150 per event, every timestep
  // t0: theta 100, 0 no.                            a 0.          PROP u 150.
  // t1: theta 100, 150 spike, u 150-100 = 50.       a 200.        PROP u 200.
  // t2: theta 300, 200 no.                          a 100.        PROP u 350.
  // t3: theta 200, 350 spike, u 350-100 = 250.      a 50+200=250. PROP u 400.
  // t4: theta 350, 400 spike, u 300.                a 125+200=325.PROP u 450.
  // t5: theta 425, 450 spike, u 350.                a 162+200=362.PROP u 500.
  // (Subtracting the effective threshold would leave u = 150 after t3.)
  const RunResult r =
      test::run_functional(chip_of({core}), core0_events({{0}, {0}, {0}, {0}, {0}, {0}}), 6, false);
  EXPECT_EQ(spike_times(r, 0, 0), (std::vector<uint64_t>{1, 3, 4, 5}));
  EXPECT_EQ(r.final_state[0].field("u"), (std::vector<int32_t>{500}));
  EXPECT_EQ(r.final_state[0].field("a"), (std::vector<int32_t>{362}));
}

TEST(FunctionalModel, AlifThresholdSaturatesAt16Bits) {
  test::TestCore core = tiny_core(1, 1, 0);
  core.neuron = core.neuron.with_model(hw::neuron_model("alif"));
  core.neuron.set("threshold", 32000);
  core.neuron.set("adaptation_rho", 0x8000);  // no decay
  core.neuron.set("adaptation_increment", 65535);
  core.weights.input_shift = 7;
  set_input(core, 0, 0, 127);  // 16256 per event, every timestep; reset zero
  // t0: u 0 no.                                      PROP 16256.
  // t1: 16256 < 32000.                               PROP 32512.
  // t2: 32512 >= 32000 spike, u 0, a = 65535.        PROP 16256.
  // t3: theta = sat16(32000 + 65535) = 32767; no.    PROP 32512.
  // t4: no.                                          PROP sat16(48768) = 32767.
  // t5: 32767 >= 32767 spike, u 0, a = min(131070, 65535) = 65535. PROP 16256.
  // (Without the saturation of theta the neuron could never spike again after t2.)
  const RunResult r =
      test::run_functional(chip_of({core}), core0_events({{0}, {0}, {0}, {0}, {0}, {0}}), 6, false);
  EXPECT_EQ(spike_times(r, 0, 0), (std::vector<uint64_t>{2, 5}));
  EXPECT_EQ(r.final_state[0].field("u"), (std::vector<int32_t>{16256}));
  EXPECT_EQ(r.final_state[0].field("a"), (std::vector<int32_t>{65535}));
}

TEST(FunctionalModel, ReadoutsIntegrateOutputWeightsAndLeak) {
  test::TestCore core = tiny_core(1, 1, 2);
  core.readout.kappa = 0x40;  // 0.5
  core.weights.output_shift = 2;
  set_input(core, 0, 0, 100);
  set_output(core, 0, 0, 50);   // 50 << 2 = 200
  set_output(core, 0, 1, -20);  // -20 << 2 = -80
  // t0: input only, readouts untouched: (0, 0).
  // t1: neuron 0 spikes; STEP leaks (0, 0); PROP adds: (200, -80).
  // t2..t6 leak only: (100, -40), (50, -20), (25, -10), (12, -5), (6, -3)
  //   (12.5 -> 12, -2.5 -> -3: floor).
  const hw::InputSchedule stim = core0_events({{0}});
  const RunResult r = test::run_functional(chip_of({core}), stim, 7, true);
  const std::vector<std::vector<int32_t>> expected = {{0, 0},     {200, -80}, {100, -40}, {50, -20},
                                                      {25, -10},  {12, -5},   {6, -3}};
  EXPECT_EQ(r.readout_trace, expected);
  EXPECT_EQ(r.final_state[0].readout, (std::vector<int32_t>{6, -3}));
  EXPECT_TRUE(test::run_functional(chip_of({core}), stim, 7, false).readout_trace.empty());
}

TEST(FunctionalModel, ReadoutsSaturate) {
  test::TestCore core = tiny_core(1, 1, 2);
  core.weights.output_shift = 7;
  set_input(core, 0, 0, 100);    // spikes in t1, t2, t3 (u = 100 each PROP, reset zero)
  set_output(core, 0, 0, 127);   // +16256 per spike
  set_output(core, 0, 1, -128);  // -16384 per spike
  // t0: (0, 0); t1: (16256, -16384); t2: (32512, -32768); t3: (sat 48768 = 32767, -32768).
  const RunResult r =
      test::run_functional(chip_of({core}), core0_events({{0}, {0}, {0}, {0}}), 4, true);
  const std::vector<std::vector<int32_t>> expected = {
      {0, 0}, {16256, -16384}, {32512, -32768}, {32767, -32768}};
  EXPECT_EQ(r.readout_trace, expected);
}

TEST(FunctionalModel, InputAndRecurrentContributionsAreSummedBeforeAdding) {
  test::TestCore core = tiny_core(4, 3, 0);
  core.neuron.set("threshold", 32767);
  core.weights.input_shift = 7;
  core.weights.recurrent_shift = 7;
  // Index 0 carries both an input event and neuron 0's spike in timestep 1.
  set_input(core, 0, 1, 127);       // +16256 to neuron 1
  set_input(core, 0, 2, -128);      // -16384 to neuron 2
  set_recurrent(core, 0, 1, -128);  // -16384 to neuron 1
  set_recurrent(core, 0, 2, 127);   // +16256 to neuron 2
  for (uint32_t j = 0; j < 3; ++j) {
    set_input(core, 1, j, 127);
    set_input(core, 2, j, 127);
  }
  set_input(core, 3, 0, 127);
  // t0 (events 1, 2, 3): index 1 -> (16256, 16256, 16256); index 2 -> (32512, 32512, 32512);
  //   index 3 -> (sat16(48768) = 32767, 32512, 32512).
  // t1 (event 0): STEP: neuron 0 spikes (32767 >= 32767), reset to 0; 32512 < 32767 for 1 and 2.
  //   PROP index 0: c = (0, 16256 - 16384, -16384 + 16256) = (0, -128, -128)
  //   -> u = (0, 32384, 32384).
  //   Input first would give u1 = sat16(32512 + 16256) - 16384 = 16383; recurrent first would
  //   give u2 = 16383.
  const RunResult r = test::run_functional(chip_of({core}), core0_events({{1, 2, 3}, {0}}), 2, false);
  EXPECT_EQ(r.final_state[0].field("u"), (std::vector<int32_t>{0, 32384, 32384}));
  ASSERT_EQ(r.spikes.size(), 1u);
  EXPECT_EQ(r.spikes[0].timestep, 1u);
  EXPECT_EQ(r.spikes[0].neuron, 0u);
}

TEST(FunctionalModel, RecurrentSpikesArriveOneTimestepLater) {
  test::TestCore core = tiny_core(1, 2, 0);
  set_input(core, 0, 0, 100);
  set_recurrent(core, 0, 1, 100);
  // t0: input event; PROP u0 = 100, but no spike in t0 (the input only affects STEP of t1).
  // t1: neuron 0 spikes; PROP z_0 delivers 100 to neuron 1.
  // t2: neuron 1 spikes.
  const hw::InputSchedule stim = core0_events({{0}});
  const RunResult r1 = test::run_functional(chip_of({core}), stim, 1, false);
  EXPECT_TRUE(r1.spikes.empty());
  EXPECT_EQ(r1.final_state[0].field("u"), (std::vector<int32_t>{100, 0}));
  const RunResult r2 = test::run_functional(chip_of({core}), stim, 2, false);
  EXPECT_EQ(r2.final_state[0].field("u"), (std::vector<int32_t>{0, 100}));
  const RunResult r3 = test::run_functional(chip_of({core}), stim, 3, false);
  EXPECT_EQ(spike_times(r3, 0, 0), (std::vector<uint64_t>{1}));
  EXPECT_EQ(spike_times(r3, 0, 1), (std::vector<uint64_t>{2}));
}

TEST(FunctionalModel, PhaseCyclesOfTinyReckOnCore) {
  const test::TestCore core = tiny_core(3, 5, 2);
  // W_n = ceil(5/2) = 3, c = 2, N = max(3, 5) = 5.
  // SYNC 3; STEP max(3*2, 3, 2) + 1 = 7; STEP_DONE 1.
  // t0: events 0, 0 (repeat merges), 2: A = 2, A_s = 0: PROP 5*1 + 2*3*2 = 17; total 28.
  // t1: no events: PROP 5; total 3 + 7 + 1 + 5 = 16. Starts 0 and 28, end 44.
  const RunResult r = test::run_functional(chip_of({core}), core0_events({{0, 0, 2}}), 2, false);
  ASSERT_EQ(r.timesteps.size(), 2u);
  EXPECT_EQ(r.timesteps[0].cycles, phases(3, 7, 1, 17));
  EXPECT_EQ(r.timesteps[0].cycles.total(), 28u);
  EXPECT_EQ(r.timesteps[0].start_cycle, 0u);
  EXPECT_EQ(r.timesteps[0].active_indices, 2u);
  EXPECT_EQ(r.timesteps[0].input_events, 2u);
  EXPECT_EQ(r.timesteps[0].spikes, 0u);
  EXPECT_EQ(r.timesteps[1].cycles, phases(3, 7, 1, 5));
  EXPECT_EQ(r.timesteps[1].start_cycle, 28u);
  EXPECT_EQ(r.timesteps[1].timestep, 1u);
  EXPECT_EQ(r.total_cycles, 44u);
  EXPECT_EQ(r.timesteps_completed, 2u);
}

TEST(FunctionalModel, PhaseCyclesWithInputOnlyIndices) {
  test::TestCore core = tiny_core(7, 5, 2);
  // W_n = 3, N = max(7, 5) = 7. STEP max(6, 7, 2) + 1 = 8 (the input walk dominates).
  // Events 1 and 6: A = 2, A_s = 1 (6 >= R = 5). With input traces running (forced), the
  // input-only index costs its trace update: PROP 7 + 2*6 + 1*2 = 21; total 3 + 8 + 1 + 21 = 33.
  core.learning.force_traces = true;
  const RunResult r = test::run_functional(chip_of({core}), core0_events({{1, 6}}), 1, false);
  EXPECT_EQ(r.timesteps[0].cycles, phases(3, 8, 1, 21));
  EXPECT_EQ(r.total_cycles, 33u);
  // Without traces there is nothing to update: PROP 7 + 2*6 = 19; total 31 (SPEC §4.1, §4.2).
  core.learning.force_traces = false;
  const RunResult plain = test::run_functional(chip_of({core}), core0_events({{1, 6}}), 1, false);
  EXPECT_EQ(plain.timesteps[0].cycles, phases(3, 8, 1, 19));
  EXPECT_EQ(plain.total_cycles, 31u);
}

TEST(FunctionalModel, StepCounterLeavesTheLastHalfWordUnwritten) {
  // SPEC §4.1, step_length: counter (ReckOn). R = 3 neurons, P = 2, c = 2, I = O = 1: the counter runs
  // max(3, 1, 1) = 3 cycles, so word 0 (cycles 0-1) is written and word 1 (write cycle 3) is not:
  // neuron 2 integrates but never leaks, spikes or resets. Threshold 100, alpha 0x4000 (0.5).
  test::TestCore core = tiny_core(1, 3, 1);
  core.timing.step_length = hw::StepLength::kCounter;
  core.neuron.set("alpha", 0x4000);
  set_input(core, 0, 0, 120);
  set_input(core, 0, 2, 120);
  // t0: input -> u0 = u2 = 120. t1 STEP: neuron 0 spikes (120 >= 100) and resets to 0; neuron 2
  // is not stepped: it keeps 120 and does not spike. STEP 3 + 1 (tail) = 4 cycles; the words sweep
  // would take 4 + 1 = 5.
  const RunResult r = test::run_functional(chip_of({core}), core0_events({{0}, {}}), 2, false);
  ASSERT_EQ(r.spikes.size(), 1u);
  EXPECT_EQ(r.spikes[0].neuron, 0u);
  EXPECT_EQ(r.final_state[0].field("u"), (std::vector<int32_t>{0, 0, 120}));
  EXPECT_EQ(r.timesteps[1].cycles[hw::kPhaseStep], 4u);
  core.timing.step_length = hw::StepLength::kWords;
  const RunResult w = test::run_functional(chip_of({core}), core0_events({{0}, {}}), 2, false);
  ASSERT_EQ(w.spikes.size(), 2u);  // with the full sweep neuron 2 spikes too
  EXPECT_EQ(w.timesteps[1].cycles[hw::kPhaseStep], 5u);
}

TEST(FunctionalModel, MembraneNoiseAddsEachLaneOfTheWordsDraw) {
  // SPEC §2.6: R = 2 neurons in one word; one input event with weight 0 makes PROP write the word
  // once. From seed 0x00FF0 ReckOn's noise LFSR gives 0x513B6C70 first: lane 0 = 0x6C70 = 27760,
  // lane 1 = 0x513B = 20795; shifted right by 4: u = (1735, 1299). The next draw, 0xB7CC84D4, is
  // negative in lane 1 (0xB7CC = -18484 -> -1156) and gives 0x84D4 = -31532 -> -1971 in lane 0.
  test::TestCore core = tiny_core(1, 2, 0);
  core.neuron.set("threshold", 30000);
  core.noise.enabled = true;
  core.noise.shift = 4;
  core.noise.seed = 0x00FF0;
  const RunResult one = test::run_functional(chip_of({core}), core0_events({{0}}), 1, false);
  EXPECT_EQ(one.final_state[0].field("u"), (std::vector<int32_t>{1735, 1299}));
  const RunResult two = test::run_functional(chip_of({core}), core0_events({{0}, {0}}), 2, false);
  EXPECT_EQ(two.final_state[0].field("u"), (std::vector<int32_t>{1735 - 1971, 1299 - 1156}));
}

TEST(FunctionalModel, PhaseCyclesReadoutsDominateStep) {
  const test::TestCore core = tiny_core(3, 5, 9);
  // STEP max(3*2, 3, 9) + 1 = 10; idle PROP 5; total 3 + 10 + 1 + 5 = 19.
  const RunResult r = test::run_functional(chip_of({core}), {}, 1, false);
  EXPECT_EQ(r.timesteps[0].cycles, phases(3, 10, 1, 5));
}

TEST(FunctionalModel, PhaseCyclesAndSpikeStampsOfCustomProfile) {
  test::TestCore core = tiny_core(3, 5, 2);
  core.memory.neurons_per_word = 1;
  core.timing.tick_sync_cycles = 1;
  core.timing.neuron_word_cycles = 3;
  core.timing.step_tail_cycles = 0;
  core.timing.step_done_cycles = 0;
  core.timing.scan_cycles_per_index = 2;
  core.timing.input_only_cycles = 4;
  core.learning.force_traces = true;
  set_input(core, 0, 3, 100);
  // W_n = 5, sweep 15, N = 5. SYNC 1; STEP max(15, 3, 2) + 0 = 15; STEP_DONE 0.
  // t0: event 0, A = 1: PROP 5*2 + 1*15 = 25; total 41.
  // t1: neuron 3 spikes, A = 1: PROP 25; total 41; starts at 41.
  //     Stamp: 41 + 1 + 3*3 + 3 - 1 = 53.
  const RunResult r = test::run_functional(chip_of({core}), core0_events({{0}}), 2, false);
  EXPECT_EQ(r.timesteps[0].cycles, phases(1, 15, 0, 25));
  EXPECT_EQ(r.timesteps[1].cycles, phases(1, 15, 0, 25));
  ASSERT_EQ(r.spikes.size(), 1u);
  EXPECT_EQ(r.spikes[0].neuron, 3u);
  EXPECT_EQ(r.spikes[0].cycle, 53u);
  EXPECT_EQ(r.total_cycles, 82u);
}

TEST(FunctionalModel, SpikeCycleStampsAndEmissionOrderAcrossCores) {
  test::TestCore c0 = tiny_core(1, 5, 0);  // 2 neurons per word
  test::TestCore c1 = tiny_core(1, 3, 0);
  c1.memory.neurons_per_word = 1;
  for (uint32_t j = 0; j < 5; ++j) set_input(c0, 0, j, 100);
  for (uint32_t j = 0; j < 3; ++j) set_input(c1, 0, j, 100);
  const test::TestChip chip = chip_of({c0, c1});
  const hw::InputSchedule stim = {{hw::AerEvent{0, 0}, hw::AerEvent{1, 0}}};
  // t0: core 0: W_n 3, STEP max(6, 1, 0) + 1 = 7, PROP 5 + 1*6 = 11, total 22.
  //     core 1: W_n 3, STEP 7, PROP 3 + 1*6 = 9, total 20. t1 starts at max = 22.
  // t1: every neuron spikes. core 0: A = 5, PROP 5 + 5*6 = 35, total 46; core 1: A = 3,
  //     PROP 3 + 3*6 = 21, total 32. End 22 + 46 = 68.
  // Stamps: core 0 offset 3 + (j/2)*2 + 1 = 4, 4, 6, 6, 8; core 1 offset 3 + j*2 + 1 = 4, 6, 8.
  const RunResult r = test::run_functional(chip, stim, 2, false);
  const std::vector<std::vector<uint64_t>> expected = {  // cycle, core, neuron
      {26, 0, 0}, {26, 0, 1}, {26, 1, 0}, {28, 0, 2}, {28, 0, 3}, {28, 1, 1}, {30, 0, 4}, {30, 1, 2}};
  ASSERT_EQ(r.spikes.size(), expected.size());
  for (size_t n = 0; n < expected.size(); ++n) {
    EXPECT_EQ(r.spikes[n].timestep, 1u) << n;
    EXPECT_EQ(r.spikes[n].cycle, expected[n][0]) << n;
    EXPECT_EQ(r.spikes[n].core, expected[n][1]) << n;
    EXPECT_EQ(r.spikes[n].neuron, expected[n][2]) << n;
  }
  ASSERT_EQ(r.timesteps.size(), 4u);  // timestep-major, then core
  EXPECT_EQ(r.timesteps[1].core, 1u);
  EXPECT_EQ(r.timesteps[1].cycles, phases(3, 7, 1, 9));
  EXPECT_EQ(r.timesteps[2].start_cycle, 22u);
  EXPECT_EQ(r.timesteps[2].cycles, phases(3, 7, 1, 35));
  EXPECT_EQ(r.timesteps[2].spikes, 5u);
  EXPECT_EQ(r.timesteps[3].cycles, phases(3, 7, 1, 21));
  EXPECT_EQ(r.timesteps[3].active_indices, 3u);
  EXPECT_EQ(r.total_cycles, 68u);
}

/// Core with idle latency 16 and latency 28 with two input events (see PhaseCyclesOfTinyReckOnCore),
/// stimulus: t0 idle, t1 events 0 and 2, t2 idle.
test::TestChip fixed_chip(uint64_t period, hw::OverrunAction action) {
  test::TestChip chip = chip_of({tiny_core(3, 5, 2)});
  chip.timestep.policy = hw::TimestepPolicy::kFixed;
  chip.timestep.cycles_per_timestep = period;
  chip.timestep.on_overrun = action;
  return chip;
}
const hw::InputSchedule kOverrunStimulus = core0_events({{}, {0, 2}, {}});

TEST(FunctionalModel, FreeRunningStartsWhenSlowestCoreFinishes) {
  test::TestChip chip = chip_of({tiny_core(3, 5, 2)});
  // Latencies 16, 28, 16: starts 0, 16, 44; end 60.
  const RunResult r = test::run_functional(chip, kOverrunStimulus, 3, false);
  ASSERT_EQ(r.timesteps.size(), 3u);
  EXPECT_EQ(r.timesteps[1].start_cycle, 16u);
  EXPECT_EQ(r.timesteps[2].start_cycle, 44u);
  EXPECT_EQ(r.total_cycles, 60u);
}

TEST(FunctionalModel, FixedPolicyHaltKeepsOverrunningTimestepAndStops) {
  // Period 20: t0 (16) fits; t1 starts at 20 and needs 28 > 20 -> halt after t1.
  const RunResult r = test::run_functional(fixed_chip(20, hw::OverrunAction::kHalt), kOverrunStimulus, 3, true);
  EXPECT_TRUE(r.halted);
  EXPECT_EQ(r.overruns, 0u);
  EXPECT_EQ(r.timesteps_completed, 2u);
  ASSERT_EQ(r.timesteps.size(), 2u);
  EXPECT_EQ(r.timesteps[1].start_cycle, 20u);
  EXPECT_EQ(r.readout_trace.size(), 2u);
  EXPECT_EQ(r.counters[0].input_events, 2u);  // t1's events were processed
  EXPECT_EQ(r.total_cycles, 48u);             // t1 ends at 20 + 28
}

TEST(FunctionalModel, FixedPolicyStretchDelaysNextTimestep) {
  // Period 20: starts 0, 20; t1 overruns (28) so t2 starts at 20 + 28 = 48; t2 fits: end 68.
  const RunResult r =
      test::run_functional(fixed_chip(20, hw::OverrunAction::kStretch), kOverrunStimulus, 3, false);
  EXPECT_FALSE(r.halted);
  EXPECT_EQ(r.overruns, 1u);
  EXPECT_EQ(r.timesteps_completed, 3u);
  ASSERT_EQ(r.timesteps.size(), 3u);
  EXPECT_EQ(r.timesteps[1].start_cycle, 20u);
  EXPECT_EQ(r.timesteps[2].start_cycle, 48u);
  EXPECT_EQ(r.total_cycles, 68u);
}

TEST(FunctionalModel, FixedPolicyLatencyEqualToPeriodIsNoOverrun) {
  // Period 28 = the longest latency: the core is idle at each tick. Starts 0, 28, 56; end 84.
  const RunResult r = test::run_functional(fixed_chip(28, hw::OverrunAction::kHalt), kOverrunStimulus, 3, false);
  EXPECT_FALSE(r.halted);
  EXPECT_EQ(r.overruns, 0u);
  EXPECT_EQ(r.timesteps_completed, 3u);
  EXPECT_EQ(r.timesteps[2].start_cycle, 56u);
  EXPECT_EQ(r.total_cycles, 84u);
}

TEST(FunctionalModel, SramAccessAndEventCounters) {
  test::TestCore core = tiny_core(3, 5, 3);
  core.weights.bits = 4;
  core.memory.input_weight_sram.word_bits = 8;       // K = 2: ceil(5/2) = 3 words per row
  core.memory.recurrent_weight_sram.word_bits = 16;  // K = 4: ceil(5/4) = 2 words per row
  core.memory.output_weight_sram.word_bits = 8;      // K = 2: ceil(3/2) = 2 words per row
  core.weights.input_shift = 4;
  set_input(core, 0, 0, 7);  // 7 << 4 = 112 >= 100
  // W_n = ceil(5/2) = 3.
  // t0 events 0, 0, 2: A = 2. Neuron SRAM: STEP 3 + PROP 2*3 = 9 reads, 9 writes.
  //   Input SRAM 2*3 = 6 reads. Synaptic events 2*5 = 10. Input events 2.
  // t1 event 0: neuron 0 spikes (u 112); index 0 active with x and z: A = 1.
  //   Neuron SRAM 3 + 3 = 6 each. Input 3, recurrent 2, output 2 reads.
  //   Synaptic events 5 + (5 + 3) = 13. Input events 1, spikes 1.
  const RunResult r = test::run_functional(chip_of({core}), core0_events({{0, 0, 2}, {0}}), 2, false);
  const CoreCounters& k = r.counters[0];
  EXPECT_EQ(k.neuron_sram_reads, 15u);
  EXPECT_EQ(k.neuron_sram_writes, 15u);
  EXPECT_EQ(k.input_sram_reads, 9u);
  EXPECT_EQ(k.recurrent_sram_reads, 2u);
  EXPECT_EQ(k.output_sram_reads, 2u);
  EXPECT_EQ(k.synaptic_events, 23u);
  EXPECT_EQ(k.input_events, 3u);
  EXPECT_EQ(k.spikes, 1u);
  EXPECT_EQ(r.timesteps[1].active_indices, 1u);
  EXPECT_EQ(r.timesteps[1].input_events, 1u);
  EXPECT_EQ(r.timesteps[1].spikes, 1u);
}

TEST(FunctionalModel, SpecWorkedExampleReckOn256) {
  test::TestCore core;  // defaults: P = 2, timing 3/2/1/1/1/2; ReckOn has no STEP tail cycle
  core.timing.step_tail_cycles = 0;
  core.enabled.inputs = 256;
  core.enabled.neurons = 256;
  core.enabled.readouts = 16;
  core.image.input_weights.assign(256 * 256, 0);
  core.image.recurrent_weights.assign(256 * 256, 0);
  core.image.output_weights.assign(256 * 16, 0);
  // SPEC §4.2: W_n = 128. SYNC 3; STEP max(256, 256, 16) + 0 = 256; STEP_DONE 1;
  // PROP 256*1 + 5*128*2 = 1536 (no input-only index since I = R); total 1796.
  const RunResult r =
      test::run_functional(chip_of({core}), core0_events({{0, 10, 100, 200, 255}}), 1, false);
  EXPECT_EQ(r.timesteps[0].cycles, phases(3, 256, 1, 1536));
  EXPECT_EQ(r.timesteps[0].cycles.total(), 1796u);
  EXPECT_EQ(r.total_cycles, 1796u);
}

TEST(FunctionalModel, CountsAndDropsEventsOutsideEnabledInputs) {
  const test::TestChip chip = chip_of({tiny_core(3, 5, 2)});
  // Address 3 == I: no such axon; address 2 is the last enabled one.
  const sim::RunResult r = test::run_functional(chip, core0_events({{3, 2}}), 1, false);
  EXPECT_EQ(r.counters[0].unmapped_input_events, 1u);
  EXPECT_EQ(r.counters[0].input_events, 1u);
  EXPECT_EQ(r.unmapped_stimulus_packets, 0u);
  // Core 1 does not exist.
  const sim::RunResult r1 = test::run_functional(chip, hw::InputSchedule{{hw::AerEvent{1, 0}}}, 1, false);
  EXPECT_EQ(r1.unmapped_stimulus_packets, 1u);
  EXPECT_EQ(r1.counters[0].unmapped_input_events, 0u);
}

TEST(FunctionalModel, RejectsWeightsOutsideConfiguredWidth) {
  test::TestCore core = tiny_core(1, 1, 0);
  core.weights.bits = 2;  // legal range -2..1
  set_input(core, 0, 0, 1);
  EXPECT_NO_THROW(test::run_functional(chip_of({core}), {}, 1, false));
  set_input(core, 0, 0, 2);
  EXPECT_THROW(test::run_functional(chip_of({core}), {}, 1, false), std::logic_error);
}

}  // namespace
}  // namespace neurochip::sim
