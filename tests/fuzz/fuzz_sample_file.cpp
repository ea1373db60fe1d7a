// libFuzzer target: the sample dataset readers (sim/io/sample_file.h), bytes -> parse_sample_csv()
// (16 channels, samples of 100 timesteps) and parse_reckon_dataset() (16 channels). Every accepted
// event must be in range and ordered within its sample, every problem positioned in the file, and a
// file given up once 20 problems were found.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "fuzz_checks.h"
#include "io/sample_file.h"

namespace {

void check(const neurochip::sim::SampleReadResult& r, uint64_t timesteps, uint32_t channels, bool reckon) {
  using namespace neurochip::sim;
  if (!r.opened) fuzz::finding("a stream was not read");
  if (r.errors.size() > 21) fuzz::finding(std::to_string(r.errors.size()) + " errors reported for one file");
  for (const ConfigDiagnostic& d : r.errors)
    if (d.file != "fuzz.csv" || d.line < 1 || d.col < 1) fuzz::finding("badly placed error " + d.str());
  fuzz::check_diagnostics(r.errors);
  if (!r.errors.empty()) return;
  for (const SampleData& s : r.samples) {
    uint64_t previous = 0;
    for (const auto& [t, ch] : s.events) {
      if (ch >= channels || t < previous || (!reckon && t >= timesteps) || (reckon && t >= s.length))
        fuzz::finding("accepted event " + std::to_string(t) + "," + std::to_string(ch));
      previous = t;
    }
    if (reckon && s.length < 2) fuzz::finding("accepted a sample of length " + std::to_string(s.length));
    if (reckon && (s.target < -1 || s.target > 15)) fuzz::finding("accepted label " + std::to_string(s.target));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace neurochip::sim;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    std::istringstream a(text);
    check(parse_sample_csv(a, "fuzz.csv", 16, 100), 100, 16, false);
    std::istringstream b(text);
    check(parse_reckon_dataset(b, "fuzz.csv", 16), 0, 16, true);
  } catch (const std::exception& e) {
    fuzz::finding(std::string("unexpected exception: ") + e.what());
  }
  return 0;
}
