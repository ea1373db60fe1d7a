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
// mapping, and `core: auto` spikes as the same placement written out and as its resolved configuration.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
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

uint64_t stat(const std::string& stats_json, const std::string& name, const std::string& field = "value") {
  const std::regex re("\"name\": \"" + name + "\"[^}]*\"" + field + "\": ([0-9]+)");
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
    ASSERT_EQ(r.size(), 11u);
    EXPECT_EQ(r[9], r[0]) << "with the barrier every packet is integrated in its own timestep";
    const uint64_t sent = std::stoull(r[6]), arrived = std::stoull(r[7]), h = std::stoull(r[8]);
    const uint64_t unloaded = sent + (h + 2) * 500 + (h + 1) * 2000;
    ASSERT_GE(arrived, unloaded);
    exact += arrived == unloaded ? 1 : 0;
    hops += h;
    // The path lists the injection link, h router-to-router links and the link to the core.
    EXPECT_EQ(static_cast<uint64_t>(std::count(r[10].begin(), r[10].end(), '@')), h + 2) << r[10];
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

TEST(Noc, TheEnergyModelPricesRouterTraversalsFromTheLinks) {
  // Loihi's table: 3.6 pJ per packet entering a router, 0 per bit (configs/energy/loihi_14nm.yaml).
  const fs::path dir = fresh_dir("mesh_energy");
  const Outcome o = run_neurochip("run " + kMesh + " -q --set chip.energy.table=" + kRepo +
                                  "/configs/energy/loihi_14nm.yaml --out " + dir.string());
  ASSERT_EQ(o.exit_code, 0) << o.output;
  // Packets entering a router: every link but a router's link to its core (links.csv).
  uint64_t entered = 0, bits = 0;
  for (const auto& r : csv_rows(slurp((dir / "links.csv").string()))) {
    if (r[1] != "local") entered += std::stoull(r[2]);
    bits += std::stoull(r[3]);
  }
  const std::string stats = slurp((dir / "stats.json").string());
  EXPECT_EQ(stat(stats, "stats.chip.noc.router_traversals"), entered);
  EXPECT_EQ(stat(stats, "stats.chip.noc.link_bits"), bits);
  EXPECT_GT(entered, stat(stats, "stats.chip.noc.packets")) << "packets cross several routers";
  const std::regex re("\"name\": \"stats.energy.noc\"[^}]*\"value\": ([0-9.e+]+)");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(stats, m, re)) << stats.substr(0, 2000);
  EXPECT_NEAR(std::stod(m[1]), 3.6 * static_cast<double>(entered), 1e-6 * 3.6 * static_cast<double>(entered));
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

/// (core, slot) -> the timesteps it fired in.
std::map<std::pair<std::string, std::string>, std::vector<std::string>> firing(const fs::path& dir) {
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> out;
  for (const auto& r : csv_rows(slurp((dir / "spikes.csv").string()))) out[{r[2], r[3]}].push_back(r[0]);
  return out;
}

TEST(Noc, FixedPolicyLateSpikeIsIntegratedNextOrDroppedAtHandComputedTimes) {
  // tests/data/noc/late_2x1.yaml: the input event of timestep 0 makes n0 fire in timestep 1, one
  // packet, one hop, router 200 ns; the window closes 10 cycles (100,000 ps) after the tick of
  // timestep 1, at 1,100,000 ps, long before the packet can arrive (SPEC §7.8).
  const std::string fixture = std::string(NEUROCHIP_TEST_DATA) + "/noc/late_2x1.yaml";
  const fs::path dir = fresh_dir("late_next");
  for (const std::string late : {"next", "drop"}) {
    const Outcome o =
        run_neurochip("run " + fixture + " -q --packets --set chip.noc.late_spikes=" + late + " --out " + dir.string());
    ASSERT_EQ(o.exit_code, 0) << o.output;
    const auto rows = csv_rows(slurp((dir / "packets.csv").string()));
    ASSERT_EQ(rows.size(), 1u);
    const uint64_t sent = std::stoull(rows[0][6]), arrived = std::stoull(rows[0][7]);
    EXPECT_EQ(rows[0][0], "1");
    EXPECT_EQ(sent, 1040000u) << "tick 1,000,000 + SYNC 3 cycles + first STEP cycle (SPEC §4.1)";
    EXPECT_EQ(arrived, sent + 3 * 1000 + 2 * 200000) << "SPEC §7.3, one hop";
    const std::string stats = slurp((dir / "stats.json").string());
    EXPECT_EQ(stat(stats, "stats.chip.noc.late_spikes"), 1u);
    EXPECT_EQ(stat(stats, "stats.chip.noc.late_ps", "sum"), arrived - 1100000);
    EXPECT_EQ(stat(stats, "stats.chip.overruns"), 0u);
    const auto fired = firing(dir);
    EXPECT_EQ(fired.at({"0", "0"}), std::vector<std::string>{"1"});
    if (late == "next") {
      EXPECT_EQ(rows[0][9], "2") << "integrated by the PROP of timestep 2";
      EXPECT_EQ(stat(stats, "stats.chip.noc.dropped_spikes"), 0u);
      EXPECT_EQ(fired.at({"1", "0"}), std::vector<std::string>{"3"}) << "one timestep later than on time";
    } else {
      EXPECT_EQ(rows[0][9], "dropped");
      EXPECT_EQ(stat(stats, "stats.chip.noc.dropped_spikes"), 1u);
      EXPECT_EQ(fired.count({"1", "0"}), 0u);
    }
  }
  // A window of the whole timestep takes it: on time, n1 fires in timestep 2 as with the barrier.
  Outcome o = run_neurochip("run " + fixture + " -q --packets --set chip.noc.window_cycles=100 --out " + dir.string());
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_EQ(stat(slurp((dir / "stats.json").string()), "stats.chip.noc.late_spikes"), 0u);
  EXPECT_EQ(csv_rows(slurp((dir / "packets.csv").string()))[0][9], "1");
  EXPECT_EQ(firing(dir).at({"1", "0"}), std::vector<std::string>{"2"});
  // The window belongs to the fixed policy and fits in its timestep.
  o = run_neurochip("run " + fixture + " -q --set chip.timestep.policy=free_running --out " + dir.string());
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_NE(o.output.find("late_2x1.yaml:9:"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("'window_cycles' applies to chip.timestep.policy fixed only"), std::string::npos) << o.output;
  // The functional reference models the barrier only.
  o = run_neurochip("run " + fixture + " -q --fidelity functional --out " + dir.string());
  EXPECT_EQ(o.exit_code, 2) << o.output;
  o = run_neurochip("run " + fixture + " -q --set chip.noc.window_cycles=101 --out " + dir.string());
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_NE(o.output.find("is longer than the timestep (chip.timestep.cycles_per_timestep = 100)"), std::string::npos)
      << o.output;
  fs::remove_all(dir);
}

TEST(Noc, APacketCrossingClockDomainsStartsPropAtTheReceiversNextEdge) {
  // tests/data/noc/cdc_2x1.yaml: c0 on 10 ns, c1 on 7 ns, one packet c0 -> c1 in timestep 1.
  const fs::path dir = fresh_dir("cdc");
  const Outcome o = run_neurochip("run " + std::string(NEUROCHIP_TEST_DATA) + "/noc/cdc_2x1.yaml -q --packets --out " +
                                  dir.string());
  ASSERT_EQ(o.exit_code, 0) << o.output;
  const auto packets = csv_rows(slurp((dir / "packets.csv").string()));
  ASSERT_EQ(packets.size(), 1u);
  const uint64_t sent = std::stoull(packets[0][6]), arrived = std::stoull(packets[0][7]);
  // The spike leaves at the edge its spikes.csv cycle names, in c0's clock (SPEC §5.3).
  const auto spikes = csv_rows(slurp((dir / "spikes.csv").string()));
  ASSERT_EQ(spikes.size(), 2u);
  EXPECT_EQ(sent, std::stoull(spikes[0][1]) * 10000);
  EXPECT_EQ(arrived, sent + 3 * 1000 + 2 * 40000);  // SPEC §7.3, one hop
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> ts;  // (timestep, core) -> row
  for (const auto& r : csv_rows(slurp((dir / "timesteps.csv").string()))) ts[{r[0], r[1]}] = r;
  const auto col = [&ts](const char* t, const char* c, size_t k) { return std::stoull(ts.at({t, c}).at(k)); };
  const auto ceil_div = [](uint64_t a, uint64_t b) { return (a + b - 1) / b; };
  // Timestep 1: T1 on the chip clock; c1 starts at its first 7 ns edge at or after T1 (SPEC §5.2).
  const uint64_t t1 = col("1", "0", 2) * 10000;
  ASSERT_EQ(col("1", "1", 2), ceil_div(t1, 7000));
  // The barrier (SPEC §7.7): D = the arrival (both cores reported at the end of STEP, earlier); each
  // core's PROP starts at the first edge of its own clock at or after max(its ready cycle, D).
  const uint64_t before_prop0 = col("1", "0", 2) + col("1", "0", 3) + col("1", "0", 4) + col("1", "0", 5);
  const uint64_t before_prop1 = col("1", "1", 2) + col("1", "1", 3) + col("1", "1", 4) + col("1", "1", 5);
  ASSERT_LT(before_prop0 * 10000, arrived);
  ASSERT_LT(before_prop1 * 7000, arrived);
  // timesteps.csv's last column, network_wait_cycles: from the ready cycle to that edge.
  EXPECT_EQ(col("1", "0", 13), ceil_div(arrived, 10000) - before_prop0);
  EXPECT_EQ(col("1", "1", 13), ceil_div(arrived, 7000) - before_prop1);
  EXPECT_EQ(col("1", "1", 13), 10u) << "ready at 7 ns edge 22, PROP at 32";
  const uint64_t end0 = (ceil_div(arrived, 10000) + col("1", "0", 7)) * 10000;
  const uint64_t end1 = (ceil_div(arrived, 7000) + col("1", "1", 7)) * 7000;
  EXPECT_EQ(end1, 245000u) << "c1: PROP from 7 ns edge 32 (224,000 ps), 3 cycles";
  // The next tick: the first chip clock edge at or after the last core's end; c1 at its next edge.
  const uint64_t t2 = ceil_div(std::max(end0, end1), 10000) * 10000;
  EXPECT_EQ(col("2", "0", 2) * 10000, t2);
  EXPECT_EQ(col("2", "1", 2), ceil_div(t2, 7000));
  // The integrated spike makes n1 fire in timestep 2, stamped in c1's clock.
  EXPECT_EQ(spikes[1][0], "2");
  EXPECT_EQ(spikes[1][2], "1");
  fs::remove_all(dir);
}

TEST(Noc, ArrivalOrderIntegrationDiffersUnderSaturationAndCountsIt) {
  // tests/data/noc/order_2x1.yaml: t's four contributions of timestep 1 saturate in arrival order.
  const std::string fixture = std::string(NEUROCHIP_TEST_DATA) + "/noc/order_2x1.yaml";
  const fs::path dir = fresh_dir("order");
  std::map<std::string, std::map<std::pair<std::string, std::string>, std::vector<std::string>>> fired;
  std::map<std::string, uint64_t> differences;
  for (const std::string mode : {"canonical", "arrival"}) {
    const Outcome o = run_neurochip("run " + fixture + " -q --set chip.noc.integration=" + mode + " --out " + dir.string());
    ASSERT_EQ(o.exit_code, 0) << o.output;
    fired[mode] = firing(dir);
    differences[mode] = stat(slurp((dir / "stats.json").string()), "stats.chip.noc.order_differences");
  }
  // R (c0 slot 0) and L (c1 slot 0) fire in timestep 1 either way.
  for (const auto& [mode, f] : fired) {
    EXPECT_EQ(f.at({"0", "0"}), std::vector<std::string>{"1"}) << mode;
    EXPECT_EQ(f.at({"1", "0"}), std::vector<std::string>{"1"}) << mode;
  }
  EXPECT_EQ(fired["canonical"].at({"1", "1"}), std::vector<std::string>{"2"}) << "u = 32384 >= 20000";
  EXPECT_EQ(fired["arrival"].count({"1", "1"}), 0u) << "u = 16383 after saturating at 32767";
  EXPECT_EQ(differences["canonical"], 0u);
  EXPECT_EQ(differences["arrival"], 1u) << "one potential differs, in one PROP";
  // Without saturation the order does not matter: the mesh example spikes the same in both.
  const fs::path a = fresh_dir("order_mesh_a"), b = fresh_dir("order_mesh_b");
  ASSERT_EQ(run_neurochip("run " + kMesh + " -q --out " + a.string()).exit_code, 0);
  ASSERT_EQ(run_neurochip("run " + kMesh + " -q --set chip.noc.integration=arrival --out " + b.string()).exit_code, 0);
  EXPECT_EQ(spike_neurons(a), spike_neurons(b));
  EXPECT_EQ(stat(slurp((b / "stats.json").string()), "stats.chip.noc.order_differences"), 0u);
  // The functional reference integrates in the canonical order only.
  const Outcome f = run_neurochip("run " + fixture + " -q --fidelity functional --set chip.noc.integration=arrival --out " +
                                  dir.string());
  EXPECT_EQ(f.exit_code, 2) << f.output;
  fs::remove_all(dir);
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(Noc, FixedPolicyWindowsTakeEveryPacketOnceWhenTheNetworkOutlastsTimesteps) {
  // The mesh example with 2 us routers and a 1000-cycle (10 us) timestep: packets of several
  // timesteps are in flight together (moved as one epoch, SPEC §7.8); the window closes 50 cycles
  // after each tick. Every packet is integrated by the first window closing at or after its arrival.
  const fs::path dir = fresh_dir("late_mesh");
  const uint64_t period = 1000 * 10000, window = 50 * 10000;
  const Outcome o = run_neurochip("run " + kMesh + " -q --packets --set workload.timesteps=60 "
                                  "--set chip.timestep.policy=fixed --set chip.timestep.cycles_per_timestep=1000 "
                                  "--set chip.noc.window_cycles=50 --set chip.noc.router_ps=2000000 --out " + dir.string());
  ASSERT_EQ(o.exit_code, 0) << o.output;
  const std::string stats = slurp((dir / "stats.json").string());
  ASSERT_EQ(stat(stats, "stats.chip.overruns"), 0u);
  const auto rows = csv_rows(slurp((dir / "packets.csv").string()));
  ASSERT_EQ(rows.size(), stat(stats, "stats.chip.noc.packets"));
  uint64_t late = 0, late_ps = 0, never = 0, later_than_next = 0;
  for (const auto& r : rows) {
    const uint64_t t = std::stoull(r[0]), arrived = std::stoull(r[7]);
    const uint64_t close = t * period + window;
    if (r[9] == "never") {
      EXPECT_GT(arrived, 59 * period + window);
      ++never;
    } else {
      const uint64_t u = std::stoull(r[9]);
      ASSERT_GE(u, t);
      EXPECT_LE(arrived, u * period + window) << "integrated before it arrived";
      if (u > 0) {
        EXPECT_GT(arrived, (u - 1) * period + window) << "a window later than the one it arrived in";
      }
      later_than_next += u > t + 1 ? 1 : 0;
    }
    if (arrived > close) {
      ++late;
      late_ps += arrived - close;
    }
  }
  EXPECT_GT(late, rows.size() / 4);
  EXPECT_GT(later_than_next, 0u) << "some packets take more than one timestep";
  EXPECT_EQ(late, stat(stats, "stats.chip.noc.late_spikes"));
  EXPECT_EQ(late_ps, stat(stats, "stats.chip.noc.late_ps", "sum"));
  EXPECT_EQ(never, stat(stats, "stats.chip.noc.in_flight_at_end"));
  EXPECT_EQ(stat(stats, "stats.chip.noc.dropped_spikes"), 0u);
  fs::remove_all(dir);
}

TEST(Noc, FixedPolicyWithAWideWindowSpikesAsTheBarrier) {
  const fs::path a = fresh_dir("fixed_barrier"), b = fresh_dir("fixed_wide");
  ASSERT_EQ(run_neurochip("run " + kMesh + " -q --out " + a.string()).exit_code, 0);
  const Outcome o = run_neurochip("run " + kMesh + " -q --set chip.timestep.policy=fixed "
                                  "--set chip.timestep.cycles_per_timestep=2000 --out " + b.string());
  ASSERT_EQ(o.exit_code, 0) << o.output;
  const std::string stats = slurp((b / "stats.json").string());
  EXPECT_EQ(stat(stats, "stats.chip.noc.late_spikes"), 0u);
  EXPECT_GT(stat(stats, "stats.chip.noc.packets"), 1000u);
  EXPECT_EQ(spike_neurons(a), spike_neurons(b));
  fs::remove_all(a);
  fs::remove_all(b);
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

/// A network on a 2 x 2 mesh whose populations say `core: @name`, replaced by `cores` (or auto).
std::string placement_config(const std::map<std::string, std::string>& cores) {
  const std::string text =
      "chip:\n  clock_mhz: 100\n  noc: {topology: mesh, width: 2, height: 2}\n  cores:\n    count: 4\n"
      "    template:\n      name: c\n      neuron: {model: lif, threshold: 120, leak_tau_ms: 20, reset: subtract}\n"
      "      weights: {bits: 8, input_shift: 0, recurrent_shift: 0}\n"
      "      memory: {max_inputs: 8, max_neurons: 8, max_readouts: 4}\n"
      "workload:\n  timesteps: 60\n  seed: 11\n  populations:\n"
      "    - {name: in0, kind: input, size: 6, core: @in0}\n"
      "    - {name: h0, kind: neuron, size: 5, core: @h0}\n"
      "    - {name: h1, kind: neuron, size: 4, core: @h1}\n"
      "    - {name: out0, kind: readout, size: 3, core: @out0}\n"
      "    - {name: in1, kind: input, size: 3, core: @in1}\n"
      "    - {name: h2, kind: neuron, size: 2, core: @h2}\n"
      "  projections:\n"
      "    - {from: in0, to: h0, connectivity: random, probability: 0.6, weight_uniform: [20, 90]}\n"
      "    - {from: h0, to: out0, connectivity: dense, weight: 20}\n"
      "    - {from: h0, to: h1, connectivity: dense, weight_uniform: [-20, 80]}\n"
      "    - {from: in1, to: h2, connectivity: dense, weight: 70}\n"
      "    - {from: h2, to: h0, connectivity: dense, weight: 40}\n"
      "    - {from: h1, to: h2, connectivity: dense, weight: -30}\n"
      "  inputs:\n    - {population: in0, poisson: {rate_hz: 300}}\n    - {population: in1, poisson: {rate_hz: 200}}\n";
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '@') {
      out += text[i];
      continue;
    }
    const size_t end = text.find('}', i);
    const auto it = cores.find(text.substr(i + 1, end - i - 1));
    out += it == cores.end() ? "auto" : it->second;
    i = end - 1;
  }
  return out;
}

TEST(Noc, AutoPlacementSpikesAsTheSameExplicitPlacementAndItsResolvedConfig) {
  const fs::path dir = fresh_dir("auto_place");
  fs::create_directories(dir);
  // The fill (configs/README.md "Placement"): {in0, h0, out0} on c0; {h1} (4 neurons) finds 3 left on
  // c0 and goes to c1; {in1, h2} needs 3 inputs, c0 has 2 left, c1 has room.
  const std::map<std::string, std::string> by_hand = {{"in0", "c0"}, {"h0", "c0"}, {"out0", "c0"},
                                                      {"h1", "c1"},  {"in1", "c1"}, {"h2", "c1"}};
  std::ofstream(dir / "auto.yaml") << placement_config({});
  std::ofstream(dir / "explicit.yaml") << placement_config(by_hand);
  const fs::path a = dir / "a", b = dir / "b", c = dir / "c";
  Outcome o = run_neurochip("run " + (dir / "auto.yaml").string() + " -q --out " + a.string());
  ASSERT_EQ(o.exit_code, 0) << o.output;
  o = run_neurochip("run " + (dir / "explicit.yaml").string() + " -q --out " + b.string());
  ASSERT_EQ(o.exit_code, 0) << o.output;
  o = run_neurochip("run " + (a / "resolved_config.yaml").string() + " -q --out " + c.string());
  ASSERT_EQ(o.exit_code, 0) << o.output;
  const std::string spikes = slurp((a / "spikes.csv").string());
  const auto rows = csv_rows(spikes);
  std::set<std::string> spiking_cores;
  for (const auto& r : rows) spiking_cores.insert(r.at(2));
  EXPECT_GE(spiking_cores.size(), 2u) << "neurons of both occupied cores must spike";
  EXPECT_GT(stat(slurp((a / "stats.json").string()), "stats.chip.noc.packets"), 0u);
  EXPECT_EQ(spikes, slurp((b / "spikes.csv").string()));
  EXPECT_EQ(spikes, slurp((c / "spikes.csv").string()));
  EXPECT_EQ(slurp((a / "resolved_config.yaml").string()), slurp((b / "resolved_config.yaml").string()));
  // check --routes names each population's core and marks the automatic ones.
  o = run_neurochip("check " + (dir / "auto.yaml").string() + " --routes");
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("# population h1 (neuron, 4) on core c1, neuron slots 0..3 (core: auto)"), std::string::npos)
      << o.output;
  EXPECT_NE(o.output.find("# population h2 (neuron, 2) on core c1, neuron slots 4..5 (core: auto)"), std::string::npos)
      << o.output;
  o = run_neurochip("check " + (dir / "explicit.yaml").string() + " --routes");
  EXPECT_NE(o.output.find("# population h2 (neuron, 2) on core c1, neuron slots 4..5\n"), std::string::npos)
      << o.output;
  fs::remove_all(dir);
}
