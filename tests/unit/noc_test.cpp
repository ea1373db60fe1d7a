// The address-event network kernel (hw_model/noc/, SPEC.md §7) without SystemC: the closed-form
// latency of a lone packet for several hop counts, directions, widths and delays (checked against
// the formula written out here); two packets contending for one output port leave in round-robin
// order at hand-computed times; a full FIFO holds its sender back by the hand-computed time and
// nothing is lost; multicast tables deliver exactly one copy to every destination and none
// elsewhere; a routing-table loop and a cyclic FIFO dependency on a torus are reported, never
// hung; and the fast mode (closed form where packets do not meet) gives exactly the detailed
// model's times and statistics on random traffic.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <iostream>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "noc/network.h"
#include "noc/topology.h"

namespace {

using namespace neurochip::hw::noc;

/// SPEC §7.3 written out: h inter-router links, h + 2 links in all (injection and ejection), h + 1
/// routers; a link passes a packet of f handshakes in req + (f - 1) · 2 (req + ack).
uint64_t formula(uint64_t inject, uint64_t h, uint64_t f, const NocTiming& t) {
  return inject + (h + 2) * (t.request_ps + (f - 1) * 2 * (t.request_ps + t.acknowledge_ps)) + (h + 1) * t.router_ps;
}

uint32_t at(const Mesh2D& m, uint32_t x, uint32_t y) { return y * m.width() + x; }

TEST(Noc, DimensionOrderRoutesXFirstThenY) {
  const Mesh2D mesh(4, 3);
  EXPECT_EQ(mesh.route(at(mesh, 0, 0), at(mesh, 2, 2)), kEast);
  EXPECT_EQ(mesh.route(at(mesh, 2, 0), at(mesh, 2, 2)), kNorth);
  EXPECT_EQ(mesh.route(at(mesh, 3, 2), at(mesh, 1, 0)), kWest);
  EXPECT_EQ(mesh.route(at(mesh, 1, 2), at(mesh, 1, 0)), kSouth);
  EXPECT_EQ(mesh.route(at(mesh, 1, 1), at(mesh, 1, 1)), kLocal);
  EXPECT_EQ(mesh.hops(at(mesh, 3, 2), at(mesh, 0, 0)), 5u);
  EXPECT_FALSE(mesh.neighbour(at(mesh, 3, 0), kEast).has_value());
  const Torus2D torus(5, 4);
  EXPECT_EQ(torus.route(at(torus, 4, 0), at(torus, 0, 0)), kEast);  // one hop over the wrap
  EXPECT_EQ(torus.route(at(torus, 0, 0), at(torus, 3, 0)), kWest);  // 2 west beats 3 east
  EXPECT_EQ(torus.route(at(torus, 0, 0), at(torus, 0, 2)), kNorth);  // 2 and 2: the tie goes north
  EXPECT_EQ(torus.hops(at(torus, 0, 0), at(torus, 4, 3)), 2u);
  EXPECT_EQ(torus.neighbour(at(torus, 4, 3), kNorth)->router, at(torus, 4, 0));
}

TEST(Noc, ALonePacketArrivesWhenTheFormulaSays) {
  const Mesh2D mesh(5, 4);
  const NocTiming timings[] = {{100, 100, 200, 2, 32}, {37, 91, 0, 1, 8}, {1, 1, 1, 4, 64}, {250, 20, 1234, 3, 16}};
  for (const NocTiming& t : timings) {
    for (const auto& [sx, sy, dx, dy] : std::vector<std::array<uint32_t, 4>>{
             {0, 0, 0, 0}, {0, 0, 4, 0}, {4, 0, 0, 0}, {0, 0, 0, 3}, {1, 3, 1, 0}, {4, 3, 0, 0}, {0, 3, 4, 0}, {2, 1, 3, 2}}) {
      for (uint16_t bits : {1, 8, 17, 40}) {
        Network fast(mesh, t), detailed(mesh, t);
        Packet p;
        p.src = at(mesh, sx, sy);
        p.dst = at(mesh, dx, dy);
        p.bits = bits;
        p.inject_ps = 12345;
        const uint64_t h = (sx > dx ? sx - dx : dx - sx) + (sy > dy ? sy - dy : dy - sy);
        const uint64_t f = (bits + t.link_bits - 1) / t.link_bits;
        const uint64_t want = formula(p.inject_ps, h, f, t);
        const auto a = fast.run({p});
        const auto b = detailed.run({p}, Network::Mode::kDetailed);
        ASSERT_EQ(a.size(), 1u);
        ASSERT_EQ(b.size(), 1u);
        EXPECT_EQ(a[0].arrive_ps, want) << "hops " << h << " flits " << f;
        EXPECT_EQ(b[0].arrive_ps, want) << "hops " << h << " flits " << f;
        EXPECT_EQ(a[0].router, p.dst);
        EXPECT_EQ(a[0].hops, h);
        EXPECT_EQ(fast.unloaded_arrival(p), want);
        EXPECT_EQ(fast.detailed_packets(), 0u) << "a lone packet takes the closed form";
      }
    }
  }
}

/// Packet A: router 0 -> 2 injected at 0; packet B: router 1 -> 2 injected at 300: both ask for the
/// east output of router 1 at 600 ps (req 100, ack 50, router 200, one handshake each).
std::vector<Packet> contending_pair(uint64_t offset) {
  Packet a, b;
  a.src = 0, a.dst = 2, a.inject_ps = offset;
  b.src = 1, b.dst = 2, b.inject_ps = offset + 300;
  return {a, b};
}

TEST(Noc, ContendingPacketsLeaveInRoundRobinOrderAtExactTimes) {
  const Mesh2D line(3, 1);
  const NocTiming t{100, 50, 200, 2, 32};
  for (const Network::Mode mode : {Network::Mode::kFast, Network::Mode::kDetailed}) {
    Network net(line, t);
    // Injection 0-100, router 0 grants east at 300, router 1's west FIFO holds A at 400, it asks at 600;
    // B: injection 300-400, asks at 600. The pointer starts past the core queue: local (B) first.
    auto d = net.run(contending_pair(0), mode);
    ASSERT_EQ(d.size(), 2u);
    // B: granted at 600, at router 2 at 700, asks the local port at 900, at the core at 1000.
    EXPECT_EQ(d[0].packet, 1u);
    EXPECT_EQ(d[0].arrive_ps, 1000u);
    // A: granted when the link is idle again (600 + 100 + 2 · 50 + 100 = 900), at router 2 at 1000,
    // asks at 1200 (router 2's local link idle since 1100), at the core at 1300.
    EXPECT_EQ(d[1].packet, 0u);
    EXPECT_EQ(d[1].arrive_ps, 1300u);
    EXPECT_EQ(net.link(1, kEast).wait_ps, 300u);
    EXPECT_EQ(net.link(1, kEast).packets, 2u);
    EXPECT_EQ(net.link(1, kEast).blocked_ps, 0u);
    // The east port last granted west (A). Now B alone: local is granted, the pointer moves to local.
    Packet b = contending_pair(10000)[1];
    d = net.run({b}, mode);
    EXPECT_EQ(d[0].arrive_ps, 11000u);
    // With the pointer at local, the same contention goes to west (A) first this time.
    d = net.run(contending_pair(20000), mode);
    ASSERT_EQ(d.size(), 2u);
    EXPECT_EQ(d[0].packet, 0u);
    EXPECT_EQ(d[0].arrive_ps, 20000u + 1000);  // A leaves at 600 + 20000: the times of B above
    EXPECT_EQ(d[1].packet, 1u);
    EXPECT_EQ(d[1].arrive_ps, 20000u + 1300);
  }
}

TEST(Noc, TheArbitersOfTheFastModeSeeTheGrantsOfClosedFormPackets) {
  // In one batch: B alone through router 1's east port (a closed-form packet; the port's pointer
  // moves to local), then A and B contending there: west goes first, as in the detailed model.
  const Mesh2D line(3, 1);
  const NocTiming t{100, 50, 200, 2, 32};
  std::vector<Packet> batch = {contending_pair(0)[1]};
  for (const Packet& p : contending_pair(10000)) batch.push_back(p);
  for (const Network::Mode mode : {Network::Mode::kFast, Network::Mode::kDetailed}) {
    Network net(line, t);
    const auto d = net.run(batch, mode);
    ASSERT_EQ(d.size(), 3u);
    EXPECT_EQ(d[0].packet, 0u);
    EXPECT_EQ(d[0].arrive_ps, 1000u);
    EXPECT_EQ(d[1].packet, 1u);  // A
    EXPECT_EQ(d[1].arrive_ps, 11000u);
    EXPECT_EQ(d[2].packet, 2u);
    EXPECT_EQ(d[2].arrive_ps, 11300u);
    if (mode == Network::Mode::kFast) {
      EXPECT_EQ(net.detailed_packets(), 2u);
    }
  }
}

TEST(Noc, AFullFifoHoldsItsSenderBackAndLosesNothing) {
  const Mesh2D line(3, 1);
  const NocTiming t{100, 50, 200, 1, 32};  // FIFOs of one packet
  for (const Network::Mode mode : {Network::Mode::kFast, Network::Mode::kDetailed}) {
    Network net(line, t);
    const auto d = net.run(contending_pair(0), mode);
    ASSERT_EQ(d.size(), 2u);
    // As above, but router 2's west FIFO holds B until its last acknowledge: 1000 + 50. A's request,
    // at router 2 since 900 + 100, is latched at 1050 (50 ps blocked); A asks at 1250, arrives 1350.
    EXPECT_EQ(d[0].packet, 1u);
    EXPECT_EQ(d[0].arrive_ps, 1000u);
    EXPECT_EQ(d[1].packet, 0u);
    EXPECT_EQ(d[1].arrive_ps, 1350u);
    EXPECT_EQ(net.link(1, kEast).blocked_ps, 50u);
    EXPECT_EQ(net.fifo(2, kWest).max, 1u);
    // Router 2's west FIFO held B over [700, 1050) and A over [1050, 1350 + 50).
    EXPECT_EQ(net.fifo(2, kWest).occupancy_ps, 350u + 350u);
  }
}

TEST(Noc, MulticastTablesDeliverOneCopyToEveryDestinationAndNoneElsewhere) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 40; ++trial) {
    const uint32_t w = 2 + rng() % 5, h = 1 + rng() % 5;
    const Mesh2D mesh(w, h);
    Network net(mesh, NocTiming{1 + rng() % 200, 1 + rng() % 200, rng() % 300, 1 + static_cast<uint32_t>(rng() % 3), 16});
    // Each source key gets a random destination set; the tables are the union of the
    // dimension-order paths to them (a tree), one exact-key entry per router that the tree visits.
    std::vector<std::vector<RouteEntry>> tables(mesh.routers());
    std::vector<Packet> batch;
    std::map<uint32_t, std::set<uint32_t>> want;  // packet -> destination routers
    for (uint32_t key = 0; key < 6; ++key) {
      Packet p;
      p.multicast = true;
      p.key = 100 + key;
      p.src = static_cast<uint32_t>(rng() % mesh.routers());
      p.bits = static_cast<uint16_t>(1 + rng() % 40);
      p.inject_ps = rng() % 2000;
      std::map<uint32_t, uint8_t> ports;
      std::set<uint32_t> dests;
      const uint32_t count = 1 + rng() % mesh.routers();
      for (uint32_t k = 0; k < count; ++k) dests.insert(static_cast<uint32_t>(rng() % mesh.routers()));
      for (uint32_t d : dests) {
        for (uint32_t r = p.src;;) {
          const uint8_t o = mesh.route(r, d);
          ports[r] |= static_cast<uint8_t>(1u << o);
          if (o == kLocal) break;
          r = mesh.neighbour(r, o)->router;
        }
      }
      for (const auto& [r, mask] : ports) tables[r].push_back(RouteEntry{p.key, ~uint64_t{0}, mask});
      want[static_cast<uint32_t>(batch.size())] = dests;
      batch.push_back(p);
    }
    for (uint32_t r = 0; r < mesh.routers(); ++r) net.set_table(r, tables[r]);
    std::map<uint32_t, std::multiset<uint32_t>> got;
    for (const Delivery& d : net.run(batch)) got[d.packet].insert(d.router);
    for (const auto& [packet, dests] : want) {
      const std::multiset<uint32_t> expected(dests.begin(), dests.end());
      EXPECT_EQ(got[packet], expected) << "trial " << trial << " packet " << packet;
    }
  }
}

