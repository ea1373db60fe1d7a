// Golden test of e-prop training against ReckOn's RTL (traces/golden/reckon_rtl/PROVENANCE.md):
// the first three training samples of ReckOn's epoch-1 pass, all three matrices learning. Both
// fidelities must end each sample with the RTL's weights (all 14,200) and reproduce the RTL's
// spikes, readouts, per-phase cycles and labels.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "config/config_loader.h"
#include "io/workload_stimulus.h"
#include "reference/functional_model.h"
#include "runner/cycle_runner.h"
#include "support/reckon_rtl_traces.h"

namespace neurochip {
namespace {

using test::expect_same;
using test::expected;
using test::Observed;
using test::observed;
using test::weights_after;

TEST(ReckOnRtl, CueTrainingLearnsWeightForWeightLikeTheRtl) {
  // Training samples 0-2 of ReckOn's epoch-1 pass with e-prop on all three matrices: the runs of
  // 1, 2 and 3 samples must end with the RTL's weights after that sample (all 14,200), and the
  // 3-sample run must reproduce the RTL's spikes, readouts, per-phase cycles (EPROP's 1,624 on
  // ticks 2100-2248) and labels.
  std::vector<sim::RunConfig> configs;
  std::vector<std::unique_ptr<sim::CycleSimulation>> sims;
  configs.reserve(3);
  for (int count = 1; count <= 3; ++count) {
    configs.push_back(sim::load_run_config(std::string(NEUROCHIP_REPO_ROOT) + "/configs/examples/reckon_cue_train.yaml",
                                           {"workload.samples.count=" + std::to_string(count)}));
    const sim::RunConfig& rc = configs.back();
    sim::CycleOptions opts;
    opts.record_readouts = true;
    opts.samples = sim::sample_schedule(rc.workload.samples);
    sims.push_back(std::make_unique<sim::CycleSimulation>("train_" + std::to_string(count), rc.chip, rc.image,
                                                          sim::stimulus_schedule(rc), rc.workload.timesteps, opts));
  }
  sc_core::sc_start();
  for (int count = 1; count <= 3; ++count) {
    SCOPED_TRACE("samples " + std::to_string(count));
    const sim::RunConfig& rc = configs[static_cast<size_t>(count - 1)];
    const hw::CoreShape& shape = rc.chip.cores[0].enabled;
    const hw::CoreImage want = weights_after(count - 1, shape.inputs, shape.neurons, shape.readouts);
    const sim::RunResult cyc = sims[static_cast<size_t>(count - 1)]->result();
    const sim::RunResult fun = sim::run_functional(rc.chip, rc.image, sim::stimulus_schedule(rc), rc.workload.timesteps,
                                                   true, {}, sim::sample_schedule(rc.workload.samples));
    for (const sim::RunResult* r : {&cyc, &fun}) {
      const hw::CoreImage& got = r->final_state.at(0).learned;
      EXPECT_TRUE(got.input_weights == want.input_weights) << "input weights differ";
      EXPECT_TRUE(got.recurrent_weights == want.recurrent_weights) << "recurrent weights differ";
      EXPECT_TRUE(got.output_weights == want.output_weights) << "output weights differ";
    }
    if (count == 3) {
      const Observed expect = expected("train_sr1");
      expect_same(observed(cyc, 2250), expect);
      expect_same(observed(fun, 2250), expect);
    }
  }
  // The weights do change: a run that learned nothing would fail the comparisons above.
  const hw::CoreShape& shape = configs[0].chip.cores[0].enabled;
  EXPECT_FALSE(weights_after(0, shape.inputs, shape.neurons, shape.readouts).recurrent_weights ==
               weights_after(-1, shape.inputs, shape.neurons, shape.readouts).recurrent_weights);
}

}  // namespace
}  // namespace neurochip
