// Statistics of a chip's address-event network (SPEC.md §7.6-§7.8), stats.chip.noc.*: names,
// units, descriptions and the per-timestep accounting, shared by the cycle model (chip.cpp) and
// the functional reference (sim/reference/functional_stats.h) so both write the same stats tree.
// SystemC-free.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "common/stats.h"
#include "noc/network.h"

namespace neurochip::hw {

struct NocStats {
  StatGroup group;
  Counter& packets;
  Counter& hops;
  Counter& contention_ps;
  Counter& backpressure_ps;
  Distribution& latency_ps;
  Counter& late_spikes;
  Counter& dropped_spikes;
  Counter& in_flight_at_end;
  Distribution& late_ps;
  Counter& router_traversals;
  Counter& link_bits;
  Counter& order_differences;

  /// The group stats.chip.noc under the chip's group.
  explicit NocStats(StatGroup& chip)
      : group("noc", &chip),
        packets(group.add_counter("packets", "packets",
                                  "packets that crossed the network (one per spike and destination core)")),
        hops(group.add_counter("hops", "links",
                               "inter-router links crossed, summed over deliveries (a multicast copy's whole path)")),
        contention_ps(group.add_counter("contention_ps", "ps",
                                        "time requests waited for a busy output port, summed over links")),
        backpressure_ps(group.add_counter("backpressure_ps", "ps",
                                          "time requests waited for a full FIFO, summed over links")),
        latency_ps(group.add_distribution(
            "latency_ps", "ps", "per timestep with packets: from its first spike leaving a core to its last packet arriving")),
        late_spikes(group.add_counter("late_spikes", "spikes",
                                      "spike copies that reached their core after their timestep's window closed "
                                      "(fixed policy, SPEC §7.8)")),
        dropped_spikes(group.add_counter("dropped_spikes", "spikes", "late copies dropped (noc.late_spikes: drop)")),
        in_flight_at_end(group.add_counter("in_flight_at_end", "spikes",
                                           "copies that had not arrived when their window closed and the run ended")),
        late_ps(group.add_distribution("late_ps", "ps",
                                       "per late copy: from its timestep's window closing to its arrival")),
        router_traversals(group.add_counter("router_traversals", "packets",
                                            "packets entering a router (from its core or a neighbour; a multicast "
                                            "packet once per router of its tree): what the energy model prices")),
        link_bits(group.add_counter("link_bits", "bits", "bits carried by all links, injection and ejection included")),
        order_differences(group.add_counter(
            "order_differences", "potentials",
            "noc.integration arrival: neuron potentials after a PROP that differ from the canonical order's result "
            "from the same state (SPEC §7.9), summed over PROPs and cores")) {}

  /// One timestep's traffic: `batch` moved by `network` with `deliveries`. The contention and
  /// backpressure follow the network's totals over its links.
  void account(const std::vector<noc::Packet>& batch, const std::vector<noc::Delivery>& deliveries,
               const noc::Network& network) {
    uint64_t first = ~uint64_t{0}, last = 0;
    for (const noc::Packet& p : batch) first = std::min(first, p.inject_ps);
    for (const noc::Delivery& d : deliveries) {
      last = std::max(last, d.arrive_ps);
      hops += d.hops;
    }
    packets += batch.size();
    if (!batch.empty()) latency_ps.sample(last - first);
    follow_links(network);
  }

  /// Contention, backpressure, router traversals and link bits: the network's totals over its links
  /// (modular, so they follow the totals also when an epoch is moved again from an earlier state,
  /// SPEC §7.8). A link other than a router's link to its core ends in a router.
  void follow_links(const noc::Network& network) {
    uint64_t wait = 0, blocked = 0, entered = 0, bits = 0;
    for (uint32_t r = 0; r < network.topology().routers(); ++r)
      for (uint32_t l = 0; l <= noc::kPorts; ++l) {
        const noc::LinkStats& s = network.link(r, l);
        wait += s.wait_ps;
        blocked += s.blocked_ps;
        bits += s.bits;
        if (l != noc::kLocal) entered += s.packets;
      }
    contention_ps += wait - contention_ps.value();
    backpressure_ps += blocked - backpressure_ps.value();
    router_traversals += entered - router_traversals.value();
    link_bits += bits - link_bits.value();
  }
};

}  // namespace neurochip::hw
