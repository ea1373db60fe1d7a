// The stochastic-rounding unit (SPEC.md §2.3, §2.8); see stochastic_rounding.h.
//
// ReckOn's LFSRs are XOR netlists that expose k bits of one binary stream per clock. The stream
// obeys o[n + 15] = o[n] XOR o[n + 14] (x^15 + x + 1 read with the newest bit as x^0). A register
// state d (bit i = flip-flop i, where seed bit i is loaded) determines the next 15 stream bits as
// the parities below: for the 15-bit-per-advance LFSR, o[i] = d0 ^ ... ^ di; for the 7-bit one,
// the masks interleave. These maps were worked out from ReckOn's public netlists
// (lfsr_neur_stochround.v, lfsr_oneur_stochround.v) and checked against the register states of
// all nine stochastic-rounding instances on every tick of a 2,250-tick RTL run, and the rounding
// they drive against every membrane, trace and readout of that run (traces/reckon/PROVENANCE.md).
#include "core/stochastic_rounding.h"

#include <stdexcept>

namespace neurochip::hw {

const LfsrSpec& reckon_membrane_lfsr() {
  static const LfsrSpec spec = trinomial_lfsr("reckon_sr15", 15, 14, 15, strided_xor_load_map(15, 1));
  return spec;
}

const LfsrSpec& reckon_readout_lfsr() {
  static const LfsrSpec spec =
      trinomial_lfsr("reckon_sr7", 15, 14, 7,
                     {0x1, 0x3, 0xB, 0x2B, 0xAB, 0x2AB, 0xAAB, 0x2AAB, 0x2AAF, 0x2ABF, 0x2AFF, 0x2BFF, 0x2FFF, 0x3FFF, 0x7FFF});
  return spec;
}

const LfsrSpec& reckon_noise_lfsr() {
  // o[0..2] = d0..d2, o[i] = o[i − 3] ^ d_i (ReckOn's lfsr_noise_neur netlist).
  static const LfsrSpec spec = trinomial_lfsr("reckon_noise17", 17, 14, 32, strided_xor_load_map(17, 3));
  return spec;
}

StochasticRounding::StochasticRounding(const RoundingConfig& cfg, uint32_t lanes)
    : readout_(reckon_readout_lfsr(), cfg.readout_seed) {
  if (lanes < 1 || lanes > kMaxRoundingLanes)
    throw std::invalid_argument("stochastic rounding: 1.." + std::to_string(kMaxRoundingLanes) +
                                " neurons per word, got " + std::to_string(lanes));
  for (uint32_t l = 0; l < lanes; ++l) lanes_.emplace_back(reckon_membrane_lfsr(), membrane_lane_seed(cfg.membrane_seed, l));
}

void StochasticRounding::membrane_draws(uint32_t words, uint16_t* draws, const uint8_t* rounds) {
  const auto lanes = static_cast<uint32_t>(lanes_.size());
  for (uint32_t w = 0; w < words; ++w)
    for (uint32_t l = 0; l < lanes; ++l)
      draws[w * lanes + l] = !rounds || rounds[w] ? static_cast<uint16_t>(lanes_[l].advance()) : kNoRoundingDraw;
}

}  // namespace neurochip::hw
