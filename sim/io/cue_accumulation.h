// A seeded generator of the delayed-supervision cue-accumulation task (Bellec et al. 2020, "A
// solution to the learning dilemma for recurrent networks of spiking neurons", Nature Comms.), in
// the form ReckOn's demo runs it: 40 input channels in four groups of 10 — left cues, right cues,
// the recall cue and background noise — and 1 ms timesteps. Each sample shows `cues` cues, each a
// burst of the left or the right group (chosen at random) for `cue_ms`, separated by `gap_ms`; after
// a delay the recall group fires for the last `recall_ms` of the sample; the noise group fires
// throughout. The label is the side that cued more often (0 left, 1 right; `cues` is odd).
// Events are written in the `csv` samples format (configs/README.md `workload.samples`).
#pragma once

#include <cstdint>
#include <ostream>

namespace neurochip::sim {

struct CueAccumulationParams {
  uint64_t samples = 50;
  uint64_t seed = 1;
  uint32_t channels_per_group = 10;  ///< 4 groups: left, right, recall, noise (40 channels)
  uint32_t cues = 7;
  uint32_t first_cue_ms = 50;        ///< the first cue starts here
  uint32_t cue_ms = 100;
  uint32_t gap_ms = 50;
  uint32_t recall_ms = 150;          ///< the recall cue fills the last recall_ms of the sample
  uint32_t length_ms = 2250;
  double cue_rate_hz = 40.0;         ///< per channel while its group is on (cues and recall)
  double noise_rate_hz = 10.0;       ///< per noise channel, throughout
};

/// Writes `sample,timestep,index` events to `events` and `sample,label` lines to `labels`.
/// Throws std::invalid_argument for inconsistent parameters (an even cue count, cues running into
/// the recall window).
void generate_cue_accumulation(const CueAccumulationParams& p, std::ostream& events, std::ostream& labels);

}  // namespace neurochip::sim
