// A chip with a network through the neurochip binary (SPEC.md §7): the 4 x 4 mesh example writes
// links.csv, packets.csv and links.vcd consistent with each other and with stats.json, every packet
// arrives no earlier than the closed form of SPEC §7.3 and the uncontended ones exactly then; table
// multicast gives the same spikes with fewer packets, and an undersized table is an error; the
// functional fidelity gives the same spikes.csv, timesteps.csv and stats.json as the cycle model
// (`neurochip compare` finds no divergence) with both multicast modes; sparse cores on the mesh
// spike as the crossbar ones in both fidelities, and their list words, remote axons' lists
// included, are checked with positioned errors; the
// constructed torus deadlock stops the run with exit code 3 naming the FIFO cycle; bad network
// configurations and options are positioned errors with exit code 2; `check --routes` prints the
// mapping.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "support/e2e_run.h"

namespace {

using neurochip::test::fresh_dir;
using neurochip::test::Outcome;
using neurochip::test::run_neurochip;
using neurochip::test::slurp;
namespace fs = std::filesystem;

const std::string kRepo = NEUROCHIP_REPO_ROOT;
const std::string kMesh = kRepo + "/configs/examples/mesh_4x4.yaml";

std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream cs(line);
    std::string cell;
    while (std::getline(cs, cell, ',')) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

uint64_t stat(const std::string& stats_json, const std::string& name) {
  const std::regex re("\"name\": \"" + name + "\"[^}]*\"value\": ([0-9]+)");
  std::smatch m;
  return std::regex_search(stats_json, m, re) ? std::stoull(m[1]) : ~uint64_t{0};
}

TEST(Noc, TheMeshExampleWritesConsistentNetworkOutputs) {
  const fs::path dir = fresh_dir("mesh");
  const Outcome o = run_neurochip("run " + kMesh + " -q --packets --vcd-links 0:east,5:north,0:injection --out " +
                                  dir.string());
  ASSERT_EQ(o.exit_code, 0) << o.output;
  const std::string stats = slurp((dir / "stats.json").string());
  const uint64_t packets = stat(stats, "stats.chip.noc.packets");
  ASSERT_GT(packets, 1000u);
  // packets.csv: one row per packet; with req 500, ack 500, router 2000 ps and packets of one
  // handshake a packet crossing h links arrives no earlier than sent + (h + 2) 500 + (h + 1) 2000.
  const auto rows = csv_rows(slurp((dir / "packets.csv").string()));
  ASSERT_EQ(rows.size(), packets);
  uint64_t exact = 0, hops = 0;
  for (const auto& r : rows) {
    ASSERT_EQ(r.size(), 10u);
    const uint64_t sent = std::stoull(r[6]), arrived = std::stoull(r[7]), h = std::stoull(r[8]);
    const uint64_t unloaded = sent + (h + 2) * 500 + (h + 1) * 2000;
    ASSERT_GE(arrived, unloaded);
    exact += arrived == unloaded ? 1 : 0;
    hops += h;
    // The path lists the injection link, h router-to-router links and the link to the core.
    EXPECT_EQ(static_cast<uint64_t>(std::count(r[9].begin(), r[9].end(), '@')), h + 2) << r[9];
  }
  EXPECT_GT(exact, rows.size() / 2) << "most packets meet nobody";
  EXPECT_LT(exact, rows.size()) << "and some do";
  EXPECT_EQ(hops, stat(stats, "stats.chip.noc.hops"));
  // links.csv: every packet enters through one injection link and leaves through one local link.
  uint64_t injected = 0, ejected = 0, contention = 0;
  for (const auto& r : csv_rows(slurp((dir / "links.csv").string()))) {
    if (r[1] == "injection") injected += std::stoull(r[2]);
    if (r[1] == "local") ejected += std::stoull(r[2]);
    contention += std::stoull(r[5]);
  }
  EXPECT_EQ(injected, packets);
  EXPECT_EQ(ejected, packets);
  EXPECT_EQ(contention, stat(stats, "stats.chip.noc.contention_ps"));
  // links.vcd: the three links' scopes, and router 0's east link handshaking.
  const std::string vcd = slurp((dir / "links.vcd").string());
  for (const char* scope : {"r0_east", "r5_north", "r0_injection"})
    EXPECT_NE(vcd.find(std::string("$scope module ") + scope + " $end"), std::string::npos) << scope;
  EXPECT_GT(std::count(vcd.begin(), vcd.end(), '#'), 1000);
  EXPECT_NE(slurp((dir / "manifest.json").string()).find("\"links.vcd\""), std::string::npos);
  fs::remove_all(dir);
}

/// (timestep, core, neuron) of every spike (the cycle column depends on the network's timing).
std::string spike_neurons(const fs::path& dir) {
  std::string out;
  for (const auto& r : csv_rows(slurp((dir / "spikes.csv").string()))) out += r[0] + "," + r[2] + "," + r[3] + "\n";
  return out;
}

TEST(Noc, TableMulticastSpikesAsSourceFanOutWithFewerPackets) {
  const fs::path a = fresh_dir("mesh_source"), b = fresh_dir("mesh_table");
  ASSERT_EQ(run_neurochip("run " + kMesh + " -q --out " + a.string()).exit_code, 0);
  const Outcome o = run_neurochip("run " + kMesh + " -q --packets --set chip.noc.multicast=table --out " + b.string());
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_EQ(spike_neurons(a), spike_neurons(b));
  const uint64_t unicast = stat(slurp((a / "stats.json").string()), "stats.chip.noc.packets");
  const uint64_t multicast = stat(slurp((b / "stats.json").string()), "stats.chip.noc.packets");
  EXPECT_LT(multicast, unicast);
  EXPECT_GT(multicast, 0u);
  EXPECT_NE(slurp((b / "packets.csv").string()).find(",multicast,multicast,"), std::string::npos);
  // A table too small for the trees is a configuration error at chip.noc.table_entries.
  const Outcome small = run_neurochip("run " + kMesh + " -q --set chip.noc.multicast=table --set chip.noc.table_entries=3 "
                                      "--out " + b.string());
  EXPECT_EQ(small.exit_code, 2) << small.output;
  EXPECT_NE(small.output.find("routing-table entries (one per neuron whose spikes pass it) but "
                              "chip.noc.table_entries is 3"),
            std::string::npos)
      << small.output;
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(Noc, TheFunctionalFidelityRunsTheMeshExampleAsTheCycleModelDoes) {
  for (const char* multicast : {"source", "table"}) {
    SCOPED_TRACE(multicast);
    const fs::path c = fresh_dir("mesh_cycle"), f = fresh_dir("mesh_functional");
    const std::string set = std::string(" --set chip.noc.multicast=") + multicast + " --out ";
    Outcome o = run_neurochip("run " + kMesh + " -q" + set + c.string());
    ASSERT_EQ(o.exit_code, 0) << o.output;
    o = run_neurochip("run " + kMesh + " -q --fidelity functional" + set + f.string());
    ASSERT_EQ(o.exit_code, 0) << o.output;
    const std::string spikes = slurp((c / "spikes.csv").string());
    EXPECT_GT(csv_rows(spikes).size(), 1000u);
    EXPECT_EQ(slurp((f / "spikes.csv").string()), spikes);
    EXPECT_EQ(slurp((f / "timesteps.csv").string()), slurp((c / "timesteps.csv").string()));
    const std::string stats_c = slurp((c / "stats.json").string()), stats_f = slurp((f / "stats.json").string());
    for (const char* name : {"stats.chip.noc.packets", "stats.chip.noc.hops", "stats.chip.noc.contention_ps",
                             "stats.chip.cycles"}) {
      EXPECT_NE(stat(stats_c, name), ~uint64_t{0}) << name;
      EXPECT_EQ(stat(stats_f, name), stat(stats_c, name)) << name;
    }
    o = run_neurochip("compare " + c.string() + " " + f.string());
    EXPECT_EQ(o.exit_code, 0) << o.output;
    EXPECT_NE(o.output.find("no divergence"), std::string::npos) << o.output;
    fs::remove_all(c);
    fs::remove_all(f);
  }
  // The packet traces are the cycle model's.
  const fs::path f = fresh_dir("mesh_functional_packets");
  const Outcome o = run_neurochip("run " + kMesh + " -q --fidelity functional --packets --out " + f.string());
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_NE(o.output.find("--packets and --vcd-links need --fidelity cycle"), std::string::npos) << o.output;
  EXPECT_FALSE(fs::exists(f / "manifest.json"));
}

TEST(Noc, SparseCoresOnTheMeshSpikeAsCrossbarsInBothFidelities) {
  const fs::path x = fresh_dir("mesh_crossbar"), c = fresh_dir("mesh_sparse_cycle"), f = fresh_dir("mesh_sparse_functional");
  const std::string sparse = " --set chip.cores.template.memory.synapses=sparse --out ";
  ASSERT_EQ(run_neurochip("run " + kMesh + " -q --out " + x.string()).exit_code, 0);
  Outcome o = run_neurochip("run " + kMesh + " -q" + sparse + c.string());
  ASSERT_EQ(o.exit_code, 0) << o.output;
  o = run_neurochip("run " + kMesh + " -q --fidelity functional" + sparse + f.string());
  ASSERT_EQ(o.exit_code, 0) << o.output;
  // The same neurons spike in the same timesteps; PROP (and so the cycle stamps) differ.
  EXPECT_EQ(spike_neurons(c), spike_neurons(x));
  EXPECT_NE(slurp((c / "timesteps.csv").string()), slurp((x / "timesteps.csv").string()));
  const std::string stats = slurp((c / "stats.json").string());
  EXPECT_GT(stat(stats, "stats.chip.core3.synapse_list_sram.reads"), 0u) << "core3 holds remote lists";
  o = run_neurochip("compare " + c.string() + " " + f.string());
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("no divergence"), std::string::npos) << o.output;
  // core3 holds 24 words of its inputs' lists and 32 of the lists of core0's neurons (a -> b).
  o = run_neurochip("check " + kMesh + " --set chip.cores.template.memory.synapses=sparse "
                    "--set chip.cores.template.memory.synapse_list_sram.words=48");
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_NE(o.output.find("mesh_4x4.yaml:42:7: core 'core3' keeps its synapses in lists (memory.synapses: sparse): "
                          "with this projection they need 56 synapse-list words (input lists 56"),
            std::string::npos)
      << o.output;
  for (const fs::path& d : {x, c, f}) fs::remove_all(d);
}

TEST(Noc, ADeadlockStopsTheRunWithExitCode3AndNamesTheCycle) {
  const fs::path dir = fresh_dir("deadlock");
  const Outcome o =
      run_neurochip("run " + std::string(NEUROCHIP_TEST_DATA) + "/noc/deadlock_torus.yaml -q --out " + dir.string());
  EXPECT_EQ(o.exit_code, 3) << o.output;
  EXPECT_NE(o.output.find("network deadlock"), std::string::npos) << o.output;
  for (const char* fifo : {"router (0,0) west input", "router (1,0) west input", "router (2,0) west input",
                           "router (3,0) west input"})
    EXPECT_NE(o.output.find(fifo), std::string::npos) << o.output;
  EXPECT_FALSE(fs::exists(dir / "manifest.json"));
  fs::remove_all(dir);
}

TEST(Noc, BadNetworkConfigurationsArePositionedErrors) {
  const fs::path dir = fresh_dir("noc_bad");
  const std::string run = "run " + kMesh + " -q --out " + dir.string() + " --set ";
  const std::map<std::string, std::string> cases = {
      {"chip.noc.fifo_depth=0", "--set:1:21: expected an integer in 1..1024, got '0'"},
      {"chip.noc.request_ps=0", "--set:1:21: expected an integer in 1..1000000, got '0'"},
      {"chip.noc.topology=ring", "--set:1:19: expected one of mesh | torus, got 'ring'"},
      {"chip.noc.width=3", "routers for 16 cores"},
      {"chip.cores.template.memory.max_inputs=20", "memory.max_inputs is 20"},
  };
  for (const auto& [set, expected] : cases) {
    const Outcome o = run_neurochip(run + set);
    EXPECT_EQ(o.exit_code, 2) << set << "\n" << o.output;
    EXPECT_NE(o.output.find(expected), std::string::npos) << set << "\n" << o.output;
  }
  // The float reference models one core only.
  Outcome o = run_neurochip("run " + kMesh + " -q --out " + dir.string() + " --fidelity float");
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_NE(o.output.find("the float reference models a chip of one core"), std::string::npos) << o.output;
  o = run_neurochip("run " + kMesh + " -q --out " + dir.string() + " --vcd-links 99:east");
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_NE(o.output.find("router '99' is not one of 0..15"), std::string::npos) << o.output;
  o = run_neurochip("run " + kMesh + " -q --out " + dir.string() + " --vcd-links 3:up");
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_FALSE(fs::exists(dir / "manifest.json"));
  fs::remove_all(dir);
}

TEST(Noc, CheckRoutesPrintsAxonsRoutesAndFanOut) {
  const Outcome o = run_neurochip("check " + kMesh + " --routes");
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("# network: mesh 4 x 4, core k at router k"), std::string::npos);
  // Population a (core0) projects onto b (core3): three hops east along the bottom row.
  EXPECT_NE(o.output.find("# route core0 -> core3: "), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("3 hops: (0,0) east (1,0) east (2,0) east (3,0)"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("#   core0[0] ->"), std::string::npos) << o.output;
}

}  // namespace
