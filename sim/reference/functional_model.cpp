// Functional reference model of a neurochip chip at timestep granularity: the oracle the cycle
// model is checked against. Each core keeps its architectural state as plain integer vectors and
// its weights as dense int8 matrices, and walks the neurons one at a time.
// Implements SPEC.md §2.4 (neuron STEP), §2.5 (readouts), §2.6 (PROP), §2.7 (initial state),
// §3.3 (access counters), §4.1 (phase cycles, spike stamps, via core_timing.h) and §4.3 (chip
// timestep policies). All datapath arithmetic goes through hw::fxp (fixed_point.h).
#include "reference/functional_model.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <tuple>

#include "common/fixed_point.h"
#include "core/core_timing.h"

namespace neurochip::sim {
namespace {

namespace fxp = hw::fxp;

/// Rejects a core the loader should never have produced: weight matrices of the wrong size, a
/// packing that divides by zero, or weights outside the signed range of `weights.bits` (SPEC §2.2).
void check_core(const hw::CoreConfig& cfg, size_t index) {
  const hw::CoreImage& im = cfg.image;
  const std::string where = "functional model, core " + std::to_string(index) + ": ";
  const size_t inputs = im.inputs, neurons = im.neurons, readouts = im.readouts;
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
};

/// One core: state, weights and counters, advanced one timestep at a time.
class CoreModel {
 public:
  explicit CoreModel(const hw::CoreConfig& cfg)
      : cfg_(cfg),
        inputs_(cfg.image.inputs),
        neurons_(cfg.image.neurons),
        readouts_(cfg.image.readouts),
        u_(neurons_, 0),
        ref_(neurons_, 0),
        a_(neurons_, 0),
        v_(readouts_, 0) {}

  /// Runs SYNC/STEP/PROP of one timestep with input event bits `x` (size I, 0 or 1).
  StepOutcome run_timestep(const std::vector<uint8_t>& x) {
    StepOutcome out;
    for (uint8_t bit : x) out.input_events += bit;
    std::vector<uint8_t> z(neurons_, 0);
    step(z);
    for (uint32_t j = 0; j < neurons_; ++j) {
      if (z[j]) out.spiking.push_back(j);
    }
    prop(x, z, out.work);
    counters_.input_events += out.input_events;
    counters_.spikes += out.spiking.size();
    return out;
  }

  const std::vector<int32_t>& readouts() const { return v_; }
  const CoreCounters& counters() const { return counters_; }
  CoreState state() const { return CoreState{u_, ref_, a_, v_}; }

 private:
  uint64_t neuron_words() const { return hw::ceil_div(neurons_, cfg_.memory.neurons_per_word); }

  /// Words of one crossbar row of `slots` weights in an SRAM of `word_bits` bits (SPEC §3.2-§3.3).
  uint64_t row_words(uint32_t slots, uint32_t word_bits) const {
    return hw::ceil_div(slots, word_bits / static_cast<uint32_t>(cfg_.weights.bits));
  }

  /// SPEC §2.4 for every neuron in ascending order, then the readout leak of §2.5.
  void step(std::vector<uint8_t>& z) {
    const hw::NeuronParams& p = cfg_.neuron;
    const bool alif = p.model == hw::NeuronModel::kAlif;
    for (uint32_t j = 0; j < neurons_; ++j) {
      const int32_t theta = alif ? fxp::sat_add16(p.threshold, a_[j]) : p.threshold;
      bool spike = false;
      if (ref_[j] > 0) {
        ref_[j] -= 1;
      } else {
        spike = u_[j] >= theta;
      }
      int32_t u = fxp::leak_alpha(u_[j], p.alpha);
      if (spike) {
        u = p.reset == hw::ResetMode::kSubtract ? fxp::sat_add16(u, -p.threshold) : 0;
        ref_[j] = static_cast<int32_t>(p.refractory_steps);
      }
      u_[j] = u;
      if (alif) {
        int32_t a = fxp::decay_adaptation(a_[j], p.adaptation_rho);
        if (spike) a = fxp::add_adaptation(a, p.adaptation_increment);
        a_[j] = a;
      }
      z[j] = spike ? 1 : 0;
    }
    for (int32_t& v : v_) v = fxp::leak_kappa(v, cfg_.readout.kappa);
    counters_.neuron_sram_reads += neuron_words();
    counters_.neuron_sram_writes += neuron_words();
  }

  /// Adds contribution c to neuron j unless it is refractory (SPEC §2.4, §2.6).
  void integrate(uint32_t j, int32_t c) {
    const int32_t sum = fxp::sat_add16(u_[j], c);
    u_[j] = ref_[j] == 0 ? sum : u_[j];
  }

