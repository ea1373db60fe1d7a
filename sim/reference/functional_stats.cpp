// Functional run statistics (see functional_stats.h).
#include "reference/functional_stats.h"

namespace neurochip::sim {

FunctionalStats::FunctionalStats(const hw::ChipConfig& chip, const hw::ChipImage& image)
    : chip_(root_, chip.clock_period_ps) {
  if (chip.noc.enabled) noc_ = std::make_unique<hw::NocStats>(chip_.group);  // before the cores, as on the chip
  for (size_t c = 0; c < chip.cores.size(); ++c) {
    cores_.push_back(
        std::make_unique<hw::CoreStats>(chip.cores[c], image.cores.at(c).stored_synapses(), chip_.group));
  }
}

std::vector<hw::StatView> FunctionalStats::collect(uint64_t timesteps_completed, uint64_t overruns,
                                                   uint64_t total_cycles, const std::vector<CoreCounters>& counters) {
  chip_.timesteps += timesteps_completed;
  chip_.overruns += overruns;
  chip_.cycles += total_cycles;
  for (size_t c = 0; c < cores_.size() && c < counters.size(); ++c) {
    for_each_datapath_counter(counters[c], *cores_[c],
                              [](const uint64_t& field, hw::Counter& counter) { counter += field; });
  }
  return root_.collect();
}

}  // namespace neurochip::sim
