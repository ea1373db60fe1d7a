// `neurochip check --routes` (SPEC.md §7.7): how a chip with a network carries the workload's
// cross-core projections — per core its input axons (its own inputs and the remote neurons that
// project onto it) against memory.max_inputs, its fan-out table (where each neuron's spikes go), where
// each population sits (core and slots, marked when `core: auto` placed it), and per pair of cores
// the dimension-order route and how many neurons use it.
#pragma once

#include <string>

#include "base/run_config.h"

namespace neurochip::sim {

std::string routes_report(const RunConfig& rc);

}  // namespace neurochip::sim
