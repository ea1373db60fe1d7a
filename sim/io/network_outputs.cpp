// links.csv and packets.csv (see network_outputs.h).
#include "io/network_outputs.h"

#include <algorithm>
#include <string>
#include <vector>

namespace neurochip::sim {
void write_links_csv(std::ostream& os, const hw::noc::Network& net) {
  os << "router,link,packets,bits,busy_ps,contention_ps,backpressure_ps,fifo_max,fifo_occupancy_ps\n";
  const hw::noc::Topology& topo = net.topology();
  for (uint32_t r = 0; r < topo.routers(); ++r) {
    for (uint32_t l = 0; l <= hw::noc::kPorts; ++l) {
      // The FIFO the link feeds: the neighbour's input (none towards the core or at an edge).
      const hw::noc::FifoStats* fifo = nullptr;
      if (l == hw::noc::kInjection) {
        fifo = &net.fifo(r, hw::noc::kLocal);
      } else if (l != hw::noc::kLocal) {
        const auto end = topo.neighbour(r, static_cast<uint8_t>(l));
        if (!end) continue;
        fifo = &net.fifo(end->router, end->port);
      }
      const hw::noc::LinkStats& s = net.link(r, l);
      os << r << ',' << hw::noc::link_name(l) << ',' << s.packets << ',' << s.bits << ',' << s.busy_ps << ','
         << s.wait_ps << ',' << s.blocked_ps << ',' << (fifo ? fifo->max : 0) << ',' << (fifo ? fifo->occupancy_ps : 0) << '\n';
    }
  }
}

PacketsCsvWriter::PacketsCsvWriter(std::ostream& os) : os_(os) {
  os_ << "timestep,src_core,src_neuron,dst_core,dst_axon,bits,sent_ps,arrived_ps,hops,integrated,path\n";
}

void PacketsCsvWriter::batch(const hw::NetworkBatch& b) {
  // Each packet's link uses, in the order it crossed them.
  std::vector<std::vector<const hw::noc::Network::Use*>> links(b.packets.size());
  for (const auto& u : b.schedule)
    if (b.network.is_link(u.resource)) links[u.packet].push_back(&u);
  // A table-multicast packet reaches several cores: its row gives the last arrival and the most hops.
  std::vector<uint64_t> arrived(b.packets.size(), 0);
  std::vector<uint32_t> hops(b.packets.size(), 0);
  std::vector<uint64_t> integrated(b.packets.size(), hw::kNeverArrived);
  for (size_t i = 0; i < b.deliveries.size(); ++i) {
    const hw::noc::Delivery& d = b.deliveries[i];
    if (d.arrive_ps >= arrived[d.packet]) integrated[d.packet] = b.integrated[i];  // the last copy's
    arrived[d.packet] = std::max(arrived[d.packet], d.arrive_ps);
    hops[d.packet] = std::max(hops[d.packet], d.hops);
  }
  for (size_t k = 0; k < b.packets.size(); ++k) {
    auto& path = links[k];
    std::sort(path.begin(), path.end(), [](const auto* x, const auto* y) { return x->begin < y->begin; });
    const hw::noc::Packet& p = b.packets[k];
    os_ << b.timesteps[k] << ',' << b.sources[k].core << ',' << b.sources[k].slot << ',';
    if (b.targets[k].core == hw::kMulticastTarget) {
      os_ << "multicast,multicast";
    } else {
      os_ << b.targets[k].core << ',' << b.targets[k].axon;
    }
    os_ << ',' << p.bits << ',' << p.inject_ps << ',' << arrived[k] << ',' << hops[k] << ',';
    if (integrated[k] == hw::kDropped) {
      os_ << "dropped";
    } else if (integrated[k] == hw::kNeverArrived) {
      os_ << "never";
    } else {
      os_ << integrated[k];
    }
    os_ << ',';
    for (size_t i = 0; i < path.size(); ++i) {
      if (i) os_ << ' ';
      os_ << 'r' << b.network.link_router(path[i]->resource) << ':' << hw::noc::link_name(b.network.link_port(path[i]->resource))
          << '@' << path[i]->begin;
    }
    os_ << '\n';
  }
}

}  // namespace neurochip::sim
