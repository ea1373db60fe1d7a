// Time-multiplexed neuron engine kernel (SPEC.md §2.4-§2.6, §3.3, §4.1, §5.3); see core_datapath.h.
#include "core/core_datapath.h"

#include <algorithm>

#include "common/fixed_point.h"

namespace neurochip::hw {

CoreDatapath::CoreDatapath(const CoreConfig& cfg)
    : cfg_(cfg),
      shape_{cfg.image.inputs, cfg.image.neurons, cfg.image.readouts},
      inputs_(cfg.image.inputs),
      neurons_n_(cfg.image.neurons),
      readouts_n_(cfg.image.readouts),
      neurons_(cfg.neuron.model(), cfg.image.neurons, cfg.memory.neurons_per_word, cfg.memory.neuron_sram.word_bits),
      input_sram_(cfg.name + ".input_weight_sram", cfg.memory.max_inputs, cfg.memory.max_neurons,
                  cfg.memory.input_weight_sram, cfg.weights.bits),
      recurrent_sram_(cfg.name + ".recurrent_weight_sram", cfg.memory.max_neurons,
                      cfg.memory.max_neurons, cfg.memory.recurrent_weight_sram, cfg.weights.bits),
      output_sram_(cfg.name + ".output_weight_sram", cfg.memory.max_neurons, cfg.memory.max_readouts,
                   cfg.memory.output_weight_sram, cfg.weights.bits),
      readout_(cfg.image.readouts, 0),
      pending_x_(cfg.image.inputs, 0),
      x_(cfg.image.inputs, 0),
      z_(cfg.image.neurons, 0) {
  input_sram_.load(cfg.image.input_weights, inputs_, neurons_n_);
  recurrent_sram_.load(cfg.image.recurrent_weights, neurons_n_, neurons_n_);
  output_sram_.load(cfg.image.output_weights, neurons_n_, readouts_n_);
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

uint64_t CoreDatapath::step() {
  std::vector<uint32_t>& spiking = spiking_;
  spiking.clear();
  cfg_.neuron.model().step(cfg_.neuron, neurons_.fields(), neurons_n_, z_.data(), spiking);
  neurons_.count_sweep();
  for (int32_t& v : readout_) v = fxp::leak_kappa(v, cfg_.readout.kappa);

  const uint64_t sweep = static_cast<uint64_t>(neurons_.words()) * cfg_.timing.neuron_word_cycles;
  return std::max<uint64_t>({sweep, inputs_, readouts_n_}) + cfg_.timing.step_tail_cycles;
}

uint64_t CoreDatapath::step_done() { return cfg_.timing.step_done_cycles; }

void CoreDatapath::integrate(const int8_t* w_in, const int8_t* w_rec, int32_t in_scale, int32_t rec_scale) {
  // Hot loop of PROP (SPEC §2.6), kept in 32-bit arithmetic so that it vectorises: weights are
  // at most 8 bits and shifts at most 7, so every intermediate fits int32 before the clamps.
  // w_in / w_rec is null when the index has no input event / no spike.
  const auto clamp16 = [](int32_t v) {
    return std::min(std::max(v, fxp::kPotentialMin), fxp::kPotentialMax);
  };
  int32_t* u = neurons_.fields()[0].data();
  const int refractory = neurons_.model().refractory_field;
  if (refractory < 0) never_refractory_.resize(neurons_n_, 0);
  const int32_t* ref =
      refractory >= 0 ? neurons_.fields()[static_cast<size_t>(refractory)].data() : never_refractory_.data();
  const uint32_t n = neurons_n_;
  if (w_in && w_rec) {
    for (uint32_t j = 0; j < n; ++j) {
      const int32_t sum = clamp16(u[j] + clamp16(w_in[j] * in_scale + w_rec[j] * rec_scale));
      u[j] = ref[j] == 0 ? sum : u[j];
    }
  } else {
    const int8_t* w = w_in ? w_in : w_rec;
    const int32_t scale = w_in ? in_scale : rec_scale;
    for (uint32_t j = 0; j < n; ++j) {
      const int32_t sum = clamp16(u[j] + w[j] * scale);
      u[j] = ref[j] == 0 ? sum : u[j];
    }
  }
}

uint64_t CoreDatapath::prop() {
  const WeightParams& wp = cfg_.weights;
  const uint32_t scan = std::max(inputs_, neurons_n_);
  const uint64_t sweep = static_cast<uint64_t>(neurons_.words()) * cfg_.timing.neuron_word_cycles;
  work_ = TimestepWork{};
  uint64_t cycles = 0;
  for (uint32_t i = 0; i < scan; ++i) {
    cycles += cfg_.timing.scan_cycles_per_index;
    const bool x = i < inputs_ && x_[i];
    const bool z = i < neurons_n_ && z_[i];
    if (!x && !z) continue;
    ++work_.active_indices;
    cycles += sweep;
    if (i >= neurons_n_) {
      ++work_.input_only_indices;
      cycles += cfg_.timing.input_only_cycles;
    }
    const int8_t* w_in = nullptr;
    const int8_t* w_rec = nullptr;
    if (x) {
      w_in = input_sram_.read_row(i, neurons_n_);
      synaptic_events_ += neurons_n_;
    }
    if (z) {
      w_rec = recurrent_sram_.read_row(i, neurons_n_);
      synaptic_events_ += neurons_n_ + readouts_n_;
    }
    integrate(w_in, w_rec, 1 << wp.input_shift, 1 << wp.recurrent_shift);
    neurons_.count_sweep();
    if (z && readouts_n_ > 0) {
      const int8_t* w_out = output_sram_.read_row(i, readouts_n_);
      const int32_t out_scale = 1 << wp.output_shift;
      for (uint32_t k = 0; k < readouts_n_; ++k)
        readout_[k] = fxp::sat16(int64_t{readout_[k]} + int64_t{w_out[k]} * out_scale);
    }
  }
  return cycles;
}

}  // namespace neurochip::hw
