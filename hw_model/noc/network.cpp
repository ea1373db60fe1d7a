// The address-event network kernel (SPEC.md §7); see network.h.
#include "noc/network.h"

#include <algorithm>
#include <limits>
#include <queue>
#include <tuple>

namespace neurochip::hw::noc {
namespace {

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
constexpr uint32_t kQueue = kPorts;  ///< FIFO slot kPorts of a router: its core's send queue (unbounded)

/// Calls f(a, b) for every two uses of one resource by different packets whose intervals overlap;
/// `sorted` is ordered by (resource, begin).
template <class F>
void for_each_overlap(const std::vector<Network::Use>& sorted, F&& f) {
  std::vector<const Network::Use*> active;
  uint32_t resource = kNone;
  for (const Network::Use& u : sorted) {
    if (u.resource != resource) {
      active.clear();
      resource = u.resource;
    }
    active.erase(std::remove_if(active.begin(), active.end(),
                                [&](const Network::Use* a) { return a->end <= u.begin; }),
                 active.end());
    for (const Network::Use* a : active)
      if (a->packet != u.packet) f(*a, u);
    active.push_back(&u);
  }
}

/// Orders uses by (resource, begin): a counting sort on the resource, then each (small) group by begin.
void sort_by_resource(std::vector<Network::Use>& uses, uint32_t resources) {
  std::vector<uint32_t> start(resources + 1, 0);
  for (const Network::Use& u : uses) ++start[u.resource + 1];
  for (uint32_t r = 0; r < resources; ++r) start[r + 1] += start[r];
  std::vector<Network::Use> sorted(uses.size());
  std::vector<uint32_t> next(start.begin(), start.end() - 1);
  for (const Network::Use& u : uses) sorted[next[u.resource]++] = u;
  for (uint32_t r = 0; r < resources; ++r)
    if (start[r + 1] - start[r] > 1)
      std::sort(sorted.begin() + start[r], sorted.begin() + start[r + 1],
                [](const Network::Use& a, const Network::Use& b) { return a.begin < b.begin; });
  uses.swap(sorted);
}

uint32_t popcount(uint8_t v) {
  uint32_t n = 0;
  for (; v; v &= static_cast<uint8_t>(v - 1)) ++n;
  return n;
}

}  // namespace

/// The discrete-event simulation of one batch's detailed packets (SPEC §7.2).
class Batch {
 public:
  using Use = Network::Use;
  using Grant = Network::Grant;

  Batch(Network& net, const std::vector<Packet>& packets, const std::vector<uint32_t>& members,
        const std::vector<std::vector<Grant>>& free_grants)
      : net_(net),
        t_(net.timing_),
        packets_(packets),
        free_grants_(free_grants),
        routers_(net.topology_.routers()),
        fifos_(routers_ * (kPorts + 1)),
        outs_(routers_ * (kPorts + 1)),
        wait_(net.links_.size(), 0),
        blocked_(net.links_.size(), 0) {
    for (uint32_t o = 0; o < outs_.size(); ++o) outs_[o].free_at = net.port_free_[o];
    for (uint32_t m : members) {
      const Packet& p = packets[m];
      Fifo& q = fifos_[p.src * (kPorts + 1) + kQueue];
      if (q.queue.empty()) senders_.push_back(p.src);
      q.queue.push_back(Entry{m, p.inject_ps, 0, p.inject_ps});
    }
    for (uint32_t r : senders_) {
      Fifo& q = fifos_[r * (kPorts + 1) + kQueue];
      std::stable_sort(q.queue.begin(), q.queue.end(),
                       [](const Entry& a, const Entry& b) { return a.arrive < b.arrive; });
      schedule(q.queue.front().arrive, kReady, r * (kPorts + 1) + kQueue);
    }
  }

  void run() {
    while (!events_.empty()) {
      const Event e = events_.top();
      events_.pop();
      now_ = e.time;
      switch (e.kind) {
        case kSlotFree: slot_free(e.a); break;
        case kArrive: arrive(e.a, e.b); break;
        case kReqArrive: request_arrives(e.a); break;
        case kReady: ready(e.a); break;
        case kArbitrate: arbitrate(e.a); break;
      }
    }
    for (const Fifo& q : fifos_)
      if (q.head < q.queue.size() || !q.incoming.empty()) deadlock();
  }

