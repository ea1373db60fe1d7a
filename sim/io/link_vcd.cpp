// VCD of the network's links (see link_vcd.h).
#include "io/link_vcd.h"

#include <algorithm>
#include <limits>
#include <tuple>

#include "io/vcd_format.h"

namespace neurochip::sim {
namespace {

constexpr uint32_t kNoFifo = std::numeric_limits<uint32_t>::max();
constexpr int kLevelBits = 8;

std::string link_name(const LinkRef& l) {
  return "r" + std::to_string(l.router) + "_" + hw::noc::link_name(l.link);
}

std::string binary(uint32_t v, int width) {
  std::string s(static_cast<size_t>(width), '0');
  for (int b = 0; b < width; ++b)
    if (v & (1u << b)) s[static_cast<size_t>(width - 1 - b)] = '1';
  return s;
}

}  // namespace

LinkVcdWriter::LinkVcdWriter(std::ostream& os, const hw::noc::Network& network, std::vector<LinkRef> links)
    : os_(os), net_(network), links_(std::move(links)), values_(links_.size() * 3, 0) {
  os_ << "$version neurochip 0.1.0 $end\n$timescale 1 ps $end\n$scope module network $end\n";
  for (size_t k = 0; k < links_.size(); ++k) {
    const LinkRef& l = links_[k];
    uint32_t fifo = kNoFifo;
    if (l.link == hw::noc::kInjection) {
      fifo = net_.fifo_of(l.router, hw::noc::kLocal);
    } else if (l.link != hw::noc::kLocal) {
      const auto end = net_.topology().neighbour(l.router, static_cast<uint8_t>(l.link));
      if (end) fifo = net_.fifo_of(end->router, end->port);
    }
    fifo_of_link_.push_back(fifo);
    os_ << "$scope module " << link_name(l) << " $end\n";
    os_ << "$var wire 1 " << vcd_id(3 * k) << " req $end\n";
    os_ << "$var wire 1 " << vcd_id(3 * k + 1) << " ack $end\n";
    if (fifo != kNoFifo) os_ << "$var wire " << kLevelBits << " " << vcd_id(3 * k + 2) << " fifo_level $end\n";
    os_ << "$upscope $end\n";
  }
  os_ << "$upscope $end\n$enddefinitions $end\n#0\n$dumpvars\n";
  for (size_t k = 0; k < links_.size(); ++k) {
    os_ << "0" << vcd_id(3 * k) << "\n0" << vcd_id(3 * k + 1) << "\n";
    if (fifo_of_link_[k] != kNoFifo) os_ << "b0 " << vcd_id(3 * k + 2) << "\n";
  }
  os_ << "$end\n";
}

void LinkVcdWriter::batch(const std::vector<hw::noc::Packet>& packets,
                          const std::vector<hw::noc::Network::Use>& schedule) {
  const hw::noc::NocTiming& t = net_.timing();
  std::vector<Change> changes;
  for (size_t k = 0; k < links_.size(); ++k) {
    const uint32_t link = net_.link_of(links_[k].router, links_[k].link);
    for (const auto& u : schedule) {
      if (u.resource == link) {
        const uint64_t flits = (packets[u.packet].bits + t.link_bits - 1) / t.link_bits;
        for (const hw::noc::WireEdge& e : hw::noc::handshake_edges(u, flits, t))
          changes.push_back(Change{e.time, static_cast<uint32_t>(3 * k + (e.request ? 0 : 1)), e.high ? 1u : 0u});
      }
    }
    // The FIFO's level as a running count: +1 when a slot is taken, -1 when it frees.
    if (fifo_of_link_[k] == kNoFifo) continue;
    std::vector<std::pair<uint64_t, int>> steps;
    for (const auto& u : schedule)
      if (u.resource == fifo_of_link_[k]) {
        steps.emplace_back(u.begin, +1);
        steps.emplace_back(u.end, -1);
      }
    std::sort(steps.begin(), steps.end());
    uint32_t level = values_[3 * k + 2];
    for (size_t i = 0; i < steps.size(); ++i) {
      level = static_cast<uint32_t>(static_cast<int>(level) + steps[i].second);
      if (i + 1 == steps.size() || steps[i + 1].first != steps[i].first)
        changes.push_back(Change{steps[i].first, static_cast<uint32_t>(3 * k + 2), level});
    }
  }
  std::stable_sort(changes.begin(), changes.end(),
                   [](const Change& a, const Change& b) { return std::tie(a.time, a.signal) < std::tie(b.time, b.signal); });
  for (const Change& c : changes) {
    if (values_[c.signal] == c.value) continue;
    if (c.time > last_time_) {
      os_ << "#" << c.time << "\n";
      last_time_ = c.time;
    }
    values_[c.signal] = c.value;
    if (c.signal % 3 == 2) {
      os_ << "b" << binary(c.value, kLevelBits) << " " << vcd_id(c.signal) << "\n";
    } else {
      os_ << c.value << vcd_id(c.signal) << "\n";
    }
  }
}

void LinkVcdWriter::finish() { os_ << "#" << last_time_ + 1 << "\n"; }

}  // namespace neurochip::sim
