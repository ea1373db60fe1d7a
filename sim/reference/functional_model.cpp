// Functional reference model of a neurochip chip at timestep granularity: the oracle the cycle
// model is checked against. Each core keeps its architectural state as plain integer vectors and
// its weights as dense int8 matrices, and walks the neurons one at a time.
// Implements SPEC.md §2.4 (neuron STEP), §2.5 (readouts), §2.6 (PROP), §2.7 (initial state),
// §3.3 (access counters), §3.4 (sparse lists, from the dense rows), §4.1 (phase cycles from the
// phase table's formulas, spike stamps), §5 (clock domains, input windows; the timestep policy
// through the shared TimestepScheduler) and §7.7 (a chip with a network: its packets through the
// shared network kernel, the barrier, integration in canonical order). All datapath arithmetic
// goes through hw::fxp (fixed_point.h).
#include "reference/functional_model.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>

#include "chip/timestep_scheduler.h"
#include "core/neuron_param_runs.h"
#include "core/stochastic_rounding.h"
#include "learning/eprop_engine.h"
#include "common/fixed_point.h"
#include "core/core_timing.h"
#include "memory/synapse_list_layout.h"
#include "reference/functional_stats.h"
#include "chip/noc_stats.h"
#include "core/phase_table.h"
#include "noc/noc_config.h"

namespace neurochip::sim {
namespace {

namespace fxp = hw::fxp;

/// Rejects a core the loader should never have produced: weight matrices of the wrong size, a
/// packing that divides by zero, or weights outside the signed range of `weights.bits` (SPEC §2.2).
void check_core(const hw::CoreConfig& cfg, const hw::CoreImage& im, size_t index) {
  const std::string where = "functional model, core " + std::to_string(index) + ": ";
  const size_t inputs = cfg.enabled.inputs, neurons = cfg.enabled.neurons, readouts = cfg.enabled.readouts;
  if (im.input_weights.size() != inputs * neurons ||
      im.recurrent_weights.size() != neurons * neurons ||
      im.output_weights.size() != neurons * readouts) {
    throw std::logic_error(where + "weight matrix size does not match the enabled slot counts");
  }
  const int bits = cfg.weights.bits;
  if (bits < 2 || bits > 8) throw std::logic_error(where + "weights.bits out of range");
  if (cfg.memory.neurons_per_word == 0) throw std::logic_error(where + "neurons_per_word is 0");
  for (const hw::SramGeometry* sram : {&cfg.memory.input_weight_sram, &cfg.memory.recurrent_weight_sram,
                                       &cfg.memory.output_weight_sram}) {
    if (sram->word_bits < static_cast<uint32_t>(bits)) {
      throw std::logic_error(where + "weight SRAM word narrower than one weight");
    }
  }
  const int lo = -(1 << (bits - 1)), hi = (1 << (bits - 1)) - 1;
  for (const auto* m : {&im.input_weights, &im.recurrent_weights, &im.output_weights}) {
    for (int8_t w : *m) {
      if (w < lo || w > hi) {
        throw std::logic_error(where + "weight " + std::to_string(w) + " does not fit " +
                               std::to_string(bits) + " bits");
      }
    }
  }
}

/// What one core did in one timestep.
struct StepOutcome {
  hw::TimestepWork work;
  uint64_t input_events = 0;
  std::vector<uint32_t> spiking;  ///< neurons that spiked, ascending
  int32_t label = -1;             ///< the sample's label, on its last tick
  std::vector<uint16_t> votes;
};

/// One core: state, weights and counters, advanced one timestep at a time.
class CoreModel {
 public:
  CoreModel(const hw::CoreConfig& cfg, const hw::CoreImage& image)
      : cfg_(cfg),
        im_(cfg.learning.learns() ? &learned_ : &image),
        inputs_(cfg.enabled.inputs),
        neurons_(cfg.enabled.neurons),
        readouts_(cfg.enabled.readouts),
        state_(cfg.neuron.model().fields.size(), std::vector<hw::FieldWord>(neurons_, 0)),
        ref_field_(cfg.neuron.model().refractory_field),
        v_(readouts_, 0),
        votes_(readouts_, 0) {
    if (cfg.learning.learns()) learned_ = image;  // the weights it learns (the image stays as loaded)
    word_alphas_ = image.word_alphas;
    runs_ = hw::neuron_param_runs(cfg.neuron, image.word_thresholds, image.word_alphas, cfg.memory.neurons_per_word,
                                  neurons_);
    if (cfg.learning.traces()) eprop_.emplace(cfg);
    if (!image.axon_sources.empty() || !image.neuron_sources.empty()) {
      // SPEC §7.7: the core's sources by canonical index; an input axon below remote_axons_from is
      // an input, one from it on carries a remote neuron.
      std::map<uint32_t, CanonicalSource> by_index;
      const auto at = [&by_index](uint32_t i) -> CanonicalSource& { return by_index[i]; };
      for (uint32_t a = 0; a < image.axon_sources.size(); ++a) {
        CanonicalSource& src = at(image.axon_sources[a]);
        (a < image.remote_axons_from ? src.input_axon : src.neuron_axon) = a;
      }
      for (uint32_t n = 0; n < image.neuron_sources.size(); ++n) at(image.neuron_sources[n]).neuron_slot = n;
      for (const auto& entry : by_index) canonical_.push_back(entry.second);
    }
    if (cfg.noise.enabled) noise_lfsr_.emplace(hw::reckon_noise_lfsr(), cfg.noise.seed);
    if (cfg.rounding.mode == hw::RoundingMode::kStochastic) {
      for (uint32_t l = 0; l < cfg.memory.neurons_per_word; ++l)
        membrane_lfsrs_.emplace_back(hw::reckon_membrane_lfsr(), hw::membrane_lane_seed(cfg.rounding.membrane_seed, l));
      readout_lfsr_.emplace(hw::reckon_readout_lfsr(), cfg.rounding.readout_seed);
    }
  }

