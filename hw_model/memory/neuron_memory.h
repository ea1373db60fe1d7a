// Neuron-state SRAM of a core (SPEC.md §2.4, §3.1): u (16 b), ref (8 b) and, for ALIF, a (16 b)
// per neuron, `neurons_per_word` neurons per word. State is held unpacked for speed; every
// functional access is a whole word and is counted. Pure C++.
#pragma once

#include <cstdint>
#include <vector>

namespace neurochip::hw {

/// Bits of one neuron's state in the neuron SRAM (SPEC §3.1): u 16 + ref 8, plus a 16 for ALIF.
inline constexpr uint32_t kLifStateBits = 24;
inline constexpr uint32_t kAlifStateBits = 40;
/// The refractory counter is 8-bit unsigned (SPEC §2.4).
inline constexpr int32_t kRefractoryMax = 255;

class NeuronMemory {
 public:
  NeuronMemory(uint32_t neurons, uint32_t neurons_per_word)
      : membrane(neurons, 0), refractory(neurons, 0), adaptation(neurons, 0),
        words_((neurons + neurons_per_word - 1) / neurons_per_word) {}

  /// A sweep over all enabled words, each read once and written once (STEP, and PROP per index).
  void count_sweep() { reads_ += words_; writes_ += words_; }

  uint32_t words() const { return words_; }
  uint64_t reads() const { return reads_; }
  uint64_t writes() const { return writes_; }

  std::vector<int32_t> membrane;    ///< u_j, 16-bit signed
  std::vector<int32_t> refractory;  ///< ref_j, 8-bit unsigned
  std::vector<int32_t> adaptation;  ///< a_j, 16-bit unsigned (ALIF)

 private:
  uint32_t words_;
  uint64_t reads_ = 0, writes_ = 0;
};

}  // namespace neurochip::hw
