// Unit tests of the loader's diagnostics (sim/config/config_loader.h): one fixture per error class
// in tests/data/bad_configs/, each checked for the exact "file:line:col: message" text, plus small
// inline documents for the remaining rules of configs/README.md.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/config_loader.h"

namespace neurochip::sim {
namespace {

const std::string kBad = std::string(NEUROCHIP_TEST_DATA) + "/bad_configs";

using Messages = std::vector<std::string>;

Messages messages_of(const ConfigError& e) {
  Messages out;
  for (const ConfigDiagnostic& d : e.diagnostics()) out.push_back(d.str());
  return out;
}

/// Every diagnostic of loading fixture `name` (empty if it loads).
Messages fixture_errors(const std::string& name) {
  try {
    load_run_config(kBad + "/" + name);
  } catch (const ConfigError& e) {
    return messages_of(e);
  }
  return {};
}

/// Every diagnostic of loading an inline document named "inline.yaml".
Messages inline_errors(const std::string& yaml, const std::vector<std::string>& overrides = {}) {
  try {
    load_run_config_from_string(yaml, "inline.yaml", kBad, overrides);
  } catch (const ConfigError& e) {
    return messages_of(e);
  }
  return {};
}

/// "file:line:col: message" for a fixture file.
std::string at(const std::string& name, int line, int col, const std::string& message) {
  return kBad + "/" + name + ":" + std::to_string(line) + ":" + std::to_string(col) + ": " + message;
}

// ---- one fixture per error class ---------------------------------------------------------------

TEST(ConfigErrors, UnknownKeyListsAllowedKeysAndSuggestsTheClosest) {
  EXPECT_EQ(fixture_errors("unknown_key.yaml"),
            Messages{at("unknown_key.yaml", 6, 9,
                        "unknown key 'treshold' (expected one of: model, threshold, alpha, leak_tau_ms, reset, "
                        "refractory_steps, adaptation_rho, adaptation_tau_ms, adaptation_increment) "
                        "(did you mean 'threshold'?)")});
}

TEST(ConfigErrors, WrongTypeSaysWhatWasExpected) {
  EXPECT_EQ(fixture_errors("wrong_type.yaml"),
            Messages{at("wrong_type.yaml", 6, 27, "expected an integer in 0..255, got 'abc'")});
}

TEST(ConfigErrors, OutOfRange) {
  EXPECT_EQ(fixture_errors("out_of_range.yaml"),
            Messages{at("out_of_range.yaml", 3, 14, "expected an integer in 1..10000, got '20000'")});
}

TEST(ConfigErrors, MissingRequiredKeyIsReportedAtItsMapping) {
  EXPECT_EQ(fixture_errors("missing_key.yaml"), Messages{at("missing_key.yaml", 9, 7, "missing required key 'size'")});
}

TEST(ConfigErrors, PopulationsOverflowingACore) {
  EXPECT_EQ(fixture_errors("capacity.yaml"),
            Messages{at("capacity.yaml", 11, 7, "core 'core0' needs 300 neuron slots but memory.max_neurons is 256")});
}

TEST(ConfigErrors, WeightSramTooSmall) {
  // 128-bit words hold K = 16 weights: 256 inputs x ceil(256 / 16) = 4096 words (SPEC §3.2).
  EXPECT_EQ(fixture_errors("sram_too_small.yaml"),
            Messages{at("sram_too_small.yaml", 6, 28,
                        "input_weight_sram holds 1024 words but max_inputs x ceil(max_neurons / 16) = 4096 words "
                        "are needed")});
}

TEST(ConfigErrors, SparseListsBeyondTheirSramAreReportedAtTheProjectionThatOverflows) {
  // 13-bit entries, 9 per word: 4 input lists and 20 recurrent lists of 20 entries, 3 words each (SPEC §3.4).
  EXPECT_EQ(fixture_errors("sparse_over_capacity.yaml"),
            Messages{at("sparse_over_capacity.yaml", 21, 7,
                        "core 'core0' keeps its synapses in lists (memory.synapses: sparse): with this projection "
                        "they need 72 synapse-list words (input lists 12, recurrent lists 60; 9 entries per word, "
                        "SPEC §3.4) but memory.synapse_list_sram.words is 40")});
}

TEST(ConfigErrors, SparseAxonTableNeedsAnEntryPerIndexAndRoomForIt) {
  // 256 list words: 8-bit bases; 5-bit targets + 8-bit weights = 13-bit entries, 4 per 64-bit word,
  // lists of up to ceil(32 / 4) = 8 words: 4-bit lengths.
  EXPECT_EQ(fixture_errors("sparse_axon_table.yaml"),
            (Messages{at("sparse_axon_table.yaml", 10, 21,
                         "axon_table holds 48 entries but max(max_inputs, max_neurons) = 64 presynaptic indices need "
                         "one each"),
                      at("sparse_axon_table.yaml", 10, 21,
                         "axon_table.word_bits is 16 but an entry (input and recurrent base and length) needs 2 x (8 "
                         "+ 4) = 24 bits for 256 synapse-list words and lists of up to 8 words")}));
}

TEST(ConfigErrors, LearningOnASparseCore) {
  EXPECT_EQ(fixture_errors("sparse_learning.yaml"),
            Messages{at("sparse_learning.yaml", 7, 17,
                        "the learning engine updates the input and recurrent weights word by word in their crossbar "
                        "SRAMs, but this core has memory.synapses: sparse (SPEC §3.4): use memory.synapses: "
                        "crossbar, or no learning")});
}

TEST(ConfigErrors, DuplicateSynapsesNameBothDefinitions) {
  const std::string file = kBad + "/duplicate_synapse.yaml";
  EXPECT_EQ(fixture_errors("duplicate_synapse.yaml"),
            (Messages{at("duplicate_synapse.yaml", 16, 18,
                         "synapse in[1] -> hid[2] is defined twice: by projections[1].synapses[0] and by "
                         "projections[0] at " +
                             file + ":12:7"),
                      at("duplicate_synapse.yaml", 18, 7,
                         "synapse hid[0] -> hid[0] is defined twice: by projections[3] and by projections[2] at " +
                             file + ":17:7 (8 duplicate synapses between them)")}));
}

TEST(ConfigErrors, ProjectionAcrossCores) {
  EXPECT_EQ(fixture_errors("cross_core.yaml"),
            Messages{at("cross_core.yaml", 12, 7,
                        "projection crosses cores (core0 -> core1): the cores are connected only by a network "
                        "(chip.noc)")});
}

TEST(ConfigErrors, IllegalProjectionKindPair) {
  EXPECT_EQ(fixture_errors("illegal_kind.yaml"),
            Messages{at("illegal_kind.yaml", 12, 7,
                        "illegal projection 'in' (input) -> 'out' (readout): the legal kinds are input -> neuron, "
                        "neuron -> neuron and neuron -> readout")});
}

TEST(ConfigErrors, WeightOutsideTheCoreWeightRange) {
  EXPECT_EQ(fixture_errors("weight_range.yaml"),
            (Messages{at("weight_range.yaml", 12, 56,
                         "expected an integer in -8..7 (weights.bits of core 'core0' is 4), got '8'"),
                      at("weight_range.yaml", 13, 85,
                         "expected an integer in -8..7 (weights.bits of core 'core0' is 4), got '-9'")}));
}

TEST(ConfigErrors, AlphaAndLeakTauTogether) {
  EXPECT_EQ(fixture_errors("alpha_and_tau.yaml"),
            Messages{at("alpha_and_tau.yaml", 7, 9, "give either 'alpha' or 'leak_tau_ms', not both")});
}

TEST(ConfigErrors, MalformedTraceLineIsReportedInTheCsvFile) {
  EXPECT_EQ(fixture_errors("malformed_trace.yaml"),
            Messages{at("malformed_trace.csv", 3, 1, "expected a non-negative integer timestep, got 'x'")});
}

TEST(ConfigErrors, BadSynapseFileCells) {
  EXPECT_EQ(
      fixture_errors("bad_synapse_file.yaml"),
      (Messages{at("bad_synapses.csv", 3, 1, "expected an integer in 0..3 (size of population 'in' is 4), got '4'"),
                at("bad_synapses.csv", 4, 6,
                   "expected an integer in -128..127 (weights.bits of core 'core0' is 8), got 'abc'"),
                at("bad_synapses.csv", 5, 1, "expected 3 comma-separated values 'pre,post,weight', got 2")}));
}

TEST(ConfigErrors, MissingFilesAreReportedAtTheirKey) {
  EXPECT_EQ(fixture_errors("missing_file.yaml"),
            (Messages{at("missing_file.yaml", 11, 47, "cannot open file '" + kBad + "/no_such_synapses.csv'"),
                      at("missing_file.yaml", 13, 24, "cannot open file '" + kBad + "/no_such_trace.csv'")}));
}

TEST(ConfigErrors, SeveralErrorsAreReportedAtOnceInDocumentOrder) {
  EXPECT_EQ(
      fixture_errors("several_errors.yaml"),
      (Messages{
          at("several_errors.yaml", 3, 14, "expected an integer in 1..10000, got '0'"),
          at("several_errors.yaml", 4, 22, "expected one of free_running | fixed, got 'fixd' (did you mean 'fixed'?)"),
          at("several_errors.yaml", 7, 23, "expected 2, 4 or 8, got '3'"),
          at("several_errors.yaml", 9, 3, "missing required key 'timesteps' or 'samples'"),
          at("several_errors.yaml", 13, 22, "unknown population 'hdd' (did you mean 'hid'?)"),
          at("several_errors.yaml", 15, 43,
             "expected a number in 0..1000 (at most one spike per timestep of 1000 us), got '-1'"),
          at("several_errors.yaml", 16, 1, "unknown key 'outputs' (expected one of: chip, workload)"),
      }));
}

TEST(ConfigErrors, ErrorTextJoinsAllDiagnostics) {
  try {
    load_run_config(kBad + "/missing_file.yaml");
    FAIL() << "no ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), messages_of(e)[0] + "\n" + messages_of(e)[1]);
  }
}

// ---- remaining rules, inline -------------------------------------------------------------------

const std::string kWorkload =
    "workload:\n"
    "  timesteps: 5\n"
    "  populations: [{name: in, kind: input, size: 4}, {name: hid, kind: neuron, size: 8}]\n";

TEST(ConfigErrors, UnreadableConfigAndYamlSyntax) {
  try {
    load_run_config(kBad + "/no_such_config.yaml");
    FAIL() << "no ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(messages_of(e), Messages{kBad + "/no_such_config.yaml: cannot open config file"});
  }
  EXPECT_EQ(inline_errors("chip: [1, 2\nworkload: 3\n"),
            Messages{"inline.yaml:2:9: YAML syntax error: end of sequence flow not found"});
  EXPECT_EQ(inline_errors(""), (Messages{"inline.yaml:1:1: missing required key 'chip'",
                                         "inline.yaml:1:1: missing required key 'workload'"}));
  EXPECT_EQ(inline_errors("chip:\n  name: a\n  name: b\n  cores: [{name: c}]\n" + kWorkload),
            Messages{"inline.yaml:3:3: duplicate key 'name' (first given at inline.yaml:2:3)"});
}

TEST(ConfigErrors, TimestepPolicyRules) {
  EXPECT_EQ(inline_errors("chip:\n  timestep: {policy: fixed}\n  cores: [{name: c}]\n" + kWorkload),
            Messages{"inline.yaml:2:13: missing required key 'cycles_per_timestep' (needed by policy: fixed)"});
  EXPECT_EQ(inline_errors("chip:\n  timestep: {cycles_per_timestep: 10}\n  cores: [{name: c}]\n" + kWorkload),
            Messages{"inline.yaml:2:14: 'cycles_per_timestep' is only allowed with policy: fixed"});
}

TEST(ConfigErrors, CoreRules) {
  EXPECT_EQ(inline_errors("chip:\n  cores: [{name: c, neuron: {adaptation_increment: 3}}]\n" + kWorkload),
            Messages{"inline.yaml:2:30: 'adaptation_increment' is only allowed with model: alif"});
  EXPECT_EQ(
      inline_errors("chip:\n  cores: [{name: c, neuron: {model: alif, adaptation_rho: 1, adaptation_tau_ms: 5}}]\n" +
                    kWorkload),
      Messages{"inline.yaml:2:62: give either 'adaptation_rho' or 'adaptation_tau_ms', not both"});
  EXPECT_EQ(inline_errors("chip:\n  cores: [{name: c, readout: {kappa: 0x81}}]\n" + kWorkload),
            Messages{"inline.yaml:2:38: expected an integer in 0..0x80, got '0x81'"});
  EXPECT_EQ(inline_errors("chip:\n  cores: [{name: core 0}]\n" + kWorkload),
            Messages{"inline.yaml:2:18: expected a name of letters, digits and '_', got 'core 0'"});
  EXPECT_EQ(inline_errors("chip:\n  cores: [{name: c}, {name: c}]\nworkload:\n  timesteps: 5\n"
                          "  populations: [{name: in, kind: input, size: 4, core: c}]\n"),
            Messages{"inline.yaml:2:29: duplicate core name 'c' (first defined at inline.yaml:2:18)"});
  EXPECT_EQ(inline_errors("chip:\n  cores: []\n" + kWorkload),
            Messages{"inline.yaml:2:10: expected a non-empty list of cores or {count, template}, got an empty list"});
  EXPECT_EQ(inline_errors("chip:\n  cores: [{name: c, neuron: {model: lif2}}]\n" + kWorkload),
            Messages{"inline.yaml:2:37: expected one of lif | alif, got 'lif2' (did you mean 'lif'?)"});
}

TEST(ConfigErrors, RoundingRules) {
  const std::string head = "chip:\n  cores: [{name: c, ";
  // Two lanes (neurons_per_word 2): 0x1234 leaves lane 1 (bits 29:15) at 0.
  EXPECT_EQ(inline_errors(head + "rounding: {mode: stochastic, membrane_seed: 0x1234}}]\n" + kWorkload),
            Messages{"inline.yaml:2:65: membrane_seed gives lane 1 (bits 29:15) the seed 0, which locks its LFSR at "
                     "0; every lane needs a non-zero 15-bit seed"});
  EXPECT_EQ(inline_errors(head + "memory: {neurons_per_word: 1, neuron_sram: {words: 256}}, rounding: {mode: stochastic, "
                          "membrane_seed: 0x8001}}]\n" +
                          kWorkload),
            Messages{"inline.yaml:2:123: membrane_seed has bits set above bit 14, but the core has 1 neuron lane(s) "
                     "of 15 seed bits each (neurons_per_word)"});
  EXPECT_EQ(inline_errors(head + "memory: {neurons_per_word: 5}, rounding: {mode: stochastic}}]\n" + kWorkload),
            Messages{"inline.yaml:2:62: rounding.mode stochastic needs memory.neurons_per_word ≤ 4 (one 15-bit "
                     "membrane seed per lane in the 64-bit membrane_seed), got 5"});
  EXPECT_EQ(inline_errors(head + "rounding: {mode: round}}]\n" + kWorkload),
            Messages{"inline.yaml:2:38: expected one of floor | stochastic, got 'round'"});
  EXPECT_EQ(inline_errors(head + "rounding: {readout_seed: 0}}]\n" + kWorkload),
            Messages{"inline.yaml:2:46: expected an integer in 0x1..0x7FFF, got '0'"});
  // With floor rounding the seeds are not used, so a lane seed of 0 is no error.
  EXPECT_EQ(inline_errors(head + "rounding: {membrane_seed: 0x1234}}]\n" + kWorkload), Messages{});
}

TEST(ConfigErrors, SampleRules) {
  const std::string chip = "chip:\n  cores: [{name: c}]\n";
  const std::string pops =
      "  populations: [{name: in, kind: input, size: 4}, {name: hid, kind: neuron, size: 8}, "
      "{name: out, kind: readout, size: 2}]\n";
  const std::string data = std::string(NEUROCHIP_TEST_DATA) + "/samples/";
  auto doc = [&](const std::string& samples) { return chip + "workload:\n" + pops + "  samples: " + samples + "\n"; };
  // A valid run: 3 samples of 6 timesteps in ReckOn's format.
  EXPECT_EQ(inline_errors(doc("{population: in, file: " + data + "three.dat, format: reckon}")), Messages{});
  EXPECT_EQ(inline_errors(chip + "workload:\n  timesteps: 5\n" + pops + "  samples: {population: in, file: " + data +
                          "three.dat, format: reckon}\n"),
            Messages{"inline.yaml:6:3: give either 'timesteps' or 'samples', not both (with samples the run lasts "
                     "samples x timesteps per sample)"});
  EXPECT_EQ(inline_errors(chip + "workload:\n" + pops),
            Messages{"inline.yaml:4:3: missing required key 'timesteps' or 'samples'"});
  EXPECT_EQ(inline_errors(doc("{population: hid, file: " + data + "three.dat, format: reckon}")),
            Messages{"inline.yaml:5:25: population 'hid' has kind neuron; samples can only drive populations of kind "
                     "input"});
  EXPECT_EQ(inline_errors(doc("{population: in, file: " + data + "two.csv}")),
            Messages{"inline.yaml:5:12: missing required key 'timesteps' (needed by format: csv)"});
  EXPECT_EQ(inline_errors(doc("{population: in, file: " + data + "three.dat, format: reckon, timesteps: 7}")),
            Messages{"inline.yaml:5:" + std::to_string(73 + data.size()) + ": samples.timesteps is 7 but the samples in '" +
                     data + "three.dat' last 6 timesteps"});
  EXPECT_EQ(inline_errors(doc("{population: in, file: " + data + "three.dat, format: reckon, count: 4}")),
            Messages{"inline.yaml:5:" + std::to_string(69 + data.size()) + ": count is 4 but '" + data +
                     "three.dat' has 3 samples"});
  EXPECT_EQ(inline_errors(doc("{population: in, file: " + data + "three.dat, format: reckon, infer_from: 6}")),
            Messages{"inline.yaml:5:" + std::to_string(74 + data.size()) +
                     ": infer_from must be less than the 6 timesteps of a sample, got 6"});
  EXPECT_EQ(inline_errors(doc("{population: in, file: " + data + "three.dat, format: reckon, labels: x.csv}")),
            Messages{"inline.yaml:5:" + std::to_string(62 + data.size()) + ": 'labels' is only allowed with format: csv"});
}

TEST(ConfigErrors, NoiseRules) {
  const std::string head = "chip:\n  cores: [{name: c, ";
  EXPECT_EQ(inline_errors(head + "memory: {neurons_per_word: 3, neuron_sram: {words: 86}}, noise: {enabled: true}}]\n" +
                          kWorkload),
            Messages{"inline.yaml:2:85: noise.enabled needs memory.neurons_per_word ≤ 2 (a 32-bit noise draw has two "
                     "16-bit lanes), got 3"});
  EXPECT_EQ(inline_errors(head + "noise: {shift: 16}}]\n" + kWorkload),
            Messages{"inline.yaml:2:36: expected an integer in 0..15, got '16'"});
  EXPECT_EQ(inline_errors(head + "noise: {seed: 0}}]\n" + kWorkload),
            Messages{"inline.yaml:2:35: expected an integer in 0x1..0x1FFFF, got '0'"});
}

TEST(ConfigErrors, LearningRules) {
  const std::string head = "chip:\n  cores: [{name: c, ";
  EXPECT_EQ(inline_errors(head + "learning: {update_output: true}, weights: {bits: 4}}]\n" + kWorkload),
            Messages{"inline.yaml:2:31: the learning engine updates 16 8-bit weights per 128-bit word: it needs "
                     "weights.bits 8 and word_bits 128 in the input, recurrent and output weight SRAMs"});
  EXPECT_EQ(inline_errors(head + "learning: {update_output: true}, memory: {max_readouts: 17, output_weight_sram: "
                                 "{words: 512}}}]\n" + kWorkload),
            Messages{"inline.yaml:2:31: the learning engine keeps a neuron's output weights in one 16-lane word: "
                     "memory.max_readouts must be at most 16, got 17"});
  EXPECT_EQ(inline_errors(head + "learning: {force_traces: true}, memory: {neurons_per_word: 4, neuron_sram: "
                                 "{words: 64}}}]\n" + kWorkload),
            Messages{"inline.yaml:2:31: the learning engine's traces need 34 bits per neuron slot: neurons_per_word x "
                     "(state bits + 34) = 4 x 50 = 200 bits, more than neuron_sram.word_bits 128"});
  // With word parameters: 2 x 50 + 28 = 128 bits fit ReckOn's word; with a refractory counter
  // (2 x 58 + 28 = 144) they do not.
  EXPECT_TRUE(inline_errors(head + "learning: {force_traces: true}, memory: {word_parameters: true}}]\n" + kWorkload)
                  .empty());
  EXPECT_EQ(inline_errors(head + "neuron: {refractory_steps: 1}, learning: {force_traces: true}, memory: "
                                 "{word_parameters: true}}]\n" + kWorkload),
            Messages{"inline.yaml:2:62: the learning engine's traces need 34 bits per neuron slot: neurons_per_word x "
                     "(state bits + 34) + word parameters = 2 x 58 + 28 = 144 bits, more than neuron_sram.word_bits "
                     "128"});
  EXPECT_EQ(inline_errors(head + "learning: {update_output: yes}}]\n" + kWorkload),
            Messages{"inline.yaml:2:47: expected true or false, got 'yes'"});
}

TEST(ConfigErrors, NeuronAndWeightSramGeometry) {
  // 6 LIF states of 24 bits (with a refractory counter) need 144 bits; 128-bit words hold 5 (SPEC §3.1).
  EXPECT_EQ(inline_errors("chip:\n  cores: [{name: c, neuron: {refractory_steps: 2}, memory: {neurons_per_word: 6}}]\n" +
                          kWorkload),
            Messages{"inline.yaml:2:60: neuron_sram.word_bits is 128 but neurons_per_word x state bits (lif) = "
                     "6 x 24 = 144 bits are needed"});
  // Without a refractory period a LIF state is 16 bits: 9 per word need 144 bits.
  EXPECT_EQ(inline_errors("chip:\n  cores: [{name: c, memory: {neurons_per_word: 9, neuron_sram: {words: 29}}}]\n" +
                          kWorkload),
            Messages{"inline.yaml:2:64: neuron_sram.word_bits is 128 but neurons_per_word x state bits (lif) = "
                     "9 x 16 = 144 bits are needed"});
  // ALIF states without refractory counter are 32 bits: 5 per word need 160 bits.
  EXPECT_EQ(
      inline_errors("chip:\n  cores: [{name: c, neuron: {model: alif}, memory: {neurons_per_word: 5, neuron_sram: "
                    "{words: 52}}}]\n" + kWorkload),
      Messages{"inline.yaml:2:87: neuron_sram.word_bits is 128 but neurons_per_word x state bits (alif) = "
               "5 x 32 = 160 bits are needed"});
  // Word parameters take 28 bits: 7 LIF states (112 bits) + 28 do not fit.
  EXPECT_EQ(inline_errors("chip:\n  cores: [{name: c, memory: {neurons_per_word: 7, word_parameters: true, "
                          "neuron_sram: {words: 37}}}]\n" + kWorkload),
            Messages{"inline.yaml:2:87: neuron_sram.word_bits is 128 but neurons_per_word x state bits (lif) + word "
                     "parameters = 7 x 16 + 28 = 140 bits are needed"});
  EXPECT_EQ(inline_errors("chip:\n  cores: [{name: c, memory: {neuron_sram: {words: 100}}}]\n" + kWorkload),
            Messages{"inline.yaml:2:43: neuron_sram holds 100 words but ceil(max_neurons / neurons_per_word) = "
                     "128 words are needed"});
  EXPECT_EQ(inline_errors("chip:\n  cores: [{name: c, memory: {output_weight_sram: {word_bits: 100}}}]\n" + kWorkload),
            Messages{"inline.yaml:2:50: output_weight_sram.word_bits 100 is not a multiple of weights.bits 8"});
  // With no readouts the output SRAM needs no words at all.
  EXPECT_EQ(inline_errors("chip:\n  cores: [{name: c, memory: {max_readouts: 0, output_weight_sram: {words: 1}}}]\n" +
                          kWorkload),
            Messages{});
}

TEST(ConfigErrors, AutoPlacementRules) {
  const std::string pops = "workload:\n  timesteps: 5\n  populations:\n";
  // Without a network there is nothing to place over.
  EXPECT_EQ(inline_errors("chip:\n  cores: [{name: core0}, {name: core1}]\n" + pops +
                          "    - {name: in, kind: input, size: 4, core: auto}\n"),
            Messages{"inline.yaml:6:46: core: auto places populations over the cores of a chip with a network "
                     "(chip.noc), and this chip has none: name the population's core"});
  const std::string mesh = "chip:\n  noc: {width: 2, height: 1}\n  cores: {count: 2, template: {name: c, memory: "
                           "{max_inputs: 8, max_neurons: 8, max_readouts: 4}}}\n";
  // An input and a readout of one group pinned to different cores.
  EXPECT_EQ(inline_errors(mesh + pops +
                          "    - {name: in, kind: input, size: 4, core: c0}\n"
                          "    - {name: h, kind: neuron, size: 4, core: auto}\n"
                          "    - {name: r, kind: readout, size: 2, core: c1}\n"
                          "  projections:\n    - {from: in, to: h, weight: 1}\n    - {from: h, to: r, weight: 1}\n"),
            Messages{"inline.yaml:9:47: populations 'in', 'h' and 'r' must share a core, but 'in' is placed on core "
                     "'c0' and 'r' on core 'c1': an input population feeds only neurons of its own core and a readout "
                     "only neurons of its own core (SPEC §7.7)"});
  // A group no core has room for: c0 has 3 neurons left, c1 4, the group needs 6.
  EXPECT_EQ(inline_errors(mesh + pops +
                          "    - {name: a, kind: neuron, size: 5, core: c0}\n"
                          "    - {name: b, kind: neuron, size: 4, core: c1}\n"
                          "    - {name: in, kind: input, size: 2, core: auto}\n"
                          "    - {name: h, kind: neuron, size: 3, core: auto}\n"
                          "    - {name: h2, kind: neuron, size: 3, core: auto}\n"
                          "  projections:\n    - {from: in, to: h, weight: 1}\n    - {from: in, to: h2, weight: 1}\n"
                          "    - {from: h, to: a, weight: 1}\n"),
            Messages{"inline.yaml:9:46: core: auto finds no core with room for populations 'in', 'h' and 'h2' (one "
                     "core: an input population feeds only neurons of its own core and a readout only neurons of its "
                     "own core (SPEC §7.7)): they need 2 input and 6 neuron slots, and the most any core has left is 8 "
                     "input and 4 neuron slots"});
  // A population's own neuron parameters are checked against the core the fill chose.
  EXPECT_EQ(inline_errors(mesh + pops + "    - {name: h, kind: neuron, size: 4, core: auto, neuron: {threshold: 5}}\n"),
            Messages{"inline.yaml:7:52: population 'h' sets its own neuron parameters, but core 'c0' keeps threshold "
                     "and alpha in its registers: set chip.cores[0].memory.word_parameters: true to hold them in each "
                     "neuron word (SPEC §3.1)"});
  // The remote axons come after the placement and are reported at the projection that needs them.
  EXPECT_EQ(inline_errors(mesh + pops +
                          "    - {name: in, kind: input, size: 6, core: auto}\n"
                          "    - {name: h, kind: neuron, size: 4, core: auto}\n"
                          "    - {name: g, kind: neuron, size: 8, core: auto}\n"
                          "  projections:\n    - {from: in, to: h, weight: 1}\n    - {from: g, to: h, weight: 1}\n"),
            Messages{"inline.yaml:12:7: core 'c0' needs 14 input axons (6 for its inputs and 8 for the neurons of "
                     "other cores that project onto it) but memory.max_inputs is 8 (core: auto placed populations "
                     "here by their input, neuron and readout slots; the axons of remote neurons come after the "
                     "placement: place some of them explicitly)"});
}

TEST(ConfigErrors, PopulationRules) {
  const std::string two_cores = "chip:\n  cores: [{name: core0}, {name: core1}]\n";
  EXPECT_EQ(
      inline_errors(two_cores + "workload:\n  timesteps: 5\n  populations:\n    - {name: in, kind: input, size: 4}\n"),
      Messages{"inline.yaml:6:7: missing required key 'core' (the chip has 2 cores)"});
  EXPECT_EQ(
      inline_errors(two_cores +
                    "workload:\n  timesteps: 5\n  populations:\n    - {name: in, kind: input, size: 4, core: cor1}\n"),
      Messages{"inline.yaml:6:46: unknown core 'cor1' (expected one of: core0, core1) (did you mean 'core1'?)"});
  EXPECT_EQ(inline_errors("chip:\n  cores: [{name: c}]\nworkload:\n  timesteps: 5\n  populations:\n"
                          "    - {name: in, kind: input, size: 4}\n    - {name: in, kind: neuron, size: 0}\n"),
            (Messages{"inline.yaml:7:14: duplicate population name 'in' (first defined at inline.yaml:6:7)",
                      "inline.yaml:7:38: expected an integer in 1..4294967295, got '0'"}));
  EXPECT_EQ(inline_errors("chip:\n  cores: [{name: c}]\nworkload:\n  timesteps: 5\n  populations: []\n"),
            Messages{"inline.yaml:5:16: expected a non-empty list of populations, got an empty list"});
  EXPECT_EQ(inline_errors("chip:\n  cores: [{name: c}]\nworkload:\n  timesteps: 5\n  populations:\n"
                          "    - {name: in, kind: inpt, size: 4}\n"),
            Messages{"inline.yaml:6:24: expected one of input | neuron | readout, got 'inpt' (did you mean 'input'?)"});
}

TEST(ConfigErrors, ProjectionRules) {
  auto with_projection = [](const std::string& p) {
    return inline_errors("chip:\n  cores: [{name: c}]\n" + kWorkload + "  projections:\n    - " + p + "\n");
  };
  EXPECT_EQ(with_projection("{from: in, to: hid, connectivity: one_to_one, weight: 1}"),
            Messages{"inline.yaml:7:7: one_to_one needs populations of equal size, got 'in' (4) -> 'hid' (8)"});
  EXPECT_EQ(
      with_projection("{from: in, to: hid}"),
      Messages{"inline.yaml:7:7: missing required key 'weight' or 'weight_uniform' (needed by connectivity: dense)"});
  EXPECT_EQ(with_projection("{from: in, to: hid, weight: 1, weight_uniform: [0, 1]}"),
            Messages{"inline.yaml:7:38: give either 'weight' or 'weight_uniform', not both"});
  EXPECT_EQ(with_projection("{from: in, to: hid, weight_uniform: [3, 1]}"),
            Messages{"inline.yaml:7:43: expected min <= max, got [3, 1]"});
  EXPECT_EQ(with_projection("{from: in, to: hid, weight: 1, probability: 0.5}"),
            Messages{"inline.yaml:7:38: 'probability' is only allowed with connectivity: random"});
  EXPECT_EQ(with_projection("{from: in, to: hid, connectivity: random, weight: 1}"),
            Messages{"inline.yaml:7:7: missing required key 'probability' (needed by connectivity: random)"});
  EXPECT_EQ(with_projection("{from: in, to: hid, connectivity: random, weight: 1, probability: 1.5}"),
            Messages{"inline.yaml:7:73: expected a number in 0..1, got '1.5'"});
  EXPECT_EQ(with_projection("{from: in, to: hid, connectivity: list, weight: 1, synapses: []}"),
            Messages{"inline.yaml:7:47: 'weight' is not allowed with connectivity: list (each synapse carries its own "
                     "weight)"});
  EXPECT_EQ(with_projection("{from: in, to: hid, connectivity: list, synapses: [[4, 0, 1], [0, 1]]}"),
            (Messages{"inline.yaml:7:59: expected an integer in 0..3 (size of population 'in' is 4), got '4'",
                      "inline.yaml:7:69: expected a synapse [pre, post, weight], got a list"}));
  EXPECT_EQ(with_projection("{from: in, to: hid, connectivity: rnd, weight: 1}"),
            Messages{"inline.yaml:7:41: expected one of dense | one_to_one | random | list | file, got 'rnd'"});
  EXPECT_EQ(with_projection("{from: in, to: hid, weight: 1, seed: -1}"),
            Messages{"inline.yaml:7:44: expected an unsigned 64-bit integer, got '-1'"});
}

TEST(ConfigErrors, InputRules) {
  auto with_input = [](const std::string& in) {
    return inline_errors("chip:\n  cores: [{name: c}]\n" + kWorkload + "  inputs:\n    - " + in + "\n");
  };
  EXPECT_EQ(with_input("{population: hid, poisson: {rate_hz: 1}}"),
            Messages{"inline.yaml:7:20: population 'hid' has kind neuron; inputs can only drive populations of kind "
                     "input"});
  EXPECT_EQ(with_input("{population: in}"), Messages{"inline.yaml:7:7: missing required key 'poisson' or 'trace'"});
  EXPECT_EQ(with_input("{population: in, poisson: {rate_hz: 1}, trace: t.csv}"),
            Messages{"inline.yaml:7:47: give either 'poisson' or 'trace', not both"});
  // At 1000 us per timestep a rate above 1000 Hz would need more than one spike per timestep.
  EXPECT_EQ(with_input("{population: in, poisson: {rate_hz: 2000}}"),
            Messages{"inline.yaml:7:43: expected a number in 0..1000 (at most one spike per timestep of 1000 us), "
                     "got '2000'"});
  EXPECT_EQ(
      with_input("{population: in, poisson: {rate_hs: 5}}"),
      (Messages{"inline.yaml:7:33: missing required key 'rate_hz'",
                "inline.yaml:7:34: unknown key 'rate_hs' (expected one of: rate_hz, seed) (did you mean 'rate_hz'?)"}));
}

TEST(ConfigErrors, OverrideErrorsGoThroughTheSameValidation) {
  EXPECT_EQ(inline_errors("chip:\n  cores: [{name: c}]\n" + kWorkload,
                          {"workload.timesteps=0", "chip.cores.0.weights.bits=16"}),
            (Messages{"--set:1:20: expected an integer in 1..10000000, got '0'", "--set:2:27: expected 2, 4 or 8, got '16'"}));
}

}  // namespace
}  // namespace neurochip::sim
