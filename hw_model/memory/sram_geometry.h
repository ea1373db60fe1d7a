// Geometry of one on-chip SRAM macro (SPEC.md §3): word count and word width. Neutral header
// shared by the memories, the core configuration and the loader.
#pragma once

#include <cstdint>

namespace neurochip::hw {

/// One on-chip SRAM macro: `words` words of `word_bits` bits (SPEC §3).
struct SramGeometry {
  uint32_t words = 0;
  uint32_t word_bits = 128;
};

}  // namespace neurochip::hw
