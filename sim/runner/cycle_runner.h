// Cycle-accurate backend: elaborates the SystemC chip with a harness that feeds the stimulus,
// records the emitted spikes and per-timestep reports, and turns them into a RunResult.
// Several CycleSimulations may be elaborated before one sc_start() (SystemC elaborates once per
// process), which is how the equivalence tests run hundreds of chips in one executable.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "chip/chip_config.h"
#include "common/aer_types.h"
#include "common/stats.h"
#include "base/run_result.h"

namespace neurochip::sim {

struct CycleOptions {
  bool record_readouts = false;
  std::string vcd_path;                 ///< without extension; empty: no waveform
  uint32_t vcd_neurons = 16;            ///< membranes traced per core
  std::function<void(uint64_t)> on_timestep;  ///< called with the number of completed timesteps
};

class CycleSimulation {
 public:
  /// Elaborates chip `name` (a unique SystemC instance name). Call before sc_start(). An
  /// InputSchedule is copied (a convenience for tests and small schedules); a StimulusSource is
  /// referenced and must outlive the simulation.
  CycleSimulation(const std::string& name, const hw::ChipConfig& chip,
                  const hw::InputSchedule& stimulus, uint64_t timesteps,
                  const CycleOptions& options = {});
  CycleSimulation(const std::string& name, const hw::ChipConfig& chip, hw::StimulusSource& stimulus,
                  uint64_t timesteps, const CycleOptions& options = {});
  ~CycleSimulation();
  CycleSimulation(const CycleSimulation&) = delete;
  CycleSimulation& operator=(const CycleSimulation&) = delete;

  /// Valid after sc_start() returned.
  RunResult result() const;
  /// The model's registered statistics (root group "stats").
  const hw::StatGroup& stats() const;

 private:
  void elaborate(const std::string& name, const hw::ChipConfig& chip, hw::StimulusSource& stimulus,
                 uint64_t timesteps, const CycleOptions& options);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Elaborates one chip, simulates it to completion and returns its result (one call per process).
RunResult run_cycle(const hw::ChipConfig& chip, hw::StimulusSource& stimulus, uint64_t timesteps,
                    const CycleOptions& options, std::vector<hw::StatView>* stats_out);

}  // namespace neurochip::sim
