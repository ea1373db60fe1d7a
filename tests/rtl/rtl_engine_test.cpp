// Lockstep equivalence of the e-prop engine RTL (rtl/eprop_engine.sv, SPEC.md §6) with the C++ model
// hw::EpropEngine: random networks (I, R, O, neurons per word, rounding, alphas incl. word alphas,
// every learning knob, regulariser, seeds) run random timesteps — trace decay, the EPROP phase on
// random membranes and readouts, trace increments — on both. Checked: every weight write (order,
// address, each lane), every trace after every command, the weight LFSR states, the weight-SRAM read
// counts, the neuron-SRAM reads of SPEC §6.4, and that EPROP takes exactly EpropEngine::cycles. A second
// model built with EPROP_FAULT_ROUNDING (the learning signal's shift rounds negative values toward 0)
// must be reported at its first divergence, a weight of a post whose learning signal the fault changes.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <iostream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "Veprop_engine.h"
#include "Veprop_engine_fault.h"
#include "common/int_math.h"
#include "learning/eprop_engine.h"

namespace {

using namespace neurochip::hw;
using Matrix = EpropWeights::Matrix;

constexpr uint32_t kSlots = NEUROCHIP_RTL_SLOTS;  // N_SLOTS of the Verilated engine

/// One weight word write.
struct Write {
  uint32_t pre = 0, word = 0;
  std::array<int8_t, kEpropLanes> w{};
};

/// The three weight matrices, dense, behind the engine's word interface (lanes beyond the matrix
/// read 0 and are not written), recording every write and counting reads.
class Weights : public EpropWeights {
 public:
  Weights(uint32_t inputs, uint32_t neurons, uint32_t readouts)
      : posts_{neurons, neurons, readouts},
        w_{std::vector<int8_t>(size_t{inputs} * neurons), std::vector<int8_t>(size_t{neurons} * neurons),
           std::vector<int8_t>(size_t{neurons} * readouts)} {}
  int8_t& at(Matrix m, uint32_t pre, uint32_t post) { return w_[int(m)][size_t{pre} * posts_[int(m)] + post]; }
  uint32_t posts(Matrix m) const { return posts_[int(m)]; }
  void read(Matrix m, uint32_t pre, uint32_t word, int8_t* w) override {
    ++reads[int(m)];
    for (uint32_t l = 0; l < kEpropLanes; ++l) {
      const uint32_t post = word * kEpropLanes + l;
      w[l] = post < posts_[int(m)] ? at(m, pre, post) : 0;
    }
  }
  void write(Matrix m, uint32_t pre, uint32_t word, const int8_t* w) override {
    Write rec{pre, word, {}};
    for (uint32_t l = 0; l < kEpropLanes; ++l) {
      rec.w[l] = w[l];
      const uint32_t post = word * kEpropLanes + l;
      if (post < posts_[int(m)]) at(m, pre, post) = w[l];
    }
    writes[int(m)].push_back(rec);
  }
  std::vector<int8_t>& matrix(Matrix m) { return w_[int(m)]; }
  std::array<uint64_t, 3> reads{};
  std::array<std::vector<Write>, 3> writes;

