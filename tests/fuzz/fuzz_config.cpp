// libFuzzer target: the whole configuration loader, bytes -> load_run_config_from_string().
// Relative file paths resolve against tests/data/good, so the seed configs there load fully.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string yaml(reinterpret_cast<const char*>(data), size);
  neurochip::sim::fuzz::load_and_check(
      [&] { return neurochip::sim::load_run_config_from_string(yaml, "fuzz.yaml", NEUROCHIP_FUZZ_DATA_DIR); });
  return 0;
}
