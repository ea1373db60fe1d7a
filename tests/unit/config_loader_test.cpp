// Unit tests of the YAML loader on valid configurations (sim/config/config_loader.h): decoding
// with every default filled, leak time-constant conversion (SPEC.md §2.3, §2.5), "--set" overrides,
// workload expansion into weight images and stimulus, the SplitMix64 streams, the input-trace
// reader (sim/io/input_trace.h) and the emit -> load round trip of the resolved configuration.
#include "config/config_loader.h"
#include "io/workload_stimulus.h"
#include "core/neuron_models/lif.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "config/network_builder.h"
#include "io/input_trace.h"

namespace neurochip::sim {
namespace {

const std::string kData = NEUROCHIP_TEST_DATA;
const std::string kGood = kData + "/good";

// ---- helpers -----------------------------------------------------------------------------------

/// Two RunConfigs are the same: every configuration key (schema equality, which compares the
/// resolved configurations) and everything the loader derives from them (slots, weight images,
/// stimulus).
void expect_same(const RunConfig& a, const RunConfig& b) {
  EXPECT_EQ(a.source_file, b.source_file);
  EXPECT_TRUE(same_configuration(a, b)) << emit_resolved_config(a) << "\n----\n" << emit_resolved_config(b);
  ASSERT_EQ(a.chip.cores.size(), b.chip.cores.size());
  for (size_t i = 0; i < a.chip.cores.size(); ++i) {
    SCOPED_TRACE("core " + std::to_string(i));
    const hw::CoreImage& x = a.image.cores[i];
    const hw::CoreImage& y = b.image.cores[i];
    EXPECT_EQ(a.chip.cores[i].enabled.inputs, b.chip.cores[i].enabled.inputs);
    EXPECT_EQ(a.chip.cores[i].enabled.neurons, b.chip.cores[i].enabled.neurons);
    EXPECT_EQ(a.chip.cores[i].enabled.readouts, b.chip.cores[i].enabled.readouts);
    EXPECT_EQ(x.input_weights, y.input_weights);
    EXPECT_EQ(x.recurrent_weights, y.recurrent_weights);
    EXPECT_EQ(x.output_weights, y.output_weights);
  }
  ASSERT_EQ(a.workload.populations.size(), b.workload.populations.size());
  for (size_t i = 0; i < a.workload.populations.size(); ++i) {
    EXPECT_EQ(a.workload.populations[i].core_index, b.workload.populations[i].core_index);
    EXPECT_EQ(a.workload.populations[i].first_slot, b.workload.populations[i].first_slot);
  }
  ASSERT_EQ(stimulus_schedule(a).size(), stimulus_schedule(b).size());
  for (size_t t = 0; t < stimulus_schedule(a).size(); ++t) {
    ASSERT_EQ(stimulus_schedule(a)[t].size(), stimulus_schedule(b)[t].size()) << "timestep " << t;
    for (size_t e = 0; e < stimulus_schedule(a)[t].size(); ++e) {
      EXPECT_EQ(stimulus_schedule(a)[t][e].core, stimulus_schedule(b)[t][e].core);
      EXPECT_EQ(stimulus_schedule(a)[t][e].address, stimulus_schedule(b)[t][e].address);
      EXPECT_EQ(stimulus_schedule(a)[t][e].offset, stimulus_schedule(b)[t][e].offset);
    }
  }
}

/// same_configuration notices a change of any one key (a few from every part of the schema).
TEST(ConfigLoader, SchemaEqualityNoticesAChangeOfAnyKey) {
  const RunConfig base = load_run_config(kGood + "/full.yaml");
  EXPECT_TRUE(same_configuration(base, load_run_config(kGood + "/full.yaml")));
  for (const char* change : {"chip.name=other", "chip.clock_mhz=200", "chip.timestep.duration_us=999",
                             "chip.cores.0.neuron.threshold=101", "chip.cores.0.timing.step_tail_cycles=5",
                             "chip.cores.0.memory.neuron_sram.word_bits=256", "workload.seed=99",
                             "workload.timesteps=7"}) {
    SCOPED_TRACE(change);
    EXPECT_FALSE(same_configuration(base, load_run_config(kGood + "/full.yaml", {change})));
  }
}

using Events = std::vector<std::pair<uint32_t, uint32_t>>;  // {core, address}

Events events_of(const std::vector<hw::AerEvent>& v) {
  Events out;
  for (const hw::AerEvent& e : v) out.emplace_back(e.core, e.address);
  return out;
}

size_t count_events(const hw::InputSchedule& s) {
  size_t n = 0;
  for (const auto& t : s) n += t.size();
  return n;
}

bool same_events(const hw::InputSchedule& a, const hw::InputSchedule& b) {
  if (a.size() != b.size()) return false;
  for (size_t t = 0; t < a.size(); ++t) {
    if (events_of(a[t]) != events_of(b[t])) return false;
  }
  return true;
}

/// A one-core config string with a single input population driven by one Poisson source.
std::string poisson_config(uint32_t channels, uint64_t timesteps, const std::string& rate,
                           const std::string& seed_line) {
  return "chip:\n  cores: [{name: c}]\nworkload:\n  timesteps: " + std::to_string(timesteps) +
         "\n  populations: [{name: in, kind: input, size: " + std::to_string(channels) +
         "}, {name: n, kind: neuron, size: 1}]\n  inputs:\n    - {population: in, poisson: {rate_hz: " + rate +
         seed_line + "}}\n";
}

// ---- decoding ----------------------------------------------------------------------------------

TEST(ConfigLoader, MinimalConfigGetsEveryDefault) {
  const RunConfig rc = load_run_config(kGood + "/minimal.yaml");
  EXPECT_EQ(rc.source_file, kGood + "/minimal.yaml");
  EXPECT_EQ(rc.chip.name, "chip");
  EXPECT_EQ(rc.chip.clock_period_ps, 10000u);
  EXPECT_EQ(rc.chip.timestep.policy, hw::TimestepPolicy::kFreeRunning);
  EXPECT_EQ(rc.chip.timestep.cycles_per_timestep, 0u);
  EXPECT_EQ(rc.chip.timestep.on_overrun, hw::OverrunAction::kHalt);
  EXPECT_EQ(rc.chip.timestep.duration_us, 1000u);
  ASSERT_EQ(rc.chip.cores.size(), 1u);
  const hw::CoreConfig& c = rc.chip.cores[0];
  EXPECT_EQ(c.name, "core0");
  EXPECT_EQ(c.neuron.model().name, "lif");
  EXPECT_EQ(c.neuron.get("threshold"), 614);
  EXPECT_EQ(c.neuron.get("alpha"), 0x7FEFu);
  EXPECT_EQ(c.neuron.get("reset"), hw::lif::kResetSubtract);
  EXPECT_EQ(c.neuron.get("refractory_steps"), 0u);
  EXPECT_EQ(c.readout.kappa, 0x79u);
  EXPECT_EQ(c.weights.bits, 8);
  EXPECT_EQ(c.weights.input_shift, 3);
  EXPECT_EQ(c.weights.recurrent_shift, 3);
  EXPECT_EQ(c.weights.output_shift, 3);
  EXPECT_EQ(c.memory.max_inputs, 256u);
  EXPECT_EQ(c.memory.max_neurons, 256u);
  EXPECT_EQ(c.memory.max_readouts, 16u);
  EXPECT_EQ(c.memory.neurons_per_word, 2u);
  EXPECT_EQ(c.memory.neuron_sram.words, 128u);
  EXPECT_EQ(c.memory.input_weight_sram.words, 4096u);
  EXPECT_EQ(c.memory.recurrent_weight_sram.words, 4096u);
  EXPECT_EQ(c.memory.output_weight_sram.words, 256u);
  for (const hw::SramGeometry* s : {&c.memory.neuron_sram, &c.memory.input_weight_sram, &c.memory.recurrent_weight_sram,
                                    &c.memory.output_weight_sram}) {
    EXPECT_EQ(s->word_bits, 128u);
  }
  EXPECT_EQ(c.timing.tick_sync_cycles, 3u);
  EXPECT_EQ(c.timing.neuron_word_cycles, 2u);
  EXPECT_EQ(c.timing.step_tail_cycles, 1u);
  EXPECT_EQ(c.timing.step_done_cycles, 1u);
  EXPECT_EQ(c.timing.scan_cycles_per_index, 1u);
  EXPECT_EQ(c.timing.input_only_cycles, 2u);

  EXPECT_EQ(rc.workload.timesteps, 10u);
  EXPECT_EQ(rc.workload.seed, 1u);
  ASSERT_EQ(rc.workload.populations.size(), 2u);
  const Population& in = rc.workload.populations[0];
  EXPECT_EQ(in.name, "in");
  EXPECT_EQ(in.kind, PopulationKind::kInput);
  EXPECT_EQ(in.size, 4u);
  EXPECT_EQ(in.core, "core0");  // the only core is the default
  EXPECT_EQ(in.core_index, 0u);
  EXPECT_EQ(in.first_slot, 0u);
  EXPECT_EQ(rc.workload.populations[1].kind, PopulationKind::kNeuron);
  EXPECT_TRUE(rc.workload.projections.empty());
  EXPECT_TRUE(rc.workload.inputs.empty());

  EXPECT_EQ(c.enabled.inputs, 4u);
  EXPECT_EQ(c.enabled.neurons, 8u);
  EXPECT_EQ(c.enabled.readouts, 0u);
  EXPECT_EQ(rc.image.cores[0].input_weights, std::vector<int8_t>(32, 0));
  EXPECT_EQ(rc.image.cores[0].recurrent_weights, std::vector<int8_t>(64, 0));
  EXPECT_TRUE(rc.image.cores[0].output_weights.empty());
  ASSERT_EQ(stimulus_schedule(rc).size(), 10u);  // one (empty) entry per timestep
  EXPECT_EQ(count_events(stimulus_schedule(rc)), 0u);
}

TEST(ConfigLoader, FullConfigDecodesEveryField) {
  const RunConfig rc = load_run_config(kGood + "/full.yaml");
  EXPECT_EQ(rc.chip.name, "tiny");
  EXPECT_EQ(rc.chip.clock_period_ps, 4000u);  // 250 MHz
  EXPECT_EQ(rc.chip.timestep.policy, hw::TimestepPolicy::kFixed);
  EXPECT_EQ(rc.chip.timestep.cycles_per_timestep, 5000u);
  EXPECT_EQ(rc.chip.timestep.on_overrun, hw::OverrunAction::kStretch);
  ASSERT_EQ(rc.chip.cores.size(), 2u);

  const hw::CoreConfig& c0 = rc.chip.cores[0];
  EXPECT_EQ(c0.neuron.get("threshold"), 100);
  EXPECT_EQ(c0.neuron.get("reset"), hw::lif::kResetZero);
  EXPECT_EQ(c0.neuron.get("refractory_steps"), 2u);
  EXPECT_EQ(c0.weights.bits, 4);
  EXPECT_EQ(c0.weights.input_shift, 1);
  EXPECT_EQ(c0.weights.recurrent_shift, 2);
  EXPECT_EQ(c0.weights.output_shift, 0);
  EXPECT_EQ(c0.memory.max_inputs, 32u);
  EXPECT_EQ(c0.memory.max_neurons, 64u);
  EXPECT_EQ(c0.memory.max_readouts, 4u);
  EXPECT_EQ(c0.memory.neurons_per_word, 4u);
  EXPECT_EQ(c0.memory.neuron_sram.words, 16u);
  EXPECT_EQ(c0.memory.neuron_sram.word_bits, 96u);
  EXPECT_EQ(c0.memory.output_weight_sram.words, 64u);
  EXPECT_EQ(c0.memory.output_weight_sram.word_bits, 64u);
  EXPECT_EQ(c0.timing.tick_sync_cycles, 4u);
  EXPECT_EQ(c0.timing.neuron_word_cycles, 3u);
  EXPECT_EQ(c0.timing.step_tail_cycles, 0u);
  EXPECT_EQ(c0.timing.step_done_cycles, 2u);
  EXPECT_EQ(c0.timing.scan_cycles_per_index, 2u);
  EXPECT_EQ(c0.timing.input_only_cycles, 5u);

  const hw::CoreConfig& c1 = rc.chip.cores[1];
  EXPECT_EQ(c1.name, "core1");
  EXPECT_EQ(c1.neuron.model().name, "alif");
  EXPECT_EQ(c1.neuron.get("threshold"), 0x200);  // hex integers are accepted everywhere
  EXPECT_EQ(c1.neuron.get("alpha"), 0x4000u);
  EXPECT_EQ(c1.neuron.get("adaptation_increment"), 50);
  EXPECT_EQ(c1.readout.kappa, 0x40u);
  EXPECT_EQ(c1.memory.max_neurons, 256u);  // untouched mappings keep their defaults

  const WorkloadConfig& w = rc.workload;
  EXPECT_EQ(w.timesteps, 20u);
  EXPECT_EQ(w.seed, 42u);
  ASSERT_EQ(w.populations.size(), 5u);
  EXPECT_EQ(w.populations[3].name, "in1");
  EXPECT_EQ(w.populations[3].core, "core1");
  EXPECT_EQ(w.populations[3].core_index, 1u);
  EXPECT_EQ(w.populations[3].first_slot, 0u);  // slots are per core and kind
  ASSERT_EQ(w.projections.size(), 3u);
  EXPECT_EQ(w.projections[1].connectivity, Connectivity::kRandom);
  EXPECT_EQ(w.projections[1].probability, 0.25);
  EXPECT_EQ(w.projections[1].weight_dist, WeightDist::kUniform);
  EXPECT_EQ(w.projections[1].weight_min, -8);
  EXPECT_EQ(w.projections[1].weight_max, 7);
  EXPECT_EQ(w.projections[1].seed, 99u);
  EXPECT_EQ(w.projections[2].connectivity, Connectivity::kOneToOne);
  ASSERT_EQ(w.inputs.size(), 2u);
  EXPECT_EQ(w.inputs[0].kind, InputKind::kPoisson);
  EXPECT_EQ(w.inputs[0].rate_hz, 50.0);
  EXPECT_EQ(w.inputs[1].seed, 5u);

  EXPECT_EQ(c0.enabled.inputs, 8u);
  EXPECT_EQ(c0.enabled.neurons, 16u);
  EXPECT_EQ(c0.enabled.readouts, 2u);
  EXPECT_EQ(c1.enabled.inputs, 4u);
  EXPECT_EQ(c1.enabled.neurons, 4u);
  EXPECT_EQ(c1.enabled.readouts, 0u);
}

TEST(ConfigLoader, LeakTimeConstantsBecomeIntegerFactors) {
  const RunConfig rc = load_run_config(kGood + "/full.yaml");
  // duration 1000 us, leak_tau_ms 2000: alpha = round(2^15 * exp(-1000 / (1000 * 2000)))
  //   = round(32768 * exp(-0.0005)) = round(32768 * 0.99950012) = round(32751.62) = 32752.
  EXPECT_EQ(rc.chip.cores[0].neuron.get("alpha"), 32752u);
  // readout leak_tau_ms 20: kappa = round(2^7 * exp(-0.05)) = round(128 * 0.95122942) = round(121.76) = 122.
  EXPECT_EQ(rc.chip.cores[0].readout.kappa, 122u);
  // adaptation_tau_ms 100: rho = round(32768 * exp(-0.01)) = round(32768 * 0.99004983) = round(32441.95) = 32442.
  EXPECT_EQ(rc.chip.cores[1].neuron.get("adaptation_rho"), 32442u);

  // The timestep duration enters the conversion: 500 us and tau 1 ms give
  // round(32768 * exp(-0.5)) = round(32768 * 0.60653066) = round(19874.80) = 19875.
  const RunConfig half =
      load_run_config(kGood + "/minimal.yaml", {"chip.timestep.duration_us=500", "chip.cores.0.neuron.leak_tau_ms=1"});
  EXPECT_EQ(half.chip.cores[0].neuron.get("alpha"), 19875u);
}

// ---- overrides ---------------------------------------------------------------------------------

TEST(ConfigLoader, OverridesChangeValuesBeforeDecoding) {
  const RunConfig rc =
      load_run_config(kGood + "/minimal.yaml",
                      {"chip.cores.0.neuron.threshold=100", "workload.timesteps=3", "chip.timestep.policy=fixed",
                       "chip.timestep.cycles_per_timestep=0x100", "workload.populations.1.size=5", "chip.name=renamed",
                       "chip.cores.0.weights={bits: 4, input_shift: 0}"});
  EXPECT_EQ(rc.chip.cores[0].neuron.get("threshold"), 100);
  EXPECT_EQ(rc.workload.timesteps, 3u);
  EXPECT_EQ(stimulus_schedule(rc).size(), 3u);
  EXPECT_EQ(rc.chip.timestep.policy, hw::TimestepPolicy::kFixed);
  EXPECT_EQ(rc.chip.timestep.cycles_per_timestep, 256u);
  EXPECT_EQ(rc.workload.populations[1].size, 5u);
  EXPECT_EQ(rc.chip.cores[0].enabled.neurons, 5u);
  EXPECT_EQ(rc.chip.name, "renamed");
  EXPECT_EQ(rc.chip.cores[0].weights.bits, 4);  // a whole mapping can be given as a YAML value
  EXPECT_EQ(rc.chip.cores[0].weights.input_shift, 0);
  EXPECT_EQ(rc.chip.cores[0].weights.recurrent_shift, 3);
}

/// Loads minimal.yaml with `overrides` and returns the single diagnostic expected.
ConfigDiagnostic single_override_error(const std::vector<std::string>& overrides) {
  try {
    load_run_config(kGood + "/minimal.yaml", overrides);
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.diagnostics().size(), 1u) << e.what();
    return e.diagnostics().front();
  }
  ADD_FAILURE() << "no ConfigError";
  return {};
}

TEST(ConfigLoader, BadOverridesAreReportedAtTheirColumn) {
  // Unknown key: reported at the column of the path component ("chip.cores.0.neuron." is 20 chars).
  EXPECT_EQ(single_override_error({"workload.timesteps=3", "chip.cores.0.neuron.treshold=5"}).str(),
            "--set:2:21: unknown key 'treshold' (expected one of: model, threshold, alpha, leak_tau_ms, reset, "
            "refractory_steps, adaptation_rho, adaptation_tau_ms, adaptation_increment) (did you mean 'threshold'?)");
  // Bad value: reported at the value ("chip.clock_mhz=" is 15 chars).
  EXPECT_EQ(single_override_error({"chip.clock_mhz=fast"}).str(),
            "--set:1:16: expected an integer in 1..10000, got 'fast'");
  // List index out of range: reported at the index.
  EXPECT_EQ(single_override_error({"chip.cores.3.name=x"}).str(),
            "--set:1:12: index 3 is out of range: 'chip.cores' has 1 elements");
  EXPECT_EQ(single_override_error({"chip.cores.first.name=x"}).str(),
            "--set:1:12: expected a list index into 'chip.cores', got 'first'");
  EXPECT_EQ(single_override_error({"workload.timesteps.x=1"}).str(),
            "--set:1:20: cannot set 'x' inside 'workload.timesteps', which is a value");
  // A key the file does not have is created, then decoded like any other.
  EXPECT_EQ(single_override_error({"chip.name.x=1"}).str(), "--set:1:6: expected a name of letters, digits and '_', got a mapping");
  EXPECT_EQ(single_override_error({"workload.timesteps"}).str(),
            "--set:1:1: expected 'path=value', got 'workload.timesteps'");
  // A value inside a YAML flow value is located within the override string.
  EXPECT_EQ(single_override_error({"chip.cores.0.weights={bits: 3}"}).str(), "--set:1:29: expected 2, 4 or 8, got '3'");
  // The run length is bounded because stimulus and records are held in memory ("workload.timesteps=" is 19 chars).
  EXPECT_EQ(single_override_error({"workload.timesteps=10000001"}).str(),
            "--set:1:20: expected an integer in 1..10000000, got '10000001'");
}

// ---- expansion ---------------------------------------------------------------------------------

TEST(SplitMix64, MatchesTheReferenceSequence) {
  // First outputs of the reference splitmix64.c (Vigna) seeded with 0.
  SplitMix64 rng(0);
  EXPECT_EQ(rng.next(), 0xE220A8397B1DCDAFULL);
  EXPECT_EQ(rng.next(), 0x6E789E6AA1B965F4ULL);
  EXPECT_EQ(rng.next(), 0x06C45D188009454FULL);
  EXPECT_EQ(splitmix64(0), 0xE220A8397B1DCDAFULL);
}

TEST(ConfigLoader, DefaultSeedsAreDerivedFromTheWorkloadSeed) {
  const RunConfig rc = load_run_config(kGood + "/network.yaml");  // workload.seed 7
  EXPECT_EQ(rc.workload.projections[0].seed, splitmix64(7 ^ 0x9E3779B97F4A7C15ULL));
  EXPECT_EQ(rc.workload.projections[1].seed, splitmix64(7 ^ (2 * 0x9E3779B97F4A7C15ULL)));
  EXPECT_EQ(rc.workload.projections[2].seed, 11u);  // given explicitly
  EXPECT_EQ(rc.workload.inputs[0].seed, splitmix64(7 ^ 0xD1B54A32D192ED03ULL));
}

TEST(ConfigLoader, ExpansionPlacesEveryConnectivityAtItsSlots) {
  const RunConfig rc = load_run_config(kGood + "/network.yaml");
  const WorkloadConfig& w = rc.workload;
  // Slots per kind in file order: inputs in 0..3, in2 4..5; neurons a 0..2, b 3..4; readouts out 0..1.
  EXPECT_EQ(w.populations[0].first_slot, 0u);
  EXPECT_EQ(w.populations[1].first_slot, 0u);
  EXPECT_EQ(w.populations[2].first_slot, 0u);
  EXPECT_EQ(w.populations[3].first_slot, 4u);
  EXPECT_EQ(w.populations[4].first_slot, 3u);
  const hw::CoreImage& im = rc.image.cores[0];
  ASSERT_EQ(rc.chip.cores[0].enabled.inputs, 6u);
  ASSERT_EQ(rc.chip.cores[0].enabled.neurons, 5u);
  ASSERT_EQ(rc.chip.cores[0].enabled.readouts, 2u);
  ASSERT_EQ(im.input_weights.size(), 30u);
  ASSERT_EQ(im.recurrent_weights.size(), 25u);
  ASSERT_EQ(im.output_weights.size(), 10u);

  // Input SRAM (6 x 5): dense in -> a (5), one_to_one in2 -> b (-3), nothing else.
  std::vector<int8_t> input(30, 0);
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 3; ++j) input[i * 5 + j] = 5;
  }
  input[4 * 5 + 3] = -3;
  input[5 * 5 + 4] = -3;
  EXPECT_EQ(im.input_weights, input);

  // Recurrent SRAM (5 x 5): a -> b random with p = 1 (every pair connected) and uniform weights in
  // [-4, 4] from SplitMix64(11): per pair (pre, then post ascending) one connect draw, then
  // w = -4 + next() % 9. b -> a random with p = 0 connects nothing.
  std::vector<int8_t> recurrent(25, 0);
  SplitMix64 rng(11);
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 2; ++j) {
      rng.next();
      recurrent[i * 5 + 3 + j] = static_cast<int8_t>(-4 + static_cast<int>(rng.next() % 9));
    }
  }
  EXPECT_EQ(im.recurrent_weights, recurrent);
  for (int v : im.recurrent_weights) {
    EXPECT_GE(v, -4);
    EXPECT_LE(v, 4);
  }

  // Output SRAM (5 x 2): list a -> out [[0,1,9],[2,0,-9]]; file b -> out (b is neuron slots 3..4):
  // 0,0,12 / 1,1,-128 / 1,0,0x10.
  std::vector<int8_t> output(10, 0);
  output[0 * 2 + 1] = 9;
  output[2 * 2 + 0] = -9;
  output[3 * 2 + 0] = 12;
  output[4 * 2 + 1] = -128;
  output[4 * 2 + 0] = 16;
  EXPECT_EQ(im.output_weights, output);

  // Paths are absolute and normalised.
  EXPECT_EQ(w.projections[5].file, kGood + "/synapses.csv");
  EXPECT_EQ(w.inputs[2].trace, kGood + "/trace_in.csv");
}

