// Row kernels of the neuron datapath (SPEC.md §2.4 STEP, §2.6 PROP, §3.2 word packing); see
// row_kernels.h. One generic C++ variant and, on x86-64, AVX2 and AVX-512BW variants compiled with
// per-function target attributes, so that this translation unit needs no special compiler flags and
// the AVX code only runs after the CPU reported the extension (__builtin_cpu_supports).
//
// Arithmetic identities the vector code relies on (all exact for the spec's ranges):
// - a weight contribution w << s (|w| <= 128, s <= 7) fits int16, so sat16(u + c) is a saturating
//   16-bit add (vpaddsw) and sat16(c1 + c2) is one as well;
// - leak: for alpha <= 0x7FFF the 32-bit product P = u * alpha has P >> 15 = (hi(P) << 1) | (lo(P) >> 15)
//   with hi/lo the signed high and the low 16 bits (vpmulhw, vpmullw); alpha = 0x8000 is the identity;
// - ALIF: a * rho (a < 2^16, rho <= 2^15) is an unsigned 32-bit product, decayed the same way with the
//   unsigned high half (vpmulhuw); min(a' + inc, 65535) is an unsigned saturating add;
// - the STEP sweeps take thresholds >= 1 (the neuron models run lower ones through their scalar
//   definition): then theta = sat16(threshold + a) = sat16(threshold + min(a, 32767)) and
//   leak - threshold >= -32768 - 32767 only needs the lower clamp.
#include "core/row_kernels.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define NEUROCHIP_X86 1
#else
#define NEUROCHIP_X86 0
#endif

namespace neurochip::hw::kernels {
namespace {

constexpr int32_t kMin16 = -32768;
constexpr int32_t kMax16 = 32767;
constexpr int32_t kAMax = 0xFFFF;
constexpr uint32_t kAlphaOne = 0x8000;

inline int32_t clamp16(int32_t v) { return v < kMin16 ? kMin16 : (v > kMax16 ? kMax16 : v); }

/// True if any of the bits first..last (inclusive) of a non-zero-word bitmap is set.
inline bool any_word(const uint64_t* bitmap, uint32_t first, uint32_t last) {
  uint32_t e = first >> 6;
  const uint32_t e_last = last >> 6;
  const uint64_t m = bitmap[e] >> (first & 63);
  if (e == e_last) return (m & ((uint64_t{2} << (last - first)) - 1)) != 0;
  if (m) return true;
  for (++e; e < e_last; ++e)
    if (bitmap[e]) return true;
  return (bitmap[e_last] & ((uint64_t{2} << (last & 63)) - 1)) != 0;
}

/// Maps lane indices to word indices of a row packed K weights per word: a shift when K is a power of
/// two (every packing of 8, 4 or 2-bit weights into power-of-two words), a division otherwise.
class LaneToWord {
 public:
  explicit LaneToWord(uint32_t per_word)
      : per_word_(per_word), shift_((per_word & (per_word - 1)) == 0 ? __builtin_ctz(per_word) : -1) {}
  uint32_t operator()(uint32_t lane) const { return shift_ >= 0 ? lane >> shift_ : lane / per_word_; }

 private:
  uint32_t per_word_;
  int shift_;
};

/// Bits 0..31 of the result are the even bits of x (bit 2i -> bit i).
inline uint64_t compress_even_bits(uint64_t x) {
  x &= 0x5555555555555555ull;
  x = (x | (x >> 1)) & 0x3333333333333333ull;
  x = (x | (x >> 2)) & 0x0F0F0F0F0F0F0F0Full;
  x = (x | (x >> 4)) & 0x00FF00FF00FF00FFull;
  x = (x | (x >> 8)) & 0x0000FFFF0000FFFFull;
  return (x | (x >> 16)) & 0x00000000FFFFFFFFull;
}

/// Bit i of x (i < 32) -> bit 2i.
inline uint64_t spread_to_even_bits(uint64_t x) {
  x &= 0x00000000FFFFFFFFull;
  x = (x | (x << 16)) & 0x0000FFFF0000FFFFull;
  x = (x | (x << 8)) & 0x00FF00FF00FF00FFull;
  x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0Full;
  x = (x | (x << 2)) & 0x3333333333333333ull;
  return (x | (x << 1)) & 0x5555555555555555ull;
}

/// The vector blocks of `block` lanes of a row of n weights packed `per_word` per word that overlap a
/// non-zero word of nz1 or nz2 (nz2 may be null): bit b of next() is block first + b, 64 blocks per
/// call. Fast paths for one word per block, two words per block and two blocks per word; any other
/// packing tests block by block.
class NonzeroBlocks {
 public:
  NonzeroBlocks(const uint64_t* nz1, const uint64_t* nz2, uint32_t n, uint32_t per_word, uint32_t block)
      : nz1_(nz1), nz2_(nz2), n_(n), per_word_(per_word), block_(block), to_word_(per_word),
        words_(n == 0 ? 0 : to_word_(n - 1) + 1), entries_((words_ + 63) / 64), blocks_((n + block - 1) / block) {}

  uint32_t blocks() const { return blocks_; }

  /// Mask of the blocks first .. first + 63 (first a multiple of 64).
  __attribute__((always_inline)) uint64_t mask(uint32_t first) const {
    const uint32_t count = std::min<uint32_t>(64, blocks_ - first);
    const uint64_t valid = count == 64 ? ~uint64_t{0} : (uint64_t{1} << count) - 1;
    uint64_t m = 0;
    if (per_word_ == block_) {
      m = entry(first / 64);
    } else if (2 * per_word_ == block_) {
      const uint32_t e = first / 32;
      m = compress_even_bits(fold_pairs(entry(e))) | (compress_even_bits(fold_pairs(entry(e + 1))) << 32);
    } else if (per_word_ == 2 * block_) {
      const uint64_t x = entry(first / 128) >> (first % 128 / 2);
      m = spread_to_even_bits(x);
      m |= m << 1;
    } else {
      for (uint32_t b = 0; b < count; ++b) {
        const uint32_t j = (first + b) * block_;
        const uint32_t lo = to_word_(j), hi = to_word_(std::min(j + block_, n_) - 1);
        if (any_word(nz1_, lo, hi) || (nz2_ && any_word(nz2_, lo, hi))) m |= uint64_t{1} << b;
      }
    }
    return m & valid;
  }

 private:
  uint64_t entry(uint32_t e) const { return e < entries_ ? nz1_[e] | (nz2_ ? nz2_[e] : 0) : 0; }
  static uint64_t fold_pairs(uint64_t x) { return x | (x >> 1); }

