// SPEC.md coverage audit, pure C++ part: statements of hw_model/SPEC.md that no other unit test
// checked, tested on the functional reference (sim::run_functional), the cycle model's kernel
// (hw::CoreDatapath, hw::SynapseMemory, driven phase by phase without SystemC) and the loader.
// Each test names the section it covers and quotes the sentence it checks; every expected value is
// derived by hand in the comment next to it. The SystemC part is tests/block/spec_cycle_test.cpp.
#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "chip/chip_stats.h"
#include "config/config_loader.h"
#include "core/core_datapath.h"
#include "memory/synapse_memory.h"
#include "reference/functional_model.h"
#include "support/test_chips.h"

namespace neurochip {
namespace {

using Messages = std::vector<std::string>;
using test::chip_of;
using test::core0_events;
using test::phases;
using test::reckon_core;
using test::set_input;
using test::set_output;
using test::set_recurrent;
using test::size_srams;
using test::tiny_core;

// ---- helpers -----------------------------------------------------------------------------------

/// One timestep of the cycle model's kernel: the events arrive (1 ps after the previous timestep
/// started), the timestep starts then, and SYNC, STEP, STEP_DONE, PROP run. Returns the neurons
/// that spiked in STEP.
std::vector<uint32_t> datapath_timestep(hw::CoreDatapath& dp, const std::vector<uint32_t>& axons) {
  const hw::Ps at = dp.latch_time() + hw::Ps(1);
  for (uint32_t a : axons) dp.receive(a, at);
  dp.begin_timestep(at);
  dp.sync();
  dp.step();
  dp.step_done();
  dp.prop();
  return dp.spiking();
}

/// Diagnostic messages of the ConfigError `load` throws (empty: it loads).
template <class Load>
Messages messages_of(Load load) {
  try {
    load();
  } catch (const sim::ConfigError& e) {
    Messages out;
    for (const sim::ConfigDiagnostic& d : e.diagnostics()) out.push_back(d.message);
    return out;
  }
  return {};
}

/// Diagnostic messages of loading tests/data/good/minimal.yaml with `overrides` (empty: it loads).
Messages override_messages(const std::vector<std::string>& overrides) {
  return messages_of(
      [&] { sim::load_run_config(std::string(NEUROCHIP_TEST_DATA) + "/good/minimal.yaml", overrides); });
}

/// One core named "c" with `bits`-bit weights and one input -> neuron synapse of weight `weight`.
std::string one_synapse_config(int bits, const std::string& weight) {
  return "chip:\n  cores: [{name: c, weights: {bits: " + std::to_string(bits) +
         "}}]\nworkload:\n  timesteps: 1\n"
         "  populations: [{name: in, kind: input, size: 1}, {name: n, kind: neuron, size: 1}]\n"
         "  projections: [{from: in, to: n, weight: " +
         weight + "}]\n";
}

Messages one_synapse_messages(int bits, const std::string& weight) {
  return messages_of([&] { sim::load_run_config_from_string(one_synapse_config(bits, weight), "inline.yaml", "/"); });
}

sim::RunConfig load_reckon() {
  return sim::load_run_config(std::string(NEUROCHIP_REPO_ROOT) + "/configs/chips/reckon.yaml");
}

// ---- §1 Core structure -------------------------------------------------------------------------

// §1: "input axon i ... receives external address events; binary per timestep".
TEST(Spec1, RepeatedEventsMergeIntoOneBitInTheDatapath) {
  test::TestCore core = tiny_core(1, 2, 0);
  set_input(core, 0, 0, 40);
  set_input(core, 0, 1, 40);
  hw::CoreDatapath dp(core, core.image);
  // Three events on axon 0 in one timestep are one x bit: one integration of 40 (not 120), one
  // input event, one active index, R = 2 synaptic events, one row read of ceil(2 / 16) = 1 word.
  datapath_timestep(dp, {0, 0, 0});
  EXPECT_EQ(dp.neurons().field_values()[hw::lif::kU], (std::vector<int32_t>{40, 40}));
  EXPECT_EQ(dp.input_events(), 1u);
  EXPECT_EQ(dp.work().active_indices, 1u);
  EXPECT_EQ(dp.synaptic_events(), 2u);
  EXPECT_EQ(dp.input_sram().reads(), 1u);
}

// §1: "Index i is active ... when input axon i received an event (x_i = 1, only if i < I)".
// §5.3: "An event for an axon i ≥ I ... is counted (input.unmapped_events) and dropped."
TEST(Spec1, DatapathCountsAndDropsEventsBeyondTheEnabledInputs) {
  const test::TestCore core = tiny_core(3, 2, 0);
  hw::CoreDatapath dp(core, core.image);
  EXPECT_EQ(dp.receive(2, hw::Ps(0)), hw::CoreDatapath::Input::kAccepted);  // the last enabled axon, I - 1
  EXPECT_EQ(dp.receive(3, hw::Ps(0)), hw::CoreDatapath::Input::kUnmapped);  // i = I has no axon
  EXPECT_EQ(dp.unmapped_events(), 1u);
  dp.begin_timestep(hw::Ps(0));
  dp.sync();
  EXPECT_EQ(dp.input_events(), 1u);
}

// §1: "The presynaptic index i ranges over 0 .. max(I, R) − 1. Index i is active ... when ...
// neuron i spiked in this timestep's STEP (z_i = 1, only if i < R)."
TEST(Spec1, NeuronIndicesAboveTheInputsAreScannedAndDelivered) {
  test::TestCore core = tiny_core(1, 3, 1);
  set_input(core, 0, 2, 100);
  set_recurrent(core, 2, 0, 50);
  set_output(core, 2, 0, 7);
  // W_n = ceil(3/2) = 2, sweep 2 * 2 = 4, N = max(1, 3) = 3; STEP max(4, 1, 1) + 1 = 5.
  // t0: x_0 -> u = (0, 0, 100); A = 1: PROP 3 + 4 = 7; total 3 + 5 + 1 + 7 = 16.
  // t1 (start 16): neuron 2 (index 2 >= I) spikes, reset to 0; index 2 is active with z only:
  //   u_0 = 50, v_0 = 7; A = 1, A_s = 0 (2 < R): PROP 7. Stamp 16 + 3 + (2/2)*2 + 2 - 1 = 22.
  const sim::RunResult r = test::run_functional(chip_of({core}), core0_events({{0}}), 2, true);
  ASSERT_EQ(r.timesteps.size(), 2u);
  EXPECT_EQ(r.timesteps[1].active_indices, 1u);
  EXPECT_EQ(r.timesteps[1].cycles, phases(3, 5, 1, 7));
  ASSERT_EQ(r.spikes.size(), 1u);
  EXPECT_EQ(r.spikes[0].neuron, 2u);
  EXPECT_EQ(r.spikes[0].cycle, 22u);
  EXPECT_EQ(r.final_state[0].field("u"), (std::vector<int32_t>{50, 0, 0}));
  EXPECT_EQ(r.final_state[0].readout, (std::vector<int32_t>{7}));
}

// §1: "A stored weight of 0 is "no synapse" and still costs its memory slot."
TEST(Spec1, ZeroWeightsStillCostTheirWordsAndCycles) {
  const test::TestCore core = tiny_core(2, 3, 2);  // every weight 0
  // Events 0 and 1: A = 2; each reads its input row of ceil(3/16) = 1 word and counts R = 3
  // synaptic events although every weight is 0. W_n = 2: neuron SRAM 2 (STEP) + 2 * 2 (PROP) = 6.
  // PROP = N + A * W_n * c = 3 + 2 * 4 = 11; nothing is integrated.
  const sim::RunResult r = test::run_functional(chip_of({core}), core0_events({{0, 1}}), 1, false);
  EXPECT_EQ(r.counters[0].input_sram_reads, 2u);
  EXPECT_EQ(r.counters[0].synaptic_events, 6u);
  EXPECT_EQ(r.counters[0].neuron_sram_reads, 6u);
  EXPECT_EQ(r.timesteps[0].cycles[hw::kPhaseProp], 11u);
  EXPECT_EQ(r.final_state[0].field("u"), (std::vector<int32_t>{0, 0, 0}));
}

// ---- §2.1 Potentials ---------------------------------------------------------------------------

// §2.1: "Threshold neuron.threshold: 16-bit signed, legal range -32768..32767."
TEST(Spec2_1, ThresholdIsSigned16Bit) {
  EXPECT_EQ(override_messages({"chip.cores.0.neuron.threshold=-32769"}),
            Messages{"expected an integer in -32768..32767, got '-32769'"});
  EXPECT_EQ(override_messages({"chip.cores.0.neuron.threshold=32768"}),
            Messages{"expected an integer in -32768..32767, got '32768'"});
  EXPECT_TRUE(override_messages({"chip.cores.0.neuron.threshold=-32768"}).empty());
  EXPECT_TRUE(override_messages({"chip.cores.0.neuron.threshold=32767"}).empty());
}

// §2.4 with a threshold below 1 (ReckOn's signed threshold): u = 0 >= -5 fires at once, and the
// reset by subtraction adds 5 to the leaked value each step: 0 -> 5, floor(5 * 0x7FEF / 2^15) + 5
// = 9, 8 + 5 = 13; the neuron fires every timestep.
TEST(Spec2_4, ANegativeThresholdFiresAndResetsBySubtraction) {
  for (const char* model : {"lif", "alif"}) {
    SCOPED_TRACE(model);
    test::TestCore core = tiny_core(1, 1, 0);
    core.neuron = core.neuron.with_model(hw::neuron_model(model));
    core.neuron.set("threshold", -5);
    core.neuron.set("alpha", 0x7FEF);
    core.neuron.set("reset", hw::lif::kResetSubtract);
    hw::CoreDatapath dp(core, core.image);
    std::vector<int32_t> u;
    for (int t = 0; t < 3; ++t) {
      EXPECT_EQ(datapath_timestep(dp, {}), std::vector<uint32_t>{0});
      u.push_back(dp.neurons().field_values()[hw::lif::kU][0]);
    }
    EXPECT_EQ(u, (std::vector<int32_t>{5, 9, 13}));
  }
}

// §2.1: "Every addition to them saturates (sat16); there is no wrap-around anywhere in the datapath."
TEST(Spec2_1, DatapathMembraneSaturatesAtBothEnds) {
  test::TestCore core = tiny_core(3, 2, 0);
  core.neuron.set("threshold", 32767);
  core.weights.input_shift = 7;
  for (uint32_t i = 0; i < 3; ++i) {
    set_input(core, i, 0, -128);  // -16384 each
    set_input(core, i, 1, 127);   // +16256 each
  }
  hw::CoreDatapath dp(core, core.image);
  // Neuron 0: -16384, -32768, sat16(-49152) = -32768 (a wrap would give +16384).
  // Neuron 1: 16256, 32512, sat16(48768) = 32767 (a wrap would give -16768).
  datapath_timestep(dp, {0, 1, 2});
  EXPECT_EQ(dp.neurons().field_values()[hw::lif::kU], (std::vector<int32_t>{-32768, 32767}));
}

// ---- §2.2 Weights ------------------------------------------------------------------------------

// §2.2: "value range [−2^(b−1), 2^(b−1) − 1]" for b = 2 and b = 8 (b = 4 is covered by
// ConfigErrors.WeightOutsideTheCoreWeightRange).
TEST(Spec2_2, LoaderWeightRangeFollowsTheWidth) {
  EXPECT_EQ(one_synapse_messages(2, "2"),
            Messages{"expected an integer in -2..1 (weights.bits of core 'c' is 2), got '2'"});
  EXPECT_EQ(one_synapse_messages(2, "-3"),
            Messages{"expected an integer in -2..1 (weights.bits of core 'c' is 2), got '-3'"});
  EXPECT_EQ(one_synapse_messages(8, "128"),
            Messages{"expected an integer in -128..127 (weights.bits of core 'c' is 8), got '128'"});
  EXPECT_EQ(one_synapse_messages(8, "-129"),
            Messages{"expected an integer in -128..127 (weights.bits of core 'c' is 8), got '-129'"});
  const std::vector<std::pair<int, int8_t>> legal = {{2, -2}, {2, 1}, {8, -128}, {8, 127}};
  for (const auto& [bits, w] : legal) {
    const sim::RunConfig rc =
        sim::load_run_config_from_string(one_synapse_config(bits, std::to_string(w)), "inline.yaml", "/");
    EXPECT_EQ(rc.image.cores[0].input_weights, (std::vector<int8_t>{w})) << bits << " bits";
  }
}

// §2.2: "s = weights.input_shift, weights.recurrent_shift or weights.output_shift (each
// 0..kMaxWeightShift = 7)".
TEST(Spec2_2, LoaderWeightShiftsRangeFromZeroToSeven) {
  for (const std::string key : {"input_shift", "recurrent_shift", "output_shift"}) {
    EXPECT_EQ(override_messages({"chip.cores.0.weights." + key + "=8"}),
              Messages{"expected an integer in 0..7, got '8'"})
        << key;
    EXPECT_TRUE(override_messages({"chip.cores.0.weights." + key + "=7"}).empty()) << key;
  }
}

// §2.2: "Weights are weights.bits-bit two's complement, b ∈ {2, 4, 8} ... packed word_bits / b per
// SRAM word" and "Before accumulation a weight is sign-extended and shifted left: c = sext_b(w) << s".
// Word widths are chosen so that lanes straddle byte boundaries (10-bit words of 2-bit weights,
// 12-bit words of 4-bit weights).
TEST(Spec2_2, DatapathSignExtendsEveryWidthThenShifts) {
  struct Case {
    int bits;
    uint32_t word_bits;
    int shift;
    std::vector<int8_t> weights;     // to neurons 0..4 from input 0
    std::vector<int32_t> expected;   // weights[j] * 2^shift
    uint64_t row_words;              // ceil(5 / K)
  };
  const std::vector<Case> cases = {
      // K = 10 / 2 = 5: one word. 2^7 = 128.
      {2, 10, 7, {1, -2, 1, -2, -1}, {128, -256, 128, -256, -128}, 1},
      // K = 12 / 4 = 3: two words. 2^5 = 32.
      {4, 12, 5, {7, -8, -1, -8, 7}, {224, -256, -32, -256, 224}, 2},
      // K = 24 / 8 = 3: two words. 2^3 = 8.
      {8, 24, 3, {127, -128, -1, -128, 127}, {1016, -1024, -8, -1024, 1016}, 2},
  };
  for (const Case& tc : cases) {
    SCOPED_TRACE(std::to_string(tc.bits) + "-bit weights");
    test::TestCore core = tiny_core(1, 5, 0);
    core.neuron.set("threshold", 32767);
    core.weights.bits = tc.bits;
    core.weights.input_shift = tc.shift;
    core.memory.input_weight_sram.word_bits = tc.word_bits;
    size_srams(core);
    for (uint32_t j = 0; j < 5; ++j) set_input(core, 0, j, tc.weights[j]);
    hw::CoreDatapath dp(core, core.image);
    datapath_timestep(dp, {0});
    EXPECT_EQ(dp.neurons().field_values()[hw::lif::kU], tc.expected);
    EXPECT_EQ(dp.input_sram().reads(), tc.row_words);
  }
}

// ---- §2.3 Membrane leak ------------------------------------------------------------------------

// §2.3: "neuron.alpha is a 16-bit unsigned 1.15 factor ..., legal 0..0x8000 (0 … 1.0)."
TEST(Spec2_3, AlphaLegalRangeIsZeroToOne) {
  EXPECT_EQ(override_messages({"chip.cores.0.neuron.alpha=0x8001"}),
            Messages{"expected an integer in 0..0x8000, got '0x8001'"});
  EXPECT_TRUE(override_messages({"chip.cores.0.neuron.alpha=0"}).empty());
  EXPECT_TRUE(override_messages({"chip.cores.0.neuron.alpha=0x8000"}).empty());
}

// §2.3: "Rounding is toward minus infinity, so negative potentials move away from zero by up to one
// LSB: leak(−1) = −1 for every alpha ≥ 1 and leak(−3) = −2 for alpha = 0x4000 (0.5), while
// leak(3) = 1." Checked in the cycle model's kernel (fixed_point_test checks the primitive).
TEST(Spec2_3, DatapathLeakRoundsTowardMinusInfinity) {
  for (const uint32_t alpha : {0x4000u, 1u}) {
    SCOPED_TRACE("alpha " + std::to_string(alpha));
    test::TestCore core = tiny_core(1, 3, 0);
    core.neuron.set("alpha", alpha);
    set_input(core, 0, 0, -3);
    set_input(core, 0, 1, 3);
    set_input(core, 0, 2, -1);
    hw::CoreDatapath dp(core, core.image);
    datapath_timestep(dp, {0});  // PROP: u = (-3, 3, -1)
    datapath_timestep(dp, {});   // STEP leaks, no spike (all < 100)
    // alpha 0.5:     floor(-1.5) = -2, floor(1.5) = 1, floor(-0.5) = -1.
    // alpha 1/2^15:  floor(-3/32768) = -1, floor(3/32768) = 0, floor(-1/32768) = -1.
    const std::vector<int32_t> expected =
        alpha == 0x4000u ? std::vector<int32_t>{-2, 1, -1} : std::vector<int32_t>{-1, 0, -1};
    EXPECT_EQ(dp.neurons().field_values()[hw::lif::kU], expected);
  }
}

// ---- §2.4 Spiking neuron update ----------------------------------------------------------------

// §2.4: "Then ref ← neuron.refractory_steps (0..255)", "neuron.adaptation_rho 1.15, 0..0x8000",
// "neuron.adaptation_increment 0..65535".
TEST(Spec2_4, LoaderRangesOfRefractoryAndAdaptation) {
  EXPECT_EQ(override_messages({"chip.cores.0.neuron.refractory_steps=256"}),
            Messages{"expected an integer in 0..255, got '256'"});
  EXPECT_TRUE(override_messages({"chip.cores.0.neuron.refractory_steps=255"}).empty());
  const std::string alif = "chip.cores.0.neuron.model=alif";
  EXPECT_EQ(override_messages({alif, "chip.cores.0.neuron.adaptation_rho=0x8001"}),
            Messages{"expected an integer in 0..0x8000, got '0x8001'"});
  EXPECT_TRUE(override_messages({alif, "chip.cores.0.neuron.adaptation_rho=0x8000"}).empty());
  EXPECT_EQ(override_messages({alif, "chip.cores.0.neuron.adaptation_increment=65536"}),
            Messages{"expected an integer in 0..65535, got '65536'"});
  EXPECT_TRUE(override_messages({alif, "chip.cores.0.neuron.adaptation_increment=65535"}).empty());
}

// §2.4 steps 2, 3 and 5: while ref > 0 the neuron does not spike and ref counts down ("if ref > 0
// then z = 0 and ref ← ref − 1"), but the leak "u' = leak(u)" and the ALIF decay
// "a' = floor_shr(a · adaptation_rho, 15)" still apply in every STEP.
TEST(Spec2_4, LeakAndAdaptationDecayContinueWhileRefractory) {
  test::TestCore core = tiny_core(1, 1, 0);
  core.neuron = core.neuron.with_model(hw::neuron_model("alif"));
  core.neuron.set("alpha", 0x4000);  // 0.5
  core.neuron.set("reset", hw::lif::kResetSubtract);
  core.neuron.set("refractory_steps", 2);
  core.neuron.set("adaptation_rho", 0x4000);  // 0.5
  core.neuron.set("adaptation_increment", 200);
  core.weights.input_shift = 1;
  set_input(core, 0, 0, 125);  // 250; one event at t0 only
  // State (u, ref, a) after timestep t:
  // t0: theta 100, u 0 no spike; a 0.              PROP u = 250.   (250, 0, 0)
  // t1: theta 100, 250 spikes; leak 125, -100 = 25; ref 2; a 0 + 200.      (25, 2, 200)
  // t2: ref 2 -> 1, no test; leak floor(12.5) = 12; a 100.                 (12, 1, 100)
  // t3: ref 1 -> 0, no test; leak 6; a 50.                                 (6, 0, 50)
  // t4: theta 100 + 50 = 150, 6 no spike; leak 3; a 25.                    (3, 0, 25)
  const std::vector<int32_t> u = {250, 25, 12, 6, 3};
  const std::vector<int32_t> ref = {0, 2, 1, 0, 0};
  const std::vector<int32_t> a = {0, 200, 100, 50, 25};
  const hw::InputSchedule stim = core0_events({{0}});
  for (uint64_t t = 0; t < u.size(); ++t) {
    const sim::RunResult r = test::run_functional(chip_of({core}), stim, t + 1, false);
    EXPECT_EQ(r.final_state[0].field("u")[0], u[t]) << "after timestep " << t;
    EXPECT_EQ(r.final_state[0].field("ref")[0], ref[t]) << "after timestep " << t;
    EXPECT_EQ(r.final_state[0].field("a")[0], a[t]) << "after timestep " << t;
  }
  const sim::RunResult r = test::run_functional(chip_of({core}), stim, 5, false);
  ASSERT_EQ(r.spikes.size(), 1u);
  EXPECT_EQ(r.spikes[0].timestep, 1u);
}

// ---- §2.5 Readouts -----------------------------------------------------------------------------

// §2.5: "readout.kappa is an 8-bit unsigned 1.7 factor ..., legal 0..0x80" (0x81 is rejected in
// ConfigErrors.CoreRules).
TEST(Spec2_5, KappaOfOneIsLegal) {
  const sim::RunConfig rc = sim::load_run_config(std::string(NEUROCHIP_TEST_DATA) + "/good/minimal.yaml",
                                                 {"chip.cores.0.readout.kappa=0x80"});
  EXPECT_EQ(rc.chip.cores[0].readout.kappa, 0x80u);
  EXPECT_TRUE(override_messages({"chip.cores.0.readout.kappa=0"}).empty());
}

// ---- §2.6 Event integration --------------------------------------------------------------------

/// Core whose neuron 0 receives +16256, +16256, +16256, -16384 from inputs 0..3 (shift 7).
test::TestCore saturating_membrane_core() {
  test::TestCore core = tiny_core(4, 1, 0);
  core.neuron.set("threshold", 32767);
  core.weights.input_shift = 7;
  set_input(core, 0, 0, 127);
  set_input(core, 1, 0, 127);
  set_input(core, 2, 0, 127);
  set_input(core, 3, 0, -128);
  return core;
}

// §2.6: "For every active index i in ascending order" and "Because saturation makes accumulation
// order-dependent, the ascending order is part of the contract." The events arrive in descending
// order; they are integrated by index.
TEST(Spec2_6, MembraneAccumulatesInAscendingIndexOrder) {
  const test::TestCore core = saturating_membrane_core();
  // Ascending: 16256, 32512, sat16(48768) = 32767, 32767 - 16384 = 16383.
  // (Arrival order 3, 2, 1, 0 would give -16384, -128, 16128, 32384.)
  const sim::RunResult r = test::run_functional(chip_of({core}), core0_events({{3, 2, 1, 0}}), 1, false);
  EXPECT_EQ(r.final_state[0].field("u"), (std::vector<int32_t>{16383}));
  hw::CoreDatapath dp(core, core.image);
  datapath_timestep(dp, {3, 2, 1, 0});
  EXPECT_EQ(dp.neurons().field_values()[hw::lif::kU], (std::vector<int32_t>{16383}));
}

// §2.6: "if z_i, for every readout k: v_k ← sat16(v_k + (sext(W_out[i][k]) << s_out))", in ascending
// order of the spiking index.
TEST(Spec2_6, ReadoutAccumulatesInAscendingIndexOrder) {
  test::TestCore core = tiny_core(4, 4, 1);
  core.neuron.set("threshold", 1);
  core.weights.output_shift = 7;
  for (uint32_t i = 0; i < 4; ++i) set_input(core, i, i, 1);
  set_output(core, 0, 0, 127);
  set_output(core, 1, 0, 127);
  set_output(core, 2, 0, 127);
  set_output(core, 3, 0, -128);
  // t0: u = (1, 1, 1, 1). t1: all four spike (1 >= 1); PROP z_0..z_3 ascending:
  //   v = 16256, 32512, sat16(48768) = 32767, 16383 (descending would end at 32384).
  const sim::RunResult r = test::run_functional(chip_of({core}), core0_events({{3, 2, 1, 0}}), 2, true);
  EXPECT_EQ(r.readout_trace, (std::vector<std::vector<int32_t>>{{0}, {16383}}));
}

// ---- §2.7 Initial state ------------------------------------------------------------------------

// §2.7: "At the start of a run every u, ref, a, v and every event bit is 0." With alpha, rho and kappa
// at 1.0 a non-zero start value would survive to the end of the timestep.
TEST(Spec2_7, FunctionalRunStartsFromZeroState) {
  test::TestCore core = tiny_core(2, 3, 2);
  core.neuron = core.neuron.with_model(hw::neuron_model("alif"));
  core.neuron.set("adaptation_rho", 0x8000);
  core.neuron.set("adaptation_increment", 0);
  for (uint32_t j = 0; j < 3; ++j) set_input(core, 0, j, 10);
  // t0: theta = 100 + 0, u = 0: no spike. PROP: only x_0 is active (A = 1); every neuron has
  // ref = 0 and integrates: u = 0 + 10. a and v stay 0.
  const sim::RunResult r = test::run_functional(chip_of({core}), core0_events({{0}}), 1, true);
  EXPECT_TRUE(r.spikes.empty());
  EXPECT_EQ(r.timesteps[0].active_indices, 1u);
  EXPECT_EQ(r.final_state[0].field("u"), (std::vector<int32_t>{10, 10, 10}));
  EXPECT_EQ(r.final_state[0].field("ref"), (std::vector<int32_t>{0, 0, 0}));
  EXPECT_EQ(r.final_state[0].field("a"), (std::vector<int32_t>{0, 0, 0}));
  EXPECT_EQ(r.final_state[0].readout, (std::vector<int32_t>{0, 0}));
}

// §2.7, in the cycle model's kernel.
TEST(Spec2_7, DatapathStartsFromZeroState) {
  test::TestCore core = tiny_core(2, 3, 2);
  core.neuron = core.neuron.with_model(hw::neuron_model("alif"));
  core.neuron.set("threshold", 1);  // any start u >= 1 would spike in the first STEP
  hw::CoreDatapath dp(core, core.image);
  EXPECT_EQ(dp.neurons().field_values()[hw::lif::kU], (std::vector<int32_t>{0, 0, 0}));
  EXPECT_EQ(dp.neurons().field_values()[hw::lif::kRef], (std::vector<int32_t>{0, 0, 0}));
  EXPECT_EQ(dp.neurons().field_values()[hw::alif::kA], (std::vector<int32_t>{0, 0, 0}));
  EXPECT_EQ(dp.readout(0), 0);
  EXPECT_EQ(dp.readout(1), 0);
  // First timestep without events: no x bit is set, no neuron spikes, no index is active.
  EXPECT_TRUE(datapath_timestep(dp, {}).empty());
  EXPECT_EQ(dp.input_events(), 0u);
  EXPECT_EQ(dp.work().active_indices, 0u);
}

// ---- §3.1 Neuron SRAM --------------------------------------------------------------------------

// §3.1: "the loader checks P · state_bits ≤ word_bits and ceil(max_neurons / P) ≤ words" — both
// bounds are inclusive and the word count rounds up (ConfigErrors.NeuronAndWeightSramGeometry
// checks clear violations).
TEST(Spec3_1, NeuronSramBoundsAreInclusive) {
  const std::string per_word = "chip.cores.0.memory.neurons_per_word=";
  const std::string word_bits = "chip.cores.0.memory.neuron_sram.word_bits=";
  // LIF with a refractory counter: 5 x 24 = 120 bits fit a 120-bit word exactly.
  const std::string refractory = "chip.cores.0.neuron.refractory_steps=1";
  EXPECT_TRUE(override_messages({refractory, per_word + "5", word_bits + "120"}).empty());
  // ALIF with it: 3 x 40 = 120 bits fit 120 bits, not 119.
  const std::string alif = "chip.cores.0.neuron.model=alif";
  EXPECT_TRUE(override_messages({alif, refractory, per_word + "3", word_bits + "120"}).empty());
  EXPECT_EQ(override_messages({alif, refractory, per_word + "3", word_bits + "119"}),
            Messages{"neuron_sram.word_bits is 119 but neurons_per_word x state bits (alif) = 3 x 40 = 120 bits "
                     "are needed"});
  // Without it: 3 x 32 = 96 bits, and with word parameters 96 + 28 = 124 fit 124 bits, not 123.
  EXPECT_TRUE(override_messages({alif, per_word + "3", word_bits + "96"}).empty());
  const std::string word_parameters = "chip.cores.0.memory.word_parameters=true";
  EXPECT_TRUE(override_messages({alif, word_parameters, per_word + "3", word_bits + "124"}).empty());
  EXPECT_EQ(override_messages({alif, word_parameters, per_word + "3", word_bits + "123"}),
            Messages{"neuron_sram.word_bits is 123 but neurons_per_word x state bits (alif) + word parameters = "
                     "3 x 32 + 28 = 124 bits are needed"});
  // 255 neurons, 2 per word: ceil(255 / 2) = 128 words (127 would hold only 254 neurons).
  const std::string max_neurons = "chip.cores.0.memory.max_neurons=255";
  EXPECT_TRUE(override_messages({max_neurons, "chip.cores.0.memory.neuron_sram.words=128"}).empty());
  EXPECT_EQ(override_messages({max_neurons, "chip.cores.0.memory.neuron_sram.words=127"}),
            Messages{"neuron_sram holds 127 words but ceil(max_neurons / neurons_per_word) = 128 words are needed"});
}

// ---- §3.2 Synapse SRAMs ------------------------------------------------------------------------

// §3.2: "Row-major crossbar addressing with a fixed stride sized for the capacity" and the words
// needed, max_pre · ceil(max_post / K).
TEST(Spec3_2, RowStrideIsSizedForTheCapacity) {
  // 4-bit weights in 16-bit words: K = 4. Capacity 3 x 10: stride ceil(10/4) = 3, 9 words needed,
  // although the 2 x 5 enabled weights would fit in 2 x ceil(5/4) = 4 words.
  const hw::SramGeometry exact{9, 16};
  EXPECT_THROW(hw::SynapseMemory("s", 3, 10, hw::SramGeometry{8, 16}, 4), std::invalid_argument);
  hw::SynapseMemory mem("s", 3, 10, exact, 4);
  EXPECT_EQ(mem.weights_per_word(), 4u);
  EXPECT_EQ(mem.row_stride_words(), 3u);
  mem.load({1, -2, 3, -4, 5, -8, 7, -6, 5, -1}, 2, 5);
  // A functional row read of the 5 enabled weights touches ceil(5/4) = 2 words.
  const int8_t* w = mem.read_row(1, 5);
  EXPECT_EQ(std::vector<int32_t>(w, w + 5), (std::vector<int32_t>{-8, 7, -6, 5, -1}));
  EXPECT_EQ(mem.reads(), 2u);
  EXPECT_EQ(mem.peek(0, 4), 5);  // back-door reads are not counted
  EXPECT_EQ(mem.reads(), 2u);
}

// §3.2: "K = word_bits / weights.bits weights per word" and "Lane l of a word occupies bits
// [l·b + b − 1 : l·b]": every lane of every row keeps its own signed value. 2-bit weights in 8-bit
// words (K = 4) with capacity 3 x 10 (stride 3, the last word of a row has 2 lanes in use).
TEST(Spec3_2, LanesAndRowsDoNotOverlap) {
  hw::SynapseMemory mem("s", 3, 10, hw::SramGeometry{9, 8}, 2);
  // Weight (i, j) = ((i + j) mod 4) - 2: every lane value -2..1 appears in every row.
  std::vector<int8_t> dense;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 10; ++j) dense.push_back(static_cast<int8_t>((i + j) % 4 - 2));
  mem.load(dense, 3, 10);
  for (uint32_t i = 0; i < 3; ++i) {
    const int8_t* row = mem.read_row(i, 10);
    for (uint32_t j = 0; j < 10; ++j) EXPECT_EQ(row[j], dense[i * 10 + j]) << "weight " << i << ", " << j;
  }
  EXPECT_EQ(mem.reads(), 9u);  // 3 rows x ceil(10/4) = 3 words
  EXPECT_EQ(mem.writes(), 0u); // the back-door load is not an access
}

// §3.2: "The loader rejects a geometry with fewer words than needed", for the recurrent and output
// SRAMs and for a K other than 16 (the input SRAM with 8-bit weights is ConfigErrors.WeightSramTooSmall).
TEST(Spec3_2, LoaderNeedsEveryFullCrossbar) {
  const std::string mem = "chip.cores.0.memory.";
  // Defaults: 256 inputs, 256 neurons, 16 readouts, 128-bit words, 8-bit weights: K = 16.
  // Recurrent: 256 x ceil(256/16) = 4096 words.
  EXPECT_EQ(override_messages({mem + "recurrent_weight_sram.words=4095"}),
            Messages{"recurrent_weight_sram holds 4095 words but max_neurons x ceil(max_neurons / 16) = 4096 words "
                     "are needed"});
  // Output: 256 x ceil(16/16) = 256 words.
  EXPECT_EQ(override_messages({mem + "output_weight_sram.words=255"}),
            Messages{"output_weight_sram holds 255 words but max_neurons x ceil(max_readouts / 16) = 256 words are "
                     "needed"});
  // 4-bit weights: K = 32, input 256 x ceil(256/32) = 2048 words.
  const std::string bits4 = "chip.cores.0.weights.bits=4";
  EXPECT_TRUE(override_messages({bits4, mem + "input_weight_sram.words=2048"}).empty());
  EXPECT_EQ(override_messages({bits4, mem + "input_weight_sram.words=2047"}),
            Messages{"input_weight_sram holds 2047 words but max_inputs x ceil(max_neurons / 32) = 2048 words are "
                     "needed"});
}

// ---- §3.3 Access counts ------------------------------------------------------------------------

// §3.3: every counted access is a whole word: STEP sweeps W_n neuron words; per active index the
// neuron words once, ceil(R/K) input words if x_i, ceil(R/K) recurrent and ceil(O/K) output words
// if z_i; "an active input contributes R, a spike contributes R + O". Checked in the cycle model's
// kernel with three different K (FunctionalModel.SramAccessAndEventCounters checks the reference).
TEST(Spec3_3, DatapathCountsWholeWordAccesses) {
  test::TestCore core = tiny_core(3, 5, 3);
  core.weights.bits = 4;
  core.memory.input_weight_sram.word_bits = 8;       // K = 2: ceil(5/2) = 3 words per row
  core.memory.recurrent_weight_sram.word_bits = 16;  // K = 4: ceil(5/4) = 2 words per row
  core.memory.output_weight_sram.word_bits = 8;      // K = 2: ceil(3/2) = 2 words per row
  size_srams(core);
  core.weights.input_shift = 4;
  set_input(core, 0, 0, 7);  // 7 << 4 = 112 >= 100
  hw::CoreDatapath dp(core, core.image);
  // W_n = ceil(5/2) = 3.
  // t0, events 0, 0, 2: A = 2. Neuron words 3 + 2 * 3 = 9; input 2 * 3 = 6; synaptic 2 * 5 = 10.
  datapath_timestep(dp, {0, 0, 2});
  // t1, event 0: neuron 0 spikes; index 0 has x and z (A = 1). Neuron words 3 + 3 = 6; input 3,
  //   recurrent 2, output 2; synaptic 5 + (5 + 3) = 13.
  EXPECT_EQ(datapath_timestep(dp, {0}), (std::vector<uint32_t>{0}));
  EXPECT_EQ(dp.neurons().reads(), 15u);
  EXPECT_EQ(dp.neurons().writes(), 15u);
  EXPECT_EQ(dp.input_sram().reads(), 9u);
  EXPECT_EQ(dp.recurrent_sram().reads(), 2u);
  EXPECT_EQ(dp.output_sram().reads(), 2u);
  EXPECT_EQ(dp.synaptic_events(), 23u);
  EXPECT_EQ(dp.input_sram().writes(), 0u);  // inference never writes weights
}

// ---- §4.2 ReckOn profile -----------------------------------------------------------------------

// §4.2: "ReckOn's inference datapath is the profile neurons_per_word: 2, timing: {tick_sync_cycles: 3,
// neuron_word_cycles: 2, step_tail_cycles: 0, step_done_cycles: 1, scan_cycles_per_index: 1,
// input_only_cycles: 2}, weights: {bits: 8, input_shift: 3, recurrent_shift: 3, output_shift: 3},
// reset: subtract, refractory_steps: 0, model LIF (see configs/chips/reckon.yaml)."
TEST(Spec4_2, ReckOnChipFileIsTheProfile) {
  const sim::RunConfig rc = load_reckon();
  ASSERT_EQ(rc.chip.cores.size(), 1u);
  const hw::CoreConfig& c = rc.chip.cores[0];
  EXPECT_EQ(c.memory.neurons_per_word, 2u);
  EXPECT_EQ(c.timing.tick_sync_cycles, 3u);
  EXPECT_EQ(c.timing.neuron_word_cycles, 2u);
  EXPECT_EQ(c.timing.step_tail_cycles, 0u);
  EXPECT_EQ(c.timing.step_done_cycles, 1u);
  EXPECT_EQ(c.timing.scan_cycles_per_index, 1u);
  EXPECT_EQ(c.timing.input_only_cycles, 0u);  // inference: no input-trace update (SPEC §4.2)
  EXPECT_EQ(c.timing.send_cycles, 4u);
  EXPECT_EQ(c.weights.bits, 8);
  EXPECT_EQ(c.weights.input_shift, 3);
  EXPECT_EQ(c.weights.recurrent_shift, 3);
  EXPECT_EQ(c.weights.output_shift, 3);
  EXPECT_EQ(c.neuron.get("reset"), hw::lif::kResetSubtract);
  EXPECT_EQ(c.neuron.get("refractory_steps"), 0u);
  EXPECT_EQ(c.neuron.model().name, "lif");
}

// §4.2: "The measured cue-accumulation figures (R = 100, I = 40, O = 2: STEP 100, scan 100, 100 per
// active index) follow."
TEST(Spec4_2, CueAccumulationFiguresFollowFromTheProfile) {
  const test::TestCore core = reckon_core(40, 100, 2);
  // W_n = ceil(100/2) = 50, sweep 50 * 2 = 100. STEP max(100, 40, 2) + 0 = 100.
  // Scan max(40, 100) * 1 = 100. Three active indices (0, 1, 39, all < R): PROP 100 + 3 * 100 = 400.
  const sim::RunResult r = test::run_functional(chip_of({core}), core0_events({{0, 1, 39}}), 2, false);
  EXPECT_EQ(r.timesteps[0].cycles, phases(3, 100, 1, 400));
  EXPECT_EQ(r.timesteps[1].cycles, phases(3, 100, 1, 100));  // no active index: the scan alone
}

// §4.2: "Example: 256 inputs, 256 neurons, 16 readouts and 5 active indices of which none
// input-only → 3 + 256 + 1 + (256 + 5·256) = 1796 cycles." With the profile of reckon.yaml.
TEST(Spec4_2, WorkedExampleWithTheReckOnFile) {
  const test::TestCore core = reckon_core(256, 256, 16);
  const sim::RunResult r =
      test::run_functional(chip_of({core}), core0_events({{0, 10, 100, 200, 255}}), 1, false);
  EXPECT_EQ(r.timesteps[0].cycles, phases(3, 256, 1, 256 + 5 * 256));
  EXPECT_EQ(r.total_cycles, 1796u);
}

// ---- §5 Chip time ------------------------------------------------------------------------------

// §5.1: "every time in the model is an unsigned 64-bit integer number of picoseconds": the loader
// admits only runs whose longest possible duration fits (2^62 ps), so no counter can wrap.
TEST(Spec5_1, RunsLongerThanTheTimeCounterAreRejectedAtTheirTimesteps) {
  // A fixed period of 10^12 cycles of 10,000 ps is 10^16 ps per timestep: 461 timesteps fit in
  // 2^62 ps = 4,611,686,018,427,387,904 ps, 462 do not.
  const std::string fixed = "chip.timestep={policy: fixed, cycles_per_timestep: 1000000000000}";
  EXPECT_EQ(override_messages({fixed, "workload.timesteps=461"}), Messages{});
  const Messages m = override_messages({fixed, "workload.timesteps=462"});
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0], "the run could last 4620000000000000000 ps (462 timesteps of up to 10000000000000000 ps each, "
                  "with every index active), more than the 4611686018427387904 ps (2^62, about 53 days) that the "
                  "simulated time can hold: use fewer timesteps, a faster clock or smaller timing costs");
  // Free-running: the worst case is every index active. A 1 s clock with 10^6-cycle phases
  // overflows any 64-bit product: reported, not wrapped.
  const Messages slow = override_messages({"chip.clock={period_ps: 1000000000000}",
                                           "chip.cores.0.timing={tick_sync_cycles: 1000000}",
                                           "workload.timesteps=10000000"});
  ASSERT_EQ(slow.size(), 1u);
  EXPECT_EQ(slow[0].rfind("the run could last more than 2^64 ps", 0), 0u) << slow[0];
}