TEST(ConfigLoader, StimulusIsOrderedBySpecThenChannel) {
  const RunConfig rc = load_run_config(kGood + "/network.yaml");
  // inputs: [0] in @ 0 Hz (never fires), [1] in2 from trace.csv (slots 4..5), [2] in from trace_in.csv.
  ASSERT_EQ(stimulus_schedule(rc).size(), 6u);
  EXPECT_EQ(events_of(stimulus_schedule(rc)[0]), (Events{{0, 4}, {0, 5}, {0, 3}}));  // trace lines "0,1" "0,0" sorted
  EXPECT_TRUE(stimulus_schedule(rc)[1].empty());
  EXPECT_TRUE(stimulus_schedule(rc)[2].empty());
  EXPECT_EQ(events_of(stimulus_schedule(rc)[3]), (Events{{0, 5}, {0, 2}}));
  EXPECT_TRUE(stimulus_schedule(rc)[4].empty());
  EXPECT_EQ(events_of(stimulus_schedule(rc)[5]), (Events{{0, 4}}));
}

TEST(ConfigLoader, RandomConnectivityProbabilityExtremesAndDensity) {
  const std::string base =
      "chip:\n  cores: [{name: c}]\nworkload:\n  timesteps: 1\n"
      "  populations: [{name: in, kind: input, size: 64}, {name: n, kind: neuron, size: 64}]\n"
      "  projections: [{from: in, to: n, connectivity: random, weight: 1, probability: ";
  auto connected = [&](const std::string& p) {
    const RunConfig rc = load_run_config_from_string(base + p + "}]\n", "random.yaml", kGood);
    size_t n = 0;
    for (int8_t w : rc.image.cores[0].input_weights) n += w == 1;
    return n;
  };
  EXPECT_EQ(connected("0"), 0u);
  EXPECT_EQ(connected("1"), 4096u);
  // p = 0.25 over 4096 pairs: mean 1024, standard deviation sqrt(4096 * 0.25 * 0.75) = 27.7;
  // the fixed seed gives one exact count, which must lie well within 6 standard deviations.
  const size_t quarter = connected("0.25");
  EXPECT_EQ(quarter, connected("0.25"));  // deterministic
  EXPECT_GT(quarter, 1024u - 166u);
  EXPECT_LT(quarter, 1024u + 166u);
}

