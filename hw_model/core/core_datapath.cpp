// Time-multiplexed neuron engine kernel (SPEC.md §2.4-§2.6, §3.3, §4.1, §5.3); see core_datapath.h.
#include "core/core_datapath.h"
#include "core/core_timing.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <tuple>

#include "common/fixed_point.h"
#include "common/int_math.h"
#include "memory/synapse_list_layout.h"

namespace neurochip::hw {

/// The weight SRAMs as the learning engine reaches them: one counted word read or write per call;
/// a write changes the lanes of the enabled posts and keeps the others as the read left them.
class CoreDatapath::SramWeights : public EpropWeights {
 public:
  SramWeights(SynapseMemory& in, SynapseMemory& rec, SynapseMemory& out, uint32_t neurons, uint32_t readouts)
      : memories_{&in, &rec, &out}, posts_{neurons, neurons, readouts} {}
  void read(Matrix m, uint32_t pre, uint32_t word, int8_t* w) override {
    SynapseMemory& mem = *memories_[static_cast<size_t>(m)];
    uint8_t* last = last_[static_cast<size_t>(m)].data();
    mem.read_bytes(pre * mem.row_stride_words() + word, last);
    for (uint32_t l = 0; l < kEpropLanes; ++l) {
      const uint32_t post = word * kEpropLanes + l;
      w[l] = post < posts_[static_cast<size_t>(m)] ? static_cast<int8_t>(last[l]) : 0;
    }
  }
  void write(Matrix m, uint32_t pre, uint32_t word, const int8_t* w) override {
    SynapseMemory& mem = *memories_[static_cast<size_t>(m)];
    uint8_t* last = last_[static_cast<size_t>(m)].data();
    for (uint32_t l = 0; l < kEpropLanes; ++l)
      if (word * kEpropLanes + l < posts_[static_cast<size_t>(m)]) last[l] = static_cast<uint8_t>(w[l]);
    mem.write_bytes(pre * mem.row_stride_words() + word, last);
  }

