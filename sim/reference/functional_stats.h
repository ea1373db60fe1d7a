// Statistics of a functional run in the same tree, names and units as the cycle model's
// (core_stats.h, chip_stats.h, noc_stats.h; SPEC.md §3.3, §4.1, §5, §7.6), accumulated timestep by timestep so that a
// run never keeps its records to compute them.
#pragma once

#include <memory>
#include <vector>

#include "base/run_result.h"
#include "chip/chip_config.h"
#include "chip/chip_stats.h"
#include "chip/noc_stats.h"
#include "core/core_image.h"
#include "common/stats.h"
#include "core/core_stats.h"

namespace neurochip::sim {

/// The core statistics that the datapath counts as it works (SRAM words, synaptic events, dropped
/// input events), each with its field of CoreCounters: the one list both backends map with (the
/// cycle runner reads the counters into CoreCounters, the functional run adds CoreCounters into
/// the counters). The timestep-level statistics (cycles, spikes, input events, latency) come from
/// the timestep records, CoreStats::record. `f(field, counter)` is called once per pair.
template <class Counters, class Stats, class F>
void for_each_datapath_counter(Counters& k, Stats& s, F&& f) {
  f(k.neuron_sram_reads, s.neuron_reads);
  f(k.neuron_sram_writes, s.neuron_writes);
  f(k.input_sram_reads, s.input_reads);
  f(k.recurrent_sram_reads, s.recurrent_reads);
  f(k.output_sram_reads, s.output_reads);
  f(k.input_sram_writes, s.input_writes);
  f(k.recurrent_sram_writes, s.recurrent_writes);
  f(k.output_sram_writes, s.output_writes);
  f(k.synaptic_events, s.synaptic_events);
  f(k.nonzero_synaptic_events, s.nonzero_synaptic_events);
  f(k.unmapped_input_events, s.unmapped_input_events);
  f(k.late_input_events, s.late_input_events);
  if (s.axon_table_reads) f(k.axon_table_reads, *s.axon_table_reads);
  if (s.synapse_list_reads) f(k.synapse_list_reads, *s.synapse_list_reads);
}

class FunctionalStats {
 public:
  FunctionalStats(const hw::ChipConfig& chip, const hw::ChipImage& image);
  /// Accounts one core's timestep.
  void record(const CoreTimestepRecord& r) { cores_.at(r.core)->record(r); }
  /// The network's statistics (stats.chip.noc), or null on a chip without a network.
  hw::NocStats* noc() { return noc_.get(); }
  /// The statistics after the run: chip totals and the per-core counters.
  std::vector<hw::StatView> collect(uint64_t timesteps_completed, uint64_t overruns, uint64_t total_cycles,
                                    const std::vector<CoreCounters>& counters);

 private:
  hw::StatGroup root_{"stats"};
  hw::ChipStats chip_;
  std::unique_ptr<hw::NocStats> noc_;
  std::vector<std::unique_ptr<hw::CoreStats>> cores_;
};

}  // namespace neurochip::sim