  /// An input event for `axon` arriving at `time` (SPEC §5.3); unmapped axons are counted.
  void offer(uint32_t axon, hw::Ps time) {
    if (axon >= inputs_) {
      ++counters_.unmapped_input_events;
      return;
    }
    arrivals_.push_back({time, axon});
  }

  /// The input bits of the timestep whose first cycle begins at `start`: every event that arrived
  /// at or before it and was not taken by an earlier timestep (repeats merge).
  std::vector<uint8_t> take_window(hw::Ps start) {
    std::vector<uint8_t> x(inputs_, 0);
    size_t kept = 0;
    for (const Arrival& a : arrivals_) {
      if (a.time <= start) {
        x[a.axon] = 1;
      } else {
        arrivals_[kept++] = a;
      }
    }
    arrivals_.resize(kept);
    return x;
  }

  /// Starts one timestep with input event bits `x` (size I, 0 or 1) at place `ctx` of the sample
  /// protocol (SPEC §4.5), up to PROP: a sample's first tick resets the core and only integrates;
  /// its last tick steps, votes and sends the label but integrates nothing; every other tick does
  /// SYNC, STEP, STEP_DONE (the vote) and, in finish_timestep, PROP.
  StepOutcome begin_timestep(std::vector<uint8_t> x, const hw::TimestepContext& ctx) {
    StepOutcome out;
    for (uint8_t bit : x) out.input_events += bit;
    x_ = std::move(x);
    ctx_ = ctx;
    if (ctx.sample_first) begin_sample();
    z_.assign(neurons_, 0);
    traces_ = eprop_ && hw::traces_run(cfg_, ctx);
    supp_ = hw::updates_input_only_traces(cfg_, ctx);
    if (!ctx.sample_first) {
      step(z_);
      if (ctx.infer && readouts_ > 0) {
        const auto k = static_cast<size_t>(std::max_element(v_.begin(), v_.end()) - v_.begin());
        if (votes_[k] < UINT16_MAX) ++votes_[k];
      }
    }
    for (uint32_t j = 0; j < neurons_; ++j) {
      if (z_[j]) out.spiking.push_back(j);
    }
    if (eprop_ && cfg_.learning.learns() && ctx.learn && ctx.supervise && !ctx.sample_first && !ctx.sample_last) {
      DenseWeights weights(learned_, neurons_, readouts_, counters_);
      eprop_->update(ctx.target, state_[0].data(), v_, weights);
      counters_.neuron_sram_reads += hw::EpropEngine::neuron_word_reads(inputs_, neurons_);
    }
    return out;
  }

  /// A chip with a network (SPEC §7.7): a spike of this timestep from another core on remote input
  /// axon `axon`, integrated by this timestep's PROP. Between begin_timestep and finish_timestep.
  void receive_remote(uint32_t axon) { x_.at(axon) = 1; }

  /// Ends the timestep begun by begin_timestep: PROP, and on a sample's last tick the label.
  void finish_timestep(StepOutcome& out) {
    if (!ctx_.sample_last) prop(out.work);
    if (ctx_.sample_last) {
      out.label = votes_.empty() ? -1 : static_cast<int32_t>(std::max_element(votes_.begin(), votes_.end()) - votes_.begin());
      out.votes = votes_;
    }
    counters_.input_events += out.input_events;
    counters_.spikes += out.spiking.size();
  }

  const std::vector<int32_t>& readouts() const { return v_; }
  const CoreCounters& counters() const { return counters_; }
  CoreState state() const {
    CoreState st;
    for (const hw::StateField& f : cfg_.neuron.model().fields) st.field_names.push_back(f.name);
    st.fields = hw::field_values(cfg_.neuron.model().fields, state_);
    st.readout = v_;
    if (cfg_.learning.learns()) st.learned = learned_;
    return st;
  }

 private:
  /// A new sample: state fields, readouts and win counters to 0 (weights and LFSRs kept).
  void begin_sample() {
    for (std::vector<hw::FieldWord>& field : state_) std::fill(field.begin(), field.end(), hw::FieldWord{0});
    std::fill(v_.begin(), v_.end(), 0);
    std::fill(votes_.begin(), votes_.end(), uint16_t{0});
    if (eprop_) eprop_->begin_sample();
  }

  uint64_t neuron_words() const { return hw::ceil_div(neurons_, cfg_.memory.neurons_per_word); }

