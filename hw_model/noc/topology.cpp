// Mesh and torus topologies with dimension-order routing (SPEC.md §7.1); see topology.h.
#include "noc/topology.h"

namespace neurochip::hw::noc {

const char* port_name(uint32_t port) {
  static const char* const names[kPorts] = {"local", "east", "west", "north", "south"};
  return port < kPorts ? names[port] : "?";
}

uint32_t Topology::hops(uint32_t src, uint32_t dst) const {
  uint32_t n = 0;
  for (uint32_t r = src; r != dst; ++n) r = neighbour(r, route(r, dst))->router;
  return n;
}

std::optional<LinkEnd> Mesh2D::neighbour(uint32_t router, uint8_t port) const {
  const uint32_t x = router % w_, y = router / w_;
  switch (port) {
    case kEast:
      if (x + 1 < w_) return LinkEnd{router + 1, kWest};
      break;
    case kWest:
      if (x > 0) return LinkEnd{router - 1, kEast};
      break;
    case kNorth:
      if (y + 1 < h_) return LinkEnd{router + w_, kSouth};
      break;
    case kSouth:
      if (y > 0) return LinkEnd{router - w_, kNorth};
      break;
    default:
      break;
  }
  return std::nullopt;
}

uint8_t Mesh2D::route(uint32_t router, uint32_t dst) const {
  const uint32_t x = router % w_, y = router / w_, dx = dst % w_, dy = dst / w_;
  if (dx != x) return dx > x ? kEast : kWest;
  if (dy != y) return dy > y ? kNorth : kSouth;
  return kLocal;
}

std::string Mesh2D::router_name(uint32_t router) const {
  return "(" + std::to_string(router % w_) + "," + std::to_string(router / w_) + ")";
}

std::optional<LinkEnd> Torus2D::neighbour(uint32_t router, uint8_t port) const {
  const uint32_t x = router % w_, y = router / w_;
  switch (port) {
    case kEast:
      return LinkEnd{y * w_ + (x + 1) % w_, kWest};
    case kWest:
      return LinkEnd{y * w_ + (x + w_ - 1) % w_, kEast};
    case kNorth:
      return LinkEnd{((y + 1) % h_) * w_ + x, kSouth};
    case kSouth:
      return LinkEnd{((y + h_ - 1) % h_) * w_ + x, kNorth};
    default:
      return std::nullopt;
  }
}

uint8_t Torus2D::route(uint32_t router, uint32_t dst) const {
  const uint32_t x = router % w_, y = router / w_, dx = dst % w_, dy = dst / w_;
  if (dx != x) {
    const uint32_t east = (dx + w_ - x) % w_, west = w_ - east;
    return east <= west ? kEast : kWest;
  }
  if (dy != y) {
    const uint32_t north = (dy + h_ - y) % h_, south = h_ - north;
    return north <= south ? kNorth : kSouth;
  }
  return kLocal;
}

}  // namespace neurochip::hw::noc
