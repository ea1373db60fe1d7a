// Random chip, network and stimulus generator for the equivalence tests: draws every parameter
// the spec exposes (model, reset, refractory, leaks, shifts, weight width, memory packing, timing
// profile, timestep policy) within its legal range. Deterministic for a given seed.
#pragma once

#include <cstdint>
#include <random>
#include <string>

#include "chip/chip_config.h"
#include "support/test_chips.h"
#include "core/neuron_models/lif.h"
#include "common/aer_types.h"

namespace neurochip::test {

struct RandomCase {
  TestChip chip;
  hw::InputSchedule stimulus;
  uint64_t timesteps = 0;
};

inline RandomCase make_random_case(uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto uni = [&rng](int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(rng() % static_cast<uint64_t>(hi - lo + 1));
  };
  RandomCase rc;
  rc.timesteps = static_cast<uint64_t>(uni(5, 60));
  TestChip& chip = rc.chip;
  chip.name = "random" + std::to_string(seed);
  chip.clock_period_ps = static_cast<uint64_t>(uni(1000, 1000000));
  const int policy = static_cast<int>(uni(0, 2));
  if (policy > 0) {
    chip.timestep.policy = hw::TimestepPolicy::kFixed;
    chip.timestep.cycles_per_timestep = static_cast<uint64_t>(uni(20, 400));
    chip.timestep.on_overrun = policy == 1 ? hw::OverrunAction::kStretch : hw::OverrunAction::kHalt;
  }
  const int cores = static_cast<int>(uni(1, 3));
  for (int c = 0; c < cores; ++c) {
    hw::CoreConfig core;
    core.name = "core" + std::to_string(c);
    const bool alif = uni(0, 1) != 0;
    hw::NeuronParams& n = core.neuron;
    n = hw::NeuronParams(hw::neuron_model(alif ? "alif" : "lif"));
    n.set("threshold", uni(1, 3000));
    n.set("alpha", uni(0, 3) == 0 ? uni(0, 0x8000) : uni(0x7000, uni(0, 4) == 0 ? 0x8FFF : 0x8000));
    n.set("reset", uni(0, 1) ? hw::lif::kResetZero : hw::lif::kResetSubtract);
    n.set("refractory_steps", uni(0, 2) == 0 ? uni(1, 4) : 0);
    const int64_t rho = uni(0x6000, 0x8000);
    if (alif) {
      n.set("adaptation_rho", rho);
      n.set("adaptation_increment", uni(0, 2000));
    }
    core.readout.kappa = static_cast<uint32_t>(uni(0, 0x80));
    const int bits_choice = static_cast<int>(uni(0, 3));
    core.weights.bits = bits_choice == 0 ? 2 : (bits_choice == 1 ? 4 : 8);
    core.weights.input_shift = static_cast<int>(uni(0, 7));
    core.weights.recurrent_shift = static_cast<int>(uni(0, 7));
    core.weights.output_shift = static_cast<int>(uni(0, 7));
    hw::CoreMemoryConfig& m = core.memory;
    // One case in eight is ReckOn-sized; the others stay small so that edge cases dominate.
    const bool large = uni(0, 7) == 0;
    m.max_inputs = static_cast<uint32_t>(large ? uni(64, 256) : uni(1, 40));
    m.max_neurons = static_cast<uint32_t>(large ? uni(64, 256) : uni(1, 40));
    m.max_readouts = static_cast<uint32_t>(large ? uni(0, 16) : uni(0, 6));
    m.neurons_per_word = static_cast<uint32_t>(uni(1, 3));
    if (m.neurons_per_word <= 2 && uni(0, 4) == 0) {  // membrane noise in one case of five (SPEC §2.6)
      core.noise.enabled = true;
      core.noise.shift = static_cast<uint32_t>(uni(4, 15));
      core.noise.seed = static_cast<uint32_t>(uni(1, 0x1FFFF));
    }
    if (uni(0, 2) == 0) {  // stochastic rounding in one case of three (SPEC §2.3)
      core.rounding.mode = hw::RoundingMode::kStochastic;
      core.rounding.membrane_seed = 0;
      for (uint32_t l = 0; l < m.neurons_per_word; ++l)
        core.rounding.membrane_seed |= static_cast<uint64_t>(uni(1, 0x7FFF)) << (15 * l);
      core.rounding.readout_seed = static_cast<uint32_t>(uni(1, 0x7FFF));
    }
    const uint32_t word_bits = static_cast<uint32_t>(8 * uni(1, 16));
    const uint32_t k = word_bits / static_cast<uint32_t>(core.weights.bits);
    const uint32_t stride_n = (m.max_neurons + k - 1) / k;
    const uint32_t stride_o = (m.max_readouts + k - 1) / k;
    m.neuron_sram = {(m.max_neurons + m.neurons_per_word - 1) / m.neurons_per_word, 128};
    m.input_weight_sram = {m.max_inputs * stride_n, word_bits};
    m.recurrent_weight_sram = {m.max_neurons * stride_n, word_bits};
    m.output_weight_sram = {std::max<uint32_t>(1, m.max_neurons * stride_o), word_bits};
    hw::TimingProfile& t = core.timing;
    t.tick_sync_cycles = static_cast<uint32_t>(uni(0, 4));
    t.neuron_word_cycles = static_cast<uint32_t>(uni(1, 3));
    t.step_tail_cycles = static_cast<uint32_t>(uni(0, 2));
    t.step_done_cycles = static_cast<uint32_t>(uni(0, 2));
    t.scan_cycles_per_index = static_cast<uint32_t>(uni(1, 2));
    t.input_only_cycles = static_cast<uint32_t>(uni(0, 3));
    if (uni(0, 3) == 0) {  // the e-prop engine in one case of four (SPEC §6): its geometry, random knobs
      core.weights.bits = 8;
      m.max_readouts = std::min<uint32_t>(m.max_readouts, 16);
      m.neurons_per_word = std::min<uint32_t>(m.neurons_per_word, alif ? 1 : 2);
      m.neuron_sram = {(m.max_neurons + m.neurons_per_word - 1) / m.neurons_per_word, 128};
      const uint32_t rows_n = (m.max_neurons + 15) / 16, rows_o = (m.max_readouts + 15) / 16;
      m.input_weight_sram = {m.max_inputs * rows_n, 128};
      m.recurrent_weight_sram = {m.max_neurons * rows_n, 128};
      m.output_weight_sram = {std::max<uint32_t>(1, m.max_neurons * rows_o), 128};
      hw::EpropConfig& l = core.learning;
      l.update_input = uni(0, 1) != 0;
      l.update_recurrent = uni(0, 1) != 0;
      l.update_output = uni(0, 1) != 0;
      l.force_traces = uni(0, 4) == 0;
      l.trace_shift_input = static_cast<uint32_t>(uni(0, 8));
      l.trace_shift_recurrent = static_cast<uint32_t>(uni(0, 8));
      l.trace_shift_output = static_cast<uint32_t>(uni(0, 8));
      l.learning_signal_shift = static_cast<uint32_t>(uni(0, 15));
      int32_t thr = static_cast<int32_t>(uni(-500, 500));
      for (auto& t : l.h_thresholds) t = thr += static_cast<int32_t>(uni(0, 300));
      for (auto& h : l.h_levels) h = static_cast<int32_t>(uni(-16, 15));
      l.rate_input_p = static_cast<uint32_t>(uni(0, 31));
      l.rate_input_r = static_cast<uint32_t>(uni(0, 31));
      l.rate_recurrent_p = static_cast<uint32_t>(uni(0, 31));
      l.rate_recurrent_r = static_cast<uint32_t>(uni(0, 31));
      l.rate_output_p = static_cast<uint32_t>(uni(0, 27));
      l.rate_output_r = static_cast<uint32_t>(uni(0, 27));
      l.regularizer = static_cast<hw::RegularizerMode>(uni(0, 3));
      l.regularizer_f0 = static_cast<uint32_t>(uni(0, 300));
      l.regularizer_input_p = static_cast<uint32_t>(uni(0, 12));
      l.regularizer_input_r = static_cast<uint32_t>(uni(0, 12));
      l.regularizer_recurrent_p = static_cast<uint32_t>(uni(0, 12));
      l.regularizer_recurrent_r = static_cast<uint32_t>(uni(0, 12));
      l.regularizer_mul_shift = static_cast<uint32_t>(uni(0, 15));
      l.seed_input = static_cast<uint32_t>(uni(1, (1 << 25) - 1));
      l.seed_recurrent = static_cast<uint32_t>(uni(1, (1 << 25) - 1));
      l.seed_output = static_cast<uint32_t>(uni(1, (1 << 22) - 1));
      for (uint64_t* seed : {&l.seed_trace_input, &l.seed_trace_recurrent, &l.seed_trace_output}) {
        *seed = 0;
        for (uint32_t lane = 0; lane < m.neurons_per_word; ++lane) *seed |= static_cast<uint64_t>(uni(1, 0x7FFF)) << (15 * lane);
      }
    }
    hw::CoreImage im;
    hw::CoreShape& en = core.enabled;
    en.inputs = static_cast<uint32_t>(uni(0, m.max_inputs));
    en.neurons = static_cast<uint32_t>(uni(0, m.max_neurons));
    en.readouts = static_cast<uint32_t>(uni(0, m.max_readouts));
    const int64_t wmax = (int64_t{1} << (core.weights.bits - 1)) - 1;
    const int density = static_cast<int>(uni(10, 100));
    auto weight = [&]() -> int8_t {
      if (uni(1, 100) > density) return 0;
      return static_cast<int8_t>(uni(-wmax - 1, wmax));
    };
    auto fill = [&](std::vector<int8_t>& w, size_t n) {
      w.resize(n);
      for (auto& x : w) x = weight();
    };
    fill(im.input_weights, static_cast<size_t>(en.inputs) * en.neurons);
    fill(im.recurrent_weights, static_cast<size_t>(en.neurons) * en.neurons);
    fill(im.output_weights, static_cast<size_t>(en.neurons) * en.readouts);
    chip.cores.push_back(core);
    chip.image.cores.push_back(std::move(im));
  }
  rc.stimulus.resize(rc.timesteps);
  const int rate = static_cast<int>(uni(0, 2) == 0 ? uni(0, 40) : uni(0, 5));
  for (uint64_t ts = 0; ts < rc.timesteps; ++ts) {
    for (uint32_t c = 0; c < chip.cores.size(); ++c) {
      for (uint32_t a = 0; a < chip.cores[c].enabled.inputs; ++a) {
        if (uni(1, 100) <= rate) rc.stimulus[ts].push_back({c, a});
        if (uni(1, 100) <= rate / 4) rc.stimulus[ts].push_back({c, a});  // repeats merge
      }
    }
  }
  return rc;
}

}  // namespace neurochip::test
