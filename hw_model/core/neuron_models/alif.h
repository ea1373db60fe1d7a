// The adaptive LIF neuron (SPEC.md §2.4 steps 1 and 5): LIF's parameters and fields followed by
// the adaptation's.
#pragma once

#include <cstddef>

#include "core/neuron_models/lif.h"

namespace neurochip::hw::alif {

/// Parameter indices after LIF's.
enum Param : size_t { kAdaptationRho = 4, kAdaptationIncrement = 5 };
/// State-field index after LIF's: the adaptation a (16-bit unsigned).
enum Field : size_t { kA = 2 };

}  // namespace neurochip::hw::alif