TEST(ConfigLoader, PoissonInputs) {
  // Rate 0 never fires: p32 = 0 and no draw is < 0.
  const RunConfig silent = load_run_config_from_string(poisson_config(50, 100, "0", ""), "p.yaml", kGood);
  EXPECT_EQ(count_events(stimulus_schedule(silent)), 0u);

  // 100 channels x 1000 timesteps at 100 Hz and 1 ms: p = 0.1, mean 10000 events, standard deviation
  // sqrt(100000 * 0.1 * 0.9) = 94.9. The fixed seed fixes the count; it must be within 6 sigma.
  const std::string cfg = poisson_config(100, 1000, "100", ", seed: 3");
  const RunConfig a = load_run_config_from_string(cfg, "p.yaml", kGood);
  const RunConfig b = load_run_config_from_string(cfg, "p.yaml", kGood);
  const size_t n = count_events(stimulus_schedule(a));
  EXPECT_GT(n, 10000u - 570u);
  EXPECT_LT(n, 10000u + 570u);
  expect_same(a, b);  // deterministic
  const RunConfig other = load_run_config_from_string(poisson_config(100, 1000, "100", ", seed: 4"), "p.yaml", kGood);
  EXPECT_FALSE(same_events(stimulus_schedule(other), stimulus_schedule(a)));  // another seed, another draw

  // The draw order is part of the contract: per timestep, per channel, spike if (next() >> 32) < p32
  // with p32 = round(0.1 * 2^32) = 429496730.
  SplitMix64 rng(3);
  for (size_t t = 0; t < 5; ++t) {
    Events expected;
    for (uint32_t ch = 0; ch < 100; ++ch) {
      if ((rng.next() >> 32) < 429496730ULL) expected.emplace_back(0, ch);
    }
    EXPECT_EQ(events_of(stimulus_schedule(a)[t]), expected) << "timestep " << t;
  }

  // The largest legal rate (one spike per timestep) fires on every draw but one in 2^32.
  const RunConfig full = load_run_config_from_string(poisson_config(10, 100, "1000", ""), "p.yaml", kGood);
  EXPECT_EQ(count_events(stimulus_schedule(full)), 1000u);
}