  const uint64_t* nz1_;
  const uint64_t* nz2_;
  uint32_t n_, per_word_, block_;
  LaneToWord to_word_;
  uint32_t words_, entries_, blocks_;
};

// ---------------------------------------------------------------------------------------------
// Generic C++ (any target; with SSE2 the compiler vectorises the accumulation loops).
namespace generic {

template <class T, bool kMasked, bool kTwo>
void accumulate_range(T* u, const T* ref, const int8_t* w1, int s1, const int8_t* w2, int s2, uint32_t n) {
  const int32_t m1 = 1 << s1, m2 = 1 << s2;
  for (uint32_t j = 0; j < n; ++j) {
    int32_t c = w1[j] * m1;
    if constexpr (kTwo) c = clamp16(c + w2[j] * m2);
    const int32_t sum = clamp16(int32_t{u[j]} + c);
    if constexpr (kMasked) {
      u[j] = ref[j] == 0 ? static_cast<T>(sum) : u[j];
    } else {
      u[j] = static_cast<T>(sum);
    }
  }
}

template <class T>
void accumulate(T* u, const T* ref, const int8_t* w, int s, uint32_t n) {
  if (ref) {
    accumulate_range<T, true, false>(u, ref, w, s, nullptr, 0, n);
  } else {
    accumulate_range<T, false, false>(u, ref, w, s, nullptr, 0, n);
  }
}

template <class T>
void accumulate2(T* u, const T* ref, const int8_t* w1, int s1, const int8_t* w2, int s2, uint32_t n) {
  if (ref) {
    accumulate_range<T, true, true>(u, ref, w1, s1, w2, s2, n);
  } else {
    accumulate_range<T, false, true>(u, ref, w1, s1, w2, s2, n);
  }
}

/// accumulate_range over the lanes [begin, n) whose word is non-zero in nz1 or nz2 (w2/nz2 null if one
/// row), one call per run of consecutive non-zero words.
template <class T, bool kMasked, bool kTwo>
void words_range(T* u, const T* ref, const int8_t* w1, int s1, const uint64_t* nz1, const int8_t* w2, int s2,
                 const uint64_t* nz2, uint32_t begin, uint32_t n, uint32_t per_word) {
  const LaneToWord to_word(per_word);
  const auto nonzero = [&](uint32_t word) {
    return ((nz1[word / 64] >> (word % 64)) & 1) || (kTwo && ((nz2[word / 64] >> (word % 64)) & 1));
  };
  const uint32_t words = n == 0 ? 0 : to_word(n - 1) + 1;
  for (uint32_t j = begin; j < n;) {
    uint32_t word = to_word(j);
    if (!nonzero(word)) {
      j = (word + 1) * per_word;
      continue;
    }
    while (word + 1 < words && nonzero(word + 1)) ++word;
    const uint32_t end = std::min(n, (word + 1) * per_word);
    accumulate_range<T, kMasked, kTwo>(u + j, kMasked ? ref + j : nullptr, w1 + j, s1, kTwo ? w2 + j : nullptr, s2,
                                       end - j);
    j = end;
  }
}

template <class T>
void accumulate_words(T* u, const T* ref, const int8_t* w1, int s1, const uint64_t* nz1, const int8_t* w2, int s2,
                      const uint64_t* nz2, uint32_t n, uint32_t per_word) {
  if (w2) {
    ref ? words_range<T, true, true>(u, ref, w1, s1, nz1, w2, s2, nz2, 0, n, per_word)
        : words_range<T, false, true>(u, ref, w1, s1, nz1, w2, s2, nz2, 0, n, per_word);
  } else {
    ref ? words_range<T, true, false>(u, ref, w1, s1, nz1, w2, s2, nz2, 0, n, per_word)
        : words_range<T, false, false>(u, ref, w1, s1, nz1, w2, s2, nz2, 0, n, per_word);
  }
}

/// STEP of neurons [begin, end) (absolute indices); returns the number of spikes written.
template <class T, bool kAlif>
uint32_t step_range(T* u, T* ref, AdaptationT<T>* a, uint8_t* z, uint32_t* spikes, uint32_t begin, uint32_t end,
                    const AlifStepParams& p) {
  const LifStepParams& l = p.lif;
  const int32_t alpha = static_cast<int32_t>(l.alpha);
  uint32_t count = 0;
  for (uint32_t j = begin; j < end; ++j) {
    const int32_t uj = u[j];
    int32_t rj = ref[j];
    int32_t theta = l.threshold;
    if constexpr (kAlif) theta = clamp16(l.threshold + static_cast<int32_t>(a[j]));
    bool fire = false;
    if (rj > 0) {
      --rj;
    } else {
      fire = uj >= theta;
    }
    int32_t next = (uj * alpha) >> 15;  // |u * alpha| <= 2^30: exact in int32, >> is a floor shift
    if (fire) {
      next = l.reset_subtract ? clamp16(next - l.threshold) : 0;
      rj = static_cast<int32_t>(l.refractory_steps);
    }
    u[j] = static_cast<T>(next);
    ref[j] = static_cast<T>(rj);
    if constexpr (kAlif) {
      int32_t aj = static_cast<int32_t>((static_cast<uint32_t>(a[j]) * p.adaptation_rho) >> 15);
      if (fire) aj = std::min(aj + p.adaptation_increment, kAMax);
      a[j] = static_cast<AdaptationT<T>>(aj);
    }
    z[j] = fire ? 1 : 0;
    spikes[count] = j;
    count += fire ? 1 : 0;
  }
  return count;
}

template <class T>
uint32_t lif_step(T* u, T* ref, uint8_t* z, uint32_t* spikes, uint32_t n, const LifStepParams& p) {
  return step_range<T, false>(u, ref, nullptr, z, spikes, 0, n, AlifStepParams{p, 0, 0});
}

template <class T>
uint32_t alif_step(T* u, T* ref, AdaptationT<T>* a, uint8_t* z, uint32_t* spikes, uint32_t n,
                   const AlifStepParams& p) {
  return step_range<T, true>(u, ref, a, z, spikes, 0, n, p);
}

template <class T>
constexpr KernelOps<T> kOps{accumulate<T>, accumulate2<T>, accumulate_words<T>, 4, 2, lif_step<T>, alif_step<T>};

inline uint64_t load8(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

/// Appends base + b for every byte b of the 8-byte little-endian chunk v that is not zero.
inline uint32_t push_nonzero_bytes(uint64_t v, uint32_t base, uint32_t* out, uint32_t count) {
  v |= v >> 4;
  v |= v >> 2;
  v |= v >> 1;
  v &= 0x0101010101010101ull;  // bit 8b set iff byte b was non-zero
  while (v) {
    out[count++] = base + static_cast<uint32_t>(__builtin_ctzll(v)) / 8;
    v &= v - 1;
  }
  return count;
}

/// active_indices from index `begin` on (eight event bytes at a time), appending after `count`.
inline uint32_t active_range(const uint8_t* x, uint32_t nx, const uint8_t* z, uint32_t nz, uint32_t begin,
                             uint32_t* active, uint32_t count) {
  const uint32_t both = std::min(nx, nz), all = std::max(nx, nz);
  const uint8_t* rest = nx > nz ? x : z;
  uint32_t i = begin;
  for (; i + 8 <= both; i += 8) {
    const uint64_t v = load8(x + i) | load8(z + i);
    if (v) count = push_nonzero_bytes(v, i, active, count);
  }
  for (; i < both; ++i)
    if (x[i] | z[i]) active[count++] = i;
  for (; i + 8 <= all; i += 8) {
    const uint64_t v = load8(rest + i);
    if (v) count = push_nonzero_bytes(v, i, active, count);
  }
  for (; i < all; ++i)
    if (rest[i]) active[count++] = i;
  return count;
}

uint32_t active_indices(const uint8_t* x, uint32_t nx, const uint8_t* z, uint32_t nz, uint32_t* active) {
  return active_range(x, nx, z, nz, 0, active, 0);
}

}  // namespace generic

#if NEUROCHIP_X86
// GCC 12 warns about the deliberately undefined source operand inside its own AVX-512 intrinsic
// headers once they are inlined (GCC bug 105593, fixed in GCC 13); the warning is not about this code.
#pragma GCC diagnostic push
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#define NC_AVX2 __attribute__((target("avx2")))
#define NC_AVX2_INLINE __attribute__((target("avx2"), always_inline)) inline
#define NC_AVX2_LAMBDA __attribute__((target("avx2"), always_inline))
#define NC_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl")))
#define NC_AVX512_INLINE __attribute__((target("avx512f,avx512bw,avx512vl"), always_inline)) inline

/// Appends base + the index of every set bit of `mask`, ascending.
inline uint32_t push_bits(uint64_t mask, uint32_t base, uint32_t* spikes, uint32_t count) {
  while (mask) {
    spikes[count++] = base + static_cast<uint32_t>(__builtin_ctzll(mask));
    mask &= mask - 1;
  }
  return count;
}

// ---------------------------------------------------------------------------------------------
// AVX2: 16 neurons per vector in int16, 8 in int32; the remainder of a row goes to the generic code.
namespace avx2 {

template <bool kMasked, bool kTwo>
NC_AVX2 void accumulate_i16(int16_t* u, const int16_t* ref, const int8_t* w1, int s1, const int8_t* w2, int s2,
                            uint32_t n) {
  const __m128i sh1 = _mm_cvtsi32_si128(s1), sh2 = _mm_cvtsi32_si128(s2);
  const __m256i zero = _mm256_setzero_si256();
  uint32_t j = 0;
  for (; j + 16 <= n; j += 16) {
    __m256i c = _mm256_sll_epi16(_mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w1 + j))), sh1);
    if constexpr (kTwo) {
      c = _mm256_adds_epi16(
          c, _mm256_sll_epi16(_mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w2 + j))), sh2));
    }
    const __m256i uv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(u + j));
    __m256i sum = _mm256_adds_epi16(uv, c);
    if constexpr (kMasked) {
      const __m256i idle = _mm256_cmpeq_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(ref + j)), zero);
      sum = _mm256_blendv_epi8(uv, sum, idle);
    }
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(u + j), sum);
  }
  generic::accumulate_range<int16_t, kMasked, kTwo>(u + j, kMasked ? ref + j : nullptr, w1 + j, s1,
                                                    kTwo ? w2 + j : nullptr, s2, n - j);
}

