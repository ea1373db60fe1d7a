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

/// One timestep's traffic on a chip with a network (SPEC §7.7), for traces and waveforms: packet k
/// carries the spike of sources[k] (core, neuron slot) to targets[k] (core, axon), or with table
/// multicast (target kMulticastTarget) to every core its deliveries name.
struct NetworkBatch {
  uint64_t timestep;
  const std::vector<noc::Packet>& packets;
  const std::vector<noc::Delivery>& deliveries;
  const std::vector<CoreSlot>& sources;
  const std::vector<CoreImage::FanOut>& targets;
  const noc::Network& network;  ///< its schedule() is this timestep's
};

}  // namespace neurochip::hw
