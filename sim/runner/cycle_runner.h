// Cycle-accurate backend: elaborates the SystemC chip with a harness that feeds the stimulus,
// records the emitted spikes and per-timestep reports, and streams them to a ResultSink timestep by
// timestep (each timestep's spikes sorted into emission order). Without a sink of its own a
// simulation collects its RunResult (tests). Several CycleSimulations may be elaborated before one
// sc_start() (SystemC elaborates once per process), which is how the equivalence tests run
// hundreds of chips in one executable.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/result_sink.h"
#include "base/run_result.h"
#include "chip/chip_config.h"
#include "core/core_image.h"
#include "common/aer_types.h"
#include "common/stats.h"
#include "core/phase_observer.h"
#include "core/sample_protocol.h"
#include "learning/eprop_backend.h"
#include "noc/network_batch.h"
#include "noc/network.h"

namespace neurochip::sim {

struct CycleOptions {
  bool record_readouts = false;
  /// Receives the results as the run goes; null: the simulation collects them for result().
  ResultSink* sink = nullptr;
  /// Receives every tick and phase boundary (a waveform writer); null: none, and no per-phase waits.
  hw::PhaseObserver* phase_observer = nullptr;
  std::function<void(uint64_t)> on_timestep;  ///< called with the number of completed timesteps
  hw::SampleSchedule samples;                 ///< the run's sample protocol (none by default)
  hw::EpropBackendFactory learning_backends;  ///< the cores' learning engines (empty: the C++ model)
  /// A chip with a network: every timestep's traffic (packets.csv, links.vcd); empty: none.
  std::function<void(const hw::NetworkBatch&)> on_network_batch;
  /// A chip with a network: the network at the end of the run (links.csv); empty: none.
  std::function<void(const hw::noc::Network&)> on_network_end;
};

class CycleSimulation {
 public:
  /// Elaborates chip `name` (a unique SystemC instance name), built as `chip` and loaded with
  /// `image` (moved into the cores' SRAMs: pass an rvalue to keep one copy of the weights). Call
  /// before sc_start(). An InputSchedule is copied (a convenience for tests and small schedules);
  /// a StimulusSource is referenced and must outlive the simulation.
  CycleSimulation(const std::string& name, const hw::ChipConfig& chip, hw::ChipImage image,
                  const hw::InputSchedule& stimulus, uint64_t timesteps, const CycleOptions& options = {});
  CycleSimulation(const std::string& name, const hw::ChipConfig& chip, hw::ChipImage image,
                  hw::StimulusSource& stimulus, uint64_t timesteps, const CycleOptions& options = {});
  ~CycleSimulation();
  CycleSimulation(const CycleSimulation&) = delete;
  CycleSimulation& operator=(const CycleSimulation&) = delete;

  /// Valid after sc_start() returned, for a simulation built without a sink of its own.
  RunResult result() const;
  /// The model's registered statistics (root group "stats").
  const hw::StatGroup& stats() const;
  /// Rethrows the first exception the sink threw (the simulation was stopped there), if any.
  void rethrow_sink_error() const;
  /// The learning backends' first divergence (the simulation stopped there), or null.
  const hw::LearningDivergence* divergence() const;
  /// The network's deadlock or routing-loop report (the simulation stopped there), or empty.
  const std::string& network_error() const;
  /// The network between the cores, or null.
  const hw::noc::Network* network() const;

 private:
  void elaborate(const std::string& name, const hw::ChipConfig& chip, hw::ChipImage image,
                 hw::StimulusSource& stimulus, uint64_t timesteps, const CycleOptions& options);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Elaborates one chip, simulates it to completion and streams its results to `sink` (one call per
/// process). An exception thrown by the sink stops the simulation and is rethrown here; so is a
/// learning divergence (hw::LearningDivergence) of lockstep backends, and a network deadlock
/// (hw::noc::NocError).
void stream_cycle(const hw::ChipConfig& chip, hw::ChipImage image, hw::StimulusSource& stimulus, uint64_t timesteps,
                  const CycleOptions& options, ResultSink& sink);

}  // namespace neurochip::sim
