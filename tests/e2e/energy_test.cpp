// End-to-end tests of the energy and area model (docs/energy.md) through the neurochip binary:
// both fidelities write the same energy, power, area and NeuroBench stats for every shipped table
// and for a run that learns; a bad energy table is a configuration error (exit 2) at its position
// in the table file; `neurochip check` reports the area.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "support/e2e_run.h"

namespace {

namespace fs = std::filesystem;

using neurochip::test::Outcome;

Outcome run(const std::string& args) { return neurochip::test::run_neurochip(args); }

nlohmann::json stats_of(const fs::path& dir) {
  std::ifstream is(dir / "stats.json");
  return nlohmann::json::parse(is);
}

/// The stats the model writes (energy, area, NeuroBench), by name.
std::map<std::string, nlohmann::json> modelled(const nlohmann::json& stats) {
  std::map<std::string, nlohmann::json> out;
  for (const auto& s : stats["stats"]) {
    const std::string name = s["name"];
    if (name.rfind("stats.energy.", 0) == 0 || name.rfind("stats.area.", 0) == 0 ||
        name.rfind("stats.neurobench.", 0) == 0)
      out.emplace(name, s);
  }
  return out;
}

fs::path fresh_dir(const std::string& name) { return neurochip::test::fresh_dir("energy_" + name); }

const std::string kRoot = NEUROCHIP_REPO_ROOT;
const std::string kTiny = kRoot + "/configs/examples/tiny.yaml";

TEST(Energy, BothFidelitiesGiveTheSameEnergyWithEveryTable) {
  struct Case {
    std::string config, args;
  };
  std::vector<Case> cases;
  for (const char* table : {"reckon_28nm", "odin_28nm", "loihi_14nm"})
    cases.push_back({kTiny, "--set chip.energy.table=" + kRoot + "/configs/energy/" + table + ".yaml"});
  // A run that learns (weight words written by the e-prop engine), with its own table.
  cases.push_back({kRoot + "/configs/examples/reckon_cue_train.yaml", "--set workload.samples.count=1"});
  for (const Case& c : cases) {
    SCOPED_TRACE(c.config + " " + c.args);
    const fs::path a = fresh_dir("cycle"), b = fresh_dir("functional");
    ASSERT_EQ(run("run " + c.config + " " + c.args + " -q --out " + a.string()).exit_code, 0);
    ASSERT_EQ(run("run " + c.config + " " + c.args + " -q --fidelity functional --out " + b.string()).exit_code, 0);
    const auto ma = modelled(stats_of(a)), mb = modelled(stats_of(b));
    EXPECT_EQ(ma, mb);
    ASSERT_TRUE(ma.count("stats.energy.total"));
    EXPECT_GT(ma.at("stats.energy.total")["value"].get<double>(), 0.0);
    for (const auto& [name, s] : ma) {
      EXPECT_FALSE(s["unit"].get<std::string>().empty()) << name;
      EXPECT_FALSE(s["description"].get<std::string>().empty()) << name;
    }
    fs::remove_all(a);
    fs::remove_all(b);
  }
}

TEST(Energy, TheResolvedConfigNamesTheTableAndReproducesTheEnergy) {
  const fs::path a = fresh_dir("first"), b = fresh_dir("again");
  ASSERT_EQ(run("run " + kRoot + "/configs/chips/reckon.yaml --set workload.timesteps=20 -q --out " + a.string()).exit_code, 0);
  std::ifstream is(a / "resolved_config.yaml");
  std::stringstream resolved;
  resolved << is.rdbuf();
  // Written relative to the run directory, as every path of a resolved configuration.
  const std::string table = fs::path(kRoot + "/configs/energy/reckon_28nm.yaml").lexically_relative(a).string();
  EXPECT_NE(resolved.str().find("energy: {table: " + table + "}"), std::string::npos) << resolved.str();
  ASSERT_EQ(run("run " + (a / "resolved_config.yaml").string() + " -q --out " + b.string()).exit_code, 0);
  EXPECT_EQ(modelled(stats_of(a)), modelled(stats_of(b)));
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(Energy, BadTableExitsTwoWithItsPosition) {
  const std::string table = std::string(NEUROCHIP_TEST_DATA) + "/energy/missing_source.yaml";
  const fs::path out = fresh_dir("bad");
  const Outcome o = run("run " + kTiny + " --set chip.energy.table=" + table + " --out " + out.string());
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.output.find(table + ":16:17: missing required key 'source'"), std::string::npos) << o.output;
  EXPECT_FALSE(fs::exists(out / "stats.json"));
  fs::remove_all(out);
}

TEST(Energy, CheckPrintsTheArea) {
  const Outcome o = run("check " + kRoot + "/configs/chips/reckon.yaml");
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("# chip area (table reckon_28nm, docs/energy.md): SRAM 0.1926 mm2 + logic 0.2570 mm2 = "
                          "0.4496 mm2"),
            std::string::npos)
      << o.output;
}

}  // namespace