template <bool kMasked, bool kTwo>
NC_AVX2 void accumulate_i32(int32_t* u, const int32_t* ref, const int8_t* w1, int s1, const int8_t* w2, int s2,
                            uint32_t n) {
  const __m128i sh1 = _mm_cvtsi32_si128(s1), sh2 = _mm_cvtsi32_si128(s2);
  const __m256i zero = _mm256_setzero_si256();
  const __m256i lo = _mm256_set1_epi32(kMin16), hi = _mm256_set1_epi32(kMax16);
  uint32_t j = 0;
  for (; j + 8 <= n; j += 8) {
    __m256i c = _mm256_sll_epi32(_mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(w1 + j))), sh1);
    if constexpr (kTwo) {
      const __m256i c2 =
          _mm256_sll_epi32(_mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(w2 + j))), sh2);
      c = _mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(c, c2), lo), hi);
    }
    const __m256i uv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(u + j));
    __m256i sum = _mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(uv, c), lo), hi);
    if constexpr (kMasked) {
      const __m256i idle = _mm256_cmpeq_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(ref + j)), zero);
      sum = _mm256_blendv_epi8(uv, sum, idle);
    }
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(u + j), sum);
  }
  generic::accumulate_range<int32_t, kMasked, kTwo>(u + j, kMasked ? ref + j : nullptr, w1 + j, s1,
                                                    kTwo ? w2 + j : nullptr, s2, n - j);
}

template <class T>
void accumulate(T* u, const T* ref, const int8_t* w, int s, uint32_t n) {
  if constexpr (sizeof(T) == 2) {
    ref ? accumulate_i16<true, false>(u, ref, w, s, nullptr, 0, n) : accumulate_i16<false, false>(u, ref, w, s, nullptr, 0, n);
  } else {
    ref ? accumulate_i32<true, false>(u, ref, w, s, nullptr, 0, n) : accumulate_i32<false, false>(u, ref, w, s, nullptr, 0, n);
  }
}

template <class T>
void accumulate2(T* u, const T* ref, const int8_t* w1, int s1, const int8_t* w2, int s2, uint32_t n) {
  if constexpr (sizeof(T) == 2) {
    ref ? accumulate_i16<true, true>(u, ref, w1, s1, w2, s2, n) : accumulate_i16<false, true>(u, ref, w1, s1, w2, s2, n);
  } else {
    ref ? accumulate_i32<true, true>(u, ref, w1, s1, w2, s2, n) : accumulate_i32<false, true>(u, ref, w1, s1, w2, s2, n);
  }
}

/// The dense loops above, skipping every vector block whose weight words are all zero.
template <bool kMasked, bool kTwo>
NC_AVX2 void words_i16(int16_t* u, const int16_t* ref, const int8_t* w1, int s1, const uint64_t* nz1, const int8_t* w2,
                       int s2, const uint64_t* nz2, uint32_t n, uint32_t per_word) {
  const __m128i sh1 = _mm_cvtsi32_si128(s1), sh2 = _mm_cvtsi32_si128(s2);
  const LaneToWord to_word(per_word);
  const __m256i zero = _mm256_setzero_si256();
  const NonzeroBlocks blocks(nz1, nz2, n, per_word, 16);
  const uint32_t full = n / 16;
  for (uint32_t first = 0; first < blocks.blocks(); first += 64) {
   for (uint64_t m = blocks.mask(first); m; m &= m - 1) {
    const uint32_t b = first + static_cast<uint32_t>(__builtin_ctzll(m)), j = b * 16;
    if (b >= full) {
      generic::accumulate_range<int16_t, kMasked, kTwo>(u + j, kMasked ? ref + j : nullptr, w1 + j, s1,
                                                        kTwo ? w2 + j : nullptr, s2, n - j);
      break;
    }
    __m256i c = _mm256_sll_epi16(_mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w1 + j))), sh1);
    if constexpr (kTwo) {
      c = _mm256_adds_epi16(
          c, _mm256_sll_epi16(_mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w2 + j))), sh2));
    }
    const __m256i uv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(u + j));
    __m256i sum = _mm256_adds_epi16(uv, c);
    if constexpr (kMasked) {
      const __m256i idle = _mm256_cmpeq_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(ref + j)), zero);
      sum = _mm256_blendv_epi8(uv, sum, idle);
    }
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(u + j), sum);
   }
  }
}

template <bool kMasked, bool kTwo>
NC_AVX2 void words_i32(int32_t* u, const int32_t* ref, const int8_t* w1, int s1, const uint64_t* nz1, const int8_t* w2,
                       int s2, const uint64_t* nz2, uint32_t n, uint32_t per_word) {
  const __m128i sh1 = _mm_cvtsi32_si128(s1), sh2 = _mm_cvtsi32_si128(s2);
  const LaneToWord to_word(per_word);
  const __m256i zero = _mm256_setzero_si256();
  const __m256i lo = _mm256_set1_epi32(kMin16), hi = _mm256_set1_epi32(kMax16);
  const NonzeroBlocks blocks(nz1, nz2, n, per_word, 8);
  const uint32_t full = n / 8;
  for (uint32_t first = 0; first < blocks.blocks(); first += 64) {
   for (uint64_t m = blocks.mask(first); m; m &= m - 1) {
    const uint32_t b = first + static_cast<uint32_t>(__builtin_ctzll(m)), j = b * 8;
    if (b >= full) {
      generic::accumulate_range<int32_t, kMasked, kTwo>(u + j, kMasked ? ref + j : nullptr, w1 + j, s1,
                                                        kTwo ? w2 + j : nullptr, s2, n - j);
      break;
    }
    __m256i c = _mm256_sll_epi32(_mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(w1 + j))), sh1);
    if constexpr (kTwo) {
      const __m256i c2 =
          _mm256_sll_epi32(_mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(w2 + j))), sh2);
      c = _mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(c, c2), lo), hi);
    }
    const __m256i uv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(u + j));
    __m256i sum = _mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(uv, c), lo), hi);
    if constexpr (kMasked) {
      const __m256i idle = _mm256_cmpeq_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(ref + j)), zero);
      sum = _mm256_blendv_epi8(uv, sum, idle);
    }
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(u + j), sum);
   }
  }
}

