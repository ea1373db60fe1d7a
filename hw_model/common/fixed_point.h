// Fixed-point primitives of the neurochip datapath (SPEC.md §2 "Numeric formats").
// The only arithmetic the core datapath uses: integer-only, explicit widths, saturation and
// floor-rounding shifts exactly as the spec states. Shared by the cycle model and the
// functional reference so both implement the same arithmetic definitions.
#pragma once

#include <cstdint>

namespace neurochip::hw::fxp {

/// Membrane / readout potential width (SPEC §2.1): 16-bit two's complement.
inline constexpr int kPotentialBits = 16;
inline constexpr int32_t kPotentialMax = (1 << (kPotentialBits - 1)) - 1;  // 32767
inline constexpr int32_t kPotentialMin = -(1 << (kPotentialBits - 1));     // -32768

/// Leak factor alpha: 16-bit unsigned, 1.15 format (SPEC §2.3). Legal range 0..0x8FFF (0..1.125, as
/// ReckOn's 4-bit alpha MSBs of 0x7 or 0x8 allow): up to 0x8000 a leak never amplifies; above, the
/// leak keeps the product's bits [30:15] as a 16-bit value, so it wraps like ReckOn's datapath.
inline constexpr int kAlphaFracBits = 15;
inline constexpr uint32_t kAlphaOne = 1u << kAlphaFracBits;
inline constexpr uint32_t kAlphaMax = 0x8FFF;
/// Readout leak kappa: 8-bit unsigned, 1.7 format (SPEC §2.5). Legal range 0..0x80 (0..1.0).
inline constexpr int kKappaFracBits = 7;
inline constexpr uint32_t kKappaOne = 1u << kKappaFracBits;
/// Largest weight left-shift before accumulation (SPEC §2.2).
inline constexpr int kMaxWeightShift = 7;
/// Adaptation variable of ALIF neurons: 16-bit unsigned (SPEC §2.4).
inline constexpr int32_t kAdaptationMax = 0xFFFF;

/// Saturate a wide signed value to the 16-bit potential range.
constexpr int32_t sat16(int64_t v) {
  return v > kPotentialMax ? kPotentialMax : (v < kPotentialMin ? kPotentialMin : static_cast<int32_t>(v));
}

/// Saturating 16-bit addition.
constexpr int32_t sat_add16(int32_t a, int32_t b) { return sat16(static_cast<int64_t>(a) + b); }

/// Arithmetic shift right, rounding toward minus infinity (floor), also for negative values.
/// C++20 defines >> on negative values as arithmetic; C++17 leaves it to the implementation, and
/// GCC and Clang define it as arithmetic. The static_asserts make any other compiler fail loudly
/// instead of silently truncating toward zero.
static_assert((int64_t{-5} >> 2) == -2, "signed >> must be an arithmetic (floor) shift");
static_assert((int32_t{-1} >> 1) == -1, "signed >> must be an arithmetic (floor) shift");
constexpr int64_t shift_right_floor(int64_t v, int s) { return v >> s; }

/// Sign-extend the low `bits` bits of `raw` (weight storage -> signed weight).
constexpr int32_t sign_extend(uint32_t raw, int bits) {
  const uint32_t mask = (bits >= 32) ? 0xFFFFFFFFu : ((1u << bits) - 1u);
  const uint32_t v = raw & mask;
  const uint32_t sign = 1u << (bits - 1);
  return static_cast<int32_t>(v ^ sign) - static_cast<int32_t>(sign);
}

/// Weight contribution: sign-extended weight shifted left by `shift` (SPEC §2.2). Exact, no
/// saturation needed: |w| <= 128 and shift <= 7 give |w << shift| <= 16384.
constexpr int32_t weight_contribution(int32_t w, int shift) { return w * (1 << shift); }

/// The low 16 bits of `v` as a signed value (two's-complement wrap).
constexpr int32_t wrap16(int64_t v) { return static_cast<int32_t>(static_cast<int16_t>(static_cast<uint16_t>(v & 0xFFFF))); }

/// Multiplicative leak of a 16-bit potential by a 1.15 factor: floor(u * alpha / 2^15), as 16 bits.
/// The 32-bit product is exact; with alpha <= 1.0 the result stays within 16 bits, above it wraps
/// (bits [30:15] of the product, SPEC §2.3).
constexpr int32_t leak_alpha(int32_t u, uint32_t alpha) {
  return wrap16(shift_right_floor(static_cast<int64_t>(u) * alpha, kAlphaFracBits));
}

/// Multiplicative leak of a 16-bit readout by a 1.7 factor: floor(v * kappa / 2^7).
constexpr int32_t leak_kappa(int32_t v, uint32_t kappa) {
  return static_cast<int32_t>(shift_right_floor(static_cast<int64_t>(v) * kappa, kKappaFracBits));
}

/// Stochastic rounding of a leak (SPEC §2.3): the floor of product / 2^frac_bits, plus 1 when the
/// product's fraction bits are >= `draw` (a frac_bits-bit random number) and the floor is not 0 —
/// a leak that truncates to 0 stays 0. Over uniform draws the result's mean is the exact quotient
/// (for a non-zero floor). Callers skip the rounding (and the draw) for a factor of exactly 1.0.
constexpr int32_t round_stochastic(int64_t product, int frac_bits, uint32_t draw) {
  const auto floor_value = static_cast<int32_t>(shift_right_floor(product, frac_bits));
  const auto fraction = static_cast<uint32_t>(product & ((int64_t{1} << frac_bits) - 1));
  return floor_value + ((floor_value != 0 && fraction >= draw) ? 1 : 0);
}
/// leak_alpha with stochastic rounding; `draw` is 15 bits. The guard tests the 16-bit floor, and
/// the result is 16 bits (both wrap above alpha = 1.0, as leak_alpha).
constexpr int32_t leak_alpha_stochastic(int32_t u, uint32_t alpha, uint32_t draw) {
  const int64_t p = static_cast<int64_t>(u) * alpha;
  const int32_t floor_value = wrap16(shift_right_floor(p, kAlphaFracBits));
  const auto fraction = static_cast<uint32_t>(p & ((int64_t{1} << kAlphaFracBits) - 1));
  return wrap16(int64_t{floor_value} + ((floor_value != 0 && fraction >= draw) ? 1 : 0));
}
/// leak_kappa with stochastic rounding; `draw` is 7 bits.
constexpr int32_t leak_kappa_stochastic(int32_t v, uint32_t kappa, uint32_t draw) {
  return round_stochastic(static_cast<int64_t>(v) * kappa, kKappaFracBits, draw);
}

/// Decay of the unsigned ALIF adaptation variable: floor(a * rho / 2^15), rho <= 1.0.
constexpr int32_t decay_adaptation(int32_t a, uint32_t rho) {
  return static_cast<int32_t>(shift_right_floor(static_cast<int64_t>(a) * rho, kAlphaFracBits));
}

/// Saturating unsigned 16-bit increment of the adaptation variable.
constexpr int32_t add_adaptation(int32_t a, int32_t inc) {
  const int64_t s = static_cast<int64_t>(a) + inc;
  return s > kAdaptationMax ? kAdaptationMax : static_cast<int32_t>(s);
}

}  // namespace neurochip::hw::fxp
