// `chip.cores: {count, template}` (configs/README.md `chip`): N copies of one core named
// <name>0 … <name>N−1, the same run as the list written out, `count` overridable and sweepable,
// and positioned errors for a bad generator.
#include <gtest/gtest.h>

#include "config/config_loader.h"
#include "config/yaml_reader.h"

namespace neurochip::sim {
namespace {

const std::string kWorkload = R"(workload:
  timesteps: 5
  populations:
    - {name: in, kind: input, size: 2, core: core1}
    - {name: exc, kind: neuron, size: 3, core: core1}
  projections:
    - {from: in, to: exc, connectivity: dense, weight: 20}
)";

const std::string kGenerated = R"(chip:
  cores:
    count: 3
    template:
      name: core
      neuron: {threshold: 40}
)" + kWorkload;

std::string first_error(const std::string& yaml, const std::vector<std::string>& overrides = {}) {
  try {
    load_run_config_from_string(yaml, "gen.yaml", "/", overrides);
  } catch (const ConfigError& e) {
    return e.diagnostics().front().str();
  }
  return "";
}

TEST(CoreGenerator, MakesNamedCopiesThatRunAsTheWrittenOutList) {
  const RunConfig rc = load_run_config_from_string(kGenerated, "gen.yaml", "/");
  ASSERT_EQ(rc.chip.cores.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(rc.chip.cores[i].name, "core" + std::to_string(i));
    EXPECT_EQ(rc.chip.cores[i].neuron.get("threshold"), 40u);
  }
  EXPECT_EQ(rc.chip.cores[1].enabled.neurons, 3u);
  EXPECT_EQ(rc.chip.cores[0].enabled.neurons, 0u);
  const std::string written = R"(chip:
  cores:
    - {name: core0, neuron: {threshold: 40}}
    - {name: core1, neuron: {threshold: 40}}
    - {name: core2, neuron: {threshold: 40}}
)" + kWorkload;
  EXPECT_EQ(emit_resolved_config(rc), emit_resolved_config(load_run_config_from_string(written, "list.yaml", "/")));
  EXPECT_EQ(load_run_config_from_string(kGenerated, "gen.yaml", "/", {"chip.cores.count=5"}).chip.cores.size(), 5u);
  EXPECT_EQ(load_run_config_from_string(kGenerated, "gen.yaml", "/", {"chip.cores.template.neuron.threshold=7"})
                .chip.cores[2]
                .neuron.get("threshold"),
            7u);
}

TEST(CoreGenerator, BadGeneratorsGetPositionedErrors) {
  EXPECT_EQ(first_error(kGenerated, {"chip.cores.count=0"}), "--set:1:18: expected an integer in 1..4096, got '0'");
  // Too few cores for the workload's core1.
  EXPECT_NE(first_error(kGenerated, {"chip.cores.count=1"}).find("core1"), std::string::npos);
  std::string no_name = kGenerated;
  no_name.replace(no_name.find("      name: core\n"), 17, "");
  EXPECT_EQ(first_error(no_name),
            "gen.yaml:5:7: missing required key 'name' (the generated cores are named <name>0, <name>1, ...)");
  EXPECT_EQ(first_error("chip:\n  cores: {count: 2, template: [1]}\n" + kWorkload),
            "gen.yaml:2:31: expected a mapping (one core), got a list");
  EXPECT_EQ(first_error("chip:\n  cores: {count: 2, templat: {name: c}}\n" + kWorkload),
            "gen.yaml:2:10: missing required key 'template' (the core every generated core copies)");
}

TEST(CoreGenerator, CountAndTemplateKeysAreSweepable) {
  const auto check = [](const std::string& path, const std::string& value) {
    std::vector<ConfigDiagnostic> diags;
    YamlNode v;
    v.kind = YamlNode::Kind::kScalar;
    v.scalar = value;
    v.loc = {"sweep.yaml", 4, 9};
    check_override_value(path, {"sweep.yaml", 3, 9}, v, diags);
    return diags.empty() ? std::string() : diags.front().str();
  };
  EXPECT_EQ(check("chip.cores.count", "16"), "");
  EXPECT_EQ(check("chip.cores.count", "0"), "sweep.yaml:4:9: expected an integer in 1..4096, got '0'");
  EXPECT_EQ(check("chip.cores.template.neuron.threshold", "12"), "");
  EXPECT_EQ(check("chip.cores.template.neuron.threshold", "99999"),
            "sweep.yaml:4:9: expected an integer in -32768..32767, got '99999'");
}

}  // namespace
}  // namespace neurochip::sim
