// libFuzzer target: the input-trace CSV reader, bytes -> parse_input_trace() for a population of
// 16 channels in a run of 100 timesteps. Every accepted event must be in range and in order, every
// problem positioned in the file, and the file given up once 20 problems were found.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "fuzz_checks.h"
#include "io/input_trace.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace neurochip::sim;
  constexpr uint64_t kTimesteps = 100;
  constexpr uint32_t kChannels = 16;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    const InputTraceReadResult r = parse_input_trace(in, "fuzz.csv", kTimesteps, kChannels);
    if (!r.opened) fuzz::finding("a stream was not read");
    // The reader stops at the first line after 20 errors; the line before may have added 3 (timestep,
    // index and offset), and the stop adds one.
    if (r.errors.size() > 23) fuzz::finding(std::to_string(r.errors.size()) + " errors reported for one file");
    for (const ConfigDiagnostic& d : r.errors) {
      if (d.file != "fuzz.csv" || d.line < 1 || d.col < 1) fuzz::finding("badly placed error " + d.str());
    }
    fuzz::check_diagnostics(r.errors);
    uint64_t previous = 0;
    for (const TraceEvent& e : r.events) {
      if (e.timestep >= kTimesteps || e.index >= kChannels || e.timestep < previous) {
        fuzz::finding("accepted event " + std::to_string(e.timestep) + "," + std::to_string(e.index));
      }
      previous = e.timestep;
    }
  } catch (const ConfigError& e) {
    fuzz::check_config_error(e);
  } catch (const std::exception& e) {
    fuzz::finding(std::string("unexpected exception: ") + e.what());
  }
  return 0;
}
