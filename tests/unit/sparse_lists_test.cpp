// Sparse synapse lists (SPEC.md §3.4, §4.1): the bit layout of the axon table and the list words,
// and on a small constructed core the PROP cycles and the access counts of a hand-computed case,
// in the cycle model's datapath and in the functional reference, also on a core of a chip with a
// network (SPEC §7.7: a remote axon's list, own-index reads, canonical application, the input and
// the remote neuron of one canonical index summed before saturating, crossbar and sparse). Zero weights
// are no-ops under saturation (the reason a sparse core may skip them), checked exhaustively.
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

// The constructed core on a chip with a network (SPEC §7.7): axon 2 carries a remote neuron whose
// canonical index is 0, the index of input 0; the core's own neurons 0..9 have canonical 1..10.
// The recurrent shift is 1 (a remote neuron's weights take it), the input shift 0.
test::TestCore networked_core() {
  test::TestCore c = constructed_core();
  c.weights.recurrent_shift = 1;
  c.image.remote_axons_from = 2;
  c.image.axon_sources = {0, 1, 0};
  for (uint32_t j = 0; j < 10; ++j) c.image.neuron_sources.push_back(j + 1);
  return c;
}

TEST(SparseLists, NetworkedCoreReadsByOwnIndexAndAppliesInCanonicalOrder) {
  const test::TestCore c = networked_core();
  hw::CoreDatapath dp(c, c.image);
  const uint64_t scan = 10 * c.timing.scan_cycles_per_index, step_words = 5;

  // Timestep 1: input 0 and a remote spike on axon 2. Own active indices 0 and 2: A = 2 axon reads
  // (2 cycles each), L = 2 + 1 list words (3 cycles each). Both lists belong to canonical index 0,
  // so they merge into one application: targets 0, 1, 2, 5, 9 in neuron words {0, 1, 2, 4} — 4
  // read-modify-writes (5 if the two lists were applied apart). Target 0 gets 120 << 1.
  dp.begin_timestep(hw::Ps(1));
  dp.receive(0, hw::Ps(1));
  dp.sync();
  dp.receive_remote(2);
  dp.step();
  dp.step_done();
  EXPECT_EQ(dp.prop(), scan + 2 * 2 + 3 * 3);
  EXPECT_EQ(dp.work().active_indices, 2u);
  EXPECT_EQ(dp.work().synapse_list_words, 3u);
  EXPECT_EQ(hw::phase_cycles_formula(c, c.enabled, dp.work())[hw::kPhaseProp], scan + 2 * 2 + 3 * 3);
  EXPECT_EQ(membranes(dp), (std::vector<int32_t>{240, 10, -3, 0, 0, 7, 0, 0, 0, 1}));
  const hw::SynapseListMemory& lists = *dp.synapse_lists();
  EXPECT_EQ(lists.axon_reads(), 2u);
  EXPECT_EQ(lists.list_reads(), 3u);
  EXPECT_EQ(dp.neurons().reads(), step_words + 4);
  EXPECT_EQ(dp.neurons().writes(), step_words + 4);
  EXPECT_EQ(dp.synaptic_events(), 5u);

  // Timestep 2: neuron 0 spikes (240 >= 100): own index 0 by its spike, one axon read, its one
  // recurrent word (targets 2, 3: 5 << 1 each, one neuron word), its output row.
  dp.begin_timestep(hw::Ps(2));
  dp.sync();
  dp.step();
  ASSERT_EQ(dp.spiking(), (std::vector<uint32_t>{0}));
  dp.step_done();
  EXPECT_EQ(dp.prop(), scan + 1 * 2 + 1 * 3);
  EXPECT_EQ(membranes(dp), (std::vector<int32_t>{0, 10, 7, 10, 0, 7, 0, 0, 0, 1}));
  EXPECT_EQ(dp.readout(0), 4);
  EXPECT_EQ(lists.axon_reads(), 3u);
  EXPECT_EQ(lists.list_reads(), 4u);
  EXPECT_EQ(dp.neurons().reads(), 2 * step_words + 4 + 1);
  EXPECT_EQ(dp.synaptic_events(), 5u + 2 + 2);
}

