// Axon table and synapse-list SRAM of a sparse core (SPEC.md §3.4); see synapse_list_memory.h.
#include "memory/synapse_list_memory.h"

#include <stdexcept>

#include "common/fixed_point.h"
#include "memory/synapse_list_layout.h"

namespace neurochip::hw {

SynapseListMemory::SynapseListMemory(std::string name, uint32_t max_inputs, uint32_t max_neurons,
                                     const SramGeometry& axon_table, const SramGeometry& lists, int weight_bits)
    : name_(std::move(name)),
      weight_bits_(static_cast<uint32_t>(weight_bits)),
      target_bits_(synapse_target_bits(max_neurons)),
      entry_bits_(synapse_entry_bits(max_neurons, weight_bits_)),
      entries_per_word_(synapse_entries_per_word(lists.word_bits, max_neurons, weight_bits_)),
      base_bits_(axon_base_bits(lists.words)),
      length_bits_(entries_per_word_ ? axon_length_bits(max_neurons, entries_per_word_) : 0),
      table_geometry_(axon_table),
      list_geometry_(lists) {
  if (entries_per_word_ == 0)
    throw std::invalid_argument(name_ + ": a synapse-list word is narrower than one entry");
  if (axon_table.words < axon_table_entries(max_inputs, max_neurons))
    throw std::invalid_argument(name_ + ": axon table has fewer entries than presynaptic indices");
  if (axon_table.word_bits < axon_entry_bits(lists.words, max_neurons, entries_per_word_))
    throw std::invalid_argument(name_ + ": axon-table word narrower than one entry");
  table_.assign(axon_table_entries(max_inputs, max_neurons), SramWord(axon_table.word_bits));
}

void SynapseListMemory::load(const std::vector<int8_t>& input, uint32_t inputs, const std::vector<int8_t>& recurrent,
                             uint32_t neurons) {
  if (input.size() != size_t{inputs} * neurons || recurrent.size() != size_t{neurons} * neurons)
    throw std::invalid_argument(name_ + ": dense matrix size does not match its shape");
  if (inputs > table_.size() || neurons > table_.size())
    throw std::invalid_argument(name_ + ": more enabled slots than axon-table entries");
  inputs_ = inputs;
  neurons_ = neurons;
  lists_.clear();
  target_.clear();
  weight_.clear();
  word_entries_.clear();
  for (SramWord& w : table_) w = SramWord(table_geometry_.word_bits);
  const uint32_t e = entries_per_word_;
  // SPEC §3.4: the input lists of indices 0, 1, ... from word 0, then the recurrent lists; each
  // list in ascending target order, whole words, the last one padded with empty entries.
  const auto pack = [&](const int8_t* row, uint32_t& base, uint32_t& length) {
    const auto first = static_cast<uint32_t>(lists_.size());
    uint32_t slot = e;
    for (uint32_t j = 0; j < neurons; ++j) {
      if (row[j] == 0) continue;
      if (slot == e) {
        if (lists_.size() >= list_geometry_.words)
          throw std::invalid_argument(name_ + ": the synapse lists need more words than the SRAM has");
        lists_.emplace_back(list_geometry_.word_bits);
        target_.resize(target_.size() + e, 0);
        weight_.resize(weight_.size() + e, 0);
        word_entries_.push_back(0);
        slot = 0;
      }
      const uint32_t lo = slot * entry_bits_;
      lists_.back().set(lo, target_bits_, j);
      lists_.back().set(lo + target_bits_, weight_bits_, static_cast<uint32_t>(row[j]));
      const size_t at = (lists_.size() - 1) * size_t{e} + slot;
      target_[at] = static_cast<uint16_t>(j);
      weight_[at] = row[j];
      ++word_entries_.back();
      ++slot;
    }
    length = static_cast<uint32_t>(lists_.size()) - first;
    base = length ? first : 0;
  };
  std::vector<AxonEntry> entries(table_.size());
  for (uint32_t i = 0; i < inputs; ++i)
    pack(input.data() + size_t{i} * neurons, entries[i].input_base, entries[i].input_words);
  for (uint32_t i = 0; i < neurons; ++i)
    pack(recurrent.data() + size_t{i} * neurons, entries[i].recurrent_base, entries[i].recurrent_words);
  words_used_ = static_cast<uint32_t>(lists_.size());
  for (size_t i = 0; i < table_.size(); ++i) {
    const AxonEntry& a = entries[i];
    SramWord& w = table_[i];
    const uint32_t field = base_bits_ + length_bits_;
    w.set(0, base_bits_, a.input_base);
    w.set(base_bits_, length_bits_, a.input_words);
    w.set(field, base_bits_, a.recurrent_base);
    w.set(field + base_bits_, length_bits_, a.recurrent_words);
  }
}

SynapseListMemory::AxonEntry SynapseListMemory::decode_axon(const SramWord& w) const {
  const uint32_t field = base_bits_ + length_bits_;
  AxonEntry a;
  a.input_base = static_cast<uint32_t>(w.get(0, base_bits_));
  a.input_words = static_cast<uint32_t>(w.get(base_bits_, length_bits_));
  a.recurrent_base = static_cast<uint32_t>(w.get(field, base_bits_));
  a.recurrent_words = static_cast<uint32_t>(w.get(field + base_bits_, length_bits_));
  return a;
}

SynapseListMemory::AxonEntry SynapseListMemory::read_axon(uint32_t index) {
  ++axon_reads_;
  return peek_axon(index);
}

SynapseListMemory::AxonEntry SynapseListMemory::peek_axon(uint32_t index) const {
  if (index >= table_.size()) throw std::out_of_range(name_ + ": axon-table index out of range");
  return decode_axon(table_[index]);
}

SynapseListMemory::List SynapseListMemory::read_list(uint32_t base, uint32_t words) {
  if (uint64_t{base} + words > words_used_) throw std::out_of_range(name_ + ": list beyond the filled words");
  list_reads_ += words;
  List l;
  if (words == 0) return l;
  const size_t first = size_t{base} * entries_per_word_;
  l.target = target_.data() + first;
  l.weight = weight_.data() + first;
  for (uint32_t w = base; w < base + words; ++w) l.count += word_entries_[w];
  return l;
}

SramWord SynapseListMemory::peek_word(uint32_t address) const {
  if (address >= list_geometry_.words) throw std::out_of_range(name_ + ": word address out of range");
  return address < lists_.size() ? lists_[address] : SramWord(list_geometry_.word_bits);
}

void SynapseListMemory::unpack(std::vector<int8_t>& input, std::vector<int8_t>& recurrent) const {
  input.assign(size_t{inputs_} * neurons_, 0);
  recurrent.assign(size_t{neurons_} * neurons_, 0);
  const auto unpack_list = [&](uint32_t base, uint32_t words, int8_t* row) {
    for (uint32_t w = base; w < base + words; ++w) {
      for (uint32_t s = 0; s < entries_per_word_; ++s) {
        const uint32_t lo = s * entry_bits_;
        const int32_t weight =
            fxp::sign_extend(static_cast<uint32_t>(lists_[w].get(lo + target_bits_, weight_bits_)), static_cast<int>(weight_bits_));
        if (weight != 0) row[lists_[w].get(lo, target_bits_)] = static_cast<int8_t>(weight);
      }
    }
  };
  for (uint32_t i = 0; i < inputs_; ++i) {
    const AxonEntry a = peek_axon(i);
    unpack_list(a.input_base, a.input_words, input.data() + size_t{i} * neurons_);
  }
  for (uint32_t i = 0; i < neurons_; ++i) {
    const AxonEntry a = peek_axon(i);
    unpack_list(a.recurrent_base, a.recurrent_words, recurrent.data() + size_t{i} * neurons_);
  }
}

}  // namespace neurochip::hw
