// AER links (SPEC.md §5.3): the interface through which a packet is offered to whatever receives it
// (a core's input, a router port, the chip's off-chip output), with backpressure, and the outbox a
// sender keeps packets in while the receiver refuses them. The 4-phase handshake and FIFOs of the
// router network attach to this interface.
#pragma once

#include <cstdint>
#include <deque>

#include <systemc>

#include "common/aer_types.h"

namespace neurochip::hw {

/// Receiving side of an AER link. Contract (SPEC §5.3):
/// - `try_put(p)` may be called at any simulated time up to `p.time` (a sender may run ahead of
///   the packet's time, never behind it, except on a retry);
/// - returning true, the receiver takes the packet and lets it have no effect before
///   max(p.time, the simulated time of the call);
/// - returning false, the receiver refuses it; the sender keeps it and offers it again, and no
///   other packet before it, when `ready_event()` is notified (not earlier). A receiver notifies
///   it with a delta or timed notification, never an immediate one.
class AerSinkIf : public virtual sc_core::sc_interface {
 public:
  virtual bool try_put(const AerPacket& p) = 0;
  virtual const sc_core::sc_event& ready_event() const = 0;
};

/// Converts an integer time in ps to SystemC time exactly (the kernel's resolution is 1 ps).
sc_core::sc_time to_sc_time(Ps t);
/// The current simulated time as Ps.
Ps sc_now();
/// Fails loudly unless SystemC's time resolution is 1 ps, which to_sc_time relies on.
void require_ps_resolution();

/// The sending end of an AER link: packets are offered in the order they are sent; a packet the
/// receiver refuses is kept, with every later one behind it, and offered again each time the
/// receiver signals ready. A packet is delivered exactly once. The retry process (a method, so no
/// thread stack) sleeps while nothing is refused.
class AerOutbox : public sc_core::sc_module {
 public:
  sc_core::sc_port<AerSinkIf> out;  ///< the link's receiving side

  explicit AerOutbox(sc_core::sc_module_name name);

  /// Offers `p` now (or queues it behind packets still refused).
  void send(const AerPacket& p);

  uint64_t sent() const { return sent_; }          ///< packets accepted by the receiver
  uint64_t refusals() const { return refusals_; }  ///< offers the receiver refused
  size_t queued() const { return queue_.size(); }  ///< packets waiting for the receiver
  size_t max_queued() const { return max_queued_; }

 private:
  void retry();

  std::deque<AerPacket> queue_;
  sc_core::sc_event queued_;
  uint64_t sent_ = 0, refusals_ = 0;
  size_t max_queued_ = 0;
};

}  // namespace neurochip::hw
