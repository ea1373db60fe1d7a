// Small integer helpers shared by the memory geometry, the cycle formulas and the loader.
#pragma once

#include <cstdint>

namespace neurochip::hw {

/// ceil(a / b) for b > 0.
constexpr uint64_t ceil_div(uint64_t a, uint64_t b) { return a / b + (a % b != 0 ? 1 : 0); }

/// Bits needed to address `slots` slots: ceil(log2(slots)), at least 1 (SPEC §3.4, §5.3).
constexpr uint16_t address_bits(uint64_t slots) {
  uint16_t b = 1;
  while (b < 64 && (uint64_t{1} << b) < slots) ++b;
  return b;
}

}  // namespace neurochip::hw
