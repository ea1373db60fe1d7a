// Equivalence of the SystemC cycle model and the functional reference (SPEC.md §2-§4): hundreds of
// random chips, networks, parameter sets and stimuli, all elaborated in one SystemC simulation,
// must produce identical spikes (with cycle stamps), per-timestep cycle records, readout traces,
// final architectural state, memory-access counters and chip timing.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <random>
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
  std::vector<hw::SampleSchedule> schedules;
  std::vector<std::unique_ptr<sim::CycleSimulation>> sims;
  for (uint64_t seed = kFirstSeed; seed < kFirstSeed + kCases; ++seed) {
    cases.push_back(test::make_random_case(seed));
    if (seed % 5 == 0)  // ReckOn's STEP counter (SPEC §4.1) in one case of five
      for (hw::CoreConfig& core : cases.back().chip.cores) core.timing.step_length = hw::StepLength::kCounter;
    // One case in three runs as samples (SPEC §4.5) of 2..15 timesteps with a random vote window.
    std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ULL + 7);
    // Samples carry random targets (some none), learn or not, and a random supervision window.
    hw::SampleSchedule samples;
    if (rng() % 3 == 0) {
      const uint64_t per = 2 + rng() % 14;
      std::vector<hw::SampleSchedule::Sample> run;
      for (uint64_t k = 0; k * per < cases.back().timesteps; ++k)
        run.push_back({static_cast<int32_t>(rng() % 5) - 1, rng() % 4 != 0});
      samples = hw::SampleSchedule(per, rng() % per, rng() % 3 == 0 ? UINT64_MAX : rng() % per, run);
    }
    schedules.push_back(samples);
    sim::CycleOptions opts;
    opts.record_readouts = true;
    opts.samples = samples;
    sims.push_back(test::cycle_simulation("chip" + std::to_string(seed), cases.back().chip,
                                                          cases.back().stimulus, cases.back().timesteps, opts));
  }
  sc_core::sc_start();

  uint64_t total_spikes = 0, halted = 0, overrun_runs = 0, labels = 0, learned_runs = 0;
  for (uint64_t i = 0; i < kCases; ++i) {
    SCOPED_TRACE("random case seed " + std::to_string(kFirstSeed + i));
    const test::RandomCase& rc = cases[i];
    const sim::RunResult cyc = sims[i]->result();
    const sim::RunResult ref =
        sim::run_functional(rc.chip, rc.chip.image, rc.stimulus, rc.timesteps, true, {}, schedules[i]);
    // Spikes with their cycle stamps, per-timestep records, readout traces, final state, counters
    // and run totals (total cycles, overruns, halt, timesteps completed): the first divergence.
    const std::optional<sim::Divergence> d = sim::first_divergence(ref, cyc);
    ASSERT_FALSE(d.has_value()) << "functional reference vs cycle model: " << d->str() << "\n  reference: "
                                << d->row_a << "\n  cycle:     " << d->row_b;
    // The sample results (not columns of timesteps.csv): every label and win counter.
    ASSERT_EQ(ref.timesteps.size(), cyc.timesteps.size());
    for (size_t r = 0; r < ref.timesteps.size(); ++r) {
      ASSERT_EQ(ref.timesteps[r].label, cyc.timesteps[r].label) << "timestep record " << r;
      ASSERT_EQ(ref.timesteps[r].votes, cyc.timesteps[r].votes) << "timestep record " << r;
      if (ref.timesteps[r].label >= 0) ++labels;
    }
    // The learned weights (final_state carries them for cores that learn).
    for (size_t c = 0; c < ref.final_state.size(); ++c) {
      ASSERT_TRUE(ref.final_state[c].learned.input_weights == cyc.final_state[c].learned.input_weights) << "core " << c;
      ASSERT_TRUE(ref.final_state[c].learned.recurrent_weights == cyc.final_state[c].learned.recurrent_weights);
      ASSERT_TRUE(ref.final_state[c].learned.output_weights == cyc.final_state[c].learned.output_weights);
      if (rc.chip.cores[c].learning.learns()) {
        const hw::CoreImage& initial = rc.chip.image.cores[c];
        if (ref.final_state[c].learned.input_weights != initial.input_weights ||
            ref.final_state[c].learned.recurrent_weights != initial.recurrent_weights ||
            ref.final_state[c].learned.output_weights != initial.output_weights)
          ++learned_runs;
      }
    }
    total_spikes += ref.spikes.size();
    halted += ref.halted ? 1 : 0;
    overrun_runs += ref.overruns > 0 ? 1 : 0;
  }
  // The random cases must exercise what they claim to: spikes, halts and stretched timesteps.
  EXPECT_GT(total_spikes, 1000u);
  EXPECT_GT(halted, 5u);
  EXPECT_GT(overrun_runs, 5u);
  EXPECT_GT(labels, 100u);
  EXPECT_GE(learned_runs, 10u) << "random learning runs that changed a weight";
}

}  // namespace
}  // namespace neurochip
