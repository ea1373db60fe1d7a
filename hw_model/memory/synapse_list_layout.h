// Layout arithmetic of a sparse core's synapse memories (SPEC.md §3.4): the width of a list entry,
// the entries per synapse-list word, the words of one list, the axon-table entry fields and the
// worst-case sizes. The one place these formulas live: the loader (capacities), the cycle model,
// the functional reference and the energy model call them. Pure C++.
#pragma once

#include <algorithm>
#include <cstdint>

#include "common/int_math.h"

namespace neurochip::hw {

/// Bits of an entry's target field: ceil(log2(max_neurons)), at least 1.
constexpr uint32_t synapse_target_bits(uint32_t max_neurons) { return address_bits(max_neurons); }

/// Bits of one (target, weight) entry: the target field, then the `weight_bits`-bit weight.
constexpr uint32_t synapse_entry_bits(uint32_t max_neurons, uint32_t weight_bits) {
  return synapse_target_bits(max_neurons) + weight_bits;
}

/// Entries packed into one synapse-list word: floor(word_bits / entry_bits) (0: the word is too narrow).
constexpr uint32_t synapse_entries_per_word(uint32_t word_bits, uint32_t max_neurons, uint32_t weight_bits) {
  return word_bits / synapse_entry_bits(max_neurons, weight_bits);
}

/// Words of a list of `entries` non-zero synapses, E per word (whole words, the last padded).
constexpr uint64_t synapse_list_words(uint64_t entries, uint32_t entries_per_word) {
  return ceil_div(entries, entries_per_word);
}

/// Axon-table entries a core needs: one per presynaptic index, max(max_inputs, max_neurons).
constexpr uint64_t axon_table_entries(uint32_t max_inputs, uint32_t max_neurons) {
  return std::max(max_inputs, max_neurons);
}

/// Bits of a base-word field: ceil(log2(synapse-list words)), at least 1.
constexpr uint32_t axon_base_bits(uint32_t list_sram_words) { return address_bits(list_sram_words); }

/// Bits of a length field: enough for the longest list, ceil(max_neurons / E) words.
constexpr uint32_t axon_length_bits(uint32_t max_neurons, uint32_t entries_per_word) {
  return address_bits(ceil_div(max_neurons, entries_per_word) + 1);
}

/// Bits of one axon-table entry: input base, input length, recurrent base, recurrent length.
constexpr uint32_t axon_entry_bits(uint32_t list_sram_words, uint32_t max_neurons, uint32_t entries_per_word) {
  return 2 * (axon_base_bits(list_sram_words) + axon_length_bits(max_neurons, entries_per_word));
}

/// Synapse-list words of the densest network the capacities allow: every input and every neuron
/// with a list of max_neurons entries (`words: auto`).
constexpr uint64_t synapse_list_capacity_words(uint32_t max_inputs, uint32_t max_neurons, uint32_t entries_per_word) {
  return (uint64_t{max_inputs} + max_neurons) * ceil_div(max_neurons, entries_per_word);
}

/// Neuron-SRAM words one index's PROP reads and writes on a sparse core: the distinct words
/// j / P of the targets of its input entries `a` and recurrent entries `b` (each ascending).
inline uint64_t touched_neuron_words(const uint16_t* a, uint32_t na, const uint16_t* b, uint32_t nb, uint32_t per_word) {
  uint64_t words = 0;
  uint64_t last = UINT64_MAX;
  uint32_t x = 0, y = 0;
  while (x < na || y < nb) {
    const uint32_t j = (y == nb || (x < na && a[x] <= b[y])) ? a[x++] : b[y++];
    if (j / per_word != last) {
      ++words;
      last = j / per_word;
    }
  }
  return words;
}

}  // namespace neurochip::hw
