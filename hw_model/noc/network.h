// The on-chip address-event network as a pure C++ kernel (SPEC.md §7): clockless routers joined by
// bundled-data links with 4-phase request/acknowledge handshakes, input FIFOs with backpressure,
// round-robin arbitration per output port, dimension-order unicast and table-driven (key/mask)
// multicast. A batch of packets (one timestep's: the network drains between timesteps) is moved
// through it in picoseconds. The detailed model is a discrete-event simulation of every handshake;
// the fast mode computes each packet's contention-free schedule in closed form (§7.3) and simulates
// in detail only the packets whose use of a link or FIFO overlaps another's, widening that set until
// no detailed packet overlaps a closed-form one, which gives exactly the detailed times (§7.4).
// A deadlock (packets in flight, no event left) or a routing loop throws NocError naming the
// routers and ports involved. SystemC-free.
#pragma once

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "noc/topology.h"

namespace neurochip::hw::noc {

struct NocTiming {
  uint64_t request_ps = 100;      ///< request wire (and bundled data) delay of a link
  uint64_t acknowledge_ps = 100;  ///< acknowledge wire delay of a link
  uint64_t router_ps = 200;       ///< from a packet in an input FIFO to its request at the output port
  uint32_t fifo_depth = 2;        ///< packets per input FIFO (at least 1)
  uint32_t link_bits = 32;        ///< data wires of a link: a packet of b bits is ceil(b / link_bits) handshakes
};

/// A multicast routing-table entry (SpiNNaker-style): a packet whose key & mask == value leaves
/// through every port in `ports` (bit p = port p; bit kLocal delivers to this router's core). The
/// first matching entry of a router's table applies.
struct RouteEntry {
  uint64_t value = 0, mask = 0;
  uint8_t ports = 0;
};

struct Packet {
  uint32_t src = 0;        ///< router whose core sends it
  uint32_t dst = 0;        ///< unicast: destination router
  bool multicast = false;  ///< routed by the tables on `key` instead of dimension order to `dst`
  uint64_t key = 0;
  uint16_t bits = 1;
  uint64_t inject_ps = 0;  ///< offered by the core to its router's local input
};

/// A packet (or a multicast copy) handed to the core of `router` at `arrive_ps`.
struct Delivery {
  uint32_t packet = 0;
  uint32_t router = 0;
  uint64_t arrive_ps = 0;
  uint32_t hops = 0;  ///< inter-router links crossed
};

/// Link `kInjection` of a router is its core's link into the local input FIFO; links 0-4 leave
/// through the output ports (0: to the core).
inline constexpr uint32_t kInjection = kPorts;
/// A link's name in outputs and on the command line: its port's, or "injection".
inline const char* link_name(uint32_t link) { return link == kInjection ? "injection" : port_name(link); }

struct LinkStats {
  uint64_t packets = 0, bits = 0;
  uint64_t busy_ps = 0;     ///< from grant to the link's return to idle
  uint64_t wait_ps = 0;     ///< requests waiting for the output port (contention)
  uint64_t blocked_ps = 0;  ///< requests waiting at the far end for FIFO space (backpressure)
};

struct FifoStats {
  uint32_t max = 0;              ///< most packets held at once
  uint64_t occupancy_ps = 0;     ///< the integral of the occupancy over time (packet·ps)
  std::vector<uint64_t> level_ps;  ///< time spent at occupancy 1, 2, ... (index k: k + 1 packets)
};

/// A deadlock or routing loop: no packet can move, or one would circle for ever.
struct NocError : std::runtime_error {
  explicit NocError(const std::string& what) : std::runtime_error(what) {}
};

class Network {
 public:
  /// One use of a resource by a packet, [begin, end) in ps: a link from its grant to its return to
  /// idle (`latch`: when the far end latched the first handshake), or a FIFO slot from taken to freed.
  struct Use {
    uint32_t resource;
    uint32_t packet;
    uint64_t begin, end;
    uint64_t latch = 0;
  };
  /// An output port's grant: when, and to which input port.
  struct Grant {
    uint64_t time;
    uint8_t in_port;
  };

  Network(const Topology& topology, const NocTiming& timing);

  /// The multicast table of a router (replaces any earlier one).
  void set_table(uint32_t router, std::vector<RouteEntry> entries);

  enum class Mode { kFast, kDetailed };
  /// Moves `batch` (times after every earlier batch's) through the network. Deliveries are sorted
  /// by (arrive_ps, router, packet).
  std::vector<Delivery> run(const std::vector<Packet>& batch, Mode mode = Mode::kFast);

  /// Everything a batch changes (statistics, round-robin pointers, when links are idle again):
  /// restore() returns the network to a saved state, so that a batch whose packets meet a later
  /// batch's can be moved again together with it (SPEC §7.8).
  struct State {
    std::vector<LinkStats> links;
    std::vector<FifoStats> fifos;
    std::vector<uint8_t> last_grant;
    std::vector<uint64_t> port_free;
    uint64_t detailed_packets = 0;
  };
  State state() const { return State{links_, fifos_, last_grant_, port_free_, detailed_packets_}; }
  void restore(const State& s);
  /// When every link is idle again after the batches so far (every FIFO slot is free by then): a
  /// batch offered no earlier meets none of their packets.
  uint64_t quiet_ps() const;

