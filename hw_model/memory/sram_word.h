// One SRAM word of any width (SPEC.md §3): a bit vector with field access, the unit of every
// counted SRAM read and write. Bit 0 is the least significant bit of limb 0.
#pragma once

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace neurochip::hw {

class SramWord {
 public:
  explicit SramWord(uint32_t bits = 0) : bits_(bits), limbs_((bits + 63) / 64, 0) {}

  uint32_t bits() const { return bits_; }
  /// Bits [lo + width - 1 : lo] as an unsigned value (width 1..64).
  uint64_t get(uint32_t lo, uint32_t width) const {
    check(lo, width);
    uint64_t v = limbs_[lo / 64] >> (lo % 64);
    if (lo % 64 + width > 64) v |= limbs_[lo / 64 + 1] << (64 - lo % 64);
    return width == 64 ? v : v & ((uint64_t{1} << width) - 1);
  }
  /// Sets bits [lo + width - 1 : lo] to the low `width` bits of `value`.
  void set(uint32_t lo, uint32_t width, uint64_t value) {
    check(lo, width);
    for (uint32_t i = 0; i < width;) {
      const uint32_t bit = lo + i;
      const uint32_t take = std::min<uint32_t>(width - i, 64 - bit % 64);
      const uint64_t mask = take == 64 ? ~uint64_t{0} : ((uint64_t{1} << take) - 1);
      uint64_t& limb = limbs_[bit / 64];
      limb = (limb & ~(mask << (bit % 64))) | (((value >> i) & mask) << (bit % 64));
      i += take;
    }
  }
  bool operator==(const SramWord& o) const { return bits_ == o.bits_ && limbs_ == o.limbs_; }
  bool operator!=(const SramWord& o) const { return !(*this == o); }

 private:
  void check(uint32_t lo, uint32_t width) const {
    if (width == 0 || width > 64 || uint64_t{lo} + width > bits_)
      throw std::out_of_range("SRAM word: bits out of range");
  }
  uint32_t bits_;
  std::vector<uint64_t> limbs_;
};

}  // namespace neurochip::hw
