// Builders of small hand-checkable chips, stimuli and expectations shared by the unit and block
// tests (tests compute every expected value by hand; these only assemble the inputs).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "chip/chip_config.h"
#include "config/config_loader.h"
#include "common/aer_types.h"
#include "core/core_timing.h"
#include "core/neuron_models/alif.h"
#include "base/run_result.h"
#include "core/core_image.h"
#include "reference/functional_model.h"
#include "runner/cycle_runner.h"

namespace neurochip::test {

/// A core's hardware and the image the test loads into it.
struct TestCore : hw::CoreConfig {
  hw::CoreImage image;
};

/// A chip's hardware and the images of its cores (kept apart in the model; together in tests).
struct TestChip : hw::ChipConfig {
  hw::ChipImage image;
};

/// Sizes every SRAM of `c` to exactly what its capacities need (SPEC §3.1-§3.2).
inline void size_srams(hw::CoreConfig& c) {
  hw::CoreMemoryConfig& m = c.memory;
  const uint32_t bits = static_cast<uint32_t>(c.weights.bits);
  const auto per_row = [bits](uint32_t slots, const hw::SramGeometry& g) {
    return static_cast<uint32_t>(hw::ceil_div(slots, g.word_bits / bits));
  };
  m.neuron_sram.words = static_cast<uint32_t>(hw::ceil_div(m.max_neurons, m.neurons_per_word));
  m.input_weight_sram.words = m.max_inputs * per_row(m.max_neurons, m.input_weight_sram);
  m.recurrent_weight_sram.words = m.max_neurons * per_row(m.max_neurons, m.recurrent_weight_sram);
  m.output_weight_sram.words = m.max_neurons * per_row(m.max_readouts, m.output_weight_sram);
}

/// A core whose capacities equal its enabled counts: I inputs, R neurons, O readouts, 8-bit weights
/// in 128-bit words (SRAMs sized by size_srams), every weight 0 and every shift 0; LIF, threshold
/// 100, no leak (alpha = kappa = 1.0), reset to zero, no refractory period. Timing and packing keep
/// the core_config.h defaults: sync 3, 2 cycles per neuron word, tail 1, step_done 1, scan 1,
/// input-only 2, 2 neurons per word.
inline TestCore tiny_core(uint32_t inputs, uint32_t neurons, uint32_t readouts, const std::string& name = "core0") {
  TestCore c;
  c.name = name;
  c.enabled.inputs = inputs;
  c.enabled.neurons = neurons;
  c.enabled.readouts = readouts;
  c.image.input_weights.assign(size_t{inputs} * neurons, 0);
  c.image.recurrent_weights.assign(size_t{neurons} * neurons, 0);
  c.image.output_weights.assign(size_t{neurons} * readouts, 0);
  c.memory.max_inputs = inputs;
  c.memory.max_neurons = neurons;
  c.memory.max_readouts = readouts;
  c.neuron.set("threshold", 100);
  c.neuron.set("alpha", 0x8000);
  c.neuron.set("reset", hw::lif::kResetZero);
  c.neuron.set("refractory_steps", 0);
  c.readout.kappa = 0x80;
  c.weights.input_shift = 0;
  c.weights.recurrent_shift = 0;
  c.weights.output_shift = 0;
  size_srams(c);
  return c;
}

inline void set_input(TestCore& c, uint32_t i, uint32_t j, int8_t w) {
  c.image.input_weights[size_t{i} * c.enabled.neurons + j] = w;
}
inline void set_recurrent(TestCore& c, uint32_t i, uint32_t j, int8_t w) {
  c.image.recurrent_weights[size_t{i} * c.enabled.neurons + j] = w;
}
inline void set_output(TestCore& c, uint32_t i, uint32_t k, int8_t w) {
  c.image.output_weights[size_t{i} * c.enabled.readouts + k] = w;
}

/// A chip of `cores` (names kept) clocked at the default 100 MHz (10 ns = 10,000 ps per cycle).
inline TestChip chip_of(const std::vector<TestCore>& cores, const std::string& name = "chip") {
  TestChip chip;
  chip.name = name;
  for (const TestCore& c : cores) {
    chip.cores.push_back(c);
    chip.image.cores.push_back(c.image);
  }
  return chip;
}

/// The functional reference on a test chip.
inline sim::RunResult run_functional(const TestChip& chip, const hw::InputSchedule& stimulus, uint64_t timesteps,
                                     bool record_readouts) {
  return sim::run_functional(chip, chip.image, stimulus, timesteps, record_readouts);
}

/// The cycle model of a test chip (elaborated: run with sc_start()).
inline std::unique_ptr<sim::CycleSimulation> cycle_simulation(const std::string& name, const TestChip& chip,
                                                              const hw::InputSchedule& stimulus, uint64_t timesteps,
                                                              const sim::CycleOptions& options = {}) {
  return std::make_unique<sim::CycleSimulation>(name, chip, chip.image, stimulus, timesteps, options);
}



/// The ReckOn core of configs/chips/reckon.yaml with its workload replaced by I inputs, R neurons
/// and O readouts whose weights are all 0 (its neuron words keep the file's threshold and alpha).
inline TestCore reckon_core(uint32_t inputs, uint32_t neurons, uint32_t readouts) {
  TestCore c;
  const sim::RunConfig rc = sim::load_run_config(std::string(NEUROCHIP_REPO_ROOT) + "/configs/chips/reckon.yaml");
  static_cast<hw::CoreConfig&>(c) = rc.chip.cores.at(0);
  c.image.word_thresholds = rc.image.cores.at(0).word_thresholds;
  c.image.word_alphas = rc.image.cores.at(0).word_alphas;
  c.enabled.inputs = inputs;
  c.enabled.neurons = neurons;
  c.enabled.readouts = readouts;
  c.image.input_weights.assign(size_t{inputs} * neurons, 0);
  c.image.recurrent_weights.assign(size_t{neurons} * neurons, 0);
  c.image.output_weights.assign(size_t{neurons} * readouts, 0);
  return c;
}

/// Stimulus for core 0: per timestep the list of axon addresses.
inline hw::InputSchedule core0_events(const std::vector<std::vector<uint32_t>>& addresses) {
  hw::InputSchedule s;
  for (const auto& step : addresses) {
    std::vector<hw::AerEvent> events;
    for (uint32_t a : step) events.push_back(hw::AerEvent{0, a});
    s.push_back(events);
  }
  return s;
}

/// Timesteps in which neuron `neuron` of core `core` spiked.
inline std::vector<uint64_t> spike_times(const sim::RunResult& r, uint32_t core, uint32_t neuron) {
  std::vector<uint64_t> t;
  for (const hw::EmittedSpike& s : r.spikes)
    if (s.core == core && s.neuron == neuron) t.push_back(s.timestep);
  return t;
}

inline hw::PhaseCycles phases(uint64_t sync, uint64_t step, uint64_t step_done, uint64_t prop) {
  hw::PhaseCycles p;
  p[hw::kPhaseSync] = sync;
  p[hw::kPhaseStep] = step;
  p[hw::kPhaseStepDone] = step_done;
  p[hw::kPhaseProp] = prop;
  return p;
}

}  // namespace neurochip::test
