// The leaky integrate-and-fire neuron (SPEC.md §2.3, §2.4): its parameter and state-field indices,
// and the per-neuron update that the models built on it (ALIF) share.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/fixed_point.h"
#include "core/neuron_model.h"
#include "core/row_kernels.h"

namespace neurochip::hw::lif {

/// Parameter indices (NeuronParams[...]); models built on LIF keep these first.
enum Param : size_t { kThreshold = 0, kAlpha = 1, kReset = 2, kRefractorySteps = 3 };
/// Values of the `reset` parameter.
enum Reset : int64_t { kResetSubtract = 0, kResetZero = 1 };
/// State-field indices; models built on LIF keep these first.
enum Field : size_t { kU = 0, kRef = 1 };

/// The refractory counter is 8-bit unsigned (SPEC §2.4).
inline constexpr int32_t kRefractoryMax = 255;

/// LIF's parameters (threshold, alpha / leak_tau_ms, reset, refractory_steps).
std::vector<ModelParam> params();
/// LIF's state fields: u (16-bit signed), ref (8-bit unsigned).
std::vector<StateField> fields();

/// The parameters as the row kernels' LIF sweep takes them.
kernels::LifStepParams kernel_params(const NeuronParams& p);

/// SPEC §2.4 steps 2-4 for one neuron whose effective threshold is `theta`: the spike test on the
/// stored pre-leak u (or the refractory countdown), the floor leak, the reset and the refractory
/// reload. `draw` < 0 selects the floor leak, otherwise it is the 15-bit draw of the stochastic
/// rounding (SPEC §2.3). Returns whether the neuron spiked.
inline bool update(const NeuronParams& p, int32_t theta, int32_t& u, int32_t& ref, int32_t draw) {
  bool fire = false;
  if (ref > 0) {
    --ref;
  } else {
    fire = u >= theta;
  }
  const auto alpha = static_cast<uint32_t>(p[kAlpha]);
  int32_t next = draw < 0 ? fxp::leak_alpha(u, alpha) : fxp::leak_alpha_stochastic(u, alpha, static_cast<uint32_t>(draw));
  if (fire) {
    const auto threshold = static_cast<int32_t>(p[kThreshold]);
    next = p[kReset] == kResetSubtract ? fxp::sat16(static_cast<int64_t>(next) - threshold) : 0;
    ref = static_cast<int32_t>(p[kRefractorySteps]);
  }
  u = next;
  return fire;
}

}  // namespace neurochip::hw::lif
