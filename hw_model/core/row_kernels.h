// Row kernels of the neuron datapath: the inner loops of PROP (SPEC.md §2.6: shifted 8-bit weights
// added to 16-bit membranes with saturation, refractory neurons skipped) and of the LIF STEP sweep
// (SPEC §2.4: refractory countdown, spike test on the stored potential, floor leak, reset, refractory
// reload), over plain arrays. Pure C++ with no dependency on the classes around it, bit-identical to
// hw::fxp (fixed_point.h) for every input in the spec's ranges.
//
// Each kernel exists per instruction set (generic C++, AVX2, AVX-512BW); the binary stays a generic
// x86-64 build and RowKernels picks the variant at run time (RowKernels::best() asks the CPU once,
// NEUROCHIP_ROW_KERNELS overrides it).
// Membrane and refractory arrays come in two storage widths, int16_t and int32_t; the values are the
// same (u in [-32768, 32767], ref in [0, 255]).
//
// Zero-weight skipping (SPEC §3.2-§3.3): a row of weights packed K per SRAM word can come with a bitmap
// of its non-zero words (nonzero_word_bitmap) or as a list of its non-zero weights (sparse_row); the
// kernels then skip the work of the zero words, which never change a membrane (sat16(u + 0) = u). They never count SRAM
// accesses: the hardware reads every word regardless and the caller counts them as before.
#pragma once

#include <cstdint>
#include <type_traits>
#include <vector>

namespace neurochip::hw::kernels {

/// Instruction-set variants, in increasing order of preference.
enum class Isa : uint8_t { kGeneric = 0, kAvx2 = 1, kAvx512 = 2 };

const char* isa_name(Isa isa);
/// Variants this host can run, kGeneric first; the last is the best.
std::vector<Isa> available_isas();

/// Parameters of the LIF STEP (SPEC §2.4), as the per-core registers hold them.
struct LifStepParams {
  int32_t threshold = 1;           ///< 1..32767
  uint32_t alpha = 0;              ///< 1.15 leak factor, 0..0x8000
  bool reset_subtract = true;      ///< true: u' = sat16(leak(u) - threshold); false: u' = 0
  uint32_t refractory_steps = 0;   ///< 0..255, loaded into ref on a spike
};

/// Parameters of the ALIF STEP (SPEC §2.4 steps 1 and 5 on top of the LIF ones).
struct AlifStepParams {
  LifStepParams lif;
  uint32_t adaptation_rho = 0;     ///< 1.15 decay of a, 0..0x8000
  int32_t adaptation_increment = 0;///< added to a on a spike (saturating at 65535), 0..65535
};

/// Adaptation storage that goes with a membrane width: a is 16-bit unsigned (SPEC §2.4).
template <class T>
using AdaptationT = std::conditional_t<sizeof(T) == 2, uint16_t, int32_t>;

/// Function table of one variant for one storage width T (int16_t or int32_t). `ref` may be null
/// where noted: then no neuron is refractory (a core with refractory_steps 0 never sets ref).
template <class T>
struct KernelOps {
  /// u[j] = sat16(u[j] + (w[j] << s)) for j in [0, n) where ref is null or ref[j] == 0.
  void (*accumulate)(T* u, const T* ref, const int8_t* w, int s, uint32_t n);
  /// c = sat16((w1[j] << s1) + (w2[j] << s2)), then as accumulate (input + recurrent, SPEC §2.6).
  void (*accumulate2)(T* u, const T* ref, const int8_t* w1, int s1, const int8_t* w2, int s2, uint32_t n);
  /// accumulate (w2 null) or accumulate2 skipping the vector blocks whose weights lie in words that
  /// are zero in bitmap nz1 (and nz2); `per_word` is K, the weights per SRAM word.
  void (*accumulate_words)(T* u, const T* ref, const int8_t* w1, int s1, const uint64_t* nz1, const int8_t* w2,
                           int s2, const uint64_t* nz2, uint32_t n, uint32_t per_word);
  /// LIF STEP over neurons [0, n): updates u and ref, sets z[j] to 0/1, writes the spiking indices
  /// ascending to spikes (room for n) and returns their count.
  /// A row with nnz non-zero weights of n is cheaper as a sparse list than dense if nnz * divisor < n
  /// (measured break-even of this variant, rounded down to a power of two).
  uint32_t sparse_divisor;
  /// Skipping zero words pays if nonzero_words * divisor <= words (measured, rounded to a power of two).
  uint32_t words_divisor;
  uint32_t (*lif_step)(T* u, T* ref, uint8_t* z, uint32_t* spikes, uint32_t n, const LifStepParams& p);
  /// ALIF STEP: as lif_step with theta = sat16(threshold + a[j]) and the adaptation update of step 5.
  uint32_t (*alif_step)(T* u, T* ref, AdaptationT<T>* a, uint8_t* z, uint32_t* spikes, uint32_t n,
                        const AlifStepParams& p);
};

/// The kernels of one instruction-set variant, for both storage widths.
class RowKernels {
 public:
  /// `isa` must be one of available_isas().
  explicit RowKernels(Isa isa);
  /// The best variant of this host, selected on first use; the environment variable
  /// NEUROCHIP_ROW_KERNELS=generic|avx2|avx512 forces another one (benchmarks, tests of each variant).
  static const RowKernels& best();

  Isa isa() const { return isa_; }

  // PROP, dense rows (SPEC §2.6).
  template <class T>
  void accumulate_row(T* u, const T* ref, const int8_t* w, int s, uint32_t n) const {
    ops<T>().accumulate(u, ref, w, s, n);
  }
  template <class T>
  void accumulate_row2(T* u, const T* ref, const int8_t* w1, int s1, const int8_t* w2, int s2,
                       uint32_t n) const {
    ops<T>().accumulate2(u, ref, w1, s1, w2, s2, n);
  }