  /// SPEC §2.6: active indices ascending over 0..max(I, R)-1, counters per §3.3.
  void prop(const std::vector<uint8_t>& x, const std::vector<uint8_t>& z, hw::TimestepWork& work) {
    const hw::WeightParams& wp = cfg_.weights;
    const hw::CoreImage& im = cfg_.image;
    const uint32_t scan = std::max(inputs_, neurons_);
    for (uint32_t i = 0; i < scan; ++i) {
      const bool xi = i < inputs_ && x[i];
      const bool zi = i < neurons_ && z[i];
      if (!xi && !zi) continue;
      ++work.active_indices;
      if (i >= neurons_) ++work.input_only_indices;
      const int8_t* w_in = xi ? im.input_weights.data() + size_t{i} * neurons_ : nullptr;
      const int8_t* w_rec = zi ? im.recurrent_weights.data() + size_t{i} * neurons_ : nullptr;
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
      }
      if (zi) {
        for (uint32_t k = 0; k < readouts_; ++k) {
          const int32_t c =
              fxp::weight_contribution(im.output_weights[size_t{i} * readouts_ + k], wp.output_shift);
          v_[k] = fxp::sat_add16(v_[k], c);
        }
        counters_.recurrent_sram_reads += row_words(neurons_, cfg_.memory.recurrent_weight_sram.word_bits);
        counters_.output_sram_reads += row_words(readouts_, cfg_.memory.output_weight_sram.word_bits);
        counters_.synaptic_events += neurons_ + readouts_;
      }
    }
  }

  const hw::CoreConfig& cfg_;
  const uint32_t inputs_, neurons_, readouts_;
  std::vector<int32_t> u_, ref_, a_, v_;
  CoreCounters counters_;
};

/// Input event bits of every core for one timestep (SPEC §1: binary, repeats merge).
std::vector<std::vector<uint8_t>> event_bits(const hw::ChipConfig& chip,
                                             const std::vector<hw::AerEvent>* events, uint64_t t) {
  std::vector<std::vector<uint8_t>> x;
  x.reserve(chip.cores.size());
  for (const hw::CoreConfig& core : chip.cores) x.emplace_back(core.image.inputs, 0);
  if (events == nullptr) return x;
  for (const hw::AerEvent& e : *events) {
    if (e.core >= chip.cores.size() || e.address >= chip.cores[e.core].image.inputs) {
      throw std::logic_error("functional model: input event (core " + std::to_string(e.core) + ", address " +
                             std::to_string(e.address) + ") at timestep " + std::to_string(t) +
                             " targets no enabled input axon");
    }
    x[e.core][e.address] = 1;
  }
  return x;
}

}  // namespace

RunResult run_functional(const hw::ChipConfig& chip, const hw::InputSchedule& stimulus, uint64_t timesteps,
                         bool record_readouts, const std::function<void(uint64_t)>& on_timestep) {
  const hw::TimestepConfig& ts = chip.timestep;
  const bool fixed = ts.policy == hw::TimestepPolicy::kFixed;
  if (fixed && ts.cycles_per_timestep == 0) {
    throw std::logic_error("functional model: fixed timestep policy with cycles_per_timestep 0");
  }
  std::vector<CoreModel> cores;
  cores.reserve(chip.cores.size());
  for (size_t c = 0; c < chip.cores.size(); ++c) {
    check_core(chip.cores[c], c);
    cores.emplace_back(chip.cores[c]);
  }

  RunResult result;
  uint64_t start = 0;
  for (uint64_t t = 0; t < timesteps; ++t) {
    const auto x = event_bits(chip, t < stimulus.size() ? &stimulus[t] : nullptr, t);
    uint64_t max_latency = 0;
    std::vector<int32_t> trace_row;
    for (uint32_t c = 0; c < cores.size(); ++c) {
      const hw::CoreConfig& cfg = chip.cores[c];
      const StepOutcome out = cores[c].run_timestep(x[c]);
      CoreTimestepRecord rec;
      rec.timestep = t;
      rec.core = c;
      rec.start_cycle = start;
      rec.cycles = hw::phase_cycles_formula(cfg, out.work);
      rec.active_indices = out.work.active_indices;
      rec.input_events = out.input_events;
      rec.spikes = out.spiking.size();
      result.timesteps.push_back(rec);
      max_latency = std::max(max_latency, rec.cycles.total());
      for (uint32_t j : out.spiking) {
        result.spikes.push_back(hw::EmittedSpike{t, start + hw::spike_cycle_offset(cfg, j), c, j});
      }
      if (record_readouts) {
        const auto& v = cores[c].readouts();
        trace_row.insert(trace_row.end(), v.begin(), v.end());
      }
    }
    if (record_readouts) result.readout_trace.push_back(std::move(trace_row));
    ++result.timesteps_completed;
    if (on_timestep) on_timestep(result.timesteps_completed);

    if (!fixed) {
      start += max_latency;
    } else if (max_latency <= ts.cycles_per_timestep) {
      start += ts.cycles_per_timestep;
    } else if (ts.on_overrun == hw::OverrunAction::kStretch) {
      ++result.overruns;
      start += max_latency;
    } else {
      // Halt: this timestep's results are kept; the run ends when its slowest core finishes.
      result.halted = true;
      start += max_latency;
      break;
    }
  }
  result.total_cycles = start;

  const auto emission_order = [](const hw::EmittedSpike& l, const hw::EmittedSpike& r) {
    return std::tie(l.timestep, l.cycle, l.core, l.neuron) < std::tie(r.timestep, r.cycle, r.core, r.neuron);
  };
  std::sort(result.spikes.begin(), result.spikes.end(), emission_order);
  for (const CoreModel& core : cores) {
    result.final_state.push_back(core.state());
    result.counters.push_back(core.counters());
  }
  return result;
}

}  // namespace neurochip::sim
