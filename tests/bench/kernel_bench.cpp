// Micro-benchmark of the datapath row kernels (hw_model/core/row_kernels.h; SPEC.md §2.4 STEP, §2.6
// PROP): for every instruction-set variant the host runs and both storage widths (int16, int32) it
// measures (1) the cost of one PROP row and of one STEP sweep, (2) the zero-weight skipping paths
// (non-zero-word bitmap, sparse list) at several connection densities, and (3) each given workload
// replayed through the kernels alone (STEP sweep + PROP rows per timestep, no SystemC, no SRAM
// counters), checked spike for spike against the functional reference.
// Usage: neurochip_kernel_bench [--replay-only] [--isa generic|avx2|avx512] [CONFIG...]
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "config/config_loader.h"
#include "core/neuron_models/lif.h"
#include "io/workload_stimulus.h"
#include "core/row_kernels.h"
#include "reference/functional_model.h"

namespace {

namespace k = neurochip::hw::kernels;
using Clock = std::chrono::steady_clock;

double now_s() { return std::chrono::duration<double>(Clock::now().time_since_epoch()).count(); }

/// SplitMix64.
struct Rng {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  bool chance(double p) { return static_cast<double>(next() >> 11) < p * 9007199254740992.0; }
};

/// Best time per call of f over `batches` batches of `calls` calls.
template <class F>
double best_ns(int batches, int calls, F&& f) {
  double best = 1e30;
  for (int b = 0; b < batches; ++b) {
    const double t0 = now_s();
    for (int c = 0; c < calls; ++c) f(c);
    best = std::min(best, (now_s() - t0) / calls);
  }
  return best * 1e9;
}

/// A pool of rows x n weights, each present with probability `density`, uniform in [-20, 20]; with
/// band > 0 each row is instead dense within one random window of band * n neurons starting on a word
/// boundary (structured connectivity, e.g. a population projecting to a sub-range of neurons).
struct RowPool {
  uint32_t rows, n, per_word;
  std::vector<int8_t> w;
  std::vector<uint64_t> bitmaps;
  uint32_t entries;
  std::vector<uint16_t> idx;
  std::vector<int8_t> val;
  std::vector<uint32_t> nnz;
  double nonzero_words = 0;