  /// Words of one crossbar row of `slots` weights in an SRAM of `word_bits` bits (SPEC §3.2-§3.3).
  uint64_t row_words(uint32_t slots, uint32_t word_bits) const {
    return hw::ceil_div(slots, word_bits / static_cast<uint32_t>(cfg_.weights.bits));
  }

  /// SPEC §2.4 for every neuron in ascending order (the model's update), then the readout leak of §2.5.
  /// With stochastic rounding (SPEC §2.3), neuron j's draw is its lane's (j mod P) LFSR output at
  /// the advance for its word (j div P); every lane advances for every word, and the readout LFSR
  /// once per readout slot; nothing advances for a factor of exactly 1.0 (a word's alpha, SPEC §3.1).
  /// The neurons step run by run of equal parameters (the model's definition, never its sweep).
  void step(std::vector<uint8_t>& z) {
    spiking_.clear();
    const uint16_t* draws = nullptr;
    // SPEC §4.1: with a STEP counter, the words written before it ends; the rest keep their state.
    const hw::CoreShape shape{inputs_, neurons_, readouts_};
    const uint32_t per_word = cfg_.memory.neurons_per_word;
    const uint64_t words = hw::step_words_written(cfg_, shape, neuron_words());
    const auto stepped = static_cast<uint32_t>(std::min<uint64_t>(neurons_, words * per_word));
    if (!membrane_lfsrs_.empty()) {
      draws_.assign(words * per_word, hw::kNoRoundingDraw);
      bool any = false;
      for (uint64_t w = 0; w < words; ++w) {
        if (hw::word_alpha(cfg_.neuron, word_alphas_, w) == fxp::kAlphaOne) continue;
        any = true;
        for (uint32_t l = 0; l < per_word; ++l) draws_[w * per_word + l] = static_cast<uint16_t>(membrane_lfsrs_[l].advance());
      }
      if (any) draws = draws_.data();
    }
    hw::step_neuron_runs(runs_, state_, stepped, z.data(), spiking_, draws, false);
    if (eprop_)
      eprop_->decay(static_cast<uint32_t>(hw::step_words_written(
                        cfg_, shape, hw::ceil_div(std::max(inputs_, neurons_), per_word))),
                    traces_, word_alphas_);
    const uint32_t kappa = cfg_.readout.kappa;
    if (readout_lfsr_ && kappa != fxp::kKappaOne) {
      for (uint32_t k = 0; k < cfg_.memory.max_readouts; ++k) {
        const auto draw = static_cast<uint32_t>(readout_lfsr_->advance());
        if (k < readouts_) v_[k] = fxp::leak_kappa_stochastic(v_[k], kappa, draw);
      }
    } else {
      for (int32_t& v : v_) v = fxp::leak_kappa(v, kappa);
    }
    counters_.neuron_sram_reads += neuron_words();
    counters_.neuron_sram_writes += neuron_words();
  }

  /// Adds contribution c (and, with membrane noise, neuron j's noise draw of this sweep) to neuron
  /// j unless it is refractory (SPEC §2.4, §2.6).
  void integrate(uint32_t j, int32_t c) {
    std::vector<hw::FieldWord>& u = state_[0];
    int64_t noise = 0;
    if (noise_lfsr_) {
      const uint32_t per_word = cfg_.memory.neurons_per_word;
      if (j % per_word == 0) noise_draw_ = noise_lfsr_->advance();  // one draw per word, lanes ascending
      noise = static_cast<int16_t>(static_cast<uint16_t>(noise_draw_ >> (16 * (j % per_word)))) >> cfg_.noise.shift;
    }
    const int32_t sum = fxp::sat16(int64_t{u[j]} + fxp::sat16(c) + noise);
    if (ref_field_ < 0 || state_[static_cast<size_t>(ref_field_)][j] == 0) u[j] = hw::field_word(sum);
  }

  /// The non-zero weights among the first n of a row (SPEC §3.3 nonzero synaptic events).
  static uint64_t nonzero(const int8_t* row, uint32_t n) {
    return static_cast<uint64_t>(std::count_if(row, row + n, [](int8_t w) { return w != 0; }));
  }

  /// SPEC §2.6: active indices ascending over 0..max(I, R)-1, counters per §3.3; on a core of a
  /// chip with a network, the canonical order of §7.7.
  void prop(hw::TimestepWork& work) {
    const std::vector<uint8_t>& x = x_;
    const std::vector<uint8_t>& z = z_;
    const hw::CoreImage& im = *im_;
    const uint32_t scan = std::max(inputs_, neurons_);
    if (!canonical_.empty()) {
      prop_canonical(work);
      return;
    }
    for (uint32_t i = 0; i < scan; ++i) {
      const bool xi = i < inputs_ && x[i];
      const bool zi = i < neurons_ && z[i];
      if (!xi && !zi) continue;
      ++work.active_indices;
      if (i >= neurons_ && supp_) ++work.input_only_indices;
      // Row pointers by offset: a core with no neurons has empty matrices (no element to index).
      const int8_t* w_in = xi ? im.input_weights.data() + size_t{i} * neurons_ : nullptr;
      const int8_t* w_rec = zi ? im.recurrent_weights.data() + size_t{i} * neurons_ : nullptr;
      if (cfg_.memory.sparse()) {
        read_lists(w_in, w_rec, work);
        apply_lists(w_in, cfg_.weights.input_shift, w_rec, cfg_.weights.recurrent_shift);
      } else {
        prop_crossbar(xi, w_in, zi, w_rec);
      }
      if (traces_) {
        if (xi) eprop_->on_input_event(i);
        if (zi) eprop_->on_spike(i);
      }
      if (zi) add_readouts(i);
    }
  }