 private:
  std::array<SynapseMemory*, 3> memories_;
  std::array<uint32_t, 3> posts_;
  std::array<std::array<uint8_t, 16>, 3> last_{};  ///< the word each matrix last read (128 bits)
};

CoreDatapath::~CoreDatapath() = default;

namespace {
/// The input or recurrent crossbar of a core: `rows` rows in `geometry`, or none (0 rows in 0
/// words) on a sparse core, whose synapses are in its lists (SPEC §3.4).
uint32_t crossbar_rows(const CoreConfig& cfg, uint32_t rows) { return cfg.memory.sparse() ? 0 : rows; }
SramGeometry crossbar_geometry(const CoreConfig& cfg, const SramGeometry& geometry) {
  return cfg.memory.sparse() ? SramGeometry{0, geometry.word_bits} : geometry;
}
}  // namespace

CoreDatapath::CoreDatapath(const CoreConfig& cfg, CoreImage image, const EpropBackendFactory* backends,
                           uint32_t core_index)
    : cfg_(cfg),
      shape_(cfg.enabled),
      inputs_(cfg.enabled.inputs),
      neurons_n_(cfg.enabled.neurons),
      readouts_n_(cfg.enabled.readouts),
      neurons_(cfg.neuron, neurons_n_, cfg.memory.neurons_per_word, cfg.memory.neuron_sram.word_bits),
      input_sram_(cfg.name + ".input_weight_sram", crossbar_rows(cfg, cfg.memory.max_inputs), cfg.memory.max_neurons,
                  crossbar_geometry(cfg, cfg.memory.input_weight_sram), cfg.weights.bits),
      recurrent_sram_(cfg.name + ".recurrent_weight_sram", crossbar_rows(cfg, cfg.memory.max_neurons),
                      cfg.memory.max_neurons, crossbar_geometry(cfg, cfg.memory.recurrent_weight_sram), cfg.weights.bits),
      output_sram_(cfg.name + ".output_weight_sram", cfg.memory.max_neurons, cfg.memory.max_readouts,
                   cfg.memory.output_weight_sram, cfg.weights.bits),
      readout_(readouts_n_, 0),
      votes_(readouts_n_, 0),
      pending_x_(inputs_, 0),
      x_(inputs_, 0),
      z_(neurons_n_, 0),
      active_(std::max(inputs_, neurons_n_)),
      stored_synapses_(image.stored_synapses()) {
  if (cfg.memory.word_parameters)
    neurons_.load_word_parameters(std::move(image.word_thresholds), std::move(image.word_alphas));
  update_param_runs();
  if (cfg.rounding.mode == RoundingMode::kStochastic) {
    rounding_.emplace(cfg.rounding, cfg.memory.neurons_per_word);
    leak_draws_.resize(static_cast<size_t>(neurons_.words()) * cfg.memory.neurons_per_word);
    round_readout_ = cfg.readout.kappa != fxp::kKappaOne;
  }
  if (cfg.noise.enabled) noise_.emplace(reckon_noise_lfsr(), cfg.noise.seed);
  if (cfg.learning.traces()) {
    eprop_ = backends && *backends ? (*backends)(cfg, core_index) : std::make_unique<EpropModelBackend>(cfg);
    eprop_weights_ = std::make_unique<SramWeights>(input_sram_, recurrent_sram_, output_sram_, neurons_n_, readouts_n_);
  }
  const NeuronModel& model = cfg.neuron.model();
  const bool can_be_refractory = model.refractory_param < 0 || cfg.neuron[static_cast<size_t>(model.refractory_param)] > 0;
  if (model.refractory_field >= 0 && can_be_refractory) refractory_field_ = model.refractory_field;
  if (!image.axon_sources.empty() || !image.neuron_sources.empty()) {
    // Canonical order (SPEC §7.7): index i holds the input with canonical index i and the neuron with
    // canonical index i, local (a recurrent row) or remote (an input axon's row).
    std::map<uint32_t, ScanEntry> by_index;
    const auto entry = [&](uint32_t i) -> ScanEntry& {
      return by_index.try_emplace(i, ScanEntry{kNoSource, kNoSource, kNoSource}).first->second;
    };
    for (uint32_t a = 0; a < image.axon_sources.size(); ++a)
      (a < image.remote_axons_from ? entry(image.axon_sources[a]).x_axon : entry(image.axon_sources[a]).z_axon) = a;
    for (uint32_t n = 0; n < image.neuron_sources.size(); ++n) entry(image.neuron_sources[n]).z_slot = n;
    for (const auto& [index, e] : by_index) canonical_scan_.push_back(e);
    remote_time_.assign(inputs_, Ps());
    spike_time_.assign(neurons_n_, Ps());
    if (cfg.memory.sparse()) {
      input_lists_.resize(inputs_);
      recurrent_lists_.resize(neurons_n_);
    }
  }
  if (cfg.memory.sparse()) {
    // SPEC §3.4: the engine and the noise sweep need every neuron word; the loader refuses both.
    if (cfg.learning.traces() || cfg.noise.enabled)
      throw std::invalid_argument(cfg.name + ": a sparse core has neither learning nor membrane noise");
    lists_.emplace(cfg.name + ".synapse_lists", cfg.memory.max_inputs, cfg.memory.max_neurons, cfg.memory.axon_table,
                   cfg.memory.synapse_list_sram, cfg.weights.bits);
    lists_->load(image.input_weights, inputs_, image.recurrent_weights, neurons_n_);
  } else {
    input_sram_.load(image.input_weights, inputs_, neurons_n_);
    recurrent_sram_.load(image.recurrent_weights, neurons_n_, neurons_n_);
  }
  output_sram_.load(image.output_weights, neurons_n_, readouts_n_);
}

namespace {
const auto kLaterFirst = [](const auto& a, const auto& b) { return a.time > b.time; };
}  // namespace

CoreDatapath::Input CoreDatapath::receive(uint32_t axon, Ps time) {
  if (axon >= inputs_) {
    ++unmapped_events_;
    return Input::kUnmapped;
  }
  if (time > latch_time_) {
    future_.push_back({time, axon});
    std::push_heap(future_.begin(), future_.end(), kLaterFirst);
    return Input::kAccepted;
  }
  // After SYNC has latched, the pending bits are the next SYNC's: a late event lands there.
  pending_x_[axon] = 1;
  if (!latched_) return Input::kAccepted;
  ++late_events_;
  return Input::kLate;
}

void CoreDatapath::begin_timestep(Ps start) {
  work_ = TimestepWork{};  // a timestep without PROP does no PROP work
  latch_time_ = start;
  latched_ = false;
  while (!future_.empty() && future_.front().time <= start) {
    pending_x_[future_.front().axon] = 1;
    std::pop_heap(future_.begin(), future_.end(), kLaterFirst);
    future_.pop_back();
  }
}

uint64_t CoreDatapath::sync() {
  x_.swap(pending_x_);
  std::fill(pending_x_.begin(), pending_x_.end(), 0);
  latched_ = true;
  input_events_ = static_cast<uint64_t>(std::count(x_.begin(), x_.end(), 1));
  return cfg_.timing.tick_sync_cycles;
}

void CoreDatapath::update_param_runs() {
  params_generation_ = neurons_.word_parameter_generation();
  param_runs_ = neuron_param_runs(cfg_.neuron, neurons_.word_thresholds(), neurons_.word_alphas(),
                                  cfg_.memory.neurons_per_word, neurons_n_);
  word_rounds_.assign(neurons_.words(), 0);
  bool any = false, all = true;
  for (uint32_t w = 0; w < neurons_.words(); ++w) {
    word_rounds_[w] = word_alpha(cfg_.neuron, neurons_.word_alphas(), w) != fxp::kAlphaOne ? 1 : 0;
    any = any || word_rounds_[w];
    all = all && word_rounds_[w];
  }
  round_membrane_ = any;
  mixed_rounding_ = any && !all;
}

uint64_t CoreDatapath::step() {
  std::vector<uint32_t>& spiking = spiking_;
  spiking.clear();
  if (neurons_.word_parameter_generation() != params_generation_) update_param_runs();
  // Stochastic rounding (SPEC §2.3): each lane's LFSR advances once per neuron word the sweep
  // writes, the readout LFSR once per readout slot; neither advances for a factor of exactly 1.0
  // (with word parameters: the word's alpha).
  // With a STEP counter shorter than the sweep (SPEC §4.1) the last words are not written: their
  // neurons keep their state and do not spike.
  const uint32_t per_word = cfg_.memory.neurons_per_word;
  const auto words = static_cast<uint32_t>(step_words_written(cfg_, shape_, neurons_.words()));
  const uint32_t stepped = std::min(neurons_n_, words * per_word);
  const uint16_t* draws = nullptr;
  if (rounding_ && round_membrane_) {
    rounding_->membrane_draws(words, leak_draws_.data(), mixed_rounding_ ? word_rounds_.data() : nullptr);
    draws = leak_draws_.data();
  }
  if (stepped < neurons_n_) std::fill(z_.begin() + stepped, z_.end(), uint8_t{0});
  step_neuron_runs(param_runs_, neurons_.fields(), stepped, z_.data(), spiking, draws, true);
  neurons_.count_sweep();
  if (eprop_)
    eprop_->decay(static_cast<uint32_t>(step_words_written(
                      cfg_, shape_, ceil_div(std::max(inputs_, neurons_n_), per_word))),
                  traces_run(cfg_, context_), neurons_.word_alphas());
  const uint32_t kappa = cfg_.readout.kappa;
  if (round_readout_) {
    for (uint32_t k = 0; k < cfg_.memory.max_readouts; ++k) {
      const uint32_t draw = rounding_->readout_draw();
      if (k < readouts_n_) readout_[k] = fxp::leak_kappa_stochastic(readout_[k], kappa, draw);
    }
  } else {
    for (int32_t& v : readout_) v = fxp::leak_kappa(v, kappa);
  }

  return step_sweep_cycles(cfg_, shape_) + cfg_.timing.step_tail_cycles;
}

CoreImage CoreDatapath::weights_image() const {
  CoreImage im;
  const auto dense = [](const SynapseMemory& m, uint32_t pre, uint32_t post, std::vector<int8_t>& out) {
    out.resize(size_t{pre} * post);
    for (uint32_t i = 0; i < pre; ++i)
      for (uint32_t j = 0; j < post; ++j) out[size_t{i} * post + j] = static_cast<int8_t>(m.peek(i, j));
  };
  if (lists_) {
    lists_->unpack(im.input_weights, im.recurrent_weights);
  } else {
    dense(input_sram_, inputs_, neurons_n_, im.input_weights);
    dense(recurrent_sram_, neurons_n_, neurons_n_, im.recurrent_weights);
  }
  dense(output_sram_, neurons_n_, readouts_n_, im.output_weights);
  return im;
}

void CoreDatapath::begin_sample() {
  for (std::vector<FieldWord>& field : neurons_.fields()) std::fill(field.begin(), field.end(), FieldWord{0});
  std::fill(readout_.begin(), readout_.end(), 0);
  std::fill(votes_.begin(), votes_.end(), uint16_t{0});
  std::fill(z_.begin(), z_.end(), uint8_t{0});
  spiking_.clear();
  if (eprop_) eprop_->begin_sample();
}

uint64_t CoreDatapath::eprop() {
  if (!eprop_ || !context_.supervise || !context_.learn) return 0;
  const uint64_t cycles = eprop_->update(context_.target, neurons_.fields()[0].data(), readout_, *eprop_weights_);
  neurons_.count_reads(EpropEngine::neuron_word_reads(inputs_, neurons_n_));
  return cycles;
}

namespace {
/// Index of the first largest element (SPEC §4.5: ties go to the lowest index).
template <class T>
int32_t first_argmax(const std::vector<T>& v) {
  if (v.empty()) return -1;
  return static_cast<int32_t>(std::max_element(v.begin(), v.end()) - v.begin());
}
}  // namespace

uint64_t CoreDatapath::step_done() {
  if (context_.infer && readouts_n_ > 0) {
    uint16_t& count = votes_[static_cast<size_t>(first_argmax(readout_))];
    if (count < UINT16_MAX) ++count;
  }
  return cfg_.timing.step_done_cycles;
}

uint64_t CoreDatapath::send() {
  label_ = first_argmax(votes_);
  return cfg_.timing.send_cycles;
}

void CoreDatapath::integrate(uint32_t i, const int8_t* w_in, const int8_t* w_rec) {
  // Hot loop of PROP (SPEC §2.6) through the row kernels. w_in / w_rec is null when the index has no
  // input event / no spike. Zero weights never change a membrane, so the kernels may skip them; the
  // SRAM words were all read (and counted) by read_row regardless.
  const int s_in = cfg_.weights.input_shift, s_rec = cfg_.weights.recurrent_shift;
  FieldWord* u = neurons_.fields()[0].data();
  const FieldWord* ref =
      refractory_field_ >= 0 ? neurons_.fields()[static_cast<size_t>(refractory_field_)].data() : nullptr;
  const uint32_t n = neurons_n_;
  if (noise_) {
    integrate_rows(w_in, s_in, w_rec, s_rec);  // the noise draws make it a word-by-word sweep
    return;
  }
  const SynapseMemory::RowIndex a = w_in ? input_sram_.row_index(i) : SynapseMemory::RowIndex{};
  const SynapseMemory::RowIndex b = w_rec ? recurrent_sram_.row_index(i) : SynapseMemory::RowIndex{};
  const uint32_t k_in = input_sram_.weights_per_word(), k_rec = recurrent_sram_.weights_per_word();
  const uint32_t per_word = w_in ? k_in : k_rec;
  const bool lists = (!w_in || a.index) && (!w_rec || b.index);
  const bool same_words = !w_in || !w_rec || k_in == k_rec;
  switch (kernels_.choose_path<FieldWord>(n, a.nonzero + b.nonzero, a.nonzero_word_count + b.nonzero_word_count,
                                        (n + per_word - 1) / per_word)) {
    case kernels::RowKernels::Path::kSparse:
      if (lists) {
        if (w_in && w_rec) {
          kernels_.accumulate_sparse2(u, ref, a.index, a.value, a.nonzero, s_in, b.index, b.value, b.nonzero, s_rec);
        } else {
          kernels_.accumulate_sparse(u, ref, w_in ? a.index : b.index, w_in ? a.value : b.value,
                                     w_in ? a.nonzero : b.nonzero, w_in ? s_in : s_rec);
        }
        return;
      }
      break;
    case kernels::RowKernels::Path::kWords:
      if (same_words) {
        if (w_in && w_rec) {
          kernels_.accumulate_row2_words(u, ref, w_in, s_in, a.nonzero_words, w_rec, s_rec, b.nonzero_words, n, k_in);
        } else {
          kernels_.accumulate_row_words(u, ref, w_in ? w_in : w_rec, w_in ? s_in : s_rec, n,
                                        w_in ? a.nonzero_words : b.nonzero_words, per_word);
        }
        return;
      }
      break;
    case kernels::RowKernels::Path::kDense:
      break;
  }
  if (w_in && w_rec) {
    kernels_.accumulate_row2(u, ref, w_in, s_in, w_rec, s_rec, n);
  } else {
    kernels_.accumulate_row(u, ref, w_in ? w_in : w_rec, w_in ? s_in : s_rec, n);
  }
}

void CoreDatapath::receive_remote(uint32_t axon, Ps arrival) {
  if (!x_[axon] || arrival < remote_time_[axon]) remote_time_[axon] = arrival;  // repeats merge: the first
  x_[axon] = 1;
  ++remote_events_;
}

void CoreDatapath::integrate_rows(const int8_t* a, int sa, const int8_t* b, int sb) {
  // Membrane noise (SPEC §2.6): every word of the sweep draws once; lane l of the word takes the
  // draw's bits [16l + 15 : 16l] as a signed value, shifted right, added with the contribution.
  FieldWord* u = neurons_.fields()[0].data();
  const FieldWord* ref =
      refractory_field_ >= 0 ? neurons_.fields()[static_cast<size_t>(refractory_field_)].data() : nullptr;
  const uint32_t n = neurons_n_, per_word = cfg_.memory.neurons_per_word;
  for (uint32_t w = 0; w < neurons_.words(); ++w) {
    const uint64_t draw = noise_ ? noise_->advance() : 0;
    for (uint32_t l = 0; l < per_word; ++l) {
      const uint32_t j = w * per_word + l;
      if (j >= n) break;
      const int32_t noise =
          noise_ ? static_cast<int16_t>(static_cast<uint16_t>(draw >> (16 * l))) >> cfg_.noise.shift : 0;
      const int32_t c = fxp::sat16(int64_t{a ? fxp::weight_contribution(a[j], sa) : 0} +
                                   (b ? fxp::weight_contribution(b[j], sb) : 0));
      if (ref == nullptr || ref[j] == 0) u[j] = field_word(fxp::sat16(int64_t{u[j]} + c + noise));
    }
  }
}

uint64_t CoreDatapath::prop_canonical() {
  const WeightParams& wp = cfg_.weights;
  const uint32_t scan = std::max(inputs_, neurons_n_);
  const uint64_t sweep = static_cast<uint64_t>(neurons_.words()) * cfg_.timing.neuron_word_cycles;
  work_ = TimestepWork{};
  // The scanner's cycles and active indices are the core's own (SPEC §4.1); the integration follows
  // the canonical order. No learning engine runs on a networked chip (the loader refuses it).
  work_.active_indices = kernels_.active_indices(x_.data(), inputs_, z_.data(), neurons_n_, active_.data());
  if (lists_) {
    // A sparse core (SPEC §3.4, §7.7) reads, index by own active index, its axon-table entry and
    // the lists of its input event and spike, then applies them in canonical order.
    for (uint32_t a = 0; a < work_.active_indices; ++a) {
      const uint32_t i = active_[a];
      const SynapseListMemory::AxonEntry entry = lists_->read_axon(i);
      for (const bool input : {true, false}) {
        if (!(input ? i < inputs_ && x_[i] : i < neurons_n_ && z_[i])) continue;
        const uint32_t base = input ? entry.input_base : entry.recurrent_base;
        const uint32_t words = input ? entry.input_words : entry.recurrent_words;
        SynapseListMemory::List& list = (input ? input_lists_ : recurrent_lists_)[i];
        list = lists_->read_list(base, words);
        work_.synapse_list_words += words;
        synaptic_events_ += list.count;
        nonzero_synaptic_events_ += list.count;
      }
    }
  }
  FieldWord* u = neurons_.fields()[0].data();
  const FieldWord* ref =
      refractory_field_ >= 0 ? neurons_.fields()[static_cast<size_t>(refractory_field_)].data() : nullptr;
  if (arrival_order_) {
    canonical_shadow();
    integrate_arrival_order();
    for (uint32_t j = 0; j < neurons_n_; ++j) order_differences_ += canonical_u_[j] != u[j] ? 1 : 0;
  }
  for (const ScanEntry& e : canonical_scan_) {
    if (arrival_order_) break;
    const bool x = e.x_axon != kNoSource && x_[e.x_axon];
    const bool z_local = e.z_slot != kNoSource && z_[e.z_slot];
    const bool z_remote = e.z_axon != kNoSource && x_[e.z_axon];
    if (!x && !z_local && !z_remote) continue;
    if (lists_) {
      // The input list and the neuron's list (recurrent, or a remote neuron's input-axon list with
      // the recurrent shift) merged by target, each target's two entries summed before the addition.
      const SynapseListMemory::List none;
      const SynapseListMemory::List& in = x ? input_lists_[e.x_axon] : none;
      const SynapseListMemory::List& rec = z_local ? recurrent_lists_[e.z_slot] : z_remote ? input_lists_[e.z_axon] : none;
      kernels_.accumulate_sparse2(u, ref, in.target, in.weight, in.count, wp.input_shift, rec.target, rec.weight,
                                  rec.count, wp.recurrent_shift);
      neurons_.count_read_modify_writes(
          touched_neuron_words(in.target, in.count, rec.target, rec.count, cfg_.memory.neurons_per_word));
      if (z_local) synaptic_events_ += readouts_n_;
      if (z_local && readouts_n_ > 0) nonzero_synaptic_events_ += output_sram_.row_index(e.z_slot).nonzero;
    } else {
      const int8_t* w_x = nullptr;
      const int8_t* w_z = nullptr;
      if (x) {
        w_x = input_sram_.read_row(e.x_axon, neurons_n_);
        synaptic_events_ += neurons_n_;
        nonzero_synaptic_events_ += input_sram_.row_index(e.x_axon).nonzero;
      }
      if (z_local) {
        w_z = recurrent_sram_.read_row(e.z_slot, neurons_n_);
        synaptic_events_ += neurons_n_ + readouts_n_;
        nonzero_synaptic_events_ += recurrent_sram_.row_index(e.z_slot).nonzero;
        if (readouts_n_ > 0) nonzero_synaptic_events_ += output_sram_.row_index(e.z_slot).nonzero;
      } else if (z_remote) {
        w_z = input_sram_.read_row(e.z_axon, neurons_n_);  // a remote neuron's row, weighted as recurrent
        synaptic_events_ += neurons_n_;
        nonzero_synaptic_events_ += input_sram_.row_index(e.z_axon).nonzero;
      }
      integrate_rows(w_x, wp.input_shift, w_z, wp.recurrent_shift);
      neurons_.count_sweep();
    }
    if (z_local && readouts_n_ > 0) {
      const int8_t* w_out = output_sram_.read_row(e.z_slot, readouts_n_);
      const int32_t out_scale = 1 << wp.output_shift;
      for (uint32_t k = 0; k < readouts_n_; ++k)
        readout_[k] = fxp::sat16(int64_t{readout_[k]} + int64_t{w_out[k]} * out_scale);
    }
  }
  const uint64_t scan_cycles = scan * uint64_t{cfg_.timing.scan_cycles_per_index};
  if (lists_)
    return scan_cycles + work_.active_indices * cfg_.timing.axon_lookup_cycles +
           work_.synapse_list_words * cfg_.timing.synapse_word_cycles;
  return scan_cycles + work_.active_indices * sweep;
}

void CoreDatapath::canonical_shadow() {
  // SPEC §7.7's order on a copy: at each canonical index the contributions of its input and its
  // neuron summed, saturated, then added (saturating) to every target that is not refractory.
  const FieldWord* u = neurons_.fields()[0].data();
  const FieldWord* ref =
      refractory_field_ >= 0 ? neurons_.fields()[static_cast<size_t>(refractory_field_)].data() : nullptr;
  const WeightParams& wp = cfg_.weights;
  const int32_t in_scale = 1 << wp.input_shift, rec_scale = 1 << wp.recurrent_shift;
  canonical_u_.assign(u, u + neurons_n_);
  contribution_.assign(neurons_n_, 0);
  for (const ScanEntry& e : canonical_scan_) {
    const bool x = e.x_axon != kNoSource && x_[e.x_axon];
    const bool z_local = e.z_slot != kNoSource && z_[e.z_slot];
    const bool z_remote = e.z_axon != kNoSource && x_[e.z_axon];
    if (!x && !z_local && !z_remote) continue;
    std::fill(contribution_.begin(), contribution_.end(), 0);
    if (lists_) {
      const auto add = [this](const SynapseListMemory::List& l, int32_t scale) {
        for (uint32_t k = 0; k < l.count; ++k) contribution_[l.target[k]] += int32_t{l.weight[k]} * scale;
      };
      if (x) add(input_lists_[e.x_axon], in_scale);
      if (z_local) add(recurrent_lists_[e.z_slot], rec_scale);
      if (z_remote) add(input_lists_[e.z_axon], rec_scale);
    } else {
      for (uint32_t j = 0; j < neurons_n_; ++j) {
        int32_t c = 0;
        if (x) c += input_sram_.peek(e.x_axon, j) * in_scale;
        if (z_local) c += recurrent_sram_.peek(e.z_slot, j) * rec_scale;
        if (z_remote) c += input_sram_.peek(e.z_axon, j) * rec_scale;
        contribution_[j] = c;
      }
    }
    for (uint32_t j = 0; j < neurons_n_; ++j)
      if (!(ref && ref[j] != 0))
        canonical_u_[j] = fxp::sat16(int64_t{canonical_u_[j]} + fxp::sat16(int64_t{contribution_[j]}));
  }
}

void CoreDatapath::integrate_arrival_order() {
  // SPEC §7.9: the core's input events at the SYNC latch (time 0 here: before any spike), its own
  // spikes when they left, remote ones when they arrived; ties by canonical index, then input, own
  // neuron, remote neuron. Each event's row (or list) is added on its own.
  const WeightParams& wp = cfg_.weights;
  events_.clear();
  for (uint32_t k = 0; k < canonical_scan_.size(); ++k) {
    const ScanEntry& e = canonical_scan_[k];
    if (e.x_axon != kNoSource && x_[e.x_axon]) events_.push_back(TimedEvent{0, k, 0});
    if (e.z_slot != kNoSource && z_[e.z_slot]) events_.push_back(TimedEvent{spike_time_[e.z_slot].count(), k, 1});
    if (e.z_axon != kNoSource && x_[e.z_axon]) events_.push_back(TimedEvent{remote_time_[e.z_axon].count(), k, 2});
  }
  std::sort(events_.begin(), events_.end(), [](const TimedEvent& a, const TimedEvent& b) {
    return std::tie(a.time, a.scan, a.kind) < std::tie(b.time, b.scan, b.kind);
  });
  FieldWord* u = neurons_.fields()[0].data();
  const FieldWord* ref =
      refractory_field_ >= 0 ? neurons_.fields()[static_cast<size_t>(refractory_field_)].data() : nullptr;
  for (const TimedEvent& ev : events_) {
    const ScanEntry& e = canonical_scan_[ev.scan];
    if (lists_) {
      const SynapseListMemory::List none;
      const SynapseListMemory::List& l =
          ev.kind == 0 ? input_lists_[e.x_axon] : ev.kind == 1 ? recurrent_lists_[e.z_slot] : input_lists_[e.z_axon];
      const int shift = ev.kind == 0 ? wp.input_shift : wp.recurrent_shift;
      kernels_.accumulate_sparse2(u, ref, l.target, l.weight, l.count, shift, none.target, none.weight, 0,
                                  wp.recurrent_shift);
      neurons_.count_read_modify_writes(
          touched_neuron_words(l.target, l.count, none.target, 0, cfg_.memory.neurons_per_word));
      if (ev.kind == 1) synaptic_events_ += readouts_n_;
      if (ev.kind == 1 && readouts_n_ > 0) nonzero_synaptic_events_ += output_sram_.row_index(e.z_slot).nonzero;
    } else {
      const uint32_t row = ev.kind == 0 ? e.x_axon : ev.kind == 1 ? e.z_slot : e.z_axon;
      SynapseMemory& sram = ev.kind == 1 ? recurrent_sram_ : input_sram_;
      const int8_t* w = sram.read_row(row, neurons_n_);
      synaptic_events_ += neurons_n_ + (ev.kind == 1 ? readouts_n_ : 0);
      nonzero_synaptic_events_ += sram.row_index(row).nonzero;
      if (ev.kind == 1 && readouts_n_ > 0) nonzero_synaptic_events_ += output_sram_.row_index(e.z_slot).nonzero;
      integrate_rows(w, ev.kind == 0 ? wp.input_shift : wp.recurrent_shift, nullptr, 0);
      neurons_.count_sweep();
    }
    if (ev.kind == 1 && readouts_n_ > 0) {
      const int8_t* w_out = output_sram_.read_row(e.z_slot, readouts_n_);
      const int32_t out_scale = 1 << wp.output_shift;
      for (uint32_t k = 0; k < readouts_n_; ++k)
        readout_[k] = fxp::sat16(int64_t{readout_[k]} + int64_t{w_out[k]} * out_scale);
    }
  }
}

void CoreDatapath::integrate_lists(uint32_t i, bool x, bool z) {
  const SynapseListMemory::AxonEntry entry = lists_->read_axon(i);
  SynapseListMemory::List in, rec;
  if (x) {
    in = lists_->read_list(entry.input_base, entry.input_words);
    work_.synapse_list_words += entry.input_words;
  }
  if (z) {
    rec = lists_->read_list(entry.recurrent_base, entry.recurrent_words);
    work_.synapse_list_words += entry.recurrent_words;
  }
  synaptic_events_ += in.count + rec.count;
  nonzero_synaptic_events_ += in.count + rec.count;
  FieldWord* u = neurons_.fields()[0].data();
  const FieldWord* ref =
      refractory_field_ >= 0 ? neurons_.fields()[static_cast<size_t>(refractory_field_)].data() : nullptr;
  // Input and recurrent entries of one target are summed (saturating) before they are added (SPEC §2.6).
  kernels_.accumulate_sparse2(u, ref, in.target, in.weight, in.count, cfg_.weights.input_shift, rec.target,
                              rec.weight, rec.count, cfg_.weights.recurrent_shift);
  neurons_.count_read_modify_writes(
      touched_neuron_words(in.target, in.count, rec.target, rec.count, cfg_.memory.neurons_per_word));
}

uint64_t CoreDatapath::prop() {
  if (!canonical_scan_.empty()) return prop_canonical();
  const WeightParams& wp = cfg_.weights;
  const uint32_t scan = std::max(inputs_, neurons_n_);
  const uint64_t sweep = static_cast<uint64_t>(neurons_.words()) * cfg_.timing.neuron_word_cycles;
  work_ = TimestepWork{};
  // The scanner visits every index (its cycles are counted for all of them, SPEC §4.1); only the
  // active ones, listed in ascending order, do any work.
  const bool traces = eprop_ && traces_run(cfg_, context_);
  const bool supp = updates_input_only_traces(cfg_, context_);
  const uint32_t active = kernels_.active_indices(x_.data(), inputs_, z_.data(), neurons_n_, active_.data());
  for (uint32_t a = 0; a < active; ++a) {
    const uint32_t i = active_[a];
    const bool x = i < inputs_ && x_[i];
    const bool z = i < neurons_n_ && z_[i];
    ++work_.active_indices;
    if (i >= neurons_n_ && supp) ++work_.input_only_indices;
    if (lists_) {
      integrate_lists(i, x, z);
      if (z) synaptic_events_ += readouts_n_;
      if (z && readouts_n_ > 0) nonzero_synaptic_events_ += output_sram_.row_index(i).nonzero;
    } else {
      const int8_t* w_in = nullptr;
      const int8_t* w_rec = nullptr;
      if (x) {
        w_in = input_sram_.read_row(i, neurons_n_);
        synaptic_events_ += neurons_n_;
        nonzero_synaptic_events_ += input_sram_.row_index(i).nonzero;
      }
      if (z) {
        w_rec = recurrent_sram_.read_row(i, neurons_n_);
        synaptic_events_ += neurons_n_ + readouts_n_;
        nonzero_synaptic_events_ += recurrent_sram_.row_index(i).nonzero;
        if (readouts_n_ > 0) nonzero_synaptic_events_ += output_sram_.row_index(i).nonzero;
      }
      integrate(i, w_in, w_rec);
      neurons_.count_sweep();
    }
    if (traces) {
      if (x) eprop_->on_input_event(i);
      if (z) eprop_->on_spike(i);
    }
    if (z && readouts_n_ > 0) {
      const int8_t* w_out = output_sram_.read_row(i, readouts_n_);
      const int32_t out_scale = 1 << wp.output_shift;
      for (uint32_t k = 0; k < readouts_n_; ++k)
        readout_[k] = fxp::sat16(int64_t{readout_[k]} + int64_t{w_out[k]} * out_scale);
    }
  }
  const uint64_t scan_cycles = scan * uint64_t{cfg_.timing.scan_cycles_per_index};
  if (lists_)
    return scan_cycles + work_.active_indices * cfg_.timing.axon_lookup_cycles +
           work_.synapse_list_words * cfg_.timing.synapse_word_cycles;
  return scan_cycles + work_.active_indices * sweep + work_.input_only_indices * cfg_.timing.input_only_cycles;
}

}  // namespace neurochip::hw
