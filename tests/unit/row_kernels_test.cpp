// Unit tests of the datapath row kernels (hw_model/core/row_kernels.h) against scalar references
// written with hw::fxp (fixed_point.h), i.e. against SPEC.md §2.4 (STEP) and §2.6 (PROP): for every
// instruction-set variant this host can run and both storage widths, on 10^5 random rows per kernel
// (lengths 0..600 including non-multiples of every vector width, shifts 0..7, weights over the full
// 8-bit range including -128, membranes near both saturation limits, random refractory masks).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "common/fixed_point.h"
#include "core/row_kernels.h"

namespace {

namespace fxp = neurochip::hw::fxp;
namespace k = neurochip::hw::kernels;

constexpr int kRows = 100000;

/// Random rows biased towards the corner cases of the arithmetic.
class RowGen {
 public:
  explicit RowGen(uint64_t seed) : state_(seed) {}

  /// SplitMix64 (fast enough to draw every lane of 10^5 rows many times over).
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  int uniform(int lo, int hi) {
    return lo + static_cast<int>(next() % static_cast<uint64_t>(static_cast<int64_t>(hi) - lo + 1));
  }
  bool chance(double p) { return static_cast<double>(next() >> 11) < p * 9007199254740992.0; }

  uint32_t length() {
    if (chance(0.3)) return static_cast<uint32_t>(std::clamp(16 * uniform(0, 37) + uniform(-1, 1), 0, 600));
    return static_cast<uint32_t>(uniform(0, 600));
  }

  /// One draw per value: the low bits pick the kind, disjoint higher bits the value.
  int32_t membrane() {
    const uint64_t r = next();
    const int32_t offset = static_cast<int32_t>((r >> 8) % 3001);
    switch (r & 3) {
      case 0:
        return fxp::kPotentialMax - offset;
      case 1:
        return fxp::kPotentialMin + offset;
      case 2:
        return static_cast<int32_t>((r >> 8) % 1401) - 700;
      default:
        return static_cast<int16_t>(r >> 32);
    }
  }

  int8_t weight(double zero_p) {
    const uint64_t r = next();
    if (static_cast<double>(r >> 11) < zero_p * 9007199254740992.0) return 0;
    switch (r & 31) {
      case 0:
        return -128;
      case 1:
        return 127;
      default:
        return static_cast<int8_t>(r >> 8);
    }
  }

  /// Weights where whole K-lane words are zero with probability word_zero_p.
  std::vector<int8_t> weights(uint32_t n, uint32_t per_word, double word_zero_p, double zero_p) {
    std::vector<int8_t> w(n);
    for (uint32_t b = 0; b * per_word < n; ++b) {
      const bool zero_word = chance(word_zero_p);
      for (uint32_t j = b * per_word; j < std::min(n, (b + 1) * per_word); ++j) w[j] = zero_word ? 0 : weight(zero_p);
    }
    return w;
  }

  std::vector<int32_t> membranes(uint32_t n) {
    std::vector<int32_t> u(n);
    for (auto& v : u) v = membrane();
    return u;
  }

  /// Refractory counters: 0 with probability idle_p, else 1..255.
  std::vector<int32_t> refractory(uint32_t n, double idle_p) {
    std::vector<int32_t> r(n);
    for (auto& v : r) {
      const uint64_t x = next();
      v = static_cast<double>(x >> 11) < idle_p * 9007199254740992.0 ? 0 : ((x & 1) ? 1 : 1 + static_cast<int32_t>((x >> 1) % 255));
    }
    return r;
  }

  uint32_t per_word() {
    static constexpr uint32_t kCommon[] = {16, 32, 64, 8, 4, 2};
    return chance(0.7) ? kCommon[uniform(0, 5)] : static_cast<uint32_t>(uniform(1, 70));
  }

