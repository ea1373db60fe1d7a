// One timestep's traffic on a chip with a network (SPEC.md §7.7), as the chip hands it to traces
// and waveforms (packets.csv, links.vcd). SystemC-free.
#pragma once

#include <cstdint>
#include <vector>

#include "core/core_image.h"
#include "noc/network.h"

namespace neurochip::hw {

/// A neuron of the chip: its core and slot.
struct CoreSlot {
  uint32_t core, slot;
};

/// targets[k] of a table-multicast packet, which reaches several cores.
inline constexpr uint32_t kMulticastTarget = 0xFFFFFFFFu;

/// integrated[k] of a delivery no core integrated: dropped as late, or still travelling at the end.
inline constexpr uint64_t kDropped = ~uint64_t{0};
inline constexpr uint64_t kNeverArrived = ~uint64_t{0} - 1;

/// The traffic of one or more timesteps on a chip with a network (SPEC §7.7, §7.8), for traces and
/// waveforms: packet k, emitted in timesteps[k], carries the spike of sources[k] (core, neuron slot)
/// to targets[k] (core, axon), or with table multicast (target kMulticastTarget) to every core its
/// deliveries name; delivery d was integrated in the PROP of timestep integrated[d] (or kDropped,
/// kNeverArrived). Several timesteps form one batch when the network did not go quiet between them.
struct NetworkBatch {
  const std::vector<uint64_t>& timesteps;
  const std::vector<noc::Packet>& packets;
  const std::vector<noc::Delivery>& deliveries;
  const std::vector<CoreSlot>& sources;
  const std::vector<CoreImage::FanOut>& targets;
  const std::vector<uint64_t>& integrated;
  const std::vector<noc::Network::Use>& schedule;  ///< every link and FIFO use of its packets
  const noc::Network& network;
};

}  // namespace neurochip::hw
