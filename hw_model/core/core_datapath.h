// Time-multiplexed neuron engine of one core as a pure C++ kernel (SPEC.md §2, §3, §4.1): the
// phases SYNC, STEP, STEP_DONE and PROP over word-accurate neuron and synapse SRAMs. The SystemC
// shell (neuro_core.h) calls one phase at a time and advances time by the cycles it returns.
#pragma once

#include <cstdint>
#include <vector>

#include "core/core_config.h"
#include "core/core_timing.h"
#include "core/row_kernels.h"
#include "memory/neuron_memory.h"
#include "memory/synapse_memory.h"

namespace neurochip::hw {

class CoreDatapath {
 public:
  explicit CoreDatapath(const CoreConfig& cfg);

  /// AER input: marks axon `axon` for the next SYNC. Repeats within a timestep merge (SPEC §1).
  void receive(uint32_t axon);

  /// SYNC: the received events become this timestep's x bits. Returns the phase's cycles.
  uint64_t sync();
  /// STEP: spike test, leak, reset, refractory, adaptation (§2.4) and readout leak (§2.5).
  /// Appends the spiking neurons in ascending order to `spiking`. Returns the phase's cycles.
  uint64_t step(std::vector<uint32_t>& spiking);
  /// STEP_DONE: hand-off point for a learning engine (none in v1).
  uint64_t step_done();
  /// PROP: scan and integrate every active index in ascending order (§2.6).
  uint64_t prop();

  /// Work of the current timestep (valid after prop()).
  const TimestepWork& work() const { return work_; }
  uint64_t input_events() const { return input_events_; }

  const NeuronMemory& neurons() const { return neurons_; }
  int32_t readout(uint32_t k) const { return readout_[k]; }
  uint32_t readout_count() const { return static_cast<uint32_t>(readout_.size()); }
  const SynapseMemory& input_sram() const { return input_sram_; }
  const SynapseMemory& recurrent_sram() const { return recurrent_sram_; }
  const SynapseMemory& output_sram() const { return output_sram_; }
  uint64_t synaptic_events() const { return synaptic_events_; }

 private:
  void integrate(uint32_t i, const int8_t* w_in, const int8_t* w_rec);

  const CoreConfig& cfg_;
  const uint32_t inputs_, neurons_n_, readouts_n_;
  NeuronMemory neurons_;
  SynapseMemory input_sram_, recurrent_sram_, output_sram_;
  std::vector<int32_t> readout_;
  std::vector<uint8_t> pending_x_;   ///< events received since the last SYNC
  std::vector<uint8_t> x_;           ///< this timestep's input bits
  std::vector<uint8_t> z_;           ///< this timestep's spike bits
  const kernels::RowKernels& kernels_ = kernels::RowKernels::best();
  std::vector<uint32_t> fired_;      ///< STEP's spiking neurons (room for all)
  std::vector<uint32_t> active_;     ///< PROP's active indices (room for all)
  TimestepWork work_;
  uint64_t input_events_ = 0;
  uint64_t synaptic_events_ = 0;
};

}  // namespace neurochip::hw
