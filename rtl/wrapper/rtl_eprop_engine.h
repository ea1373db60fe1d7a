// The Verilated e-prop engine RTL (rtl/eprop_engine.sv, SPEC.md §6) behind the interface of the
// model's learning engine hw::EpropEngine: begin_sample, decay, on_input_event, on_spike, update over
// EpropWeights, the traces and the weight LFSR states. The RTL is clocked only inside these calls
// (the Verilated model's eval() with a local cycle count), so idle timesteps cost nothing. The weight
// SRAMs and the neuron SRAM's u are modelled around it as synchronous memories (read data one cycle
// after the read); every weight word the RTL reads or writes goes through EpropWeights, so the
// memory that holds the weights counts it. V is the Verilated model (Veprop_engine, or
// Veprop_engine_fault built with EPROP_FAULT_ROUNDING), verilated with --trace; its N_SLOTS must
// cover max(I, R). A VCD of the RTL's ports (verilated with --trace-depth 1) can be written while it
// runs (open_waveform), its time axis the RTL's own cycles: cycle c is clock low at 2c, high at 2c + 1.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <verilated.h>
#include <verilated_vcd_c.h>

#include "common/int_math.h"
#include "core/core_config.h"
#include "learning/eprop_engine.h"

namespace neurochip::rtl {

template <class V>
class RtlEpropEngine {
 public:
  using Matrix = hw::EpropWeights::Matrix;

  explicit RtlEpropEngine(const hw::CoreConfig& cfg)
      : neurons_(cfg.enabled.neurons),
        slots_(std::max(cfg.enabled.inputs, cfg.enabled.neurons)),
        alpha_(static_cast<uint32_t>(cfg.neuron.get("alpha"))),
        trace_in_(slots_, 0),
        trace_rec_(slots_, 0),
        trace_out_(slots_, 0) {
    if (cfg.memory.neurons_per_word < 1 || cfg.memory.neurons_per_word > hw::kMaxRoundingLanes)
      throw std::invalid_argument("RTL e-prop engine: 1..4 neurons per word");
    if (cfg.enabled.readouts > hw::kEpropLanes) throw std::invalid_argument("RTL e-prop engine: at most 16 readouts");
    const hw::EpropConfig& l = cfg.learning;
    m_.clk_i = 0;
    m_.rst_ni = 0;
    m_.eval();
    m_.rst_ni = 1;
    m_.cfg_inputs_i = cfg.enabled.inputs;
    m_.cfg_neurons_i = cfg.enabled.neurons;
    m_.cfg_readouts_i = cfg.enabled.readouts;
    m_.cfg_lanes_i = cfg.memory.neurons_per_word;
    m_.cfg_update_input_i = l.update_input;
    m_.cfg_update_recurrent_i = l.update_recurrent;
    m_.cfg_update_output_i = l.update_output;
    m_.cfg_stochastic_i = cfg.rounding.mode == hw::RoundingMode::kStochastic;
    m_.cfg_kappa_i = cfg.readout.kappa;
    m_.cfg_shift_in_i = l.trace_shift_input;
    m_.cfg_shift_rec_i = l.trace_shift_recurrent;
    m_.cfg_shift_out_i = l.trace_shift_output;
    m_.cfg_lsig_shift_i = l.learning_signal_shift;
    m_.cfg_identity_i = l.output_activation == hw::OutputActivation::kIdentity;
    uint64_t thr = 0, lvl = 0;
    for (int k = 0; k < 4; ++k) thr |= uint64_t{static_cast<uint16_t>(l.h_thresholds[k])} << (16 * k);
    for (int k = 0; k < 5; ++k) lvl |= uint64_t{static_cast<uint32_t>(l.h_levels[k]) & 31u} << (5 * k);
    m_.cfg_h_thr_i = thr;
    m_.cfg_h_level_i = static_cast<uint32_t>(lvl);
    m_.cfg_rate_in_p_i = l.rate_input_p;
    m_.cfg_rate_in_r_i = l.rate_input_r;
    m_.cfg_rate_rec_p_i = l.rate_recurrent_p;
    m_.cfg_rate_rec_r_i = l.rate_recurrent_r;
    m_.cfg_rate_out_p_i = l.rate_output_p;
    m_.cfg_rate_out_r_i = l.rate_output_r;
    m_.cfg_reg_mul_i = (static_cast<int>(l.regularizer) & 1) != 0;
    m_.cfg_reg_add_i = (static_cast<int>(l.regularizer) & 2) != 0;
    m_.cfg_reg_f0_i = l.regularizer_f0;
    m_.cfg_reg_in_p_i = l.regularizer_input_p;
    m_.cfg_reg_in_r_i = l.regularizer_input_r;
    m_.cfg_reg_rec_p_i = l.regularizer_recurrent_p;
    m_.cfg_reg_rec_r_i = l.regularizer_recurrent_r;
    m_.cfg_reg_mul_shift_i = l.regularizer_mul_shift;
    m_.cfg_seed_in_i = l.seed_input;
    m_.cfg_seed_rec_i = l.seed_recurrent;
    m_.cfg_seed_out_i = l.seed_output;
    const uint64_t seed_mask = (uint64_t{1} << (hw::kRoundingSeedBits * hw::kMaxRoundingLanes)) - 1;
    m_.cfg_seed_tin_i = l.seed_trace_input & seed_mask;
    m_.cfg_seed_trec_i = l.seed_trace_recurrent & seed_mask;
    m_.cfg_seed_tout_i = l.seed_trace_output & seed_mask;
    m_.eval();
    m_.seed_i = 1;
    m_.clear_i = 1;
    cycle(nullptr);
    m_.seed_i = 0;
    m_.clear_i = 0;
  }

