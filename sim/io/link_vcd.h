// VCD of selected links of the address-event network (SPEC.md §7.2; `--vcd-links`): per link its
// request and acknowledge wires as the sending end sees them and the level of the FIFO it feeds
// (none for a link to a core), timescale 1 ps, from the network's kept schedule of each batch
// (noc::Network::keep_schedule). Batches come in time order (the network drains between them).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "noc/network.h"

namespace neurochip::sim {

struct LinkRef {
  uint32_t router = 0;
  uint32_t link = 0;  ///< an output port (noc::Port), or noc::kInjection for the core's link into the router
};

class LinkVcdWriter {
 public:
  /// Writes the header: one scope per link, named `r<router>_<port>` (`r5_east`, `r5_injection`).
  LinkVcdWriter(std::ostream& os, const hw::noc::Network& network, std::vector<LinkRef> links);
  /// The edges of a batch: its packets (for the widths) and the schedule the network kept for it.
  void batch(const std::vector<hw::noc::Packet>& packets, const std::vector<hw::noc::Network::Use>& schedule);
  /// Writes the last time point.
  void finish();

 private:
  struct Change {
    uint64_t time;
    uint32_t signal;
    uint32_t value;
  };
  std::ostream& os_;
  const hw::noc::Network& net_;
  std::vector<LinkRef> links_;
  std::vector<uint32_t> fifo_of_link_;  ///< per link: the FIFO resource it feeds, or UINT32_MAX
  std::vector<uint32_t> values_;        ///< current value per signal (req, ack, level per link)
  uint64_t last_time_ = 0;
};

}  // namespace neurochip::sim
