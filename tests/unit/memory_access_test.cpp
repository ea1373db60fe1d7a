// Word-level access to every SRAM of a core (SPEC.md §3.1-§3.3): the neuron-word bit layout of
// every registered neuron model, pack/unpack round trips, and the counters of word reads and writes
// (a weight change is a read-modify-write of its word).
#include <gtest/gtest.h>

#include <random>

#include "core/neuron_model.h"
#include "core/neuron_models/alif.h"
#include "memory/neuron_memory.h"
#include "memory/synapse_memory.h"

namespace neurochip {
namespace {

using hw::NeuronMemory;
using hw::NeuronModel;
using hw::SramWord;

TEST(SramWord, FieldsStraddlingLimbsReadBackExactly) {
  SramWord w(130);
  w.set(60, 10, 0x3FF);
  w.set(0, 1, 1);
  w.set(128, 2, 2);
  EXPECT_EQ(w.get(60, 10), 0x3FFu);
  EXPECT_EQ(w.get(59, 12), 0x3FFu << 1);
  EXPECT_EQ(w.get(0, 64), (uint64_t{0xF} << 60) | 1);
  EXPECT_EQ(w.get(64, 64), 0x3Fu);
  EXPECT_EQ(w.get(128, 2), 2u);
  w.set(62, 4, 0);  // clears two bits on each side of the limb boundary
  EXPECT_EQ(w.get(60, 10), 0x3C3u);
  EXPECT_THROW(w.get(129, 2), std::out_of_range);
  EXPECT_THROW(w.set(0, 65, 0), std::out_of_range);
}

// §3.1: slot s of a word holds neuron s of the word at bits [s·S + S − 1 : s·S] (S = the model's
// state bits), its fields from the least significant bit up in the model's order.
/// The parameters of `model` with a refractory period, so that every field is stored.
hw::NeuronParams refractory(const NeuronModel& model) {
  hw::NeuronParams p(model);
  p.set("refractory_steps", 1);
  return p;
}

TEST(NeuronMemory, LayoutOfLifAndAlifWordsFollowsTheSpec) {
  // LIF: u [15:0], ref [23:16]; S = 24. Two per 128-bit word; neuron 1 is slot 1 at [47:24].
  NeuronMemory lif(refractory(hw::neuron_model("lif")), 3, 2, 128);
  EXPECT_EQ(hw::neuron_model("lif").state_bits(refractory(hw::neuron_model("lif"))), 24u);
  EXPECT_EQ(lif.field_lsb(0, 0), 0u);
  EXPECT_EQ(lif.field_lsb(0, 1), 16u);
  EXPECT_EQ(lif.field_lsb(1, 0), 24u);
  EXPECT_EQ(lif.field_lsb(1, 1), 40u);
  lif.fields()[0] = {-2, 0x1234, 7};
  lif.fields()[1] = {3, 255, 0};
  const SramWord w0 = lif.peek_word(0);
  EXPECT_EQ(w0.get(0, 16), 0xFFFEu);   // u0 = -2, two's complement
  EXPECT_EQ(w0.get(16, 8), 3u);        // ref0
  EXPECT_EQ(w0.get(24, 16), 0x1234u);  // u1
  EXPECT_EQ(w0.get(40, 8), 255u);      // ref1
  EXPECT_EQ(w0.get(48, 64), 0u);       // unused bits
  const SramWord w1 = lif.peek_word(1);  // the half-used last word: neuron 2 only
  EXPECT_EQ(w1.get(0, 16), 7u);
  EXPECT_EQ(w1.get(24, 24), 0u);
  // ALIF: u [15:0], ref [23:16], a [39:24]; S = 40.
  NeuronMemory alif(refractory(hw::neuron_model("alif")), 2, 3, 128);
  EXPECT_EQ(hw::neuron_model("alif").state_bits(refractory(hw::neuron_model("alif"))), 40u);
  EXPECT_EQ(alif.field_lsb(1, hw::alif::kA), 64u);
  // a is unsigned: stored as its 16-bit pattern, read back as 0..65535.
  alif.fields()[hw::alif::kA] = {hw::field_word(65535), 16};
  EXPECT_EQ(alif.peek_word(0).get(24, 16), 65535u);
  EXPECT_EQ(alif.peek_word(0).get(64, 16), 16u);
  EXPECT_EQ(alif.field_values()[hw::alif::kA], (std::vector<int32_t>{65535, 16}));
  alif.write_word(0, alif.peek_word(0));
  EXPECT_EQ(alif.field_values()[hw::alif::kA], (std::vector<int32_t>{65535, 16}));
  // A layout that does not fit the word is refused.
  EXPECT_THROW(NeuronMemory(refractory(hw::neuron_model("alif")), 4, 4, 128), std::invalid_argument);
}

// §3.1: without a refractory period (refractory_steps 0, ReckOn) the counter is not stored: a LIF
// state is u alone (S = 16) and an ALIF state u and a (S = 32).
TEST(NeuronMemory, TheRefractoryCounterIsStoredOnlyWithARefractoryPeriod) {
  const hw::NeuronParams lif(hw::neuron_model("lif"));
  ASSERT_EQ(lif.get("refractory_steps"), 0);
  EXPECT_EQ(lif.model().state_bits(lif), 16u);
  EXPECT_EQ(hw::neuron_model("alif").state_bits(hw::NeuronParams(hw::neuron_model("alif"))), 32u);
  NeuronMemory mem(lif, 8, 8, 128);  // 8 x 16 bits fill the word exactly
  EXPECT_EQ(mem.field_lsb(3, 0), 48u);
  EXPECT_THROW((void)mem.field_lsb(0, hw::lif::kRef), std::out_of_range);
  mem.fields()[0] = {1, 2, 3, 4, 5, 6, 7, -1};
  EXPECT_EQ(mem.peek_word(0).get(112, 16), 0xFFFFu);
  EXPECT_EQ(mem.peek_word(0).get(48, 16), 4u);
}

// §3.1 word parameters, ReckOn's layout in a 128-bit word of two 50-bit slots: threshold
// [115:100] (signed), alpha's 12 low bits [127:116]; alpha's high bits are not in the word, so a
// write keeps them.
TEST(NeuronMemory, WordParametersSitAtTheTopOfTheWord) {
  NeuronMemory mem(hw::NeuronParams(hw::neuron_model("lif")), 4, 2, 128);
  EXPECT_FALSE(mem.has_word_parameters());
  EXPECT_THROW(mem.load_word_parameters({614, 614}, {0x6FFF, 0x7FEF}), std::invalid_argument);  // alpha range
  EXPECT_THROW(mem.load_word_parameters({614}, {0x7FEF}), std::invalid_argument);              // too few words
  const uint64_t before = mem.word_parameter_generation();
  mem.load_word_parameters({614, -3}, {0x7FEF, 0x8123});
  EXPECT_NE(mem.word_parameter_generation(), before);
  const SramWord w0 = mem.peek_word(0), w1 = mem.peek_word(1);
  EXPECT_EQ(w0.get(100, 16), 614u);
  EXPECT_EQ(w0.get(116, 12), 0xFEFu);
  EXPECT_EQ(w1.get(100, 16), 0xFFFDu);
  EXPECT_EQ(w1.get(116, 12), 0x123u);
  SramWord changed = w1;
  changed.set(116, 12, 0xABC);
  changed.set(100, 16, 700);
  const uint64_t loaded = mem.word_parameter_generation();
  mem.write_word(1, changed);
  EXPECT_EQ(mem.word_alphas()[1], 0x8ABC);  // the 0x8 comes from the configuration bit
  EXPECT_EQ(mem.word_thresholds()[1], 700);
  EXPECT_NE(mem.word_parameter_generation(), loaded);
  const uint64_t written = mem.word_parameter_generation();
  mem.write_word(0, w0);  // the same values: no change
  EXPECT_EQ(mem.word_parameter_generation(), written);
  // 2 x 50 bits of slots (u and the learning traces) + 28 = 128: a 3-neuron word of LIF with its
  // refractory counter (3 x 24 + 28 = 100) fits, 4 x 24 + 28 = 124 fits, 5 x 24 + 28 does not.
  NeuronMemory five(refractory(hw::neuron_model("lif")), 5, 5, 128);
  EXPECT_THROW(five.load_word_parameters({1}, {0x7000}), std::invalid_argument);
}

TEST(NeuronMemory, EveryModelsWordsRoundTripAndAccessesAreCounted) {
  std::mt19937_64 rng(11);
  for (const NeuronModel* model : NeuronModel::all()) {
    SCOPED_TRACE(model->name);
    const hw::NeuronParams params = refractory(*model);
    const uint32_t per_word = 128 / model->state_bits(params);
    NeuronMemory mem(params, 7, per_word, 128);
    NeuronMemory copy(params, 7, per_word, 128);
    for (size_t f = 0; f < model->fields.size(); ++f) {
      const hw::StateField& field = model->fields[f];
      for (hw::FieldWord& v : mem.fields()[f]) {
        const int64_t span = int64_t{1} << field.bits;
        const int64_t raw = static_cast<int64_t>(rng() % static_cast<uint64_t>(span));
        v = hw::field_word(static_cast<int32_t>(field.is_signed && raw >= span / 2 ? raw - span : raw));
      }
    }
    for (uint32_t w = 0; w < mem.words(); ++w) copy.write_word(w, mem.read_word(w));
    EXPECT_EQ(copy.fields(), mem.fields());
    EXPECT_EQ(mem.reads(), mem.words());
    EXPECT_EQ(mem.writes(), 0u);
    EXPECT_EQ(copy.writes(), copy.words());
    EXPECT_EQ(copy.reads(), 0u);
    (void)mem.peek_word(0);  // back-door: not counted
    EXPECT_EQ(mem.reads(), mem.words());
    mem.count_sweep();
    EXPECT_EQ(mem.reads(), 2u * mem.words());
    EXPECT_EQ(mem.writes(), uint64_t{mem.words()});
  }
}

TEST(SynapseMemory, WordReadsWritesAndWeightReadModifyWritesAreCounted) {
  // 4 x 20 crossbar of 4-bit weights in 32-bit words: K = 8, stride ceil(20 / 8) = 3 words.
  hw::SynapseMemory sram("test", 4, 20, hw::SramGeometry{12, 32}, 4);
  EXPECT_EQ(sram.word_index(2, 17), 2u * 3 + 2);
  sram.write_weight(2, 17, -3);
  EXPECT_EQ(sram.reads(), 1u);
  EXPECT_EQ(sram.writes(), 1u);
  EXPECT_EQ(sram.peek(2, 17), -3);
  EXPECT_EQ(sram.peek(2, 16), 0);
  // Lane 17 mod 8 = 1 of word 8 holds 0xD (-3) at bits [7:4].
  const SramWord w = sram.read_word(8);
  EXPECT_EQ(w.get(4, 4), 0xDu);
  EXPECT_EQ(sram.reads(), 2u);
  SramWord all(32);
  all.set(0, 32, 0x12345677);  // lanes 7, 7, 6, 5, 4, 3, 2, 1 from lane 0 up
  sram.write_word(0, all);
  EXPECT_EQ(sram.writes(), 2u);
  EXPECT_EQ(sram.peek(0, 0), 7);
  EXPECT_EQ(sram.peek(0, 2), 6);
  EXPECT_EQ(sram.peek(0, 7), 1);
  // A row read counts its words as before: ceil(20 / 8) = 3.
  sram.read_row(2, 20);
  EXPECT_EQ(sram.reads(), 5u);
  EXPECT_EQ(sram.read_row(2, 20)[17], -3);
  EXPECT_THROW(sram.read_word(12), std::out_of_range);
}

}  // namespace
}  // namespace neurochip
