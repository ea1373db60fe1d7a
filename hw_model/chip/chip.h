// Chip top (SPEC.md §5): elaborates one NeuroCore per configured core, offers the off-chip stimulus
// to the cores' AER inputs through its input pads at each tick, and generates the ticks with the
// timestep scheduler (free-running or fixed period with overrun handling), in the chip clock
// domain. One SC_THREAD for the whole chip.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "chip/chip_config.h"
#include "chip/chip_stats.h"
#include "chip/noc_stats.h"
#include "core/core_image.h"
#include "common/aer_link.h"
#include "common/stats.h"
#include "core/neuro_core.h"
#include "core/sample_protocol.h"
#include "noc/network.h"
#include "noc/network_batch.h"
#include "noc/topology.h"

namespace neurochip::hw {

/// Receives the chip's per-timestep progress (the runner's monitor implements it).
class ChipObserverIf : public virtual sc_core::sc_interface {
 public:
  /// Timestep finished on every core; reports are in core order.
  virtual void timestep_done(const std::vector<CoreTimestepReport>& reports) = 0;
  /// The run ended: `total_cycles` (chip clock) is where the next timestep would start, or where the
  /// halting timestep's work ended; `halted` on a timing error.
  virtual void run_done(uint64_t total_cycles, uint64_t overruns, bool halted) = 0;
};

class Chip : public sc_core::sc_module, private CoreNetworkIf {
 public:
  sc_core::sc_port<AerSinkIf> aer_out;        ///< off-chip output: every core's spike packets
  sc_core::sc_port<SpikeProbeIf> probe;       ///< every core's spike records
  sc_core::sc_port<ChipObserverIf> observer;  ///< per-timestep reports

  /// A chip built as `cfg` and loaded with `image` (moved into the cores' SRAMs, not kept);
  /// `stimulus` is asked for the packets of every timestep at its tick (it must outlive the run);
  /// `learning_backends` builds the cores' learning engines (empty: the C++ model; SPEC §6.7).
  Chip(sc_core::sc_module_name name, const ChipConfig& cfg, ChipImage image, StimulusSource& stimulus,
       uint64_t timesteps, StatGroup& parent_stats, SampleSchedule samples = {},
       const EpropBackendFactory& learning_backends = {});

  const std::vector<std::unique_ptr<NeuroCore>>& cores() const { return cores_; }
  const ChipStats& stats() const { return stats_; }
  /// Stimulus packets addressed to a core the chip does not have (dropped).
  uint64_t unmapped_packets() const { return unmapped_packets_; }
  /// The first core's learning divergence (the simulation stopped there), or null.
  const LearningDivergence* divergence() const;
  /// The network's deadlock or routing-loop report (the simulation stopped there), or empty.
  const std::string& network_error() const { return network_error_; }
  /// The network between the cores (SPEC §7), or null on a chip without one.
  const noc::Network* network() const { return network_.get(); }
  /// Hands every timestep's traffic to `f` (the network keeps its schedule for it). Before sc_start().
  void on_network_batch(std::function<void(const NetworkBatch&)> f) {
    network_->keep_schedule(true);
    on_batch_ = std::move(f);
  }
  /// Reports ticks and every core's phase boundaries to `observer` (null: none). Before sc_start().
  void observe_phases(PhaseObserver* observer);

 private:
  // The network's epochs (SPEC §7.8), oldest first: each holds the packets offered between two
  // moments the network was quiet, moved together from the network's state at its start; the last
  // one is open to more packets. An epoch is finished when a newer one exists and every delivery has
  // been taken by a window. Deliveries are by arrival; the first `settled` have been taken
  // (`integrated`: which timestep's PROP, or kDropped).
  struct Epoch {
    std::vector<noc::Packet> packets;
    std::vector<CoreImage::FanOut> targets;  ///< per packet: its core and axon
    std::vector<CoreSlot> sources;           ///< per packet: its core and neuron
    std::vector<uint64_t> timesteps;         ///< per packet: the timestep that emitted it
    std::vector<uint64_t> closes;            ///< per packet: when that timestep's window closed (ps)
    noc::Network::State start;
    std::vector<noc::Delivery> deliveries;
    std::vector<uint64_t> integrated;
    std::vector<noc::Network::Use> schedule;  ///< kept for traces (on_network_batch)
    size_t settled = 0;
  };

  void run();
  void offer_stimulus(uint64_t timestep, Ps tick);
  /// Moves the timestep's spikes from every core over the network to their destination cores and
  /// hands each core what arrived in its window, which closes at `close` (ps; SPEC §7.8).
  void route_spikes(uint64_t timestep, uint64_t close);
  /// Appends timestep `timestep`'s packets (its window closing at `close`) to `e`.
  void add_packets(Epoch& e, uint64_t timestep, uint64_t close) const;
  /// Takes the deliveries that arrived by `close` into timestep `timestep`'s window.
  void settle(Epoch& e, uint64_t timestep, uint64_t close);
  /// The statistics and traces of a finished epoch; deliveries still untaken (the run ended) never
  /// arrived in a window.
  void finish_epoch(Epoch& e);
  /// When timestep `timestep`, ticked at `tick`, stops taking spikes: never with the barrier.
  uint64_t window_close(Ps tick) const;
  // CoreNetworkIf
  void core_ready(uint32_t core, Ps done) override;
  const sc_core::sc_event& delivered_event() const override { return delivered_; }
  uint64_t delivered_timestep() const override { return delivered_timestep_; }
  Ps drained_at() const override { return drained_; }

  const ChipConfig cfg_;
  StimulusSource& stimulus_;
  const uint64_t timesteps_;
  const SampleSchedule samples_;
  const EpropBackendFactory learning_backends_;
  ChipStats stats_;
  std::vector<std::unique_ptr<NeuroCore>> cores_;
  std::vector<std::unique_ptr<AerOutbox>> pads_;  ///< input pads, one per core
  std::vector<uint16_t> pad_bits_;                ///< width of input packets, per core
  sc_core::sc_event_and_list all_done_;
  std::vector<CoreTimestepReport> reports_;
  std::vector<AerPacket> packets_;
  uint64_t unmapped_packets_ = 0;
  PhaseObserver* observer_ = nullptr;
  // The network (SPEC §7.7), on a chip with one.
  std::unique_ptr<noc::Topology> topology_;
  std::unique_ptr<noc::Network> network_;
  std::vector<std::vector<uint32_t>> fanout_begin_;         ///< per core: CoreImage::fanout_begin
  std::vector<std::vector<CoreImage::FanOut>> fanout_;      ///< per core: CoreImage::fanout
  std::deque<Epoch> epochs_;
  uint32_t cores_ready_ = 0;
  Ps cores_done_;              ///< the latest `done` of this timestep's core_ready calls
  std::string network_error_;
  sc_core::sc_event all_ready_, delivered_;
  uint64_t delivered_timestep_ = ~uint64_t{0};
  Ps drained_;
  std::function<void(const NetworkBatch&)> on_batch_;
  std::unique_ptr<NocStats> noc_stats_;  ///< stats.chip.noc, on a chip with a network
};

}  // namespace neurochip::hw
