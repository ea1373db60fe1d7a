// Job runner (see runner.h).
#include "runner/runner.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <unistd.h>

#include "chip/chip_stats.h"
#include "core/core_stats.h"
#include "io/output_files.h"
#include "io/workload_stimulus.h"
#include "reference/functional_model.h"
#include "runner/cycle_runner.h"
#include "runner/progress.h"

namespace neurochip::sim {
namespace {

using Clock = std::chrono::steady_clock;

double monotonic_seconds() {
  return std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
}

}  // namespace

const char* fidelity_name(Fidelity f) { return f == Fidelity::kCycle ? "cycle" : "functional"; }

std::vector<hw::StatView> functional_stats(const hw::ChipConfig& chip, const RunResult& result) {
  hw::StatGroup root("stats");
  hw::ChipStats chip_stats(chip.name, root, chip.clock_period_ps);
  std::vector<std::unique_ptr<hw::CoreStats>> cores;
  for (const auto& core : chip.cores) cores.push_back(std::make_unique<hw::CoreStats>(core, chip_stats.group));
  chip_stats.timesteps += result.timesteps_completed;
  chip_stats.overruns += result.overruns;
  chip_stats.cycles += result.total_cycles;
  for (const CoreTimestepRecord& r : result.timesteps) cores.at(r.core)->record(r);
  for (size_t c = 0; c < cores.size() && c < result.counters.size(); ++c) {
    const CoreCounters& k = result.counters[c];
    hw::CoreStats& s = *cores[c];
    s.synaptic_events += k.synaptic_events;
    s.neuron_reads += k.neuron_sram_reads;
    s.neuron_writes += k.neuron_sram_writes;
    s.input_reads += k.input_sram_reads;
    s.recurrent_reads += k.recurrent_sram_reads;
    s.output_reads += k.output_sram_reads;
    s.input_writes += k.input_sram_writes;
    s.recurrent_writes += k.recurrent_sram_writes;
    s.output_writes += k.output_sram_writes;
    s.unmapped_input_events += k.unmapped_input_events;
    s.late_input_events += k.late_input_events;
  }
  return root.collect();
}

JobOutcome simulate(const RunConfig& rc, const RunOptions& opts) {
  JobOutcome out;
  const uint64_t timesteps = rc.workload.timesteps;
  const bool has_readouts = [&] {
    for (const auto& c : rc.chip.cores)
      if (c.image.readouts > 0) return true;
    return false;
  }();
  const auto t0 = Clock::now();
  ProgressLine progress(timesteps, opts.progress, stderr, isatty(2) != 0, monotonic_seconds);
  const auto on_timestep = [&progress](uint64_t done) { progress.update(done); };
  if (opts.fidelity == Fidelity::kFunctional) {
    WorkloadStimulus stimulus(rc);
    out.result = run_functional(rc.chip, stimulus, timesteps, has_readouts, on_timestep);
    out.stats = functional_stats(rc.chip, out.result);
  } else {
    CycleOptions co;
    co.record_readouts = has_readouts;
    co.on_timestep = on_timestep;
    namespace fs = std::filesystem;
    const fs::path vcd_final = fs::path(opts.out_dir) / "waves.vcd";
    const fs::path vcd_tmp = fs::path(opts.out_dir) / ".waves.tmp";  // SystemC appends ".vcd"
    if (opts.vcd) {
      co.vcd_path = vcd_tmp.string();
      co.vcd_neurons = opts.vcd_neurons;
    }
    WorkloadStimulus stimulus(rc);
    out.result = run_cycle(rc.chip, stimulus, timesteps, co, &out.stats);
    if (opts.vcd) fs::rename(vcd_tmp.string() + ".vcd", vcd_final);
  }
  out.wall_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return out;
}

void write_outputs(const RunConfig& rc, const RunOptions& opts, const JobOutcome& outcome,
                   const std::string& resolved_config_yaml) {
  namespace fs = std::filesystem;
  const fs::path dir(opts.out_dir);
  const RunResult& r = outcome.result;
  write_file_atomically((dir / "spikes.csv").string(), [&](std::ostream& os) { write_spikes_csv(os, r.spikes); });
  write_file_atomically((dir / "timesteps.csv").string(),
                        [&](std::ostream& os) { write_timesteps_csv(os, r.timesteps); });
  if (!r.readout_trace.empty())
    write_file_atomically((dir / "readouts.csv").string(),
                          [&](std::ostream& os) { write_readouts_csv(os, rc.chip, r.readout_trace); });
  write_file_atomically((dir / "stats.json").string(), [&](std::ostream& os) {
    write_stats_json(os, outcome.stats, fidelity_name(opts.fidelity), rc.source_file);
  });
  write_file_atomically((dir / "populations.csv").string(),
                        [&](std::ostream& os) { write_populations_csv(os, rc); });
  write_file_atomically((dir / "resolved_config.yaml").string(),
                        [&](std::ostream& os) { os << resolved_config_yaml; });
  // Files this run does not produce but an earlier run into the same directory may have left:
  // they describe other results, so they go once the new results are complete.
  std::error_code ec;
  if (r.readout_trace.empty()) fs::remove(dir / "readouts.csv", ec);
  if (!opts.vcd) fs::remove(dir / "waves.vcd", ec);
}

}  // namespace neurochip::sim