 private:
  std::array<uint32_t, 3> posts_;
  std::array<std::vector<int8_t>, 3> w_;
};

uint32_t lanes_word(const int8_t* w, uint32_t first) {
  uint32_t v = 0;
  for (uint32_t b = 0; b < 4; ++b) v |= uint32_t{static_cast<uint8_t>(w[first + b])} << (8 * b);
  return v;
}

/// The Verilated engine, its SRAMs modelled around it (synchronous reads, one cycle of latency).
template <class V>
class RtlEngine {
 public:
  RtlEngine(const CoreConfig& cfg, Weights& weights, const std::vector<uint16_t>& word_alphas, uint32_t alpha)
      : cfg_(cfg), w_(weights), word_alphas_(word_alphas), alpha_(alpha) {
    const EpropConfig& l = cfg.learning;
    m.clk_i = 0;
    m.rst_ni = 0;
    m.eval();
    m.rst_ni = 1;
    m.cfg_inputs_i = cfg.enabled.inputs;
    m.cfg_neurons_i = cfg.enabled.neurons;
    m.cfg_readouts_i = cfg.enabled.readouts;
    m.cfg_lanes_i = cfg.memory.neurons_per_word;
    m.cfg_update_input_i = l.update_input;
    m.cfg_update_recurrent_i = l.update_recurrent;
    m.cfg_update_output_i = l.update_output;
    m.cfg_stochastic_i = cfg.rounding.mode == RoundingMode::kStochastic;
    m.cfg_kappa_i = cfg.readout.kappa;
    m.cfg_shift_in_i = l.trace_shift_input;
    m.cfg_shift_rec_i = l.trace_shift_recurrent;
    m.cfg_shift_out_i = l.trace_shift_output;
    m.cfg_lsig_shift_i = l.learning_signal_shift;
    m.cfg_identity_i = l.output_activation == OutputActivation::kIdentity;
    uint64_t thr = 0, lvl = 0;
    for (int k = 0; k < 4; ++k) thr |= uint64_t{static_cast<uint16_t>(l.h_thresholds[k])} << (16 * k);
    for (int k = 0; k < 5; ++k) lvl |= uint64_t{static_cast<uint32_t>(l.h_levels[k]) & 31u} << (5 * k);
    m.cfg_h_thr_i = thr;
    m.cfg_h_level_i = static_cast<uint32_t>(lvl);
    m.cfg_rate_in_p_i = l.rate_input_p;
    m.cfg_rate_in_r_i = l.rate_input_r;
    m.cfg_rate_rec_p_i = l.rate_recurrent_p;
    m.cfg_rate_rec_r_i = l.rate_recurrent_r;
    m.cfg_rate_out_p_i = l.rate_output_p;
    m.cfg_rate_out_r_i = l.rate_output_r;
    m.cfg_reg_mul_i = (static_cast<int>(l.regularizer) & 1) != 0;
    m.cfg_reg_add_i = (static_cast<int>(l.regularizer) & 2) != 0;
    m.cfg_reg_f0_i = l.regularizer_f0;
    m.cfg_reg_in_p_i = l.regularizer_input_p;
    m.cfg_reg_in_r_i = l.regularizer_input_r;
    m.cfg_reg_rec_p_i = l.regularizer_recurrent_p;
    m.cfg_reg_rec_r_i = l.regularizer_recurrent_r;
    m.cfg_reg_mul_shift_i = l.regularizer_mul_shift;
    m.cfg_seed_in_i = l.seed_input;
    m.cfg_seed_rec_i = l.seed_recurrent;
    m.cfg_seed_out_i = l.seed_output;
    const uint64_t seed_mask = (uint64_t{1} << 60) - 1;
    m.cfg_seed_tin_i = l.seed_trace_input & seed_mask;
    m.cfg_seed_trec_i = l.seed_trace_recurrent & seed_mask;
    m.cfg_seed_tout_i = l.seed_trace_output & seed_mask;
    m.eval();
    m.seed_i = 1;
    m.clear_i = 1;
    cycle();
    m.seed_i = 0;
    m.clear_i = 0;
  }

