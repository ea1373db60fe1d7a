// Neuron-state SRAM (SPEC.md §3.1); see neuron_memory.h.
#include "memory/neuron_memory.h"

#include <stdexcept>

#include "common/fixed_point.h"

namespace neurochip::hw {

NeuronMemory::NeuronMemory(const NeuronModel& model, uint32_t neurons, uint32_t neurons_per_word, uint32_t word_bits)
    : model_(&model),
      neurons_(neurons),
      per_word_(neurons_per_word),
      word_bits_(word_bits),
      words_((neurons + neurons_per_word - 1) / neurons_per_word),
      fields_(model.fields.size(), std::vector<FieldWord>(neurons, 0)) {
  uint32_t lsb = 0;
  for (const StateField& f : model.fields) {
    field_offsets_.push_back(lsb);
    lsb += f.bits;
  }
  if (uint64_t{lsb} * per_word_ > word_bits_)
    throw std::invalid_argument("neuron SRAM: " + std::to_string(per_word_) + " states of " + std::to_string(lsb) +
                                " bits do not fit a " + std::to_string(word_bits_) + "-bit word");
}

uint32_t NeuronMemory::field_lsb(uint32_t slot, uint32_t field) const {
  return slot * model_->state_bits() + field_offsets_[field];
}

SramWord NeuronMemory::peek_word(uint32_t word) const {
  SramWord w(word_bits_);
  for (uint32_t s = 0; s < per_word_; ++s) {
    const uint64_t j = uint64_t{word} * per_word_ + s;
    if (j >= neurons_) break;
    for (uint32_t f = 0; f < fields_.size(); ++f)
      w.set(field_lsb(s, f), model_->fields[f].bits, static_cast<uint64_t>(static_cast<int64_t>(fields_[f][j])));
  }
  return w;
}

SramWord NeuronMemory::read_word(uint32_t word) {
  ++reads_;
  return peek_word(word);
}

void NeuronMemory::write_word(uint32_t word, const SramWord& value) {
  ++writes_;
  for (uint32_t s = 0; s < per_word_; ++s) {
    const uint64_t j = uint64_t{word} * per_word_ + s;
    if (j >= neurons_) break;
    for (uint32_t f = 0; f < fields_.size(); ++f) {
      const StateField& spec = model_->fields[f];
      const uint64_t raw = value.get(field_lsb(s, f), spec.bits);
      fields_[f][j] = field_word(spec.is_signed ? fxp::sign_extend(static_cast<uint32_t>(raw), static_cast<int>(spec.bits))
                                                : static_cast<int32_t>(raw));
    }
  }
}

}  // namespace neurochip::hw