  /// Closed-form delivery time of a unicast packet alone in the network (SPEC §7.3).
  uint64_t unloaded_arrival(const Packet& p) const;

  /// Keep each batch's final schedule (every link and FIFO use) for schedule() (waveforms, traces).
  void keep_schedule(bool on) { keep_schedule_ = on; }
  /// The last batch's schedule, by resource and begin (empty unless keep_schedule(true)).
  const std::vector<Use>& schedule() const { return schedule_; }
  /// Resource id of a link (link_of) or a FIFO (fifo_of) as schedule() names them, and back.
  uint32_t link_of(uint32_t router, uint32_t link) const { return link_id(router, link); }
  uint32_t fifo_of(uint32_t router, uint32_t port) const { return fifo_id(router, port); }
  bool is_link(uint32_t resource) const { return resource < links_.size(); }
  /// The router and link (an output port, or kInjection) of a link resource.
  uint32_t link_router(uint32_t resource) const { return resource / (kPorts + 1); }
  uint32_t link_port(uint32_t resource) const { return resource % (kPorts + 1); }
  const NocTiming& timing() const { return timing_; }

  const LinkStats& link(uint32_t router, uint32_t link) const { return links_[router * (kPorts + 1) + link]; }
  const FifoStats& fifo(uint32_t router, uint32_t port) const { return fifos_[router * kPorts + port]; }
  /// Packets the fast mode simulated in detail so far (the rest took the closed form).
  uint64_t detailed_packets() const { return detailed_packets_; }
  const Topology& topology() const { return topology_; }

 private:
  friend class Batch;
  /// Output ports a packet takes at `router` (bit p = port p); throws NocError if none.
  uint8_t ports_at(const Packet& p, uint32_t router) const;
  uint32_t link_id(uint32_t router, uint32_t link) const { return router * (kPorts + 1) + link; }
  uint32_t fifo_id(uint32_t router, uint32_t port) const {
    return static_cast<uint32_t>(links_.size()) + router * kPorts + port;
  }
  /// Closed-form schedule of packet `index`: its deliveries, resource uses and grants.
  void closed_form(const Packet& p, uint32_t index, std::vector<Delivery>& out, std::vector<Use>& uses,
                   std::vector<std::pair<uint32_t, Grant>>& grants) const;
  /// Pointers, link state and statistics from the batch's final schedule (`uses` by resource, begin).
  void finish(const std::vector<Packet>& batch, const std::vector<Use>& uses, const std::vector<uint64_t>& wait,
              const std::vector<uint64_t>& blocked, const std::vector<std::pair<uint32_t, Grant>>& grants);
  void account(const std::vector<Use>& uses, const std::vector<uint64_t>& wait, const std::vector<uint64_t>& blocked,
               const std::vector<Packet>& batch);
  static bool by_arrival(const Delivery& a, const Delivery& b);

  const Topology& topology_;
  const NocTiming timing_;
  std::vector<std::vector<RouteEntry>> tables_;
  /// Per router, a lookup of its table that gives the first match without a scan: the first
  /// exact-key entry (mask all ones) of each key, and the entries with other masks in table order.
  struct TableIndex {
    std::unordered_map<uint64_t, uint32_t> exact;
    std::vector<uint32_t> masked;
    std::vector<uint8_t> missing_link;  ///< per entry: 1 + a port it names that has no link, or 0
  };
  std::vector<TableIndex> table_index_;
  /// Per multicast key, the ports each router gives it (index: router; 0: not looked up yet): the
  /// tables do not change while packets move, and a key's tree is one small row where the tables
  /// hold an entry per key and router.
  mutable std::unordered_map<uint64_t, std::vector<uint8_t>> tree_cache_;
  /// The table lookup behind ports_at for a multicast packet.
  uint8_t table_ports(const Packet& p, uint32_t router) const;
  std::vector<LinkStats> links_;
  std::vector<FifoStats> fifos_;
  std::vector<uint8_t> last_grant_;  ///< per output port (router·kPorts + port): the input port last granted
  std::vector<uint64_t> port_free_;  ///< per link: when it is idle again after the last batch
  uint64_t detailed_packets_ = 0;
  bool keep_schedule_ = false;
  std::vector<Use> schedule_;
};

/// One edge of a link's request or acknowledge wire, seen at the sending end.
struct WireEdge {
  uint64_t time;
  bool request;  ///< the request wire (else the acknowledge wire)
  bool high;
};
/// The edges of a link use's f handshakes (SPEC §7.2): request up at the grant and after each
/// acknowledge down, request down and acknowledge up when the acknowledge arrives.
std::vector<WireEdge> handshake_edges(const Network::Use& link_use, uint64_t flits, const NocTiming& t);

}  // namespace neurochip::hw::noc