template <class T>
void accumulate_words(T* u, const T* ref, const int8_t* w1, int s1, const uint64_t* nz1, const int8_t* w2, int s2,
                      const uint64_t* nz2, uint32_t n, uint32_t per_word) {
  if constexpr (sizeof(T) == 2) {
    if (w2) {
      ref ? words_i16<true, true>(u, ref, w1, s1, nz1, w2, s2, nz2, n, per_word)
          : words_i16<false, true>(u, ref, w1, s1, nz1, w2, s2, nz2, n, per_word);
    } else {
      ref ? words_i16<true, false>(u, ref, w1, s1, nz1, w2, s2, nz2, n, per_word)
          : words_i16<false, false>(u, ref, w1, s1, nz1, w2, s2, nz2, n, per_word);
    }
  } else {
    if (w2) {
      ref ? words_i32<true, true>(u, ref, w1, s1, nz1, w2, s2, nz2, n, per_word)
          : words_i32<false, true>(u, ref, w1, s1, nz1, w2, s2, nz2, n, per_word);
    } else {
      ref ? words_i32<true, false>(u, ref, w1, s1, nz1, w2, s2, nz2, n, per_word)
          : words_i32<false, false>(u, ref, w1, s1, nz1, w2, s2, nz2, n, per_word);
    }
  }
}

/// Leak of 16 membranes by alpha < 0x8000 (see the file comment).
NC_AVX2_INLINE __m256i leak_i16(__m256i u, __m256i alpha) {
  const __m256i hi = _mm256_mulhi_epi16(u, alpha), lo = _mm256_mullo_epi16(u, alpha);
  return _mm256_or_si256(_mm256_slli_epi16(hi, 1), _mm256_srli_epi16(lo, 15));
}

template <bool kAlif>
NC_AVX2 uint32_t step_i16(int16_t* u, int16_t* ref, uint16_t* a, uint8_t* z, uint32_t* spikes, uint32_t n,
                          const AlifStepParams& p) {
  const LifStepParams& l = p.lif;
  const bool identity = l.alpha == kAlphaOne;
  const __m256i zero = _mm256_setzero_si256(), ones = _mm256_set1_epi16(-1);
  const __m256i thr = _mm256_set1_epi16(static_cast<int16_t>(l.threshold));
  const __m256i alpha = _mm256_set1_epi16(static_cast<int16_t>(identity ? 0 : l.alpha));
  const __m256i refr = _mm256_set1_epi16(static_cast<int16_t>(l.refractory_steps));
  const __m256i amax = _mm256_set1_epi16(kMax16);
  const __m256i rho = _mm256_set1_epi16(static_cast<int16_t>(p.adaptation_rho));
  const __m256i inc = _mm256_set1_epi16(static_cast<int16_t>(p.adaptation_increment));
  const __m128i one8 = _mm_set1_epi8(1);
  uint32_t count = 0, j = 0;
  for (; j + 16 <= n; j += 16) {
    const __m256i uv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(u + j));
    __m256i r = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(ref + j));
    __m256i av = zero, theta = thr;
    if constexpr (kAlif) {
      av = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + j));
      theta = _mm256_adds_epi16(thr, _mm256_min_epu16(av, amax));
    }
    const __m256i busy = _mm256_cmpgt_epi16(r, zero);
    r = _mm256_add_epi16(r, busy);  // ref - 1 where ref > 0
    const __m256i fire = _mm256_andnot_si256(_mm256_or_si256(busy, _mm256_cmpgt_epi16(theta, uv)), ones);
    __m256i next = identity ? uv : leak_i16(uv, alpha);
    next = l.reset_subtract ? _mm256_blendv_epi8(next, _mm256_subs_epi16(next, thr), fire)
                            : _mm256_andnot_si256(fire, next);
    r = _mm256_blendv_epi8(r, refr, fire);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(u + j), next);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(ref + j), r);
    if constexpr (kAlif) {
      __m256i d = _mm256_or_si256(_mm256_slli_epi16(_mm256_mulhi_epu16(av, rho), 1),
                                  _mm256_srli_epi16(_mm256_mullo_epi16(av, rho), 15));
      d = _mm256_blendv_epi8(d, _mm256_adds_epu16(d, inc), fire);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(a + j), d);
    }
    const __m128i b = _mm_packs_epi16(_mm256_castsi256_si128(fire), _mm256_extracti128_si256(fire, 1));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(z + j), _mm_and_si128(b, one8));
    count = push_bits(static_cast<uint32_t>(_mm_movemask_epi8(b)), j, spikes, count);
  }
  return count + generic::step_range<int16_t, kAlif>(u, ref, a, z, spikes + count, j, n, p);
}

template <bool kAlif>
NC_AVX2 uint32_t step_i32(int32_t* u, int32_t* ref, int32_t* a, uint8_t* z, uint32_t* spikes, uint32_t n,
                          const AlifStepParams& p) {
  const LifStepParams& l = p.lif;
  const __m256i zero = _mm256_setzero_si256(), ones = _mm256_set1_epi32(-1);
  const __m256i thr = _mm256_set1_epi32(l.threshold);
  const __m256i alpha = _mm256_set1_epi32(static_cast<int32_t>(l.alpha));
  const __m256i refr = _mm256_set1_epi32(static_cast<int32_t>(l.refractory_steps));
  const __m256i lo = _mm256_set1_epi32(kMin16), hi16 = _mm256_set1_epi32(kMax16), amax = _mm256_set1_epi32(kAMax);
  const __m256i rho = _mm256_set1_epi32(static_cast<int32_t>(p.adaptation_rho));
  const __m256i inc = _mm256_set1_epi32(p.adaptation_increment);
  const __m128i one8 = _mm_set1_epi8(1);
  uint32_t count = 0, j = 0;
  for (; j + 8 <= n; j += 8) {
    const __m256i uv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(u + j));
    __m256i r = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(ref + j));
    __m256i av = zero, theta = thr;
    if constexpr (kAlif) {
      av = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + j));
      theta = _mm256_min_epi32(_mm256_add_epi32(thr, av), hi16);
    }
    const __m256i busy = _mm256_cmpgt_epi32(r, zero);
    r = _mm256_add_epi32(r, busy);
    const __m256i fire = _mm256_andnot_si256(_mm256_or_si256(busy, _mm256_cmpgt_epi32(theta, uv)), ones);
    __m256i next = _mm256_srai_epi32(_mm256_mullo_epi32(uv, alpha), 15);
    next = l.reset_subtract ? _mm256_blendv_epi8(next, _mm256_max_epi32(_mm256_sub_epi32(next, thr), lo), fire)
                            : _mm256_andnot_si256(fire, next);
    r = _mm256_blendv_epi8(r, refr, fire);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(u + j), next);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(ref + j), r);
    if constexpr (kAlif) {
      __m256i d = _mm256_srli_epi32(_mm256_mullo_epi32(av, rho), 15);  // a * rho < 2^31
      d = _mm256_blendv_epi8(d, _mm256_min_epi32(_mm256_add_epi32(d, inc), amax), fire);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(a + j), d);
    }
    const __m128i w = _mm_packs_epi32(_mm256_castsi256_si128(fire), _mm256_extracti128_si256(fire, 1));
    const __m128i b = _mm_packs_epi16(w, w);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(z + j), _mm_and_si128(b, one8));
    count = push_bits(static_cast<uint32_t>(_mm_movemask_epi8(b)) & 0xFFu, j, spikes, count);
  }
  return count + generic::step_range<int32_t, kAlif>(u, ref, a, z, spikes + count, j, n, p);
}

