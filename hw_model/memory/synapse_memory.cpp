// Word-accurate synaptic SRAM (SPEC.md §3.2-§3.3); see synapse_memory.h.
#include "memory/synapse_memory.h"

#include <cstring>

#include <algorithm>
#include <stdexcept>

#include "common/fixed_point.h"
#include "core/row_kernels.h"

namespace neurochip::hw {

SynapseMemory::SynapseMemory(std::string name, uint32_t max_pre, uint32_t max_post,
                             const SramGeometry& geometry, int bits)
    : name_(std::move(name)),
      bits_(bits),
      weights_per_word_(geometry.word_bits / static_cast<uint32_t>(bits)),
      stride_words_((max_post + weights_per_word_ - 1) / weights_per_word_),
      bytes_per_word_((geometry.word_bits + 7) / 8),
      words_(geometry.words),
      word_bits_(geometry.word_bits) {
  if (bits != 2 && bits != 4 && bits != 8)
    throw std::invalid_argument(name_ + ": weight width must be 2, 4 or 8 bits");
  if (static_cast<uint64_t>(max_pre) * stride_words_ > geometry.words)
    throw std::invalid_argument(name_ + ": SRAM too small for the crossbar");
  storage_.assign(static_cast<size_t>(geometry.words) * bytes_per_word_, 0);
}

uint32_t SynapseMemory::word_index(uint32_t pre, uint32_t post) const {
  return pre * stride_words_ + post / weights_per_word_;
}

void SynapseMemory::write_lane(uint32_t word, uint32_t lane, int32_t w) {
  const uint32_t bit = lane * static_cast<uint32_t>(bits_);
  uint8_t& byte = storage_[static_cast<size_t>(word) * bytes_per_word_ + bit / 8];
  const uint32_t mask = ((1u << bits_) - 1u) << (bit % 8);
  byte = static_cast<uint8_t>((byte & ~mask) | ((static_cast<uint32_t>(w) << (bit % 8)) & mask));
}

int32_t SynapseMemory::read_lane(const uint8_t* word, uint32_t lane) const {
  const uint32_t bit = lane * static_cast<uint32_t>(bits_);
  return fxp::sign_extend(static_cast<uint32_t>(word[bit / 8]) >> (bit % 8), bits_);
}

void SynapseMemory::load(const std::vector<int8_t>& dense, uint32_t pre, uint32_t post) {
  if (dense.size() != static_cast<size_t>(pre) * post)
    throw std::invalid_argument(name_ + ": dense matrix size does not match its shape");
  for (uint32_t i = 0; i < pre; ++i)
    for (uint32_t j = 0; j < post; ++j)
      write_lane(word_index(i, j), j % weights_per_word_, dense[static_cast<size_t>(i) * post + j]);

  loaded_pre_ = pre;
  loaded_post_ = post;
  bitmap_entries_ = kernels::bitmap_entries(post, weights_per_word_);
  nonzero_bitmap_.assign(static_cast<size_t>(pre) * bitmap_entries_, 0);
  nonzero_words_.assign(pre, 0);
  nonzero_.assign(pre, 0);
  list_begin_.assign(pre, UINT32_MAX);
  list_capacity_.assign(pre, 0);
  list_index_.clear();
  list_value_.clear();
  std::vector<uint16_t> idx(post);
  std::vector<int8_t> val(post);
  for (uint32_t i = 0; i < pre; ++i) {
    const int8_t* row = dense.data() + static_cast<size_t>(i) * post;
    nonzero_words_[i] = kernels::nonzero_word_bitmap(row, post, weights_per_word_,
                                                     nonzero_bitmap_.data() + static_cast<size_t>(i) * bitmap_entries_);
    nonzero_[i] = kernels::sparse_row(row, post, idx.data(), val.data());
    if (uint64_t{nonzero_[i]} * 4 < post) {
      list_begin_[i] = static_cast<uint32_t>(list_index_.size());
      list_capacity_[i] = nonzero_[i];
      list_index_.insert(list_index_.end(), idx.begin(), idx.begin() + nonzero_[i]);
      list_value_.insert(list_value_.end(), val.begin(), val.begin() + nonzero_[i]);
    }
  }
}

const int8_t* SynapseMemory::read_row(uint32_t pre, uint32_t post) {
  const uint32_t words = (post + weights_per_word_ - 1) / weights_per_word_;
  reads_ += words;
  const uint8_t* first = &storage_[static_cast<size_t>(pre) * stride_words_ * bytes_per_word_];
  if (bits_ == 8 && bytes_per_word_ == weights_per_word_) return reinterpret_cast<const int8_t*>(first);
  unpacked_.resize(post);
  for (uint32_t j = 0; j < post; ++j) {
    const uint8_t* word = first + static_cast<size_t>(j / weights_per_word_) * bytes_per_word_;
    unpacked_[j] = static_cast<int8_t>(read_lane(word, j % weights_per_word_));
  }
  return unpacked_.data();
}

int32_t SynapseMemory::peek(uint32_t pre, uint32_t post) const {
  const uint8_t* word = &storage_[static_cast<size_t>(word_index(pre, post)) * bytes_per_word_];
  return read_lane(word, post % weights_per_word_);
}

SramWord SynapseMemory::read_word(uint32_t address) {
  if (address >= words_) throw std::out_of_range(name_ + ": word address out of range");
  ++reads_;
  SramWord w(word_bits_);
  const uint8_t* bytes = &storage_[static_cast<size_t>(address) * bytes_per_word_];
  for (uint32_t b = 0; b < bytes_per_word_; ++b) w.set(b * 8, std::min<uint32_t>(8, word_bits_ - b * 8), bytes[b]);
  return w;
}

void SynapseMemory::write_word(uint32_t address, const SramWord& value) {
  if (address >= words_ || value.bits() != word_bits_)
    throw std::out_of_range(name_ + ": word address or width out of range");
  std::vector<uint8_t> bytes(bytes_per_word_);
  for (uint32_t b = 0; b < bytes_per_word_; ++b)
    bytes[b] = static_cast<uint8_t>(value.get(b * 8, std::min<uint32_t>(8, word_bits_ - b * 8)));
  write_bytes(address, bytes.data());
}

void SynapseMemory::read_bytes(uint32_t address, uint8_t* out) {
  if (address >= words_) throw std::out_of_range(name_ + ": word address out of range");
  ++reads_;
  std::memcpy(out, &storage_[static_cast<size_t>(address) * bytes_per_word_], bytes_per_word_);
}

void SynapseMemory::write_bytes(uint32_t address, const uint8_t* in) {
  if (address >= words_) throw std::out_of_range(name_ + ": word address out of range");
  ++writes_;
  uint8_t* bytes = &storage_[static_cast<size_t>(address) * bytes_per_word_];
  // The row index only changes when a weight does (most learning writes change none).
  if (std::memcmp(bytes, in, bytes_per_word_) == 0) return;
  std::memcpy(bytes, in, bytes_per_word_);
  if (stride_words_ > 0 && address / stride_words_ < loaded_pre_) refresh_row_index(address / stride_words_);
}

void SynapseMemory::refresh_row_index(uint32_t pre) {
  std::vector<int8_t> row(loaded_post_);
  for (uint32_t j = 0; j < loaded_post_; ++j) row[j] = static_cast<int8_t>(peek(pre, j));
  nonzero_words_[pre] = kernels::nonzero_word_bitmap(row.data(), loaded_post_, weights_per_word_,
                                                     nonzero_bitmap_.data() + static_cast<size_t>(pre) * bitmap_entries_);
  std::vector<uint16_t> idx(loaded_post_);
  std::vector<int8_t> val(loaded_post_);
  nonzero_[pre] = kernels::sparse_row(row.data(), loaded_post_, idx.data(), val.data());
  // The row's list is rewritten in place while it fits the room it was given at load; otherwise
  // the row uses the word bitmap from now on (always correct, only the choice of path changes).
  if (list_begin_[pre] != UINT32_MAX && nonzero_[pre] <= list_capacity_[pre] &&
      uint64_t{nonzero_[pre]} * 4 < loaded_post_) {
    std::copy(idx.begin(), idx.begin() + nonzero_[pre], list_index_.begin() + list_begin_[pre]);
    std::copy(val.begin(), val.begin() + nonzero_[pre], list_value_.begin() + list_begin_[pre]);
  } else {
    list_begin_[pre] = UINT32_MAX;
  }
}

void SynapseMemory::write_weight(uint32_t pre, uint32_t post, int32_t weight) {
  const uint32_t address = word_index(pre, post);
  SramWord w = read_word(address);
  const uint32_t lane = post % weights_per_word_;
  w.set(lane * static_cast<uint32_t>(bits_), static_cast<uint32_t>(bits_), static_cast<uint32_t>(weight));
  write_word(address, w);
}

}  // namespace neurochip::hw