  /// SPEC §2.6: the readouts of a spike of neuron slot i, from the output crossbar.
  void add_readouts(uint32_t i) {
    const hw::CoreImage& im = *im_;
    for (uint32_t k = 0; k < readouts_; ++k) {
      const int32_t c = fxp::weight_contribution(im.output_weights[size_t{i} * readouts_ + k], cfg_.weights.output_shift);
      v_[k] = fxp::sat_add16(v_[k], c);
    }
    counters_.output_sram_reads += row_words(readouts_, cfg_.memory.output_weight_sram.word_bits);
    counters_.synaptic_events += readouts_;
    counters_.nonzero_synaptic_events += nonzero(im.output_weights.data() + size_t{i} * readouts_, readouts_);
  }

  /// SPEC §7.7 (and §3.4 on a sparse core): PROP of a core of a chip with a network. The active
  /// indices are the core's own (its axons, remote ones included, and its neurons), and on a sparse
  /// core each reads its axon-table entry and lists as it would alone; the contributions are then
  /// applied source by source in ascending canonical index, the input and the neuron (local: its
  /// recurrent row; remote: its axon's input row, with the recurrent shift) of one index summed
  /// before the addition. No learning runs on a networked chip (the loader refuses it).
  void prop_canonical(hw::TimestepWork& work) {
    const hw::CoreImage& im = *im_;
    const hw::WeightParams& wp = cfg_.weights;
    const bool sparse = cfg_.memory.sparse();
    const uint32_t scan = std::max(inputs_, neurons_);
    for (uint32_t i = 0; i < scan; ++i) {
      const bool xi = i < inputs_ && x_[i];
      const bool zi = i < neurons_ && z_[i];
      if (!xi && !zi) continue;
      ++work.active_indices;
      if (sparse)
        read_lists(xi ? im.input_weights.data() + size_t{i} * neurons_ : nullptr,
                   zi ? im.recurrent_weights.data() + size_t{i} * neurons_ : nullptr, work);
    }
    for (const CanonicalSource& src : canonical_) {
      const bool xi = src.input_axon != kNone && x_[src.input_axon];
      const bool local = src.neuron_slot != kNone && z_[src.neuron_slot];
      const bool remote = src.neuron_axon != kNone && x_[src.neuron_axon];
      if (!xi && !local && !remote) continue;
      const int8_t* w_x = xi ? im.input_weights.data() + size_t{src.input_axon} * neurons_ : nullptr;
      const int8_t* w_z = local    ? im.recurrent_weights.data() + size_t{src.neuron_slot} * neurons_
                          : remote ? im.input_weights.data() + size_t{src.neuron_axon} * neurons_
                                   : nullptr;
      if (sparse) {
        apply_lists(w_x, wp.input_shift, w_z, wp.recurrent_shift);
      } else {
        for (uint32_t j = 0; j < neurons_; ++j)
          integrate(j, fxp::sat_add16(w_x ? fxp::weight_contribution(w_x[j], wp.input_shift) : 0,
                                      w_z ? fxp::weight_contribution(w_z[j], wp.recurrent_shift) : 0));
        counters_.neuron_sram_reads += neuron_words();
        counters_.neuron_sram_writes += neuron_words();
        const uint64_t input_row = row_words(neurons_, cfg_.memory.input_weight_sram.word_bits);
        if (w_x) {
          counters_.input_sram_reads += input_row;
          counters_.synaptic_events += neurons_;
          counters_.nonzero_synaptic_events += nonzero(w_x, neurons_);
        }
        if (w_z) {
          counters_.synaptic_events += neurons_;
          counters_.nonzero_synaptic_events += nonzero(w_z, neurons_);
          if (local) {
            counters_.recurrent_sram_reads += row_words(neurons_, cfg_.memory.recurrent_weight_sram.word_bits);
          } else {
            counters_.input_sram_reads += input_row;
          }
        }
      }
      if (local) add_readouts(src.neuron_slot);
    }
  }

