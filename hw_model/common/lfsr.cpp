// Stream LFSRs (SPEC.md §2.8); see lfsr.h.
#include "common/lfsr.h"

#include <stdexcept>
#include <utility>

namespace neurochip::hw {

namespace {
constexpr uint32_t kMaxBitsPerAdvance = 4096;
}  // namespace

std::vector<uint64_t> strided_xor_load_map(uint32_t width, uint32_t stride) {
  std::vector<uint64_t> map;
  for (uint32_t i = 0; i < width; ++i) map.push_back((i < stride ? 0 : map[i - stride]) ^ (uint64_t{1} << i));
  return map;
}

LfsrSpec trinomial_lfsr(std::string name, uint32_t width, uint32_t tap, uint32_t bits_per_advance,
                        std::vector<uint64_t> load_map) {
  LfsrSpec s;
  s.name = std::move(name);
  s.width = width;
  s.taps = {0, tap};
  s.bits_per_advance = bits_per_advance;
  s.load_map = std::move(load_map);
  return s;
}

StreamLfsr::StreamLfsr(const LfsrSpec& spec, uint64_t seed) : spec_(spec) {
  const uint32_t w = spec.width, k = spec.bits_per_advance;
  if (w < 2 || w > 64) throw std::invalid_argument("LFSR " + spec.name + ": width must be 2..64");
  if (k < 1 || k > kMaxBitsPerAdvance)
    throw std::invalid_argument("LFSR " + spec.name + ": bits_per_advance must be 1.." +
                                std::to_string(kMaxBitsPerAdvance));
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
  out_words_ = (k + 63) / 64;
  bytes_ = (w + 7) / 8;
  // The advance is linear in the window: tabulate it per byte of the window from the serial
  // definition applied to each basis vector.
  const size_t stride = out_words_ + 1;
  std::vector<uint64_t> basis(static_cast<size_t>(w) * stride, 0);
  for (uint32_t i = 0; i < w; ++i) {
    window_ = uint64_t{1} << i;
    advance_serial_into(&basis[i * stride + 1]);
    basis[i * stride] = window_;
  }
  tables_.assign(bytes_ * 256 * stride, 0);
  for (size_t b = 0; b < bytes_; ++b) {
    for (uint32_t v = 0; v < 256; ++v) {
      uint64_t* e = &tables_[(b * 256 + v) * stride];
      for (uint32_t bit = 0; bit < 8; ++bit) {
        const size_t i = b * 8 + bit;
        if (((v >> bit) & 1) && i < w)
          for (size_t x = 0; x < stride; ++x) e[x] ^= basis[i * stride + x];
      }
    }
  }
  window_ = window_of_seed(seed);
}

void StreamLfsr::advance_serial_into(uint64_t* out) {
  const uint32_t w = spec_.width;
  for (size_t i = 0; i < out_words_; ++i) out[i] = 0;
  for (uint32_t i = 0; i < spec_.bits_per_advance; ++i) {
    out[i / 64] |= (window_ & 1) << (i % 64);
    const uint64_t feedback = parity(window_ & taps_mask_);
    window_ = (window_ >> 1) | (feedback << (w - 1));
  }
}

StreamLfsr::Jump StreamLfsr::make_jump(uint64_t advances) const {
  Jump jump;
  jump.advances = advances;
  std::vector<uint64_t> basis(spec_.width);
  std::vector<uint64_t> out(out_words_);
  for (uint32_t i = 0; i < spec_.width; ++i) {
    StreamLfsr probe = *this;
    probe.window_ = uint64_t{1} << i;
    for (uint64_t a = 0; a < advances; ++a) probe.advance_into(out.data());
    basis[i] = probe.window_;
  }
  jump.table.assign(bytes_ * 256, 0);
  for (size_t b = 0; b < bytes_; ++b)
    for (uint32_t v = 0; v < 256; ++v)
      for (uint32_t bit = 0; bit < 8; ++bit)
        if (((v >> bit) & 1) && b * 8 + bit < spec_.width) jump.table[b * 256 + v] ^= basis[b * 8 + bit];
  return jump;
}

uint64_t StreamLfsr::window_of_seed(uint64_t seed) const {
  if (spec_.load_map.empty()) return seed & window_mask_;
  uint64_t window = 0;
  for (uint32_t i = 0; i < spec_.width; ++i) window |= uint64_t{parity(spec_.load_map[i] & seed)} << i;
  return window;
}

}  // namespace neurochip::hw
