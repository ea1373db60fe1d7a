// SplitMix64, the generator of every random draw of a workload (configs/README.md "Random
// streams"): the loader's connectivity and weights, the stimulus's Poisson events.
#pragma once

#include <cstdint>

namespace neurochip::sim {

/// SplitMix64 (Steele, Lea, Flood 2014): state advances by the golden-ratio increment, each output
/// is the standard 64-bit finaliser of the new state.
class SplitMix64 {
 public:
  static constexpr uint64_t kGoldenGamma = 0x9E3779B97F4A7C15ULL;
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    state_ += kGoldenGamma;
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_;
};

/// splitmix64(x): the first output of a SplitMix64 generator seeded with x.
inline uint64_t splitmix64(uint64_t x) { return SplitMix64(x).next(); }

}  // namespace neurochip::sim
