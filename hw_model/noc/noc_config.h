// Configuration of a chip's address-event network (SPEC.md §7, `chip.noc`): the topology and its
// size, and the timing and sizes of links, routers and FIFOs. Core k of the chip sits at router k.
// SystemC-free.
#pragma once

#include <cstdint>
#include <memory>

#include "noc/network.h"
#include "noc/topology.h"

namespace neurochip::hw::noc {

enum class TopologyKind : int { kMesh = 0, kTorus = 1 };

struct NocConfig {
  bool enabled = false;  ///< the chip has a network (`chip.noc` given)
  TopologyKind topology = TopologyKind::kMesh;
  uint32_t width = 1, height = 1;  ///< routers along x and y
  NocTiming timing;
};

/// The topology a configuration describes.
inline std::unique_ptr<Topology> make_topology(const NocConfig& c) {
  if (c.topology == TopologyKind::kTorus) return std::make_unique<Torus2D>(c.width, c.height);
  return std::make_unique<Mesh2D>(c.width, c.height);
}

}  // namespace neurochip::hw::noc
