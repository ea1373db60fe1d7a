// The utilisation report of `neurochip check` (SPEC.md §3, §4.1): per core, how much of each SRAM
// the workload uses (slots, words, bits per neuron word, stored synapses) and the worst-case
// cycles per timestep — no active index and every index active — against a fixed timestep period.
// Computed from the decoded configuration alone; nothing is simulated.
#pragma once

#include <string>

#include "base/run_config.h"

namespace neurochip::sim {

/// The report as text, every line starting with "# " (so that it can follow a YAML document).
std::string utilisation_report(const RunConfig& rc);

}  // namespace neurochip::sim
