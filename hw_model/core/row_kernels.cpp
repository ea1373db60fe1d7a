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
// - theta = sat16(threshold + a) = sat16(threshold + min(a, 32767)) since threshold >= 1.
#include "core/row_kernels.h"

#include <algorithm>
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
constexpr KernelOps<T> kOps{accumulate<T>, accumulate2<T>, lif_step<T>, alif_step<T>};

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
constexpr KernelOps<T> kOps{accumulate<T>, accumulate2<T>, lif_step<T>, alif_step<T>};

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
constexpr KernelOps<T> kOps{accumulate<T>, accumulate2<T>, lif_step<T>, alif_step<T>};

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

/// Calls f(first_word, end_word) for every maximal run of words whose bit is set in a or b (b may be null).
template <class F>
void for_each_run(const uint64_t* a, const uint64_t* b, uint32_t words, F&& f) {
  const uint32_t entries = (words + 63) / 64;
  uint32_t run_begin = 0, run_end = 0;  // pending run [run_begin, run_end), empty if equal
  for (uint32_t e = 0; e < entries; ++e) {
    uint64_t m = a[e] | (b ? b[e] : 0);
    const uint32_t base = e * 64;
    while (m) {
      const uint32_t first = static_cast<uint32_t>(__builtin_ctzll(m));
      const uint64_t from_first = m >> first;
      const uint32_t len = ~from_first == 0 ? 64 - first : static_cast<uint32_t>(__builtin_ctzll(~from_first));
      const uint32_t begin = base + first, end = std::min(begin + len, words);
      if (begin >= words) break;
      if (begin == run_end) {
        run_end = end;
      } else {
        if (run_end > run_begin) f(run_begin, run_end);
        run_begin = begin;
        run_end = end;
      }
      m = first + len >= 64 ? 0 : m & (~uint64_t{0} << (first + len));
    }
  }
  if (run_end > run_begin) f(run_begin, run_end);
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
      return;
    case Isa::kAvx2:
      ops16_ = &avx2::kOps<int16_t>;
      ops32_ = &avx2::kOps<int32_t>;
      return;
#endif
    default:
      ops16_ = &generic::kOps<int16_t>;
      ops32_ = &generic::kOps<int32_t>;
      return;
  }
}

const RowKernels& RowKernels::best() {
  static const RowKernels k(available_isas().back());
  return k;
}

template <class T>
void RowKernels::accumulate_row_words(T* u, const T* ref, const int8_t* w, int s, uint32_t n,
                                      const uint64_t* nonzero, uint32_t weights_per_word) const {
  const uint32_t words = (n + weights_per_word - 1) / weights_per_word;
  const auto acc = ops<T>().accumulate;
  for_each_run(nonzero, nullptr, words, [&](uint32_t begin, uint32_t end) {
    const uint32_t j = begin * weights_per_word;
    acc(u + j, ref ? ref + j : nullptr, w + j, s, std::min(end * weights_per_word, n) - j);
  });
}

template <class T>
void RowKernels::accumulate_row2_words(T* u, const T* ref, const int8_t* w1, int s1, const uint64_t* nonzero1,
                                       const int8_t* w2, int s2, const uint64_t* nonzero2, uint32_t n,
                                       uint32_t weights_per_word) const {
  const uint32_t words = (n + weights_per_word - 1) / weights_per_word;
  const auto acc2 = ops<T>().accumulate2;
  for_each_run(nonzero1, nonzero2, words, [&](uint32_t begin, uint32_t end) {
    const uint32_t j = begin * weights_per_word;
    acc2(u + j, ref ? ref + j : nullptr, w1 + j, s1, w2 + j, s2, std::min(end * weights_per_word, n) - j);
  });
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
  template void RowKernels::accumulate_row_words<T>(T*, const T*, const int8_t*, int, uint32_t, const uint64_t*,   \
                                                    uint32_t) const;                                               \
  template void RowKernels::accumulate_row2_words<T>(T*, const T*, const int8_t*, int, const uint64_t*,            \
                                                     const int8_t*, int, const uint64_t*, uint32_t, uint32_t) const; \
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
