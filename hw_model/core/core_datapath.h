// Time-multiplexed neuron engine of one core as a pure C++ kernel (SPEC.md §2, §3, §4.1, §5.3):
// the AER input latch and the phases SYNC, STEP, STEP_DONE and PROP over word-accurate neuron and
// synapse SRAMs. The SystemC shell (neuro_core.h) runs the phases of the phase table one at a time
// and advances time by the cycles they return.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "common/time.h"
#include "core/core_config.h"
#include "core/core_image.h"
#include "core/core_timing.h"
#include "core/neuron_param_runs.h"
#include "core/row_kernels.h"
#include "core/sample_protocol.h"
#include "core/stochastic_rounding.h"
#include "learning/eprop_backend.h"
#include "memory/neuron_memory.h"
#include "memory/synapse_list_memory.h"
#include "memory/synapse_memory.h"

namespace neurochip::hw {

class CoreDatapath {
 public:
  /// A core built as `cfg` (with cfg.enabled slots), loaded with `image`: the weights are moved
  /// into the SRAMs and not kept. Its learning engine is the C++ model, or what `backends` builds
  /// for core `core_index` when given (SPEC §6.7).
  CoreDatapath(const CoreConfig& cfg, CoreImage image, const EpropBackendFactory* backends = nullptr,
               uint32_t core_index = 0);
  ~CoreDatapath();

  /// What became of an input event (SPEC §5.3).
  enum class Input {
    kAccepted,  ///< latched at the first SYNC at or after its arrival
    kLate,      ///< arrived in the window of a SYNC that had already latched: taken by the next one
    kUnmapped,  ///< the axon is not enabled on this core: counted and dropped
  };
  /// AER input: an event for axon `axon` that arrives at `time` (never before the simulated time
  /// of the call). Repeats within one window merge (SPEC §1).
  Input receive(uint32_t axon, Ps time);

  /// A chip with a network (SPEC §7.7): a spike of this timestep from another core, on input axon
  /// `axon` (one of the core's remote axons), that reached the core at `arrival`, integrated by this
  /// timestep's PROP. After SYNC.
  void receive_remote(uint32_t axon, Ps arrival = Ps());
  /// A chip with a network whose cores integrate in arrival order (SPEC §7.9): PROP applies every
  /// event on its own, by time, and counts how many potentials differ from the canonical order's.
  void integrate_in_arrival_order(bool on) { arrival_order_ = on && !canonical_scan_.empty(); }
  /// When own neuron `slot` spiked in this timestep's STEP (its packet's time, SPEC §5.3).
  void set_spike_time(uint32_t slot, Ps time) {
    if (slot < spike_time_.size()) spike_time_[slot] = time;
  }
  /// Arrival order: neuron potentials after PROP that differ from the canonical order's, so far.
  uint64_t order_differences() const { return order_differences_; }
  /// Remote spikes received so far.
  uint64_t remote_events() const { return remote_events_; }
  /// Starts a timestep whose first cycle begins at `start`: the events that arrived at or before
  /// `start` are the ones the coming SYNC latches.
  void begin_timestep(Ps start);
  /// SYNC: the latched events become this timestep's x bits. Returns the phase's cycles.
  uint64_t sync();
  /// STEP: spike test, leak, reset, refractory, adaptation (§2.4) and readout leak (§2.5).
  /// The spiking neurons, ascending, are in spiking() afterwards. Returns the phase's cycles.
  uint64_t step();
  /// Neurons that spiked in the last STEP, ascending.
  const std::vector<uint32_t>& spiking() const { return spiking_; }
  /// The sample protocol (SPEC §4.5): a new sample starts (every state field, readout, spike bit
  /// and win counter back to 0; weights, parameters and LFSR states kept).
  void begin_sample();
  /// The context of the coming timestep (whether its STEP_DONE votes).
  void set_context(const TimestepContext& ctx) { context_ = ctx; }
  /// STEP_DONE: with the context's `infer`, the readout with the largest value (ties: the lowest
  /// index) gets one vote; the hand-off point of a learning engine.
  uint64_t step_done();
  /// SEND: the sample's label, the readout with the most votes (ties: the lowest index).
  uint64_t send();
  /// EPROP (SPEC §6): in a supervised timestep the learning engine updates the weights.
  uint64_t eprop();
  /// Whether the core's weights learn (SPEC §6).
  bool learns() const { return cfg_.learning.learns(); }
  /// The label of the last SEND (-1 before any).
  int32_t label() const { return label_; }
  /// The win counters of the current sample, one per enabled readout.
  const std::vector<uint16_t>& votes() const { return votes_; }
  /// PROP: scan and integrate every active index in ascending order (§2.6).
  uint64_t prop();

