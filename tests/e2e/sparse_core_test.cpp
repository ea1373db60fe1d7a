// Sparse-synapse cores through the binary (SPEC.md §3.4): the example runs in both fidelities with
// the axon-table and synapse-list reads in stats.json and priced by the energy model (ReckOn 28 nm table), gives the
// spikes of its crossbar twin, and a sparse core over capacity, with learning, with noise or with
// a short axon table is a positioned configuration error (exit code 2).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "support/e2e_run.h"

namespace {

namespace fs = std::filesystem;
using neurochip::test::fresh_dir;
using neurochip::test::Outcome;
using neurochip::test::run_neurochip;
using neurochip::test::slurp;

const std::string kRoot = NEUROCHIP_REPO_ROOT;
const std::string kExample = kRoot + "/configs/examples/sparse_core.yaml";
const std::string kBad = std::string(NEUROCHIP_TEST_DATA) + "/bad_configs/";

double stat(const nlohmann::json& stats, const std::string& name) {
  for (const auto& s : stats["stats"])
    if (s["name"] == name) return s["value"].get<double>();
  ADD_FAILURE() << "no statistic " << name;
  return -1;
}

/// The spikes of a spikes.csv without their cycle stamps (timestep,core,neuron per line).
std::string spikes_without_cycles(const fs::path& file) {
  std::string out, line;
  std::istringstream in(slurp(file));
  while (std::getline(in, line)) {
    const size_t a = line.find(','), b = line.find(',', a + 1);
    out += line.substr(0, a) + line.substr(b) + "\n";
  }
  return out;
}

TEST(SparseCoreCli, ExampleCountsListReadsAndSpikesLikeItsCrossbarTwin) {
  const fs::path s = fresh_dir("sparse"), f = fresh_dir("sparse_f"), x = fresh_dir("sparse_x");
  const std::string args = "run " + kExample + " --set workload.timesteps=100 -q --out ";
  ASSERT_EQ(run_neurochip(args + s.string()).exit_code, 0);
  ASSERT_EQ(run_neurochip(args + f.string() + " --fidelity functional").exit_code, 0);
  ASSERT_EQ(run_neurochip(args + x.string() + " --set chip.cores.0.memory.synapses=crossbar").exit_code, 0);
  EXPECT_EQ(slurp(s / "spikes.csv"), slurp(f / "spikes.csv"));
  EXPECT_EQ(slurp(s / "readouts.csv"), slurp(x / "readouts.csv"));
  EXPECT_EQ(spikes_without_cycles(s / "spikes.csv"), spikes_without_cycles(x / "spikes.csv"));
  const auto sparse = nlohmann::json::parse(slurp(s / "stats.json"));
  const auto crossbar = nlohmann::json::parse(slurp(x / "stats.json"));
  EXPECT_EQ(sparse["stats"], nlohmann::json::parse(slurp(f / "stats.json"))["stats"]);
  EXPECT_GT(stat(sparse, "stats.chip.core0.axon_table.reads"), 0);
  EXPECT_GT(stat(sparse, "stats.chip.core0.synapse_list_sram.reads"), 0);
  EXPECT_EQ(stat(sparse, "stats.chip.core0.synapse_list_sram.capacity"), 2048 * 128);
  EXPECT_LT(stat(sparse, "stats.chip.core0.cycles.prop"), stat(crossbar, "stats.chip.core0.cycles.prop"));
  EXPECT_GT(stat(sparse, "stats.energy.sram"), 0);
  for (const auto& st : crossbar["stats"]) EXPECT_EQ(st["name"].get<std::string>().find("synapse_list"), std::string::npos);
  for (const fs::path& d : {s, f, x}) fs::remove_all(d);
}

TEST(SparseCoreCli, OverCapacityAndLearningAreConfigurationErrorsWithPositions) {
  const Outcome over = run_neurochip("check " + kBad + "sparse_over_capacity.yaml");
  EXPECT_EQ(over.exit_code, 2);
  EXPECT_NE(over.output.find(kBad + "sparse_over_capacity.yaml:21:7: core 'core0' keeps its synapses in lists"),
            std::string::npos)
      << over.output;
  EXPECT_NE(over.output.find("need 72 synapse-list words"), std::string::npos) << over.output;
  EXPECT_NE(over.output.find("memory.synapse_list_sram.words is 40"), std::string::npos) << over.output;
  const Outcome learning = run_neurochip("run " + kBad + "sparse_learning.yaml --out " + fresh_dir("sparse_learn").string());
  EXPECT_EQ(learning.exit_code, 2);
  EXPECT_NE(learning.output.find(kBad + "sparse_learning.yaml:7:17: the learning engine"), std::string::npos)
      << learning.output;
  const Outcome noise = run_neurochip("check " + kExample + " --set chip.cores.0.noise.enabled=true");
  EXPECT_EQ(noise.exit_code, 2);
  EXPECT_NE(noise.output.find("noise.enabled adds a draw to every neuron word"), std::string::npos) << noise.output;
  const Outcome table = run_neurochip("run " + kBad + "sparse_axon_table.yaml --out " + fresh_dir("sparse_table").string());
  EXPECT_EQ(table.exit_code, 2);
  EXPECT_NE(table.output.find(kBad + "sparse_axon_table.yaml:10:21: axon_table holds 48 entries"), std::string::npos)
      << table.output;
}

}  // namespace
