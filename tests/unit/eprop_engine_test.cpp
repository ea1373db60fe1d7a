// Unit tests of the e-prop engine's kernels (hw_model/learning/eprop_engine.h, SPEC.md §6) against
// hand-computed values: the stochastic ±1 update (learning-rate shifts, the draw comparison, the
// most negative P, saturation at 127 / -128), the hard sigmoid, trace increments and decay, the
// learning signal's floor for negative sums, the pseudo-derivative's levels, the self-connection
// rule and the skip rule (no write and no LFSR advance for a zero presynaptic trace).
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <map>
#include <vector>

#include "learning/eprop_engine.h"

namespace {

using namespace neurochip::hw;

TEST(EpropUpdate, StochasticStepComparesTheScaledMagnitudeWithTheDraw) {
  // P = 100, p = 8, r = 0, W = 32: q = min(100 << 8, 2^32 - 1) = 25600.
  EXPECT_EQ(stochastic_update(5, 100, 32, 8, 0, 25600), 6);   // q >= draw: +1
  EXPECT_EQ(stochastic_update(5, 100, 32, 8, 0, 25601), 5);   // q < draw: unchanged
  EXPECT_EQ(stochastic_update(5, -100, 32, 8, 0, 25600), 4);  // negative P: -1
  // r shifts q down: 25600 >> 4 = 1600.
  EXPECT_EQ(stochastic_update(5, 100, 32, 8, 4, 1600), 6);
  EXPECT_EQ(stochastic_update(5, 100, 32, 8, 4, 1601), 5);
  // The cap: |P| << p beyond 2^W - 1 is clamped, so the draw 2^32 - 1 still updates.
  EXPECT_EQ(stochastic_update(0, 1 << 30, 32, 8, 0, 0xFFFFFFFFu), 1);
  // P = 0 never moves the weight.
  EXPECT_EQ(stochastic_update(5, 0, 32, 8, 0, 0), 5);
  // The most negative W-bit value always updates, whatever the draw.
  EXPECT_EQ(stochastic_update(0, -(int64_t{1} << 27), 28, 0, 27, 0xFFFFFFFu), -1);
  // Saturation: 127 does not grow, -128 does not fall.
  EXPECT_EQ(stochastic_update(127, 100, 32, 8, 0, 0), 127);
  EXPECT_EQ(stochastic_update(-128, -100, 32, 8, 0, 0), -128);
  EXPECT_EQ(stochastic_update(127, -100, 32, 8, 0, 0), 126);
}

TEST(EpropUpdate, HardSigmoid) {
  EXPECT_EQ(hard_sigmoid(2048), 2048);   // v > 2047
  EXPECT_EQ(hard_sigmoid(2047), 2047);   // (2047 + 2048) >> 1
  EXPECT_EQ(hard_sigmoid(0), 1024);
  EXPECT_EQ(hard_sigmoid(-2047), 0);     // (1) >> 1
  EXPECT_EQ(hard_sigmoid(-2048), 0);
  EXPECT_EQ(hard_sigmoid(-2049), 0);
  EXPECT_EQ(hard_sigmoid(-3), 1022);     // 2045 >> 1
}

/// Dense weights of a small core behind the engine's word interface, counting accesses.
class Weights : public EpropWeights {
 public:
  Weights(uint32_t inputs, uint32_t neurons, uint32_t readouts)
      : posts_{neurons, neurons, readouts},
        w_{std::vector<int8_t>(size_t{inputs} * neurons), std::vector<int8_t>(size_t{neurons} * neurons),
           std::vector<int8_t>(size_t{neurons} * readouts)} {}
  int8_t& at(Matrix m, uint32_t pre, uint32_t post) { return w_[int(m)][size_t{pre} * posts_[int(m)] + post]; }
  void read(Matrix m, uint32_t pre, uint32_t word, int8_t* w) override {
    ++reads[int(m)];
    for (uint32_t l = 0; l < kEpropLanes; ++l) {
      const uint32_t post = word * kEpropLanes + l;
      w[l] = post < posts_[int(m)] ? at(m, pre, post) : 0;
    }
  }
  void write(Matrix m, uint32_t pre, uint32_t word, const int8_t* w) override {
    ++writes[int(m)];
    for (uint32_t l = 0; l < kEpropLanes; ++l) {
      const uint32_t post = word * kEpropLanes + l;
      if (post < posts_[int(m)]) at(m, pre, post) = w[l];
    }
  }
  std::array<int, 3> reads{}, writes{};

