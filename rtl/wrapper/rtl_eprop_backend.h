// The learning backends of `learning.backend` (SPEC.md §6.7) that involve the e-prop engine RTL:
// `rtl` (the Verilated engine alone) and `lockstep` (the C++ model and the RTL on the same inputs,
// every trace update and weight write compared, the first disagreement thrown as
// hw::LearningDivergence with a VCD of the RTL's signals over the diverging timestep). The factory
// builds each core's backend as its configuration says; cores with `backend: model` get the model.
// One build of this unit holds one Verilated model (the plain engine, or the engine built with its
// fault switch, for the checker's own test).
#pragma once

#include <cstdint>
#include <string>

#include "learning/eprop_backend.h"

namespace neurochip::rtl {

struct RtlBackendOptions {
  /// Where lockstep keeps the VCD window of each core's RTL while it runs (the diverging core's file
  /// is named in LearningDivergence::waveform); empty: no waveform.
  std::string waveform_dir;
};

/// The backends of every core as its `learning.backend` says.
hw::EpropBackendFactory make_learning_backends(const RtlBackendOptions& options);

/// N_SLOTS of the Verilated engine in this build: max(I, R) of a core that uses it must not exceed it.
uint32_t rtl_engine_slots();
/// Whether this build's RTL carries the fault switch (EPROP_FAULT_ROUNDING; test builds only).
bool rtl_engine_faulty();
/// The scratch name of a core's waveform window inside RtlBackendOptions::waveform_dir.
std::string waveform_scratch_name(uint32_t core_index);

}  // namespace neurochip::rtl