  RowPool(uint32_t rows_, uint32_t n_, double density, uint32_t per_word_, uint64_t seed, double band = 0)
      : rows(rows_), n(n_), per_word(per_word_), w(size_t{rows_} * n_), entries(k::bitmap_entries(n_, per_word_)),
        idx(size_t{rows_} * n_), val(size_t{rows_} * n_), nnz(rows_) {
    Rng rng{seed};
    const auto weight = [&] { return static_cast<int8_t>(static_cast<int>(rng.next() % 40) + 1 - 20 * (rng.next() & 1)); };
    if (band > 0) {
      const uint32_t width = static_cast<uint32_t>(band * n), words = n / per_word;
      for (uint32_t r = 0; r < rows; ++r) {
        const uint32_t start = static_cast<uint32_t>(rng.next() % (words - width / per_word + 1)) * per_word;
        for (uint32_t j = start; j < start + width; ++j) w[size_t{r} * n + j] = weight();
      }
    } else {
      for (auto& v : w) v = rng.chance(density) ? weight() : 0;
    }
    bitmaps.resize(size_t{rows} * entries);
    uint64_t nz = 0;
    for (uint32_t r = 0; r < rows; ++r) {
      nz += k::nonzero_word_bitmap(row(r), n, per_word, &bitmaps[size_t{r} * entries]);
      nnz[r] = k::sparse_row(row(r), n, &idx[size_t{r} * n], &val[size_t{r} * n]);
    }
    nonzero_words = static_cast<double>(nz) / (double{1} * rows * ((n + per_word - 1) / per_word));
  }
  const int8_t* row(uint32_t r) const { return &w[size_t{r} * n]; }
  /// A sequence of `count` row numbers visiting the pool in a fixed scattered order.
  std::vector<uint32_t> order(int count) const {
    std::vector<uint32_t> o(static_cast<size_t>(count));
    for (int c = 0; c < count; ++c) o[static_cast<size_t>(c)] = static_cast<uint32_t>(c * 7) % rows;
    return o;
  }
  const uint64_t* bitmap(uint32_t r) const { return &bitmaps[size_t{r} * entries]; }
};

constexpr int kBatches = 15;

template <class T>
void bench_rows(const k::RowKernels& kern, const RowPool& pool) {
  const uint32_t n = pool.n;
  std::vector<T> u(n, 100), ref(n, 0);
  const int calls = 20000;
  const std::vector<uint32_t> order = pool.order(calls + 1);
  const auto r = [&](int c) { return order[static_cast<size_t>(c)]; };
  const double acc = best_ns(kBatches, calls, [&](int c) { kern.accumulate_row(u.data(), static_cast<const T*>(nullptr), pool.row(r(c)), 3, n); });
  const double accm = best_ns(kBatches, calls, [&](int c) { kern.accumulate_row(u.data(), ref.data(), pool.row(r(c)), 3, n); });
  const double acc2 = best_ns(kBatches, calls, [&](int c) {
    kern.accumulate_row2(u.data(), static_cast<const T*>(nullptr), pool.row(r(c)), 3, pool.row(r(c + 1)), 3, n);
  });
  const double acc2m = best_ns(kBatches, calls, [&](int c) {
    kern.accumulate_row2(u.data(), ref.data(), pool.row(r(c)), 3, pool.row(r(c + 1)), 3, n);
  });
  std::printf("  %-8s int%-3zu row: %7.1f ns  masked %7.1f ns  two rows %7.1f ns  two masked %7.1f ns\n",
              k::isa_name(kern.isa()), sizeof(T) * 8, acc, accm, acc2, acc2m);
}

template <class T>
void bench_step(const k::RowKernels& kern, uint32_t n) {
  Rng rng{42};
  std::vector<T> u0(n), ref0(n, 0), u(n), ref(n);
  for (auto& v : u0) v = static_cast<T>(static_cast<int>(rng.next() % 730) - 100);  // 2.2 % at or above 614
  std::vector<uint8_t> z(n);
  std::vector<uint32_t> spikes(n);
  k::LifStepParams p{614, 0x7999, true, 0};
  const int calls = 20000;
  const double copy = best_ns(kBatches, calls, [&](int) {
    std::memcpy(u.data(), u0.data(), n * sizeof(T));
    std::memcpy(ref.data(), ref0.data(), n * sizeof(T));
    asm volatile("" : : "r"(u.data()), "r"(ref.data()) : "memory");
  });
  uint64_t fired = 0;
  const double step = best_ns(kBatches, calls, [&](int) {
    std::memcpy(u.data(), u0.data(), n * sizeof(T));
    std::memcpy(ref.data(), ref0.data(), n * sizeof(T));
    fired += kern.lif_step_sweep(u.data(), ref.data(), z.data(), spikes.data(), n, p);
  });
  std::printf("  %-8s int%-3zu LIF STEP sweep of %u neurons: %7.1f ns (%.1f spikes/sweep)\n", k::isa_name(kern.isa()),
              sizeof(T) * 8, n, step - copy, static_cast<double>(fired) / (kBatches * calls));
}

template <class T>
void accumulate_word_runs(const k::RowKernels& kern, T* u, const T* ref, const int8_t* w1, int s1,
                          const uint64_t* nz1, const int8_t* w2, int s2, const uint64_t* nz2, uint32_t n,
                          uint32_t per_word);

/// Dense vs zero-word bitmap vs sparse list on rows of the given density.
template <class T>
void bench_skip(const k::RowKernels& kern, double density, uint32_t n, double band = 0) {
  const RowPool pool(320, n, density, 16, 1234 + static_cast<uint64_t>(density * 1000), band);
  std::vector<T> u(n, 100), ref(n, 0);
  const T* no_ref = nullptr;
  const int calls = 20000;
  const std::vector<uint32_t> order = pool.order(calls + 1);
  const auto r = [&](int c) { return order[static_cast<size_t>(c)]; };
  const double dense = best_ns(kBatches, calls, [&](int c) { kern.accumulate_row(u.data(), no_ref, pool.row(r(c)), 3, n); });
  const double runs = best_ns(kBatches, calls, [&](int c) {
    accumulate_word_runs<T>(kern, u.data(), no_ref, pool.row(r(c)), 3, pool.bitmap(r(c)), nullptr, 0, nullptr, n,
                            pool.per_word);
  });
  const double words = best_ns(kBatches, calls, [&](int c) {
    kern.accumulate_row_words(u.data(), no_ref, pool.row(r(c)), 3, n, pool.bitmap(r(c)), pool.per_word);
  });
  const double sparse = best_ns(kBatches, calls, [&](int c) {
    const uint32_t row = r(c);
    kern.accumulate_sparse(u.data(), no_ref, &pool.idx[size_t{row} * n], &pool.val[size_t{row} * n], pool.nnz[row], 3);
  });
  const std::string what = band > 0 ? "band " + std::to_string(static_cast<int>(band * 100)) + " %" : "density";
  std::printf("  %-8s int%-3zu n=%-5u %-8s %5.1f %% (%5.1f %% words non-zero): dense %7.1f  word runs %7.1f"
              "  skip words %7.1f  sparse %7.1f ns/row\n",
              k::isa_name(kern.isa()), sizeof(T) * 8, n, what.c_str(), (band > 0 ? band : density) * 100,
              pool.nonzero_words * 100, dense, runs, words, sparse);
}

// ---- whole-workload replay through the kernels ---------------------------------------------

enum class PropPath { kByteScan, kDense, kWordRuns, kWords, kSparse, kAuto };
const char* path_name(PropPath p) {
  switch (p) {
    case PropPath::kByteScan: return "dense, index by index scan";
    case PropPath::kDense: return "dense";
    case PropPath::kWordRuns: return "runs of non-zero words";
    case PropPath::kWords: return "skip zero words";
    case PropPath::kSparse: return "sparse lists";
    case PropPath::kAuto: return "auto";
  }
  return "?";
}

/// The per-row indexes of one weight matrix (pre x post).
struct MatrixIndex {
  uint32_t post = 0, per_word = 16, entries = 0, words = 0;
  std::vector<uint64_t> bitmaps;
  std::vector<uint32_t> nonzero_words;
  std::vector<uint16_t> idx;
  std::vector<int8_t> val;
  std::vector<uint32_t> nnz;