  /// SPEC §2.6 on a crossbar core (§3.3): every neuron receives its contribution, every enabled
  /// neuron word is read and written, every row word of the index read.
  void prop_crossbar(bool xi, const int8_t* w_in, bool zi, const int8_t* w_rec) {
    const hw::WeightParams& wp = cfg_.weights;
    // Three loops instead of one with per-neuron branches on xi/zi: same arithmetic, but the
    // compiler vectorises each (this model is also the --fidelity functional backend).
    if (xi && zi) {
      for (uint32_t j = 0; j < neurons_; ++j) {
        const int32_t c = fxp::sat_add16(fxp::weight_contribution(w_in[j], wp.input_shift),
                                         fxp::weight_contribution(w_rec[j], wp.recurrent_shift));
        integrate(j, c);
      }
    } else if (xi) {
      for (uint32_t j = 0; j < neurons_; ++j) integrate(j, fxp::weight_contribution(w_in[j], wp.input_shift));
    } else {
      for (uint32_t j = 0; j < neurons_; ++j) integrate(j, fxp::weight_contribution(w_rec[j], wp.recurrent_shift));
    }
    counters_.neuron_sram_reads += neuron_words();
    counters_.neuron_sram_writes += neuron_words();
    if (xi) {
      counters_.input_sram_reads += row_words(neurons_, cfg_.memory.input_weight_sram.word_bits);
      counters_.synaptic_events += neurons_;
      counters_.nonzero_synaptic_events += nonzero(w_in, neurons_);
    }
    if (zi) {
      counters_.recurrent_sram_reads += row_words(neurons_, cfg_.memory.recurrent_weight_sram.word_bits);
      counters_.synaptic_events += neurons_;
      counters_.nonzero_synaptic_events += nonzero(w_rec, neurons_);
    }
  }

  /// SPEC §3.4 on a sparse core, from the dense rows, the reads of one active index: one
  /// axon-table read; the words of its input list (w_in given) and recurrent list (w_rec given), E
  /// entries per word, each of its entries a synaptic event.
  void read_lists(const int8_t* w_in, const int8_t* w_rec, hw::TimestepWork& work) {
    const hw::CoreMemoryConfig& m = cfg_.memory;
    const uint32_t per_word = hw::synapse_entries_per_word(m.synapse_list_sram.word_bits, m.max_neurons,
                                                           static_cast<uint32_t>(cfg_.weights.bits));
    const uint64_t in_entries = w_in ? nonzero(w_in, neurons_) : 0;
    const uint64_t rec_entries = w_rec ? nonzero(w_rec, neurons_) : 0;
    const uint64_t words = hw::synapse_list_words(in_entries, per_word) + hw::synapse_list_words(rec_entries, per_word);
    ++counters_.axon_table_reads;
    counters_.synapse_list_reads += words;
    work.synapse_list_words += words;
    counters_.synaptic_events += in_entries + rec_entries;
    counters_.nonzero_synaptic_events += in_entries + rec_entries;
  }

  /// SPEC §3.4: the entries of two lists (the dense rows `a`, shift `sa`, and `b`, shift `sb`,
  /// either null) merged by target: each target of a non-zero weight receives sat16(a + b
  /// contribution), ascending; the distinct neuron words of those targets are read and written once.
  void apply_lists(const int8_t* a, int sa, const int8_t* b, int sb) {
    const uint32_t per_word = cfg_.memory.neurons_per_word;
    uint64_t last_word = UINT64_MAX;
    for (uint32_t j = 0; j < neurons_; ++j) {
      const int8_t wa = a ? a[j] : 0, wb = b ? b[j] : 0;
      if (wa == 0 && wb == 0) continue;
      integrate(j, fxp::sat_add16(fxp::weight_contribution(wa, sa), fxp::weight_contribution(wb, sb)));
      if (j / per_word != last_word) {
        last_word = j / per_word;
        ++counters_.neuron_sram_reads;
        ++counters_.neuron_sram_writes;
      }
    }
  }

  struct Arrival {
    hw::Ps time;
    uint32_t axon;
  };

  /// The dense weight matrices as the learning engine reaches them, one 16-weight word per call,
  /// each call counted as one SRAM word read or write (SPEC §3.3, §6).
  class DenseWeights : public hw::EpropWeights {
   public:
    DenseWeights(hw::CoreImage& im, uint32_t neurons, uint32_t readouts, CoreCounters& counters)
        : im_(im), neurons_(neurons), readouts_(readouts), counters_(counters) {}
    void read(Matrix m, uint32_t pre, uint32_t word, int8_t* w) override {
      ++reads(m);
      const auto [data, posts] = row(m, pre);
      for (uint32_t l = 0; l < hw::kEpropLanes; ++l) {
        const uint32_t post = word * hw::kEpropLanes + l;
        w[l] = post < posts ? data[post] : 0;
      }
    }
    void write(Matrix m, uint32_t pre, uint32_t word, const int8_t* w) override {
      ++writes(m);
      const auto [data, posts] = row(m, pre);
      for (uint32_t l = 0; l < hw::kEpropLanes; ++l) {
        const uint32_t post = word * hw::kEpropLanes + l;
        if (post < posts) data[post] = w[l];
      }
    }

   private:
    std::pair<int8_t*, uint32_t> row(Matrix m, uint32_t pre) {
      switch (m) {
        case Matrix::kInput: return {im_.input_weights.data() + size_t{pre} * neurons_, neurons_};
        case Matrix::kRecurrent: return {im_.recurrent_weights.data() + size_t{pre} * neurons_, neurons_};
        case Matrix::kOutput: break;
      }
      return {im_.output_weights.data() + size_t{pre} * readouts_, readouts_};
    }
    uint64_t& reads(Matrix m) {
      return m == Matrix::kInput ? counters_.input_sram_reads
                                 : (m == Matrix::kRecurrent ? counters_.recurrent_sram_reads : counters_.output_sram_reads);
    }
    uint64_t& writes(Matrix m) {
      return m == Matrix::kInput ? counters_.input_sram_writes
                                 : (m == Matrix::kRecurrent ? counters_.recurrent_sram_writes : counters_.output_sram_writes);
    }
    hw::CoreImage& im_;
    uint32_t neurons_, readouts_;
    CoreCounters& counters_;
  };

