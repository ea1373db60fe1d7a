// Configuration of a core's e-prop learning engine (SPEC.md §6): which weight matrices learn, the
// trace formats, the learning signal, the pseudo-derivative, the learning rates, the regulariser
// and the LFSR seeds — ReckOn's configuration registers under semantic names. SystemC-free.
#pragma once

#include <array>
#include <cstdint>

namespace neurochip::hw {

/// Firing-rate regulariser (ReckOn's SPI_REGUL_MODE bits: 1 multiplicative, 2 additive).
enum class RegularizerMode : int { kNone = 0, kMultiplicative = 1, kAdditive = 2, kBoth = 3 };
/// The readouts' activation in the output error (SPEC §6.3): ReckOn's hard sigmoid, or none
/// (SPI_NO_OUT_ACT = 1: y = v).
enum class OutputActivation : int { kHardSigmoid = 0, kIdentity = 1 };

/// What implements a core's learning engine (SPEC §6.7): the C++ model, the Verilated RTL of rtl/,
/// or both on the same inputs with every trace update and weight write compared.
enum class LearningBackend : int { kModel = 0, kRtl = 1, kLockstep = 2 };

struct EpropConfig {
  LearningBackend backend = LearningBackend::kModel;
  bool lockstep_cycles = false;  ///< lockstep also compares the cycles of every learning call
  bool update_input = false;       ///< SPI_DO_EPROP[0]
  bool update_recurrent = false;   ///< SPI_DO_EPROP[1]
  bool update_output = false;      ///< SPI_DO_EPROP[2]
  bool force_traces = false;       ///< SPI_FORCE_TRACES: traces run with learning off
  /// Presynaptic traces: stored widths 12 / 12 / 10 bits; a learning rule uses trace >> shift; an
  /// event adds 8 << shift (input, recurrent) or 2 << shift (output) (SPI_FP_LOC_T{INP,REC,OUT}).
  uint32_t trace_shift_input = 3;
  uint32_t trace_shift_recurrent = 4;
  uint32_t trace_shift_output = 6;
  uint32_t learning_signal_shift = 5;  ///< SPI_LEARN_SIG_SCALE
  OutputActivation output_activation = OutputActivation::kHardSigmoid;  ///< SPI_NO_OUT_ACT
  /// Pseudo-derivative: u < t[0] -> level[0], t[0] <= u < t[1] -> level[1], ..., u >= t[3] -> level[4]
  /// (SPI_THR_H_0..3, SPI_H_0..4; levels are 5-bit signed).
  std::array<int32_t, 4> h_thresholds{205, 205, 205, 205};
  std::array<int32_t, 5> h_levels{0, 0, 0, 0, 1};
  /// Learning rate of each matrix: q = min(|P| << p, 2^W - 1) >> r (SPI_LR_P_*, SPI_LR_R_*).
  uint32_t rate_input_p = 8, rate_input_r = 0;
  uint32_t rate_recurrent_p = 8, rate_recurrent_r = 0;
  uint32_t rate_output_p = 14, rate_output_r = 0;
  RegularizerMode regularizer = RegularizerMode::kNone;
  uint32_t regularizer_f0 = 160;                       ///< SPI_REGUL_F0
  uint32_t regularizer_input_p = 10, regularizer_input_r = 0;          ///< SPI_REGUL_K_INP_P / _R
  uint32_t regularizer_recurrent_p = 10, regularizer_recurrent_r = 0;  ///< SPI_REGUL_K_REC_P / _R
  uint32_t regularizer_mul_shift = 0;                  ///< SPI_REGUL_K_MUL
  /// Weight LFSR seeds (SPI_SEED_INP, _REC: 25 bits; SPI_SEED_OUT: 22 bits); defaults: reset values.
  uint32_t seed_input = 0x000001, seed_recurrent = 0x0424242, seed_output = 0x000001;
  /// Trace-decay LFSR seeds, 15 bits per lane as `rounding.membrane_seed` (SPI_SEED_STRND_T*).
  uint64_t seed_trace_input = 0x3FE79348, seed_trace_recurrent = 0x3DF54321, seed_trace_output = 0x3F783FF3;

  bool learns() const { return update_input || update_recurrent || update_output; }
  bool traces() const { return learns() || force_traces; }
};

/// Stored trace widths (SPEC §6.1).
inline constexpr uint32_t kTraceInputBits = 12, kTraceRecurrentBits = 12, kTraceOutputBits = 10;
/// Trace increments before their shift (SPEC §6.1): input and recurrent `8 << s`, output `2 << s`.
inline constexpr uint32_t kTraceIncrement = 8, kTraceOutputIncrement = 2;

}  // namespace neurochip::hw