  /// A new sample: every trace to 0 (LFSRs kept).
  void begin_sample() {
    call_start_ = total_cycles_;
    m_.clear_i = 1;
    cycle(nullptr);
    m_.clear_i = 0;
    read_traces();
  }
  /// STEP: decays the traces of `words` neuron words (one cycle per word).
  void decay(uint32_t words, bool update, const std::vector<uint16_t>& word_alphas = {}) {
    call_start_ = total_cycles_;
    word_alphas_ = &word_alphas;
    m_.decay_i = 1;
    m_.decay_words_i = words;
    m_.decay_update_i = update;
    cycle(nullptr);
    m_.decay_i = 0;
    run_until_idle(nullptr);
    word_alphas_ = nullptr;
    read_traces();
  }
  /// PROP: the traces of an active index i (one cycle each).
  void on_input_event(uint32_t i) { event(i, true, false); }
  void on_spike(uint32_t i) { event(i, false, true); }
  /// EPROP of a timestep whose target is `target` (readout index; any other value: no target).
  void update(int32_t target, const int16_t* u, const std::vector<int32_t>& v, hw::EpropWeights& weights) {
    call_start_ = total_cycles_;
    u_ = u;
    for (uint32_t k = 0; k < hw::kEpropLanes; ++k) {
      const uint32_t bits = k < v.size() ? static_cast<uint16_t>(v[k]) : 0u;
      m_.readout_v_i[k / 2] = (m_.readout_v_i[k / 2] & ~(0xFFFFu << (16 * (k % 2)))) | (bits << (16 * (k % 2)));
    }
    m_.target_i = target >= 0 && target < static_cast<int32_t>(hw::kEpropLanes) ? static_cast<uint32_t>(target) : 31u;
    m_.eprop_i = 1;
    busy_cycles_ = 0;
    neuron_reads_ = 0;
    words_written_ = {};
    cycle(&weights);
    m_.eprop_i = 0;
    run_until_idle(&weights);
    u_ = nullptr;
  }

  const std::vector<uint16_t>& trace_input() const { return trace_in_; }
  const std::vector<uint16_t>& trace_recurrent() const { return trace_rec_; }
  const std::vector<uint16_t>& trace_output() const { return trace_out_; }
  /// The window of a matrix's weight LFSR (as StreamLfsr::window()).
  uint64_t weight_lfsr_window(Matrix m) const {
    return m == Matrix::kInput ? m_.lfsr_in_o : (m == Matrix::kRecurrent ? m_.lfsr_rec_o : m_.lfsr_out_o);
  }
  /// The last update's cycles (busy_o high), neuron-SRAM reads and words written per matrix.
  uint64_t last_cycles() const { return busy_cycles_; }
  uint64_t last_neuron_reads() const { return neuron_reads_; }
  const std::array<uint64_t, 3>& words_written() const { return words_written_; }
  /// Cycles clocked since construction (the RTL runs only inside the calls).
  uint64_t total_cycles() const { return total_cycles_; }
  /// Cycles clocked by the last call (begin_sample, decay, an event or update).
  uint64_t call_cycles() const { return total_cycles_ - call_start_; }

  /// Starts writing every signal of the RTL to a VCD at `path` from the next cycle on; a waveform
  /// already open is closed first (the model is traced once; its trace file can be reopened).
  void open_waveform(const std::string& path) {
    if (!vcd_) {
      Verilated::traceEverOn(true);
      vcd_ = std::make_unique<VerilatedVcdC>();
      m_.trace(vcd_.get(), 1);  // the ports (the model is verilated with --trace-depth 1)
    }
    vcd_->close();
    vcd_->open(path.c_str());
    if (!vcd_->isOpen()) throw std::runtime_error("RTL e-prop engine: cannot write the waveform " + path);
  }
  /// Flushes and closes the waveform, if one is open.
  void close_waveform() {
    if (vcd_) vcd_->close();
  }

 private:
  using Word = std::array<int8_t, hw::kEpropLanes>;

