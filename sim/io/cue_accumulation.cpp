// The cue-accumulation task generator (see cue_accumulation.h).
#include "io/cue_accumulation.h"

#include <cmath>
#include <stdexcept>
#include <vector>

#include "base/splitmix64.h"

namespace neurochip::sim {

void generate_cue_accumulation(const CueAccumulationParams& p, std::ostream& events, std::ostream& labels) {
  if (p.cues % 2 == 0) throw std::invalid_argument("cue accumulation: the number of cues must be odd (no ties)");
  const uint64_t cues_end = uint64_t{p.first_cue_ms} + uint64_t{p.cues} * (p.cue_ms + p.gap_ms);
  if (p.recall_ms >= p.length_ms || cues_end > p.length_ms - p.recall_ms)
    throw std::invalid_argument("cue accumulation: the cues run into the recall window");
  // A channel fires in a 1 ms step when the high 32 bits of its draw are below p · 2^32.
  const auto threshold = [](double hz) {
    return static_cast<uint64_t>(std::llround(std::min(1.0, hz * 1e-3) * 4294967296.0));
  };
  const uint64_t cue_p = threshold(p.cue_rate_hz), noise_p = threshold(p.noise_rate_hz);
  const uint32_t g = p.channels_per_group;
  SplitMix64 rng(p.seed);
  events << "sample,timestep,index\n";
  labels << "sample,label\n";
  for (uint64_t s = 0; s < p.samples; ++s) {
    std::vector<int> side(p.cues);
    int right = 0;
    for (uint32_t c = 0; c < p.cues; ++c) {
      side[c] = static_cast<int>(rng.next() >> 63);
      right += side[c];
    }
    for (uint32_t t = 0; t < p.length_ms; ++t) {
      // Which groups are on at t: a cue's side, the recall group, and the noise group always.
      int cue_group = -1;
      if (t >= p.first_cue_ms && t < cues_end) {
        const uint32_t k = (t - p.first_cue_ms) / (p.cue_ms + p.gap_ms);
        if ((t - p.first_cue_ms) % (p.cue_ms + p.gap_ms) < p.cue_ms) cue_group = side[k];
      }
      const bool recall = t >= p.length_ms - p.recall_ms;
      for (uint32_t group = 0; group < 4; ++group) {
        const bool on = group == 3 || (group == 2 && recall) || static_cast<int>(group) == cue_group;
        for (uint32_t ch = 0; ch < g; ++ch) {
          const uint64_t draw = rng.next() >> 32;  // one draw per channel and step, on or off
          if (on && draw < (group == 3 ? noise_p : cue_p)) events << s << ',' << t << ',' << group * g + ch << '\n';
        }
      }
    }
    labels << s << ',' << (2 * right > static_cast<int>(p.cues) ? 1 : 0) << '\n';
  }
}

}  // namespace neurochip::sim
