// Progress line for long runs: "[neurochip] timestep t/T (p%), rate timesteps/s, eta s" on a
// stream, first after `delay_s` seconds and then at most once per `interval_s` seconds. On a
// terminal the line rewrites itself ('\r'); in a log it is one line per report.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>

namespace neurochip::sim {

class ProgressLine {
 public:
  /// `now_s` returns seconds on a monotonic clock (injected so tests can drive it).
  ProgressLine(uint64_t total, bool enabled, std::FILE* out, bool terminal, std::function<double()> now_s,
               double delay_s = 2.0, double interval_s = 1.0)
      : total_(total), enabled_(enabled), out_(out), terminal_(terminal), now_s_(std::move(now_s)),
        delay_s_(delay_s), interval_s_(interval_s), start_s_(now_s_()), last_s_(start_s_) {}
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  /// Called after every completed timestep; looks at the clock only every 64th.
  void update(uint64_t done) {
    if (!enabled_ || (done % kClockEvery) != 0) return;
    const double now = now_s_();
    const double elapsed = now - start_s_;
    if (elapsed < delay_s_ || now - last_s_ < interval_s_) return;
    last_s_ = now;
    printed_ = true;
    const double rate = done / elapsed;
    const double eta = rate > 0 ? (total_ - done) / rate : 0.0;
    std::fprintf(out_, "%s[neurochip] timestep %llu/%llu (%.0f%%), %.0f timesteps/s, eta %.1f s%s",
                 terminal_ ? "\r" : "", static_cast<unsigned long long>(done),
                 static_cast<unsigned long long>(total_), 100.0 * done / total_, rate, eta, terminal_ ? "" : "\n");
  }

  ~ProgressLine() {
    if (printed_ && terminal_) std::fprintf(out_, "\n");
  }

 private:
  static constexpr uint64_t kClockEvery = 64;
  uint64_t total_;
  bool enabled_;
  std::FILE* out_;
  bool terminal_;
  std::function<double()> now_s_;
  double delay_s_, interval_s_;
  double start_s_, last_s_;
  bool printed_ = false;
};

}  // namespace neurochip::sim
