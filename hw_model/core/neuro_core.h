// NeuroCore: the SystemC shell of one neuromorphic core (SPEC.md §4.1, §4.4, §5). One SC_THREAD per
// core runs the phases of the phase table on the pure C++ CoreDatapath and advances simulated time
// by the exact cycle count they return, in the core's own clock domain; idle cycles between
// timesteps are never simulated one by one. Input events arrive through an AER sink; spikes leave
// through an AER outbox, stamped with their exact emission time (temporal decoupling, §5.3).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <systemc>

#include "common/aer_link.h"
#include "common/time.h"
#include "core/core_config.h"
#include "core/core_datapath.h"
#include "core/core_stats.h"
#include "core/core_timing.h"
#include "core/phase_observer.h"

namespace neurochip::hw {

/// How the chip's tick generator drives a core.
class CoreControlIf : public virtual sc_core::sc_interface {
 public:
  /// Tick of timestep `timestep` at time `tick` (= now), at place `ctx` in the sample protocol;
  /// the core starts at its first clock edge at or after it.
  virtual void start_timestep(uint64_t timestep, Ps tick, const TimestepContext& ctx) = 0;
  /// Notified when the current timestep's work is complete.
  virtual const sc_core::sc_event& done_event() const = 0;
  /// Report of the last completed timestep.
  virtual const CoreTimestepReport& last_report() const = 0;
  /// End of the last completed timestep's work: the edge after its last busy cycle.
  virtual Ps busy_until() const = 0;
};

/// The network side of a chip with a network (SPEC §7.7), as a core sees it: the core says when its
/// spikes of the timestep are known (before its PROP), and waits until the network has delivered
/// every spike of the timestep (the barrier) before it integrates.
class CoreNetworkIf {
 public:
  virtual ~CoreNetworkIf() = default;
  /// Core `core` has emitted this timestep's spikes, the last of them by `done` (the end of its
  /// STEP, or without a STEP its SYNC); it calls this once per timestep, at a time <= `done`.
  virtual void core_ready(uint32_t core, Ps done) = 0;
  /// Notified when a timestep's spikes have been delivered; `delivered_timestep()` says which.
  virtual const sc_core::sc_event& delivered_event() const = 0;
  virtual uint64_t delivered_timestep() const = 0;
  /// When that timestep's network drained: its last packet reached its core, and every core had
  /// finished emitting (the latest `done`).
  virtual Ps drained_at() const = 0;
};

/// A spike as its core emitted it: slot and the time it left the core.
struct CoreSpike {
  uint32_t neuron;
  Ps time;
};

/// Receives every spike a core emits, with its spec cycle (recording, not transport).
class SpikeProbeIf : public virtual sc_core::sc_interface {
 public:
  virtual void spike(const EmittedSpike& s) = 0;
};

class NeuroCore : public sc_core::sc_module, public AerSinkIf, public CoreControlIf {
 public:
  sc_core::sc_export<AerSinkIf> aer_in;        ///< input events (axon addresses) from pads or network
  sc_core::sc_export<CoreControlIf> control;   ///< ticks from the chip
  sc_core::sc_port<SpikeProbeIf> probe;        ///< spike records
  AerOutbox aer_out;                           ///< spikes as AER packets (bind aer_out.out)

  /// A core built as `cfg` and loaded with `image` (moved into its SRAMs); `packet_bits`: width of
  /// the packets the core emits (SPEC §5.3); `backends`: builds its learning engine (null: the model).
  NeuroCore(sc_core::sc_module_name name, const CoreConfig& cfg, CoreImage image, uint32_t core_index,
            ClockDomain clock, uint16_t packet_bits, StatGroup& parent_stats,
            const EpropBackendFactory* backends = nullptr);

  // AerSinkIf: the input latch never refuses an event.
  bool try_put(const AerPacket& p) override;
  const sc_core::sc_event& ready_event() const override { return never_; }

  // CoreControlIf
  void start_timestep(uint64_t timestep, Ps tick, const TimestepContext& ctx) override;
  const sc_core::sc_event& done_event() const override { return done_; }
  const CoreTimestepReport& last_report() const override { return report_; }
  Ps busy_until() const override { return busy_until_; }

  const CoreDatapath& datapath() const { return datapath_; }
  const CoreStats& stats() const { return stats_; }
  ClockDomain clock() const { return clock_; }
  /// Joins the core to its chip's network (SPEC §7.7). Before sc_start().
  void attach_network(CoreNetworkIf* network) { network_ = network; }
  /// The spikes the core emitted in the current timestep.
  const std::vector<CoreSpike>& emitted() const { return emitted_; }
  /// A spike from another core for remote axon `axon`, arrived at `arrival`, integrated by this
  /// timestep's PROP.
  void deliver_remote(uint32_t axon, Ps arrival) { datapath_.receive_remote(axon, arrival); }
  /// PROP integrates in arrival order instead of the canonical order (SPEC §7.9). Before sc_start().
  void integrate_in_arrival_order(bool on) { datapath_.integrate_in_arrival_order(on); }
  /// Cycles the last timestep waited for the network before PROP.
  uint64_t network_wait_cycles() const { return network_wait_; }
  /// The learning backends' first disagreement (SPEC §6.7): the core stopped the simulation there.
  const std::optional<LearningDivergence>& divergence() const { return divergence_; }

  /// Reports every phase boundary to `observer` (null: none); the core then waits phase by phase
  /// so that every boundary has its own simulated time. Set before sc_start().
  void observe_phases(PhaseObserver* observer) { observer_ = observer; }

 private:
  void run();
  /// One timestep from its first cycle `start_cycle`; `phase`/`phase_start` follow where it is.
  void run_timestep(uint64_t start_cycle, const char*& phase, uint64_t& phase_start);
  void advance(uint64_t cycles);
  /// At core cycle `cycle` (the work so far): tells the network, waits for this timestep's
  /// deliveries and for the network to drain; returns the cycles waited.
  uint64_t await_network(uint64_t cycle);
  void emit_spikes(uint64_t step_start_cycle);
  void publish_memory_counts();

  const CoreConfig cfg_;
  const uint32_t core_index_;
  const ClockDomain clock_;
  const uint16_t packet_bits_;
  CoreDatapath datapath_;
  CoreStats stats_;
  sc_core::sc_event tick_, done_, never_;
  uint64_t timestep_ = 0;
  TimestepContext context_;
  Ps tick_time_;
  Ps busy_until_;
  CoreTimestepReport report_;
  PhaseObserver* observer_ = nullptr;
  std::optional<LearningDivergence> divergence_;
  CoreNetworkIf* network_ = nullptr;
  std::vector<CoreSpike> emitted_;
  uint64_t network_wait_ = 0;
};

}  // namespace neurochip::hw
