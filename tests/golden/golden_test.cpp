// Golden tests: configs whose expected outputs are checked into traces/golden/ (see each case's
// PROVENANCE.md). Both fidelities must reproduce spikes.csv, timesteps.csv and readouts.csv byte
// for byte; both cycle runs share one SystemC elaboration.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <systemc>

#include "config/config_loader.h"
#include "io/workload_stimulus.h"
#include "io/output_files.h"
#include "reference/functional_model.h"
#include "runner/cycle_runner.h"

namespace neurochip {
namespace {

struct GoldenCase {
  std::string name;
  std::string config;                  // relative to the repository root
  std::vector<std::string> overrides;  // --set overrides the golden files were made with
};

const std::vector<GoldenCase>& golden_cases() {
  static const std::vector<GoldenCase> cases = {
      {"tiny", "configs/examples/tiny.yaml", {}},
      {"alif_small", "configs/examples/alif_small.yaml", {}},
      {"reckon_200", "configs/chips/reckon.yaml", {"workload.timesteps=200"}},
  };
  return cases;
}

std::string read_file(const std::string& path) {
  std::ifstream is(path, std::ios::binary);
  EXPECT_TRUE(is.good()) << "cannot read " << path;
  std::ostringstream ss;
  ss << is.rdbuf();
  return ss.str();
}

struct Rendered {
  std::string spikes, timesteps, readouts;
};

Rendered render(const hw::ChipConfig& chip, const sim::RunResult& r) {
  Rendered out;
  std::ostringstream s, t, v;
  sim::write_spikes_csv(s, r.spikes);
  sim::write_timesteps_csv(t, r.timesteps);
  sim::write_readouts_csv(v, chip, r.readout_trace);
  out.spikes = s.str();
  out.timesteps = t.str();
  out.readouts = v.str();
  return out;
}

TEST(Golden, BothFidelitiesReproduceCheckedInTraces) {
  const std::string root = NEUROCHIP_REPO_ROOT;
  std::vector<sim::RunConfig> configs;
  std::vector<std::unique_ptr<sim::CycleSimulation>> sims;
  for (const GoldenCase& gc : golden_cases()) {
    configs.push_back(sim::load_run_config(root + "/" + gc.config, gc.overrides));
    sim::CycleOptions opts;
    opts.record_readouts = true;
    const sim::RunConfig& rc = configs.back();
    sims.push_back(std::make_unique<sim::CycleSimulation>(gc.name, rc.chip, rc.image, sim::stimulus_schedule(rc),
                                                          rc.workload.timesteps, opts));
  }
  sc_core::sc_start();

  for (size_t i = 0; i < golden_cases().size(); ++i) {
    const GoldenCase& gc = golden_cases()[i];
    SCOPED_TRACE(gc.name);
    const sim::RunConfig& rc = configs[i];
    const std::string dir = root + "/traces/golden/" + gc.name + "/";
    const Rendered cycle = render(rc.chip, sims[i]->result());
    const Rendered functional =
        render(rc.chip, sim::run_functional(rc.chip, rc.image, sim::stimulus_schedule(rc), rc.workload.timesteps, true));
    for (const Rendered* r : {&cycle, &functional}) {
      EXPECT_EQ(r->spikes, read_file(dir + "spikes.csv"));
      EXPECT_EQ(r->timesteps, read_file(dir + "timesteps.csv"));
      EXPECT_EQ(r->readouts, read_file(dir + "readouts.csv"));
    }
  }
}

// The cycle model and the functional reference share each neuron model's update (SPEC §2.4), so
// that update is checked against hand derivations: every registered model needs a golden case.
TEST(Golden, EveryNeuronModelHasAGoldenCase) {
  std::set<std::string> covered;
  for (const GoldenCase& gc : golden_cases()) {
    const sim::RunConfig rc = sim::load_run_config(std::string(NEUROCHIP_REPO_ROOT) + "/" + gc.config, gc.overrides);
    for (const hw::CoreConfig& core : rc.chip.cores) covered.insert(core.neuron.model().name);
  }
  for (const hw::NeuronModel* m : hw::NeuronModel::all())
    EXPECT_EQ(covered.count(m->name), 1u) << "neuron model '" << m->name << "' has no golden case";
}

TEST(Golden, TinyFinalStateMatchesHandDerivation) {
  // The hand derivation in traces/golden/tiny/PROVENANCE.md ends with u = (0, 0, 0),
  // ref = (0, 0, 1), v = 120 after 6 timesteps and 108 cycles.
  const sim::RunConfig rc = sim::load_run_config(std::string(NEUROCHIP_REPO_ROOT) + "/configs/examples/tiny.yaml");
  const sim::RunResult r = sim::run_functional(rc.chip, rc.image, sim::stimulus_schedule(rc), rc.workload.timesteps, false);
  ASSERT_EQ(r.final_state.size(), 1u);
  EXPECT_EQ(r.final_state[0].field("u"), (std::vector<int32_t>{0, 0, 0}));
  EXPECT_EQ(r.final_state[0].field("ref"), (std::vector<int32_t>{0, 0, 1}));
  EXPECT_EQ(r.final_state[0].readout, (std::vector<int32_t>{120}));
  EXPECT_EQ(r.total_cycles, 108u);
}

TEST(Golden, AlifSmallFinalStateMatchesHandDerivation) {
  // traces/golden/alif_small/PROVENANCE.md ends with u = (9, -115), a = (16, 0), ref = (0, 0),
  // v = -16 after 6 timesteps and 64 cycles.
  const sim::RunConfig rc =
      sim::load_run_config(std::string(NEUROCHIP_REPO_ROOT) + "/configs/examples/alif_small.yaml");
  const sim::RunResult r = sim::run_functional(rc.chip, rc.image, sim::stimulus_schedule(rc), rc.workload.timesteps, false);
  ASSERT_EQ(r.final_state.size(), 1u);
  EXPECT_EQ(r.final_state[0].field("u"), (std::vector<int32_t>{9, -115}));
  EXPECT_EQ(r.final_state[0].field("a"), (std::vector<int32_t>{16, 0}));
  EXPECT_EQ(r.final_state[0].field("ref"), (std::vector<int32_t>{0, 0}));
  EXPECT_EQ(r.final_state[0].readout, (std::vector<int32_t>{-16}));
  EXPECT_EQ(r.total_cycles, 64u);
}

}  // namespace
}  // namespace neurochip