// ---- input traces ------------------------------------------------------------------------------

TEST(InputTrace, ParsesHeaderCommentsBlankLinesAndCrLf) {
  std::istringstream in("timestep,index\r\n# comment\n\n0,3\n 0 , 1\n2,0\r\n2,0\n");
  const InputTraceReadResult r = parse_input_trace(in, "t.csv", 3, 4);
  EXPECT_TRUE(r.opened);
  EXPECT_TRUE(r.errors.empty());
  ASSERT_EQ(r.events.size(), 4u);
  EXPECT_EQ(r.events[0].timestep, 0u);
  EXPECT_EQ(r.events[0].index, 3u);
  EXPECT_EQ(r.events[1].index, 1u);
  EXPECT_EQ(r.events[3].timestep, 2u);  // duplicates are kept
}

TEST(InputTrace, OptionalThirdColumnIsTheArrivalOffsetInPicoseconds) {
  std::istringstream in("timestep,index,offset_ps\n0,1\n0,2,2500\n1,0,1000000000000\n1,0,1000000000001\n2,1,-5\n");
  const InputTraceReadResult r = parse_input_trace(in, "o.csv", 3, 4);
  ASSERT_EQ(r.events.size(), 3u);
  EXPECT_EQ(r.events[0].offset_ps, 0u);
  EXPECT_EQ(r.events[1].offset_ps, 2500u);
  EXPECT_EQ(r.events[2].offset_ps, 1000000000000u);
  std::vector<std::string> got;
  for (const ConfigDiagnostic& d : r.errors) got.push_back(d.str());
  EXPECT_EQ(got, (std::vector<std::string>{
                     "o.csv:5:5: expected an arrival offset in 0..1000000000000 ps, got '1000000000001'",
                     "o.csv:6:5: expected an arrival offset in 0..1000000000000 ps, got '-5'",
                 }));
}

