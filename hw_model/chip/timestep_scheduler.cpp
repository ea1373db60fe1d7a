// Timestep scheduler (SPEC.md §5.2); see timestep_scheduler.h.
#include "chip/timestep_scheduler.h"

namespace neurochip::hw {

TimestepScheduler::TimestepScheduler(const TimestepConfig& config, ClockDomain chip_clock)
    : config_(config), chip_clock_(chip_clock), period_(chip_clock.duration(config.cycles_per_timestep)) {}

TimestepScheduler::Decision TimestepScheduler::finish(Ps busy_until) {
  // The tick generator is clocked by the chip clock: a tick can only happen on one of its edges.
  const Ps done = chip_clock_.edge_at_or_after(busy_until);
  Decision d;
  if (config_.policy == TimestepPolicy::kFreeRunning) {
    d.next_tick = done;
  } else if (done <= tick_ + period_) {
    d.next_tick = tick_ + period_;
  } else if (config_.on_overrun == OverrunAction::kStretch) {
    d.overrun = true;
    d.next_tick = done;
    ++overruns_;
  } else {
    d.overrun = true;
    d.halt = true;
    d.next_tick = done;
    halted_ = true;
  }
  tick_ = d.next_tick;
  if (!d.halt) ++timestep_;
  return d;
}

}  // namespace neurochip::hw
