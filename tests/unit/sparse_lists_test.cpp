// Sparse synapse lists (SPEC.md §3.4, §4.1): the bit layout of the axon table and the list words,
// and on a small constructed core the PROP cycles and the access counts of a hand-computed case,
// in the cycle model's datapath and in the functional reference. Zero weights are no-ops under
// saturation (the reason a sparse core may skip them), checked exhaustively.
#include <gtest/gtest.h>

#include <vector>

#include "common/fixed_point.h"
#include "core/core_datapath.h"
#include "core/neuron_models/lif.h"
#include "core/phase_table.h"
#include "memory/synapse_list_layout.h"
#include "memory/synapse_list_memory.h"
#include "reference/functional_model.h"
#include "support/test_chips.h"

namespace neurochip {
namespace {

// 3 inputs, 10 neurons, 2 readouts, 8-bit weights: targets take ceil(log2(10)) = 4 bits, entries
// 12 bits, 40-bit list words hold E = 3 entries. Lists:
//   input 0: (1, 10) (2, -3) (5, 7) (9, 1)  -> words 0-1     input 1: empty
//   input 2: (0, 120)                         -> word 2       neuron 0: (2, 5) (3, 5) -> word 3
// 8 list words give 3-bit bases; lists of up to ceil(10 / 3) = 4 words give 3-bit lengths: an
// axon-table entry is 2 x (3 + 3) = 12 bits.
test::TestCore constructed_core() {
  test::TestCore c = test::tiny_core(3, 10, 2);
  c.memory.synapses = hw::SynapseOrganisation::kSparse;
  c.memory.synapse_list_sram = {8, 40};
  c.memory.axon_table = {10, 16};
  c.timing.axon_lookup_cycles = 2;
  c.timing.synapse_word_cycles = 3;
  test::set_input(c, 0, 1, 10);
  test::set_input(c, 0, 2, -3);
  test::set_input(c, 0, 5, 7);
  test::set_input(c, 0, 9, 1);
  test::set_input(c, 2, 0, 120);
  test::set_recurrent(c, 0, 2, 5);
  test::set_recurrent(c, 0, 3, 5);
  c.image.output_weights[0] = 4;   // neuron 0 -> readout 0
  c.image.output_weights[1] = -4;  // neuron 0 -> readout 1
  return c;
}

hw::SynapseListMemory loaded_lists(const test::TestCore& c) {
  hw::SynapseListMemory lists("lists", c.memory.max_inputs, c.memory.max_neurons, c.memory.axon_table,
                              c.memory.synapse_list_sram, c.weights.bits);
  lists.load(c.image.input_weights, c.enabled.inputs, c.image.recurrent_weights, c.enabled.neurons);
  return lists;
}

uint64_t entry(uint32_t target, int32_t weight) { return target | (static_cast<uint64_t>(weight & 0xFF) << 4); }

TEST(SparseLists, LayoutFormulas) {
  EXPECT_EQ(hw::synapse_target_bits(1), 1u);
  EXPECT_EQ(hw::synapse_target_bits(256), 8u);
  EXPECT_EQ(hw::synapse_target_bits(257), 9u);
  EXPECT_EQ(hw::synapse_entry_bits(10, 8), 12u);
  EXPECT_EQ(hw::synapse_entries_per_word(40, 10, 8), 3u);
  EXPECT_EQ(hw::synapse_entries_per_word(11, 10, 8), 0u);
  EXPECT_EQ(hw::synapse_list_words(4, 3), 2u);
  EXPECT_EQ(hw::synapse_list_words(0, 3), 0u);
  EXPECT_EQ(hw::axon_entry_bits(8, 10, 3), 12u);
  EXPECT_EQ(hw::synapse_list_capacity_words(3, 10, 3), 13u * 4u);
}

TEST(SparseLists, WordsAndAxonTableHoldTheSpecLayout) {
  const test::TestCore c = constructed_core();
  const hw::SynapseListMemory lists = loaded_lists(c);
  EXPECT_EQ(lists.entries_per_word(), 3u);
  EXPECT_EQ(lists.words_used(), 4u);
  // Entry e at bits [12e + 11 : 12e]: target [3:0], weight [11:4]; padding entries are all 0.
  const auto entries = [&](uint32_t word) {
    const hw::SramWord w = lists.peek_word(word);
    return std::vector<uint64_t>{w.get(0, 12), w.get(12, 12), w.get(24, 12), w.get(36, 4)};
  };
  EXPECT_EQ(entries(0), (std::vector<uint64_t>{entry(1, 10), entry(2, -3), entry(5, 7), 0}));
  EXPECT_EQ(entries(1), (std::vector<uint64_t>{entry(9, 1), 0, 0, 0}));
  EXPECT_EQ(entries(2), (std::vector<uint64_t>{entry(0, 120), 0, 0, 0}));
  EXPECT_EQ(entries(3), (std::vector<uint64_t>{entry(2, 5), entry(3, 5), 0, 0}));
  EXPECT_EQ(entries(4), (std::vector<uint64_t>{0, 0, 0, 0}));
  // Axon entries: input base [2:0], input length [5:3], recurrent base [8:6], recurrent length [11:9].
  using A = hw::SynapseListMemory::AxonEntry;
  EXPECT_EQ(lists.peek_axon(0), (A{0, 2, 3, 1}));
  EXPECT_EQ(lists.peek_axon(1), (A{0, 0, 0, 0}));
  EXPECT_EQ(lists.peek_axon(2), (A{2, 1, 0, 0}));
  EXPECT_EQ(lists.peek_axon(9), (A{0, 0, 0, 0}));
  std::vector<int8_t> input, recurrent;
  lists.unpack(input, recurrent);
  EXPECT_EQ(input, c.image.input_weights);
  EXPECT_EQ(recurrent, c.image.recurrent_weights);
}

TEST(SparseLists, LoadRefusesListsBeyondTheSram) {
  test::TestCore c = constructed_core();
  c.memory.synapse_list_sram.words = 3;  // the lists need 4
  c.memory.axon_table = {10, 16};
  EXPECT_THROW(loaded_lists(c), std::invalid_argument);
  c.memory.synapse_list_sram = {8, 11};  // narrower than one 12-bit entry
  EXPECT_THROW(loaded_lists(c), std::invalid_argument);
}

std::vector<int32_t> membranes(const hw::CoreDatapath& dp) { return dp.neurons().field_values()[hw::lif::kU]; }

TEST(SparseLists, PropCyclesAndCountsFollowTheHandFormula) {
  const test::TestCore c = constructed_core();
  hw::CoreDatapath dp(c, c.image);
  const uint64_t n = 10, scan = n * c.timing.scan_cycles_per_index;  // N = max(I, R)
  const uint64_t step_words = 5;                                     // W_n = ceil(10 / 2)

  // Timestep 1: inputs 0 and 2. A = 2 axon reads; L = 2 + 1 list words; the targets 1, 2, 5, 9 and
  // 0 lie in neuron words {0, 1, 2, 4} and {0}: 4 + 1 read-modify-writes.
  dp.begin_timestep(hw::Ps(1));
  dp.receive(0, hw::Ps(1));
  dp.receive(2, hw::Ps(1));
  dp.sync();
  dp.step();
  dp.step_done();
  EXPECT_EQ(dp.prop(), scan + 2 * 2 + 3 * 3);
  EXPECT_EQ(dp.work().active_indices, 2u);
  EXPECT_EQ(dp.work().synapse_list_words, 3u);
  EXPECT_EQ(hw::phase_cycles_formula(c, c.enabled, dp.work())[hw::kPhaseProp], scan + 2 * 2 + 3 * 3);
  EXPECT_EQ(membranes(dp), (std::vector<int32_t>{120, 10, -3, 0, 0, 7, 0, 0, 0, 1}));
  const hw::SynapseListMemory& lists = *dp.synapse_lists();
  EXPECT_EQ(lists.axon_reads(), 2u);
  EXPECT_EQ(lists.list_reads(), 3u);
  EXPECT_EQ(dp.neurons().reads(), step_words + 5);
  EXPECT_EQ(dp.neurons().writes(), step_words + 5);
  EXPECT_EQ(dp.synaptic_events(), 5u);
  EXPECT_EQ(dp.nonzero_synaptic_events(), 5u);
  EXPECT_EQ(dp.input_sram().reads() + dp.recurrent_sram().reads() + dp.output_sram().reads(), 0u);

  // Timestep 2: neuron 0 spikes (120 >= 100) and is reset; index 0 is active by its spike alone:
  // one axon read, its one recurrent word (targets 2, 3 in neuron word 1), its output row (one word).
  dp.begin_timestep(hw::Ps(2));
  dp.sync();
  dp.step();
  ASSERT_EQ(dp.spiking(), (std::vector<uint32_t>{0}));
  dp.step_done();
  EXPECT_EQ(dp.prop(), scan + 1 * 2 + 1 * 3);
  EXPECT_EQ(membranes(dp), (std::vector<int32_t>{0, 10, 2, 5, 0, 7, 0, 0, 0, 1}));
  EXPECT_EQ(dp.readout(0), 4);
  EXPECT_EQ(dp.readout(1), -4);
  EXPECT_EQ(lists.axon_reads(), 3u);
  EXPECT_EQ(lists.list_reads(), 4u);
  EXPECT_EQ(dp.neurons().reads(), 2 * step_words + 5 + 1);
  EXPECT_EQ(dp.output_sram().reads(), 1u);
  EXPECT_EQ(dp.synaptic_events(), 5u + 2 + 2);  // its 2 entries + O readouts
  EXPECT_EQ(dp.nonzero_synaptic_events(), 5u + 2 + 2);
}

TEST(SparseLists, FunctionalReferenceCountsTheSameOnTheConstructedCase) {
  const test::TestCore c = constructed_core();
  test::TestChip chip;
  chip.cores.push_back(c);
  chip.image.cores.push_back(c.image);
  const hw::InputSchedule stimulus = {{{0, 0}, {0, 2}}, {}};
  const sim::RunResult r = sim::run_functional(chip, chip.image, stimulus, 2, false);
  ASSERT_EQ(r.timesteps.size(), 2u);
  EXPECT_EQ(r.timesteps[0].cycles[hw::kPhaseProp], 10u + 2 * 2 + 3 * 3);
  EXPECT_EQ(r.timesteps[1].cycles[hw::kPhaseProp], 10u + 1 * 2 + 1 * 3);
  const sim::CoreCounters& k = r.counters.at(0);
  EXPECT_EQ(k.axon_table_reads, 3u);
  EXPECT_EQ(k.synapse_list_reads, 4u);
  EXPECT_EQ(k.neuron_sram_reads, 2 * 5u + 5 + 1);
  EXPECT_EQ(k.neuron_sram_writes, 2 * 5u + 5 + 1);
  EXPECT_EQ(k.output_sram_reads, 1u);
  EXPECT_EQ(k.input_sram_reads + k.recurrent_sram_reads, 0u);
  EXPECT_EQ(k.synaptic_events, 9u);
  EXPECT_EQ(r.final_state.at(0).field("u"), (std::vector<int32_t>{0, 10, 2, 5, 0, 7, 0, 0, 0, 1}));
}

TEST(SparseLists, AddingAZeroWeightNeverChangesAMembrane) {
  // sat16(u + (0 << s)) = u for every 16-bit u and shift, alone or summed with a second contribution
  // (sat16(c + 0) = c for every contribution c): skipping a zero entry is exact.
  for (int s = 0; s <= hw::fxp::kMaxWeightShift; ++s) {
    for (int32_t u = hw::fxp::kPotentialMin; u <= hw::fxp::kPotentialMax; ++u) {
      ASSERT_EQ(hw::fxp::sat_add16(u, hw::fxp::weight_contribution(0, s)), u);
      ASSERT_EQ(hw::fxp::sat_add16(hw::fxp::weight_contribution(0, s), u), u);
    }
  }
}

}  // namespace
}  // namespace neurochip