TEST(Noc, ARoutingTableLoopIsReportedNotHung) {
  const Torus2D ring(4, 1);
  Network net(ring, NocTiming{});
  for (uint32_t r = 0; r < 4; ++r) net.set_table(r, {RouteEntry{5, ~uint64_t{0}, 1u << kEast}});
  Packet p;
  p.multicast = true;
  p.key = 5;
  for (const Network::Mode mode : {Network::Mode::kFast, Network::Mode::kDetailed}) {
    try {
      net.run({p}, mode);
      ADD_FAILURE() << "no error";
    } catch (const NocError& e) {
      EXPECT_NE(std::string(e.what()).find("routing loop"), std::string::npos) << e.what();
    }
  }
  // A key no entry matches is an error naming the router.
  p.key = 6;
  EXPECT_THROW(net.run({p}), NocError);
}

TEST(Noc, ACyclicFifoDependencyOnATorusIsReportedAsADeadlock) {
  // Dimension-order routing on a ring without virtual channels: every router sends to the one two
  // hops east; with one-packet FIFOs every west FIFO fills with a packet waiting for the next.
  const Torus2D ring(4, 1);
  Network net(ring, NocTiming{100, 100, 100, 1, 32});
  std::vector<Packet> batch;
  for (uint32_t k = 0; k < 3; ++k)
    for (uint32_t r = 0; r < 4; ++r) {
      Packet p;
      p.src = r;
      p.dst = (r + 2) % 4;
      p.inject_ps = 0;
      batch.push_back(p);
    }
  try {
    net.run(batch);
    ADD_FAILURE() << "no deadlock reported";
  } catch (const NocError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("deadlock"), std::string::npos) << what;
    for (const char* r : {"(0,0)", "(1,0)", "(2,0)", "(3,0)"}) EXPECT_NE(what.find(r), std::string::npos) << what;
  }
  // The same traffic on a mesh row (no wrap-around: no cycle) drains.
  const Mesh2D line(4, 1);
  Network mesh_net(line, NocTiming{100, 100, 100, 1, 32});
  for (Packet& p : batch) p.dst = p.src < 2 ? p.src + 2 : p.src - 2;
  EXPECT_EQ(mesh_net.run(batch).size(), batch.size());
}

