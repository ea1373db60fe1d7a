// CRC-32 of the IEEE 802.3 polynomial (reflected, initial and final value 0xFFFFFFFF: the checksum
// of zlib, gzip and PNG), computed incrementally: the content checksum of a run's manifest
// (traces/README.md, "Manifest").
#pragma once

#include <cstddef>
#include <cstdint>

namespace neurochip::sim {

/// The CRC-32 of the bytes seen so far (`crc`, 0 for none) followed by `data[0..n)`.
uint32_t crc32_update(uint32_t crc, const void* data, size_t n);

}  // namespace neurochip::sim
