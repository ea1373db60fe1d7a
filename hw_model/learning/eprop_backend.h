// The seam between a core and the implementation of its e-prop learning engine (SPEC.md §6, §6.7):
// the core's datapath drives an EpropBackend, which is the C++ model (EpropModelBackend, here) or,
// chosen by `learning.backend`, the Verilated RTL or both in lockstep (rtl/wrapper/). A backend that
// finds the model and the RTL disagreeing throws LearningDivergence; the core's shell adds where in
// chip time it happened and stops the simulation. SystemC-free.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/core_config.h"
#include "learning/eprop_engine.h"

namespace neurochip::hw {

class EpropBackend {
 public:
  virtual ~EpropBackend() = default;
  /// The calls of EpropEngine, in the same order and with the same arguments.
  virtual void begin_sample() = 0;
  virtual void decay(uint32_t words, bool update, const std::vector<uint16_t>& word_alphas) = 0;
  virtual void on_input_event(uint32_t i) = 0;
  virtual void on_spike(uint32_t i) = 0;
  /// EPROP: updates the weights through `weights` and returns the phase's cycles (SPEC §6.5; the
  /// RTL's own count when the RTL runs).
  virtual uint64_t update(int32_t target, const int16_t* u, const std::vector<int32_t>& v, EpropWeights& weights) = 0;
};

/// The C++ model (the default backend).
class EpropModelBackend final : public EpropBackend {
 public:
  explicit EpropModelBackend(const CoreConfig& cfg)
      : engine_(cfg), cycles_(EpropEngine::cycles(cfg, cfg.enabled.inputs, cfg.enabled.neurons)) {}
  void begin_sample() override { engine_.begin_sample(); }
  void decay(uint32_t words, bool update, const std::vector<uint16_t>& word_alphas) override {
    engine_.decay(words, update, word_alphas);
  }
  void on_input_event(uint32_t i) override { engine_.on_input_event(i); }
  void on_spike(uint32_t i) override { engine_.on_spike(i); }
  uint64_t update(int32_t target, const int16_t* u, const std::vector<int32_t>& v, EpropWeights& weights) override {
    engine_.update(target, u, v, weights);
    return cycles_;
  }

 private:
  EpropEngine engine_;
  const uint64_t cycles_;
};

/// Builds the backend of core `core_index` (built as `cfg`); an empty factory means the model.
using EpropBackendFactory = std::function<std::unique_ptr<EpropBackend>(const CoreConfig& cfg, uint32_t core_index)>;

/// The first disagreement of the model and the RTL in lockstep (SPEC §6.7). The backend fills what
/// it knows (call, RTL cycle, index, post neuron, field, values, waveform); the core's shell adds
/// the timestep, the core and the chip cycle at which the phase began.
struct LearningDivergence : std::runtime_error {
  explicit LearningDivergence(const std::string& what) : std::runtime_error(what) {}
  uint64_t timestep = 0;
  uint32_t core = 0;
  std::string core_name;
  std::string phase;               ///< the phase table's name: step, prop, eprop; or sample (a new sample)
  uint64_t phase_start_cycle = 0;  ///< the core's clock cycle at which that phase began
  uint64_t rtl_cycle = 0;        ///< the RTL's own clock: cycles clocked since it was built (the VCD's time)
  int64_t phase_cycle = -1;      ///< cycles into the phase at the divergence (0: its first; -1: not known)
  std::string field;             ///< trace_input, trace_recurrent, trace_output, weight_input, ..., cycles
  int64_t index = -1;            ///< trace slot or presynaptic index (-1: none)
  int64_t post = -1;             ///< post neuron or readout of a weight (-1: none)
  int64_t model_value = 0, rtl_value = 0;
  std::string waveform;          ///< the RTL's VCD window, or empty
};

}  // namespace neurochip::hw