  const hw::CoreConfig& cfg_;
  hw::CoreImage learned_;    ///< with learning: the weights as they learn
  const hw::CoreImage* im_;  ///< the weights, read in place (learned_ with learning)
  std::optional<hw::EpropEngine> eprop_;
  std::optional<hw::StreamLfsr> noise_lfsr_;  ///< membrane noise (SPEC §2.6)
  uint64_t noise_draw_ = 0;
  bool traces_ = false;  ///< the traces run in the current timestep (SPEC §6.1)
  bool supp_ = false;    ///< input-only indices update their input trace (SPEC §4.1)
  const uint32_t inputs_, neurons_, readouts_;
  hw::NeuronFields state_;                ///< the model's state fields, field 0 the membrane
  std::vector<uint16_t> word_alphas_;     ///< with word parameters: each neuron word's alpha
  std::vector<hw::NeuronParamRun> runs_;  ///< STEP's runs of neurons with equal parameters
  int ref_field_;                         ///< the refractory field, or -1
  std::vector<int32_t> v_;
  std::vector<uint16_t> votes_;           ///< win counters of the current sample
  std::vector<uint32_t> spiking_;
  std::vector<hw::StreamLfsr> membrane_lfsrs_;  ///< stochastic rounding: one per lane
  std::optional<hw::StreamLfsr> readout_lfsr_;
  std::vector<uint16_t> draws_;
  std::vector<Arrival> arrivals_;  ///< input events not yet taken by a timestep
  std::vector<uint8_t> x_, z_;     ///< the current timestep's input and spike bits
  hw::TimestepContext ctx_;        ///< the current timestep's place in the sample protocol
  /// One canonical index of a core of a chip with a network (SPEC §7.7): its input axon, and its
  /// neuron's slot (local) or axon (remote); kNone where the core has none.
  static constexpr uint32_t kNone = 0xFFFFFFFFu;
  struct CanonicalSource {
    uint32_t input_axon = kNone, neuron_slot = kNone, neuron_axon = kNone;
  };
  std::vector<CanonicalSource> canonical_;  ///< by ascending canonical index; empty without a network
  CoreCounters counters_;
};

}  // namespace

namespace {

/// Where a core's timestep stands before PROP (SPEC §4.1, §7.7): the cycles of the phases before
/// PROP (its ready cycle, from the timestep's first), whether PROP runs, and when the core reports
/// that its spikes are out (the end of STEP; without a STEP, when it reaches PROP; without either,
/// the end of the timestep).
struct BeforeProp {
  uint64_t ready = 0;
  bool prop = false;
  uint64_t report = 0;
};

BeforeProp before_prop(const hw::CoreConfig& cfg, const hw::TimestepContext& ctx) {
  const hw::PhaseTable& table = hw::PhaseTable::instance();
  const hw::CoreShape shape{cfg.enabled.inputs, cfg.enabled.neurons, cfg.enabled.readouts};
  BeforeProp b;
  bool stepped = false, at_prop = false;
  uint64_t elapsed = 0;
  for (hw::PhaseId id : table.order()) {
    if (!table.runs_on(id, cfg, ctx)) continue;
    if (id == hw::kPhaseProp) {
      b.prop = true;
      b.ready = elapsed;
      if (!stepped) b.report = elapsed;
      at_prop = true;
      break;
    }
    elapsed += table[id].cycles(cfg, shape, hw::TimestepWork{});  // no phase before PROP depends on its work
    if (id == hw::kPhaseStep) {
      b.report = elapsed;
      stepped = true;
    }
  }
  if (!at_prop && !stepped) b.report = elapsed;
  return b;
}

/// The network of a chip (SPEC §7.7) as the functional run drives it: the shared kernel, its
/// routing tables with table multicast, and each neuron's destinations.
class ChipNetwork {
 public:
  ChipNetwork(const hw::ChipConfig& chip, const hw::ChipImage& image)
      : chip_(chip), image_(image), topology_(hw::noc::make_topology(chip.noc)), network_(*topology_, chip.noc.timing) {
    if (chip.noc.multicast == hw::noc::Multicast::kTable) {
      std::vector<std::vector<hw::noc::RouteEntry>> tables(topology_->routers());
      for (uint32_t c = 0; c < image.cores.size(); ++c)
        hw::noc::multicast_entries(*topology_, c, image.cores[c].fanout_begin, image.cores[c].fanout,
                                   [&tables](uint32_t router, const hw::noc::RouteEntry& e) { tables[router].push_back(e); });
      for (uint32_t r = 0; r < topology_->routers(); ++r) network_.set_table(r, std::move(tables[r]));
    }
  }

