// Neuron parameter runs (SPEC.md §2.4, §3.1); see neuron_param_runs.h.
#include "core/neuron_param_runs.h"

#include <algorithm>
#include <stdexcept>

#include "common/fixed_point.h"

namespace neurochip::hw {

std::vector<NeuronParamRun> neuron_param_runs(const NeuronParams& core, const std::vector<int16_t>& thresholds,
                                              const std::vector<uint16_t>& alphas, uint32_t neurons_per_word,
                                              uint32_t n) {
  if (thresholds.empty()) return {NeuronParamRun{0, n, core}};
  const NeuronModel& model = core.model();
  const int thr = model.param_index("threshold"), alpha = model.param_index("alpha");
  if (thr < 0 || alpha < 0)
    throw std::invalid_argument("word parameters: neuron model '" + model.name + "' has no threshold and alpha");
  const uint64_t words = (uint64_t{n} + neurons_per_word - 1) / neurons_per_word;
  if (thresholds.size() < words || alphas.size() < words)
    throw std::invalid_argument("word parameters: fewer words than the neurons need");
  std::vector<NeuronParamRun> runs;
  for (uint64_t w = 0; w < words; ++w) {
    const auto begin = static_cast<uint32_t>(w * neurons_per_word);
    const auto end = static_cast<uint32_t>(std::min<uint64_t>(n, (w + 1) * neurons_per_word));
    if (!runs.empty() && runs.back().params[static_cast<size_t>(thr)] == thresholds[w] &&
        runs.back().params[static_cast<size_t>(alpha)] == alphas[w]) {
      runs.back().end = end;
      continue;
    }
    NeuronParamRun run{begin, end, core};
    run.params[static_cast<size_t>(thr)] = thresholds[w];
    run.params[static_cast<size_t>(alpha)] = alphas[w];
    runs.push_back(run);
  }
  return runs;
}

void step_neuron_runs(const std::vector<NeuronParamRun>& runs, NeuronFields& state, uint32_t n, uint8_t* z,
                      std::vector<uint32_t>& spiking, const uint16_t* leak_draws, bool sweep) {
  for (const NeuronParamRun& run : runs) {
    if (run.begin >= n) break;
    const NeuronModel& model = run.params.model();
    const NeuronModel::StepFn fn = sweep && model.sweep ? model.sweep : model.step;
    fn(run.params, state, run.begin, std::min(run.end, n), z, spiking, leak_draws);
  }
}

uint32_t word_alpha(const NeuronParams& core, const std::vector<uint16_t>& alphas, uint64_t word) {
  if (word < alphas.size()) return alphas[word];
  const int alpha = core.model().param_index("alpha");
  return alpha < 0 ? fxp::kAlphaOne : static_cast<uint32_t>(core[static_cast<size_t>(alpha)]);
}

int32_t word_threshold(const NeuronParams& core, const std::vector<int16_t>& thresholds, uint64_t word) {
  return word < thresholds.size() ? int32_t{thresholds[word]} : static_cast<int32_t>(core.get("threshold"));
}

}  // namespace neurochip::hw