  MatrixIndex(const std::vector<int8_t>& w, uint32_t pre, uint32_t post_, uint32_t per_word_)
      : post(post_), per_word(per_word_), entries(k::bitmap_entries(post_, per_word_)),
        words((post_ + per_word_ - 1) / per_word_), bitmaps(size_t{pre} * entries), nonzero_words(pre),
        idx(size_t{pre} * post_), val(size_t{pre} * post_), nnz(pre) {
    for (uint32_t i = 0; i < pre; ++i) {
      nonzero_words[i] = k::nonzero_word_bitmap(&w[size_t{i} * post], post, per_word, &bitmaps[size_t{i} * entries]);
      nnz[i] = k::sparse_row(&w[size_t{i} * post], post, &idx[size_t{i} * post], &val[size_t{i} * post]);
    }
  }
  const uint64_t* bitmap(uint32_t i) const { return &bitmaps[size_t{i} * entries]; }
  const uint16_t* index(uint32_t i) const { return &idx[size_t{i} * post]; }
  const int8_t* values(uint32_t i) const { return &val[size_t{i} * post]; }
};

/// The alternative to the block-skipping kernel that was measured against it: every maximal run of
/// non-zero words goes to the dense kernel as one range (one call per run).
template <class T>
void accumulate_word_runs(const k::RowKernels& kern, T* u, const T* ref, const int8_t* w1, int s1,
                          const uint64_t* nz1, const int8_t* w2, int s2, const uint64_t* nz2, uint32_t n,
                          uint32_t per_word) {
  const uint32_t words = (n + per_word - 1) / per_word;
  const auto range = [&](uint32_t begin, uint32_t end) {
    const uint32_t j = begin * per_word, len = std::min(end * per_word, n) - j;
    if (w2) {
      kern.accumulate_row2(u + j, ref ? ref + j : nullptr, w1 + j, s1, w2 + j, s2, len);
    } else {
      kern.accumulate_row(u + j, ref ? ref + j : nullptr, w1 + j, s1, len);
    }
  };
  uint32_t run_begin = 0, run_end = 0;
  for (uint32_t b = 0; b < words; ++b) {
    const bool set = ((nz1[b / 64] >> (b % 64)) & 1) || (nz2 && ((nz2[b / 64] >> (b % 64)) & 1));
    if (!set) continue;
    if (b != run_end) {
      if (run_end > run_begin) range(run_begin, run_end);
      run_begin = b;
    }
    run_end = b + 1;
  }
  if (run_end > run_begin) range(run_begin, run_end);
}

template <class T>
class Replay {
 public:
  Replay(const neurochip::hw::CoreConfig& cfg, const neurochip::hw::CoreImage& image,
         const std::vector<std::vector<uint32_t>>& events)
      : cfg_(cfg), image_(image), events_(events), n_in_(cfg.enabled.inputs), n_(cfg.enabled.neurons),
        in_(image.input_weights, n_in_, n_, cfg.memory.input_weight_sram.word_bits / cfg.weights.bits),
        rec_(image.recurrent_weights, n_, n_, cfg.memory.recurrent_weight_sram.word_bits / cfg.weights.bits) {}