  std::vector<Delivery> deliveries;
  std::vector<Use> uses;
  std::vector<std::pair<uint32_t, Grant>> grants;  ///< (output port, grant)
  const std::vector<uint64_t>& wait() const { return wait_; }
  const std::vector<uint64_t>& blocked() const { return blocked_; }

 private:
  enum Kind : uint8_t { kSlotFree = 0, kArrive = 1, kReqArrive = 2, kReady = 3, kArbitrate = 4 };
  struct Event {
    uint64_t time;
    uint8_t kind;
    uint64_t seq;
    uint32_t a, b;
    bool operator>(const Event& o) const { return std::tie(time, kind, seq) > std::tie(o.time, o.kind, o.seq); }
  };
  struct Entry {
    uint32_t packet;
    uint64_t arrive;  ///< its last handshake latched here (for the core's queue: offered)
    uint32_t hops;
    uint64_t accept0;  ///< its first handshake latched here (the slot taken)
  };
  struct Fifo {
    std::vector<Entry> queue;     ///< packets fully in, head first from `head`
    size_t head = 0;
    std::vector<Entry> incoming;  ///< slots taken by packets still arriving
    uint32_t copies_left = 0;     ///< the head's copies not yet acknowledged downstream
    uint32_t waiting = kNone;     ///< a transfer waiting for space here
  };
  struct Request {
    uint32_t fifo;
    uint8_t in_port;
    uint32_t packet, hops;
    uint64_t time;
  };
  struct Out {
    uint64_t free_at = 0;
    std::vector<Request> pending;
    bool granted = false;  ///< a detailed grant happened this batch
    Grant last{0, 0};
  };
  struct Transfer {
    Request req;
    uint32_t out;  ///< output port id (router·(kPorts + 1) + port)
    uint64_t grant;
  };

  void schedule(uint64_t time, Kind kind, uint32_t a, uint32_t b = 0) { events_.push(Event{time, kind, seq_++, a, b}); }
  uint32_t router_of(uint32_t id) const { return id / (kPorts + 1); }
  uint32_t port_of(uint32_t id) const { return id % (kPorts + 1); }
  uint64_t flits(uint32_t packet) const {
    return (packets_[packet].bits + net_.timing_.link_bits - 1) / net_.timing_.link_bits;
  }

  /// The head of FIFO f asks for its output ports.
  void ready(uint32_t f) {
    Fifo& q = fifos_[f];
    const Entry& h = q.queue[q.head];
    const uint32_t r = router_of(f), in = port_of(f);
    const uint8_t ports = in == kQueue ? static_cast<uint8_t>(1u << kInjection) : net_.ports_at(packets_[h.packet], r);
    if (h.hops > 2 * routers_) loop(h.packet);
    q.copies_left = popcount(ports);
    for (uint32_t o = 0; o <= kPorts; ++o) {
      if (!(ports & (1u << o))) continue;
      const uint32_t out = r * (kPorts + 1) + o;
      outs_[out].pending.push_back(Request{f, static_cast<uint8_t>(in), h.packet, h.hops, now_});
      schedule(now_, kArbitrate, out);
    }
  }

  /// The round-robin pointer of output `out` at this instant: the input port of its latest grant
  /// before now, detailed or closed-form (SPEC §7.2).
  uint8_t pointer(uint32_t out) const {
    const Out& o = outs_[out];
    uint8_t last = net_.last_grant_[out];
    uint64_t when = 0;
    bool any = false;
    if (o.granted) {
      last = o.last.in_port;
      when = o.last.time;
      any = true;
    }
    const std::vector<Grant>& g = free_grants_[out];
    auto it = std::lower_bound(g.begin(), g.end(), now_, [](const Grant& x, uint64_t t) { return x.time < t; });
    if (it != g.begin()) {
      --it;
      if (!any || it->time > when) last = it->in_port;
    }
    return last;
  }

