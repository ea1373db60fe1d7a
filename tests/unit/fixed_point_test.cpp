// Unit tests of the fixed-point primitives (hw_model/common/fixed_point.h) against SPEC.md §2:
// saturation (§2.1), sign extension and weight shifts (§2.2), floor-rounding leaks (§2.3, §2.5)
// and the ALIF adaptation arithmetic (§2.4). Every expected value is derived by hand in a comment.
#include <gtest/gtest.h>

#include <cstdint>

#include "common/fixed_point.h"

namespace fxp = neurochip::hw::fxp;

TEST(FixedPoint, Sat16ClampsAtBothEnds) {
  EXPECT_EQ(fxp::sat16(32767), 32767);       // largest value passes
  EXPECT_EQ(fxp::sat16(32768), 32767);       // one above clamps to kPotentialMax
  EXPECT_EQ(fxp::sat16(int64_t{1} << 40), 32767);
  EXPECT_EQ(fxp::sat16(-32768), -32768);     // smallest value passes
  EXPECT_EQ(fxp::sat16(-32769), -32768);     // one below clamps to kPotentialMin
  EXPECT_EQ(fxp::sat16(-(int64_t{1} << 40)), -32768);
  EXPECT_EQ(fxp::sat16(-5), -5);
}

TEST(FixedPoint, SatAdd16SaturatesInsteadOfWrapping) {
  EXPECT_EQ(fxp::sat_add16(32767, 1), 32767);        // would wrap to -32768 in int16
  EXPECT_EQ(fxp::sat_add16(-32768, -1), -32768);     // would wrap to 32767 in int16
  EXPECT_EQ(fxp::sat_add16(30000, 16256), 32767);    // 46256 > 32767
  EXPECT_EQ(fxp::sat_add16(100, -200), -100);
}

TEST(FixedPoint, ShiftRightFloorRoundsTowardMinusInfinity) {
  EXPECT_EQ(fxp::shift_right_floor(5, 2), 1);    // floor(1.25) = 1
  EXPECT_EQ(fxp::shift_right_floor(-5, 2), -2);  // floor(-1.25) = -2 (truncation would give -1)
  EXPECT_EQ(fxp::shift_right_floor(-4, 2), -1);  // exact
  EXPECT_EQ(fxp::shift_right_floor(-1, 1), -1);  // floor(-0.5) = -1
  EXPECT_EQ(fxp::shift_right_floor(0, 3), 0);
}

TEST(FixedPoint, SignExtend2Bits) {
  EXPECT_EQ(fxp::sign_extend(0b00, 2), 0);
  EXPECT_EQ(fxp::sign_extend(0b01, 2), 1);    // largest: 2^1 - 1
  EXPECT_EQ(fxp::sign_extend(0b10, 2), -2);   // smallest: -2^1
  EXPECT_EQ(fxp::sign_extend(0b11, 2), -1);
  EXPECT_EQ(fxp::sign_extend(0b110, 2), -2);  // bits above the field are ignored: low bits 10
}

TEST(FixedPoint, SignExtend4Bits) {
  EXPECT_EQ(fxp::sign_extend(0x7, 4), 7);     // largest: 2^3 - 1
  EXPECT_EQ(fxp::sign_extend(0x8, 4), -8);    // smallest: -2^3
  EXPECT_EQ(fxp::sign_extend(0xF, 4), -1);
  EXPECT_EQ(fxp::sign_extend(0xF3, 4), 3);    // low nibble 0011
  EXPECT_EQ(fxp::sign_extend(0x0D, 4), -3);   // 1101 = 13 - 16
}

TEST(FixedPoint, SignExtend8Bits) {
  EXPECT_EQ(fxp::sign_extend(0x7F, 8), 127);
  EXPECT_EQ(fxp::sign_extend(0x80, 8), -128);
  EXPECT_EQ(fxp::sign_extend(0xFF, 8), -1);
  EXPECT_EQ(fxp::sign_extend(0x1FE, 8), -2);  // low byte 0xFE = 254 - 256
}

