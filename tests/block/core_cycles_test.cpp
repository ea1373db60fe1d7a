// Cycle-exact behaviour of the SystemC chip on a tiny hand-checked network (SPEC.md §3.3, §4.1,
// §4.3): phase cycles, spike cycle stamps, readout values, SRAM access counts and both outcomes
// of the fixed timestep policy. Every expected number is derived by hand in the comments.
#include <gtest/gtest.h>

#include <systemc>

#include "runner/cycle_runner.h"
#include "support/test_chips.h"

namespace neurochip {
namespace {

// One core: I = 3 inputs, R = 5 LIF neurons, O = 2 readouts, 2 neurons per word, default timing
// (sync 3, 2 cycles per neuron word, tail 1, step_done 1, scan 1 per index, input-only 2).
// Input 0 -> neuron 0 weight 127 (<< 3 = 1016); neuron 0 -> readout 0 weight 10 (<< 3 = 80).
// threshold 1000, alpha 0x8000 (no leak), reset to zero, kappa 0x40 (0.5). Axon 0 fires at t = 0.
test::TestChip tiny_chip() {
  test::TestCore core = test::tiny_core(3, 5, 2);
  core.neuron.set("threshold", 1000);
  core.readout.kappa = 0x40;
  core.weights.input_shift = 3;
  core.weights.output_shift = 3;
  test::set_input(core, 0, 0, 127);
  test::set_output(core, 0, 0, 10);
  return test::chip_of({core}, "tiny");
}

TEST(CoreCycles, TinyNetworkMatchesHandComputedSchedule) {
  const test::TestChip free_chip = tiny_chip();
  test::TestChip halting_chip = tiny_chip();
  halting_chip.timestep.policy = hw::TimestepPolicy::kFixed;
  halting_chip.timestep.cycles_per_timestep = 20;
  halting_chip.timestep.on_overrun = hw::OverrunAction::kHalt;
  test::TestChip stretching_chip = halting_chip;
  stretching_chip.timestep.on_overrun = hw::OverrunAction::kStretch;
  test::TestChip relaxed_chip = halting_chip;
  relaxed_chip.timestep.cycles_per_timestep = 30;

  const hw::InputSchedule stimulus = {{{0, 0}}, {}, {}};
  sim::CycleOptions opts;
  opts.record_readouts = true;
  sim::CycleSimulation free_run("free", free_chip, free_chip.image, stimulus, 3, opts);
  sim::CycleSimulation halting("halting", halting_chip, halting_chip.image, stimulus, 3, opts);
  sim::CycleSimulation stretching("stretching", stretching_chip, stretching_chip.image, stimulus, 3, opts);
  sim::CycleSimulation relaxed("relaxed", relaxed_chip, relaxed_chip.image, stimulus, 3, opts);
  sc_core::sc_start();

  // Free-running. W_n = ceil(5/2) = 3 words, sweep = 3 * 2 = 6 cycles.
  //   STEP = max(6, I = 3, O = 2) + 1 = 7; PROP scan = max(I, R) = 5 cycles.
  //   t0: A = 1 (x_0) -> PROP = 5 + 1 * 6 = 11; total 3 + 7 + 1 + 11 = 22; u_0 = 1016.
  //   t1 (starts at 22): u_0 = 1016 >= 1000 -> spike of neuron 0 in word 0, emitted in cycle
  //       22 + 3 + 0 * 2 + 2 - 1 = 26; reset to 0; A = 1 (z_0) -> PROP 11; total 22; v_0 = 80.
  //   t2 (starts at 44): v_0 = floor(80 * 64 / 128) = 40; A = 0 -> PROP 5; total 16; end at 60.
  const sim::RunResult r = free_run.result();
  ASSERT_EQ(r.spikes.size(), 1u);
  EXPECT_EQ(r.spikes[0].timestep, 1u);
  EXPECT_EQ(r.spikes[0].cycle, 26u);
  EXPECT_EQ(r.spikes[0].neuron, 0u);
  ASSERT_EQ(r.timesteps.size(), 3u);
  EXPECT_EQ(r.timesteps[0].cycles[hw::kPhaseSync], 3u);
  EXPECT_EQ(r.timesteps[0].cycles[hw::kPhaseStep], 7u);
  EXPECT_EQ(r.timesteps[0].cycles[hw::kPhaseStepDone], 1u);
  EXPECT_EQ(r.timesteps[0].cycles[hw::kPhaseProp], 11u);
  EXPECT_EQ(r.timesteps[1].start_cycle, 22u);
  EXPECT_EQ(r.timesteps[1].cycles.total(), 22u);
  EXPECT_EQ(r.timesteps[2].start_cycle, 44u);
  EXPECT_EQ(r.timesteps[2].cycles[hw::kPhaseProp], 5u);
  EXPECT_EQ(r.timesteps[2].cycles.total(), 16u);
  EXPECT_EQ(r.total_cycles, 60u);
  ASSERT_EQ(r.readout_trace.size(), 3u);
  EXPECT_EQ(r.readout_trace[0], (std::vector<int32_t>{0, 0}));
  EXPECT_EQ(r.readout_trace[1], (std::vector<int32_t>{80, 0}));
  EXPECT_EQ(r.readout_trace[2], (std::vector<int32_t>{40, 0}));
  // SRAM words (SPEC §3.3): neuron SRAM 3 words per STEP (3 timesteps) + 3 per active index (2)
  //   = 15 reads and 15 writes; one input row (ceil(5/16) = 1 word), one recurrent row (1 word),
  //   one output row (ceil(2/16) = 1 word). Synaptic events: x_0 -> 5, z_0 -> 5 + 2 = 7.
  ASSERT_EQ(r.counters.size(), 1u);
  EXPECT_EQ(r.counters[0].neuron_sram_reads, 15u);
  EXPECT_EQ(r.counters[0].neuron_sram_writes, 15u);
  EXPECT_EQ(r.counters[0].input_sram_reads, 1u);
  EXPECT_EQ(r.counters[0].recurrent_sram_reads, 1u);
  EXPECT_EQ(r.counters[0].output_sram_reads, 1u);
  EXPECT_EQ(r.counters[0].synaptic_events, 12u);
  EXPECT_EQ(r.counters[0].input_events, 1u);
  EXPECT_EQ(r.counters[0].spikes, 1u);

  // Fixed period 20 with halt: t0 needs 22 > 20 cycles -> timing error after t0, no spike yet.
  const sim::RunResult h = halting.result();
  EXPECT_TRUE(h.halted);
  EXPECT_EQ(h.timesteps_completed, 1u);
  EXPECT_EQ(h.total_cycles, 22u);
  EXPECT_TRUE(h.spikes.empty());

  // Fixed period 20 with stretch: t0 and t1 (22 cycles each) overrun and start their successor
  // when they finish (22, 44); t2 (16 cycles) fits, so the run ends at 44 + 20 = 64.
  const sim::RunResult s = stretching.result();
  EXPECT_FALSE(s.halted);
  EXPECT_EQ(s.overruns, 2u);
  EXPECT_EQ(s.timesteps[1].start_cycle, 22u);
  EXPECT_EQ(s.timesteps[2].start_cycle, 44u);
  EXPECT_EQ(s.total_cycles, 64u);

  // Fixed period 30: every timestep fits; ticks at 0, 30, 60; spike at 30 + 3 + 1 = 34; end 90.
  const sim::RunResult f = relaxed.result();
  EXPECT_EQ(f.overruns, 0u);
  EXPECT_EQ(f.timesteps[2].start_cycle, 60u);
  ASSERT_EQ(f.spikes.size(), 1u);
  EXPECT_EQ(f.spikes[0].cycle, 34u);
  EXPECT_EQ(f.total_cycles, 90u);
  // Simulated time really advanced: 90 cycles at 100 MHz is 900 ns, but the last timestep's work
  // ends at 60 + 16 = 76 cycles = 760 ns, where the simulation runs out of events.
  EXPECT_EQ(sc_core::sc_time_stamp(), sc_core::sc_time(760, sc_core::SC_NS));
}

}  // namespace
}  // namespace neurochip
