// The timestep scheduler's decisions (SPEC.md §5.2) on hand-built cases of every policy. The same
// object drives both backends; tests/block/chip_time_test.cpp runs both on chips built for these
// decisions.
#include <gtest/gtest.h>

#include "chip/timestep_scheduler.h"

namespace neurochip {
namespace {

using hw::ClockDomain;
using hw::Ps;
using hw::TimestepConfig;
using hw::TimestepPolicy;
using hw::TimestepScheduler;
using hw::OverrunAction;

TimestepConfig fixed(uint64_t cycles, OverrunAction action) {
  TimestepConfig c;
  c.policy = TimestepPolicy::kFixed;
  c.cycles_per_timestep = cycles;
  c.on_overrun = action;
  return c;
}

TEST(TimestepScheduler, FreeRunningTicksAtTheFirstChipEdgeAfterTheWork) {
  TimestepScheduler s(TimestepConfig{}, ClockDomain(10));
  EXPECT_EQ(s.tick(), Ps(0));
  EXPECT_EQ(s.timestep(), 0u);
  // Work ends on a chip edge: the next tick is there.
  auto d = s.finish(Ps(80));
  EXPECT_FALSE(d.overrun);
  EXPECT_FALSE(d.halt);
  EXPECT_EQ(d.next_tick, Ps(80));
  EXPECT_EQ(s.tick(), Ps(80));
  EXPECT_EQ(s.timestep(), 1u);
  // A core of another clock ends at 123 ps: the tick waits for the chip edge at 130.
  d = s.finish(Ps(123));
  EXPECT_EQ(d.next_tick, Ps(130));
  EXPECT_EQ(s.end(), Ps(130));
  EXPECT_EQ(s.end_cycle(), 13u);
  EXPECT_EQ(s.overruns(), 0u);
}

TEST(TimestepScheduler, FixedPeriodTicksEveryPeriodWhenTheWorkFits) {
  TimestepScheduler s(fixed(5, OverrunAction::kHalt), ClockDomain(10));  // period 50 ps
  EXPECT_EQ(s.finish(Ps(20)).next_tick, Ps(50));
  // Work ending exactly at the next tick is not an overrun.
  const auto d = s.finish(Ps(100));
  EXPECT_FALSE(d.overrun);
  EXPECT_EQ(d.next_tick, Ps(100));
  // Off-edge work that rounds up to the next tick still fits.
  EXPECT_EQ(s.finish(Ps(141)).next_tick, Ps(150));
  EXPECT_FALSE(s.halted());
  EXPECT_EQ(s.timestep(), 3u);
}

TEST(TimestepScheduler, StretchStartsTheNextTimestepWhenTheWorkEndsAndCountsIt) {
  TimestepScheduler s(fixed(5, OverrunAction::kStretch), ClockDomain(10));
  auto d = s.finish(Ps(51));  // rounds to the chip edge at 60 > 50: an overrun
  EXPECT_TRUE(d.overrun);
  EXPECT_FALSE(d.halt);
  EXPECT_EQ(d.next_tick, Ps(60));
  // The period counts from the stretched tick.
  d = s.finish(Ps(70));
  EXPECT_FALSE(d.overrun);
  EXPECT_EQ(d.next_tick, Ps(110));
  EXPECT_EQ(s.overruns(), 1u);
  EXPECT_FALSE(s.halted());
}

TEST(TimestepScheduler, HaltEndsTheRunWhenTheOverrunningWorkEnds) {
  TimestepScheduler s(fixed(5, OverrunAction::kHalt), ClockDomain(10));
  EXPECT_FALSE(s.finish(Ps(40)).halt);
  const auto d = s.finish(Ps(121));  // tick at 50, period end 100, work to the edge at 130
  EXPECT_TRUE(d.overrun);
  EXPECT_TRUE(d.halt);
  EXPECT_EQ(d.next_tick, Ps(130));
  EXPECT_TRUE(s.halted());
  EXPECT_EQ(s.overruns(), 0u);   // a halting overrun is a timing error, not a counted overrun
  EXPECT_EQ(s.timestep(), 1u);   // the halting timestep stays the current one
  EXPECT_EQ(s.end_cycle(), 13u);
}

}  // namespace
}  // namespace neurochip
