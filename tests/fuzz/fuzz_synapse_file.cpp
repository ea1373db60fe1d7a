// libFuzzer target: the synapse-file CSV reader, bytes -> parse_synapse_file() for a projection of
// 4 inputs onto 8 neurons of a core with 4-bit weights. Every accepted synapse must be in range,
// every problem positioned in the file, and the file given up once 20 problems were found.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "config/network_builder.h"
#include "fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace neurochip::sim;
  neurochip::hw::CoreConfig core;
  core.name = "core0";
  core.weights.bits = 4;
  Population from;
  from.name = "in";
  from.kind = PopulationKind::kInput;
  from.size = 4;
  Population to;
  to.name = "hid";
  to.kind = PopulationKind::kNeuron;
  to.size = 8;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    std::vector<SynapseEntry> synapses;
    std::vector<ConfigDiagnostic> diags;
    parse_synapse_file(in, "fuzz.csv", from, to, core, synapses, diags);
    // The reader stops at the first line after 20 errors; the line before may have added 3.
    if (diags.size() > 23) fuzz::finding(std::to_string(diags.size()) + " errors reported for one file");
    for (const ConfigDiagnostic& d : diags) {
      if (d.file != "fuzz.csv" || d.line < 1 || d.col < 1) fuzz::finding("badly placed error " + d.str());
    }
    fuzz::check_diagnostics(diags);
    for (const SynapseEntry& s : synapses) {
      if (s.pre < 0 || s.pre >= 4 || s.post < 0 || s.post >= 8 || s.weight < -8 || s.weight > 7 || s.loc.line < 1) {
        fuzz::finding("accepted synapse " + std::to_string(s.pre) + "," + std::to_string(s.post) + "," +
                      std::to_string(s.weight));
      }
    }
  } catch (const ConfigError& e) {
    fuzz::check_config_error(e);
  } catch (const std::exception& e) {
    fuzz::finding(std::string("unexpected exception: ") + e.what());
  }
  return 0;
}