  void arbitrate(uint32_t out) {
    Out& o = outs_[out];
    if (o.pending.empty() || o.free_at > now_) return;
    const uint8_t last = pointer(out);
    size_t pick = 0;
    uint32_t best = kPorts + 2;
    for (size_t k = 0; k < o.pending.size(); ++k) {
      const uint32_t distance = (o.pending[k].in_port + (kPorts + 1) - last - 1) % (kPorts + 1);
      if (distance < best) {
        best = distance;
        pick = k;
      }
    }
    const Request req = o.pending[pick];
    o.pending.erase(o.pending.begin() + static_cast<std::ptrdiff_t>(pick));
    o.free_at = std::numeric_limits<uint64_t>::max();  // until the transfer's handshakes end
    o.granted = true;
    o.last = Grant{now_, req.in_port};
    grants.emplace_back(out, o.last);
    wait_[out] += now_ - req.time;
    transfers_.push_back(Transfer{req, out, now_});
    const uint32_t tr = static_cast<uint32_t>(transfers_.size() - 1);
    if (port_of(out) == kLocal) {
      accept(tr, now_ + t_.request_ps);  // the core always takes a packet
    } else {
      schedule(now_ + t_.request_ps, kReqArrive, tr);
    }
  }

  /// The FIFO a transfer enters, or kNone for the core.
  uint32_t target(const Transfer& tr) const {
    const uint32_t r = router_of(tr.out), o = port_of(tr.out);
    if (o == kInjection) return r * (kPorts + 1) + kLocal;
    if (o == kLocal) return kNone;
    const LinkEnd end = *net_.topology_.neighbour(r, static_cast<uint8_t>(o));
    return end.router * (kPorts + 1) + end.port;
  }

  void request_arrives(uint32_t tr) {
    const uint32_t f = target(transfers_[tr]);
    Fifo& q = fifos_[f];
    if (q.queue.size() - q.head + q.incoming.size() < net_.timing_.fifo_depth) {
      accept(tr, now_);
    } else {
      q.waiting = tr;
    }
  }

  /// The far end latches the first handshake of transfer `tr` at `t0`.
  void accept(uint32_t tr, uint64_t t0) {
    const Transfer& x = transfers_[tr];
    blocked_[x.out] += t0 - (x.grant + t_.request_ps);
    const uint64_t last = t0 + (flits(x.req.packet) - 1) * 2 * (t_.request_ps + t_.acknowledge_ps);
    const uint64_t idle = last + 2 * t_.acknowledge_ps + t_.request_ps;
    const uint32_t f = target(x);
    const bool inter_router = port_of(x.out) != kLocal && port_of(x.out) != kInjection;
    const Entry e{x.req.packet, last, x.req.hops + (inter_router ? 1u : 0u), t0};
    if (f == kNone) {
      deliveries.push_back(Delivery{x.req.packet, router_of(x.out), last, x.req.hops});
    } else {
      fifos_[f].incoming.push_back(e);
      schedule(last, kArrive, f, x.req.packet);
    }
    uses.push_back(Use{x.out, x.req.packet, x.grant, idle, t0});
    outs_[x.out].free_at = idle;
    schedule(idle, kArbitrate, x.out);
    schedule(last + t_.acknowledge_ps, kSlotFree, x.req.fifo);
  }

  /// The last handshake of `packet` latched in FIFO f (a packet enters a FIFO at most once; one
  /// link feeds a FIFO, so packets arrive in the order they were granted).
  void arrive(uint32_t f, uint32_t packet) {
    Fifo& q = fifos_[f];
    const auto it = std::find_if(q.incoming.begin(), q.incoming.end(), [&](const Entry& e) { return e.packet == packet; });
    q.queue.push_back(*it);
    q.incoming.erase(it);
    if (q.queue.size() - q.head == 1) schedule(now_ + (port_of(f) == kQueue ? 0 : t_.router_ps), kReady, f);
  }

  void slot_free(uint32_t f) {
    Fifo& q = fifos_[f];
    if (--q.copies_left > 0) return;
    const Entry head = q.queue[q.head++];
    if (port_of(f) != kQueue) uses.push_back(Use{net_.fifo_id(router_of(f), port_of(f)), head.packet, head.accept0, now_});
    if (q.waiting != kNone) {
      const uint32_t tr = q.waiting;
      q.waiting = kNone;
      accept(tr, now_);
    }
    if (q.head < q.queue.size()) {
      const Entry& next = q.queue[q.head];
      const uint64_t delay = port_of(f) == kQueue ? 0 : t_.router_ps;
      schedule(std::max(next.arrive + delay, now_), kReady, f);
    }
  }

  std::string fifo_name(uint32_t f) const {
    return "router " + net_.topology_.router_name(router_of(f)) + " " + port_name(port_of(f)) + " input";
  }