  /// Sends neuron `slot` of core `core`'s spike, leaving its core at `time`: with source fan-out
  /// one unicast packet per destination core (cores ascending), with table multicast one packet
  /// with the neuron's key. Packets go in the order they are sent.
  void send(uint32_t core, uint32_t slot, hw::Ps time) {
    const std::vector<uint32_t>& begin = image_.cores[core].fanout_begin;
    if (slot + 1 >= begin.size() || begin[slot] == begin[slot + 1]) return;
    const uint64_t cores = chip_.cores.size();
    hw::noc::Packet p;
    p.src = core;
    p.inject_ps = time.count();
    if (chip_.noc.multicast == hw::noc::Multicast::kTable) {
      p.multicast = true;
      p.key = hw::noc::multicast_key(core, slot);
      p.bits = hw::packet_bits(cores, chip_.cores[core].memory.max_neurons);
      batch_.push_back(p);
      sources_.push_back({core, slot});
      return;
    }
    for (uint32_t k = begin[slot]; k < begin[slot + 1]; ++k) {
      p.dst = image_.cores[core].fanout[k].core;
      p.bits = hw::packet_bits(cores, chip_.cores[p.dst].memory.max_inputs);
      batch_.push_back(p);
      sources_.push_back({core, slot});
    }
  }

  /// Moves the timestep's packets; `deliver(core, axon)` for every packet (or multicast copy) that
  /// reaches a core. Accounts the traffic in `stats`; returns the last arrival (0 without packets).
  template <class Deliver>
  uint64_t run(hw::NocStats& stats, Deliver&& deliver) {
    const std::vector<hw::noc::Delivery> deliveries = network_.run(batch_);
    uint64_t last = 0;
    for (const hw::noc::Delivery& d : deliveries) {
      const auto [core, slot] = sources_[d.packet];
      const hw::CoreImage& im = image_.cores[core];
      const uint32_t dst = batch_[d.packet].multicast ? d.router : batch_[d.packet].dst;
      for (uint32_t k = im.fanout_begin[slot]; k < im.fanout_begin[slot + 1]; ++k)
        if (im.fanout[k].core == dst) deliver(dst, im.fanout[k].axon);
      last = std::max(last, d.arrive_ps);
    }
    stats.account(batch_, deliveries, network_);
    batch_.clear();
    sources_.clear();
    return last;
  }

