// The routes report of `neurochip check --routes` (see routes.h).
#include "check/routes.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "noc/noc_config.h"

namespace neurochip::sim {

std::string routes_report(const RunConfig& rc) {
  std::ostringstream out;
  out << "# routes (neurochip check --routes; SPEC §7.7)\n";
  const hw::noc::NocConfig& noc = rc.chip.noc;
  if (!noc.enabled) {
    out << "# no network (chip.noc): the cores are not connected\n";
    return out.str();
  }
  const auto topology = hw::noc::make_topology(noc);
  out << "# network: " << (noc.topology == hw::noc::TopologyKind::kTorus ? "torus " : "mesh ") << noc.width << " x "
      << noc.height << ", core k at router k\n";
  const auto& cores = rc.chip.cores;
  std::map<std::pair<uint32_t, uint32_t>, uint32_t> pairs;  // (from core, to core) -> neurons sending
  for (size_t c = 0; c < cores.size(); ++c) {
    const hw::CoreImage& im = rc.image.cores[c];
    const hw::CoreShape& en = cores[c].enabled;
    const uint32_t remote = en.inputs - im.remote_axons_from;
    uint32_t senders = 0, widest = 0;
    for (uint32_t j = 0; j + 1 < im.fanout_begin.size(); ++j) {
      const uint32_t n = im.fanout_begin[j + 1] - im.fanout_begin[j];
      senders += n > 0 ? 1 : 0;
      widest = std::max(widest, n);
      for (uint32_t k = im.fanout_begin[j]; k < im.fanout_begin[j + 1]; ++k)
        ++pairs[{static_cast<uint32_t>(c), im.fanout[k].core}];
    }
    out << "# core " << cores[c].name << " at router " << topology->router_name(static_cast<uint32_t>(c))
        << ": input axons " << en.inputs << " / " << cores[c].memory.max_inputs << " (" << im.remote_axons_from
        << " for its inputs, " << remote << " for remote neurons); fan-out entries " << im.fanout.size() << " ("
        << senders << " of " << en.neurons << " neurons send off the core, at most " << widest << " cores each)\n";
  }
  // Where every population sits: the core (as `core: auto` chose it, or as written) and its slots.
  for (const Population& p : rc.workload.populations) {
    static const char* const kKinds[] = {"input", "neuron", "readout"};
    out << "# population " << p.name << " (" << kKinds[static_cast<size_t>(p.kind)] << ", " << p.size
        << ") on core " << cores[p.core_index].name << ", " << kKinds[static_cast<size_t>(p.kind)] << " slots "
        << p.first_slot << ".." << (p.first_slot + p.size - 1) << (p.auto_placed ? " (core: auto)" : "") << "\n";
  }
  for (const auto& [pair, neurons] : pairs) {
    const auto [from, to] = pair;
    out << "# route " << cores[from].name << " -> " << cores[to].name << ": " << neurons << " neuron"
        << (neurons == 1 ? "" : "s") << ", " << topology->hops(from, to) << " hops:";
    for (uint32_t r = from;;) {
      const uint8_t port = topology->route(r, to);
      out << " " << topology->router_name(r);
      if (port == hw::noc::kLocal) break;
      out << " " << hw::noc::port_name(port);
      r = topology->neighbour(r, port)->router;
    }
    out << "\n";
  }
  out << "# fan-out tables: core[neuron] -> core:axon\n";
  for (size_t c = 0; c < cores.size(); ++c) {
    const hw::CoreImage& im = rc.image.cores[c];
    for (uint32_t j = 0; j + 1 < im.fanout_begin.size(); ++j) {
      if (im.fanout_begin[j + 1] == im.fanout_begin[j]) continue;
      out << "#   " << cores[c].name << "[" << j << "] ->";
      for (uint32_t k = im.fanout_begin[j]; k < im.fanout_begin[j + 1]; ++k)
        out << " " << cores[im.fanout[k].core].name << ":" << im.fanout[k].axon;
      out << "\n";
    }
  }
  return out.str();
}

}  // namespace neurochip::sim