TEST(InputTrace, ReportsEveryBadCellAtItsPosition) {
  std::istringstream in("0,0\nx,1\n1, y\n2\n1,0\n5,0\n1,4\n");
  const InputTraceReadResult r = parse_input_trace(in, "t.csv", 5, 4);
  std::vector<std::string> got;
  for (const ConfigDiagnostic& d : r.errors) got.push_back(d.str());
  EXPECT_EQ(got, (std::vector<std::string>{
                     "t.csv:2:1: expected a non-negative integer timestep, got 'x'",
                     "t.csv:3:4: expected a non-negative integer index, got 'y'",
                     "t.csv:4:1: expected 2 or 3 comma-separated values 'timestep,index[,offset_ps]', got 1",
                     "t.csv:6:1: expected a timestep in 0..4 (workload.timesteps is 5), got '5'",
                     "t.csv:7:3: expected an index in 0..3 (population size 4), got '4'",
                 }));
  std::istringstream backwards("3,0\n2,0\n");
  const InputTraceReadResult b = parse_input_trace(backwards, "b.csv", 5, 4);
  ASSERT_EQ(b.errors.size(), 1u);
  EXPECT_EQ(b.errors[0].str(),
            "b.csv:2:1: timestep 2 is smaller than the previous timestep 3 (timesteps must be non-decreasing)");
  EXPECT_FALSE(read_input_trace(kGood + "/does_not_exist.csv", 5, 4).opened);
}