  /// Runs all timesteps; appends (timestep, neuron) of every spike to `spikes_out`.
  void run(const k::RowKernels& kern, PropPath path, std::vector<std::pair<uint64_t, uint32_t>>& spikes_out) {
    const uint32_t scan = std::max(n_in_, n_);
    std::vector<T> u(n_, 0), ref(n_, 0);
    std::vector<k::AdaptationT<T>> a(n_, 0);
    std::vector<uint8_t> x(n_in_, 0), z(n_, 0);
    std::vector<uint32_t> spikes(n_), active(scan);
    const auto& np = cfg_.neuron;
    const bool alif = np.model().name == "alif";
    const k::AlifStepParams p{neurochip::hw::lif::kernel_params(np),
                              alif ? static_cast<uint32_t>(np.get("adaptation_rho")) : 0u,
                              alif ? static_cast<int32_t>(np.get("adaptation_increment")) : 0};
    const T* r = np.get("refractory_steps") ? ref.data() : nullptr;
    const int s_in = cfg_.weights.input_shift, s_rec = cfg_.weights.recurrent_shift;
    const int8_t* w_in = image_.input_weights.data();
    const int8_t* w_rec = image_.recurrent_weights.data();
    for (uint64_t t = 0; t < events_.size(); ++t) {
      for (uint32_t axon : events_[t]) x[axon] = 1;
      const uint32_t fired = alif ? kern.alif_step_sweep(u.data(), ref.data(), a.data(), z.data(), spikes.data(), n_, p)
                                  : kern.lif_step_sweep(u.data(), ref.data(), z.data(), spikes.data(), n_, p.lif);
      for (uint32_t s = 0; s < fired; ++s) spikes_out.emplace_back(t, spikes[s]);
      uint32_t n_active = 0;
      if (path == PropPath::kByteScan) {
        for (uint32_t i = 0; i < scan; ++i)
          if ((i < n_in_ && x[i]) || (i < n_ && z[i])) active[n_active++] = i;
      } else {
        n_active = kern.active_indices(x.data(), n_in_, z.data(), n_, active.data());
      }
      for (uint32_t ai = 0; ai < n_active; ++ai) {
        const uint32_t i = active[ai];
        const bool xi = i < n_in_ && x[i], zi = i < n_ && z[i];
        const int8_t* wi = xi ? w_in + size_t{i} * n_ : nullptr;
        const int8_t* wr = zi ? w_rec + size_t{i} * n_ : nullptr;
        PropPath use = path;
        if (use == PropPath::kAuto) {
          const uint32_t nnz = (xi ? in_.nnz[i] : 0) + (zi ? rec_.nnz[i] : 0);
          const uint32_t nzw = (xi ? in_.nonzero_words[i] : 0) + (zi ? rec_.nonzero_words[i] : 0);
          switch (kern.choose_path<T>(n_, nnz, nzw, in_.words)) {
            case k::RowKernels::Path::kSparse: use = PropPath::kSparse; break;
            case k::RowKernels::Path::kWords: use = PropPath::kWords; break;
            case k::RowKernels::Path::kDense: use = PropPath::kDense; break;
          }
        }
        const uint64_t* bi = xi ? in_.bitmap(i) : nullptr;
        const uint64_t* br = zi ? rec_.bitmap(i) : nullptr;
        switch (use) {
          case PropPath::kByteScan:
          case PropPath::kDense:
          case PropPath::kAuto:
            if (xi && zi) {
              kern.accumulate_row2(u.data(), r, wi, s_in, wr, s_rec, n_);
            } else {
              kern.accumulate_row(u.data(), r, xi ? wi : wr, xi ? s_in : s_rec, n_);
            }
            break;
          case PropPath::kWordRuns:
            accumulate_word_runs(kern, u.data(), r, xi ? wi : wr, xi ? s_in : s_rec, xi ? bi : br, xi && zi ? wr : nullptr,
                                 s_rec, xi && zi ? br : nullptr, n_, in_.per_word);
            break;
          case PropPath::kWords:
            if (xi && zi) {
              kern.accumulate_row2_words(u.data(), r, wi, s_in, bi, wr, s_rec, br, n_, in_.per_word);
            } else {
              kern.accumulate_row_words(u.data(), r, xi ? wi : wr, xi ? s_in : s_rec, n_, xi ? bi : br, in_.per_word);
            }
            break;
          case PropPath::kSparse:
            if (xi && zi) {
              kern.accumulate_sparse2(u.data(), r, in_.index(i), in_.values(i), in_.nnz[i], s_in, rec_.index(i),
                                      rec_.values(i), rec_.nnz[i], s_rec);
            } else if (xi) {
              kern.accumulate_sparse(u.data(), r, in_.index(i), in_.values(i), in_.nnz[i], s_in);
            } else {
              kern.accumulate_sparse(u.data(), r, rec_.index(i), rec_.values(i), rec_.nnz[i], s_rec);
            }
            break;
        }
      }
      for (uint32_t axon : events_[t]) x[axon] = 0;
    }
  }