template <class T>
uint32_t lif_step(T* u, T* ref, uint8_t* z, uint32_t* spikes, uint32_t n, const LifStepParams& p) {
  if constexpr (sizeof(T) == 2) {
    return step_i16<false>(u, ref, nullptr, z, spikes, n, AlifStepParams{p, 0, 0});
  } else {
    return step_i32<false>(u, ref, nullptr, z, spikes, n, AlifStepParams{p, 0, 0});
  }
}

template <class T>
uint32_t alif_step(T* u, T* ref, AdaptationT<T>* a, uint8_t* z, uint32_t* spikes, uint32_t n,
                   const AlifStepParams& p) {
  if constexpr (sizeof(T) == 2) {
    return step_i16<true>(u, ref, a, z, spikes, n, p);
  } else {
    return step_i32<true>(u, ref, a, z, spikes, n, p);
  }
}

template <class T>
constexpr KernelOps<T> kOps{accumulate<T>, accumulate2<T>, accumulate_words<T>, sizeof(T) == 2 ? 32u : 16u, 4,
                            lif_step<T>, alif_step<T>};

/// 32 event bytes per compare; the last partial vector goes to the generic code.
NC_AVX2 uint32_t active_indices(const uint8_t* x, uint32_t nx, const uint8_t* z, uint32_t nz, uint32_t* active) {
  const uint32_t both = std::min(nx, nz), all = std::max(nx, nz);
  const uint8_t* rest = nx > nz ? x : z;
  const __m256i zero = _mm256_setzero_si256();
  uint32_t count = 0, i = 0;
  const auto nonzero = [&zero](__m256i v) NC_AVX2_LAMBDA {
    return ~static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, zero)));
  };
  for (; i + 32 <= both; i += 32) {
    const __m256i v = _mm256_or_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + i)),
                                      _mm256_loadu_si256(reinterpret_cast<const __m256i*>(z + i)));
    count = push_bits(nonzero(v), i, active, count);
  }
  if (i + 32 > both && i < both) return generic::active_range(x, nx, z, nz, i, active, count);
  for (; i + 32 <= all; i += 32)
    count = push_bits(nonzero(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(rest + i))), i, active, count);
  return generic::active_range(x, nx, z, nz, i, active, count);
}

}  // namespace avx2

// ---------------------------------------------------------------------------------------------
// AVX-512BW: 32 neurons per vector in int16, 16 in int32; row remainders use masked loads/stores.
namespace avx512 {

NC_AVX512_INLINE __mmask32 first32(uint32_t k) { return k >= 32 ? ~__mmask32{0} : (__mmask32{1} << k) - 1; }
NC_AVX512_INLINE __mmask16 first16(uint32_t k) {
  return static_cast<__mmask16>(k >= 16 ? 0xFFFFu : (1u << k) - 1u);
}

template <bool kTail>
NC_AVX512_INLINE __m512i load_weights32(const int8_t* p, __mmask32 m) {
  if constexpr (kTail) return _mm512_cvtepi8_epi16(_mm256_maskz_loadu_epi8(m, p));
  return _mm512_cvtepi8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
}

template <bool kTail>
NC_AVX512_INLINE __m512i load_weights16(const int8_t* p, __mmask16 m) {
  if constexpr (kTail) return _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(m, p));
  return _mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}

template <bool kMasked, bool kTwo, bool kTail>
NC_AVX512_INLINE void accumulate_block_i16(int16_t* u, const int16_t* ref, const int8_t* w1, __m128i sh1,
                                           const int8_t* w2, __m128i sh2, __mmask32 m) {
  __m512i c = _mm512_sll_epi16(load_weights32<kTail>(w1, m), sh1);
  if constexpr (kTwo) c = _mm512_adds_epi16(c, _mm512_sll_epi16(load_weights32<kTail>(w2, m), sh2));
  const __m512i uv = kTail ? _mm512_maskz_loadu_epi16(m, u) : _mm512_loadu_si512(u);
  __mmask32 take = m;
  if constexpr (kMasked) {
    const __m512i r = kTail ? _mm512_maskz_loadu_epi16(m, ref) : _mm512_loadu_si512(ref);
    take = _mm512_mask_testn_epi16_mask(m, r, r);
  }
  const __m512i sum = _mm512_mask_adds_epi16(uv, take, uv, c);
  if constexpr (kTail) {
    _mm512_mask_storeu_epi16(u, m, sum);
  } else {
    _mm512_storeu_si512(u, sum);
  }
}

template <bool kMasked, bool kTwo>
NC_AVX512 void accumulate_i16(int16_t* u, const int16_t* ref, const int8_t* w1, int s1, const int8_t* w2, int s2,
                              uint32_t n) {
  const __m128i sh1 = _mm_cvtsi32_si128(s1), sh2 = _mm_cvtsi32_si128(s2);
  uint32_t j = 0;
  for (; j + 32 <= n; j += 32)
    accumulate_block_i16<kMasked, kTwo, false>(u + j, kMasked ? ref + j : nullptr, w1 + j, sh1, w2 + j, sh2,
                                               ~__mmask32{0});
  if (j < n) {
    accumulate_block_i16<kMasked, kTwo, true>(u + j, kMasked ? ref + j : nullptr, w1 + j, sh1, w2 + j, sh2,
                                              first32(n - j));
  }
}

template <bool kMasked, bool kTwo, bool kTail>
NC_AVX512_INLINE void accumulate_block_i32(int32_t* u, const int32_t* ref, const int8_t* w1, __m128i sh1,
                                           const int8_t* w2, __m128i sh2, __mmask16 m) {
  const __m512i lo = _mm512_set1_epi32(kMin16), hi = _mm512_set1_epi32(kMax16);
  __m512i c = _mm512_sll_epi32(load_weights16<kTail>(w1, m), sh1);
  if constexpr (kTwo) {
    c = _mm512_min_epi32(
        _mm512_max_epi32(_mm512_add_epi32(c, _mm512_sll_epi32(load_weights16<kTail>(w2, m), sh2)), lo), hi);
  }
  const __m512i uv = kTail ? _mm512_maskz_loadu_epi32(m, u) : _mm512_loadu_si512(u);
  __mmask16 take = m;
  if constexpr (kMasked) {
    const __m512i r = kTail ? _mm512_maskz_loadu_epi32(m, ref) : _mm512_loadu_si512(ref);
    take = _mm512_mask_testn_epi32_mask(m, r, r);
  }
  const __m512i sum = _mm512_min_epi32(_mm512_max_epi32(_mm512_add_epi32(uv, c), lo), hi);
  if constexpr (kTail) {
    _mm512_mask_storeu_epi32(u, take, sum);
  } else {
    _mm512_storeu_si512(u, _mm512_mask_mov_epi32(uv, take, sum));
  }
}