  /// One clock cycle: the SRAMs answer the cycle's reads after the edge and take its writes.
  void cycle() {
    m.clk_i = 0;
    const uint32_t word = m.decay_word_o;
    m.decay_alpha_i = word < word_alphas_.size() ? word_alphas_[word] : alpha_;
    m.eval();
    if (m.busy_o) ++busy_cycles;
    std::optional<std::array<int8_t, kEpropLanes>> rd[3];
    std::optional<uint16_t> u;
    if (m.nrn_re_o) {
      ++neuron_reads;
      u = static_cast<uint16_t>((*u_)[m.nrn_idx_o]);
    }
    port(Matrix::kInput, m.win_re_o, m.win_we_o, m.win_pre_o, m.win_word_o, m.win_wdata_o, rd[0]);
    port(Matrix::kRecurrent, m.wrec_re_o, m.wrec_we_o, m.wrec_pre_o, m.wrec_word_o, m.wrec_wdata_o, rd[1]);
    port(Matrix::kOutput, m.wout_re_o, m.wout_we_o, m.wout_pre_o, 0, m.wout_wdata_o, rd[2]);
    m.clk_i = 1;
    m.eval();
    if (u) m.nrn_u_i = *u;
    if (rd[0]) set_word(m.win_rdata_i, *rd[0]);
    if (rd[1]) set_word(m.wrec_rdata_i, *rd[1]);
    if (rd[2]) set_word(m.wout_rdata_i, *rd[2]);
    m.clk_i = 0;
    m.eval();
  }

  void run_until_idle() {
    for (int guard = 0; m.busy_o; ++guard) {
      ASSERT_LT(guard, 1 << 22) << "the engine never finishes";
      cycle();
    }
  }

  void begin_sample() {
    m.clear_i = 1;
    cycle();
    m.clear_i = 0;
  }
  void decay(uint32_t words, bool update) {
    m.decay_i = 1;
    m.decay_words_i = words;
    m.decay_update_i = update;
    cycle();
    m.decay_i = 0;
    run_until_idle();
  }
  void events(uint32_t i, bool input, bool spike) {
    m.inc_idx_i = i;
    m.inc_input_i = input;
    m.inc_spike_i = spike;
    cycle();
    m.inc_input_i = 0;
    m.inc_spike_i = 0;
  }
  /// EPROP; returns its cycles (the cycles busy_o is high).
  uint64_t update(uint32_t target, const std::vector<int16_t>& u, const std::vector<int32_t>& v) {
    u_ = &u;
    for (uint32_t k = 0; k < 16; ++k) {
      const uint32_t bits = k < v.size() ? static_cast<uint16_t>(v[k]) : 0u;
      m.readout_v_i[k / 2] = (m.readout_v_i[k / 2] & ~(0xFFFFu << (16 * (k % 2)))) | (bits << (16 * (k % 2)));
    }
    m.target_i = target;
    m.eprop_i = 1;
    busy_cycles = 0;
    cycle();
    m.eprop_i = 0;
    run_until_idle();
    return busy_cycles;
  }
  std::array<uint32_t, 3> trace(uint32_t i) {
    m.trace_idx_i = i;
    m.eval();
    return {m.trace_in_o, m.trace_rec_o, m.trace_out_o};
  }

  V m;
  uint64_t busy_cycles = 0, neuron_reads = 0;
  std::array<uint64_t, 3> reads{};
  std::array<std::vector<Write>, 3> writes;

 private:
  template <class Data>
  void port(Matrix mat, bool re, bool we, uint32_t pre, uint32_t word, const Data& wdata,
            std::optional<std::array<int8_t, kEpropLanes>>& rd) {
    if (re) {
      ++reads[int(mat)];
      std::array<int8_t, kEpropLanes> w{};
      for (uint32_t l = 0; l < kEpropLanes; ++l) {
        const uint32_t post = word * kEpropLanes + l;
        w[l] = post < w_.posts(mat) ? w_.at(mat, pre, post) : 0;
      }
      rd = w;
    }
    if (we) {
      Write rec{pre, word, {}};
      for (uint32_t l = 0; l < kEpropLanes; ++l) {
        rec.w[l] = static_cast<int8_t>(wdata[l / 4] >> (8 * (l % 4)));
        const uint32_t post = word * kEpropLanes + l;
        if (post < w_.posts(mat)) w_.at(mat, pre, post) = rec.w[l];
      }
      writes[int(mat)].push_back(rec);
    }
  }
  template <class Data>
  static void set_word(Data& d, const std::array<int8_t, kEpropLanes>& w) {
    for (uint32_t i = 0; i < 4; ++i) d[i] = lanes_word(w.data(), 4 * i);
  }

