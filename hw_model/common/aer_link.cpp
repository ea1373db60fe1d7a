// AER link helpers and outbox (SPEC.md §5.3); see aer_link.h.
#include "common/aer_link.h"

#include <algorithm>
#include <stdexcept>

namespace neurochip::hw {

sc_core::sc_time to_sc_time(Ps t) { return sc_core::sc_time::from_value(t.count()); }

Ps sc_now() { return Ps(sc_core::sc_time_stamp().value()); }

void require_ps_resolution() {
  if (sc_core::sc_get_time_resolution() != sc_core::sc_time(1, sc_core::SC_PS))
    throw std::logic_error("neurochip needs SystemC's time resolution at its default of 1 ps");
}

AerOutbox::AerOutbox(sc_core::sc_module_name name) : sc_core::sc_module(name), out("out") {
  SC_HAS_PROCESS(AerOutbox);
  SC_METHOD(retry);  // a method, not a thread: no stack per outbox
  sensitive << queued_;
  dont_initialize();
}

void AerOutbox::send(const AerPacket& p) {
  if (queue_.empty() && out->try_put(p)) {
    ++sent_;
    return;
  }
  if (queue_.empty()) {
    ++refusals_;
    // Immediate: the retry process runs, and starts waiting for ready_event(), within this delta
    // cycle, so a receiver's (delta or timed) ready notification cannot be missed.
    queued_.notify();
  }
  queue_.push_back(p);
  max_queued_ = std::max(max_queued_, queue_.size());
}

void AerOutbox::retry() {
  // Triggered by queued_ (first refusal) or, while packets wait, by the receiver's ready_event().
  const bool woken_by_ready = !queued_.triggered();
  if (woken_by_ready) {
    while (!queue_.empty() && out->try_put(queue_.front())) {
      queue_.pop_front();
      ++sent_;
    }
    if (!queue_.empty()) ++refusals_;
  }
  if (!queue_.empty()) next_trigger(out->ready_event());
}

}  // namespace neurochip::hw