  [[noreturn]] void deadlock() const {
    // Follow "the head of FIFO a waits for space in FIFO b" from a blocked FIFO until it repeats.
    std::vector<uint32_t> next(fifos_.size(), kNone);
    for (uint32_t f = 0; f < fifos_.size(); ++f)
      if (fifos_[f].waiting != kNone) next[transfers_[fifos_[f].waiting].req.fifo] = f;
    for (uint32_t start = 0; start < fifos_.size(); ++start) {
      if (next[start] == kNone) continue;
      std::vector<uint32_t> path;
      std::vector<uint8_t> seen(fifos_.size(), 0);
      uint32_t f = start;
      while (f != kNone && !seen[f]) {
        seen[f] = 1;
        path.push_back(f);
        f = next[f];
      }
      if (f == kNone) continue;
      std::string text = "network deadlock: every FIFO of this cycle is full and its head waits for the next: ";
      const auto from = std::find(path.begin(), path.end(), f);
      for (auto it = from; it != path.end(); ++it) text += fifo_name(*it) + " -> ";
      throw NocError(text + fifo_name(f));
    }
    throw NocError("network deadlock: packets are in flight and none can move");
  }

  [[noreturn]] void loop(uint32_t packet) const {
    throw NocError("routing loop: a packet from router " + net_.topology_.router_name(packets_[packet].src) +
                   " has crossed more than " + std::to_string(2 * routers_) +
                   " links (the routing tables send it round a cycle)");
  }

