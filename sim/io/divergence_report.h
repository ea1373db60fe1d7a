// The report of a lockstep run's first divergence between the e-prop engine's C++ model and its RTL
// (SPEC.md §6.7, README "The e-prop engine in RTL"): divergence.json in the run directory and the
// message on stderr.
#pragma once

#include <ostream>
#include <string>

#include "learning/eprop_backend.h"

namespace neurochip::sim {

/// divergence.json: where (timestep, core, phase, cycles), what (field, index, post) and the two
/// values; `waveform` names the RTL's VCD window in the run directory (empty: none).
void write_divergence_json(std::ostream& os, const hw::LearningDivergence& d, const std::string& waveform);

/// One paragraph for stderr: the same facts in words.
std::string describe_divergence(const hw::LearningDivergence& d, const std::string& waveform);

}  // namespace neurochip::sim
