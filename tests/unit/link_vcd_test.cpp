// Waveforms of the address-event network (SPEC.md §7.2): the request and acknowledge edges of a
// link's handshakes at hand-computed times (one and several handshakes per packet), and the VCD
// that sim/io/link_vcd.h writes for the contending pair of noc_test.cpp with one-packet FIFOs: the
// second packet's request waits 50 ps for the far FIFO, whose level stays 1 while it is handed over.
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "io/link_vcd.h"
#include "noc/network.h"
#include "noc/topology.h"

namespace {

using namespace neurochip::hw::noc;

TEST(LinkWaves, HandshakeEdgesFollowTheFourPhaseProtocol) {
  const NocTiming t{100, 50, 200, 2, 32};
  Network::Use u{0, 0, 1000, 0, 1150};  // granted at 1000, latched at 1150 (50 ps of backpressure)
  std::vector<WireEdge> e = handshake_edges(u, 1, t);
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[0].time, 1000u);  // request up
  EXPECT_TRUE(e[0].request && e[0].high);
  EXPECT_EQ(e[1].time, 1200u);  // the acknowledge reaches the sender: request down ...
  EXPECT_TRUE(e[1].request && !e[1].high);
  EXPECT_EQ(e[2].time, 1200u);  // ... acknowledge up (at the sender)
  EXPECT_TRUE(!e[2].request && e[2].high);
  EXPECT_EQ(e[3].time, 1350u);  // request down seen at the far end (+100), acknowledge down back (+50)
  // Three handshakes: each next request rises when the acknowledge is down again.
  e = handshake_edges(Network::Use{0, 0, 0, 0, 100}, 3, t);
  ASSERT_EQ(e.size(), 12u);
  EXPECT_EQ(e[4].time, 300u);   // request up for handshake 2
  EXPECT_EQ(e[8].time, 600u);   // and 3: latches at 100, 400, 700
  EXPECT_EQ(e[11].time, 900u);  // the link idle again at 700 + 2 · 50 + 100
}

/// The values of each VCD signal (by name) over time: name -> {time -> value}.
std::map<std::string, std::map<uint64_t, std::string>> parse(const std::string& vcd) {
  std::map<std::string, std::string> names;  // id -> scope.name
  std::map<std::string, std::map<uint64_t, std::string>> waves;
  std::istringstream in(vcd);
  std::string line, scope;
  uint64_t time = 0;
  while (std::getline(in, line)) {
    std::istringstream w(line);
    std::string tok;
    w >> tok;
    if (tok == "$scope") {
      w >> tok >> scope;
    } else if (tok == "$var") {
      std::string type, width, id, name;
      w >> type >> width >> id >> name;
      names[id] = scope + "." + name;
    } else if (!tok.empty() && tok[0] == '#') {
      time = std::stoull(tok.substr(1));
    } else if (!tok.empty() && tok[0] == 'b') {
      std::string id;
      w >> id;
      waves[names[id]][time] = tok.substr(1);
    } else if (!tok.empty() && (tok[0] == '0' || tok[0] == '1') && names.count(tok.substr(1))) {
      waves[names[tok.substr(1)]][time] = tok.substr(0, 1);
    }
  }
  return waves;
}

TEST(LinkWaves, TheVcdShowsBackpressureAndTheFifoLevel) {
  const Mesh2D line(3, 1);
  Network net(line, NocTiming{100, 50, 200, 1, 32});
  net.keep_schedule(true);
  Packet a, b;
  a.src = 0, a.dst = 2, a.inject_ps = 0;
  b.src = 1, b.dst = 2, b.inject_ps = 300;
  const std::vector<Packet> batch = {a, b};
  std::ostringstream os;
  neurochip::sim::LinkVcdWriter vcd(os, net, {{1, kEast}});
  net.run(batch);
  vcd.batch(batch, net.schedule());
  vcd.finish();
  const auto w = parse(os.str());
  // B granted at 600, latched at 700; A granted at 900 (the link idle again), latched at 1050.
  const std::map<uint64_t, std::string> req = {{0, "0"}, {600, "1"}, {750, "0"}, {900, "1"}, {1100, "0"}};
  const std::map<uint64_t, std::string> ack = {{0, "0"}, {750, "1"}, {900, "0"}, {1100, "1"}, {1250, "0"}};
  EXPECT_EQ(w.at("r1_east.req"), req);
  EXPECT_EQ(w.at("r1_east.ack"), ack);
  // Router 2's west FIFO: B from 700 until its last acknowledge at 1050, A from 1050 to 1400.
  const std::map<uint64_t, std::string> level = {{0, "0"}, {700, "00000001"}, {1400, "00000000"}};
  EXPECT_EQ(w.at("r1_east.fifo_level"), level);
}

}  // namespace
