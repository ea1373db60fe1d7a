// libFuzzer target: the "--set" override parser. The input is up to four overrides separated by
// NUL bytes (an override may span lines), applied with apply_override() to a small fixed document,
// then loaded through the whole loader so that the decoder sees the overridden values.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/yaml_reader.h"
#include "fuzz_checks.h"

namespace {

const char* const kDocument =
    "chip:\n"
    "  name: fuzz\n"
    "  timestep: {policy: fixed, cycles_per_timestep: 500}\n"
    "  cores:\n"
    "    - name: core0\n"
    "      neuron: {model: alif, threshold: 100, leak_tau_ms: 20, adaptation_increment: 3}\n"
    "      readout: {kappa: 0x40}\n"
    "      weights: {bits: 4}\n"
    "      memory: {max_inputs: 4, max_neurons: 4, max_readouts: 2}\n"
    "workload:\n"
    "  timesteps: 8\n"
    "  seed: 3\n"
    "  populations:\n"
    "    - {name: in, kind: input, size: 2}\n"
    "    - {name: hid, kind: neuron, size: 3}\n"
    "    - {name: out, kind: readout, size: 1}\n"
    "  projections:\n"
    "    - {from: in, to: hid, connectivity: list, synapses: [[0, 0, 5], [1, 2, -3]]}\n"
    "    - {from: hid, to: hid, connectivity: random, probability: 0.5, weight_uniform: [-2, 2]}\n"
    "    - {from: hid, to: out, connectivity: dense, weight: 1}\n"
    "  inputs:\n"
    "    - {population: in, poisson: {rate_hz: 100, seed: 9}}\n";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace neurochip::sim;
  const std::string input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> overrides;
  for (size_t start = 0; overrides.size() < 4;) {
    const size_t nul = input.find('\0', start);
    overrides.push_back(input.substr(start, nul == std::string::npos ? std::string::npos : nul - start));
    if (nul == std::string::npos) break;
    start = nul + 1;
  }

  std::vector<ConfigDiagnostic> diags;
  std::optional<YamlNode> root = parse_yaml_document(kDocument, "fuzz.yaml", diags);
  if (!root || !diags.empty()) fuzz::finding("the fixed document does not parse");
  for (size_t i = 0; i < overrides.size(); ++i) {
    const size_t before = diags.size();
    apply_override(*root, overrides[i], static_cast<int>(i) + 1, diags);
    for (size_t k = before; k < diags.size(); ++k) {
      if (diags[k].file != "--set" || diags[k].line != static_cast<int>(i) + 1) {
        fuzz::finding("override " + std::to_string(i + 1) + " reported at " + diags[k].str());
      }
    }
  }
  fuzz::check_diagnostics(diags);

  fuzz::load_and_check([&] { return load_run_config_from_string(kDocument, "fuzz.yaml", "/", overrides); });
  return 0;
}
