// The e-prop learning engine of a core (SPEC.md §6): ReckOn's on-chip variant of e-prop. It keeps
// three presynaptic traces per index (input, recurrent, output; decayed in STEP, incremented in
// PROP), and in the EPROP phase of a supervised timestep computes the output error, the learning
// signals through the output weights, the pseudo-derivatives and the regulariser traces, and moves
// every weight it writes by at most one LSB by LFSR stochastic rounding. The weights are reached
// one SRAM word (16 weights) at a time through EpropWeights, so every read and write is counted by
// the memory that holds them. SystemC-free.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "common/lfsr.h"
#include "core/core_config.h"

namespace neurochip::hw {

/// The weight memories as the engine sees them: word `word` of row `pre` holds the weights of posts
/// [16 word, 16 word + 16) (lanes beyond the matrix read 0 and are not written back).
class EpropWeights {
 public:
  enum class Matrix { kInput = 0, kRecurrent = 1, kOutput = 2 };
  virtual ~EpropWeights() = default;
  virtual void read(Matrix m, uint32_t pre, uint32_t word, int8_t* w) = 0;
  virtual void write(Matrix m, uint32_t pre, uint32_t word, const int8_t* w) = 0;
};

/// Lanes of the engine: weights per SRAM word, the post neurons of a group.
inline constexpr uint32_t kEpropLanes = 16;
/// Widths of the update value P (SPEC §6.2): input and recurrent weights, output weights.
inline constexpr uint32_t kUpdateBits = 32, kOutputUpdateBits = 28;
/// The learning signal's fraction bits: L = sat16((Σ e·w · 2^s) >> 12) (SPEC §6.2).
inline constexpr uint32_t kLearningSignalFracBits = 12;

/// ReckOn's weight LFSRs: 25 bits, 512 bits per advance (16 lanes of 32) for the input and
/// recurrent weights; 22 bits, 448 bits per advance (16 lanes of 28) for the output weights.
const LfsrSpec& reckon_weight_lfsr();
const LfsrSpec& reckon_output_weight_lfsr();

/// SPEC §6.4: the stochastic ±1 update of weight `w` by update value `p` (a W-bit signed value),
/// learning rate shifts `lr_p`, `lr_r` and the W-bit draw `rnd`.
int32_t stochastic_update(int32_t w, int64_t p, uint32_t width, uint32_t lr_p, uint32_t lr_r, uint64_t rnd);
/// SPEC §6.3: the hard-sigmoid activation of a readout (2048 = 1.0).
inline int32_t hard_sigmoid(int32_t v) { return v > 2047 ? 2048 : (v < -2048 ? 0 : (v + 2048) >> 1); }

class EpropEngine {
 public:
  /// The engine of a core built as `cfg` (its learning section), for `slots` = max(I, R) trace slots.
  explicit EpropEngine(const CoreConfig& cfg);

  /// A new sample: every trace to 0 (LFSRs kept).
  void begin_sample();
  /// STEP (SPEC §6.1): decays the traces of `words` neuron words (P slots each), in word order.
  /// With stochastic rounding the trace LFSRs advance once per word whether or not the traces run
  /// (`update` false: a sample that does not learn); only their values stay as they are.
  /// The input and recurrent traces of word w decay with that word's alpha: `word_alphas[w]` on a
  /// core with word parameters (SPEC §3.1), else the core's; an alpha of exactly 1.0 neither
  /// rounds nor advances the LFSRs for that word.
  void decay(uint32_t words, bool update, const std::vector<uint16_t>& word_alphas = {});
  /// PROP (SPEC §6.1): the traces of an active index i.
  void on_input_event(uint32_t i);
  void on_spike(uint32_t i);
  /// EPROP (SPEC §6.2-§6.4) of a timestep whose target is `target`: `u` the membranes after STEP,
  /// `v` the readouts after STEP, the weights through `weights`.
  void update(int32_t target, const int16_t* u, const std::vector<int32_t>& v, EpropWeights& weights);

  const std::vector<uint16_t>& trace_input() const { return trace_in_; }
  const std::vector<uint16_t>& trace_recurrent() const { return trace_rec_; }
  const std::vector<uint16_t>& trace_output() const { return trace_out_; }
  /// The learning signal, pseudo-derivative and regulariser trace of every neuron in the last update.
  const std::vector<int32_t>& learning_signals() const { return l_; }
  const std::vector<int32_t>& pseudo_derivatives() const { return h_; }
  const std::vector<int32_t>& regularizer_traces() const { return rho_; }
  const std::vector<int32_t>& errors() const { return e_; }
  /// Words written per matrix in the last update (= advances of that matrix's weight LFSR).
  const std::array<uint64_t, 3>& words_written() const { return words_written_; }
  const StreamLfsr& weight_lfsr(EpropWeights::Matrix m) const { return weight_lfsrs_[static_cast<size_t>(m)]; }

  /// EPROP's cycles (SPEC §6.5): ceil(R / 16) groups of 2·16 + 2·max(I, R) cycles.
  static uint64_t cycles(const CoreConfig& cfg, uint32_t inputs, uint32_t neurons);
  /// EPROP's neuron-word reads (SPEC §6.4): one per post neuron in phase A and one per presynaptic
  /// index and group in phase B, R + ceil(R / 16) · max(I, R).
  static uint64_t neuron_word_reads(uint32_t inputs, uint32_t neurons);

 private:
  int32_t pseudo_derivative(int32_t u) const;

  const EpropConfig& cfg_;
  const uint32_t inputs_, neurons_, readouts_, slots_, lanes_;
  const uint32_t alpha_, kappa_;
  const bool stochastic_;
  std::vector<uint16_t> trace_in_, trace_rec_, trace_out_;
  std::vector<StreamLfsr> lfsr_in_, lfsr_rec_, lfsr_out_;  ///< trace decay, one per lane
  /// A STEP's advances of a trace LFSR (one per word), for lanes whose traces are all 0 or do not run.
  StreamLfsr::Jump jump15_, jump7_;
  uint32_t step_words_ = 0;
  std::vector<StreamLfsr> weight_lfsrs_;                   ///< input, recurrent, output
  std::vector<int32_t> l_, h_, rho_, e_;
  std::array<uint64_t, 3> words_written_{};
};

}  // namespace neurochip::hw
