// The utilisation report of `neurochip check` (sim/check/utilisation.h) on configs/examples/tiny.yaml,
// every number derived by hand: I = 2, R = 3, O = 1, P = 2, LIF with a refractory counter (S = 24),
// the default timing (SYNC 3, c = 2, STEP tail 1, STEP_DONE 1, scan 1).
#include <gtest/gtest.h>

#include <string>

#include "check/utilisation.h"
#include "config/config_loader.h"

namespace neurochip::sim {
namespace {

const std::string kTiny = std::string(NEUROCHIP_REPO_ROOT) + "/configs/examples/tiny.yaml";

TEST(Utilisation, TinyChipsMemoriesAndWorstCaseCycles) {
  const std::string r = utilisation_report(load_run_config(kTiny));
  // 2 of 2 neuron words; 2 x 24 = 48 of 128 bits per word.
  EXPECT_NE(r.find("neuron_sram: words 2 / 2 (100.0 %), bits per word 48 / 128 (37.5 %)"), std::string::npos) << r;
  // Synapses: 3 of the 2 x 3 input slots, 2 of 3 x 3 recurrent, 3 of 3 x 1 output.
  EXPECT_NE(r.find("input_weight_sram: words holding an enabled slot 2 / 2 (100.0 %), synapses stored 3 / 6"),
            std::string::npos) << r;
  EXPECT_NE(r.find("recurrent_weight_sram: words holding an enabled slot 3 / 4 (75.0 %), synapses stored 2 / 9"),
            std::string::npos) << r;
  EXPECT_NE(r.find("synapses stored 3 / 3 (100.0 %)"), std::string::npos) << r;
  // No active index: SYNC 3 + STEP max(2 words x 2, I, O) = 4 + tail 1 + STEP_DONE 1 + PROP scan 3 = 12;
  // every index active: + 3 indices x 4 sweep cycles = 24.
  EXPECT_NE(r.find("cycles per timestep: no active index 12, every index active 24; worst 24"), std::string::npos) << r;
  EXPECT_EQ(r.find("fixed timestep"), std::string::npos);  // free-running: nothing to overrun
  const auto fixed = [](uint64_t cycles) {
    return utilisation_report(load_run_config(
        kTiny, {"chip.timestep.policy=fixed", "chip.timestep.cycles_per_timestep=" + std::to_string(cycles)}));
  };
  // At 100 MHz (10,000 ps per cycle): 24 cycles fit a 24-cycle period, not a 23-cycle one.
  EXPECT_NE(fixed(24).find("fixed timestep of 240000 ps: the worst case takes 240000 ps (100.0 %), cannot overrun"),
            std::string::npos);
  EXPECT_NE(fixed(23).find("fixed timestep of 230000 ps: the worst case takes 240000 ps (104.3 %), CAN OVERRUN"),
            std::string::npos);
  for (size_t at = 0; at < r.size(); at = r.find('\n', at) + 1) EXPECT_EQ(r.compare(at, 2, "# "), 0);
}

}  // namespace
}  // namespace neurochip::sim