template <bool kMasked, bool kTwo>
NC_AVX512 void accumulate_i32(int32_t* u, const int32_t* ref, const int8_t* w1, int s1, const int8_t* w2, int s2,
                              uint32_t n) {
  const __m128i sh1 = _mm_cvtsi32_si128(s1), sh2 = _mm_cvtsi32_si128(s2);
  uint32_t j = 0;
  for (; j + 16 <= n; j += 16)
    accumulate_block_i32<kMasked, kTwo, false>(u + j, kMasked ? ref + j : nullptr, w1 + j, sh1, w2 + j, sh2, 0xFFFF);
  if (j < n) {
    accumulate_block_i32<kMasked, kTwo, true>(u + j, kMasked ? ref + j : nullptr, w1 + j, sh1, w2 + j, sh2,
                                              first16(n - j));
  }
}

template <class T>
void accumulate(T* u, const T* ref, const int8_t* w, int s, uint32_t n) {
  if constexpr (sizeof(T) == 2) {
    ref ? accumulate_i16<true, false>(u, ref, w, s, w, 0, n) : accumulate_i16<false, false>(u, ref, w, s, w, 0, n);
  } else {
    ref ? accumulate_i32<true, false>(u, ref, w, s, w, 0, n) : accumulate_i32<false, false>(u, ref, w, s, w, 0, n);
  }
}

template <class T>
void accumulate2(T* u, const T* ref, const int8_t* w1, int s1, const int8_t* w2, int s2, uint32_t n) {
  if constexpr (sizeof(T) == 2) {
    ref ? accumulate_i16<true, true>(u, ref, w1, s1, w2, s2, n) : accumulate_i16<false, true>(u, ref, w1, s1, w2, s2, n);
  } else {
    ref ? accumulate_i32<true, true>(u, ref, w1, s1, w2, s2, n) : accumulate_i32<false, true>(u, ref, w1, s1, w2, s2, n);
  }
}

/// The dense loops above, skipping every vector block whose weight words are all zero.
template <bool kMasked, bool kTwo>
NC_AVX512 void words_i16(int16_t* u, const int16_t* ref, const int8_t* w1, int s1, const uint64_t* nz1,
                         const int8_t* w2, int s2, const uint64_t* nz2, uint32_t n, uint32_t per_word) {
  const __m128i sh1 = _mm_cvtsi32_si128(s1), sh2 = _mm_cvtsi32_si128(s2);
  const NonzeroBlocks blocks(nz1, nz2, n, per_word, 32);
  const uint32_t full = n / 32;
  for (uint32_t first = 0; first < blocks.blocks(); first += 64) {
    for (uint64_t m = blocks.mask(first); m; m &= m - 1) {
      const uint32_t b = first + static_cast<uint32_t>(__builtin_ctzll(m)), j = b * 32;
      if (b < full) {
        accumulate_block_i16<kMasked, kTwo, false>(u + j, kMasked ? ref + j : nullptr, w1 + j, sh1,
                                                   kTwo ? w2 + j : w1, sh2, ~__mmask32{0});
      } else {
        accumulate_block_i16<kMasked, kTwo, true>(u + j, kMasked ? ref + j : nullptr, w1 + j, sh1,
                                                  kTwo ? w2 + j : w1, sh2, first32(n - j));
      }
    }
  }
}

template <bool kMasked, bool kTwo>
NC_AVX512 void words_i32(int32_t* u, const int32_t* ref, const int8_t* w1, int s1, const uint64_t* nz1,
                         const int8_t* w2, int s2, const uint64_t* nz2, uint32_t n, uint32_t per_word) {
  const __m128i sh1 = _mm_cvtsi32_si128(s1), sh2 = _mm_cvtsi32_si128(s2);
  const NonzeroBlocks blocks(nz1, nz2, n, per_word, 16);
  const uint32_t full = n / 16;
  for (uint32_t first = 0; first < blocks.blocks(); first += 64) {
    for (uint64_t m = blocks.mask(first); m; m &= m - 1) {
      const uint32_t b = first + static_cast<uint32_t>(__builtin_ctzll(m)), j = b * 16;
      if (b < full) {
        accumulate_block_i32<kMasked, kTwo, false>(u + j, kMasked ? ref + j : nullptr, w1 + j, sh1,
                                                   kTwo ? w2 + j : w1, sh2, 0xFFFF);
      } else {
        accumulate_block_i32<kMasked, kTwo, true>(u + j, kMasked ? ref + j : nullptr, w1 + j, sh1,
                                                  kTwo ? w2 + j : w1, sh2, first16(n - j));
      }
    }
  }
}

template <class T>
void accumulate_words(T* u, const T* ref, const int8_t* w1, int s1, const uint64_t* nz1, const int8_t* w2, int s2,
                      const uint64_t* nz2, uint32_t n, uint32_t per_word) {
  if constexpr (sizeof(T) == 2) {
    if (w2) {
      ref ? words_i16<true, true>(u, ref, w1, s1, nz1, w2, s2, nz2, n, per_word)
          : words_i16<false, true>(u, ref, w1, s1, nz1, w2, s2, nz2, n, per_word);
    } else {
      ref ? words_i16<true, false>(u, ref, w1, s1, nz1, w2, s2, nz2, n, per_word)
          : words_i16<false, false>(u, ref, w1, s1, nz1, w2, s2, nz2, n, per_word);
    }
  } else {
    if (w2) {
      ref ? words_i32<true, true>(u, ref, w1, s1, nz1, w2, s2, nz2, n, per_word)
          : words_i32<false, true>(u, ref, w1, s1, nz1, w2, s2, nz2, n, per_word);
    } else {
      ref ? words_i32<true, false>(u, ref, w1, s1, nz1, w2, s2, nz2, n, per_word)
          : words_i32<false, false>(u, ref, w1, s1, nz1, w2, s2, nz2, n, per_word);
    }
  }
}

/// Vector constants of one STEP sweep.
struct StepConsts16 {
  __m512i thr, alpha, refr, amax, rho, inc;
  bool identity, subtract;
};

