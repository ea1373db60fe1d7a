// Chip time (SPEC.md §5) in both backends: hand-built chips whose cores run in clock domains that
// do not divide each other, under every timestep policy, and stimulus events whose arrival offsets
// move them into later input windows. Every expected tick, start cycle, overrun and halt is derived
// by hand in the comments; the cycle model and the functional reference must both reproduce them
// (they share the TimestepScheduler, and nothing else of the timing).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "reference/functional_model.h"
#include "runner/cycle_runner.h"
#include "support/test_chips.h"

namespace neurochip {
namespace {

using test::chip_of;
using test::set_input;
using test::tiny_core;

/// Core "a": tiny_core(1, 1, 0) on the chip clock (10,000 ps): SYNC 3, STEP max(2, 1, 0) + 1 = 3,
/// STEP_DONE 1, PROP 1 (+ 2 per active index): latency 8 cycles when idle.
/// Core "b": tiny_core(1, 5, 0) on its own 7,000 ps clock: SYNC 3, STEP max(6, 1, 0) + 1 = 7,
/// STEP_DONE 1, PROP 5 (+ 6 per active index): latency 16 cycles when idle. Input 0 -> neuron 0
/// has weight 100 = the threshold.
test::TestChip two_domains(const std::string& name) {
  test::TestCore a = tiny_core(1, 1, 0, "a");
  test::TestCore b = tiny_core(1, 5, 0, "b");
  b.clock_period_ps = 7000;
  set_input(b, 0, 0, 100);
  test::TestChip chip = chip_of({a, b}, name);
  chip.clock_period_ps = 10000;
  return chip;
}

test::TestChip with_fixed(test::TestChip chip, uint64_t cycles, hw::OverrunAction action) {
  chip.timestep.policy = hw::TimestepPolicy::kFixed;
  chip.timestep.cycles_per_timestep = cycles;
  chip.timestep.on_overrun = action;
  return chip;
}

struct Case {
  std::string name;
  test::TestChip chip;
  hw::InputSchedule stimulus;
  uint64_t timesteps;
  std::vector<std::vector<uint64_t>> start_cycles;  ///< per timestep, per core
  std::vector<std::vector<uint64_t>> input_events;  ///< per timestep, per core
  uint64_t total_cycles;
  uint64_t overruns;
  bool halted;
  std::vector<hw::EmittedSpike> spikes;
};

std::vector<Case> cases() {
  std::vector<Case> out;
  // Free-running, no events.
  //   t0: T = 0; a 0..8 (80,000 ps), b 0..16 (112,000 ps); next tick at the chip edge >= 112,000: 120,000.
  //   t1: a starts at cycle 12, ends 200,000; b at ceil(120,000 / 7,000) = 18 (126,000), ends
  //       (18 + 16) * 7,000 = 238,000; next tick 240,000.
  //   t2: a at 24; b at ceil(240,000 / 7,000) = 35 (245,000), ends 357,000; the run ends at 360,000
  //       = 36 chip cycles.
  out.push_back({"free", two_domains("free"), {}, 3, {{0, 0}, {12, 18}, {24, 35}}, {{0, 0}, {0, 0}, {0, 0}}, 36, 0,
                 false, {}});
  // Fixed, 12 chip cycles (120,000 ps) per timestep, stretch; an event for b's axon 0 at t1.
  //   t0: work ends at 112,000 -> 120,000 = T0 + P exactly: no overrun; T1 = 120,000.
  //   t1: b starts at 18 (126,000) with A = 1: latency 16 + 6 = 22, ends 40 * 7,000 = 280,000 >
  //       240,000: overrun, stretched to T2 = 280,000. Neuron 0 of b integrates 100.
  //   t2: a at 28; b at 280,000 / 7,000 = 40; neuron 0 spikes (u = 100 >= 100) at b's cycle
  //       40 + 3 + 0 * 2 + 2 - 1 = 44; index 0 active by the spike: latency 22, ends 62 * 7,000 =
  //       434,000 -> 440,000 > 400,000: overrun, T3 = 440,000 = 44 chip cycles. Two overruns.
  {
    hw::InputSchedule events{{}, {hw::AerEvent{1, 0}}, {}};
    out.push_back({"stretch", with_fixed(two_domains("stretch"), 12, hw::OverrunAction::kStretch), events, 3,
                   {{0, 0}, {12, 18}, {28, 40}}, {{0, 0}, {0, 1}, {0, 0}}, 44, 2, false,
                   {hw::EmittedSpike{2, 44, 1, 0}}});
    // Same with halt: t1 overruns (280,000 > 240,000): the run stops there, after 2 timesteps, at
    // 28 chip cycles.
    out.push_back({"halt", with_fixed(two_domains("halt"), 12, hw::OverrunAction::kHalt), events, 3,
                   {{0, 0}, {12, 18}}, {{0, 0}, {0, 1}}, 28, 0, true, {}});
  }
  // Input windows (§5.3), core a alone (latency 8, or 10 with an active index), free-running.
  //   Listed under t0: axon 0 at offset 0 (arrives 0) and again at offset 50,000 ps.
  //   Listed under t1: axon 0 at offset 150,000 ps.
  //   t0: S = 0 takes the first event: latency 10, T1 = 100,000.
  //   t1: S = 100,000 takes the event that arrived at 50,000: latency 10, T2 = 200,000.
  //   t2: the event listed under t1 arrives at T1 + 150,000 = 250,000 > 200,000: not taken; latency
  //       8, T3 = 280,000.
  //   t3: takes it (250,000 <= 280,000): latency 10; the run ends at 380,000 = 38 cycles.
  {
    test::TestChip chip = chip_of({tiny_core(1, 1, 0, "a")}, "windows");
    hw::InputSchedule events{{hw::AerEvent{0, 0}, hw::AerEvent{0, 0, hw::Ps(50000)}},
                             {hw::AerEvent{0, 0, hw::Ps(150000)}}};
    out.push_back({"windows", chip, events, 4, {{0}, {10}, {20}, {28}}, {{1}, {1}, {0}, {1}}, 38, 0, false, {}});
  }
  return out;
}

void expect_case(const Case& c, const sim::RunResult& r) {
  const size_t cores = c.chip.cores.size();
  ASSERT_EQ(r.timesteps.size(), c.start_cycles.size() * cores);
  for (size_t t = 0; t < c.start_cycles.size(); ++t) {
    for (size_t k = 0; k < cores; ++k) {
      const auto& rec = r.timesteps[t * cores + k];
      EXPECT_EQ(rec.start_cycle, c.start_cycles[t][k]) << "timestep " << t << " core " << k;
      EXPECT_EQ(rec.input_events, c.input_events[t][k]) << "timestep " << t << " core " << k;
    }
  }
  EXPECT_EQ(r.timesteps_completed, c.start_cycles.size());
  EXPECT_EQ(r.total_cycles, c.total_cycles);
  EXPECT_EQ(r.overruns, c.overruns);
  EXPECT_EQ(r.halted, c.halted);
  ASSERT_EQ(r.spikes.size(), c.spikes.size());
  for (size_t s = 0; s < c.spikes.size(); ++s) {
    EXPECT_EQ(r.spikes[s].timestep, c.spikes[s].timestep);
    EXPECT_EQ(r.spikes[s].cycle, c.spikes[s].cycle);
    EXPECT_EQ(r.spikes[s].core, c.spikes[s].core);
    EXPECT_EQ(r.spikes[s].neuron, c.spikes[s].neuron);
  }
}

TEST(ChipTime, BothBackendsFollowTheSchedulerAcrossClockDomainsPoliciesAndInputWindows) {
  const std::vector<Case> all = cases();
  std::vector<std::unique_ptr<sim::CycleSimulation>> sims;
  for (const Case& c : all)
    sims.push_back(test::cycle_simulation(c.name, c.chip, c.stimulus, c.timesteps));
  sc_core::sc_start();
  for (size_t i = 0; i < all.size(); ++i) {
    SCOPED_TRACE(all[i].name);
    {
      SCOPED_TRACE("cycle model");
      expect_case(all[i], sims[i]->result());
    }
    {
      SCOPED_TRACE("functional reference");
      expect_case(all[i], test::run_functional(all[i].chip, all[i].stimulus, all[i].timesteps, false));
    }
  }
}

}  // namespace
}  // namespace neurochip
