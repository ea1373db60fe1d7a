// Equivalence of the SystemC cycle model and the functional reference (SPEC.md §2-§4): hundreds of
// random chips, networks, parameter sets and stimuli, all elaborated in one SystemC simulation,
// must produce identical spikes (with cycle stamps), per-timestep cycle records, readout traces,
// final architectural state, memory-access counters and chip timing.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <vector>

#include <systemc>

#include "check/compare.h"
#include "reference/functional_model.h"
#include "runner/cycle_runner.h"
#include "support/random_chip.h"

namespace neurochip {
namespace {

#ifndef NEUROCHIP_EQUIVALENCE_CASES
#define NEUROCHIP_EQUIVALENCE_CASES 2000
#endif
#ifndef NEUROCHIP_EQUIVALENCE_FIRST_SEED
#define NEUROCHIP_EQUIVALENCE_FIRST_SEED 1
#endif
constexpr uint64_t kCases = NEUROCHIP_EQUIVALENCE_CASES;
constexpr uint64_t kFirstSeed = NEUROCHIP_EQUIVALENCE_FIRST_SEED;

TEST(Equivalence, CycleModelMatchesFunctionalReferenceOnRandomChips) {
  std::vector<test::RandomCase> cases;
  std::vector<std::unique_ptr<sim::CycleSimulation>> sims;
  for (uint64_t seed = kFirstSeed; seed < kFirstSeed + kCases; ++seed) {
    cases.push_back(test::make_random_case(seed));
    sim::CycleOptions opts;
    opts.record_readouts = true;
    sims.push_back(test::cycle_simulation("chip" + std::to_string(seed), cases.back().chip,
                                                          cases.back().stimulus, cases.back().timesteps, opts));
  }
  sc_core::sc_start();

  uint64_t total_spikes = 0, halted = 0, overrun_runs = 0;
  for (uint64_t i = 0; i < kCases; ++i) {
    SCOPED_TRACE("random case seed " + std::to_string(kFirstSeed + i));
    const test::RandomCase& rc = cases[i];
    const sim::RunResult cyc = sims[i]->result();
    const sim::RunResult ref = test::run_functional(rc.chip, rc.stimulus, rc.timesteps, true);
    // Spikes with their cycle stamps, per-timestep records, readout traces, final state, counters
    // and run totals (total cycles, overruns, halt, timesteps completed): the first divergence.
    const std::optional<sim::Divergence> d = sim::first_divergence(ref, cyc);
    ASSERT_FALSE(d.has_value()) << "functional reference vs cycle model: " << d->str() << "\n  reference: "
                                << d->row_a << "\n  cycle:     " << d->row_b;
    total_spikes += ref.spikes.size();
    halted += ref.halted ? 1 : 0;
    overrun_runs += ref.overruns > 0 ? 1 : 0;
  }
  // The random cases must exercise what they claim to: spikes, halts and stretched timesteps.
  EXPECT_GT(total_spikes, 1000u);
  EXPECT_GT(halted, 5u);
  EXPECT_GT(overrun_runs, 5u);
}

}  // namespace
}  // namespace neurochip
