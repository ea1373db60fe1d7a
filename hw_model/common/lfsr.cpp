// Stream LFSRs (SPEC.md §2.8); see lfsr.h.
#include "common/lfsr.h"

#include <stdexcept>

namespace neurochip::hw {

StreamLfsr::StreamLfsr(const LfsrSpec& spec, uint64_t seed) : spec_(spec) {
  const uint32_t w = spec.width, k = spec.bits_per_advance;
  if (w < 2 || w > 64) throw std::invalid_argument("LFSR " + spec.name + ": width must be 2..64");
  if (k < 1 || k > 64) throw std::invalid_argument("LFSR " + spec.name + ": bits_per_advance must be 1..64");
  bool has_zero = false;
  for (uint32_t t : spec.taps) {
    if (t >= w) throw std::invalid_argument("LFSR " + spec.name + ": tap " + std::to_string(t) + " >= width");
    if (t == 0) has_zero = true;
    taps_mask_ |= uint64_t{1} << t;
  }
  if (!has_zero) throw std::invalid_argument("LFSR " + spec.name + ": tap 0 is required (the recurrence's x^0)");
  if (!spec.load_map.empty() && spec.load_map.size() != w)
    throw std::invalid_argument("LFSR " + spec.name + ": load_map must have one entry per register bit");
  window_mask_ = w == 64 ? ~uint64_t{0} : (uint64_t{1} << w) - 1;
  // The advance is linear in the window: tabulate it per byte of the window from the serial
  // definition applied to each basis vector.
  const size_t bytes = (w + 7) / 8;
  tables_.resize(bytes);
  std::vector<Entry> basis(w);
  for (uint32_t i = 0; i < w; ++i) {
    window_ = uint64_t{1} << i;
    basis[i].out = advance_serial();
    basis[i].window = window_;
  }
  for (size_t b = 0; b < bytes; ++b) {
    for (uint32_t v = 0; v < 256; ++v) {
      Entry e;
      for (uint32_t bit = 0; bit < 8; ++bit) {
        const uint32_t i = static_cast<uint32_t>(b) * 8 + bit;
        if (((v >> bit) & 1) && i < w) {
          e.out ^= basis[i].out;
          e.window ^= basis[i].window;
        }
      }
      tables_[b][v] = e;
    }
  }
  window_ = window_of_seed(seed);
}

uint64_t StreamLfsr::advance_serial() {
  const uint32_t w = spec_.width;
  uint64_t out = 0;
  for (uint32_t i = 0; i < spec_.bits_per_advance; ++i) {
    out |= (window_ & 1) << i;
    const uint64_t feedback = parity(window_ & taps_mask_);
    window_ = (window_ >> 1) | (feedback << (w - 1));
  }
  return out;
}

uint64_t StreamLfsr::window_of_seed(uint64_t seed) const {
  if (spec_.load_map.empty()) return seed & window_mask_;
  uint64_t window = 0;
  for (uint32_t i = 0; i < spec_.width; ++i) window |= uint64_t{parity(spec_.load_map[i] & seed)} << i;
  return window;
}

}  // namespace neurochip::hw