template <bool kAlif, bool kTail>
NC_AVX512_INLINE uint32_t step_block_i16(int16_t* u, int16_t* ref, uint16_t* a, uint8_t* z, uint32_t* spikes,
                                         uint32_t j, __mmask32 m, const StepConsts16& k, uint32_t count) {
  const __m512i one = _mm512_set1_epi16(1);
  const __m512i uv = kTail ? _mm512_maskz_loadu_epi16(m, u + j) : _mm512_loadu_si512(u + j);
  __m512i r = kTail ? _mm512_maskz_loadu_epi16(m, ref + j) : _mm512_loadu_si512(ref + j);
  __m512i av = _mm512_setzero_si512(), theta = k.thr;
  if constexpr (kAlif) {
    av = kTail ? _mm512_maskz_loadu_epi16(m, a + j) : _mm512_loadu_si512(a + j);
    theta = _mm512_adds_epi16(k.thr, _mm512_min_epu16(av, k.amax));
  }
  const __mmask32 busy = _mm512_test_epi16_mask(r, r);  // ref is 0..255: non-zero means > 0
  r = _mm512_mask_sub_epi16(r, busy, r, one);
  const __mmask32 fire = _mm512_mask_cmpge_epi16_mask(m & ~busy, uv, theta);
  __m512i next = uv;
  if (!k.identity) {
    next = _mm512_or_si512(_mm512_slli_epi16(_mm512_mulhi_epi16(uv, k.alpha), 1),
                           _mm512_srli_epi16(_mm512_mullo_epi16(uv, k.alpha), 15));
  }
  next = k.subtract ? _mm512_mask_subs_epi16(next, fire, next, k.thr) : _mm512_maskz_mov_epi16(~fire, next);
  r = _mm512_mask_mov_epi16(r, fire, k.refr);
  __m512i d = av;
  if constexpr (kAlif) {
    d = _mm512_or_si512(_mm512_slli_epi16(_mm512_mulhi_epu16(av, k.rho), 1),
                        _mm512_srli_epi16(_mm512_mullo_epi16(av, k.rho), 15));
    d = _mm512_mask_adds_epu16(d, fire, d, k.inc);
  }
  const __m256i zb = _mm256_maskz_mov_epi8(fire, _mm256_set1_epi8(1));
  if constexpr (kTail) {
    _mm512_mask_storeu_epi16(u + j, m, next);
    _mm512_mask_storeu_epi16(ref + j, m, r);
    if constexpr (kAlif) _mm512_mask_storeu_epi16(a + j, m, d);
    _mm256_mask_storeu_epi8(z + j, m, zb);
  } else {
    _mm512_storeu_si512(u + j, next);
    _mm512_storeu_si512(ref + j, r);
    if constexpr (kAlif) _mm512_storeu_si512(a + j, d);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(z + j), zb);
  }
  return push_bits(fire, j, spikes, count);
}

template <bool kAlif>
NC_AVX512 uint32_t step_i16(int16_t* u, int16_t* ref, uint16_t* a, uint8_t* z, uint32_t* spikes, uint32_t n,
                            const AlifStepParams& p) {
  const LifStepParams& l = p.lif;
  StepConsts16 k;
  k.identity = l.alpha == kAlphaOne;
  k.subtract = l.reset_subtract;
  k.thr = _mm512_set1_epi16(static_cast<int16_t>(l.threshold));
  k.alpha = _mm512_set1_epi16(static_cast<int16_t>(k.identity ? 0 : l.alpha));
  k.refr = _mm512_set1_epi16(static_cast<int16_t>(l.refractory_steps));
  k.amax = _mm512_set1_epi16(kMax16);
  k.rho = _mm512_set1_epi16(static_cast<int16_t>(p.adaptation_rho));
  k.inc = _mm512_set1_epi16(static_cast<int16_t>(p.adaptation_increment));
  uint32_t count = 0, j = 0;
  for (; j + 32 <= n; j += 32) count = step_block_i16<kAlif, false>(u, ref, a, z, spikes, j, ~__mmask32{0}, k, count);
  if (j < n) count = step_block_i16<kAlif, true>(u, ref, a, z, spikes, j, first32(n - j), k, count);
  return count;
}

struct StepConsts32 {
  __m512i thr, alpha, refr, rho, inc;
  bool subtract;
};

template <bool kAlif, bool kTail>
NC_AVX512_INLINE uint32_t step_block_i32(int32_t* u, int32_t* ref, int32_t* a, uint8_t* z, uint32_t* spikes,
                                         uint32_t j, __mmask16 m, const StepConsts32& k, uint32_t count) {
  const __m512i one = _mm512_set1_epi32(1), lo = _mm512_set1_epi32(kMin16);
  const __m512i hi = _mm512_set1_epi32(kMax16), amax = _mm512_set1_epi32(kAMax);
  const __m512i uv = kTail ? _mm512_maskz_loadu_epi32(m, u + j) : _mm512_loadu_si512(u + j);
  __m512i r = kTail ? _mm512_maskz_loadu_epi32(m, ref + j) : _mm512_loadu_si512(ref + j);
  __m512i av = _mm512_setzero_si512(), theta = k.thr;
  if constexpr (kAlif) {
    av = kTail ? _mm512_maskz_loadu_epi32(m, a + j) : _mm512_loadu_si512(a + j);
    theta = _mm512_min_epi32(_mm512_add_epi32(k.thr, av), hi);
  }
  const __mmask16 busy = _mm512_test_epi32_mask(r, r);
  r = _mm512_mask_sub_epi32(r, busy, r, one);
  const __mmask16 fire = _mm512_mask_cmpge_epi32_mask(static_cast<__mmask16>(m & ~busy), uv, theta);
  __m512i next = _mm512_srai_epi32(_mm512_mullo_epi32(uv, k.alpha), 15);
  next = k.subtract ? _mm512_mask_max_epi32(next, fire, _mm512_sub_epi32(next, k.thr), lo)
                    : _mm512_maskz_mov_epi32(static_cast<__mmask16>(~fire), next);
  r = _mm512_mask_mov_epi32(r, fire, k.refr);
  __m512i d = av;
  if constexpr (kAlif) {
    d = _mm512_srli_epi32(_mm512_mullo_epi32(av, k.rho), 15);
    d = _mm512_mask_min_epi32(d, fire, _mm512_add_epi32(d, k.inc), amax);
  }
  const __m128i zb = _mm_maskz_mov_epi8(fire, _mm_set1_epi8(1));
  if constexpr (kTail) {
    _mm512_mask_storeu_epi32(u + j, m, next);
    _mm512_mask_storeu_epi32(ref + j, m, r);
    if constexpr (kAlif) _mm512_mask_storeu_epi32(a + j, m, d);
    _mm_mask_storeu_epi8(z + j, m, zb);
  } else {
    _mm512_storeu_si512(u + j, next);
    _mm512_storeu_si512(ref + j, r);
    if constexpr (kAlif) _mm512_storeu_si512(a + j, d);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(z + j), zb);
  }
  return push_bits(fire, j, spikes, count);
}

template <bool kAlif>
NC_AVX512 uint32_t step_i32(int32_t* u, int32_t* ref, int32_t* a, uint8_t* z, uint32_t* spikes, uint32_t n,
                            const AlifStepParams& p) {
  const LifStepParams& l = p.lif;
  StepConsts32 k;
  k.subtract = l.reset_subtract;
  k.thr = _mm512_set1_epi32(l.threshold);
  k.alpha = _mm512_set1_epi32(static_cast<int32_t>(l.alpha));
  k.refr = _mm512_set1_epi32(static_cast<int32_t>(l.refractory_steps));
  k.rho = _mm512_set1_epi32(static_cast<int32_t>(p.adaptation_rho));
  k.inc = _mm512_set1_epi32(p.adaptation_increment);
  uint32_t count = 0, j = 0;
  for (; j + 16 <= n; j += 16) count = step_block_i32<kAlif, false>(u, ref, a, z, spikes, j, 0xFFFF, k, count);
  if (j < n) count = step_block_i32<kAlif, true>(u, ref, a, z, spikes, j, first16(n - j), k, count);
  return count;
}

template <class T>
uint32_t lif_step(T* u, T* ref, uint8_t* z, uint32_t* spikes, uint32_t n, const LifStepParams& p) {
  if constexpr (sizeof(T) == 2) {
    return step_i16<false>(u, ref, nullptr, z, spikes, n, AlifStepParams{p, 0, 0});
  } else {
    return step_i32<false>(u, ref, nullptr, z, spikes, n, AlifStepParams{p, 0, 0});
  }
}

