// The configuration schema (sim/config/schema.h) is the one declaration of every key: the key
// tables of configs/README.md are generated from it (a stale table fails here), and every mapping
// it describes rejects an unknown key with its position (generated over the whole schema, so a
// mapping that accepted unknown keys would fail).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "config/config_loader.h"
#include "config/schema.h"
#include "config/schema_doc.h"

namespace neurochip::sim {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::string kReadme = std::string(NEUROCHIP_REPO_ROOT) + "/configs/README.md";

TEST(Schema, ReadmeTablesAreTheGeneratedOnes) {
  const std::string readme = read_text(kReadme);
  ASSERT_FALSE(readme.empty());
  EXPECT_EQ(update_schema_regions(readme), readme)
      << "configs/README.md is stale: run `build/neurochip schema --update configs/README.md`";
}

TEST(Schema, EveryMappingHasItsTableInTheReadme) {
  const std::string readme = read_text(kReadme);
  for (const schema::Map* m : schema::all_maps()) {
    if (m->path.empty()) continue;  // the root (chip, workload) is described in prose
    EXPECT_NE(readme.find("<!-- schema: " + m->path + " -->"), std::string::npos) << m->path;
  }
}

/// A dotted instance path (lists at index 0) of every mapping of the schema, from the root down.
void instance_paths(const schema::Map& m, const std::string& at, std::map<const schema::Map*, std::string>& out) {
  if (out.count(&m)) return;
  out[&m] = at;
  for (const schema::Key& k : m.keys) {
    if (!k.map) continue;
    const std::string child = (at.empty() ? "" : at + ".") + k.name + (k.kind == schema::Kind::kList ? ".0" : "");
    instance_paths(*k.map, child, out);
  }
}

TEST(Schema, EveryMappingRejectsAnUnknownKeyAtItsPosition) {
  // A description with one item in every list and a Poisson input, so that every mapping of the
  // schema has an instance to put the unknown key into.
  const std::string base =
      "chip: {cores: [{name: c0}]}\n"
      "workload:\n"
      "  timesteps: 2\n"
      "  populations: [{name: i, kind: input, size: 1}, {name: n, kind: neuron, size: 1}]\n"
      "  projections: [{from: i, to: n, weight: 1}]\n"
      "  inputs: [{population: i, poisson: {rate_hz: 5}}]\n";
  ASSERT_NO_THROW(load_run_config_from_string(base, "base.yaml", "."));
  std::map<const schema::Map*, std::string> paths;
  instance_paths(schema::root(), "", paths);
  EXPECT_EQ(paths.size(), schema::all_maps().size());
  for (const auto& [map, path] : paths) {
    SCOPED_TRACE(map->path);
    const std::string key_path = (path.empty() ? "" : path + ".") + "zz_unknown";
    const std::string expected = "--set:1:" + std::to_string(key_path.size() - std::string("zz_unknown").size() + 1) +
                                 ": unknown key 'zz_unknown' (expected one of: ";
    std::vector<std::string> messages;
    try {
      load_run_config_from_string(base, "base.yaml", ".", {key_path + "=1"});
    } catch (const ConfigError& e) {
      for (const ConfigDiagnostic& d : e.diagnostics()) messages.push_back(d.str());
    }
    bool found = false;
    for (const std::string& m : messages) {
      if (m.rfind(expected, 0) != 0) continue;
      found = true;
      std::string keys;
      for (const std::string& k : map->key_names()) keys += (keys.empty() ? "" : ", ") + k;
      EXPECT_EQ(m.substr(expected.size(), keys.size()), keys);
    }
    EXPECT_TRUE(found) << "no unknown-key error for " << key_path << "; got " << testing::PrintToString(messages);
  }
}

TEST(Schema, JsonSchemaClosesEveryMappingAndListsEveryKey) {
  const std::string json = json_schema();
  EXPECT_NE(json.find("\"$schema\": \"http://json-schema.org/draft-07/schema#\""), std::string::npos);
  size_t closed = 0;
  for (size_t at = 0; (at = json.find("\"additionalProperties\": false", at)) != std::string::npos; ++at) ++closed;
  // One per mapping instance in the tree (clock and sram appear where they are used).
  EXPECT_GE(closed, schema::all_maps().size());
  for (const schema::Map* m : schema::all_maps())
    for (const std::string& k : m->key_names()) EXPECT_NE(json.find("\"" + k + "\": {"), std::string::npos) << k;
}

}  // namespace
}  // namespace neurochip::sim
