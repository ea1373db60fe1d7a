// Neuron-state SRAM of a core (SPEC.md §3.1): `neurons_per_word` neuron states per word, each state
// the fields its neuron model declares, at the bit positions of the spec's layout. State is held
// unpacked (one array per field) for speed; whole-word accesses pack and unpack the layout, and
// every functional access (word read or write, or a sweep of the enabled words) is counted.
// Pure C++.
#pragma once

#include <cstdint>
#include <vector>

#include "core/neuron_model.h"
#include "memory/sram_word.h"

namespace neurochip::hw {

class NeuronMemory {
 public:
  /// `neurons` enabled neurons of `model`, `neurons_per_word` per word of `word_bits` bits.
  NeuronMemory(const NeuronModel& model, uint32_t neurons, uint32_t neurons_per_word, uint32_t word_bits);

  const NeuronModel& model() const { return *model_; }
  /// State field arrays (index = the model's field index), `neurons` entries each.
  NeuronFields& fields() { return fields_; }
  const NeuronFields& fields() const { return fields_; }
  const std::vector<FieldWord>& membrane() const { return fields_[0]; }
  /// The fields as values (unsigned fields read as unsigned), one array per field.
  std::vector<std::vector<int32_t>> field_values() const { return hw::field_values(model_->fields, fields_); }

  /// A sweep over all enabled words, each read once and written once (STEP, and PROP per index).
  void count_sweep() { reads_ += words_; writes_ += words_; }
  /// `n` word reads made for another block (the learning engine reads the traces and u it uses).
  void count_reads(uint64_t n) { reads_ += n; }

  /// Functional word access (counted): the packed word `word` (SPEC §3.1 layout); writing unpacks
  /// every slot of an enabled neuron (the bits of empty slots are not stored).
  SramWord read_word(uint32_t word);
  void write_word(uint32_t word, const SramWord& value);
  /// The packed word without counting an access (tests, waveforms, dumps).
  SramWord peek_word(uint32_t word) const;

  /// Bit position, within its word, of field `field` of slot `slot` (SPEC §3.1).
  uint32_t field_lsb(uint32_t slot, uint32_t field) const;

  uint32_t words() const { return words_; }
  uint32_t word_bits() const { return word_bits_; }
  uint64_t reads() const { return reads_; }
  uint64_t writes() const { return writes_; }

 private:
  const NeuronModel* model_;
  uint32_t neurons_, per_word_, word_bits_, words_;
  std::vector<uint32_t> field_offsets_;  ///< lsb of each field within a neuron's state
  NeuronFields fields_;
  uint64_t reads_ = 0, writes_ = 0;
};

}  // namespace neurochip::hw