 private:
  const neurochip::hw::CoreConfig& cfg_;
  const neurochip::hw::CoreImage& image_;
  const std::vector<std::vector<uint32_t>>& events_;
  uint32_t n_in_, n_;
  MatrixIndex in_, rec_;
};

using SpikeList = std::vector<std::pair<uint64_t, uint32_t>>;

/// Variants to measure (all of the host's unless --isa names one).
std::vector<k::Isa> g_isas;

struct ReplayCase {
  k::Isa isa;
  PropPath path;
  int bits;
  double best = 1e30;
  bool same = true;
};

void bench_workload(const std::string& path) {
  using namespace neurochip;
  const sim::RunConfig rc = sim::load_run_config(path);
  const hw::InputSchedule stimulus = sim::stimulus_schedule(rc);
  const uint64_t steps = rc.workload.timesteps;
  const sim::RunResult reference = sim::run_functional(rc.chip, rc.image, stimulus, steps, false);
  uint64_t events = 0;
  for (const auto& c : reference.counters) events += c.synaptic_events;
  std::printf("\nworkload %s: %llu timesteps, %zu spikes, %llu synaptic events (kernels only, no SystemC;"
              " best of 7 interleaved runs)\n",
              path.c_str(), static_cast<unsigned long long>(steps), reference.spikes.size(),
              static_cast<unsigned long long>(events));
  for (size_t c = 0; c < rc.chip.cores.size(); ++c) {
    const hw::CoreConfig& cfg = rc.chip.cores[c];
    const uint32_t per_word = cfg.memory.recurrent_weight_sram.word_bits / cfg.weights.bits;
    const MatrixIndex rec(rc.image.cores[c].recurrent_weights, cfg.enabled.neurons, cfg.enabled.neurons, per_word);
    uint64_t nz_words = 0, nnz = 0;
    for (uint32_t i = 0; i < cfg.enabled.neurons; ++i) {
      nz_words += rec.nonzero_words[i];
      nnz += rec.nnz[i];
    }
    std::printf("  core %zu recurrent matrix: %.1f %% weights non-zero, %.1f %% of %u-weight words non-zero\n", c,
                100.0 * nnz / (double{1} * cfg.enabled.neurons * cfg.enabled.neurons),
                100.0 * nz_words / (double{1} * cfg.enabled.neurons * rec.words), per_word);
  }
  // Per core: events of every timestep and the reference spikes.
  std::vector<std::vector<std::vector<uint32_t>>> core_events(rc.chip.cores.size(),
                                                              std::vector<std::vector<uint32_t>>(steps));
  for (uint64_t t = 0; t < std::min<uint64_t>(steps, stimulus.size()); ++t)
    for (const auto& e : stimulus[t]) core_events[e.core][t].push_back(e.address);
  std::vector<SpikeList> expected(rc.chip.cores.size());
  for (const auto& s : reference.spikes) expected[s.core].emplace_back(s.timestep, s.neuron);

  std::vector<Replay<int16_t>> r16;
  std::vector<Replay<int32_t>> r32;
  for (size_t c = 0; c < rc.chip.cores.size(); ++c) {
    r16.emplace_back(rc.chip.cores[c], rc.image.cores[c], core_events[c]);
    r32.emplace_back(rc.chip.cores[c], rc.image.cores[c], core_events[c]);
  }
  std::vector<ReplayCase> cases;
  for (const k::Isa isa : g_isas)
    for (const PropPath pp : {PropPath::kByteScan, PropPath::kDense, PropPath::kWordRuns, PropPath::kWords,
                              PropPath::kSparse, PropPath::kAuto})
      for (int bits : {16, 32}) cases.push_back({isa, pp, bits});
  for (int rep = 0; rep < 7; ++rep) {
    for (ReplayCase& rcase : cases) {
      const k::RowKernels kern(rcase.isa);
      std::vector<SpikeList> got(rc.chip.cores.size());
      for (size_t c = 0; c < got.size(); ++c) got[c].reserve(expected[c].size());
      const double t0 = now_s();
      for (size_t c = 0; c < rc.chip.cores.size(); ++c) {
        if (rcase.bits == 16) {
          r16[c].run(kern, rcase.path, got[c]);
        } else {
          r32[c].run(kern, rcase.path, got[c]);
        }
      }
      rcase.best = std::min(rcase.best, now_s() - t0);
      for (size_t c = 0; c < got.size(); ++c) rcase.same = rcase.same && got[c] == expected[c];
    }
  }
  for (const ReplayCase& rcase : cases) {
    std::printf("  %-8s int%-2d %-28s %7.3f ms %9.0f timesteps/s %9.3e events/s %7.1f ns/timestep  spikes %s\n",
                k::isa_name(rcase.isa), rcase.bits, path_name(rcase.path), rcase.best * 1e3, steps / rcase.best,
                events / rcase.best, rcase.best / steps * 1e9, rcase.same ? "identical" : "DIFFER");
  }
}

int replay(const std::vector<std::string>& configs) {
  try {
    for (const std::string& c : configs) bench_workload(c);
  } catch (const neurochip::sim::ConfigError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::printf("row kernels: variants on this host:");
  for (k::Isa isa : k::available_isas()) std::printf(" %s", k::isa_name(isa));
  std::printf(" (best: %s)\n", k::isa_name(k::RowKernels::best().isa()));
  bool replay_only = false;
  std::vector<std::string> configs;
  g_isas = k::available_isas();
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--replay-only") {
      replay_only = true;
    } else if (arg == "--isa" && i + 1 < argc) {
      const std::string name = argv[++i];
      std::vector<k::Isa> keep;
      for (k::Isa isa : k::available_isas())
        if (name == k::isa_name(isa)) keep.push_back(isa);
      if (keep.empty()) {
        std::fprintf(stderr, "unknown or unavailable variant %s\n", name.c_str());
        return 2;
      }
      g_isas = keep;
    } else {
      configs.push_back(arg);
    }
  }
  if (replay_only) return replay(configs);