  void event(uint32_t i, bool input, bool spike) {
    call_start_ = total_cycles_;
    m_.inc_idx_i = i;
    m_.inc_input_i = input;
    m_.inc_spike_i = spike;
    cycle(nullptr);
    m_.inc_input_i = 0;
    m_.inc_spike_i = 0;
    m_.trace_idx_i = i;
    m_.eval();
    trace_in_[i] = static_cast<uint16_t>(m_.trace_in_o);
    trace_rec_[i] = static_cast<uint16_t>(m_.trace_rec_o);
    trace_out_[i] = static_cast<uint16_t>(m_.trace_out_o);
  }
  void read_traces() {
    for (uint32_t i = 0; i < slots_; ++i) {
      m_.trace_idx_i = i;
      m_.eval();
      trace_in_[i] = static_cast<uint16_t>(m_.trace_in_o);
      trace_rec_[i] = static_cast<uint16_t>(m_.trace_rec_o);
      trace_out_[i] = static_cast<uint16_t>(m_.trace_out_o);
    }
  }
  void run_until_idle(hw::EpropWeights* weights) {
    for (uint64_t guard = 0; m_.busy_o; ++guard) {
      if (guard > (uint64_t{1} << 26)) throw std::runtime_error("RTL e-prop engine: never finishes");
      cycle(weights);
    }
  }
  /// One clock cycle: the SRAMs answer the cycle's reads after the edge and take its writes.
  void cycle(hw::EpropWeights* weights) {
    m_.clk_i = 0;
    const uint32_t word = m_.decay_word_o;
    m_.decay_alpha_i = word_alphas_ && word < word_alphas_->size() ? (*word_alphas_)[word] : alpha_;
    m_.eval();
    if (vcd_ && vcd_->isOpen()) vcd_->dump(2 * total_cycles_);
    ++total_cycles_;
    if (m_.busy_o) ++busy_cycles_;
    std::optional<Word> rd[3];
    std::optional<uint16_t> u;
    if (m_.nrn_re_o) {
      ++neuron_reads_;
      // Phase A reads u of a post neuron; phase B's reads (of an index's traces) may pass R.
      if (u_ && m_.nrn_idx_o < neurons_) u = static_cast<uint16_t>(u_[m_.nrn_idx_o]);
    }
    if (weights) {
      port(*weights, Matrix::kInput, m_.win_re_o, m_.win_we_o, m_.win_pre_o, m_.win_word_o, m_.win_wdata_o, rd[0]);
      port(*weights, Matrix::kRecurrent, m_.wrec_re_o, m_.wrec_we_o, m_.wrec_pre_o, m_.wrec_word_o, m_.wrec_wdata_o,
           rd[1]);
      port(*weights, Matrix::kOutput, m_.wout_re_o, m_.wout_we_o, m_.wout_pre_o, 0, m_.wout_wdata_o, rd[2]);
    }
    m_.clk_i = 1;
    m_.eval();
    if (vcd_ && vcd_->isOpen()) vcd_->dump(2 * total_cycles_ - 1);
    if (u) m_.nrn_u_i = *u;
    if (rd[0]) set_word(m_.win_rdata_i, *rd[0]);
    if (rd[1]) set_word(m_.wrec_rdata_i, *rd[1]);
    if (rd[2]) set_word(m_.wout_rdata_i, *rd[2]);
    m_.clk_i = 0;
    m_.eval();
  }
  template <class Data>
  void port(hw::EpropWeights& weights, Matrix mat, bool re, bool we, uint32_t pre, uint32_t word, const Data& wdata,
            std::optional<Word>& rd) {
    if (re) {
      Word w{};
      weights.read(mat, pre, word, w.data());
      rd = w;
    }
    if (we) {
      Word w{};
      for (uint32_t l = 0; l < hw::kEpropLanes; ++l) w[l] = static_cast<int8_t>(wdata[l / 4] >> (8 * (l % 4)));
      weights.write(mat, pre, word, w.data());
      ++words_written_[static_cast<size_t>(mat)];
    }
  }
  template <class Data>
  static void set_word(Data& d, const Word& w) {
    for (uint32_t i = 0; i < 4; ++i) {
      uint32_t v = 0;
      for (uint32_t b = 0; b < 4; ++b) v |= uint32_t{static_cast<uint8_t>(w[4 * i + b])} << (8 * b);
      d[i] = v;
    }
  }

  V m_;
  const uint32_t neurons_, slots_, alpha_;
  std::vector<uint16_t> trace_in_, trace_rec_, trace_out_;
  const std::vector<uint16_t>* word_alphas_ = nullptr;
  const int16_t* u_ = nullptr;
  uint64_t busy_cycles_ = 0, neuron_reads_ = 0, total_cycles_ = 0, call_start_ = 0;
  std::unique_ptr<VerilatedVcdC> vcd_;
  std::array<uint64_t, 3> words_written_{};
};

}  // namespace neurochip::rtl
