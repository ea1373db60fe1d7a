// AER link contract (SPEC.md §5.3, hw_model/common/aer_link.h): a packet offered to a refusing
// receiver is kept by the sender's outbox, with every later packet behind it, and offered again when
// the receiver signals ready; each packet arrives exactly once, in order, taking effect at
// max(its time, the time it was accepted).
#include <gtest/gtest.h>

#include <vector>

#include <systemc>

#include "common/aer_link.h"

namespace neurochip {
namespace {

using hw::AerPacket;
using hw::Ps;

/// A receiver with room for one packet, emptied at 100 ps and at 250 ps (signalling ready each time).
class OneSlotSink : public sc_core::sc_module, public hw::AerSinkIf {
 public:
  struct Arrival {
    uint32_t axon;
    Ps accepted_at;
    Ps effective;
  };
  std::vector<Arrival> arrivals;
  uint64_t offers = 0;

  explicit OneSlotSink(sc_core::sc_module_name name) : sc_core::sc_module(name) {
    SC_HAS_PROCESS(OneSlotSink);
    SC_THREAD(drain);
  }

  bool try_put(const AerPacket& p) override {
    ++offers;
    if (full_) return false;
    full_ = true;
    arrivals.push_back({p.dst_axon, hw::sc_now(), hw::max(p.time, hw::sc_now())});
    return true;
  }
  const sc_core::sc_event& ready_event() const override { return ready_; }

 private:
  void drain() {
    for (uint64_t at : {100, 250}) {
      wait(hw::to_sc_time(Ps(at) - hw::sc_now()));
      full_ = false;
      ready_.notify(sc_core::SC_ZERO_TIME);
    }
  }
  bool full_ = false;
  sc_core::sc_event ready_;
};

/// Sends three packets stamped 10, 20 and 30 ps at time 0 (ahead of their time, §5.3).
class Sender : public sc_core::sc_module {
 public:
  hw::AerOutbox outbox{"outbox"};
  explicit Sender(sc_core::sc_module_name name) : sc_core::sc_module(name) {
    SC_HAS_PROCESS(Sender);
    SC_THREAD(run);
  }

 private:
  void run() {
    for (uint32_t k = 0; k < 3; ++k) {
      AerPacket p;
      p.dst_axon = k;
      p.time = Ps(10 * (k + 1));
      outbox.send(p);
    }
  }
};

TEST(AerLink, RefusedPacketsAreRetriedOnReadyAndArriveExactlyOnceInOrder) {
  OneSlotSink sink("sink");
  Sender sender("sender");
  sender.outbox.out.bind(sink);
  sc_core::sc_start();

  // Packet 0 is accepted at once (time 0), taking effect at its time, 10 ps. Packet 1 is refused
  // (the slot is full) and packet 2 queues behind it. At 100 ps the sink signals ready: packet 1 is
  // accepted (effective 100 > 20) and packet 2 refused again; at 250 ps packet 2 is accepted.
  ASSERT_EQ(sink.arrivals.size(), 3u);
  const Ps accepted[] = {Ps(0), Ps(100), Ps(250)};
  const Ps effective[] = {Ps(10), Ps(100), Ps(250)};
  for (uint32_t k = 0; k < 3; ++k) {
    EXPECT_EQ(sink.arrivals[k].axon, k);
    EXPECT_EQ(sink.arrivals[k].accepted_at, accepted[k]) << k;
    EXPECT_EQ(sink.arrivals[k].effective, effective[k]) << k;
  }
  EXPECT_EQ(sender.outbox.sent(), 3u);
  EXPECT_EQ(sender.outbox.refusals(), 2u);
  EXPECT_EQ(sink.offers, 5u);  // 0: p0 yes, p1 no; 100: p1 yes, p2 no; 250: p2 yes
  EXPECT_EQ(sender.outbox.queued(), 0u);
  EXPECT_EQ(sender.outbox.max_queued(), 2u);
}

}  // namespace
}  // namespace neurochip
