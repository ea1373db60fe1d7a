// A chip whose cores are joined by the address-event network (SPEC.md §7.7), through the loader and
// the cycle model: the same random network on one core and mapped onto the cores of a mesh (random
// sizes, placements, link timings, core clocks and timing profiles; barrier; canonical integration
// order) spikes identically —
// the same neurons in the same timesteps, saturation included, with source fan-out and with table
// multicast. The functional reference runs every mesh chip too and must match the cycle model
// exactly: spikes with their cycle stamps, per-timestep phase cycles, readouts, final state,
// counters, run totals and the network statistics (stats.chip.noc.*), also in runs of samples.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <systemc>

#include "check/compare.h"
#include "config/config_loader.h"
#include "io/workload_stimulus.h"
#include "reference/functional_model.h"
#include "runner/cycle_runner.h"

namespace neurochip {
namespace {

namespace fs = std::filesystem;

std::string write_temp(const std::string& name, const std::string& text) {
  const fs::path p = fs::temp_directory_path() / ("neurochip_noc_chip_" + std::to_string(getpid()) + "_" + name);
  std::ofstream(p) << text;
  return p.string();
}

/// (timestep, population, neuron) of every spike: where the neurons sit depends on the mapping.
using NeuronSpikes = std::set<std::tuple<uint64_t, size_t, uint32_t>>;

NeuronSpikes by_population(const sim::RunConfig& rc, const sim::RunResult& r) {
  NeuronSpikes out;
  for (const hw::EmittedSpike& s : r.spikes) {
    for (size_t i = 0; i < rc.workload.populations.size(); ++i) {
      const sim::Population& p = rc.workload.populations[i];
      if (p.kind == sim::PopulationKind::kNeuron && p.core_index == s.core && s.neuron >= p.first_slot &&
          s.neuron < p.first_slot + p.size)
        out.emplace(s.timestep, i, s.neuron - p.first_slot);
    }
  }
  return out;
}

/// The stats named stats.chip.noc.*, by name, with their values.
std::map<std::string, std::vector<std::pair<std::string, double>>> noc_stats(const std::vector<hw::StatView>& all) {
  std::map<std::string, std::vector<std::pair<std::string, double>>> out;
  for (const hw::StatView& v : all)
    if (v.name.rfind("stats.chip.noc.", 0) == 0) out[v.name] = v.values;
  return out;
}

/// A random network and two chips for it: every population on one core, and mapped onto `cores`
/// cores of a mesh (an input population on the core of the neurons it feeds), whose cores may be
/// sparse.
struct Case {
  std::string one, many;
  uint32_t cores = 0;
  bool sparse = false;  ///< the mesh's cores keep their synapses in lists (the one core: a crossbar)
};

Case make_case(uint64_t seed) {
  std::mt19937_64 rng(seed);
  const auto pick = [&](uint32_t lo, uint32_t hi) { return lo + static_cast<uint32_t>(rng() % (hi - lo + 1)); };
  const uint32_t inputs = pick(1, 3), neurons = pick(2, 5);
  Case c;
  c.cores = pick(2, 6);
  std::vector<uint32_t> core_of(neurons);
  for (auto& k : core_of) k = pick(0, c.cores - 1);
  core_of[0] = 0;  // at least two cores hold neurons
  core_of[1] = 1;
  std::ostringstream core;  // a core template without its closing braces
  // Some networks run their membranes into the 16-bit saturation (high thresholds, large shifts),
  // where the order of integration decides the result.
  const bool saturating = rng() % 3 == 0;
  core << "{name: c, neuron: {model: lif, threshold: " << (saturating ? pick(20000, 32000) : pick(40, 1500))
       << ", leak_tau_ms: " << pick(5, 60)
       << ", reset: " << (rng() % 2 ? "subtract" : "zero") << ", refractory_steps: " << pick(0, 2)
       << "}, weights: {bits: 8, input_shift: " << pick(0, saturating ? 7 : 3)
       << ", recurrent_shift: " << pick(0, saturating ? 7 : 3)
       << "}, memory: {max_inputs: 128, max_neurons: 64, max_readouts: 0";
  // One mesh in two keeps its synapses in lists (SPEC §3.4), against the one-core crossbar.
  std::mt19937_64 organisation(seed * 0x9E3779B97F4A7C15ULL);
  c.sparse = organisation() % 2 == 0;
  const std::string sparse = ", synapses: sparse, axon_table: {words: auto, word_bits: 64}, synapse_list_sram: "
                             "{words: auto, word_bits: " + std::to_string(14 + organisation() % 115) + "}";
  std::ostringstream pops, projections, stimulus;
  std::vector<uint32_t> target(inputs);
  for (uint32_t i = 0; i < inputs; ++i) {
    target[i] = pick(0, neurons - 1);
    pops << "    - {name: in" << i << ", kind: input, size: " << pick(1, 8) << ", core: @" << target[i] << "}\n";
    projections << "    - {from: in" << i << ", to: n" << target[i] << ", connectivity: random, probability: 0."
                << pick(3, 9) << ", weight_uniform: [-40, 127]}\n";
    stimulus << "    - {population: in" << i << ", poisson: {rate_hz: " << pick(50, 400) << "}}\n";
  }
  for (uint32_t n = 0; n < neurons; ++n) pops << "    - {name: n" << n << ", kind: neuron, size: " << pick(1, 12) << ", core: @" << n << "}\n";
  for (uint32_t a = 0; a < neurons; ++a)
    for (uint32_t b = 0; b < neurons; ++b)
      if (rng() % 2)
        projections << "    - {from: n" << a << ", to: n" << b << ", connectivity: random, probability: 0."
                    << pick(2, 9) << ", weight_uniform: [-128, 127]}\n";
  std::ostringstream workload;
  workload << "workload:\n  timesteps: " << pick(20, 50) << "\n  seed: " << seed << "\n  populations:\n"
           << pops.str() << "  projections:\n" << projections.str() << "  inputs:\n" << stimulus.str();
  const auto place = [&](const std::string& text, bool spread) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] != '@') {
        out += text[i];
        continue;
      }
      size_t j = i + 1;
      while (j < text.size() && isdigit(static_cast<unsigned char>(text[j]))) ++j;
      const uint32_t n = static_cast<uint32_t>(std::stoul(text.substr(i + 1, j - i - 1)));
      out += spread ? "c" + std::to_string(core_of[n]) : "c0";
      i = j - 1;
    }
    return out;
  };
  const uint32_t w = pick(1, 4), h = (c.cores + w - 1) / w;
  std::ostringstream many;
  many << "chip:\n  clock_mhz: 100\n  noc: {topology: " << (rng() % 2 ? "mesh" : "torus") << ", width: " << w
       << ", height: " << h << ", request_ps: " << pick(1, 5000) << ", acknowledge_ps: " << pick(1, 5000)
       << ", router_ps: " << pick(0, 20000) << ", fifo_depth: " << pick(1, 4) << ", link_bits: " << pick(4, 32)
       << ", multicast: " << (rng() % 2 ? "source" : "table") << ", table_entries: 4096}\n  cores:\n";
  // Every mesh core its own clock and timing profile: the barrier then waits for the slowest, and
  // PROP starts at an edge of each core's clock (SPEC §5.1, §7.7).
  std::mt19937_64 timing(seed * 0xD1B54A32D192ED03ULL + 1);
  const uint32_t mhz[] = {50, 80, 100, 125, 250};
  for (uint32_t k = 0; k < c.cores; ++k)
    many << "    - " << "{name: c" << k << core.str().substr(std::string("{name: c").size()) << (c.sparse ? sparse : "")
         << "}, clock_mhz: " << mhz[timing() % 5] << ", timing: {tick_sync_cycles: " << timing() % 6
         << ", neuron_word_cycles: " << 1 + timing() % 3 << ", step_done_cycles: " << timing() % 4
         << ", scan_cycles_per_index: " << 1 + timing() % 2 << "}}\n";
  std::ostringstream one;
  one << "chip:\n  clock_mhz: 100\n  cores: {count: 1, template: " << core.str() << "}}}\n";
  c.many = write_temp("many" + std::to_string(seed) + ".yaml", many.str() + place(workload.str(), true));
  c.one = write_temp("one" + std::to_string(seed) + ".yaml", one.str() + place(workload.str(), false));
  return c;
}

