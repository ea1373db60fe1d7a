// Integer picosecond time and clock domains (SPEC.md §5.1): cycle <-> time conversions are exact
// for periods that do not divide each other, over 10^12 ps, and never go through floating point.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>

#include "common/time.h"

namespace neurochip {
namespace {

using hw::ClockDomain;
using hw::Ps;

/// Checks the defining properties of every conversion at time t.
void expect_exact_at(const ClockDomain& clk, uint64_t t) {
  const uint64_t p = clk.period_ps();
  const uint64_t k = clk.cycle_at(Ps(t));
  // Cycle k is [k * p, (k + 1) * p).
  ASSERT_LE(clk.edge(k).count(), t) << "period " << p << " t " << t;
  ASSERT_GT(clk.edge(k + 1).count(), t) << "period " << p << " t " << t;
  // The first edge at or after t.
  const uint64_t c = clk.cycle_at_or_after(Ps(t));
  ASSERT_GE(clk.edge(c).count(), t);
  if (c > 0) {
    ASSERT_LT(clk.edge(c - 1).count(), t);
  }
  ASSERT_EQ(clk.edge_at_or_after(Ps(t)), clk.edge(c));
  ASSERT_EQ(c, t % p == 0 ? k : k + 1);
}

TEST(ClockDomain, ConversionsAreExactOverATeraPicosecond) {
  // About 3 MHz, 7 ns, 1 ps, 100 MHz and a prime period: gcd(333333, 7000) = 7, so their edges meet
  // only every 333,333,000 ps.
  const uint64_t periods[] = {333333, 7000, 1, 10000, 999983};
  std::mt19937_64 rng(5);
  for (uint64_t p : periods) {
    const ClockDomain clk(p);
    for (uint64_t t : {uint64_t{0}, uint64_t{1}, p - 1, p, p + 1, uint64_t{1'000'000'000'000}})
      expect_exact_at(clk, t);
    for (int i = 0; i < 200000; ++i) expect_exact_at(clk, rng() % 1'000'000'000'001);
    // Duration of n cycles is n * p; the edge of cycle n is n * p after time 0.
    for (int i = 0; i < 1000; ++i) {
      const uint64_t n = rng() % (1'000'000'000'000 / p + 1);
      EXPECT_EQ(clk.duration(n).count(), n * p);
      EXPECT_EQ(clk.cycle_at(clk.edge(n)), n);
      EXPECT_EQ(clk.cycle_at_or_after(clk.edge(n)), n);
    }
  }
}

TEST(ClockDomain, DomainsWhosePeriodsDoNotDivideEachOtherMeetOnlyAtTheirLcm) {
  const ClockDomain a(333333), b(7000);
  uint64_t common = 0;
  for (uint64_t k = 0; a.edge(k).count() <= 1'000'000'000'000; ++k) {
    const Ps t = a.edge(k);
    if (b.edge(b.cycle_at(t)) == t) {
      EXPECT_EQ(t.count() % 333'333'000, 0u) << t.count();
      ++common;
    }
  }
  EXPECT_EQ(common, 1'000'000'000'000 / 333'333'000 + 1);  // including time 0
}

TEST(ClockDomain, NoFloatingPointInTheConversion) {
  // 2^50 + 3 cycles of 7 ns: the product 7,881,299,347,898,389,000 ps needs 63 bits, more than a
  // double's 53-bit mantissa, so computing it in double rounds to a different integer.
  const ClockDomain clk(7000);
  const uint64_t n = (uint64_t{1} << 50) + 3;
  const uint64_t exact = n * 7000;
  EXPECT_EQ(exact, 7'881'299'347'898'389'000ull);
  EXPECT_EQ(clk.edge(n).count(), exact);
  EXPECT_EQ(clk.cycle_at(Ps(exact)), n);
  EXPECT_EQ(clk.cycle_at(Ps(exact - 1)), n - 1);
  const auto through_double = static_cast<uint64_t>(static_cast<double>(n) * 7000.0);
  EXPECT_NE(through_double, exact);
}

}  // namespace
}  // namespace neurochip
