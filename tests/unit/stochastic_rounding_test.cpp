// Unit tests of the stochastic-rounding unit (hw_model/core/stochastic_rounding.h, SPEC.md §2.3,
// §2.8): unbiasedness over the LFSR's draws, the lane/word order of the draws, and the seeds.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "common/fixed_point.h"
#include "core/stochastic_rounding.h"

namespace {

using namespace neurochip::hw;

TEST(StochasticRounding, MembraneDrawsOverOnePeriodRoundUpExactlyFractionTimes) {
  // The 15-bit outputs of the membrane LFSR over one period (32767 advances; gcd(15, 32767) = 1)
  // are every non-zero 15-bit value once, so a fraction f rounds up for exactly f of the draws:
  // the mean of the rounded leak is floor + f / 32767.
  RoundingConfig cfg;
  cfg.mode = RoundingMode::kStochastic;
  StochasticRounding sr(cfg, 1);
  std::vector<uint16_t> draws(32767);
  sr.membrane_draws(32767, draws.data());
  std::vector<bool> seen(1u << 15, false);
  for (uint16_t d : draws) {
    ASSERT_FALSE(seen[d]);
    seen[d] = true;
  }
  EXPECT_FALSE(seen[0]);
  // u = 1000, alpha = 0x7FEF: p = 32751000 = 999 * 32768 + 15768 -> floor 999, fraction 15768.
  uint64_t up = 0;
  for (uint16_t d : draws) up += fxp::leak_alpha_stochastic(1000, 0x7FEF, d) - 999;
  EXPECT_EQ(up, 15768u);
}

TEST(StochasticRounding, ReadoutDrawsAreUnbiased) {
  // 7-bit draws: over 100,000 draws the mean of round(v * kappa / 128) is within 0.02 of the exact
  // quotient 12100 / 128 = 94.53125. The comparison fraction >= draw rounds up for f + 1 of the 128
  // values a draw can take, so the expected mean is 94 + 69/128 = 94.5390625, a bias of 1/128;
  // a draw stuck at 0 would give 95, a draw stuck at 127 gives 94.
  RoundingConfig cfg;
  StochasticRounding sr(cfg, 1);
  double sum = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) sum += fxp::leak_kappa_stochastic(100, 0x79, sr.readout_draw());
  EXPECT_NEAR(sum / n, 94.53125, 0.02);
}

TEST(StochasticRounding, DrawsAreOrderedByWordThenLane) {
  RoundingConfig cfg;
  cfg.membrane_seed = (uint64_t{0x7E7F} << 15) | 0x73F3;  // ReckOn's demo seeds
  StochasticRounding sr(cfg, 2);
  StreamLfsr lane0(reckon_membrane_lfsr(), 0x73F3), lane1(reckon_membrane_lfsr(), 0x7E7F);
  std::vector<uint16_t> draws(6);
  sr.membrane_draws(3, draws.data());
  for (int w = 0; w < 3; ++w) {
    EXPECT_EQ(draws[2 * w], lane0.advance()) << w;
    EXPECT_EQ(draws[2 * w + 1], lane1.advance()) << w;
  }
  EXPECT_EQ(membrane_lane_seed(cfg.membrane_seed, 0), 0x73F3u);
  EXPECT_EQ(membrane_lane_seed(cfg.membrane_seed, 1), 0x7E7Fu);
  EXPECT_THROW(StochasticRounding(cfg, 5), std::invalid_argument);
}

}  // namespace
