// The phase table is open (SPEC.md §4.1): a phase registered here, and nowhere else, appears in the
// timesteps.csv columns, the per-phase statistics, the VCD phase codes, the functional reference's
// cycle counts and the clocked-walk model, with its own cost in both backends.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <systemc>

#include "io/output_files.h"
#include "io/vcd_writer.h"
#include "reference/functional_model.h"
#include "runner/cycle_runner.h"
#include "support/clocked_core.h"
#include "support/random_chip.h"
#include "support/test_chips.h"

namespace neurochip {
namespace {

/// The dummy phase: after STEP_DONE, before PROP; costs step_done_cycles + 4 cycles and does no
/// datapath work.
hw::PhaseId register_dummy() {
  hw::PhaseSpec dummy;
  dummy.name = "dummy";
  dummy.label = "DUMMY";
  dummy.description = "cycles in a phase registered by a test";
  dummy.cycles = [](const hw::CoreConfig& core, const hw::CoreShape&, const hw::TimestepWork&) -> uint64_t {
    return core.timing.step_done_cycles + 4;
  };
  return hw::PhaseTable::instance().add(dummy, &hw::kPhaseProp);
}

/// Values a VCD text gives the signal named `name` (every change, in order).
std::vector<uint64_t> vcd_values(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  std::string line, id;
  std::vector<uint64_t> values;
  while (std::getline(in, line)) {
    std::istringstream w(line);
    std::string a, b, c, d, e;
    w >> a >> b >> c >> d >> e;
    if (a == "$var" && e == name) id = d;
    if (!id.empty() && a.size() > 1 && a[0] == 'b' && b == id) values.push_back(std::stoull(a.substr(1), nullptr, 2));
  }
  return values;
}

TEST(PhaseTable, ARegisteredPhaseAppearsInRecordsStatsWaveformsAndBothBackends) {
  const hw::PhaseId dummy = register_dummy();
  EXPECT_EQ(dummy, 6u);  // after SYNC, STEP, STEP_DONE, PROP, SEND, EPROP
  // Execution order SYNC 1, STEP 2, STEP_DONE 3, EPROP 4, DUMMY 5, PROP 6, SEND 7.
  EXPECT_EQ(hw::PhaseTable::instance().code(dummy), 5);
  EXPECT_EQ(hw::PhaseTable::instance().code(hw::kPhaseProp), 6);  // PROP moves to 6

  // tiny_core(2, 3, 1): SYNC 3, STEP max(4, 2, 1) + 1 = 5, STEP_DONE 1, DUMMY 1 + 4 = 5, PROP 3
  // idle; an input event at t0 adds W_n * c = 4 to PROP: t0 3 + 5 + 1 + 5 + 7 = 21, t1 starts at 21
  // and takes 3 + 5 + 1 + 5 + 3 = 17: the run ends at 38.
  const test::TestChip chip = test::chip_of({test::tiny_core(2, 3, 1)}, "dummychip");
  const hw::InputSchedule stimulus = test::core0_events({{0}, {}});
  std::ostringstream vcd;
  sim::VcdWriter waves(vcd, chip, "dummychip", 16);
  sim::CycleOptions traced;
  traced.phase_observer = &waves;
  auto cycle = test::cycle_simulation("dummychip", chip, stimulus, 2, traced);

  // The clocked walk, which iterates over the table, must agree with the skip-ahead core on random
  // single-core chips with the dummy phase in place.
  std::vector<test::RandomCase> cases;
  std::vector<std::unique_ptr<sim::CycleSimulation>> fast;
  std::vector<std::unique_ptr<test::ClockedCore>> walks;
  sc_core::sc_clock clock("clock", 10, sc_core::SC_NS);
  uint64_t longest = 0;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    test::RandomCase rc = test::make_random_case(seed);
    rc.chip.cores.resize(1);
    rc.chip.image.cores.resize(1);
    rc.chip.timestep = hw::TimestepConfig{};
    rc.chip.clock_period_ps = 10000;
    for (auto& events : rc.stimulus) {
      std::vector<hw::AerEvent> kept;
      for (const hw::AerEvent& e : events)
        if (e.core == 0) kept.push_back(e);
      events = kept;
    }
    cases.push_back(rc);
    longest = std::max(longest, test::run_functional(rc.chip, rc.stimulus, rc.timesteps, false).total_cycles);
    fast.push_back(test::cycle_simulation("fast" + std::to_string(seed), rc.chip, rc.stimulus,
                                                          rc.timesteps));
    walks.push_back(std::make_unique<test::ClockedCore>(("walk" + std::to_string(seed)).c_str(), rc.chip.cores[0],
                                                        rc.chip.image.cores[0], rc.stimulus, rc.timesteps));
    walks.back()->clk_i(clock);
  }
  sc_core::sc_start(sc_core::sc_time(10.0 * (longest + 40), sc_core::SC_NS));

