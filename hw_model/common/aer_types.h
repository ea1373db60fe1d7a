// Address-event (AER) value types, SystemC-free so that the functional reference, the trace I/O
// and the tests share them with the cycle model (SPEC.md §1, §5.3): the packets that cross AER
// links, the off-chip stimulus that produces them, and the spike records a run reports.
#pragma once

#include <cstdint>
#include <vector>

#include "common/int_math.h"
#include "common/time.h"

namespace neurochip::hw {

/// Chip id of packets that come from off-chip (stimulus pads) rather than from a core.
inline constexpr uint16_t kOffChip = 0xFFFF;

/// A neuron of the system: chip, core within the chip, neuron slot within the core.
struct NeuronRef {
  uint16_t chip = 0;
  uint16_t core = 0;
  uint32_t neuron = 0;
};

/// One address-event packet on an AER link (SPEC §5.3). `time` is when the sender offers it; it
/// may lie ahead of the simulated time at which the sender hands it over (temporal decoupling), and
/// no receiver may act on it earlier. `timestep` is simulation bookkeeping (the timestep whose
/// STEP emitted it, or whose tick it was stamped against) and is not part of the `bits` on the wire.
struct AerPacket {
  NeuronRef src;            ///< emitting neuron; chip kOffChip for stimulus (neuron = input channel)
  uint32_t dst_core = 0;    ///< destination core on this chip
  uint32_t dst_axon = 0;    ///< destination input axon of that core
  Ps time;                  ///< when the packet is offered
  uint16_t bits = 0;        ///< width of the packet on the link (SPEC §5.3)
  uint64_t timestep = 0;
};

/// Width of a packet addressing one of `slots` slots on one of `cores` cores: the core id
/// (no bits on a one-core chip) followed by the slot address (SPEC §5.3).
constexpr uint16_t packet_bits(uint64_t cores, uint64_t slots) {
  return static_cast<uint16_t>((cores > 1 ? address_bits(cores) : 0) + address_bits(slots));
}

/// One off-chip input event of a stimulus description: axon `address` of core `core` receives an
/// event `offset` after the tick of the timestep it is listed under (SPEC §5.3).
struct AerEvent {
  constexpr AerEvent() = default;
  constexpr AerEvent(uint32_t core_index, uint32_t axon, Ps after_tick = Ps()) noexcept
      : core(core_index), address(axon), offset(after_tick) {}
  uint32_t core = 0;
  uint32_t address = 0;
  Ps offset;
};

/// Per-timestep list of input events: index t holds the events stamped against tick t.
using InputSchedule = std::vector<std::vector<AerEvent>>;

/// Off-chip stimulus as a timed source: the packets stamped against the tick of `timestep`, in the
/// order the pads offer them. Implementations may generate them lazily (they are asked once per
/// timestep, in increasing order), so a run never holds its whole stimulus in memory.
class StimulusSource {
 public:
  virtual ~StimulusSource() = default;
  /// Appends the events of `timestep`, whose tick is at `tick`, to `out` as packets.
  virtual void packets_for(uint64_t timestep, Ps tick, std::vector<AerPacket>& out) = 0;
};

/// A StimulusSource over an in-memory InputSchedule (tests, small examples); holds a reference.
class ScheduleStimulus : public StimulusSource {
 public:
  explicit ScheduleStimulus(const InputSchedule& schedule) : schedule_(schedule) {}
  void packets_for(uint64_t timestep, Ps tick, std::vector<AerPacket>& out) override {
    if (timestep >= schedule_.size()) return;
    for (const AerEvent& e : schedule_[timestep]) {
      AerPacket p;
      p.src = NeuronRef{kOffChip, 0, e.address};
      p.dst_core = e.core;
      p.dst_axon = e.address;
      p.time = tick + e.offset;
      p.timestep = timestep;
      out.push_back(p);
    }
  }

 private:
  const InputSchedule& schedule_;
};

/// A spike leaving a core, stamped with the exact cycle of the core's clock the spec assigns to it
/// (SPEC §4.1).
struct EmittedSpike {
  uint64_t timestep = 0;
  uint64_t cycle = 0;
  uint32_t core = 0;
  uint32_t neuron = 0;
};

}  // namespace neurochip::hw
