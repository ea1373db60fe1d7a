// Lockstep equivalence of the e-prop engine RTL (rtl/eprop_engine.sv, SPEC.md §6), driven through its
// wrapper rtl::RtlEpropEngine (rtl/wrapper/), with the C++ model hw::EpropEngine: random networks (I, R, O, neurons per word, rounding, alphas incl. word alphas,
// every learning knob, regulariser, seeds) run random timesteps — trace decay, the EPROP phase on
// random membranes and readouts, trace increments — on both. Checked: every weight write (order,
// address, each lane), every trace after every command, the weight LFSR states, the weight-SRAM read
// counts, the neuron-SRAM reads of SPEC §6.4, and that EPROP takes exactly EpropEngine::cycles. A second
// model built with EPROP_FAULT_ROUNDING (the learning signal's shift rounds negative values toward 0)
// must be reported at its first divergence, a weight of a post whose learning signal the fault changes.
// The same lockstep on ReckOn's cue-accumulation configuration (configs/examples/reckon_cue_train.yaml).
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
#include "config/config_loader.h"
#include "learning/eprop_engine.h"
#include "wrapper/rtl_eprop_engine.h"

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
                                      std::vector<int32_t>* errors = nullptr, const neurochip::sim::RunConfig* cue = nullptr) {
  std::mt19937_64 rng(seed);
  const CoreConfig cfg = cue ? cue->chip.cores[0] : random_core(rng);
  if (used) *used = cfg;
  const uint32_t I = cfg.enabled.inputs, R = cfg.enabled.neurons, O = cfg.enabled.readouts;
  const uint32_t P = cfg.memory.neurons_per_word, slots = std::max(I, R);
  const uint32_t words = static_cast<uint32_t>(ceil_div(slots, P));
  std::vector<uint16_t> word_alphas;
  if (cue)
    word_alphas = cue->image.cores[0].word_alphas;
  else if (rng() % 3 == 0)
    for (uint32_t w = 0; w < words; ++w)
      word_alphas.push_back(static_cast<uint16_t>(rng() % 5 == 0 ? 0x8000 : 0x7000 + rng() % 0x2000));
  Weights model_w(I, R, O), rtl_w(I, R, O);
  for (Matrix mat : {Matrix::kInput, Matrix::kRecurrent, Matrix::kOutput}) {
    auto& wm = model_w.matrix(mat);
    for (auto& x : wm) x = static_cast<int8_t>(rng() % 4 ? static_cast<int>(rng() % 61) - 30 : static_cast<int>(rng() % 256) - 128);
    if (cue) {
      const CoreImage& image = cue->image.cores[0];
      wm = mat == Matrix::kInput ? image.input_weights
                                 : (mat == Matrix::kRecurrent ? image.recurrent_weights : image.output_weights);
    }
    rtl_w.matrix(mat) = wm;
  }
  const std::array<std::vector<int8_t>, 3> initial = {model_w.matrix(Matrix::kInput), model_w.matrix(Matrix::kRecurrent),
                                                      model_w.matrix(Matrix::kOutput)};
  EpropEngine model(cfg);
  neurochip::rtl::RtlEpropEngine<V> rtl(cfg);
  const double p_in = cue ? 0.05 : 0.02 + 0.4 * static_cast<double>(rng() % 100) / 100.0;
  const double p_spike = cue ? 0.08 : 0.02 + 0.4 * static_cast<double>(rng() % 100) / 100.0;
  std::uniform_real_distribution<double> uni(0.0, 1.0);
  const uint32_t sample_len = cue ? 150 : 5 + rng() % 30;
  uint64_t updates = 0;
  ++totals.networks;

  const auto compare_traces = [&](const char* after) -> std::optional<Divergence> {
    for (uint32_t i = 0; i < slots; ++i) {
      const uint32_t t[3] = {rtl.trace_input()[i], rtl.trace_recurrent()[i], rtl.trace_output()[i]};
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
    rtl.decay(words, update_traces, word_alphas);
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
      rtl_w.writes = {};
      model_w.reads = {};
      rtl_w.reads = {};
      model.update(static_cast<int32_t>(target), u.data(), v, model_w);
      if (errors) *errors = model.errors();
      rtl.update(static_cast<int32_t>(target), u.data(), v, rtl_w);
      const uint64_t cycles = rtl.last_cycles();
      ++totals.updates;
      for (int mat = 0; mat < 3; ++mat) {
        const auto& mw = model_w.writes[mat];
        const auto& rw = rtl_w.writes[mat];
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
        if (model_w.reads[mat] != rtl_w.reads[mat])
          return Divergence{updates, "words read", mat, 0, 0, 0, static_cast<int64_t>(model_w.reads[mat]),
                            static_cast<int64_t>(rtl_w.reads[mat])};
        if (model.words_written()[mat] != rtl.words_written()[mat])
          return Divergence{updates, "words counted", mat, 0, 0, 0, static_cast<int64_t>(model.words_written()[mat]),
                            static_cast<int64_t>(rtl.words_written()[mat])};
      }
      const uint64_t want_cycles = EpropEngine::cycles(cfg, I, R);
      if (cycles != want_cycles)
        return Divergence{updates, "cycles", -1, 0, 0, 0, static_cast<int64_t>(want_cycles), static_cast<int64_t>(cycles)};
      totals.cycles += cycles;
      const uint64_t want_reads = EpropEngine::neuron_word_reads(I, R);
      if (rtl.last_neuron_reads() != want_reads)
        return Divergence{updates, "neuron reads", -1, 0, 0, 0, static_cast<int64_t>(want_reads),
                          static_cast<int64_t>(rtl.last_neuron_reads())};
      const uint64_t windows[3] = {rtl.weight_lfsr_window(Matrix::kInput), rtl.weight_lfsr_window(Matrix::kRecurrent),
                                   rtl.weight_lfsr_window(Matrix::kOutput)};
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
      if (input) rtl.on_input_event(i);
      if (spike) rtl.on_spike(i);
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

TEST(RtlEngine, LockstepOnTheCueAccumulationConfiguration) {
  // ReckOn's cue-accumulation core as configs/examples/reckon_cue_train.yaml loads it (I = 40, R = 100,
  // O = 2, two neurons per word with word alphas, stochastic rounding, its learning knobs, seeds and
  // released initial weights), on random sparse activity, membranes and readouts.
  const neurochip::sim::RunConfig rc =
      neurochip::sim::load_run_config(std::string(NEUROCHIP_REPO_ROOT) + "/configs/examples/reckon_cue_train.yaml", {});
  const CoreConfig& core = rc.chip.cores[0];
  ASSERT_EQ(EpropEngine::cycles(core, core.enabled.inputs, core.enabled.neurons), 1624u);
  Totals totals;
  for (uint64_t run = 0; run < 2; ++run) {
    const auto d = run_network<Veprop_engine>(77 + run, 300, totals, nullptr, nullptr, nullptr, &rc);
    ASSERT_FALSE(d.has_value()) << "run " << run << ": " << d->where();
  }
  std::cout << "cue configuration: EPROP updates " << totals.updates << ", weights compared " << totals.weights_compared
            << ", traces compared " << totals.traces_compared << ", EPROP cycles " << totals.cycles
            << ", weights changed " << totals.weights_changed << ", mismatches 0\n";
  EXPECT_EQ(totals.cycles, 1624u * totals.updates);
  EXPECT_GE(totals.weights_changed, 100u);
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
