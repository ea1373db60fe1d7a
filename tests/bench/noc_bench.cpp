// Benchmark of the address-event network kernel (hw_model/noc/, SPEC.md §7) on its own: a W × H mesh
// whose every router's core sends packets to random routers at a given rate per 1 ms timestep, each
// timestep one batch (the network drains between timesteps). Prints packets/s of the fast mode (closed
// form where packets do not meet) and of the detailed model in the same run, their ratio, the share of
// packets the fast mode simulated in detail, and whether both gave identical deliveries.
// Usage: neurochip_noc_bench [W H packets_per_core_per_timestep timesteps]
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "noc/network.h"
#include "noc/topology.h"

namespace {

using namespace neurochip::hw::noc;

struct Result {
  double seconds = 0;
  uint64_t deliveries = 0, checksum = 0, detailed = 0;
};

Result run(const Mesh2D& mesh, const std::vector<std::vector<Packet>>& batches, Network::Mode mode) {
  Network net(mesh, NocTiming{100, 100, 300, 4, 32});
  Result r;
  const auto t0 = std::chrono::steady_clock::now();
  for (const auto& batch : batches)
    for (const Delivery& d : net.run(batch, mode)) {
      ++r.deliveries;
      r.checksum = (r.checksum ^ (d.arrive_ps + 31 * d.packet + 7 * d.router)) * 1099511628211ull;
    }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.detailed = net.detailed_packets();
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  const uint32_t w = argc > 2 ? static_cast<uint32_t>(std::atoi(argv[1])) : 8;
  const uint32_t h = argc > 2 ? static_cast<uint32_t>(std::atoi(argv[2])) : 8;
  const double per_core = argc > 3 ? std::atof(argv[3]) : 20.0;
  const uint32_t timesteps = argc > 4 ? static_cast<uint32_t>(std::atoi(argv[4])) : 200;
  const Mesh2D mesh(w, h);
  // Each core sends Poisson(per_core) packets per timestep, at times spread over the first 100 µs of
  // the 1 ms timestep (a STEP's spikes leave within its sweep), to uniformly random routers.
  std::mt19937_64 rng(11);
  std::poisson_distribution<uint32_t> count(per_core);
  std::vector<std::vector<Packet>> batches(timesteps);
  uint64_t packets = 0;
  for (uint32_t t = 0; t < timesteps; ++t) {
    const uint64_t base = uint64_t{t} * 1'000'000'000;
    for (uint32_t r = 0; r < mesh.routers(); ++r) {
      const uint32_t n = count(rng);
      for (uint32_t k = 0; k < n; ++k) {
        Packet p;
        p.src = r;
        p.dst = static_cast<uint32_t>(rng() % mesh.routers());
        p.bits = 24;
        p.inject_ps = base + rng() % 100'000'000;
        batches[t].push_back(p);
      }
    }
    std::sort(batches[t].begin(), batches[t].end(), [](const Packet& a, const Packet& b) { return a.inject_ps < b.inject_ps; });
    packets += batches[t].size();
  }
  const Result fast = run(mesh, batches, Network::Mode::kFast);
  const Result detailed = run(mesh, batches, Network::Mode::kDetailed);
  std::printf("network: %ux%u mesh, %u timesteps, %.1f packets per core per timestep, %llu packets\n", w, h,
              timesteps, per_core, static_cast<unsigned long long>(packets));
  std::printf("%-10s %10s %14s\n", "mode", "wall_s", "packets/s");
  std::printf("%-10s %10.4f %14.3e\n", "fast", fast.seconds, packets / fast.seconds);
  std::printf("%-10s %10.4f %14.3e\n", "detailed", detailed.seconds, packets / detailed.seconds);
  std::printf("ratio fast/detailed speed: %.2f; packets simulated in detail by the fast mode: %.1f %%\n",
              detailed.seconds / fast.seconds, 100.0 * static_cast<double>(fast.detailed) / static_cast<double>(packets));
  const bool same = fast.deliveries == detailed.deliveries && fast.checksum == detailed.checksum;
  std::printf("identical deliveries in both modes: %s\n", same ? "yes" : "NO");
  return same ? 0 : 1;
}