  /// Work of the current timestep (valid after prop()).
  const TimestepWork& work() const { return work_; }
  uint64_t input_events() const { return input_events_; }
  const CoreShape& shape() const { return shape_; }
  Ps latch_time() const { return latch_time_; }  ///< start of the current (or last) timestep
  uint64_t unmapped_events() const { return unmapped_events_; }  ///< events dropped (kUnmapped)
  uint64_t late_events() const { return late_events_; }          ///< events taken late (kLate)

  const NeuronMemory& neurons() const { return neurons_; }
  int32_t readout(uint32_t k) const { return readout_[k]; }
  uint32_t readout_count() const { return static_cast<uint32_t>(readout_.size()); }
  /// The stochastic-rounding unit, or null with rounding mode floor.
  const StochasticRounding* rounding() const { return rounding_ ? &*rounding_ : nullptr; }
  /// The weights the SRAMs hold now, dense over the enabled slots (back-door reads, not counted).
  CoreImage weights_image() const;
  const SynapseMemory& input_sram() const { return input_sram_; }
  const SynapseMemory& recurrent_sram() const { return recurrent_sram_; }
  const SynapseMemory& output_sram() const { return output_sram_; }
  /// A sparse core's axon table and synapse lists (SPEC §3.4), or null on a crossbar core.
  const SynapseListMemory* synapse_lists() const { return lists_ ? &*lists_ : nullptr; }
  uint64_t synaptic_events() const { return synaptic_events_; }
  /// Synaptic events whose weight is non-zero (SPEC §3.3).
  uint64_t nonzero_synaptic_events() const { return nonzero_synaptic_events_; }
  /// Non-zero weights the SRAMs were loaded with.
  uint64_t stored_synapses() const { return stored_synapses_; }

 private:
  void integrate(uint32_t i, const int8_t* w_in, const int8_t* w_rec);
  /// PROP of a core of a chip with a network (SPEC §7.7): the sources in canonical order; a sparse
  /// core reads its lists by own active index and applies them in that order (§3.4, §7.7).
  uint64_t prop_canonical();
  /// SPEC §2.6 word by word, membrane noise included: row `a` (shift `sa`) and row `b` (shift `sb`),
  /// either null, summed and added to every neuron that is not refractory.
  void integrate_rows(const int8_t* a, int sa, const int8_t* b, int sb);
  /// One canonical index of a networked core: its input axon, and the local neuron or the remote
  /// axon of the neuron with that index (kNoSource where the core has none).
  struct ScanEntry {
    uint32_t x_axon, z_slot, z_axon;
  };
  static constexpr uint32_t kNoSource = 0xFFFFFFFFu;
  /// A sparse core's PROP of active index i (SPEC §3.4): its axon-table entry, the lists of its
  /// input event (x) and spike (z), their entries added to their targets.
  void integrate_lists(uint32_t i, bool x, bool z);
  /// The neuron parameter runs and the per-word rounding flags from the neuron SRAM's word
  /// parameters (or the core's registers).
  void update_param_runs();

  struct FutureEvent {
    Ps time;
    uint32_t axon;
  };