TEST(Noc, TheFastModeGivesTheDetailedTimesOnRandomTraffic) {
  std::mt19937_64 rng(2026);
  uint64_t packets = 0, detailed = 0;
  for (int trial = 0; trial < 150; ++trial) {
    const uint32_t w = 1 + rng() % 6, h = 1 + rng() % 6;
    const Mesh2D mesh(w, h);
    const NocTiming t{1 + rng() % 300, 1 + rng() % 300, rng() % 500, 1 + static_cast<uint32_t>(rng() % 4),
                      static_cast<uint32_t>(4 + rng() % 40)};
    Network fast(mesh, t), slow(mesh, t);
    uint64_t base = 0;
    for (int batch_no = 0; batch_no < 4; ++batch_no) {
      std::vector<Packet> batch;
      const uint32_t n = static_cast<uint32_t>(rng() % 60);
      const uint64_t spread = 1 + rng() % 20000;  // small spreads crowd the network
      for (uint32_t k = 0; k < n; ++k) {
        Packet p;
        p.src = static_cast<uint32_t>(rng() % mesh.routers());
        p.dst = static_cast<uint32_t>(rng() % mesh.routers());
        p.bits = static_cast<uint16_t>(1 + rng() % 64);
        p.inject_ps = base + rng() % spread;
        batch.push_back(p);
      }
      const auto a = fast.run(batch);
      const auto b = slow.run(batch, Network::Mode::kDetailed);
      ASSERT_EQ(a.size(), b.size());
      for (size_t k = 0; k < a.size(); ++k) {
        ASSERT_EQ(a[k].packet, b[k].packet) << "trial " << trial << " batch " << batch_no;
        ASSERT_EQ(a[k].arrive_ps, b[k].arrive_ps) << "trial " << trial << " packet " << a[k].packet;
        ASSERT_EQ(a[k].router, b[k].router);
        ASSERT_EQ(a[k].hops, b[k].hops);
      }
      packets += n;
      uint64_t last = base;
      for (const auto& d : b) last = std::max(last, d.arrive_ps);
      base = last + 1 + rng() % 5000;  // the next timestep starts after the network drained
    }
    for (uint32_t r = 0; r < mesh.routers(); ++r) {
      for (uint32_t l = 0; l <= kPorts; ++l) {
        ASSERT_EQ(fast.link(r, l).packets, slow.link(r, l).packets);
        ASSERT_EQ(fast.link(r, l).busy_ps, slow.link(r, l).busy_ps);
        ASSERT_EQ(fast.link(r, l).wait_ps, slow.link(r, l).wait_ps);
        ASSERT_EQ(fast.link(r, l).blocked_ps, slow.link(r, l).blocked_ps);
      }
      for (uint32_t p = 0; p < kPorts; ++p) {
        ASSERT_EQ(fast.fifo(r, p).max, slow.fifo(r, p).max);
        ASSERT_EQ(fast.fifo(r, p).occupancy_ps, slow.fifo(r, p).occupancy_ps);
        ASSERT_EQ(fast.fifo(r, p).level_ps, slow.fifo(r, p).level_ps);
      }
    }
    detailed += fast.detailed_packets();
  }
  std::cout << packets << " packets, " << detailed << " of them simulated in detail by the fast mode\n";
  EXPECT_GT(detailed, packets / 10) << "the traffic must make packets meet";
  EXPECT_LT(detailed, packets * 9 / 10) << "and leave many alone";
}

}  // namespace