TEST(NocChip, OneCoreAndMeshMappingsSpikeIdentically) {
  constexpr uint64_t kCases = 200;
  std::vector<sim::RunConfig> configs;
  std::vector<std::unique_ptr<sim::CycleSimulation>> sims;
  configs.reserve(2 * kCases);
  std::vector<hw::SampleSchedule> schedules;
  for (uint64_t seed = 1; seed <= kCases; ++seed) {
    const Case c = make_case(seed);
    // One network in five runs as samples (SPEC §4.5): a sample's first tick has no STEP (the core
    // reports at PROP), its last no PROP (it does not wait for the network).
    std::mt19937_64 protocol(seed + 0x5A3F);
    hw::SampleSchedule samples;
    if (protocol() % 5 == 0) {
      const uint64_t per = 10 + protocol() % 10;
      samples = hw::SampleSchedule(per, protocol() % per);
    }
    schedules.push_back(samples);
    sim::CycleOptions options;
    options.samples = samples;
    for (const std::string& path : {c.one, c.many}) {
      configs.push_back(sim::load_run_config(path, {}));
      fs::remove(path);
      const sim::RunConfig& rc = configs.back();
      sims.push_back(std::make_unique<sim::CycleSimulation>("chip" + std::to_string(sims.size()), rc.chip, rc.image,
                                                            sim::stimulus_schedule(rc), rc.workload.timesteps,
                                                            options));
    }
  }
  sc_core::sc_start();
  uint64_t spikes = 0, remote = 0, cases_with_remote = 0, waited = 0;
  uint64_t table_cases = 0, sparse_cases = 0;
  for (uint64_t k = 0; k < kCases; ++k) {
    const sim::RunResult one = sims[2 * k]->result(), many = sims[2 * k + 1]->result();
    const sim::RunConfig& mesh = configs[2 * k + 1];
    const NeuronSpikes a = by_population(configs[2 * k], one), b = by_population(mesh, many);
    ASSERT_EQ(a, b) << "case " << k + 1 << ": " << a.size() << " vs " << b.size() << " spikes";
    spikes += a.size();
    // The functional reference on the same mesh chip: everything the cycle model reports.
    sim::CollectingSink functional;
    const hw::InputSchedule schedule = sim::stimulus_schedule(mesh);
    hw::ScheduleStimulus stimulus(schedule);
    sim::stream_functional(mesh.chip, mesh.image, stimulus, mesh.workload.timesteps, true, functional, {},
                           schedules[k]);
    const sim::RunResult& ref = functional.result();
    const std::optional<sim::Divergence> d = sim::first_divergence(ref, many);
    ASSERT_FALSE(d.has_value()) << "case " << k + 1 << ", functional vs cycle: " << d->str() << "\n  functional: "
                                << d->row_a << "\n  cycle:      " << d->row_b;
    const auto cycle_noc = noc_stats(sims[2 * k + 1]->stats().collect());
    // packets, hops, contention, backpressure, latency, the four late-spike stats, router traversals, link bits
    ASSERT_EQ(cycle_noc.size(), 12u);  // and the arrival order's order_differences
    ASSERT_EQ(noc_stats(functional.stats()), cycle_noc) << "case " << k + 1;
    const uint64_t packets = static_cast<uint64_t>(cycle_noc.at("stats.chip.noc.packets").at(0).second);
    remote += packets;
    cases_with_remote += packets > 0 ? 1 : 0;
    sparse_cases += mesh.chip.cores.at(0).memory.sparse() && packets > 0 ? 1 : 0;
    table_cases += mesh.chip.noc.multicast == hw::noc::Multicast::kTable && packets > 0 ? 1 : 0;
    // Timesteps the barrier lengthened: the next tick (its first core's start, rounded up to the
    // chip's and that core's clocks) comes after every core's own work.
    const size_t n = mesh.chip.cores.size();
    const hw::ClockDomain chip_clock = hw::chip_clock(mesh.chip), first = hw::core_clock(mesh.chip, mesh.chip.cores[0]);
    for (size_t t = 0; (t + 2) * n <= many.timesteps.size(); ++t) {
      hw::Ps end;
      for (size_t c = 0; c < n; ++c) {
        const sim::CoreTimestepRecord& r = many.timesteps[t * n + c];
        end = hw::max(end, hw::core_clock(mesh.chip, mesh.chip.cores[c]).edge(r.start_cycle + r.cycles.total()));
      }
      if (first.edge(many.timesteps[(t + 1) * n].start_cycle) > first.edge_at_or_after(chip_clock.edge_at_or_after(end)))
        ++waited;
    }
  }
  std::cout << kCases << " networks (" << cases_with_remote << " with packets: " << table_cases << " table multicast, "
            << sparse_cases << " sparse), " << spikes << " spikes, " << remote << " packets between cores, " << waited
            << " timesteps lengthened by the barrier\n";
  EXPECT_GT(table_cases, kCases / 5) << "table multicast must carry packets in many networks";
  EXPECT_GT(cases_with_remote - table_cases, kCases / 5) << "source fan-out must carry packets in many networks";
  EXPECT_GT(sparse_cases, kCases / 5) << "sparse meshes must carry packets in many networks";
  EXPECT_GT(waited, kCases) << "the barrier must hold cores back";
  EXPECT_GT(cases_with_remote, kCases / 2) << "most networks must send spikes between cores";
  EXPECT_GT(spikes, 20 * kCases);
}

}  // namespace
}  // namespace neurochip