  const CoreConfig& cfg_;
  const CoreShape shape_;
  const uint32_t inputs_, neurons_n_, readouts_n_;
  NeuronMemory neurons_;
  SynapseMemory input_sram_, recurrent_sram_, output_sram_;  ///< input and recurrent: empty on a sparse core
  std::optional<SynapseListMemory> lists_;  ///< a sparse core's axon table and synapse lists
  std::vector<int32_t> readout_;
  std::vector<uint16_t> votes_;       ///< win counters (16 bits, saturating)
  int32_t label_ = -1;
  TimestepContext context_;
  std::optional<StochasticRounding> rounding_;
  std::unique_ptr<EpropBackend> eprop_;  ///< the learning engine, or none without learning and traces
  std::optional<StreamLfsr> noise_;   ///< membrane noise (SPEC §2.6), or none
  class SramWeights;                  ///< the engine's view of the weight SRAMs
  std::unique_ptr<SramWeights> eprop_weights_;
  std::vector<uint16_t> leak_draws_;  ///< one STEP's membrane draws (stochastic rounding)
  std::vector<NeuronParamRun> param_runs_;  ///< STEP's neuron runs (SPEC §3.1 word parameters)
  uint64_t params_generation_ = 0;    ///< the neuron SRAM's word-parameter generation they came from
  std::vector<uint8_t> word_rounds_;  ///< per neuron word: alpha != 1.0, the leak rounds
  bool round_membrane_ = false;       ///< some word's alpha != 1.0 (the leak can round)
  bool mixed_rounding_ = false;       ///< some words' alpha is 1.0 and others' is not
  bool round_readout_ = false;        ///< stochastic rounding on and kappa != 1.0
  std::vector<uint8_t> pending_x_;   ///< events arrived by the coming SYNC's latch time
  std::vector<FutureEvent> future_;  ///< events arriving after it (a min-heap on time)
  Ps latch_time_;                    ///< the coming (or last) SYNC latches arrivals up to this time
  bool latched_ = false;             ///< SYNC has latched at latch_time_
  std::vector<uint8_t> x_;           ///< this timestep's input bits
  std::vector<uint8_t> z_;           ///< this timestep's spike bits
  std::vector<uint32_t> spiking_;
  std::vector<uint32_t> active_;     ///< PROP's active indices, ascending (room for all)
  const kernels::RowKernels& kernels_ = kernels::RowKernels::best();
  int refractory_field_ = -1;        ///< the field that blocks integration, or -1 when it stays 0
  TimestepWork work_;
  uint64_t input_events_ = 0;
  uint64_t synaptic_events_ = 0;
  uint64_t nonzero_synaptic_events_ = 0;
  uint64_t stored_synapses_ = 0;
  uint64_t unmapped_events_ = 0;
  uint64_t late_events_ = 0;
  uint64_t remote_events_ = 0;
  std::vector<ScanEntry> canonical_scan_;  ///< a networked core's sources by canonical index, or empty
  /// Arrival order (SPEC §7.9): when each remote axon's spike arrived and each own spike left, PROP's
  /// events by time, the canonical order's potentials for the comparison, and the differences.
  bool arrival_order_ = false;
  std::vector<Ps> remote_time_, spike_time_;
  struct TimedEvent {
    uint64_t time;
    uint32_t scan;  ///< index into canonical_scan_
    uint8_t kind;   ///< 0 input, 1 own spike, 2 remote spike (the tie order)
  };
  std::vector<TimedEvent> events_;
  std::vector<int32_t> canonical_u_, contribution_;
  uint64_t order_differences_ = 0;
  /// The canonical order's result of this PROP from the current potentials, into canonical_u_,
  /// reading weights without counting them (the comparison is not hardware).
  void canonical_shadow();
  /// Arrival order: the events one by one; returns nothing, counts as PROP does per row read.
  void integrate_arrival_order();
  /// A networked sparse core: the lists PROP read for each input axon and neuron slot this timestep
  /// (valid for the active ones), applied afterwards in canonical order.
  std::vector<SynapseListMemory::List> input_lists_, recurrent_lists_;
};

}  // namespace neurochip::hw
