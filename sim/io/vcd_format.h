// Pieces of the VCD text format shared by the waveform writers (waves.vcd, links.vcd).
#pragma once

#include <cstddef>
#include <string>

namespace neurochip::sim {

/// VCD identifier of the n-th signal: base 94 over the printable characters '!' .. '~'.
inline std::string vcd_id(size_t n) {
  std::string id;
  do {
    id.push_back(static_cast<char>('!' + n % 94));
    n /= 94;
  } while (n > 0);
  return id;
}

}  // namespace neurochip::sim
