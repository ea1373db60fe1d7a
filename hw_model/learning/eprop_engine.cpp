// The e-prop learning engine (SPEC.md §6); see eprop_engine.h.
#include "learning/eprop_engine.h"

#include <algorithm>
#include <stdexcept>

#include "common/fixed_point.h"
#include "common/int_math.h"
#include "core/stochastic_rounding.h"

namespace neurochip::hw {

const LfsrSpec& reckon_weight_lfsr() {
  // o[0..2] = d0..d2, o[i] = o[i − 3] ^ d_i (ReckOn's lfsr_winp_wrec netlist).
  static const LfsrSpec spec = trinomial_lfsr("reckon_w25", 25, 22, 512, strided_xor_load_map(25, 3));
  return spec;
}

const LfsrSpec& reckon_output_weight_lfsr() {
  // o[i] = d0 ^ ... ^ di (ReckOn's lfsr_wout netlist).
  static const LfsrSpec spec = trinomial_lfsr("reckon_w22", 22, 21, 448, strided_xor_load_map(22, 1));
  return spec;
}

int32_t stochastic_update(int32_t w, int64_t p, uint32_t width, uint32_t lr_p, uint32_t lr_r, uint64_t rnd) {
  const int64_t most_negative = -(int64_t{1} << (width - 1));
  const uint64_t cap = (uint64_t{1} << width) - 1;
  const uint64_t magnitude = static_cast<uint64_t>(p < 0 ? -p : p);
  const uint64_t shifted = lr_p >= 64 || (magnitude != 0 && magnitude > (cap >> lr_p)) ? cap : magnitude << lr_p;
  const uint64_t q = std::min(shifted, cap) >> lr_r;
  if (q >= rnd || p == most_negative) {
    if (p > 0 && w < 127) return w + 1;
    if (p < 0 && w > -128) return w - 1;
  }
  return w;
}

EpropEngine::EpropEngine(const CoreConfig& cfg)
    : cfg_(cfg.learning),
      inputs_(cfg.enabled.inputs),
      neurons_(cfg.enabled.neurons),
      readouts_(cfg.enabled.readouts),
      slots_(std::max(cfg.enabled.inputs, cfg.enabled.neurons)),
      lanes_(cfg.memory.neurons_per_word),
      alpha_(static_cast<uint32_t>(cfg.neuron.get("alpha"))),
      kappa_(cfg.readout.kappa),
      stochastic_(cfg.rounding.mode == RoundingMode::kStochastic),
      trace_in_(slots_, 0),
      trace_rec_(slots_, 0),
      trace_out_(slots_, 0),
      l_(neurons_, 0),
      h_(neurons_, 0),
      rho_(neurons_, 0),
      e_(readouts_, 0) {
  if (stochastic_) {
    for (uint32_t l = 0; l < lanes_; ++l) {
      lfsr_in_.emplace_back(reckon_membrane_lfsr(), membrane_lane_seed(cfg_.seed_trace_input, l));
      lfsr_rec_.emplace_back(reckon_membrane_lfsr(), membrane_lane_seed(cfg_.seed_trace_recurrent, l));
      lfsr_out_.emplace_back(reckon_readout_lfsr(), membrane_lane_seed(cfg_.seed_trace_output, l));
    }
  }
  step_words_ = static_cast<uint32_t>(ceil_div(slots_, lanes_));
  if (stochastic_) {
    jump15_ = lfsr_in_[0].make_jump(step_words_);
    jump7_ = lfsr_out_[0].make_jump(step_words_);
  }
  weight_lfsrs_.emplace_back(reckon_weight_lfsr(), cfg_.seed_input);
  weight_lfsrs_.emplace_back(reckon_weight_lfsr(), cfg_.seed_recurrent);
  weight_lfsrs_.emplace_back(reckon_output_weight_lfsr(), cfg_.seed_output);
}

void EpropEngine::begin_sample() {
  std::fill(trace_in_.begin(), trace_in_.end(), uint16_t{0});
  std::fill(trace_rec_.begin(), trace_rec_.end(), uint16_t{0});
  std::fill(trace_out_.begin(), trace_out_.end(), uint16_t{0});
}

void EpropEngine::decay(uint32_t words, bool update, const std::vector<uint16_t>& word_alphas) {
  const auto alpha_of = [&](uint32_t w) { return w < word_alphas.size() ? uint32_t{word_alphas[w]} : alpha_; };
  // Whether every word's alpha rounds (none is exactly 1.0), and whether any does.
  bool alpha_all = stochastic_, alpha_any = false;
  for (uint32_t w = 0; w < words && stochastic_; ++w) {
    const bool r = alpha_of(w) != fxp::kAlphaOne;
    alpha_all = alpha_all && r;
    alpha_any = alpha_any || r;
  }
  alpha_all = alpha_all && alpha_any;  // no words: nothing rounds
  const bool round_kappa = stochastic_ && kappa_ != fxp::kKappaOne;
  // A lane whose trace of one kind is 0 in every slot (or whose traces do not run) needs none of
  // that LFSR's draws: when every word advances it, it jumps over the STEP's advances in one step
  // (the same final state).
  const auto idle_lane = [&](const std::vector<uint16_t>& trace, uint32_t l) {
    if (!update) return true;
    for (uint32_t j = l; j < slots_; j += lanes_)
      if (trace[j] != 0) return false;
    return true;
  };
  const bool jumps = words == step_words_;
  for (uint32_t l = 0; l < lanes_; ++l) {
    struct Kind {
      std::vector<uint16_t>& trace;
      StreamLfsr* lfsr;   ///< null: no word rounds
      bool all_round;     ///< every word rounds
      bool by_alpha;      ///< the factor is the word's alpha, else kappa
      int frac;
      const StreamLfsr::Jump& jump;
      uint32_t bits;
    };
    const Kind kinds[3] = {
        {trace_in_, alpha_any ? &lfsr_in_[l] : nullptr, alpha_all, true, fxp::kAlphaFracBits, jump15_,
         kTraceInputBits},
        {trace_rec_, alpha_any ? &lfsr_rec_[l] : nullptr, alpha_all, true, fxp::kAlphaFracBits, jump15_,
         kTraceRecurrentBits},
        {trace_out_, round_kappa ? &lfsr_out_[l] : nullptr, round_kappa, false, fxp::kKappaFracBits, jump7_,
         kTraceOutputBits}};
    for (const Kind& k : kinds) {
      if (k.all_round && jumps && idle_lane(k.trace, l)) {
        k.lfsr->skip(k.jump);
        continue;
      }
      // Every rounding word advances the lane's LFSR once, whether or not the lane holds a slot there.
      for (uint32_t w = 0; w < words; ++w) {
        const uint32_t factor = k.by_alpha ? alpha_of(w) : kappa_;
        const bool round = k.lfsr != nullptr && (k.by_alpha ? factor != fxp::kAlphaOne : true);
        const uint32_t draw = round ? static_cast<uint32_t>(k.lfsr->advance()) : 0;
        const uint32_t j = w * lanes_ + l;
        if (!update || j >= slots_) continue;
        // A factor above 1.0 (alpha up to 0x8FFF) can grow a trace past its width: it wraps.
        const int64_t p = int64_t{k.trace[j]} * factor;
        const int64_t next = round ? fxp::round_stochastic(p, k.frac, draw) : p >> k.frac;
        k.trace[j] = static_cast<uint16_t>(next & ((int64_t{1} << k.bits) - 1));
      }
    }
  }
}

namespace {
uint16_t saturating_add(uint16_t t, uint32_t inc, uint32_t bits) {
  const uint32_t max = (1u << bits) - 1;
  return static_cast<uint16_t>(std::min<uint32_t>(max, uint32_t{t} + inc));
}
}  // namespace

void EpropEngine::on_input_event(uint32_t i) {
  trace_in_[i] = saturating_add(trace_in_[i], kTraceIncrement << cfg_.trace_shift_input, kTraceInputBits);
}

void EpropEngine::on_spike(uint32_t i) {
  trace_rec_[i] = saturating_add(trace_rec_[i], kTraceIncrement << cfg_.trace_shift_recurrent, kTraceRecurrentBits);
  trace_out_[i] = saturating_add(trace_out_[i], kTraceOutputIncrement << cfg_.trace_shift_output, kTraceOutputBits);
}

int32_t EpropEngine::pseudo_derivative(int32_t u) const {
  size_t level = 0;
  while (level < cfg_.h_thresholds.size() && u >= cfg_.h_thresholds[level]) ++level;
  return cfg_.h_levels[level];
}

uint64_t EpropEngine::cycles(const CoreConfig&, uint32_t inputs, uint32_t neurons) {
  return ceil_div(neurons, kEpropLanes) * (2 * uint64_t{kEpropLanes} + 2 * uint64_t{std::max(inputs, neurons)});
}

uint64_t EpropEngine::neuron_word_reads(uint32_t inputs, uint32_t neurons) {
  return uint64_t{neurons} + ceil_div(neurons, kEpropLanes) * uint64_t{std::max(inputs, neurons)};
}

void EpropEngine::update(int32_t target, const int16_t* u, const std::vector<int32_t>& v, EpropWeights& weights) {
  using Matrix = EpropWeights::Matrix;
  words_written_ = {};
  // SPEC §6.3: the output error, from the readouts after STEP.
  for (uint32_t k = 0; k < readouts_; ++k) {
    const int32_t wanted = static_cast<int32_t>(k) == target ? 2048 : 0;
    const int32_t y = cfg_.output_activation == OutputActivation::kIdentity ? v[k] : hard_sigmoid(v[k]);
    e_[k] = fxp::sat16(int64_t{wanted} - y);
  }
  const bool regularize = cfg_.regularizer != RegularizerMode::kNone;
  const bool multiplicative = (static_cast<int>(cfg_.regularizer) & 1) != 0;
  const bool additive = (static_cast<int>(cfg_.regularizer) & 2) != 0;
  const uint32_t n_pre = std::max(inputs_, neurons_);
  int8_t w[kEpropLanes];
  uint64_t draw[8];
  // Bits [width·lane + width − 1 : width·lane] of the advance's output (width <= 32).
  const auto lane_draw = [&draw](uint32_t lane, uint32_t width) {
    const uint32_t bit = lane * width, word = bit / 64, shift = bit % 64;
    uint64_t r = draw[word] >> shift;
    if (shift + width > 64) r |= draw[word + 1] << (64 - shift);
    return r & ((uint64_t{1} << width) - 1);
  };
  for (uint32_t g = 0; g * kEpropLanes < neurons_; ++g) {
    // Phase A (SPEC §6.2): per post neuron of the group, its learning signal from its output-weight
    // row (before this timestep's update of that row), its pseudo-derivative and regulariser
    // trace, and the update of its output-weight row.
    bool any_rho = false;
    for (uint32_t l = 0; l < kEpropLanes; ++l) {
      const uint32_t j = g * kEpropLanes + l;
      if (j >= neurons_) break;
      weights.read(Matrix::kOutput, j, 0, w);
      int64_t sum = 0;
      for (uint32_t k = 0; k < readouts_ && k < kEpropLanes; ++k) sum += int64_t{e_[k]} * w[k];
      l_[j] = fxp::sat16((sum * (int64_t{1} << cfg_.learning_signal_shift)) >> kLearningSignalFracBits);
      h_[j] = pseudo_derivative(u[j]);
      rho_[j] = regularize ? std::max<int32_t>(0, static_cast<int32_t>(trace_rec_[j] >> cfg_.trace_shift_recurrent) -
                                                      static_cast<int32_t>(cfg_.regularizer_f0))
                           : 0;
      any_rho |= rho_[j] != 0;
      const uint32_t used = trace_out_[j] >> cfg_.trace_shift_output;
      if (!cfg_.update_output || used == 0) continue;  // no write, no LFSR advance
      weight_lfsrs_[2].advance_into(draw);
      for (uint32_t k = 0; k < readouts_ && k < kEpropLanes; ++k) {
        const int64_t p = int64_t{e_[k]} * used;
        w[k] = static_cast<int8_t>(
            stochastic_update(w[k], p, kOutputUpdateBits, cfg_.rate_output_p, cfg_.rate_output_r, lane_draw(k, 28)));
      }
      weights.write(Matrix::kOutput, j, 0, w);
      ++words_written_[2];
    }
    // Phase B (SPEC §6.2): per presynaptic index, the input and recurrent weight words of the group.
    for (uint32_t i = 0; i < n_pre; ++i) {
      for (const Matrix m : {Matrix::kInput, Matrix::kRecurrent}) {
        const bool input = m == Matrix::kInput;
        if (input ? (!cfg_.update_input || i >= inputs_) : (!cfg_.update_recurrent || i >= neurons_)) continue;
        const uint32_t used = input ? trace_in_[i] >> cfg_.trace_shift_input : trace_rec_[i] >> cfg_.trace_shift_recurrent;
        if (used == 0 && !any_rho) continue;  // no write, no LFSR advance
        weights.read(m, i, g, w);
        weight_lfsrs_[static_cast<size_t>(m)].advance_into(draw);
        const uint32_t lr_p = input ? cfg_.rate_input_p : cfg_.rate_recurrent_p;
        const uint32_t lr_r = input ? cfg_.rate_input_r : cfg_.rate_recurrent_r;
        for (uint32_t l = 0; l < kEpropLanes; ++l) {
          const uint32_t j = g * kEpropLanes + l;
          if (j >= neurons_) break;
          int64_t p = h_[j] == 0 ? 0 : int64_t{l_[j]} * used * h_[j];
          if (multiplicative && p > 0) p = (p * (16 - std::min<int32_t>(rho_[j] >> cfg_.regularizer_mul_shift, 16))) >> 4;
          if (additive) {
            const uint32_t k_p = input ? cfg_.regularizer_input_p : cfg_.regularizer_recurrent_p;
            const uint32_t k_r = input ? cfg_.regularizer_input_r : cfg_.regularizer_recurrent_r;
            p = std::max<int64_t>(INT32_MIN, p - ((int64_t{rho_[j]} << k_p) >> k_r));
          }
          // P = 0 never moves a weight (sign 0), whatever the draw.
          if (p != 0) w[l] = static_cast<int8_t>(stochastic_update(w[l], p, kUpdateBits, lr_p, lr_r, lane_draw(l, 32)));
          if (!input && j == i) w[l] = 0;  // the self-connection is forced to 0 (SPEC §6.4)
        }
        weights.write(m, i, g, w);
        ++words_written_[static_cast<size_t>(m)];
      }
    }
  }
}

}  // namespace neurochip::hw
