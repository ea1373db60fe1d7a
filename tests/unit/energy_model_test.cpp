// The energy and area model (docs/energy.md, sim/energy/energy_model.h): the energy of
// configs/examples/tiny.yaml priced by tests/data/energy/round_numbers.yaml, computed here by hand
// from the table's numbers and the run's counters; every entry of every shipped table has a
// source; bad tables give positioned errors in the table file; the table format's keys are all
// documented in docs/energy.md.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "config/config_loader.h"
#include "config/decoder.h"
#include "config/yaml_reader.h"
#include "energy/energy_model.h"
#include "io/workload_stimulus.h"
#include "reference/functional_model.h"

namespace neurochip::sim {
namespace {

namespace fs = std::filesystem;

const std::string kRoot = NEUROCHIP_REPO_ROOT;
const std::string kTiny = kRoot + "/configs/examples/tiny.yaml";
const std::string kEnergyData = std::string(NEUROCHIP_TEST_DATA) + "/energy";

RunConfig tiny_with(const std::string& table) { return load_run_config(kTiny, {"chip.energy.table=" + table}); }

std::map<std::string, hw::StatView> by_name(const std::vector<hw::StatView>& stats) {
  std::map<std::string, hw::StatView> m;
  for (const hw::StatView& s : stats) m.emplace(s.name, s);
  return m;
}

TEST(EnergyModel, TinyRunPricedByHand) {
  RunConfig rc = tiny_with(kEnergyData + "/round_numbers.yaml");
  ASSERT_TRUE(rc.energy.enabled());
  WorkloadStimulus stimulus(rc);
  const RunResult r = run_functional(rc.chip, rc.image, stimulus, rc.workload.timesteps, false);
  // The counters of tiny (traces/golden/tiny, SPEC §3.3): 6 timesteps, 2 neuron words, 9 active
  // indices (4 input events, 5 spikes), 3 neurons and 1 readout, one weight word per row.
  const CoreCounters& k = r.counters.at(0);
  EXPECT_EQ(k.neuron_sram_reads, 6u * 2 + 9u * 2);
  EXPECT_EQ(k.neuron_sram_writes, 6u * 2 + 9u * 2);
  EXPECT_EQ(k.input_sram_reads, 4u);
  EXPECT_EQ(k.recurrent_sram_reads, 5u);
  EXPECT_EQ(k.output_sram_reads, 5u);
  EXPECT_EQ(k.synaptic_events, 4u * 3 + 5u * (3 + 1));
  EXPECT_EQ(k.spikes, 5u);
  EXPECT_EQ(r.total_cycles, 108u);
  // Non-zero weights: input row 0 holds 1, row 1 holds 2; recurrent rows 0 and 1 hold 1 each,
  // row 2 none; every output row holds 1.
  const uint64_t nonzero = k.nonzero_synaptic_events;
  EXPECT_EQ(nonzero, 15u);

  // The table: scale 2; per bit 0.25 pJ read, 0.5 pJ write at 256 bits, exponent 1/2. Tiny's
  // macros have 128-bit words: neuron and input 2 words (256 bits), recurrent and output 4 (512).
  const double scale = 2.0;
  const double read_256 = scale * 128 * 0.25, write_256 = scale * 128 * 0.5;
  const double read_512 = read_256 * std::sqrt(512.0 / 256.0);
  const double sram = k.neuron_sram_reads * read_256 + k.neuron_sram_writes * write_256 +
                      k.input_sram_reads * read_256 + (k.recurrent_sram_reads + k.output_sram_reads) * read_512;
  // Logic: 1 pJ per non-zero synaptic event (counts: nonzero), 3 per neuron update, 5 per readout
  // update, 7 per spike, 11 per learning word (none: tiny does not learn).
  const double logic = scale * (nonzero * 1.0 + 6 * 3 * 3.0 + 6 * 1 * 5.0 + k.spikes * 7.0 + 0 * 11.0);
  // Static: 1000 pW per bit over 256 + 256 + 512 + 512 bits, plus 4 µW per core, for 108 cycles of 10 ns.
  const double static_uw = 1000e-6 * 1536 + 4.0;
  const double time_ns = 108 * 10.0;
  const double static_pj = static_uw * time_ns * 1e-3;
  const double total = sram + logic + static_pj;
  EXPECT_DOUBLE_EQ(sram, 6016 + 640 * std::sqrt(2.0));
  EXPECT_DOUBLE_EQ(logic, 268.0);

  energy::RunActivity run;
  run.counters = r.counters;
  run.timesteps = r.timesteps_completed;
  run.chip_cycles = r.total_cycles;
  const energy::EnergyEstimate e = energy::estimate_energy(rc.chip, rc.energy.values, run);
  EXPECT_NEAR(e.sram_pj, sram, 1e-9 * sram);
  EXPECT_NEAR(e.logic_pj, logic, 1e-9 * logic);
  EXPECT_EQ(e.noc_pj, 0.0) << "one core, no network";
  EXPECT_NEAR(e.static_pj, static_pj, 1e-9 * static_pj);
  // A network's traffic: 13 pJ per router traversal and 17 pJ per link bit, times the scale.
  energy::RunActivity networked = run;
  networked.router_traversals = 10;
  networked.link_bits = 100;
  const energy::EnergyEstimate n = energy::estimate_energy(rc.chip, rc.energy.values, networked);
  EXPECT_DOUBLE_EQ(n.noc_pj, scale * (10 * 13.0 + 100 * 17.0));
  EXPECT_NEAR(n.total_pj(), total + scale * 1830.0, 1e-9 * total);
  EXPECT_NEAR(e.total_pj(), total, 1e-9 * total);

  const auto stats = by_name(energy::model_stats(rc.chip, rc.energy, run));
  const auto value = [&stats](const std::string& name) {
    const auto it = stats.find("stats." + name);
    EXPECT_NE(it, stats.end()) << name;
    return it == stats.end() ? -1.0 : it->second.values.at(0).second;
  };
  EXPECT_NEAR(value("energy.total"), total, 1e-9 * total);
  EXPECT_NEAR(value("energy.per_timestep"), total / 6, 1e-9 * total);
  EXPECT_NEAR(value("energy.per_inference"), total, 1e-9 * total);  // no samples: the run is one inference
  EXPECT_NEAR(value("energy.per_sop_dense"), total / 32, 1e-9 * total);
  EXPECT_NEAR(value("energy.per_sop_effective"), total / 15, 1e-9 * total);
  EXPECT_NEAR(value("energy.power_average"), total / time_ns * 1e3, 1e-6);
  EXPECT_NEAR(value("energy.power_static"), static_uw, 1e-12);
  // Real time: 6 timesteps of 1000 µs.
  EXPECT_NEAR(value("energy.power_real_time"), (sram + logic) / 6e6 * 1e3 + static_uw, 1e-9);
  EXPECT_NEAR(value("area.sram"), 1536 * 0.5 * 2 * 1e-6, 1e-15);
  EXPECT_NEAR(value("area.total"), 1536 * 0.5 * 2 * 1e-6 + 0.125, 1e-15);
  EXPECT_EQ(value("neurobench.synaptic_ops_dense"), 32.0);
  EXPECT_EQ(value("neurobench.synaptic_ops_effective"), 15.0);
  EXPECT_NEAR(value("neurobench.activation_sparsity"), 1.0 - 5.0 / (6 * 3), 1e-15);
  EXPECT_EQ(value("neurobench.memory_footprint"), 1536.0);
  EXPECT_EQ(value("neurobench.latency_per_inference"), time_ns);
  for (const auto& [name, s] : stats) {
    EXPECT_FALSE(s.unit.empty()) << name;
    EXPECT_FALSE(s.description.empty()) << name;
  }
}

TEST(EnergyModel, SparseCorePricesItsAxonTableAndSynapseListsAndNotTheCrossbars) {
  // The tiny core made sparse (SPEC §3.4): its input and recurrent crossbars are not built, so they
  // hold no bits; the axon table (4 words of 64 bits) and the synapse lists (8 of 32) are priced
  // by their geometry like every macro.
  RunConfig rc = tiny_with(kEnergyData + "/round_numbers.yaml");
  hw::CoreMemoryConfig& m = rc.chip.cores.at(0).memory;
  m.synapses = hw::SynapseOrganisation::kSparse;
  m.axon_table = {4, 64};
  m.synapse_list_sram = {8, 32};
  energy::RunActivity run;
  run.counters.resize(1);
  run.timesteps = 1;
  CoreCounters& k = run.counters[0];
  k.input_sram_reads = k.recurrent_sram_reads = 1000;  // not built: never priced
  k.axon_table_reads = 3;
  k.synapse_list_reads = 5;
  const double scale = 2.0;
  const double axon = scale * 64 * 0.25 * std::sqrt(256.0 / 256.0), list = scale * 32 * 0.25 * std::sqrt(256.0 / 256.0);
  const energy::EnergyEstimate e = energy::estimate_energy(rc.chip, rc.energy.values, run);
  EXPECT_DOUBLE_EQ(e.sram_pj, 3 * axon + 5 * list);
  // Footprint: neuron 256 + axon table 256 + synapse lists 256 + output 512 bits.
  EXPECT_EQ(energy::core_sram_bits(rc.chip.cores[0]), 256u + 256 + 256 + 512);
}

TEST(EnergyModel, WithoutATableOnlyTheNeuroBenchMetricsAreWritten) {
  const RunConfig rc = load_run_config(kTiny);
  EXPECT_FALSE(rc.energy.enabled());
  energy::RunActivity run;
  run.counters.resize(1);
  for (const hw::StatView& s : energy::model_stats(rc.chip, rc.energy, run))
    EXPECT_EQ(s.name.rfind("stats.neurobench.", 0), 0u) << s.name;
}

/// Every mapping with a `value` in the tree, with where it is (for the message).
void entries_of(const YamlNode& n, const std::string& path, std::vector<std::pair<std::string, const YamlNode*>>& out) {
  if (n.kind != YamlNode::Kind::kMapping) return;
  if (n.find("value")) out.emplace_back(path, &n);
  for (const YamlEntry& e : n.entries) entries_of(e.value, path + "." + e.key, out);
}

TEST(EnergyTables, EveryEntryOfEveryShippedTableHasASource) {
  size_t tables = 0;
  for (const auto& file : fs::directory_iterator(kRoot + "/configs/energy")) {
    if (file.path().extension() != ".yaml") continue;
    ++tables;
    SCOPED_TRACE(file.path().string());
    std::ifstream is(file.path());
    std::stringstream text;
    text << is.rdbuf();
    std::vector<ConfigDiagnostic> diags;
    const std::optional<YamlNode> doc = parse_yaml_document(text.str(), file.path().string(), diags);
    ASSERT_TRUE(doc && diags.empty());
    std::vector<std::pair<std::string, const YamlNode*>> entries;
    entries_of(*doc, "", entries);
    EXPECT_EQ(entries.size(), energy_table_keys().size());  // one per key of the format
    for (const auto& [path, node] : entries) {
      const YamlEntry* source = node->find("source");
      ASSERT_NE(source, nullptr) << path;
      EXPECT_GE(source->value.scalar.size(), 8u) << path << ": a source says where the number comes from";
    }
    EXPECT_NO_THROW(tiny_with(file.path().string())) << "the table loads";
  }
  EXPECT_EQ(tables, 3u);  // ReckOn, ODIN, Loihi
}

std::vector<std::string> table_errors(const std::string& table) {
  try {
    tiny_with(table);
  } catch (const ConfigError& e) {
    std::vector<std::string> out;
    for (const ConfigDiagnostic& d : e.diagnostics()) out.push_back(d.str());
    return out;
  }
  return {};
}

TEST(EnergyTables, AnEntryWithoutSourceIsAnErrorAtTheEntry) {
  const std::string file = kEnergyData + "/missing_source.yaml";
  const std::vector<std::string> errors = table_errors(file);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind(file + ":16:17: missing required key 'source'", 0), 0u) << errors[0];
}

TEST(EnergyTables, BadValuesAndUnknownKeysAreReportedWhereTheyAreWritten) {
  const std::string file = kEnergyData + "/bad_values.yaml";
  const std::vector<std::string> errors = table_errors(file);
  ASSERT_EQ(errors.size(), 3u);
  // In document order: the value, the noc mapping (line 21, where it starts) missing the entry,
  // the misspelt key.
  EXPECT_EQ(errors[0], file + ":14:29: expected a number >= 0 (pJ), got '-3'");
  EXPECT_EQ(errors[1], file + ":21:3: missing required key 'router_bit_pj'");
  EXPECT_EQ(errors[2].rfind(file + ":22:3: unknown key 'router_bits_pj'", 0), 0u) << errors[2];
  EXPECT_NE(errors[2].find("did you mean 'router_bit_pj'?"), std::string::npos) << errors[2];
}

TEST(EnergyTables, AMissingTableIsAnErrorAtTheKeyThatNamesIt) {
  const std::vector<std::string> errors = table_errors(kEnergyData + "/no_such_table.yaml");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind("--set:1:", 0), 0u) << errors[0];
  EXPECT_NE(errors[0].find("no_such_table.yaml"), std::string::npos) << errors[0];
}

TEST(EnergyTables, EveryKeyOfTheFormatIsDocumented) {
  std::ifstream is(kRoot + "/docs/energy.md");
  std::stringstream doc;
  doc << is.rdbuf();
  for (const EnergyTableKey& k : energy_table_keys())
    EXPECT_NE(doc.str().find("`" + (k.section.empty() ? "" : k.section + ".") + k.key + "`"), std::string::npos)
        << k.key;
}

}  // namespace
}  // namespace neurochip::sim
