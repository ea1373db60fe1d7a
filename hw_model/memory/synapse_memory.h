// Synaptic weight SRAM of a core (SPEC.md §2.2, §3.2, §3.3): a crossbar of `bits`-bit signed
// weights packed K = word_bits / bits per word, row-major with a fixed stride sized for the
// post-synaptic capacity. Every functional access is a whole word and is counted. Pure C++.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "memory/sram_geometry.h"
#include "memory/sram_word.h"

namespace neurochip::hw {

class SynapseMemory {
 public:
  /// `max_pre` x `max_post` crossbar in an SRAM of `geometry`; `bits` from WeightParams.
  SynapseMemory(std::string name, uint32_t max_pre, uint32_t max_post, const SramGeometry& geometry,
                int bits);

  /// Initialise from a dense row-major [pre][post] matrix of `pre` x `post` weights (back-door
  /// load as by a configuration interface; not counted as functional accesses).
  void load(const std::vector<int8_t>& dense, uint32_t pre, uint32_t post);

  /// Functional read of the first `post` weights of row `pre`: reads ceil(post / K) words (each
  /// counted) and returns the sign-extended weights, valid until the next read_row. With 8-bit
  /// weights the lanes of consecutive row words are consecutive bytes, so the row is returned in
  /// place; narrower weights are unpacked into a row buffer.
  const int8_t* read_row(uint32_t pre, uint32_t post);

  /// Back-door read of one weight (tests, VCD, dumps); not counted.
  int32_t peek(uint32_t pre, uint32_t post) const;

  /// Functional whole-word access (SPEC §3.3), each counted as one read or one write.
  SramWord read_word(uint32_t address);
  void write_word(uint32_t address, const SramWord& value);
  /// The same accesses on the word's bytes (lane l of an 8-bit-weight word is byte l): counted
  /// exactly like read_word / write_word, without the bit-level word object.
  void read_bytes(uint32_t address, uint8_t* out);
  void write_bytes(uint32_t address, const uint8_t* in);
  uint32_t bytes_per_word() const { return bytes_per_word_; }
  /// Changes one weight: a read-modify-write of its word (one read and one write, SPEC §3.3).
  void write_weight(uint32_t pre, uint32_t post, int32_t weight);
  /// Word address and lane of weight (pre, post) (SPEC §3.2).
  uint32_t word_index(uint32_t pre, uint32_t post) const;
  uint32_t words() const { return words_; }

  /// Where the non-zero weights of a row are, so that PROP can skip the work (not the reads) of
  /// all-zero words. Derived from the weights at load and kept current by every functional write;
  /// not SRAM state, never counted.
  struct RowIndex {
    const uint64_t* nonzero_words = nullptr;  ///< bitmap of the row's words holding a non-zero weight
    uint32_t nonzero_word_count = 0;
    uint32_t nonzero = 0;                     ///< non-zero weights of the row
    const uint16_t* index = nullptr;          ///< their post indices, ascending; null unless nonzero < post / 4
    const int8_t* value = nullptr;            ///< their values
  };
  /// Index of row `pre` over the `post` weights of the last load().
  RowIndex row_index(uint32_t pre) const {
    RowIndex r;
    r.nonzero_words = nonzero_bitmap_.data() + static_cast<size_t>(pre) * bitmap_entries_;
    r.nonzero_word_count = nonzero_words_[pre];
    r.nonzero = nonzero_[pre];
    if (list_begin_[pre] != UINT32_MAX) {
      r.index = list_index_.data() + list_begin_[pre];
      r.value = list_value_.data() + list_begin_[pre];
    }
    return r;
  }

  uint32_t weights_per_word() const { return weights_per_word_; }
  uint32_t row_stride_words() const { return stride_words_; }
  uint64_t reads() const { return reads_; }
  uint64_t writes() const { return writes_; }
  const std::string& name() const { return name_; }

 private:
  /// Rebuilds the index of row `pre` from the stored weights after a functional write.
  void refresh_row_index(uint32_t pre);
  void write_lane(uint32_t word, uint32_t lane, int32_t w);
  int32_t read_lane(const uint8_t* word, uint32_t lane) const;

  std::string name_;
  int bits_;
  uint32_t weights_per_word_;
  uint32_t stride_words_;
  uint32_t bytes_per_word_;
  uint32_t words_;
  uint32_t word_bits_;
  std::vector<uint8_t> storage_;   ///< words x bytes_per_word; lane l at bits [l*b + b-1 : l*b]
  std::vector<int8_t> unpacked_;   ///< row buffer for weights narrower than 8 bits
  uint32_t bitmap_entries_ = 0;            ///< per row, of nonzero_bitmap_
  std::vector<uint64_t> nonzero_bitmap_;   ///< RowIndex::nonzero_words of every loaded row
  std::vector<uint32_t> nonzero_words_, nonzero_;
  std::vector<uint32_t> list_begin_;       ///< first entry of a row's sparse list, or UINT32_MAX
  std::vector<uint32_t> list_capacity_;    ///< entries reserved for a row's list at load
  uint32_t loaded_pre_ = 0, loaded_post_ = 0;  ///< the rows and row length the index covers
  std::vector<uint16_t> list_index_;
  std::vector<int8_t> list_value_;
  uint64_t reads_ = 0;
  uint64_t writes_ = 0;
};

}  // namespace neurochip::hw
