// The stochastic-rounding unit of a core (SPEC.md §2.3, §2.8): one LFSR per neuron lane of the
// neuron-SRAM word for the membrane leak, advanced once per word written in STEP, and one LFSR for
// the readout leak, advanced once per readout slot in STEP. The LFSRs are ReckOn's (x^15 + x + 1,
// unfolded by 15 and by 7 bits per advance, with ReckOn's register-to-stream maps). SystemC-free.
#pragma once

#include <cstdint>
#include <vector>

#include "common/lfsr.h"
#include "core/core_config.h"

namespace neurochip::hw {

/// ReckOn's membrane (and trace) stochastic-rounding LFSR: 15 bits out per advance.
const LfsrSpec& reckon_membrane_lfsr();
/// ReckOn's readout (and output-trace) stochastic-rounding LFSR: 7 bits out per advance.
const LfsrSpec& reckon_readout_lfsr();

/// ReckOn's membrane-noise LFSR: 17 bits, 32 bits per advance (two 16-bit lanes).
const LfsrSpec& reckon_noise_lfsr();

/// The 15-bit seed of membrane lane `lane` in `membrane_seed`.
inline uint64_t membrane_lane_seed(uint64_t membrane_seed, uint32_t lane) {
  return (membrane_seed >> (kRoundingSeedBits * lane)) & ((uint64_t{1} << kRoundingSeedBits) - 1);
}

/// A membrane draw above every 15-bit fraction: the leak it rounds is the floor (SPEC §2.3).
inline constexpr uint16_t kNoRoundingDraw = 0x8000;

class StochasticRounding {
 public:
  /// Seeded as `cfg` says, for words of `lanes` neurons (1..kMaxRoundingLanes).
  StochasticRounding(const RoundingConfig& cfg, uint32_t lanes);

  /// Draws for a STEP that writes `words` neuron words: draws[w * lanes + l] comes from lane l's
  /// LFSR at its advance for word w. `draws` holds words * lanes entries. With `rounds` (one flag
  /// per word), a word whose flag is 0 (its alpha is exactly 1.0) advances no LFSR and gets the
  /// draw kNoRoundingDraw; null: every word advances.
  void membrane_draws(uint32_t words, uint16_t* draws, const uint8_t* rounds = nullptr);
  /// The readout LFSR's next 7-bit draw.
  uint32_t readout_draw() { return static_cast<uint32_t>(readout_.advance()); }

  const StreamLfsr& lane(uint32_t l) const { return lanes_[l]; }
  const StreamLfsr& readout() const { return readout_; }

 private:
  std::vector<StreamLfsr> lanes_;
  StreamLfsr readout_;
};

}  // namespace neurochip::hw
