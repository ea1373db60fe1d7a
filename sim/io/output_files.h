// Writers of a run's result files (formats documented in traces/README.md): spikes.csv,
// timesteps.csv, readouts.csv and stats.json. Every file is written to a temporary name in the
// output directory and renamed into place only when complete, so a failed run never leaves a
// truncated file under a final name and never clobbers earlier results with partial ones.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "chip/chip_config.h"
#include "common/stats.h"
#include "base/run_config.h"
#include "base/run_result.h"

namespace neurochip::sim {

/// Writes `path` atomically: `fill` streams the content to a temporary file next to it, which is
/// then renamed over `path`. Throws std::runtime_error on I/O failure (the temporary is removed).
void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& fill);

void write_spikes_csv(std::ostream& os, const std::vector<hw::EmittedSpike>& spikes);
void write_timesteps_csv(std::ostream& os, const std::vector<CoreTimestepRecord>& records);
void write_readouts_csv(std::ostream& os, const hw::ChipConfig& chip,
                        const std::vector<std::vector<int32_t>>& readout_trace);
/// populations.csv: where each population's slots are, to map spikes.csv back to the network.
void write_populations_csv(std::ostream& os, const RunConfig& rc);
/// stats.json: {"neurochip": {...run identification...}, "stats": [{name, unit, description, value...}]}
void write_stats_json(std::ostream& os, const std::vector<hw::StatView>& stats,
                      const std::string& fidelity, const std::string& config_file);

}  // namespace neurochip::sim