TEST(SparseLists, NetworkedCoreInTheFunctionalReferenceCountsTheSame) {
  // The networked core alone on a one-router network: no remote spike arrives, so only input 0
  // (canonical 0) acts in timestep 1 (A = 1, L = 2) and neuron 5 nothing; timestep 2 has none.
  test::TestCore c = networked_core();
  test::TestChip chip;
  chip.noc.enabled = true;
  chip.cores.push_back(c);
  chip.image.cores.push_back(c.image);
  chip.image.cores[0].fanout_begin.assign(11, 0);
  const hw::InputSchedule stimulus = {{{0, 0}}, {}};
  const sim::RunResult r = sim::run_functional(chip, chip.image, stimulus, 2, false);
  ASSERT_EQ(r.timesteps.size(), 2u);
  EXPECT_EQ(r.timesteps[0].cycles[hw::kPhaseProp], 10u + 1 * 2 + 2 * 3);
  EXPECT_EQ(r.timesteps[1].cycles[hw::kPhaseProp], 10u);
  const sim::CoreCounters& k = r.counters.at(0);
  EXPECT_EQ(k.axon_table_reads, 1u);
  EXPECT_EQ(k.synapse_list_reads, 2u);
  EXPECT_EQ(k.neuron_sram_reads, 2 * 5u + 4);
  EXPECT_EQ(r.final_state.at(0).field("u"), (std::vector<int32_t>{0, 10, -3, 0, 0, 7, 0, 0, 0, 1}));
}

// Two cores on a 2 x 1 mesh (SPEC §7.7): core A has input 0 (canonical input 0) and, on axon 1,
// core B's neuron (canonical neuron 0); A's neuron is canonical neuron 1. Both of A's rows reach
// its neuron at canonical index 0: +127 and -128, shifts 7 (+16256, -16384). Input 0 fires in
// timesteps 0-2, B's input in timestep 1, so B's neuron spikes in timestep 2: A's membrane is then
// 32512 and the two contributions meet. Summed first: 32512 - 128 = 32384; input first, with
// saturation in between: 32767 - 16384 = 16383.
test::TestChip saturating_pair(bool sparse) {
  test::TestCore a = test::tiny_core(2, 1, 0, "a"), b = test::tiny_core(1, 1, 0, "b");
  a.neuron.set("threshold", 32767);
  a.weights.input_shift = 7;
  a.weights.recurrent_shift = 7;
  test::set_input(a, 0, 0, 127);
  test::set_input(a, 1, 0, -128);
  a.image.axon_sources = {0, 0};
  a.image.remote_axons_from = 1;
  a.image.neuron_sources = {1};
  a.image.fanout_begin = {0, 0};
  test::set_input(b, 0, 0, 127);
  b.image.axon_sources = {1};
  b.image.remote_axons_from = 1;
  b.image.neuron_sources = {0};
  b.image.fanout_begin = {0, 1};
  b.image.fanout = {{0, 1}};
  test::TestChip chip;
  for (test::TestCore* c : {&a, &b}) {
    if (sparse) {
      c->memory.synapses = hw::SynapseOrganisation::kSparse;
      c->memory.synapse_list_sram = {8, 40};
      c->memory.axon_table = {2, 16};
    }
    chip.cores.push_back(*c);
    chip.image.cores.push_back(c->image);
  }
  chip.noc.enabled = true;
  chip.noc.width = 2;
  return chip;
}

TEST(SparseLists, CanonicalIndexSumsInputAndRemoteNeuronBeforeSaturating) {
  for (const bool sparse : {false, true}) {
    SCOPED_TRACE(sparse ? "sparse" : "crossbar");
    const test::TestChip chip = saturating_pair(sparse);
    const hw::InputSchedule stimulus = {{{0, 0}}, {{0, 0}, {1, 0}}, {{0, 0}}};
    const sim::RunResult r = sim::run_functional(chip, chip.image, stimulus, 3, false);
    ASSERT_EQ(r.spikes.size(), 1u);
    EXPECT_EQ(r.spikes[0].core, 1u);
    EXPECT_EQ(r.spikes[0].timestep, 2u);
    EXPECT_EQ(r.final_state.at(0).field("u"), (std::vector<int32_t>{32384}));
    // The cycle model's datapath of core A, the remote spike delivered in timestep 2.
    hw::CoreDatapath dp(chip.cores[0], chip.image.cores[0]);
    for (uint64_t t = 0; t < 3; ++t) {
      dp.begin_timestep(hw::Ps(t + 1));
      dp.receive(0, hw::Ps(t + 1));
      dp.sync();
      if (t == 2) dp.receive_remote(1);
      dp.step();
      ASSERT_TRUE(dp.spiking().empty());
      dp.step_done();
      dp.prop();
    }
    EXPECT_EQ(membranes(dp), (std::vector<int32_t>{32384}));
  }
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
