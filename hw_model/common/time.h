// Simulated time (SPEC.md §5.1): every time in the model is an integer number of picoseconds
// (`Ps`, unsigned 64-bit), and every clock domain has an exact integer period, so converting
// between cycles and time never involves floating point. SystemC-free.
#pragma once

#include <cstdint>
#include <limits>

namespace neurochip::hw {

/// A point in simulated time, or a duration, in picoseconds. Time 0 is the first tick.
class Ps {
 public:
  constexpr Ps() = default;
  constexpr explicit Ps(uint64_t picoseconds) : ps_(picoseconds) {}
  constexpr uint64_t count() const { return ps_; }
  static constexpr Ps max() { return Ps(std::numeric_limits<uint64_t>::max()); }

  friend constexpr Ps operator+(Ps a, Ps b) { return Ps(a.ps_ + b.ps_); }
  /// Difference of two times; `a` must not be earlier than `b`.
  friend constexpr Ps operator-(Ps a, Ps b) { return Ps(a.ps_ - b.ps_); }
  constexpr Ps& operator+=(Ps d) {
    ps_ += d.ps_;
    return *this;
  }
  friend constexpr bool operator==(Ps a, Ps b) { return a.ps_ == b.ps_; }
  friend constexpr bool operator!=(Ps a, Ps b) { return a.ps_ != b.ps_; }
  friend constexpr bool operator<(Ps a, Ps b) { return a.ps_ < b.ps_; }
  friend constexpr bool operator<=(Ps a, Ps b) { return a.ps_ <= b.ps_; }
  friend constexpr bool operator>(Ps a, Ps b) { return a.ps_ > b.ps_; }
  friend constexpr bool operator>=(Ps a, Ps b) { return a.ps_ >= b.ps_; }

 private:
  uint64_t ps_ = 0;
};

constexpr Ps max(Ps a, Ps b) { return a < b ? b : a; }

/// A clock with an exact integer period. Its rising edges are at k · period for k = 0, 1, ...;
/// cycle k of the domain is the interval [k · period, (k + 1) · period). Callers keep times and
/// cycle counts within the run length the loader admits (SPEC §5.1), so products never wrap.
class ClockDomain {
 public:
  constexpr explicit ClockDomain(uint64_t period_ps) : period_ps_(period_ps == 0 ? 1 : period_ps) {}
  constexpr uint64_t period_ps() const { return period_ps_; }
  /// Duration of `cycles` cycles.
  constexpr Ps duration(uint64_t cycles) const { return Ps(cycles * period_ps_); }
  /// Time of the rising edge that starts cycle `cycle`.
  constexpr Ps edge(uint64_t cycle) const { return Ps(cycle * period_ps_); }
  /// The cycle that contains time `t` (the number of edges after time 0 up to and including t).
  constexpr uint64_t cycle_at(Ps t) const { return t.count() / period_ps_; }
  /// The first cycle whose rising edge is at or after `t`.
  constexpr uint64_t cycle_at_or_after(Ps t) const {
    return t.count() / period_ps_ + (t.count() % period_ps_ != 0 ? 1 : 0);
  }
  /// The first rising edge at or after `t`.
  constexpr Ps edge_at_or_after(Ps t) const { return edge(cycle_at_or_after(t)); }
  friend constexpr bool operator==(ClockDomain a, ClockDomain b) { return a.period_ps_ == b.period_ps_; }

 private:
  uint64_t period_ps_;
};

}  // namespace neurochip::hw
