// NeuroCore: the SystemC shell of one neuromorphic core (SPEC.md §4.1, §4.4). One SC_THREAD per
// core runs the phases of the pure C++ CoreDatapath and advances simulated time by the exact
// cycle count of each phase; idle cycles between timesteps are never simulated one by one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <systemc>

#include "common/aer.h"
#include "core/core_config.h"
#include "core/core_datapath.h"
#include "core/core_stats.h"
#include "core/core_timing.h"

namespace neurochip::hw {

/// The phase a core is in, as traced in VCD waveforms.
enum class CorePhase : int { kIdle = 0, kSync = 1, kStep = 2, kStepDone = 3, kProp = 4 };

class NeuroCore : public sc_core::sc_module, public AerInputIf {
 public:
  sc_core::sc_export<AerInputIf> aer_in;   ///< input events (axon addresses) from the chip pads / network
  sc_core::sc_port<AerOutputIf> aer_out;   ///< spikes, stamped with their emission cycle

  NeuroCore(sc_core::sc_module_name name, const CoreConfig& cfg, uint32_t core_index,
            const sc_core::sc_time& clock_period, StatGroup& parent_stats);

  void receive(const AerEvent& event) override;

  /// Tick: start timestep `timestep`, whose first cycle is `start_cycle` (= now).
  void start_timestep(uint64_t timestep, uint64_t start_cycle);
  /// Notified when the current timestep's work is complete.
  const sc_core::sc_event& done_event() const { return done_; }
  /// Report of the last completed timestep.
  const CoreTimestepReport& last_report() const { return report_; }

  const CoreDatapath& datapath() const { return datapath_; }
  const CoreStats& stats() const { return stats_; }

  /// Adds the core's phase, timestep, spike count and the first `neurons` membranes and all
  /// readouts to a VCD trace file.
  void trace(sc_core::sc_trace_file* tf, uint32_t neurons);

 private:
  void run();
  void advance(uint64_t cycles);
  void sync_trace_mirror();
  void publish_memory_counts();

  const CoreConfig cfg_;
  const uint32_t core_index_;
  const sc_core::sc_time clock_period_;
  CoreDatapath datapath_;
  CoreStats stats_;
  sc_core::sc_event tick_, done_;
  uint64_t timestep_ = 0;
  uint64_t start_cycle_ = 0;
  CoreTimestepReport report_;
  std::vector<uint32_t> spiking_;
  // Values mirrored for waveform tracing.
  int trace_phase_ = 0;
  uint64_t trace_timestep_ = 0;
  uint64_t trace_spikes_ = 0;
  std::vector<int> trace_membrane_;
  std::vector<int> trace_readout_;
};

}  // namespace neurochip::hw