 private:
  uint64_t state_;
};

// ---- scalar references, written with fixed_point.h --------------------------------------------

void ref_accumulate(std::vector<int32_t>& u, const std::vector<int32_t>* ref, const std::vector<int8_t>& w1,
                    int s1, const std::vector<int8_t>* w2, int s2) {
  for (size_t j = 0; j < u.size(); ++j) {
    int32_t c = fxp::weight_contribution(w1[j], s1);
    if (w2) c = fxp::sat_add16(c, fxp::weight_contribution((*w2)[j], s2));
    if (ref == nullptr || (*ref)[j] == 0) u[j] = fxp::sat_add16(u[j], c);
  }
}

struct StepState {
  std::vector<int32_t> u, ref, a;
  std::vector<uint8_t> z;
  std::vector<uint32_t> spikes;
};

/// SPEC §2.4 per neuron, in order (the code of CoreDatapath::step).
void ref_step(StepState& s, const k::AlifStepParams& p, bool alif) {
  const k::LifStepParams& l = p.lif;
  s.z.assign(s.u.size(), 0);
  s.spikes.clear();
  for (uint32_t j = 0; j < s.u.size(); ++j) {
    const int32_t theta = alif ? fxp::sat16(static_cast<int64_t>(l.threshold) + s.a[j]) : l.threshold;
    bool fire = false;
    if (s.ref[j] > 0) {
      --s.ref[j];
    } else {
      fire = s.u[j] >= theta;
    }
    int32_t next = fxp::leak_alpha(s.u[j], l.alpha);
    if (fire) {
      next = l.reset_subtract ? fxp::sat16(static_cast<int64_t>(next) - l.threshold) : 0;
      s.ref[j] = static_cast<int32_t>(l.refractory_steps);
      s.spikes.push_back(j);
    }
    s.u[j] = next;
    if (alif) {
      s.a[j] = fxp::decay_adaptation(s.a[j], p.adaptation_rho);
      if (fire) s.a[j] = fxp::add_adaptation(s.a[j], p.adaptation_increment);
    }
    s.z[j] = fire ? 1 : 0;
  }
}

// ---- helpers -------------------------------------------------------------------------------

template <class T>
std::vector<T> narrow(const std::vector<int32_t>& v) {
  return std::vector<T>(v.begin(), v.end());
}

template <class T>
std::vector<int32_t> widen(const std::vector<T>& v) {
  return std::vector<int32_t>(v.begin(), v.end());
}

std::vector<k::RowKernels> all_variants() {
  std::vector<k::RowKernels> v;
  for (k::Isa isa : k::available_isas()) v.emplace_back(isa);
  return v;
}

std::string where(const k::RowKernels& kern, int bits, int row, uint32_t n) {
  return std::string(k::isa_name(kern.isa())) + " int" + std::to_string(bits) + " row " + std::to_string(row) +
         " n=" + std::to_string(n);
}

/// The kernel entry points under test, one of each family.
enum class Path { kDense, kWords, kSparse };

/// Runs one PROP row through `kern` with storage T along `path`.
template <class T>
std::vector<int32_t> run_prop(const k::RowKernels& kern, Path path, const std::vector<int32_t>& u0,
                              const std::vector<int32_t>* ref0, const std::vector<int8_t>& w1, int s1,
                              const std::vector<int8_t>* w2, int s2, uint32_t per_word) {
  const uint32_t n = static_cast<uint32_t>(u0.size());
  std::vector<T> u = narrow<T>(u0);
  std::vector<T> ref = ref0 ? narrow<T>(*ref0) : std::vector<T>();
  const T* r = ref0 ? ref.data() : nullptr;
  switch (path) {
    case Path::kDense:
      if (w2) {
        kern.accumulate_row2(u.data(), r, w1.data(), s1, w2->data(), s2, n);
      } else {
        kern.accumulate_row(u.data(), r, w1.data(), s1, n);
      }
      break;
    case Path::kWords: {
      std::vector<uint64_t> b1(k::bitmap_entries(n, per_word) + 1, ~uint64_t{0});
      std::vector<uint64_t> b2(b1.size(), ~uint64_t{0});
      k::nonzero_word_bitmap(w1.data(), n, per_word, b1.data());
      if (w2) {
        k::nonzero_word_bitmap(w2->data(), n, per_word, b2.data());
        kern.accumulate_row2_words(u.data(), r, w1.data(), s1, b1.data(), w2->data(), s2, b2.data(), n, per_word);
      } else {
        kern.accumulate_row_words(u.data(), r, w1.data(), s1, n, b1.data(), per_word);
      }
      break;
    }
    case Path::kSparse: {
      std::vector<uint16_t> i1(n), i2(n);
      std::vector<int8_t> v1(n), v2(n);
      const uint32_t c1 = k::sparse_row(w1.data(), n, i1.data(), v1.data());
      if (w2) {
        const uint32_t c2 = k::sparse_row(w2->data(), n, i2.data(), v2.data());
        kern.accumulate_sparse2(u.data(), r, i1.data(), v1.data(), c1, s1, i2.data(), v2.data(), c2, s2);
      } else {
        kern.accumulate_sparse(u.data(), r, i1.data(), v1.data(), c1, s1);
      }
      break;
    }
  }
  if (ref0) {
    EXPECT_EQ(widen(ref), *ref0) << "the refractory counters are read-only in PROP";
  }
  return widen(u);
}

/// 10^5 random rows through `path`, single-row or input+recurrent, against ref_accumulate.
void check_prop(Path path, bool two, uint64_t seed) {
  const std::vector<k::RowKernels> variants = all_variants();
  RowGen g(seed);
  for (int row = 0; row < kRows; ++row) {
    const uint32_t n = g.length();
    const uint32_t per_word = g.per_word();
    const double word_zero_p = path == Path::kDense ? 0.05 : g.uniform(0, 10) / 10.0;
    const double zero_p = g.uniform(0, 10) / 10.0;
    const int s1 = g.uniform(0, fxp::kMaxWeightShift), s2 = g.uniform(0, fxp::kMaxWeightShift);
    const std::vector<int32_t> u0 = g.membranes(n);
    const std::vector<int8_t> w1 = g.weights(n, per_word, word_zero_p, zero_p);
    const std::vector<int8_t> w2 = g.weights(n, per_word, word_zero_p, zero_p);
    const bool masked = g.chance(0.7);
    const std::vector<int32_t> ref0 = g.refractory(n, g.uniform(0, 10) / 10.0);
    const std::vector<int32_t>* ref = masked ? &ref0 : nullptr;
    std::vector<int32_t> expected = u0;
    ref_accumulate(expected, ref, w1, s1, two ? &w2 : nullptr, s2);
    for (const k::RowKernels& kern : variants) {
      ASSERT_EQ(run_prop<int16_t>(kern, path, u0, ref, w1, s1, two ? &w2 : nullptr, s2, per_word), expected)
          << where(kern, 16, row, n) << " s1=" << s1 << " s2=" << s2 << " K=" << per_word;
      ASSERT_EQ(run_prop<int32_t>(kern, path, u0, ref, w1, s1, two ? &w2 : nullptr, s2, per_word), expected)
          << where(kern, 32, row, n) << " s1=" << s1 << " s2=" << s2 << " K=" << per_word;
    }
  }
}

TEST(RowKernels, GenericVariantAlwaysAvailableAndBestIsLast) {
  const std::vector<k::Isa> isas = k::available_isas();
  ASSERT_FALSE(isas.empty());
  EXPECT_EQ(isas.front(), k::Isa::kGeneric);
  EXPECT_EQ(k::RowKernels::best().isa(), isas.back());
  for (k::Isa isa : isas) std::printf("row kernel variant available: %s\n", k::isa_name(isa));
}

TEST(RowKernels, AccumulateRowMatchesSpec) { check_prop(Path::kDense, false, 1); }
TEST(RowKernels, AccumulateRow2MatchesSpec) { check_prop(Path::kDense, true, 2); }
TEST(RowKernels, AccumulateRowWordsMatchesSpec) { check_prop(Path::kWords, false, 3); }
TEST(RowKernels, AccumulateRow2WordsMatchesSpec) { check_prop(Path::kWords, true, 4); }
TEST(RowKernels, AccumulateSparseMatchesSpec) { check_prop(Path::kSparse, false, 5); }
TEST(RowKernels, AccumulateSparse2MatchesSpec) { check_prop(Path::kSparse, true, 6); }

TEST(RowKernels, SaturationCornersAtEveryLane) {
  // u = 32767 + 127 << 7 must clamp to 32767 and u = -32768 + (-128 << 7) to -32768, in every lane
  // position of a 600-neuron row (main loop and tails alike).
  for (const k::RowKernels& kern : all_variants()) {
    for (uint32_t n : {1u, 15u, 16u, 17u, 31u, 32u, 33u, 600u}) {
      std::vector<int16_t> hi(n, 32767), lo(n, -32768);
      const std::vector<int8_t> wp(n, 127), wn(n, -128);
      kern.accumulate_row(hi.data(), static_cast<const int16_t*>(nullptr), wp.data(), 7, n);
      kern.accumulate_row(lo.data(), static_cast<const int16_t*>(nullptr), wn.data(), 7, n);
      EXPECT_EQ(hi, std::vector<int16_t>(n, 32767)) << k::isa_name(kern.isa()) << " n=" << n;
      EXPECT_EQ(lo, std::vector<int16_t>(n, -32768)) << k::isa_name(kern.isa()) << " n=" << n;
    }
  }
}

TEST(RowKernels, NonzeroWordBitmapAndSparseRow) {
  RowGen g(7);
  for (int row = 0; row < 20000; ++row) {
    const uint32_t n = g.length(), per_word = g.per_word();
    const std::vector<int8_t> w = g.weights(n, per_word, g.uniform(0, 10) / 10.0, g.uniform(0, 10) / 10.0);
    std::vector<uint64_t> bitmap(k::bitmap_entries(n, per_word), ~uint64_t{0});
    const uint32_t count = k::nonzero_word_bitmap(w.data(), n, per_word, bitmap.data());
    uint32_t expected_count = 0;
    for (uint32_t b = 0; b < bitmap.size() * 64; ++b) {
      bool any = false;
      for (uint32_t j = b * per_word; j < std::min(n, (b + 1) * per_word); ++j) any |= w[j] != 0;
      ASSERT_EQ((bitmap[b / 64] >> (b % 64)) & 1, any ? 1u : 0u) << "row " << row << " word " << b;
      expected_count += any;
    }
    EXPECT_EQ(count, expected_count);
    std::vector<uint16_t> idx(n);
    std::vector<int8_t> val(n);
    const uint32_t nnz = k::sparse_row(w.data(), n, idx.data(), val.data());
    std::vector<int8_t> rebuilt(n, 0);
    for (uint32_t i = 0; i < nnz; ++i) {
      if (i > 0) {
        ASSERT_LT(idx[i - 1], idx[i]);
      }
      rebuilt[idx[i]] = val[i];
    }
    EXPECT_EQ(rebuilt, w);
    EXPECT_EQ(nnz, static_cast<uint32_t>(n - std::count(w.begin(), w.end(), 0)));
  }
}

TEST(RowKernels, ActiveIndicesAreTheEventsInAscendingOrder) {
  const std::vector<k::RowKernels> variants = all_variants();
  RowGen g(8);
  for (int row = 0; row < kRows; ++row) {
    const uint32_t nx = g.length(), nz = g.chance(0.3) ? nx : g.length();
    const double px = g.uniform(0, 20) / 100.0, pz = g.uniform(0, 20) / 100.0;
    std::vector<uint8_t> x(nx), z(nz);
    for (auto& b : x) b = g.chance(px) ? static_cast<uint8_t>(g.uniform(1, 255)) : 0;
    for (auto& b : z) b = g.chance(pz) ? 1 : 0;
    std::vector<uint32_t> expected;
    for (uint32_t i = 0; i < std::max(nx, nz); ++i)
      if ((i < nx && x[i]) || (i < nz && z[i])) expected.push_back(i);
    for (const k::RowKernels& kern : variants) {
      std::vector<uint32_t> got(std::max(nx, nz) + 1, 0xFFFFFFFF);
      got.resize(kern.active_indices(x.data(), nx, z.data(), nz, got.data()));
      ASSERT_EQ(got, expected) << k::isa_name(kern.isa()) << " row " << row << " nx=" << nx << " nz=" << nz;
    }
  }
}

k::AlifStepParams random_step_params(RowGen& g) {
  k::AlifStepParams p;
  static constexpr uint32_t kAlphas[] = {0, 1, 0x4000, 0x7FEF, 0x7FFF, 0x8000};
  static constexpr int32_t kThresholds[] = {1, 2, 614, 32766, 32767};
  p.lif.threshold = g.chance(0.3) ? kThresholds[g.uniform(0, 4)] : g.uniform(1, 32767);
  p.lif.alpha = g.chance(0.5) ? kAlphas[g.uniform(0, 5)] : static_cast<uint32_t>(g.uniform(0, 0x8000));
  p.lif.reset_subtract = g.chance(0.5);
  p.lif.refractory_steps = g.chance(0.3) ? 0u : static_cast<uint32_t>(g.uniform(0, 255));
  p.adaptation_rho = g.chance(0.5) ? kAlphas[g.uniform(0, 5)] : static_cast<uint32_t>(g.uniform(0, 0x8000));
  p.adaptation_increment = g.chance(0.2) ? (g.chance(0.5) ? 0 : 65535) : g.uniform(0, 65535);
  return p;
}

template <class T>
StepState run_step(const k::RowKernels& kern, const StepState& s0, const k::AlifStepParams& p, bool alif) {
  const uint32_t n = static_cast<uint32_t>(s0.u.size());
  std::vector<T> u = narrow<T>(s0.u), ref = narrow<T>(s0.ref);
  std::vector<k::AdaptationT<T>> a(s0.a.begin(), s0.a.end());
  StepState out;
  out.z.assign(n, 0xEE);
  out.spikes.assign(n, 0xDEADBEEF);
  const uint32_t count = alif ? kern.alif_step_sweep(u.data(), ref.data(), a.data(), out.z.data(), out.spikes.data(), n, p)
                              : kern.lif_step_sweep(u.data(), ref.data(), out.z.data(), out.spikes.data(), n, p.lif);
  out.spikes.resize(std::min(count, n));
  EXPECT_LE(count, n);
  out.u = widen(u);
  out.ref = widen(ref);
  out.a.assign(a.begin(), a.end());
  return out;
}

void check_step(bool alif, uint64_t seed) {
  const std::vector<k::RowKernels> variants = all_variants();
  RowGen g(seed);
  for (int row = 0; row < kRows; ++row) {
    const uint32_t n = g.length();
    const k::AlifStepParams p = random_step_params(g);
    StepState s0;
    s0.u = g.membranes(n);
    if (g.chance(0.5)) {
      // Membranes around the threshold so that about half the neurons spike.
      for (auto& v : s0.u) v = std::clamp(p.lif.threshold + g.uniform(-3, 3), fxp::kPotentialMin, fxp::kPotentialMax);
    }
    s0.ref = g.refractory(n, g.uniform(0, 10) / 10.0);
    s0.a.resize(n);
    for (auto& v : s0.a) v = g.chance(0.3) ? (g.chance(0.5) ? 0 : g.uniform(65000, 65535)) : g.uniform(0, 65535);
    if (!alif) std::fill(s0.a.begin(), s0.a.end(), 0);
    StepState expected = s0;
    ref_step(expected, p, alif);
    for (const k::RowKernels& kern : variants) {
      for (int bits : {16, 32}) {
        const StepState got = bits == 16 ? run_step<int16_t>(kern, s0, p, alif) : run_step<int32_t>(kern, s0, p, alif);
        const std::string ctx = where(kern, bits, row, n) + " threshold=" + std::to_string(p.lif.threshold) +
                                " alpha=" + std::to_string(p.lif.alpha) + " rho=" + std::to_string(p.adaptation_rho);
        ASSERT_EQ(got.u, expected.u) << ctx;
        ASSERT_EQ(got.ref, expected.ref) << ctx;
        ASSERT_EQ(got.z, expected.z) << ctx;
        ASSERT_EQ(got.spikes, expected.spikes) << ctx;
        if (alif) {
          ASSERT_EQ(got.a, expected.a) << ctx;
        }
      }
    }
  }
}

TEST(RowKernels, LifStepSweepMatchesSpec) { check_step(false, 11); }
TEST(RowKernels, AlifStepSweepMatchesSpec) { check_step(true, 12); }

}  // namespace
