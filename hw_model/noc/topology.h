// Topologies of the on-chip address-event network (SPEC.md §7.1): routers, the five ports of each
// (local, east, west, north, south), which router and input port a link leads to, and
// dimension-order routing (x first, then y). A 2D mesh and a 2D torus (wrap-around links; each
// dimension goes the shorter way, east or north on a tie). Another topology is one more subclass.
// SystemC-free.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace neurochip::hw::noc {

/// Router ports; a link leaving through port p of one router enters its neighbour through opposite(p).
enum Port : uint8_t { kLocal = 0, kEast = 1, kWest = 2, kNorth = 3, kSouth = 4 };
inline constexpr uint32_t kPorts = 5;
const char* port_name(uint32_t port);
constexpr uint8_t opposite(uint8_t p) {
  return p == kEast ? kWest : p == kWest ? kEast : p == kNorth ? kSouth : p == kSouth ? kNorth : kLocal;
}

/// A link's far end: the router it enters and the input port it enters through.
struct LinkEnd {
  uint32_t router = 0;
  uint8_t port = kLocal;
};

class Topology {
 public:
  virtual ~Topology() = default;
  virtual uint32_t routers() const = 0;
  /// Where the link leaving `router` through output port `port` (not kLocal) leads; none at an edge.
  virtual std::optional<LinkEnd> neighbour(uint32_t router, uint8_t port) const = 0;
  /// The output port dimension-order routing takes at `router` toward `dst` (kLocal at dst).
  virtual uint8_t route(uint32_t router, uint32_t dst) const = 0;
  /// Inter-router links a unicast packet crosses from `src` to `dst`.
  uint32_t hops(uint32_t src, uint32_t dst) const;
  /// "(x,y)" of a router.
  virtual std::string router_name(uint32_t router) const = 0;
};

/// W x H routers, router r at x = r mod W, y = r div W; east is +x, north is +y.
class Mesh2D : public Topology {
 public:
  Mesh2D(uint32_t width, uint32_t height) : w_(width), h_(height) {}
  uint32_t routers() const override { return w_ * h_; }
  std::optional<LinkEnd> neighbour(uint32_t router, uint8_t port) const override;
  uint8_t route(uint32_t router, uint32_t dst) const override;
  std::string router_name(uint32_t router) const override;
  uint32_t width() const { return w_; }
  uint32_t height() const { return h_; }

 protected:
  const uint32_t w_, h_;
};

/// The mesh with wrap-around links in both dimensions.
class Torus2D : public Mesh2D {
 public:
  using Mesh2D::Mesh2D;
  std::optional<LinkEnd> neighbour(uint32_t router, uint8_t port) const override;
  uint8_t route(uint32_t router, uint32_t dst) const override;
};

}  // namespace neurochip::hw::noc
