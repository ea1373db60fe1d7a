// Word parameters (SPEC.md §3.1): a threshold and an alpha per neuron-SRAM word, shared by the
// word's neurons (ReckOn's layout). One core holding two populations' parameters in its words
// behaves exactly as two cores holding them in their registers; the stochastic-rounding LFSRs skip
// the words whose alpha is exactly 1.0; the learning engine decays each word's traces with that
// word's alpha; and every way to get the parameters wrong is a positioned configuration error.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "config/config_loader.h"
#include "core/core_datapath.h"
#include "core/neuron_models/lif.h"
#include "core/neuron_param_runs.h"
#include "io/workload_stimulus.h"
#include "learning/eprop_engine.h"
#include "reference/functional_model.h"
#include "support/test_chips.h"

namespace neurochip {
namespace {

using sim::ConfigError;
using sim::load_run_config_from_string;
using sim::RunConfig;
using Messages = std::vector<std::string>;

const std::string kDir = NEUROCHIP_REPO_ROOT;

std::string core_yaml(const std::string& name, bool word_parameters, int threshold, const std::string& alpha,
                      uint32_t neurons) {
  return "    - name: " + name + "\n      neuron: {model: lif, threshold: " + std::to_string(threshold) +
         ", alpha: " + alpha + ", reset: subtract}\n      memory: {max_inputs: 8, max_neurons: " +
         std::to_string(neurons) + ", max_readouts: 0, neurons_per_word: 2, word_parameters: " +
         (word_parameters ? "true" : "false") + ", neuron_sram: {words: " + std::to_string(neurons / 2) +
         "}, input_weight_sram: {words: " + std::to_string(8 * ((neurons + 15) / 16)) +
         "}, recurrent_weight_sram: {words: " + std::to_string(neurons * ((neurons + 15) / 16)) +
         "}, output_weight_sram: {words: 1}}\n";
}

/// `fast` (alpha 0x7800, threshold 300) and `slow` (the core's 0x7FEF, 614), 10 neurons each, each
/// driven by its own 8 Poisson inputs with a fixed seed: on one core with word parameters, or on
/// two cores with the values in their registers.
std::string two_populations(bool one_core) {
  const std::string chip = one_core ? "chip:\n  cores:\n" + core_yaml("c", true, 614, "0x7FEF", 20)
                                    : "chip:\n  cores:\n" + core_yaml("c_fast", false, 300, "0x7800", 10) +
                                          core_yaml("c_slow", false, 614, "0x7FEF", 10);
  const std::string fast_core = one_core ? "c" : "c_fast", slow_core = one_core ? "c" : "c_slow";
  return chip + "workload:\n  timesteps: 400\n  populations:\n" +
         "    - {name: in_fast, kind: input, size: 4, core: " + fast_core + "}\n" +
         "    - {name: in_slow, kind: input, size: 4, core: " + slow_core + "}\n" +
         "    - {name: fast, kind: neuron, size: 10, core: " + fast_core +
         (one_core ? ", neuron: {threshold: 300, alpha: 0x7800}" : "") + "}\n" +
         "    - {name: slow, kind: neuron, size: 10, core: " + slow_core + "}\n" +
         "  projections:\n"
         "    - {from: in_fast, to: fast, connectivity: dense, weight_uniform: [0, 40], seed: 5}\n"
         "    - {from: in_slow, to: slow, connectivity: dense, weight_uniform: [0, 40], seed: 6}\n"
         "    - {from: fast, to: fast, connectivity: random, probability: 0.3, weight_uniform: [-20, 20], seed: 7}\n"
         "    - {from: slow, to: slow, connectivity: random, probability: 0.3, weight_uniform: [-20, 20], seed: 8}\n"
         "  inputs:\n"
         "    - {population: in_fast, poisson: {rate_hz: 80, seed: 1}}\n"
         "    - {population: in_slow, poisson: {rate_hz: 80, seed: 2}}\n";
}

/// (timestep, population, neuron within it) of every spike; population 0 = fast, 1 = slow.
std::vector<std::array<uint64_t, 3>> spikes_by_population(const RunConfig& rc, bool one_core) {
  const sim::RunResult r =
      sim::run_functional(rc.chip, rc.image, sim::stimulus_schedule(rc), rc.workload.timesteps, false);
  std::vector<std::array<uint64_t, 3>> out;
  for (const hw::EmittedSpike& s : r.spikes) {
    const uint64_t population = one_core ? (s.neuron >= 10 ? 1 : 0) : s.core;
    const uint64_t neuron = one_core ? s.neuron % 10 : s.neuron;
    out.push_back({s.timestep, population, neuron});
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(WordParameters, OneCoreWithWordParametersRunsAsTwoCoresWithRegisters) {
  const RunConfig one = load_run_config_from_string(two_populations(true), "one.yaml", kDir);
  const RunConfig two = load_run_config_from_string(two_populations(false), "two.yaml", kDir);
  // The one core's words: 5 words of fast (0x7800, 300), then 5 of slow and the unused rest (the core's).
  const hw::CoreImage& im = one.image.cores[0];
  ASSERT_EQ(im.word_thresholds.size(), 10u);
  EXPECT_EQ(im.word_thresholds[4], 300);
  EXPECT_EQ(im.word_alphas[4], 0x7800);
  EXPECT_EQ(im.word_thresholds[5], 614);
  EXPECT_EQ(im.word_alphas[5], 0x7FEF);
  const auto a = spikes_by_population(one, true), b = spikes_by_population(two, false);
  EXPECT_GT(a.size(), 200u);
  size_t fast = 0;
  for (const auto& s : a) fast += s[1] == 0 ? 1 : 0;
  EXPECT_GT(fast, 50u);
  EXPECT_LT(fast, a.size() - 50);
  EXPECT_EQ(a, b);
  // Giving fast the slow population's values changes its spikes: the word values are used.
  std::string same = two_populations(true);
  same.replace(same.find("threshold: 300, alpha: 0x7800"), 29, "threshold: 614, alpha: 0x7FEF");
  EXPECT_NE(spikes_by_population(load_run_config_from_string(same, "same.yaml", kDir), true), a);
}

TEST(WordParameters, RunsMergeEqualWordsAndCutAtTheNeuronCount) {
  const hw::NeuronParams core(hw::neuron_model("lif"));
  const std::vector<hw::NeuronParamRun> one = hw::neuron_param_runs(core, {}, {}, 2, 7);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].end, 7u);
  const auto runs = hw::neuron_param_runs(core, {5, 5, 6, 6, 6}, {0x7000, 0x7000, 0x7000, 0x7001, 0x7001}, 2, 9);
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ((std::vector<uint32_t>{runs[0].begin, runs[0].end, runs[1].begin, runs[1].end, runs[2].begin,
                                   runs[2].end}),
            (std::vector<uint32_t>{0, 4, 4, 6, 6, 9}));
  EXPECT_EQ(runs[1].params.get("threshold"), 6);
  EXPECT_EQ(runs[2].params.get("alpha"), 0x7001);
  EXPECT_EQ(runs[2].params.get("reset"), core.get("reset"));
}

// SPEC §2.3: a word whose alpha is exactly 1.0 does not round and does not advance the lane LFSRs.
TEST(WordParameters, MembraneLfsrsAdvanceOnlyForWordsThatRound) {
  test::TestCore core = test::tiny_core(1, 6, 0);
  core.memory.neurons_per_word = 2;
  core.memory.word_parameters = true;
  core.memory.neuron_sram.words = 3;
  core.rounding.mode = hw::RoundingMode::kStochastic;
  core.neuron.set("alpha", 0x7FEF);
  core.image.word_thresholds = {100, 100, 100};
  core.image.word_alphas = {0x8000, 0x7FEF, 0x8000};
  hw::CoreDatapath dp(core, core.image);
  dp.begin_timestep(hw::Ps(1));
  dp.sync();
  dp.step();
  // One advance (word 1) per lane, not three.
  for (uint32_t l = 0; l < 2; ++l) {
    hw::StreamLfsr expected(hw::reckon_membrane_lfsr(), hw::membrane_lane_seed(core.rounding.membrane_seed, l));
    expected.advance();
    EXPECT_EQ(dp.rounding()->lane(l).window(), expected.window()) << "lane " << l;
  }
}

// SPEC §6.1: the input and recurrent traces of word w decay with word w's alpha.
TEST(WordParameters, TracesDecayWithTheirWordsAlpha) {
  hw::CoreConfig cfg;
  cfg.enabled = {4, 4, 1};
  cfg.learning.force_traces = true;
  hw::EpropEngine e(cfg);
  for (uint32_t i = 0; i < 4; ++i) e.on_spike(i);  // recurrent traces 8 << 4 = 128
  e.decay(2, true, {0x8000, 0x6000});
  // Word 0 (slots 0, 1): alpha 1.0 keeps 128; word 1 (slots 2, 3): floor(128 * 0.75) = 96.
  EXPECT_EQ(e.trace_recurrent(), (std::vector<uint16_t>{128, 128, 96, 96}));
}

Messages errors_of(const std::string& yaml) {
  try {
    load_run_config_from_string(yaml, "wp.yaml", kDir);
  } catch (const ConfigError& e) {
    Messages out;
    for (const sim::ConfigDiagnostic& d : e.diagnostics()) out.push_back(d.str());
    return out;
  }
  return {};
}

TEST(WordParameters, ConfigErrorsArePositioned) {
  const std::string chip = "chip:\n  cores:\n" + core_yaml("c", true, 614, "0x7FEF", 20);
  const std::string pops = "workload:\n  timesteps: 10\n  populations:\n    - {name: i, kind: input, size: 4}\n";
  // Two populations sharing word 2 (neurons 4 and 5) with different values.
  EXPECT_EQ(errors_of(chip + pops + "    - {name: a, kind: neuron, size: 5, neuron: {threshold: 300}}\n" +
                      "    - {name: b, kind: neuron, size: 5}\n"),
            Messages{"wp.yaml:11:7: population 'b' (threshold 614, alpha 0x7FEF) shares neuron word 2 with "
                     "population 'a' (threshold 300, alpha 0x7FEF): the 2 neurons of a word share its threshold and "
                     "alpha (SPEC §3.1); give both the same values or make the first population's size a multiple "
                     "of memory.neurons_per_word"});
  // The same values in a shared word are fine.
  EXPECT_TRUE(errors_of(chip + pops + "    - {name: a, kind: neuron, size: 5, neuron: {threshold: 614}}\n" +
                        "    - {name: b, kind: neuron, size: 5}\n")
                  .empty());
  // A population of another kind, and a core without word parameters.
  EXPECT_EQ(errors_of(chip + pops.substr(0, pops.size() - 1) + "\n    - {name: r, kind: readout, size: 1, neuron: "
                                                                "{threshold: 3}}\n"),
            Messages{"wp.yaml:10:41: 'neuron' sets the threshold and alpha of neuron words: only a population of "
                     "kind neuron has them, this one has kind readout"});
  const std::string registers = "chip:\n  cores:\n" + core_yaml("c", false, 614, "0x7FEF", 20);
  EXPECT_EQ(errors_of(registers + pops + "    - {name: a, kind: neuron, size: 4, neuron: {alpha: 0x7000}}\n"),
            Messages{"wp.yaml:10:40: population 'a' sets its own neuron parameters, but core 'c' keeps threshold and "
                     "alpha in its registers: set chip.cores[0].memory.word_parameters: true to hold them in each "
                     "neuron word (SPEC §3.1)"});
  // ReckOn's alpha range, for the population and for the core.
  EXPECT_EQ(errors_of(chip + pops + "    - {name: a, kind: neuron, size: 4, neuron: {alpha: 0x6FFF}}\n"),
            Messages{"wp.yaml:10:56: expected an integer in 0x7000..0x8FFF, got '0x6FFF'"});
  EXPECT_EQ(errors_of("chip:\n  cores:\n" + core_yaml("c", true, 614, "0x4000", 20) + pops +
                      "    - {name: a, kind: neuron, size: 4}\n"),
            Messages{"wp.yaml:4:51: with memory.word_parameters the neuron words hold alpha as 0x7 or 0x8 and 12 "
                     "low bits: alpha must be in 0x7000..0x8FFF, got 0x4000"});
  EXPECT_EQ(errors_of(chip + pops + "    - {name: a, kind: neuron, size: 4, neuron: {thresh: 1}}\n"),
            Messages{"wp.yaml:10:49: unknown key 'thresh' (expected one of: threshold, alpha)"});
}

}  // namespace
}  // namespace neurochip
