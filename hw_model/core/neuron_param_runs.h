// The neurons of a core grouped by the parameters they step with (SPEC.md §2.4, §3.1): one run with
// the core's registers, or — with word parameters — maximal runs of consecutive neuron words that
// hold the same threshold and alpha. STEP updates the neurons run by run, in ascending order, so a
// run is one call of the model's update. Shared by the cycle model and the functional reference.
// SystemC-free.
#pragma once

#include <cstdint>
#include <vector>

#include "core/neuron_model.h"

namespace neurochip::hw {

struct NeuronParamRun {
  uint32_t begin = 0;  ///< first neuron
  uint32_t end = 0;    ///< one past the last neuron
  NeuronParams params;
};

/// The runs covering neurons [0, n) of `neurons_per_word` per word. Without word parameters
/// (`thresholds` empty) one run with `core`; otherwise the threshold and alpha of word w are
/// thresholds[w] and alphas[w], the other parameters the core's.
std::vector<NeuronParamRun> neuron_param_runs(const NeuronParams& core, const std::vector<int16_t>& thresholds,
                                              const std::vector<uint16_t>& alphas, uint32_t neurons_per_word,
                                              uint32_t n);

/// STEP (§2.4) of neurons [0, n) run by run: the model's sweep when `sweep` (and the model has
/// one), else its definition. Runs reaching past n are cut at n.
void step_neuron_runs(const std::vector<NeuronParamRun>& runs, NeuronFields& state, uint32_t n, uint8_t* z,
                      std::vector<uint32_t>& spiking, const uint16_t* leak_draws, bool sweep);

/// The alpha word w leaks with: alphas[w] with word parameters, else the core's `alpha`
/// parameter (0x8000, no leak, for a model without one).
uint32_t word_alpha(const NeuronParams& core, const std::vector<uint16_t>& alphas, uint64_t word);
/// The threshold of word w: thresholds[w] with word parameters, else the core's `threshold`.
int32_t word_threshold(const NeuronParams& core, const std::vector<int16_t>& thresholds, uint64_t word);

}  // namespace neurochip::hw