// ---- resolved configuration --------------------------------------------------------------------

TEST(ConfigLoader, ResolvedConfigRoundTripsToAnIdenticalRunConfig) {
  for (const char* name : {"minimal.yaml", "full.yaml", "network.yaml"}) {
    SCOPED_TRACE(name);
    const RunConfig first = load_run_config(kGood + "/" + name);
    const std::string emitted = emit_resolved_config(first);
    // Paths in the emitted text are absolute, so any base directory works.
    const RunConfig second = load_run_config_from_string(emitted, first.source_file, "/");
    expect_same(first, second);
    EXPECT_EQ(emit_resolved_config(second), emitted);
    EXPECT_EQ(emitted.find("leak_tau_ms"), std::string::npos);
    EXPECT_EQ(emitted.find("adaptation_tau_ms"), std::string::npos);
  }
}

TEST(ConfigLoader, ResolvedConfigWritesDerivedValuesExplicitly) {
  const std::string emitted = emit_resolved_config(load_run_config(kGood + "/full.yaml"));
  EXPECT_NE(emitted.find("alpha: 0x7FF0"), std::string::npos) << emitted;  // 32752 from leak_tau_ms 2000
  EXPECT_NE(emitted.find("kappa: 0x7A"), std::string::npos);               // 122 from leak_tau_ms 20
  EXPECT_NE(emitted.find("adaptation_rho: 0x7EBA"), std::string::npos);    // 32442 from adaptation_tau_ms 100
  EXPECT_NE(emitted.find("cycles_per_timestep: 5000"), std::string::npos);
  EXPECT_NE(emitted.find("core: core0"), std::string::npos);
  EXPECT_NE(emitted.find("seed: 99"), std::string::npos);
}