TEST(FixedPoint, WeightContributionIsExactLeftShift) {
  EXPECT_EQ(fxp::weight_contribution(-128, 7), -16384);  // -128 * 128: the §2.2 bound
  EXPECT_EQ(fxp::weight_contribution(127, 7), 16256);    // 127 * 128
  EXPECT_EQ(fxp::weight_contribution(-3, 3), -24);
  EXPECT_EQ(fxp::weight_contribution(5, 0), 5);
}

TEST(FixedPoint, MembraneLeakFloorsNegativeValues) {
  // leak(u) = floor(u * alpha / 2^15), SPEC §2.3.
  EXPECT_EQ(fxp::leak_alpha(-1, 0x7FEF), -1);        // -32751 / 32768 = -0.9995 -> -1
  EXPECT_EQ(fxp::leak_alpha(-1, 1), -1);             // -1/32768 -> -1 for every alpha >= 1
  EXPECT_EQ(fxp::leak_alpha(-3, 0x4000), -2);        // -3 * 0.5 = -1.5 -> -2
  EXPECT_EQ(fxp::leak_alpha(3, 0x4000), 1);          // 3 * 0.5 = 1.5 -> 1
  EXPECT_EQ(fxp::leak_alpha(-32768, 0x8000), -32768);// alpha = 1.0 is the identity
  EXPECT_EQ(fxp::leak_alpha(32767, 0x8000), 32767);
  EXPECT_EQ(fxp::leak_alpha(1000, 0x7FEF), 999);     // 32751000 / 32768 = 999.48 -> 999
  EXPECT_EQ(fxp::leak_alpha(-1000, 0x7FEF), -1000);  // -999.48 -> -1000
  EXPECT_EQ(fxp::leak_alpha(12345, 0), 0);           // alpha = 0 clears
}

TEST(FixedPoint, KappaLeakOfReadouts) {
  // v <- floor(v * kappa / 2^7), SPEC §2.5; 0x79 = 121 is the default kappa.
  EXPECT_EQ(fxp::leak_kappa(100, 0x79), 94);      // 12100 / 128 = 94.53 -> 94
  EXPECT_EQ(fxp::leak_kappa(-100, 0x79), -95);    // -94.53 -> -95
  EXPECT_EQ(fxp::leak_kappa(-1, 0x79), -1);       // -121/128 -> -1
  EXPECT_EQ(fxp::leak_kappa(25, 0x40), 12);       // 25 * 0.5 = 12.5 -> 12
  EXPECT_EQ(fxp::leak_kappa(-5, 0x40), -3);       // -2.5 -> -3
  EXPECT_EQ(fxp::leak_kappa(-32768, 0x80), -32768);  // kappa = 1.0 is the identity
  EXPECT_EQ(fxp::leak_kappa(32767, 0), 0);
}

TEST(FixedPoint, AdaptationDecayAndSaturatingIncrement) {
  // a' = floor(a * rho / 2^15), SPEC §2.4 step 5.
  EXPECT_EQ(fxp::decay_adaptation(1000, 0x4000), 500);
  EXPECT_EQ(fxp::decay_adaptation(125, 0x4000), 62);      // 62.5 -> 62
  EXPECT_EQ(fxp::decay_adaptation(65535, 0x8000), 65535); // rho = 1.0 keeps the full 16-bit range
  // 65535 * 32751 = 2146336785 = 65501 * 32768 + 17 -> 65501
  EXPECT_EQ(fxp::decay_adaptation(65535, 0x7FEF), 65501);
  // a' = min(a' + increment, 65535)
  EXPECT_EQ(fxp::add_adaptation(100, 50), 150);
  EXPECT_EQ(fxp::add_adaptation(65000, 535), 65535);      // exactly the maximum
  EXPECT_EQ(fxp::add_adaptation(65535, 1), 65535);        // 65536 clamps
  EXPECT_EQ(fxp::add_adaptation(65000, 1000), 65535);     // 66000 clamps
  EXPECT_EQ(fxp::add_adaptation(65535, 65535), 65535);
}

