// The LIF neuron model unit (SPEC.md §2.3, §2.4): parameters, state fields and STEP update.
#include "core/neuron_models/lif.h"

#include "core/row_kernels.h"

namespace neurochip::hw {
namespace lif {

std::vector<ModelParam> params() {
  std::vector<ModelParam> p(4);
  p[kThreshold] = {"threshold", "spike when the stored potential u >= theta (§2.4 step 2); signed 16-bit", "",
                   fxp::kPotentialMin, fxp::kPotentialMax, 614, false, {}, "", 0};
  p[kAlpha] = {"alpha",
               "membrane leak factor, unsigned 1.15 (0x8000 = 1.0, no leak): leak(u) = floor(u * alpha / 2^15); "
               "above 0x8000 (ReckOn allows up to 0x8FFF) the potential grows and the leak wraps at 16 bits (§2.3)",
               "", 0, fxp::kAlphaMax, 0x7FEF, true, {}, "leak_tau_ms", fxp::kAlphaOne};
  p[kReset] = {"reset", "after a spike: u <- sat16(leak(u) - threshold) (subtract) or u <- 0 (zero) (§2.4 step 4)",
               "", 0, 1, kResetSubtract, false, {"subtract", "zero"}, "", 0};
  p[kRefractorySteps] = {"refractory_steps", "timesteps without integration or spiking after a spike; 0 disables",
                         "timesteps", 0, kRefractoryMax, 0, false, {}, "", 0};
  return p;
}

std::vector<StateField> fields() {
  return {{"u", 16, true, "membrane potential", -1},
          {"ref", 8, false, "refractory counter (stored only with refractory_steps > 0)", kRefractorySteps}};
}

namespace {

void step(const NeuronParams& p, NeuronFields& state, uint32_t begin, uint32_t end, uint8_t* z,
          std::vector<uint32_t>& spiking, const uint16_t* leak_draws) {
  FieldWord* u = state[kU].data();
  FieldWord* ref = state[kRef].data();
  const auto theta = static_cast<int32_t>(p[kThreshold]);
  for (uint32_t j = begin; j < end; ++j) {
    int32_t uj = u[j], refj = ref[j];
    const bool fire = update(p, theta, uj, refj, leak_draws ? int32_t{leak_draws[j]} : -1);
    u[j] = field_word(uj);
    ref[j] = field_word(refj);
    z[j] = fire ? 1 : 0;
    if (fire) spiking.push_back(j);
  }
}

/// The same update through the row kernels' SIMD sweep (the floor leak; stochastic rounding runs
/// the scalar definition).
void sweep(const NeuronParams& p, NeuronFields& state, uint32_t begin, uint32_t end, uint8_t* z,
           std::vector<uint32_t>& spiking, const uint16_t* leak_draws) {
  // Stochastic rounding, growing factors (alpha > 1.0, 16-bit wrap) and thresholds below 1 (the
  // kernels' range, row_kernels.cpp) run the scalar definition.
  if (leak_draws || p[kAlpha] > fxp::kAlphaOne || p[kThreshold] < 1)
    return step(p, state, begin, end, z, spiking, leak_draws);
  const size_t before = spiking.size();
  spiking.resize(before + (end - begin));
  const uint32_t fired = kernels::RowKernels::best().lif_step_sweep(
      state[kU].data() + begin, state[kRef].data() + begin, z + begin, spiking.data() + before, end - begin,
      kernel_params(p));
  spiking.resize(before + fired);
  if (begin != 0)
    for (size_t s = before; s < spiking.size(); ++s) spiking[s] += begin;
}

}  // namespace

kernels::LifStepParams kernel_params(const NeuronParams& p) {
  return {static_cast<int32_t>(p[kThreshold]), static_cast<uint32_t>(p[kAlpha]), p[kReset] == kResetSubtract,
          static_cast<uint32_t>(p[kRefractorySteps])};
}

}  // namespace lif

const NeuronModel& neuron_model_lif() {
  static const NeuronModel model = [] {
    NeuronModel m;
    m.name = "lif";
    m.doc = "leaky integrate-and-fire: threshold test on the stored potential, floor leak, reset";
    m.listing_rank = 0;
    m.fields = lif::fields();
    m.refractory_field = lif::kRef;
    m.refractory_param = lif::kRefractorySteps;
    m.params = lif::params();
    m.step = lif::step;
    m.sweep = lif::sweep;
    return m;
  }();
  return model;
}

}  // namespace neurochip::hw
