// The network's result files (traces/README.md; SPEC.md §7.6): `links.csv`, one row per link of the
// network (router index r: x = r mod width, y = r div width) with its traffic, contention,
// backpressure and the occupancy of the FIFO it feeds, written at the end of a run; and
// `packets.csv` (`--packets`), one row per packet: when it left its core, each link it crossed
// (`r<router>:<port>@<grant ps>`), and when it reached its destination core.
#pragma once

#include <ostream>

#include "noc/network.h"
#include "noc/network_batch.h"

namespace neurochip::sim {

void write_links_csv(std::ostream& os, const hw::noc::Network& network);

class PacketsCsvWriter {
 public:
  explicit PacketsCsvWriter(std::ostream& os);
  /// The rows of one timestep's packets (the network kept their schedule).
  void batch(const hw::NetworkBatch& b);

 private:
  std::ostream& os_;
};

}  // namespace neurochip::sim