 private:
  const hw::ChipConfig& chip_;
  const hw::ChipImage& image_;
  std::unique_ptr<hw::noc::Topology> topology_;
  hw::noc::Network network_;
  std::vector<hw::noc::Packet> batch_;
  std::vector<std::pair<uint32_t, uint32_t>> sources_;  ///< per packet: (core, neuron slot)
};

}  // namespace

void stream_functional(const hw::ChipConfig& chip, const hw::ChipImage& image, hw::StimulusSource& stimulus,
                       uint64_t timesteps, bool record_readouts, ResultSink& sink,
                       const std::function<void(uint64_t)>& on_timestep, const hw::SampleSchedule& samples) {
  if (chip.timestep.policy == hw::TimestepPolicy::kFixed && chip.timestep.cycles_per_timestep == 0) {
    throw std::logic_error("functional model: fixed timestep policy with cycles_per_timestep 0");
  }
  if (chip.noc.enabled && chip.timestep.policy != hw::TimestepPolicy::kFreeRunning) {
    throw std::invalid_argument(
        "functional model: a chip with a network (chip.noc) runs only under the free-running timestep policy "
        "(the barrier of SPEC §7.7); the fixed policy with a network is not modelled by the functional reference");
  }
  if (chip.noc.enabled && chip.noc.integration != hw::noc::Integration::kCanonical)
    throw std::invalid_argument("functional model: a chip with a network integrates in the canonical order only "
                                "(chip.noc.integration: arrival is modelled by the cycle model, SPEC §7.9)");
  std::vector<CoreModel> cores;
  std::vector<hw::ClockDomain> clocks;
  cores.reserve(chip.cores.size());
  if (image.cores.size() != chip.cores.size()) throw std::logic_error("functional model: one image per core is needed");
  for (size_t c = 0; c < chip.cores.size(); ++c) {
    check_core(chip.cores[c], image.cores[c], c);
    cores.emplace_back(chip.cores[c], image.cores[c]);
    clocks.push_back(hw::core_clock(chip, chip.cores[c]));
  }

  RunTotals totals;
  FunctionalStats stats(chip, image);
  std::optional<ChipNetwork> network;
  if (chip.noc.enabled) network.emplace(chip, image);
  hw::TimestepScheduler scheduler(chip.timestep, hw::chip_clock(chip));
  std::vector<hw::AerPacket> packets;
  std::vector<hw::EmittedSpike> spikes;
  std::vector<CoreTimestepRecord> records(cores.size());
  std::vector<StepOutcome> outcomes(cores.size());
  std::vector<BeforeProp> before(cores.size());
  std::vector<uint64_t> start_cycles(cores.size());
  std::vector<int32_t> readout_row;
  const auto emission_order = [](const hw::EmittedSpike& l, const hw::EmittedSpike& r) {
    return std::tie(l.cycle, l.core, l.neuron) < std::tie(r.cycle, r.core, r.neuron);
  };
  for (uint64_t t = 0; t < timesteps; ++t) {
    const hw::Ps tick = scheduler.tick();
    packets.clear();
    stimulus.packets_for(t, tick, packets);
    for (const hw::AerPacket& p : packets) {
      if (p.dst_core >= cores.size()) {
        ++totals.unmapped_stimulus_packets;
        continue;
      }
      cores[p.dst_core].offer(p.dst_axon, p.time);
    }
    const hw::TimestepContext ctx = samples.at(t);
    spikes.clear();
    // Every core up to PROP: its spikes leave in STEP (SPEC §4.1).
    hw::Ps reported;
    for (uint32_t c = 0; c < cores.size(); ++c) {
      const uint64_t start_cycle = clocks[c].cycle_at_or_after(tick);
      start_cycles[c] = start_cycle;
      outcomes[c] = cores[c].begin_timestep(cores[c].take_window(clocks[c].edge(start_cycle)), ctx);
      if (network) {
        before[c] = before_prop(chip.cores[c], ctx);
        reported = hw::max(reported, clocks[c].edge(start_cycle + before[c].report));
      }
      const uint64_t step_start = start_cycle + hw::cycles_before_step(hw::phase_cycles_formula(
                                                    chip.cores[c], chip.cores[c].enabled, hw::TimestepWork{}, ctx));
      for (uint32_t j : outcomes[c].spiking) {
        const uint64_t cycle = hw::spike_cycle_offset(chip.cores[c], step_start, j);
        spikes.push_back(hw::EmittedSpike{t, cycle, c, j});
        if (network) network->send(c, j, clocks[c].edge(cycle));
      }
    }
    // The barrier (SPEC §7.7): the network drains at D, the last arrival or the last report.
    hw::Ps drained;
    if (network) {
      const uint64_t last = network->run(*stats.noc(), [&cores](uint32_t core, uint32_t axon) {
        cores[core].receive_remote(axon);
      });
      drained = hw::max(reported, hw::Ps(last));
    }
    hw::Ps busy_until = tick;
    readout_row.clear();
    for (uint32_t c = 0; c < cores.size(); ++c) {
      const hw::CoreConfig& cfg = chip.cores[c];
      StepOutcome& out = outcomes[c];
      cores[c].finish_timestep(out);
      const uint64_t start_cycle = start_cycles[c];
      CoreTimestepRecord& rec = records[c];
      rec = CoreTimestepRecord{};
      rec.timestep = t;
      rec.core = c;
      rec.start_cycle = start_cycle;
      rec.cycles = hw::phase_cycles_formula(cfg, hw::CoreShape{cfg.enabled.inputs, cfg.enabled.neurons, cfg.enabled.readouts},
                                            out.work, ctx);
      rec.active_indices = out.work.active_indices;
      rec.label = out.label;
      rec.votes = out.votes;
      rec.input_events = out.input_events;
      rec.spikes = out.spiking.size();
      stats.record(rec);
      // PROP starts at the first edge at or after both its ready cycle and D.
      uint64_t wait = 0;
      if (network && before[c].prop) {
        const uint64_t ready = start_cycle + before[c].ready;
        wait = std::max(ready, clocks[c].cycle_at_or_after(drained)) - ready;
        rec.network_wait_cycles = wait;
      }
      busy_until = hw::max(busy_until, clocks[c].edge(start_cycle + rec.cycles.total() + wait));
      if (record_readouts) {
        const auto& v = cores[c].readouts();
        readout_row.insert(readout_row.end(), v.begin(), v.end());
      }
    }
    std::sort(spikes.begin(), spikes.end(), emission_order);
    sink.timestep(TimestepResult{t, spikes, records, record_readouts ? &readout_row : nullptr});
    ++totals.timesteps_completed;
    if (on_timestep) on_timestep(totals.timesteps_completed);
    if (scheduler.finish(busy_until).halt) break;
  }
  totals.total_cycles = scheduler.end_cycle();
  totals.overruns = scheduler.overruns();
  totals.halted = scheduler.halted();
  for (const CoreModel& core : cores) {
    totals.final_state.push_back(core.state());
    totals.counters.push_back(core.counters());
  }
  totals.stats = stats.collect(totals.timesteps_completed, totals.overruns, totals.total_cycles, totals.counters);
  sink.finish(totals);
}

RunResult run_functional(const hw::ChipConfig& chip, const hw::ChipImage& image, hw::StimulusSource& stimulus,
                         uint64_t timesteps, bool record_readouts, const std::function<void(uint64_t)>& on_timestep,
                         const hw::SampleSchedule& samples) {
  CollectingSink collect;
  stream_functional(chip, image, stimulus, timesteps, record_readouts, collect, on_timestep, samples);
  return std::move(collect.result());
}

RunResult run_functional(const hw::ChipConfig& chip, const hw::ChipImage& image, const hw::InputSchedule& stimulus,
                         uint64_t timesteps, bool record_readouts, const std::function<void(uint64_t)>& on_timestep,
                         const hw::SampleSchedule& samples) {
  hw::ScheduleStimulus source(stimulus);
  return run_functional(chip, image, source, timesteps, record_readouts, on_timestep, samples);
}

}  // namespace neurochip::sim