  std::printf("\n(1) one PROP row of n = 256 and n = 1024 neurons, dense 8-bit weights, shift 3\n");
  for (uint32_t n : {256u, 1024u}) {
    const RowPool pool(n == 256 ? 320 : 80, n, 1.0, 16, 99);
    std::printf(" n = %u\n", n);
    for (k::Isa isa : g_isas) {
      const k::RowKernels kern(isa);
      bench_rows<int16_t>(kern, pool);
      bench_rows<int32_t>(kern, pool);
    }
  }
  std::printf("\n(1b) one LIF STEP sweep (bench parameters: threshold 614, subtract reset, no refractory)\n");
  for (uint32_t n : {256u, 1024u}) {
    for (k::Isa isa : g_isas) {
      const k::RowKernels kern(isa);
      bench_step<int16_t>(kern, n);
      bench_step<int32_t>(kern, n);
    }
  }
  std::printf("\n(2) zero-weight skipping, K = 16 weights per 128-bit word, no refractory mask: random\n"
              "    connectivity at several densities, then rows dense within a window of 50 %% / 25 %% / 12.5 %%\n");
  for (uint32_t n : {256u, 1024u}) {
    for (double density : {1.0, 0.5, 0.1, 0.05, 0.02, 0.01}) {
      for (k::Isa isa : g_isas) {
        const k::RowKernels kern(isa);
        bench_skip<int16_t>(kern, density, n);
        bench_skip<int32_t>(kern, density, n);
      }
    }
    for (double band : {0.5, 0.25, 0.125}) {
      for (k::Isa isa : g_isas) {
        const k::RowKernels kern(isa);
        bench_skip<int16_t>(kern, 1.0, n, band);
        bench_skip<int32_t>(kern, 1.0, n, band);
      }
    }
  }
  return replay(configs);
}
