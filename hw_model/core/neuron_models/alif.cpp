// The ALIF neuron model unit (SPEC.md §2.4): LIF with an adaptive threshold theta = sat16(threshold
// + a) and the adaptation decay and increment of step 5.
#include "core/neuron_models/alif.h"

namespace neurochip::hw {
namespace alif {
namespace {

void step(const NeuronParams& p, NeuronFields& state, uint32_t begin, uint32_t end, uint8_t* z,
          std::vector<uint32_t>& spiking, const uint16_t* leak_draws) {
  FieldWord* u = state[lif::kU].data();
  FieldWord* ref = state[lif::kRef].data();
  FieldWord* a = state[kA].data();
  const int64_t threshold = p[lif::kThreshold];
  const auto rho = static_cast<uint32_t>(p[kAdaptationRho]);
  const auto increment = static_cast<int32_t>(p[kAdaptationIncrement]);
  for (uint32_t j = begin; j < end; ++j) {
    int32_t uj = u[j], refj = ref[j];
    int32_t aj = static_cast<uint16_t>(a[j]);  // a is 16-bit unsigned (SPEC §2.4)
    const bool fire = lif::update(p, fxp::sat16(threshold + aj), uj, refj, leak_draws ? int32_t{leak_draws[j]} : -1);
    aj = fxp::decay_adaptation(aj, rho);
    if (fire) aj = fxp::add_adaptation(aj, increment);
    u[j] = field_word(uj);
    ref[j] = field_word(refj);
    a[j] = field_word(aj);
    z[j] = fire ? 1 : 0;
    if (fire) spiking.push_back(j);
  }
}

/// The same update through the row kernels' SIMD sweep (the floor leak; stochastic rounding runs
/// the scalar definition; the adaptation decay always floors). The sweep saturates theta as
/// threshold + min(a, 32767), exact for thresholds >= 1; lower thresholds run the definition.
void sweep(const NeuronParams& p, NeuronFields& state, uint32_t begin, uint32_t end, uint8_t* z,
           std::vector<uint32_t>& spiking, const uint16_t* leak_draws) {
  if (leak_draws || p[lif::kAlpha] > fxp::kAlphaOne || p[lif::kThreshold] < 1)
    return step(p, state, begin, end, z, spiking, leak_draws);
  const uint32_t n = end - begin;
  const kernels::AlifStepParams params{lif::kernel_params(p), static_cast<uint32_t>(p[kAdaptationRho]),
                                       static_cast<int32_t>(p[kAdaptationIncrement])};
  const size_t before = spiking.size();
  spiking.resize(before + n);
  const uint32_t fired = kernels::RowKernels::best().alif_step_sweep(
      state[lif::kU].data() + begin, state[lif::kRef].data() + begin,
      reinterpret_cast<uint16_t*>(state[kA].data()) + begin, z + begin, spiking.data() + before, n, params);
  spiking.resize(before + fired);
  if (begin != 0)
    for (size_t s = before; s < spiking.size(); ++s) spiking[s] += begin;
}

}  // namespace
}  // namespace alif

const NeuronModel& neuron_model_alif() {
  static const NeuronModel model = [] {
    NeuronModel m;
    m.name = "alif";
    m.doc = "adaptive LIF: the threshold rises by a on each spike and a decays";
    m.listing_rank = 1;
    m.fields = lif::fields();
    m.fields.push_back({"a", 16, false, "threshold adaptation", -1});
    m.refractory_field = lif::kRef;
    m.refractory_param = lif::kRefractorySteps;
    m.params = lif::params();
    m.params.push_back({"adaptation_rho", "decay of a, unsigned 1.15", "", 0, fxp::kAlphaOne, 0x7FEF, true, {},
                        "adaptation_tau_ms", fxp::kAlphaOne});
    m.params.push_back({"adaptation_increment", "added to a on each spike (saturating at 65535)", "", 0,
                        fxp::kAdaptationMax, 0, false, {}, "", 0});
    m.step = alif::step;
    m.sweep = alif::sweep;
    return m;
  }();
  return model;
}

}  // namespace neurochip::hw