  Network& net_;
  const NocTiming& t_;
  const std::vector<Packet>& packets_;
  const std::vector<std::vector<Grant>>& free_grants_;
  const uint32_t routers_;
  std::vector<Fifo> fifos_;
  std::vector<Out> outs_;
  std::vector<Transfer> transfers_;
  std::vector<uint32_t> senders_;  ///< routers whose cores send detailed packets
  std::vector<uint64_t> wait_, blocked_;
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> events_;
  uint64_t seq_ = 0, now_ = 0;
};

Network::Network(const Topology& topology, const NocTiming& timing)
    : topology_(topology),
      timing_(timing),
      tables_(topology.routers()),
      table_index_(topology.routers()),
      links_(topology.routers() * (kPorts + 1)),
      fifos_(topology.routers() * kPorts),
      last_grant_(topology.routers() * (kPorts + 1), static_cast<uint8_t>(kPorts)),
      port_free_(topology.routers() * (kPorts + 1), 0) {
  if (timing_.request_ps == 0 || timing_.acknowledge_ps == 0 || timing_.fifo_depth == 0 || timing_.link_bits == 0)
    throw std::invalid_argument("network: request and acknowledge delays, FIFO depth and link width must be > 0");
  for (FifoStats& f : fifos_) f.level_ps.assign(timing_.fifo_depth, 0);
}

void Network::restore(const State& s) {
  links_ = s.links;
  fifos_ = s.fifos;
  last_grant_ = s.last_grant;
  port_free_ = s.port_free;
  detailed_packets_ = s.detailed_packets;
}

uint64_t Network::quiet_ps() const { return *std::max_element(port_free_.begin(), port_free_.end()); }

void Network::set_table(uint32_t router, std::vector<RouteEntry> entries) {
  TableIndex index;
  index.missing_link.assign(entries.size(), 0);
  for (uint32_t k = 0; k < entries.size(); ++k) {
    for (uint32_t o = kPorts - 1; o >= 1; --o)
      if ((entries[k].ports & (1u << o)) && !topology_.neighbour(router, static_cast<uint8_t>(o)))
        index.missing_link[k] = static_cast<uint8_t>(1 + o);  // the lowest such port
    if (entries[k].mask == ~uint64_t{0}) {
      index.exact.emplace(entries[k].value, k);  // keeps the first entry of a key
    } else {
      index.masked.push_back(k);
    }
  }
  tables_.at(router) = std::move(entries);
  table_index_[router] = std::move(index);
  tree_cache_.clear();
}

uint8_t Network::ports_at(const Packet& p, uint32_t router) const {
  if (!p.multicast) return static_cast<uint8_t>(1u << topology_.route(router, p.dst));
  std::vector<uint8_t>& tree = tree_cache_[p.key];
  if (tree.empty()) tree.assign(topology_.routers(), 0);
  if (tree[router] == 0) tree[router] = table_ports(p, router);  // throws where no entry serves it
  return tree[router];
}

uint8_t Network::table_ports(const Packet& p, uint32_t router) const {
  // The first matching entry: the key's first exact entry, unless a masked entry before it matches.
  const std::vector<RouteEntry>& table = tables_[router];
  const TableIndex& index = table_index_[router];
  const auto hit = index.exact.find(p.key);
  uint32_t first = hit == index.exact.end() ? static_cast<uint32_t>(table.size()) : hit->second;
  for (uint32_t k : index.masked) {
    if (k > first) break;
    if ((p.key & table[k].mask) == table[k].value) {
      first = k;
      break;
    }
  }
  if (first < table.size()) {
    const RouteEntry& e = table[first];
    if (e.ports != 0) {
      if (const uint8_t missing = index.missing_link[first])
        throw NocError("routing table of router " + topology_.router_name(router) + " sends key " +
                       std::to_string(p.key) + " " + port_name(missing - 1u) + ", where it has no link");
      return e.ports;
    }
  }
  throw NocError("routing table of router " + topology_.router_name(router) + " has no entry for key " +
                 std::to_string(p.key) + " (from router " + topology_.router_name(p.src) + ")");
}

uint64_t Network::unloaded_arrival(const Packet& p) const {
  const uint64_t flits = (p.bits + timing_.link_bits - 1) / timing_.link_bits;
  const uint64_t link = timing_.request_ps + (flits - 1) * 2 * (timing_.request_ps + timing_.acknowledge_ps);
  const uint64_t hops = topology_.hops(p.src, p.dst);
  return p.inject_ps + (hops + 2) * link + (hops + 1) * timing_.router_ps;
}

void Network::closed_form(const Packet& p, uint32_t index, std::vector<Delivery>& out, std::vector<Use>& uses,
                          std::vector<std::pair<uint32_t, Grant>>& grants) const {
  const uint64_t flits = (p.bits + timing_.link_bits - 1) / timing_.link_bits;
  const uint64_t span = timing_.request_ps + (flits - 1) * 2 * (timing_.request_ps + timing_.acknowledge_ps);
  const uint64_t tail = 2 * timing_.acknowledge_ps + timing_.request_ps;
  const uint32_t limit = 2 * topology_.routers();
  // Injection: the core's link into its router's local FIFO, granted when offered.
  uses.push_back(Use{link_id(p.src, kInjection), index, p.inject_ps, p.inject_ps + span + tail,
                     p.inject_ps + timing_.request_ps});
  grants.emplace_back(link_id(p.src, kInjection), Grant{p.inject_ps, static_cast<uint8_t>(kInjection)});
  struct Visit {
    uint32_t router;
    uint8_t in_port;
    uint64_t accept0, arrive;
    uint32_t hops;
  };
  std::vector<Visit> stack{{p.src, kLocal, p.inject_ps + timing_.request_ps, p.inject_ps + span, 0}};
  while (!stack.empty()) {
    const Visit v = stack.back();
    stack.pop_back();
    if (v.hops > limit)
      throw NocError("routing loop: a packet from router " + topology_.router_name(p.src) + " has crossed more than " +
                     std::to_string(limit) + " links (the routing tables send it round a cycle)");
    const uint8_t ports = ports_at(p, v.router);
    const uint64_t g = v.arrive + timing_.router_ps;
    uint64_t freed = 0;
    for (uint32_t o = 0; o < kPorts; ++o) {
      if (!(ports & (1u << o))) continue;
      uses.push_back(Use{link_id(v.router, o), index, g, g + span + tail, g + timing_.request_ps});
      grants.emplace_back(link_id(v.router, o), Grant{g, v.in_port});
      freed = std::max(freed, g + span + timing_.acknowledge_ps);
      if (o == kLocal) {
        out.push_back(Delivery{index, v.router, g + span, v.hops});
      } else {
        const LinkEnd end = *topology_.neighbour(v.router, static_cast<uint8_t>(o));
        stack.push_back(Visit{end.router, end.port, g + timing_.request_ps, g + span, v.hops + 1});
      }
    }
    uses.push_back(Use{fifo_id(v.router, v.in_port), index, v.accept0, freed});
  }
}

std::vector<Delivery> Network::run(const std::vector<Packet>& batch, Mode mode) {
  const uint32_t n = static_cast<uint32_t>(batch.size());
  // Closed-form schedules of every packet, flat; packet i's uses are cf_uses[use_at[i] .. use_at[i + 1]).
  std::vector<Delivery> cf_deliveries;
  std::vector<Use> cf_uses;
  std::vector<std::pair<uint32_t, Grant>> cf_grants;
  std::vector<uint32_t> use_at(n + 1, 0), grant_at(n + 1, 0);
  std::vector<uint8_t> detailed(n, mode == Mode::kDetailed ? 1 : 0);
  const uint32_t resources = static_cast<uint32_t>(links_.size() + fifos_.size());
  bool any_detailed = mode == Mode::kDetailed && n > 0;
  std::vector<Use> all;  ///< the closed-form uses by (resource, begin)
  if (mode == Mode::kFast) {
    cf_uses.reserve(size_t{n} * 8);
    for (uint32_t i = 0; i < n; ++i) {
      use_at[i] = static_cast<uint32_t>(cf_uses.size());
      grant_at[i] = static_cast<uint32_t>(cf_grants.size());
      closed_form(batch[i], i, cf_deliveries, cf_uses, cf_grants);
    }
    use_at[n] = static_cast<uint32_t>(cf_uses.size());
    grant_at[n] = static_cast<uint32_t>(cf_grants.size());
    // Overlapping uses of a resource (or a link still busy from the last batch) need the detailed model.
    all = cf_uses;
    sort_by_resource(all, resources);
    for_each_overlap(all, [&](const Use& a, const Use& b) { detailed[a.packet] = detailed[b.packet] = 1; });
    for (const Use& u : all)
      if (u.resource < links_.size() && u.begin < port_free_[u.resource]) detailed[u.packet] = 1;
    any_detailed = std::find(detailed.begin(), detailed.end(), uint8_t{1}) != detailed.end();
    if (!any_detailed) {
      // Nobody meets anybody: the closed form is the answer.
      finish(batch, all, {}, {}, cf_grants);
      std::sort(cf_deliveries.begin(), cf_deliveries.end(), by_arrival);
      return cf_deliveries;
    }
  }

  for (;;) {
    std::vector<uint32_t> members;
    for (uint32_t i = 0; i < n; ++i)
      if (detailed[i]) members.push_back(i);
    // The closed-form packets' grants, per output port in time order (the round-robin pointers).
    std::vector<std::vector<Grant>> free_grants(links_.size());
    for (uint32_t i = 0; i < n && mode == Mode::kFast; ++i)
      if (!detailed[i])
        for (uint32_t k = grant_at[i]; k < grant_at[i + 1]; ++k) free_grants[cf_grants[k].first].push_back(cf_grants[k].second);
    for (auto& g : free_grants)
      std::sort(g.begin(), g.end(), [](const Grant& a, const Grant& b) { return a.time < b.time; });
    Batch sim(*this, batch, members, free_grants);
    sim.run();
    // Widen the detailed set while a detailed packet's real schedule overlaps a closed-form one
    // (`all`: every closed-form use, by resource and begin; a use lasts at most `longest`).
    bool widened = false;
    for (const Use& u : sim.uses) {
      auto it = std::lower_bound(all.begin(), all.end(), u.resource,
                                 [](const Use& a, uint32_t r) { return a.resource < r; });
      for (; it != all.end() && it->resource == u.resource && it->begin < u.end; ++it)
        if (!detailed[it->packet] && it->end > u.begin) {
          detailed[it->packet] = 1;
          widened = true;
        }
    }
    if (widened) continue;
    std::vector<Use> mixed = sim.uses;
    for (uint32_t i = 0; i < n && mode == Mode::kFast; ++i)
      if (!detailed[i]) mixed.insert(mixed.end(), cf_uses.begin() + use_at[i], cf_uses.begin() + use_at[i + 1]);
    std::vector<Delivery> deliveries = sim.deliveries;
    std::vector<std::pair<uint32_t, Grant>> grants = sim.grants;
    for (const Delivery& d : cf_deliveries)
      if (!detailed[d.packet]) deliveries.push_back(d);
    for (uint32_t i = 0; i < n && mode == Mode::kFast; ++i)
      if (!detailed[i]) grants.insert(grants.end(), cf_grants.begin() + grant_at[i], cf_grants.begin() + grant_at[i + 1]);
    detailed_packets_ += members.size();
    finish(batch, mixed, sim.wait(), sim.blocked(), grants);
    std::sort(deliveries.begin(), deliveries.end(), by_arrival);
    return deliveries;
  }
}

bool Network::by_arrival(const Delivery& a, const Delivery& b) {
  return std::tie(a.arrive_ps, a.router, a.packet) < std::tie(b.arrive_ps, b.router, b.packet);
}

void Network::finish(const std::vector<Packet>& batch, const std::vector<Use>& uses, const std::vector<uint64_t>& wait,
                     const std::vector<uint64_t>& blocked, const std::vector<std::pair<uint32_t, Grant>>& grants) {
  // Round-robin pointers for the next batch: each output port's latest grant.
  std::vector<uint64_t> latest(links_.size(), 0);
  std::vector<uint8_t> seen(links_.size(), 0);
  for (const auto& [out, g] : grants)
    if (!seen[out] || g.time >= latest[out]) {
      seen[out] = 1;
      latest[out] = g.time;
      last_grant_[out] = g.in_port;
    }
  account(uses, wait, blocked, batch);
  if (keep_schedule_) schedule_ = uses;
}

std::vector<WireEdge> handshake_edges(const Network::Use& u, uint64_t flits, const NocTiming& t) {
  std::vector<WireEdge> edges;
  uint64_t latch = u.latch;
  for (uint64_t k = 0; k < flits; ++k) {
    edges.push_back(WireEdge{k == 0 ? u.begin : latch - t.request_ps, true, true});
    edges.push_back(WireEdge{latch + t.acknowledge_ps, true, false});
    edges.push_back(WireEdge{latch + t.acknowledge_ps, false, true});
    edges.push_back(WireEdge{latch + 2 * t.acknowledge_ps + t.request_ps, false, false});
    latch += 2 * (t.request_ps + t.acknowledge_ps);
  }
  return edges;
}

void Network::account(const std::vector<Use>& uses, const std::vector<uint64_t>& wait,
                      const std::vector<uint64_t>& blocked, const std::vector<Packet>& batch) {
  for (size_t l = 0; l < wait.size(); ++l) links_[l].wait_ps += wait[l];
  for (size_t l = 0; l < blocked.size(); ++l) links_[l].blocked_ps += blocked[l];
  std::vector<std::pair<uint64_t, int>> steps;
  for (size_t k = 0; k < uses.size();) {
    const uint32_t resource = uses[k].resource;
    size_t end = k;
    while (end < uses.size() && uses[end].resource == resource) ++end;
    if (resource < links_.size()) {
      LinkStats& l = links_[resource];
      for (size_t i = k; i < end; ++i) {
        ++l.packets;
        l.bits += batch[uses[i].packet].bits;
        l.busy_ps += uses[i].end - uses[i].begin;
        port_free_[resource] = std::max(port_free_[resource], uses[i].end);
      }
    } else {
      FifoStats& f = fifos_[resource - links_.size()];
      bool overlap = false;
      for (size_t i = k + 1; i < end && !overlap; ++i) overlap = uses[i].begin < uses[i - 1].end;
      if (!overlap) {
        // One packet at a time: level 1 while each is held.
        for (size_t i = k; i < end; ++i) {
          f.level_ps[0] += uses[i].end - uses[i].begin;
          f.occupancy_ps += uses[i].end - uses[i].begin;
        }
        if (end > k) f.max = std::max(f.max, 1u);
      } else {
        steps.clear();
        for (size_t i = k; i < end; ++i) {
          steps.emplace_back(uses[i].begin, +1);
          steps.emplace_back(uses[i].end, -1);
        }
        std::sort(steps.begin(), steps.end());  // at one instant a slot frees before one is taken
        uint32_t level = 0;
        uint64_t at = 0;
        for (const auto& [time, delta] : steps) {
          if (level > 0) {
            f.level_ps[std::min<size_t>(level, f.level_ps.size()) - 1] += time - at;
            f.occupancy_ps += uint64_t{level} * (time - at);
          }
          level = static_cast<uint32_t>(static_cast<int>(level) + delta);
          at = time;
          f.max = std::max(f.max, level);
        }
      }
    }
    k = end;
  }
}

}  // namespace neurochip::hw::noc