TEST(ConfigLoader, ReadmeCompleteExampleLoads) {
  // configs/README.md promises a complete, runnable example: the yaml block after the marker.
  std::ifstream in(std::string(NEUROCHIP_REPO_ROOT) + "/configs/README.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const size_t marker = doc.find("<!-- complete-example");
  ASSERT_NE(marker, std::string::npos);
  const size_t begin = doc.find("```yaml\n", marker);
  ASSERT_NE(begin, std::string::npos);
  const size_t end = doc.find("```", begin + 8);
  ASSERT_NE(end, std::string::npos);
  const RunConfig rc = load_run_config_from_string(doc.substr(begin + 8, end - begin - 8), "README.md",
                                                   std::string(NEUROCHIP_REPO_ROOT) + "/configs");
  EXPECT_EQ(rc.chip.cores[0].neuron.get("alpha"), 32119u);  // leak_tau_ms 50: round(32768 * exp(-0.02)) = 32119
  EXPECT_EQ(rc.chip.cores[0].enabled.inputs, 20u);
  EXPECT_EQ(rc.chip.cores[0].enabled.neurons, 48u);
  EXPECT_EQ(rc.chip.cores[0].enabled.readouts, 2u);
  EXPECT_EQ(stimulus_schedule(rc).size(), 200u);
  EXPECT_GT(count_events(stimulus_schedule(rc)), 0u);
}

TEST(ConfigDiagnostic, FormatsPositionsAndJoinsMessages) {
  EXPECT_EQ((ConfigDiagnostic{"a.yaml", 3, 7, "bad"}).str(), "a.yaml:3:7: bad");
  EXPECT_EQ((ConfigDiagnostic{"a.yaml", 0, 0, "cannot open config file"}).str(), "a.yaml: cannot open config file");
  const ConfigError e({{"a.yaml", 1, 2, "x"}, {"--set", 1, 5, "y"}});
  EXPECT_STREQ(e.what(), "a.yaml:1:2: x\n--set:1:5: y");
  EXPECT_EQ(e.diagnostics().size(), 2u);
}

// SPEC §3: `words: auto` sizes each macro for the core's capacity — neuron words ceil(R / P),
// weight words rows · ceil(columns / K) with K = word_bits / weights.bits — and `round:
// power_of_two` takes the next power of two; the resolved configuration holds the integers.
TEST(ConfigLoader, AutoWordsSizeEveryMacroForTheCapacity) {
  const std::string yaml =
      "chip:\n  cores:\n    - name: c\n      memory:\n        max_inputs: 40\n        max_neurons: 100\n"
      "        max_readouts: 2\n        neurons_per_word: 4\n        neuron_sram: {words: auto}\n"
      "        input_weight_sram: {words: auto, round: power_of_two}\n        recurrent_weight_sram: {words: auto}\n"
      "        output_weight_sram: {words: auto, word_bits: 64}\n"
      "workload:\n  timesteps: 10\n  populations:\n    - {name: n, kind: neuron, size: 100}\n";
  const RunConfig rc = load_run_config_from_string(yaml, "auto.yaml", kGood);
  const hw::CoreMemoryConfig& m = rc.chip.cores.at(0).memory;
  EXPECT_EQ(m.neuron_sram.words, 25u);             // ceil(100 / 4)
  EXPECT_EQ(m.input_weight_sram.words, 512u);      // 40 · ceil(100 / 16) = 280 -> 512
  EXPECT_EQ(m.recurrent_weight_sram.words, 700u);  // 100 · 7
  EXPECT_EQ(m.output_weight_sram.words, 100u);     // 100 · ceil(2 / 8)
  EXPECT_NE(emit_resolved_config(rc).find("recurrent_weight_sram: {words: 700, word_bits: 128}"), std::string::npos);
  // What a sweep over neurons_per_word alone needs: the neuron SRAM follows it.
  const RunConfig two = load_run_config_from_string(yaml, "auto.yaml", kGood, {"chip.cores.0.memory.neurons_per_word=2"});
  EXPECT_EQ(two.chip.cores.at(0).memory.neuron_sram.words, 50u);
  // Fixed words that are too few are still an error; `round` needs `words: auto`.
  const auto message = [&](const std::vector<std::string>& overrides) {
    try {
      load_run_config_from_string(yaml, "auto.yaml", kGood, overrides);
    } catch (const ConfigError& e) {
      return e.diagnostics().at(0).message;
    }
    return std::string();
  };
  EXPECT_EQ(message({"chip.cores.0.memory.neuron_sram.words=24"}),
            "neuron_sram holds 24 words but ceil(max_neurons / neurons_per_word) = 25 words are needed");
  EXPECT_EQ(message({"chip.cores.0.memory.neuron_sram.words=30", "chip.cores.0.memory.neuron_sram.round=power_of_two"}),
            "'round' sizes a macro given as words: auto; neuron_sram.words is 30");
  EXPECT_EQ(message({"chip.cores.0.memory.neuron_sram.round=up"}), "expected one of exact | power_of_two, got 'up'");
  EXPECT_EQ(message({"chip.cores.0.memory.neuron_sram.words=automatic"}),
            "expected an integer in 1..4294967295 or auto, got 'automatic'");
}

// ---- automatic placement (core: auto, SPEC §7.7, configs/README.md "Placement") -----------------

/// Four cores c0..c3 on a 2 x 2 mesh, each with 8 input, 8 neuron and 4 readout slots.
const std::string kPlacementChip =
    "chip:\n  noc: {topology: mesh, width: 2, height: 2}\n  cores:\n    count: 4\n    template:\n      name: c\n"
    "      neuron: {threshold: 60}\n      memory: {max_inputs: 8, max_neurons: 8, max_readouts: 4}\n";

/// A workload whose populations are placed on the cores `cores` gives them, the others `core: auto`.
std::string placement_workload(const std::map<std::string, std::string>& cores) {
  const auto core = [&](const std::string& name) {
    const auto it = cores.find(name);
    return it == cores.end() ? std::string("auto") : it->second;
  };
  std::ostringstream w;
  w << "workload:\n  timesteps: 30\n  seed: 3\n  populations:\n"
    << "    - {name: in0, kind: input, size: 6, core: " << core("in0") << "}\n"
    << "    - {name: h0, kind: neuron, size: 5, core: " << core("h0") << "}\n"
    << "    - {name: h1, kind: neuron, size: 4, core: " << core("h1") << "}\n"
    << "    - {name: out0, kind: readout, size: 3, core: " << core("out0") << "}\n"
    << "    - {name: in1, kind: input, size: 3, core: " << core("in1") << "}\n"
    << "    - {name: h2, kind: neuron, size: 2, core: " << core("h2") << "}\n"
    << "    - {name: x, kind: neuron, size: 8, core: c1}\n"
    << "  projections:\n"
    << "    - {from: in0, to: h0, connectivity: dense, weight_uniform: [10, 90]}\n"
    << "    - {from: h0, to: out0, connectivity: dense, weight: 20}\n"
    << "    - {from: h0, to: h1, connectivity: dense, weight_uniform: [-20, 80]}\n"
    << "    - {from: in1, to: h2, connectivity: dense, weight: 70}\n"
    << "    - {from: h2, to: h0, connectivity: dense, weight: 30}\n"
    << "  inputs:\n    - {population: in0, poisson: {rate_hz: 300}}\n    - {population: in1, poisson: {rate_hz: 300}}\n";
  return w.str();
}

struct Placed {
  std::string core;
  uint32_t first_slot;
  bool operator==(const Placed& o) const { return core == o.core && first_slot == o.first_slot; }
};
std::ostream& operator<<(std::ostream& os, const Placed& p) { return os << p.core << ":" << p.first_slot; }

std::map<std::string, Placed> placement_of(const RunConfig& rc) {
  std::map<std::string, Placed> out;
  for (const Population& p : rc.workload.populations) {
    EXPECT_EQ(p.core, rc.chip.cores.at(p.core_index).name) << p.name;
    out[p.name] = {p.core, p.first_slot};
  }
  return out;
}

TEST(ConfigLoader, AutoPlacementFillsTheFirstCoreWithRoomGroupByGroupInFileOrder) {
  const RunConfig rc = load_run_config_from_string(kPlacementChip + placement_workload({}), "auto.yaml", kGood);
  // Groups: {in0, h0, out0} (input -> neuron, neuron -> readout), {h1} (reached only neuron -> neuron),
  // {in1, h2}; x fills c1's neurons. {in0, h0, out0} needs 6/5/3 slots: c0. {h1} needs 4 neurons: c0
  // has 3 left, c1 none, so c2. {in1, h2} needs 3 inputs and 2 neurons: c0 has 2 inputs left, c1 no
  // neuron, c2 has room; h2 follows h1 there.
  const std::map<std::string, Placed> expected = {{"in0", {"c0", 0}}, {"h0", {"c0", 0}}, {"out0", {"c0", 0}},
                                                  {"h1", {"c2", 0}},  {"in1", {"c2", 0}}, {"h2", {"c2", 4}},
                                                  {"x", {"c1", 0}}};
  EXPECT_EQ(placement_of(rc), expected);
  for (const Population& p : rc.workload.populations) EXPECT_EQ(p.auto_placed, p.name != "x") << p.name;
  // The remote axons follow the placement: c2 takes h0's 5 neurons after its 3 inputs, c0 h2's 2.
  EXPECT_EQ(rc.chip.cores[2].enabled.inputs, 8u);
  EXPECT_EQ(rc.chip.cores[0].enabled.inputs, 8u);
  EXPECT_EQ(rc.chip.cores[3].enabled.neurons, 0u);
}

TEST(ConfigLoader, AutoPlacementEqualsTheSameExplicitPlacementAndResolvesToIt) {
  const RunConfig automatic = load_run_config_from_string(kPlacementChip + placement_workload({}), "p.yaml", kGood);
  const RunConfig explicit_ = load_run_config_from_string(
      kPlacementChip + placement_workload({{"in0", "c0"}, {"h0", "c0"}, {"out0", "c0"}, {"h1", "c2"},
                                           {"in1", "c2"}, {"h2", "c2"}}),
      "p.yaml", kGood);
  expect_same(automatic, explicit_);
  // The resolved configuration names the chosen cores, so loading it reproduces the placement.
  const std::string emitted = emit_resolved_config(automatic);
  EXPECT_EQ(emitted.find("auto"), std::string::npos) << emitted;
  const RunConfig again = load_run_config_from_string(emitted, "p.yaml", "/");
  expect_same(automatic, again);
}

TEST(ConfigLoader, AutoPlacementKeepsGroupsTogetherAndHonoursExplicitPins) {
  // h pins its input `in` to c0; pinned groups take their slots before the fill, so `a` (first in the
  // file, 6 neurons) finds only 4 neurons left on c0 and goes to c1; r follows b, pinned to c3.
  const std::string w =
      "workload:\n  timesteps: 5\n  populations:\n"
      "    - {name: a, kind: neuron, size: 6, core: auto}\n"
      "    - {name: in, kind: input, size: 2, core: auto}\n"
      "    - {name: h, kind: neuron, size: 4, core: c0}\n"
      "    - {name: r, kind: readout, size: 2, core: auto}\n"
      "    - {name: b, kind: neuron, size: 1, core: c3}\n"
      "    - {name: in2, kind: input, size: 8, core: auto}\n"
      "  projections:\n"
      "    - {from: in, to: h, connectivity: dense, weight: 1}\n"
      "    - {from: b, to: r, connectivity: dense, weight: 1}\n"
      "    - {from: in2, to: a, connectivity: dense, weight: 1}\n";
  // in2 feeds a: the group {a, in2} needs 8 inputs and 6 neurons; c0 has 6 inputs and 4 neurons left.
  const RunConfig rc = load_run_config_from_string(kPlacementChip + w, "pins.yaml", kGood);
  const std::map<std::string, Placed> expected = {{"a", {"c1", 0}}, {"in", {"c0", 0}}, {"h", {"c0", 0}},
                                                  {"r", {"c3", 0}}, {"b", {"c3", 0}}, {"in2", {"c1", 0}}};
  EXPECT_EQ(placement_of(rc), expected);
}

}  // namespace
}  // namespace neurochip::sim
