// Small integer helpers shared by the memory geometry, the cycle formulas and the loader.
#pragma once

#include <cstdint>

namespace neurochip::hw {

/// ceil(a / b) for b > 0.
constexpr uint64_t ceil_div(uint64_t a, uint64_t b) { return a / b + (a % b != 0 ? 1 : 0); }

}  // namespace neurochip::hw
