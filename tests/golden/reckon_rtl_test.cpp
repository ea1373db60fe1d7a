// Golden tests against ReckOn's RTL (traces/golden/reckon_rtl/PROVENANCE.md): ReckOn's
// cue-accumulation demo in inference on test samples 0-4, with stochastic rounding on (infer_sr1)
// and off (infer_sr0). Both fidelities must reproduce the RTL's spikes (sample, tick, neuron), the
// readouts after PROP on every tick, every tick's cycles per phase and active indices (the sample
// protocol's first and last ticks included), and each sample's win counters and label.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <tuple>
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

struct Case {
  std::string set;
  std::vector<std::string> overrides;
};

TEST(ReckOnRtl, CueInferenceMatchesTheRtlSpikeForSpikeAndCycleForCycle) {
  const std::vector<Case> cases = {{"infer_sr1", {}}, {"infer_sr0", {"chip.cores.0.rounding.mode=floor"}}};
  std::vector<sim::RunConfig> configs;
  std::vector<std::unique_ptr<sim::CycleSimulation>> sims;
  configs.reserve(cases.size());
  for (const Case& c : cases) {
    configs.push_back(
        sim::load_run_config(std::string(NEUROCHIP_REPO_ROOT) + "/configs/examples/reckon_cue_infer.yaml", c.overrides));
    const sim::RunConfig& rc = configs.back();
    ASSERT_TRUE(rc.workload.samples.enabled);
    sim::CycleOptions opts;
    opts.record_readouts = true;
    opts.samples = sim::sample_schedule(rc.workload.samples);
    sims.push_back(std::make_unique<sim::CycleSimulation>("reckon_" + c.set, rc.chip, rc.image,
                                                          sim::stimulus_schedule(rc), rc.workload.timesteps, opts));
  }
  sc_core::sc_start();
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].set);
    const sim::RunConfig& rc = configs[i];
    const uint64_t per = rc.workload.samples.timesteps_per_sample;
    ASSERT_EQ(per, 2250u);
    const Observed want = expected(cases[i].set);
    {
      SCOPED_TRACE("cycle");
      expect_same(observed(sims[i]->result(), per), want);
    }
    {
      SCOPED_TRACE("functional");
      const hw::SampleSchedule schedule = sim::sample_schedule(rc.workload.samples);
      expect_same(observed(sim::run_functional(rc.chip, rc.image, sim::stimulus_schedule(rc), rc.workload.timesteps,
                                               true, {}, schedule),
                           per),
                  want);
    }
  }
}

TEST(ReckOnRtl, StochasticRoundingChangesTheOutcomeAsOnTheRtl) {
  // The two RTL runs differ (20 % of ticks, and sample 3's label: 1 without rounding, 0 with it),
  // so matching both is evidence for the rounding itself, not only for the rest of the datapath.
  const Observed sr0 = expected("infer_sr0"), sr1 = expected("infer_sr1");
  EXPECT_NE(sr0.spikes.size(), sr1.spikes.size());
  ASSERT_EQ(sr0.samples.size(), 5u);
  EXPECT_EQ(sr0.samples[3].substr(0, 1), "1");
  EXPECT_EQ(sr1.samples[3].substr(0, 1), "0");
}

}  // namespace
}  // namespace neurochip