  const CoreConfig& cfg_;
  Weights& w_;
  const std::vector<uint16_t>& word_alphas_;
  uint32_t alpha_;
  const std::vector<int16_t>* u_ = nullptr;
};

/// The first place where the RTL and the model disagree.
struct Divergence {
  uint64_t update = 0;  ///< EPROP number within the network
  std::string field;    ///< "weight", "trace", "cycles", ...
  int matrix = -1;
  uint32_t pre = 0, word = 0, lane = 0;
  int64_t model = 0, rtl = 0;
  std::string where() const {
    std::ostringstream s;
    s << field << " update " << update << " matrix " << matrix << " pre " << pre << " word " << word << " lane "
      << lane << ": model " << model << ", rtl " << rtl;
    return s.str();
  }
};

struct Totals {
  uint64_t networks = 0, updates = 0, words_compared = 0, weights_compared = 0, traces_compared = 0, cycles = 0;
  uint64_t weights_changed = 0;  ///< entries that differ from their initial value at the end
};

uint32_t pick_size(std::mt19937_64& rng) {
  const uint32_t r = rng() % 10;
  if (r < 5) return 1 + rng() % 40;
  if (r < 8) return 1 + rng() % 100;
  return 1 + rng() % kSlots;
}

CoreConfig random_core(std::mt19937_64& rng) {
  CoreConfig c;
  c.enabled = {pick_size(rng), pick_size(rng), 1 + static_cast<uint32_t>(rng() % 16)};
  c.memory.neurons_per_word = 1 + rng() % 4;
  c.rounding.mode = rng() % 3 ? RoundingMode::kStochastic : RoundingMode::kFloor;
  const uint32_t a = rng() % 10;
  c.neuron.set("alpha", a == 0 ? 0x8000 : (a == 1 ? rng() % 0x9000 : 0x7000 + rng() % 0x2000));
  c.readout.kappa = rng() % 10 == 0 ? 0x80 : static_cast<uint32_t>(rng() % 0x81);
  EpropConfig& l = c.learning;
  do {
    l.update_input = rng() % 5 != 0;
    l.update_recurrent = rng() % 5 != 0;
    l.update_output = rng() % 5 != 0;
  } while (!l.learns());
  l.trace_shift_input = rng() % 9;
  l.trace_shift_recurrent = rng() % 9;
  l.trace_shift_output = rng() % 9;
  l.learning_signal_shift = rng() % 16;
  l.output_activation = rng() % 4 ? OutputActivation::kHardSigmoid : OutputActivation::kIdentity;
  for (auto& t : l.h_thresholds) t = static_cast<int32_t>(rng() % 4001) - 2000;
  if (rng() % 4) std::sort(l.h_thresholds.begin(), l.h_thresholds.end());
  for (auto& h : l.h_levels) h = static_cast<int32_t>(rng() % 32) - 16;
  l.rate_input_p = rng() % 32;
  l.rate_input_r = rng() % 3 ? 0 : rng() % 32;
  l.rate_recurrent_p = rng() % 32;
  l.rate_recurrent_r = rng() % 3 ? 0 : rng() % 32;
  l.rate_output_p = rng() % 28;
  l.rate_output_r = rng() % 3 ? 0 : rng() % 28;
  l.regularizer = static_cast<RegularizerMode>(rng() % 4);
  l.regularizer_f0 = rng() % 8 ? rng() % 64 : rng() % 4096;
  l.regularizer_input_p = rng() % 32;
  l.regularizer_input_r = rng() % 32;
  l.regularizer_recurrent_p = rng() % 32;
  l.regularizer_recurrent_r = rng() % 32;
  l.regularizer_mul_shift = rng() % 16;
  l.seed_input = 1 + rng() % ((1u << 25) - 1);
  l.seed_recurrent = 1 + rng() % ((1u << 25) - 1);
  l.seed_output = 1 + rng() % ((1u << 22) - 1);
  for (uint64_t* s : {&l.seed_trace_input, &l.seed_trace_recurrent, &l.seed_trace_output}) {
    *s = 0;
    for (int lane = 0; lane < 4; ++lane) *s |= uint64_t{1 + rng() % 0x7FFF} << (15 * lane);
  }
  return c;
}

/// Runs one random network on both; the first divergence, if any. `out_before` receives the output
/// weights as they were before the diverging update.
template <class V>
std::optional<Divergence> run_network(uint64_t seed, uint32_t timesteps, Totals& totals,
                                      std::vector<int8_t>* out_before = nullptr, CoreConfig* used = nullptr,
                                      std::vector<int32_t>* errors = nullptr) {
  std::mt19937_64 rng(seed);
  const CoreConfig cfg = random_core(rng);
  if (used) *used = cfg;
  const uint32_t I = cfg.enabled.inputs, R = cfg.enabled.neurons, O = cfg.enabled.readouts;
  const uint32_t P = cfg.memory.neurons_per_word, slots = std::max(I, R);
  const uint32_t words = static_cast<uint32_t>(ceil_div(slots, P));
  const uint32_t alpha = static_cast<uint32_t>(cfg.neuron.get("alpha"));
  std::vector<uint16_t> word_alphas;
  if (rng() % 3 == 0)
    for (uint32_t w = 0; w < words; ++w)
      word_alphas.push_back(static_cast<uint16_t>(rng() % 5 == 0 ? 0x8000 : 0x7000 + rng() % 0x2000));
  Weights model_w(I, R, O), rtl_w(I, R, O);
  for (Matrix mat : {Matrix::kInput, Matrix::kRecurrent, Matrix::kOutput}) {
    auto& wm = model_w.matrix(mat);
    for (auto& x : wm) x = static_cast<int8_t>(rng() % 4 ? static_cast<int>(rng() % 61) - 30 : static_cast<int>(rng() % 256) - 128);
    rtl_w.matrix(mat) = wm;
  }
  const std::array<std::vector<int8_t>, 3> initial = {model_w.matrix(Matrix::kInput), model_w.matrix(Matrix::kRecurrent),
                                                      model_w.matrix(Matrix::kOutput)};
  EpropEngine model(cfg);
  RtlEngine<V> rtl(cfg, rtl_w, word_alphas, alpha);
  const double p_in = 0.02 + 0.4 * static_cast<double>(rng() % 100) / 100.0;
  const double p_spike = 0.02 + 0.4 * static_cast<double>(rng() % 100) / 100.0;
  std::uniform_real_distribution<double> uni(0.0, 1.0);
  const uint32_t sample_len = 5 + rng() % 30;
  uint64_t updates = 0;
  ++totals.networks;

  const auto compare_traces = [&](const char* after) -> std::optional<Divergence> {
    for (uint32_t i = 0; i < slots; ++i) {
      const auto t = rtl.trace(i);
      const uint32_t mt[3] = {model.trace_input()[i], model.trace_recurrent()[i], model.trace_output()[i]};
      for (int k = 0; k < 3; ++k)
        if (t[k] != mt[k]) return Divergence{updates, std::string("trace after ") + after, k, i, 0, 0, mt[k], t[k]};
      totals.traces_compared += 3;
    }
    return std::nullopt;
  };

  for (uint32_t step = 0; step < timesteps; ++step) {
    if (step % sample_len == 0) {
      model.begin_sample();
      rtl.begin_sample();
    }
    // STEP: the traces decay.
    const bool update_traces = rng() % 8 != 0;
    model.decay(words, update_traces, word_alphas);
    rtl.decay(words, update_traces);
    if (auto d = compare_traces("decay")) return d;
    // EPROP on random membranes and readouts.
    if (rng() % 4 != 0) {
      const uint32_t target = static_cast<uint32_t>(rng() % (O + 2));
      std::vector<int16_t> u(R);
      for (auto& x : u) {
        const uint32_t r = rng() % 4;
        x = static_cast<int16_t>(r == 0 ? static_cast<int>(rng() % 65536) - 32768
                                        : (r == 1 ? cfg.learning.h_thresholds[rng() % 4] + static_cast<int>(rng() % 5) - 2
                                                  : static_cast<int>(rng() % 4001) - 2000));
      }
      std::vector<int32_t> v(O);
      for (auto& x : v) {
        const uint32_t r = rng() % 6;
        x = r == 0 ? static_cast<int32_t>(rng() % 65536) - 32768 : (r == 1 ? (rng() & 1 ? 32767 : -32768)
                                                                           : static_cast<int32_t>(rng() % 6001) - 3000);
      }
      if (out_before) *out_before = model_w.matrix(Matrix::kOutput);
      model_w.writes = {};
      rtl.writes = {};
      model_w.reads = {};
      rtl.reads = {};
      rtl.neuron_reads = 0;
      model.update(static_cast<int32_t>(target), u.data(), v, model_w);
      if (errors) *errors = model.errors();
      const uint64_t cycles = rtl.update(target, u, v);
      ++totals.updates;
      for (int mat = 0; mat < 3; ++mat) {
        const auto& mw = model_w.writes[mat];
        const auto& rw = rtl.writes[mat];
        const uint32_t posts = model_w.posts(static_cast<Matrix>(mat));
        for (size_t n = 0; n < std::min(mw.size(), rw.size()); ++n) {
          if (mw[n].pre != rw[n].pre || mw[n].word != rw[n].word)
            return Divergence{updates, "write address", mat, mw[n].pre, mw[n].word, 0, rw[n].pre, rw[n].word};
          for (uint32_t l = 0; l < kEpropLanes && mw[n].word * kEpropLanes + l < posts; ++l) {
            if (mw[n].w[l] != rw[n].w[l])
              return Divergence{updates, "weight", mat, mw[n].pre, mw[n].word, l, mw[n].w[l], rw[n].w[l]};
            ++totals.weights_compared;
          }
          ++totals.words_compared;
        }
        if (mw.size() != rw.size())
          return Divergence{updates, "words written", mat, 0, 0, 0, static_cast<int64_t>(mw.size()),
                            static_cast<int64_t>(rw.size())};
        if (model_w.reads[mat] != rtl.reads[mat])
          return Divergence{updates, "words read", mat, 0, 0, 0, static_cast<int64_t>(model_w.reads[mat]),
                            static_cast<int64_t>(rtl.reads[mat])};
      }
      const uint64_t want_cycles = EpropEngine::cycles(cfg, I, R);
      if (cycles != want_cycles)
        return Divergence{updates, "cycles", -1, 0, 0, 0, static_cast<int64_t>(want_cycles), static_cast<int64_t>(cycles)};
      totals.cycles += cycles;
      const uint64_t want_reads = EpropEngine::neuron_word_reads(I, R);
      if (rtl.neuron_reads != want_reads)
        return Divergence{updates, "neuron reads", -1, 0, 0, 0, static_cast<int64_t>(want_reads),
                          static_cast<int64_t>(rtl.neuron_reads)};
      const uint64_t windows[3] = {rtl.m.lfsr_in_o, rtl.m.lfsr_rec_o, rtl.m.lfsr_out_o};
      for (int mat = 0; mat < 3; ++mat) {
        const uint64_t want = model.weight_lfsr(static_cast<Matrix>(mat)).window();
        if (windows[mat] != want)
          return Divergence{updates, "weight lfsr", mat, 0, 0, 0, static_cast<int64_t>(want),
                            static_cast<int64_t>(windows[mat])};
      }
      if (model_w.matrix(Matrix::kInput) != rtl_w.matrix(Matrix::kInput) ||
          model_w.matrix(Matrix::kRecurrent) != rtl_w.matrix(Matrix::kRecurrent) ||
          model_w.matrix(Matrix::kOutput) != rtl_w.matrix(Matrix::kOutput))
        return Divergence{updates, "weight memories", -1, 0, 0, 0, 0, 1};
      ++updates;
    }
    // PROP: events increment the traces.
    for (uint32_t i = 0; i < slots; ++i) {
      const bool input = i < I && uni(rng) < p_in;
      const bool spike = i < R && uni(rng) < p_spike;
      if (!input && !spike) continue;
      if (input) model.on_input_event(i);
      if (spike) model.on_spike(i);
      rtl.events(i, input, spike);
    }
    if (auto d = compare_traces("events")) return d;
  }
  for (int mat = 0; mat < 3; ++mat)
    for (size_t n = 0; n < initial[mat].size(); ++n)
      totals.weights_changed += initial[mat][n] != model_w.matrix(static_cast<Matrix>(mat))[n];
  return std::nullopt;
}

TEST(RtlEngine, LockstepWithTheModelOnRandomNetworks) {
  Totals totals;
  for (uint64_t net = 0; net < 60; ++net) {
    const auto d = run_network<Veprop_engine>(1000 + net, 24, totals);
    ASSERT_FALSE(d.has_value()) << "network " << net << ": " << d->where();
  }
  std::cout << "networks " << totals.networks << ", EPROP updates " << totals.updates << ", weight words compared "
            << totals.words_compared << ", weights compared " << totals.weights_compared << ", traces compared "
            << totals.traces_compared << ", EPROP cycles " << totals.cycles << ", weights changed "
            << totals.weights_changed << ", mismatches 0\n";
  EXPECT_GE(totals.weights_compared, 100000u);
  EXPECT_GE(totals.weights_changed, 10000u) << "the updates must move weights";
  EXPECT_GE(totals.updates, 500u);
}

TEST(RtlEngine, TheFaultSwitchIsCaughtWhereTheLearningSignalRounds) {
  // The fault (EPROP_FAULT_ROUNDING) changes only the learning signals of negative sums that are not
  // multiples of 2^12 >> shift, so the first divergence must be an input or recurrent weight of such
  // a post neuron, and everything before it (traces, output weights, cycles) must have matched.
  Totals totals;
  bool caught = false;
  for (uint64_t net = 0; net < 40 && !caught; ++net) {
    std::vector<int8_t> out_before;
    std::vector<int32_t> errors;
    CoreConfig cfg;
    const auto d = run_network<Veprop_engine_fault>(5000 + net, 24, totals, &out_before, &cfg, &errors);
    if (!d) continue;
    caught = true;
    std::cout << "fault model: first divergence in network " << net << ": " << d->where() << "\n";
    ASSERT_EQ(d->field, "weight") << d->where();
    ASSERT_TRUE(d->matrix == int(Matrix::kInput) || d->matrix == int(Matrix::kRecurrent)) << d->where();
    const uint32_t j = d->word * kEpropLanes + d->lane;
    const uint32_t O = cfg.enabled.readouts;
    int64_t sum = 0;
    for (uint32_t k = 0; k < O; ++k) sum += int64_t{errors[k]} * out_before[size_t{j} * O + k];
    const int64_t scaled = sum * (int64_t{1} << cfg.learning.learning_signal_shift);
    const int64_t floor_l = scaled >> kLearningSignalFracBits;
    const int64_t trunc_l = scaled < 0 ? -((-scaled) >> kLearningSignalFracBits) : floor_l;
    EXPECT_LT(scaled, 0) << "post " << j << ": the fault only touches negative sums";
    EXPECT_NE(std::clamp<int64_t>(floor_l, -32768, 32767), std::clamp<int64_t>(trunc_l, -32768, 32767))
        << "post " << j << ": its learning signal is the same with the fault";
  }
  EXPECT_TRUE(caught) << "the fault model never diverged";
}

}  // namespace
