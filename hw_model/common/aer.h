// Address-event (AER) types and the interfaces through which cores receive and emit spikes
// (SPEC.md §1, §4.1). The chip's input pads and, later, the router network plug into these.
#pragma once

#include <cstdint>
#include <vector>

#include <systemc>

#include "common/aer_types.h"

namespace neurochip::hw {

/// Receiving side of an AER link: an event received before a tick takes effect in that timestep.
class AerInputIf : public virtual sc_core::sc_interface {
 public:
  virtual void receive(const AerEvent& event) = 0;
};

/// Sending side of an AER link: a core hands each emitted spike to the link it is bound to.
class AerOutputIf : public virtual sc_core::sc_interface {
 public:
  virtual void emit(const EmittedSpike& spike) = 0;
};

/// Off-chip stimulus: the events to deliver before the tick of a timestep.
class StimulusIf : public virtual sc_core::sc_interface {
 public:
  virtual const std::vector<AerEvent>& events_for(uint64_t timestep) = 0;
};

}  // namespace neurochip::hw