template <class T>
uint32_t alif_step(T* u, T* ref, AdaptationT<T>* a, uint8_t* z, uint32_t* spikes, uint32_t n,
                   const AlifStepParams& p) {
  if constexpr (sizeof(T) == 2) {
    return step_i16<true>(u, ref, a, z, spikes, n, p);
  } else {
    return step_i32<true>(u, ref, a, z, spikes, n, p);
  }
}

template <class T>
constexpr KernelOps<T> kOps{accumulate<T>, accumulate2<T>, accumulate_words<T>, sizeof(T) == 2 ? 32u : 16u, 4,
                            lif_step<T>, alif_step<T>};

NC_AVX512_INLINE __mmask64 first64(uint32_t k) { return k >= 64 ? ~__mmask64{0} : (__mmask64{1} << k) - 1; }

/// 64 event bytes per test, partial vectors masked.
NC_AVX512 uint32_t active_indices(const uint8_t* x, uint32_t nx, const uint8_t* z, uint32_t nz, uint32_t* active) {
  const uint32_t both = std::min(nx, nz), all = std::max(nx, nz);
  const uint8_t* rest = nx > nz ? x : z;
  uint32_t count = 0;
  for (uint32_t i = 0; i < both; i += 64) {
    const __mmask64 m = first64(both - i);
    const __m512i v = _mm512_or_si512(_mm512_maskz_loadu_epi8(m, x + i), _mm512_maskz_loadu_epi8(m, z + i));
    count = push_bits(_mm512_test_epi8_mask(v, v), i, active, count);
  }
  for (uint32_t i = both; i < all; i += 64) {
    const __m512i v = _mm512_maskz_loadu_epi8(first64(all - i), rest + i);
    count = push_bits(_mm512_test_epi8_mask(v, v), i, active, count);
  }
  return count;
}

}  // namespace avx512
#pragma GCC diagnostic pop
#endif  // NEUROCHIP_X86

bool host_supports(Isa isa) {
  switch (isa) {
    case Isa::kGeneric:
      return true;
#if NEUROCHIP_X86
    case Isa::kAvx2:
      return __builtin_cpu_supports("avx2");
    case Isa::kAvx512:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
             __builtin_cpu_supports("avx512vl");
#else
    default:
      return false;
#endif
  }
  return false;
}

template <class T>
void accumulate_sparse_impl(T* u, const T* ref, const uint16_t* idx, const int8_t* val, uint32_t count, int s) {
  const int32_t m = 1 << s;
  for (uint32_t k = 0; k < count; ++k) {
    const uint32_t j = idx[k];
    if (ref && ref[j] != 0) continue;
    u[j] = static_cast<T>(clamp16(int32_t{u[j]} + val[k] * m));
  }
}

}  // namespace

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::kGeneric:
      return "generic";
    case Isa::kAvx2:
      return "avx2";
    case Isa::kAvx512:
      return "avx512";
  }
  return "?";
}

std::vector<Isa> available_isas() {
  std::vector<Isa> isas;
  for (Isa isa : {Isa::kGeneric, Isa::kAvx2, Isa::kAvx512})
    if (host_supports(isa)) isas.push_back(isa);
  return isas;
}

RowKernels::RowKernels(Isa isa) : isa_(isa) {
  if (!host_supports(isa)) throw std::invalid_argument(std::string("row kernels: host cannot run ") + isa_name(isa));
  switch (isa) {
#if NEUROCHIP_X86
    case Isa::kAvx512:
      ops16_ = &avx512::kOps<int16_t>;
      ops32_ = &avx512::kOps<int32_t>;
      active_ = avx512::active_indices;
      return;
    case Isa::kAvx2:
      ops16_ = &avx2::kOps<int16_t>;
      ops32_ = &avx2::kOps<int32_t>;
      active_ = avx2::active_indices;
      return;
#endif
    default:
      ops16_ = &generic::kOps<int16_t>;
      ops32_ = &generic::kOps<int32_t>;
      active_ = generic::active_indices;
      return;
  }
}

const RowKernels& RowKernels::best() {
  static const RowKernels k([] {
    const std::vector<Isa> isas = available_isas();
    const char* forced = std::getenv("NEUROCHIP_ROW_KERNELS");
    if (forced == nullptr || *forced == 0) return isas.back();
    for (Isa isa : isas)
      if (std::strcmp(forced, isa_name(isa)) == 0) return isa;
    throw std::invalid_argument(std::string("NEUROCHIP_ROW_KERNELS=") + forced +
                                ": not a row kernel variant this host can run (generic, avx2, avx512)");
  }());
  return k;
}

template <class T>
void RowKernels::accumulate_sparse(T* u, const T* ref, const uint16_t* idx, const int8_t* val, uint32_t count,
                                   int s) const {
  accumulate_sparse_impl(u, ref, idx, val, count, s);
}

template <class T>
void RowKernels::accumulate_sparse2(T* u, const T* ref, const uint16_t* idx1, const int8_t* val1, uint32_t count1,
                                    int s1, const uint16_t* idx2, const int8_t* val2, uint32_t count2,
                                    int s2) const {
  const int32_t m1 = 1 << s1, m2 = 1 << s2;
  uint32_t a = 0, b = 0;
  while (a < count1 || b < count2) {
    uint32_t j;
    int32_t c;
    if (b == count2 || (a < count1 && idx1[a] < idx2[b])) {
      j = idx1[a];
      c = val1[a++] * m1;
    } else if (a == count1 || idx2[b] < idx1[a]) {
      j = idx2[b];
      c = val2[b++] * m2;
    } else {
      j = idx1[a];
      c = clamp16(val1[a++] * m1 + val2[b++] * m2);
    }
    if (ref && ref[j] != 0) continue;
    u[j] = static_cast<T>(clamp16(int32_t{u[j]} + c));
  }
}

#define NEUROCHIP_ROW_KERNELS_INSTANTIATE(T)                                                                       \
  template void RowKernels::accumulate_sparse<T>(T*, const T*, const uint16_t*, const int8_t*, uint32_t, int) const; \
  template void RowKernels::accumulate_sparse2<T>(T*, const T*, const uint16_t*, const int8_t*, uint32_t, int,     \
                                                  const uint16_t*, const int8_t*, uint32_t, int) const;
NEUROCHIP_ROW_KERNELS_INSTANTIATE(int16_t)
NEUROCHIP_ROW_KERNELS_INSTANTIATE(int32_t)
#undef NEUROCHIP_ROW_KERNELS_INSTANTIATE

uint32_t nonzero_word_bitmap(const int8_t* w, uint32_t n, uint32_t weights_per_word, uint64_t* bitmap) {
  const uint32_t words = (n + weights_per_word - 1) / weights_per_word;
  std::fill(bitmap, bitmap + bitmap_entries(n, weights_per_word), uint64_t{0});
  uint32_t count = 0;
  for (uint32_t b = 0; b < words; ++b) {
    const uint32_t end = std::min(n, (b + 1) * weights_per_word);
    bool any = false;
    for (uint32_t j = b * weights_per_word; j < end; ++j) any |= w[j] != 0;
    if (any) {
      bitmap[b / 64] |= uint64_t{1} << (b % 64);
      ++count;
    }
  }
  return count;
}

uint32_t sparse_row(const int8_t* w, uint32_t n, uint16_t* idx, int8_t* val) {
  uint32_t count = 0;
  for (uint32_t j = 0; j < n; ++j) {
    if (w[j] == 0) continue;
    idx[count] = static_cast<uint16_t>(j);
    val[count++] = w[j];
  }
  return count;
}

}  // namespace neurochip::hw::kernels