  // PROP, skipping all-zero words: `nonzero` is the bitmap of nonzero_word_bitmap() for the same row
  // and `weights_per_word` (K). The dense loop visits every vector block (32 neurons in int16 with
  // AVX-512, 16 with AVX2, ...) and skips it when all the words it covers are zero; the generic
  // variant skips word by word.
  template <class T>
  void accumulate_row_words(T* u, const T* ref, const int8_t* w, int s, uint32_t n, const uint64_t* nonzero,
                            uint32_t weights_per_word) const {
    ops<T>().accumulate_words(u, ref, w, s, nonzero, nullptr, 0, nullptr, n, weights_per_word);
  }
  /// Input + recurrent: a block is skipped when its words are zero in both rows.
  template <class T>
  void accumulate_row2_words(T* u, const T* ref, const int8_t* w1, int s1, const uint64_t* nonzero1,
                             const int8_t* w2, int s2, const uint64_t* nonzero2, uint32_t n,
                             uint32_t weights_per_word) const {
    ops<T>().accumulate_words(u, ref, w1, s1, nonzero1, w2, s2, nonzero2, n, weights_per_word);
  }

  // PROP, sparse rows: the `count` non-zero weights val[k] at ascending post-synaptic indices idx[k]
  // (sparse_row()). Scalar in every variant.
  template <class T>
  void accumulate_sparse(T* u, const T* ref, const uint16_t* idx, const int8_t* val, uint32_t count,
                         int s) const;
  /// Input + recurrent: the two lists are merged so that every neuron receives sat16(c1 + c2) once.
  template <class T>
  void accumulate_sparse2(T* u, const T* ref, const uint16_t* idx1, const int8_t* val1, uint32_t count1, int s1,
                          const uint16_t* idx2, const int8_t* val2, uint32_t count2, int s2) const;

  /// Whether a row of n weights of which nnz are non-zero is cheaper through accumulate_sparse than
  /// through the dense kernel on this variant.
  template <class T>
  bool prefer_sparse(uint32_t nnz, uint32_t n) const {
    return uint64_t{nnz} * ops<T>().sparse_divisor < n;
  }

  enum class Path : uint8_t { kDense, kWords, kSparse };
  /// The cheapest of the three PROP paths for a row of n weights (or the sum of two rows) with nnz
  /// non-zero weights in nonzero_words of its `words` words (thresholds measured by
  /// neurochip_kernel_bench, see its section (2)).
  template <class T>
  Path choose_path(uint32_t n, uint32_t nnz, uint32_t nonzero_words, uint32_t words) const {
    if (prefer_sparse<T>(nnz, n)) return Path::kSparse;
    if (uint64_t{nonzero_words} * ops<T>().words_divisor <= words) return Path::kWords;
    return Path::kDense;
  }

  // STEP (SPEC §2.4), bit-identical to CoreDatapath::step.
  template <class T>
  uint32_t lif_step_sweep(T* u, T* ref, uint8_t* z, uint32_t* spikes, uint32_t n, const LifStepParams& p) const {
    return ops<T>().lif_step(u, ref, z, spikes, n, p);
  }
  /// ALIF: as lif_step_sweep with theta = sat16(threshold + a) and the adaptation update (step 5).
  template <class T>
  uint32_t alif_step_sweep(T* u, T* ref, AdaptationT<T>* a, uint8_t* z, uint32_t* spikes, uint32_t n,
                           const AlifStepParams& p) const {
    return ops<T>().alif_step(u, ref, a, z, spikes, n, p);
  }

  /// PROP scan (SPEC §2.6): writes, ascending, every index i < max(nx, nz) with (i < nx and x[i] != 0)
  /// or (i < nz and z[i] != 0) to `active` (room for max(nx, nz)) and returns their count. Tests a
  /// vector of event bytes at a time (eight in the generic variant), so that the inactive indices of a
  /// sparse timestep cost almost nothing.
  uint32_t active_indices(const uint8_t* x, uint32_t nx, const uint8_t* z, uint32_t nz, uint32_t* active) const {
    return active_(x, nx, z, nz, active);
  }

  template <class T>
  const KernelOps<T>& ops() const {
    static_assert(std::is_same_v<T, int16_t> || std::is_same_v<T, int32_t>, "storage is int16_t or int32_t");
    if constexpr (std::is_same_v<T, int16_t>) {
      return *ops16_;
    } else {
      return *ops32_;
    }
  }

 private:
  Isa isa_;
  const KernelOps<int16_t>* ops16_;
  const KernelOps<int32_t>* ops32_;
  uint32_t (*active_)(const uint8_t* x, uint32_t nx, const uint8_t* z, uint32_t nz, uint32_t* active);
};

/// Number of uint64_t entries of the non-zero-word bitmap of a row of n weights, K per word.
inline uint32_t bitmap_entries(uint32_t n, uint32_t weights_per_word) {
  const uint32_t words = (n + weights_per_word - 1) / weights_per_word;
  return (words + 63) / 64;
}
/// Bit b of `bitmap` (bitmap_entries(n, K) entries) is set iff weights [b*K, (b+1)*K) of w are not all
/// zero; bits past the last word are 0. Returns the number of non-zero words.
uint32_t nonzero_word_bitmap(const int8_t* w, uint32_t n, uint32_t weights_per_word, uint64_t* bitmap);
/// Writes the indices (ascending) and values of the non-zero weights of w[0..n) (n <= 65536) to idx
/// and val (room for n each); returns their count.
uint32_t sparse_row(const int8_t* w, uint32_t n, uint16_t* idx, int8_t* val);

}  // namespace neurochip::hw::kernels
