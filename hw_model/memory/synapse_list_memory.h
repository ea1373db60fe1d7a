// A sparse core's input and recurrent synapses (SPEC.md §3.4): the axon table, one entry per
// presynaptic index giving the base word and length in words of its input list and of its
// recurrent list, and the synapse-list SRAM whose words pack (target, weight) entries. Both
// memories are stored bit for bit in the layout of §3.4; every functional access is one word (an
// axon-table entry or a list word) and is counted. Pure C++.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "memory/sram_geometry.h"
#include "memory/sram_word.h"

namespace neurochip::hw {

class SynapseListMemory {
 public:
  /// Memories of a core built for `max_inputs` inputs and `max_neurons` neurons with `weight_bits`-bit
  /// weights; throws std::invalid_argument when the geometry cannot hold one entry per word or one
  /// axon-table entry per index (the loader reports these first, with positions).
  SynapseListMemory(std::string name, uint32_t max_inputs, uint32_t max_neurons, const SramGeometry& axon_table,
                    const SramGeometry& lists, int weight_bits);

  /// Back-door load (not counted) from dense row-major matrices over the enabled slots: input
  /// `inputs` x `neurons`, recurrent `neurons` x `neurons`; a weight of 0 is no synapse and takes
  /// no entry. Throws std::invalid_argument when the lists need more words than the SRAM has.
  void load(const std::vector<int8_t>& input, uint32_t inputs, const std::vector<int8_t>& recurrent,
            uint32_t neurons);

  /// One axon-table entry: where index i's two lists are (an empty list has base 0, length 0).
  struct AxonEntry {
    uint32_t input_base = 0, input_words = 0, recurrent_base = 0, recurrent_words = 0;
    bool operator==(const AxonEntry& o) const {
      return input_base == o.input_base && input_words == o.input_words && recurrent_base == o.recurrent_base &&
             recurrent_words == o.recurrent_words;
    }
  };
  /// Functional read of index i's entry: one counted axon-table read.
  AxonEntry read_axon(uint32_t index);

  /// The entries of a list as PROP applies them: targets ascending, weights sign-extended, the
  /// padding of its last word left out; valid until the next load.
  struct List {
    const uint16_t* target = nullptr;
    const int8_t* weight = nullptr;
    uint32_t count = 0;
  };
  /// Functional read of the `words` words from `base`: each counted as one synapse-list read.
  List read_list(uint32_t base, uint32_t words);

  /// Back-door reads (tests, dumps); not counted.
  AxonEntry peek_axon(uint32_t index) const;
  SramWord peek_word(uint32_t address) const;
  /// The matrices the packed words hold, dense over the enabled slots of the last load.
  void unpack(std::vector<int8_t>& input, std::vector<int8_t>& recurrent) const;

  uint32_t entries_per_word() const { return entries_per_word_; }
  uint32_t entry_bits() const { return entry_bits_; }
  uint32_t words_used() const { return words_used_; }  ///< list words the last load filled
  uint64_t axon_reads() const { return axon_reads_; }
  uint64_t list_reads() const { return list_reads_; }
  const std::string& name() const { return name_; }

 private:
  AxonEntry decode_axon(const SramWord& w) const;

  std::string name_;
  uint32_t weight_bits_, target_bits_, entry_bits_, entries_per_word_;
  uint32_t base_bits_, length_bits_;
  SramGeometry table_geometry_, list_geometry_;
  uint32_t inputs_ = 0, neurons_ = 0;  ///< the enabled slots of the last load
  uint32_t words_used_ = 0;
  std::vector<SramWord> table_;  ///< one word per presynaptic index (SPEC §3.4 field order)
  std::vector<SramWord> lists_;  ///< the filled list words; the rest of the SRAM reads as 0
  /// The entries of every filled word, E per word, decoded at load (not SRAM state): PROP's view.
  std::vector<uint16_t> target_;
  std::vector<int8_t> weight_;
  std::vector<uint32_t> word_entries_;  ///< per filled word: its non-empty entries (the rest is padding)
  uint64_t axon_reads_ = 0, list_reads_ = 0;
};

}  // namespace neurochip::hw
