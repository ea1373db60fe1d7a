// Configuration of a chip's address-event network (SPEC.md §7, `chip.noc`): the topology and its
// size, and the timing and sizes of links, routers and FIFOs. Core k of the chip sits at router k.
// SystemC-free.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "core/core_image.h"
#include "noc/network.h"
#include "noc/topology.h"

namespace neurochip::hw::noc {

enum class TopologyKind : int { kMesh = 0, kTorus = 1 };
/// How a spike reaches several cores (SPEC §7.7): one unicast packet per destination core from the
/// source (Loihi), or one packet copied by key/mask routing tables in the routers (SpiNNaker).
enum class Multicast : int { kSource = 0, kTable = 1 };

/// What a core does with a late spike, one that reaches it after its timestep's window closed
/// (fixed timestep policy, SPEC §7.8): integrate it in the window it arrived in, or drop it.
enum class LateSpikes : int { kNext = 0, kDrop = 1 };
/// The order a networked core's PROP integrates its events in (SPEC §7.7, §7.9): ascending canonical
/// index (independent of the network's timing), or their arrival times (an asynchronous core).
enum class Integration : int { kCanonical = 0, kArrival = 1 };

struct NocConfig {
  bool enabled = false;  ///< the chip has a network (`chip.noc` given)
  TopologyKind topology = TopologyKind::kMesh;
  uint32_t width = 1, height = 1;  ///< routers along x and y
  NocTiming timing;
  Multicast multicast = Multicast::kSource;
  uint32_t table_entries = 1024;  ///< routing-table entries per router (table multicast)
  /// Fixed timestep policy (SPEC §7.8): the window for a timestep's spikes closes this many chip
  /// clock cycles after its tick (0: at the next tick); what happens to a spike that misses it.
  uint64_t window_cycles = 0;
  LateSpikes late_spikes = LateSpikes::kNext;
  Integration integration = Integration::kCanonical;
};

/// The routing key of neuron `slot` of core `core` in table multicast (SPEC §7.7).
inline uint64_t multicast_key(uint32_t core, uint32_t slot) { return (uint64_t{core} << 32) | slot; }

/// Table multicast (SPEC §7.7): the output ports each router gives the key of a neuron of core
/// `src` whose spikes go to cores `dst` — the union of the dimension-order paths (bit p = port p).
inline std::vector<std::pair<uint32_t, uint8_t>> multicast_tree(const Topology& t, uint32_t src,
                                                                const std::vector<uint32_t>& dst) {
  std::vector<std::pair<uint32_t, uint8_t>> ports;  // (router, ports), in first-visit order
  const auto add = [&ports](uint32_t router, uint8_t port) {
    for (auto& [r, p] : ports)
      if (r == router) {
        p = static_cast<uint8_t>(p | (1u << port));
        return;
      }
    ports.emplace_back(router, static_cast<uint8_t>(1u << port));
  };
  for (uint32_t d : dst)
    for (uint32_t r = src;;) {
      const uint8_t port = t.route(r, d);
      add(r, port);
      if (port == kLocal) break;
      r = t.neighbour(r, port)->router;
    }
  return ports;
}

/// Table multicast (SPEC §7.7): emit(router, entry) for every routing-table entry the chip needs for
/// the neurons of core `core` that send off the core — one exact-key entry per router on each such
/// neuron's tree. `fanout_begin` and `fanout` are the core's fan-out table (CoreImage).
template <class Emit>
void multicast_entries(const Topology& t, uint32_t core, const std::vector<uint32_t>& fanout_begin,
                       const std::vector<CoreImage::FanOut>& fanout, Emit&& emit) {
  std::vector<uint32_t> dst;
  for (uint32_t j = 0; j + 1 < fanout_begin.size(); ++j) {
    if (fanout_begin[j] == fanout_begin[j + 1]) continue;
    dst.clear();
    for (uint32_t k = fanout_begin[j]; k < fanout_begin[j + 1]; ++k) dst.push_back(fanout[k].core);
    for (const auto& [router, ports] : multicast_tree(t, core, dst))
      emit(router, RouteEntry{multicast_key(core, j), ~uint64_t{0}, ports});
  }
}

/// The topology a configuration describes.
inline std::unique_ptr<Topology> make_topology(const NocConfig& c) {
  if (c.topology == TopologyKind::kTorus) return std::make_unique<Torus2D>(c.width, c.height);
  return std::make_unique<Mesh2D>(c.width, c.height);
}

}  // namespace neurochip::hw::noc