// §5.1: "time in ns is cycles · period_ps / 1000" (stat time_ns). The chip statistics both
// fidelities write (hw::ChipStats) derive time_ns from the cycle count and the exact period.
TEST(Spec5_1, SimulatedTimeInNanoseconds) {
  // Core 0: W_n 1, STEP max(2, 1, 0) + 1 = 3, PROP 1: latency 3 + 3 + 1 + 1 = 8.
  // Core 1: W_n 3, STEP max(6, 1, 0) + 1 = 7, PROP 5: latency 3 + 7 + 1 + 5 = 16.
  // Two idle timesteps: starts 0 and 16 for both cores, end 32; with a 333,333 ps period (about
  // 3 MHz) 32 * 333,333 ps = 10,666,656 ps.
  test::TestChip chip = chip_of({tiny_core(1, 1, 0), tiny_core(1, 5, 0)});
  chip.clock_period_ps = 333333;
  const sim::RunResult r = test::run_functional(chip, hw::InputSchedule{}, 2, false);
  EXPECT_EQ(r.total_cycles, 32u);
  hw::StatGroup root("stats");
  hw::ChipStats stats(root, chip.clock_period_ps);
  stats.cycles += r.total_cycles;
  bool found = false;
  for (const hw::StatView& s : root.collect()) {
    if (s.name != "stats.chip.time_ns") continue;
    found = true;
    ASSERT_EQ(s.values.size(), 1u);
    EXPECT_DOUBLE_EQ(s.values[0].second, 10666.656);
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace neurochip
