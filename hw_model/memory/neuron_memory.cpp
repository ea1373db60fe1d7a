// Neuron-state SRAM (SPEC.md §3.1); see neuron_memory.h.
#include "memory/neuron_memory.h"

#include <stdexcept>

#include "common/fixed_point.h"

namespace neurochip::hw {

NeuronMemory::NeuronMemory(const NeuronParams& params, uint32_t neurons, uint32_t neurons_per_word, uint32_t word_bits)
    : model_(&params.model()),
      neurons_(neurons),
      per_word_(neurons_per_word),
      word_bits_(word_bits),
      words_((neurons + neurons_per_word - 1) / neurons_per_word),
      fields_(model_->fields.size(), std::vector<FieldWord>(neurons, 0)) {
  for (size_t f = 0; f < model_->fields.size(); ++f) {
    const bool stored = model_->stored(f, params);
    field_offsets_.push_back(stored ? static_cast<int>(state_bits_) : -1);
    if (stored) state_bits_ += model_->fields[f].bits;
  }
  if (uint64_t{state_bits_} * per_word_ > word_bits_)
    throw std::invalid_argument("neuron SRAM: " + std::to_string(per_word_) + " states of " +
                                std::to_string(state_bits_) + " bits do not fit a " + std::to_string(word_bits_) +
                                "-bit word");
}

void NeuronMemory::load_word_parameters(std::vector<int16_t> thresholds, std::vector<uint16_t> alphas) {
  if (thresholds.size() != alphas.size() || thresholds.size() < words_)
    throw std::invalid_argument("neuron SRAM: word parameters for " + std::to_string(thresholds.size()) + "/" +
                                std::to_string(alphas.size()) + " words, " + std::to_string(words_) + " needed");
  if (uint64_t{state_bits_} * per_word_ + kWordParameterBits > word_bits_)
    throw std::invalid_argument("neuron SRAM: no room for the word parameters in a " + std::to_string(word_bits_) +
                                "-bit word");
  for (uint16_t a : alphas)
    if (a < kWordAlphaMin || a > kWordAlphaMax)
      throw std::invalid_argument("neuron SRAM: word alpha " + std::to_string(a) + " outside 0x7000..0x8FFF");
  word_thresholds_ = std::move(thresholds);
  word_alphas_ = std::move(alphas);
  ++generation_;
}

uint32_t NeuronMemory::field_lsb(uint32_t slot, uint32_t field) const {
  const int offset = field_offsets_.at(field);
  if (offset < 0) throw std::out_of_range("neuron SRAM: field '" + model_->fields[field].name + "' is not stored");
  return slot * state_bits_ + static_cast<uint32_t>(offset);
}

SramWord NeuronMemory::peek_word(uint32_t word) const {
  SramWord w(word_bits_);
  for (uint32_t s = 0; s < per_word_; ++s) {
    const uint64_t j = uint64_t{word} * per_word_ + s;
    if (j >= neurons_) break;
    for (uint32_t f = 0; f < fields_.size(); ++f)
      if (field_offsets_[f] >= 0)
        w.set(field_lsb(s, f), model_->fields[f].bits, static_cast<uint64_t>(static_cast<int64_t>(fields_[f][j])));
  }
  if (has_word_parameters()) {
    w.set(word_bits_ - kWordParameterBits, kWordThresholdBits, static_cast<uint16_t>(word_thresholds_[word]));
    w.set(word_bits_ - kWordAlphaLowBits, kWordAlphaLowBits, word_alphas_[word]);
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
      if (field_offsets_[f] < 0) continue;
      const StateField& spec = model_->fields[f];
      const uint64_t raw = value.get(field_lsb(s, f), spec.bits);
      fields_[f][j] = field_word(spec.is_signed ? fxp::sign_extend(static_cast<uint32_t>(raw), static_cast<int>(spec.bits))
                                                : static_cast<int32_t>(raw));
    }
  }
  if (has_word_parameters()) {
    const auto threshold = static_cast<int16_t>(value.get(word_bits_ - kWordParameterBits, kWordThresholdBits));
    const auto low = static_cast<uint16_t>(value.get(word_bits_ - kWordAlphaLowBits, kWordAlphaLowBits));
    const auto alpha = static_cast<uint16_t>((word_alphas_[word] & ~((1u << kWordAlphaLowBits) - 1)) | low);
    if (threshold != word_thresholds_[word] || alpha != word_alphas_[word]) {
      word_thresholds_[word] = threshold;
      word_alphas_[word] = alpha;
      ++generation_;
    }
  }
}

}  // namespace neurochip::hw
