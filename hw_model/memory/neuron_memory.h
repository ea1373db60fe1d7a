// Neuron-state SRAM of a core (SPEC.md §3.1): `neurons_per_word` neuron states per word, each state
// the stored fields of its neuron model, at the bit positions of the spec's layout, and — on a core
// with word parameters — the threshold and leak factor the word's neurons share, at the top of the
// word (ReckOn's layout). State is held unpacked (one array per field) for speed; whole-word
// accesses pack and unpack the layout, and every functional access (word read or write, or a sweep
// of the enabled words) is counted. Pure C++.
#pragma once

#include <cstdint>
#include <vector>

#include "core/neuron_model.h"
#include "memory/sram_word.h"

namespace neurochip::hw {

/// Word parameters (SPEC §3.1): a 16-bit signed threshold at bits [W-13 : W-28] and the 12 low
/// bits of alpha at [W-1 : W-12] of a W-bit word; alpha's 4 high bits (0x7 or 0x8) come from the
/// word's bit of the core's alpha-configuration register bank, so alpha is 0x7000..0x8FFF.
inline constexpr uint32_t kWordThresholdBits = 16;
inline constexpr uint32_t kWordAlphaLowBits = 12;
inline constexpr uint32_t kWordParameterBits = kWordThresholdBits + kWordAlphaLowBits;
inline constexpr uint32_t kWordAlphaMin = 0x7000;
inline constexpr uint32_t kWordAlphaMax = 0x8FFF;

class NeuronMemory {
 public:
  /// `neurons` enabled neurons with parameters `params` (which fields are stored, SPEC §3.1),
  /// `neurons_per_word` per word of `word_bits` bits.
  NeuronMemory(const NeuronParams& params, uint32_t neurons, uint32_t neurons_per_word, uint32_t word_bits);

  const NeuronModel& model() const { return *model_; }
  /// State field arrays (index = the model's field index), `neurons` entries each.
  NeuronFields& fields() { return fields_; }
  const NeuronFields& fields() const { return fields_; }
  const std::vector<FieldWord>& membrane() const { return fields_[0]; }
  /// The fields as values (unsigned fields read as unsigned), one array per field.
  std::vector<std::vector<int32_t>> field_values() const { return hw::field_values(model_->fields, fields_); }

  /// Gives every word a threshold and an alpha (SPEC §3.1 word parameters), one entry per word of
  /// the macro (at least the enabled words); alphas in kWordAlphaMin..kWordAlphaMax.
  void load_word_parameters(std::vector<int16_t> thresholds, std::vector<uint16_t> alphas);
  bool has_word_parameters() const { return !word_thresholds_.empty(); }
  const std::vector<int16_t>& word_thresholds() const { return word_thresholds_; }
  const std::vector<uint16_t>& word_alphas() const { return word_alphas_; }
  /// Changes whenever a load or a word write changes a word parameter.
  uint64_t word_parameter_generation() const { return generation_; }

  /// A sweep over all enabled words, each read once and written once (STEP, and PROP per index).
  void count_sweep() { reads_ += words_; writes_ += words_; }
  /// `n` words each read once and written once (a sparse core's PROP, SPEC §3.4).
  void count_read_modify_writes(uint64_t n) { reads_ += n; writes_ += n; }
  /// `n` word reads made for another block (the learning engine reads the traces and u it uses).
  void count_reads(uint64_t n) { reads_ += n; }

  /// Functional word access (counted): the packed word `word` (SPEC §3.1 layout); writing unpacks
  /// every slot of an enabled neuron (the bits of empty slots are not stored) and the word
  /// parameters (alpha keeps its high bits, which are not in the word).
  SramWord read_word(uint32_t word);
  void write_word(uint32_t word, const SramWord& value);
  /// The packed word without counting an access (tests, waveforms, dumps).
  SramWord peek_word(uint32_t word) const;

  /// Bit position, within its word, of field `field` of slot `slot` (SPEC §3.1); the field must be
  /// stored.
  uint32_t field_lsb(uint32_t slot, uint32_t field) const;
  /// Bits of one neuron's stored state.
  uint32_t state_bits() const { return state_bits_; }

  uint32_t words() const { return words_; }
  uint32_t word_bits() const { return word_bits_; }
  uint64_t reads() const { return reads_; }
  uint64_t writes() const { return writes_; }

 private:
  const NeuronModel* model_;
  uint32_t neurons_, per_word_, word_bits_, words_;
  uint32_t state_bits_ = 0;
  std::vector<int> field_offsets_;  ///< lsb of each field within a neuron's state, -1: not stored
  NeuronFields fields_;
  std::vector<int16_t> word_thresholds_;
  std::vector<uint16_t> word_alphas_;
  uint64_t generation_ = 0;
  uint64_t reads_ = 0, writes_ = 0;
};

}  // namespace neurochip::hw