  const sim::RunResult c = cycle->result();
  const sim::RunResult f = test::run_functional(chip, stimulus, 2, false);
  for (const sim::RunResult* r : {&c, &f}) {
    ASSERT_EQ(r->timesteps.size(), 2u);
    EXPECT_EQ(r->timesteps[0].cycles[dummy], 5u);
    EXPECT_EQ(r->timesteps[0].cycles.total(), 21u);
    EXPECT_EQ(r->timesteps[1].start_cycle, 21u);
    EXPECT_EQ(r->timesteps[1].cycles.total(), 17u);
    EXPECT_EQ(r->total_cycles, 38u);
  }
  EXPECT_TRUE(c.timesteps[0] == f.timesteps[0] && c.timesteps[1] == f.timesteps[1]);

  // timesteps.csv: a dummy_cycles column between step_done_cycles and prop_cycles.
  std::ostringstream csv;
  sim::write_timesteps_csv(csv, c.timesteps);
  EXPECT_EQ(csv.str().substr(0, csv.str().find('\n')),
            "timestep,core,start_cycle,sync_cycles,step_cycles,step_done_cycles,eprop_cycles,dummy_cycles,prop_cycles,"
            "send_cycles,latency_cycles,active_indices,input_events,spikes");
  // EPROP runs only on supervised ticks and SEND only on a sample's last tick: 0 without samples.
  EXPECT_NE(csv.str().find("\n0,0,0,3,5,1,0,5,7,0,21,1,1,0\n"), std::string::npos) << csv.str();

  // Statistics: cycles.dummy = 2 timesteps * 5, and the busy total includes it.
  bool dummy_stat = false, busy_stat = false;
  for (const hw::StatView& s : cycle->stats().collect()) {
    if (s.name == "stats.chip.core0.cycles.dummy") {
      dummy_stat = true;
      EXPECT_EQ(s.values.at(0).second, 10.0);
      EXPECT_EQ(s.description, "cycles in a phase registered by a test");
    }
    if (s.name == "stats.chip.core0.cycles.busy") {
      busy_stat = true;
      EXPECT_EQ(s.values.at(0).second, 38.0);
    }
  }
  EXPECT_TRUE(dummy_stat);
  EXPECT_TRUE(busy_stat);

  // VCD: the core's phase walks 1 2 3 4 5 in each timestep; free-running, the next timestep starts
  // in the picosecond the previous one ended, so idle (0) is seen only after the last.
  waves.finish();
  const std::vector<uint64_t> codes = vcd_values(vcd.str(), "phase");
  EXPECT_EQ(codes, (std::vector<uint64_t>{1, 2, 3, 5, 6, 1, 2, 3, 5, 6, 0}));  // EPROP (4) does not run

  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE("random case seed " + std::to_string(i + 1));
    const sim::RunResult r = fast[i]->result();
    ASSERT_EQ(walks[i]->reports.size(), r.timesteps.size());
    for (size_t t = 0; t < r.timesteps.size(); ++t) {
      EXPECT_TRUE(walks[i]->reports[t].cycles == r.timesteps[t].cycles) << "timestep " << t;
      EXPECT_EQ(walks[i]->reports[t].start_cycle, r.timesteps[t].start_cycle) << "timestep " << t;
    }
  }
}

}  // namespace
}  // namespace neurochip