TEST(FixedPoint, StochasticRoundingAddsOneWhenTheFractionReachesTheDraw) {
  // u = 1000, alpha = 0x7FEF: p = 32751000 = 999 * 32768 + 15768 -> floor 999, fraction 15768.
  EXPECT_EQ(fxp::leak_alpha_stochastic(1000, 0x7FEF, 15768), 1000);  // fraction >= draw: +1
  EXPECT_EQ(fxp::leak_alpha_stochastic(1000, 0x7FEF, 15769), 999);   // fraction < draw
  EXPECT_EQ(fxp::leak_alpha_stochastic(1000, 0x7FEF, 0), 1000);
  // Negative: u = -1 -> p = -32751 = -1 * 32768 + 17 -> floor -1, fraction 17 (two's complement
  // bits [14:0]); the floor is non-zero, so it may round up to 0.
  EXPECT_EQ(fxp::leak_alpha_stochastic(-1, 0x7FEF, 17), 0);
  EXPECT_EQ(fxp::leak_alpha_stochastic(-1, 0x7FEF, 18), -1);
  // Guard: u = 1 -> p = 32751 -> floor 0: stays 0 whatever the draw.
  EXPECT_EQ(fxp::leak_alpha_stochastic(1, 0x7FEF, 0), 0);
  EXPECT_EQ(fxp::leak_alpha_stochastic(0, 0x7FEF, 0), 0);
  // Readout, 1.7: v = 100, kappa = 0x79 = 121: p = 12100 = 94 * 128 + 68 -> 94 or 95.
  EXPECT_EQ(fxp::leak_kappa_stochastic(100, 0x79, 68), 95);
  EXPECT_EQ(fxp::leak_kappa_stochastic(100, 0x79, 69), 94);
  // v = -100: p = -12100 = -95 * 128 + 60 -> -95, or -94 with a draw <= 60.
  EXPECT_EQ(fxp::leak_kappa_stochastic(-100, 0x79, 60), -94);
  EXPECT_EQ(fxp::leak_kappa_stochastic(-100, 0x79, 61), -95);
  // The largest positive potential cannot overflow: 32767 * 0x7FFF / 2^15 floors to 32766.
  EXPECT_EQ(fxp::leak_alpha_stochastic(32767, 0x7FFF, 0), 32767);
}

TEST(FixedPoint, LeakAboveOneWrapsAtSixteenBits) {
  // alpha = 0x8FFF (1.1249...): 30000 * 36863 = 1,105,890,000; / 2^15 = 33749.08 -> floor 33749,
  // which as 16 bits is 33749 - 65536 = -31787 (ReckOn keeps bits [30:15] of the product).
  EXPECT_EQ(fxp::leak_alpha(30000, 0x8FFF), -31787);
  EXPECT_EQ(fxp::leak_alpha(1000, 0x8FFF), 1124);      // 36,863,000 / 32768 = 1124.97 -> 1124
  EXPECT_EQ(fxp::leak_alpha(-1000, 0x8FFF), -1125);    // floor(-1124.97)
  // With stochastic rounding the +1 wraps too: 32767 * 0x8001 = 1,073,741,823 = 32767 * 2^15 + 32767,
  // floor 32767 (no wrap yet), and a draw <= 32767 rounds it up to 32768, which wraps to -32768.
  EXPECT_EQ(fxp::leak_alpha(32767, 0x8001), 32767);
  EXPECT_EQ(fxp::leak_alpha_stochastic(32767, 0x8001, 32767), -32768);
  // 1000 * 0x8FFF = 36,863,000 = 1124 * 2^15 + 31768: rounds up for a draw <= 31768.
  EXPECT_EQ(fxp::leak_alpha_stochastic(1000, 0x8FFF, 31768), 1125);
  EXPECT_EQ(fxp::leak_alpha_stochastic(1000, 0x8FFF, 31769), 1124);
}
