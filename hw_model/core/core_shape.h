// The enabled slot counts of a core (SPEC.md §1): how many input axons, neurons and readouts the
// workload maps onto it. Everything a core's cost and sweeps depend on besides its hardware.
#pragma once

#include <cstdint>

namespace neurochip::hw {

/// Enabled slot counts of a core: what the workload maps onto it (SPEC §1).
struct CoreShape {
  uint32_t inputs = 0;    ///< I
  uint32_t neurons = 0;   ///< R
  uint32_t readouts = 0;  ///< O
};

}  // namespace neurochip::hw