 private:
  std::array<uint32_t, 3> posts_;
  std::array<std::vector<int8_t>, 3> w_;
};

CoreConfig engine_core(uint32_t inputs, uint32_t neurons, uint32_t readouts) {
  CoreConfig c;
  c.enabled = {inputs, neurons, readouts};
  c.neuron.set("alpha", 0x4000);  // 0.5
  c.readout.kappa = 0x40;         // 0.5
  c.learning.update_input = c.learning.update_recurrent = c.learning.update_output = true;
  c.learning.h_thresholds = {0, 0, 0, 100};  // h = level 3 for 0 <= u < 100, level 4 above
  c.learning.h_levels = {0, 0, 0, 2, 1};
  return c;
}

TEST(EpropEngine, TracesIncrementSaturateAndDecayByFloor) {
  const CoreConfig cfg = engine_core(2, 2, 1);
  EpropEngine e(cfg);
  // Increments 8 << 3 = 64 (input), 8 << 4 = 128 (recurrent), 2 << 6 = 128 (output).
  e.on_input_event(1);
  e.on_spike(0);
  EXPECT_EQ(e.trace_input()[1], 64);
  EXPECT_EQ(e.trace_recurrent()[0], 128);
  EXPECT_EQ(e.trace_output()[0], 128);
  for (int k = 0; k < 10; ++k) e.on_spike(0);  // output trace saturates at 1023; recurrent 11 · 128 = 1408
  EXPECT_EQ(e.trace_output()[0], 1023);
  EXPECT_EQ(e.trace_recurrent()[0], 1408);
  // Decay with alpha = kappa = 0.5 (floor rounding): 64 -> 32, 1408 -> 704, 1023 -> 511.
  e.decay(1, true);
  EXPECT_EQ(e.trace_input()[1], 32);
  EXPECT_EQ(e.trace_recurrent()[0], 704);
  EXPECT_EQ(e.trace_output()[0], 511);
  // A sample that does not learn leaves the values alone.
  e.decay(1, false);
  EXPECT_EQ(e.trace_input()[1], 32);
}

TEST(EpropEngine, UpdateComputesErrorsLearningSignalsAndPseudoDerivatives) {
  // R = 2 neurons, I = 1, O = 2. Readouts v = (0, 3000): y = (1024, 2048); target 0:
  // e = (2048 - 1024, 0 - 2048) = (1024, -2048).
  const CoreConfig cfg = engine_core(1, 2, 2);
  EpropEngine e(cfg);
  Weights w(1, 2, 2);
  w.at(EpropWeights::Matrix::kOutput, 0, 0) = 1;   // L_0 = floor((1024·1 - 2048·1) · 32 / 4096)
  w.at(EpropWeights::Matrix::kOutput, 0, 1) = 1;   //     = floor(-1024 / 128) = -8
  w.at(EpropWeights::Matrix::kOutput, 1, 0) = -1;  // L_1 = floor((-1024 - 2048·2) / 128)
  w.at(EpropWeights::Matrix::kOutput, 1, 1) = 2;   //     = floor(-40) = -40
  const std::vector<int32_t> v = {0, 3000};
  const int16_t u[2] = {50, -5};  // h_0 = level 3 = 2, h_1 = level 0 = 0 (u < 0)
  e.update(0, u, v, w);
  EXPECT_EQ(e.errors(), (std::vector<int32_t>{1024, -2048}));
  EXPECT_EQ(e.learning_signals(), (std::vector<int32_t>{-8, -40}));
  EXPECT_EQ(e.pseudo_derivatives(), (std::vector<int32_t>{2, 0}));
  // Every trace is 0: no output row or weight word is written, and no weight LFSR advances.
  EXPECT_EQ(w.writes, (std::array<int, 3>{0, 0, 0}));
  EXPECT_EQ(w.reads[int(EpropWeights::Matrix::kOutput)], 2);  // phase A reads each row for L
  EXPECT_EQ(e.words_written(), (std::array<uint64_t, 3>{0, 0, 0}));
  EXPECT_EQ(e.weight_lfsr(EpropWeights::Matrix::kInput).window(),
            EpropEngine(cfg).weight_lfsr(EpropWeights::Matrix::kInput).window());
}

// SPEC §6.3 with output_activation identity (SPI_NO_OUT_ACT): y = v, so v = (0, 3000) and target 1
// give e = (0 - 0, 2048 - 3000) = (0, -952); the hard sigmoid would give (-1024, 0).
TEST(EpropEngine, IdentityOutputActivationUsesTheReadoutsThemselves) {
  CoreConfig cfg = engine_core(1, 2, 2);
  Weights w(1, 2, 2);
  const std::vector<int32_t> v = {0, 3000};
  const int16_t u[2] = {0, 0};
  EpropEngine sigmoid(cfg);
  sigmoid.update(1, u, v, w);
  EXPECT_EQ(sigmoid.errors(), (std::vector<int32_t>{-1024, 0}));
  cfg.learning.output_activation = OutputActivation::kIdentity;
  EpropEngine identity(cfg);
  identity.update(1, u, v, w);
  EXPECT_EQ(identity.errors(), (std::vector<int32_t>{0, -952}));
  // e saturates at 16 bits: 2048 - (-32768) = 34816 -> 32767.
  identity.update(1, u, {0, -32768}, w);
  EXPECT_EQ(identity.errors(), (std::vector<int32_t>{0, 32767}));
}

TEST(EpropEngine, WrittenWordsAdvanceTheirLfsrOnceAndClearTheSelfConnection) {
  const CoreConfig cfg = engine_core(1, 2, 1);
  EpropEngine e(cfg);
  Weights w(1, 2, 1);
  w.at(EpropWeights::Matrix::kRecurrent, 1, 1) = 9;  // self-connection of neuron 1
  w.at(EpropWeights::Matrix::kRecurrent, 1, 0) = 3;
  e.on_spike(1);        // recurrent trace of index 1: 128 -> used 128 >> 4 = 8
  e.on_input_event(0);  // input trace of index 0: 64 -> used 8
  const std::vector<int32_t> v = {0};
  const int16_t u[2] = {0, 0};
  EpropEngine reference(cfg);
  e.update(0, u, v, w);
  // Index 0 has an input trace (one input word written) and no recurrent trace (skipped); index 1
  // has a recurrent trace (one recurrent word written); output rows: z̄out_1 >> 6 = 2 != 0.
  EXPECT_EQ(e.words_written(), (std::array<uint64_t, 3>{1, 1, 1}));
  EXPECT_EQ(w.at(EpropWeights::Matrix::kRecurrent, 1, 1), 0) << "the self-connection is forced to 0";
  // Each written word advanced its matrix's LFSR exactly once.
  StreamLfsr once = reference.weight_lfsr(EpropWeights::Matrix::kRecurrent);
  std::vector<uint64_t> draw(once.words());
  once.advance_into(draw.data());
  EXPECT_EQ(e.weight_lfsr(EpropWeights::Matrix::kRecurrent).window(), once.window());
}

TEST(EpropEngine, CyclesFollowTheGroupFormula) {
  // ceil(R / 16) · (2·16 + 2·max(I, R)): ReckOn's demo 7 · (32 + 200) = 1624; 256/256: 16 · 544.
  EXPECT_EQ(EpropEngine::cycles(CoreConfig{}, 40, 100), 1624u);
  EXPECT_EQ(EpropEngine::cycles(CoreConfig{}, 256, 256), 8704u);
  EXPECT_EQ(EpropEngine::cycles(CoreConfig{}, 300, 20), 2u * (32 + 600));
  // Neuron-word reads: R + ceil(R / 16) · max(I, R): 100 + 7 · 100 = 800; 20 + 2 · 300 = 620.
  EXPECT_EQ(EpropEngine::neuron_word_reads(40, 100), 800u);
  EXPECT_EQ(EpropEngine::neuron_word_reads(300, 20), 620u);
}

}  // namespace
