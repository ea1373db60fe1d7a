// Linear-feedback shift registers as stream generators (SPEC.md §2.8): one binary sequence o[n]
// defined by a linear recurrence over GF(2), a register that holds a window of W consecutive
// bits of it, and an advance that exposes the next k bits at once (what an "unfolded" LFSR
// netlist does in one clock cycle). What a hardware block makes of its register bits — the map
// from the seed it is programmed with to the window — is part of the LFSR's description, so a
// chip's exact streams are data. SystemC-free.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace neurochip::hw {

/// The description of an LFSR (SPEC §2.8).
struct LfsrSpec {
  std::string name;
  uint32_t width = 0;               ///< W: register bits, 2..64
  /// The recurrence o[n + W] = XOR over t in taps of o[n + t]; every t in [0, W), 0 included.
  std::vector<uint32_t> taps;
  uint32_t bits_per_advance = 0;    ///< k: bits exposed (and consumed) per advance, 1..4096
  /// Window bit i (= o[i] after seeding) is the parity of (load_map[i] & seed); W entries. Empty:
  /// the identity (bit i of the seed is o[i]).
  std::vector<uint64_t> load_map;
};

/// A load map where window bit i is the XOR of the register bits j <= i with j ≡ i (mod stride):
/// mask_i = mask_{i − stride} ^ (1 << i). Stride 1 is the running XOR o[i] = d0 ^ … ^ di.
std::vector<uint64_t> strided_xor_load_map(uint32_t width, uint32_t stride);
/// The spec of a trinomial recurrence o[n + width] = o[n] ^ o[n + tap].
LfsrSpec trinomial_lfsr(std::string name, uint32_t width, uint32_t tap, uint32_t bits_per_advance,
                        std::vector<uint64_t> load_map);

/// One LFSR instance. The register holds o[n .. n + W − 1] (bit i = o[n + i]); an advance yields
/// o[n .. n + k − 1] (bit i = o[n + i], in 64-bit words, least significant first) and moves the
/// window on by k bits.
class StreamLfsr {
 public:
  /// Throws std::invalid_argument for an inconsistent spec (width, taps, k, load map).
  StreamLfsr(const LfsrSpec& spec, uint64_t seed);

  /// The next k bits, for k <= 64 (table-driven: one lookup per byte of the window).
  uint64_t advance() {
    uint64_t out = 0;
    advance_into(&out);
    return out;
  }
  /// The next k bits into out[0 .. words() − 1], for any k.
  void advance_into(uint64_t* out) {
    for (size_t i = 0; i < out_words_; ++i) out[i] = 0;
    uint64_t next = 0, w = window_;
    const size_t stride = out_words_ + 1;
    for (size_t b = 0; b < bytes_; ++b, w >>= 8) {
      const uint64_t* e = &tables_[(b * 256 + (w & 0xFF)) * stride];
      next ^= e[0];
      for (size_t i = 0; i < out_words_; ++i) out[i] ^= e[1 + i];
    }
    window_ = next;
  }
  /// The same by the recurrence, bit by bit (the definition; the tests hold the tables to it).
  void advance_serial_into(uint64_t* out);
  uint64_t advance_serial() {
    uint64_t out[64] = {};
    advance_serial_into(out);
    return out[0];
  }
  /// 64-bit words of one advance's output: ceil(k / 64).
  size_t words() const { return out_words_; }

  /// A precomputed jump over `advances` advances whose outputs are not needed (the window map of
  /// that many advances, tabulated per window byte).
  struct Jump {
    uint64_t advances = 0;
    std::vector<uint64_t> table;  ///< per window byte b and value v: the window it contributes
  };
  Jump make_jump(uint64_t advances) const;
  /// Advances `jump.advances` times, discarding the outputs.
  void skip(const Jump& jump) {
    uint64_t next = 0, w = window_;
    for (size_t b = 0; b < bytes_; ++b, w >>= 8) next ^= jump.table[b * 256 + (w & 0xFF)];
    window_ = next;
  }

  /// The window o[n .. n + W − 1].
  uint64_t window() const { return window_; }
  /// The window a seed loads (the load map applied to `seed`).
  uint64_t window_of_seed(uint64_t seed) const;
  /// Programs the seed (as the seed register write does).
  void seed(uint64_t seed) { window_ = window_of_seed(seed); }
  const LfsrSpec& spec() const { return spec_; }

  /// Parity of the set bits of `v`.
  static uint32_t parity(uint64_t v) { return static_cast<uint32_t>(__builtin_parityll(v)); }

 private:
  LfsrSpec spec_;
  uint64_t taps_mask_ = 0;
  uint64_t window_mask_ = 0;
  uint64_t window_ = 0;
  size_t out_words_ = 1;
  size_t bytes_ = 0;
  /// Per window byte b and value v: the window and output words that byte contributes to an
  /// advance (the advance is linear in the window), out_words_ + 1 words per entry.
  std::vector<uint64_t> tables_;
};

}  // namespace neurochip::hw
