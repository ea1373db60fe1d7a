// Statistics of a functional run in the same tree, names and units as the cycle model's
// (core_stats.h, chip_stats.h; SPEC.md §3.3, §4.1, §5), accumulated timestep by timestep so that a
// run never keeps its records to compute them.
#pragma once

#include <memory>
#include <vector>

#include "base/run_result.h"
#include "chip/chip_config.h"
#include "chip/chip_stats.h"
#include "core/core_image.h"
#include "common/stats.h"
#include "core/core_stats.h"

namespace neurochip::sim {

class FunctionalStats {
 public:
  FunctionalStats(const hw::ChipConfig& chip, const hw::ChipImage& image);
  /// Accounts one core's timestep.
  void record(const CoreTimestepRecord& r) { cores_.at(r.core)->record(r); }
  /// The statistics after the run: chip totals and the per-core counters.
  std::vector<hw::StatView> collect(uint64_t timesteps_completed, uint64_t overruns, uint64_t total_cycles,
                                    const std::vector<CoreCounters>& counters);

 private:
  hw::StatGroup root_{"stats"};
  hw::ChipStats chip_;
  std::vector<std::unique_ptr<hw::CoreStats>> cores_;
};

}  // namespace neurochip::sim
