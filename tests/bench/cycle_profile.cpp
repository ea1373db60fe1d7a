// Profiling driver of the cycle-accurate backend (SPEC.md §4.1 schedule, §4.4 idle skipping): runs only
// the SystemC simulation, so that perf and callgrind see nothing else, and measures what SystemC alone
// costs per timestep with a skeleton of the same processes and waits and no datapath work.
//   neurochip_cycle_profile model CONFIG [chips]     the real chip(s), like the bench's cycle run
//   neurochip_cycle_profile skeleton CONFIG [chips]  Chip + NeuroCore threads with the same waits per
//                                                    timestep (timed waits of the phase cycles,
//                                                    delta-notified tick and done events), no datapath
//   neurochip_cycle_profile skeleton1 CONFIG [chips] the same with one timed wait per core and timestep
//                                                    (the four phases merged)
//   neurochip_cycle_profile elaborate CONFIG [chips] load and elaborate the model, no simulation (what
//                                                    the other modes' instruction counts include)
//   neurochip_cycle_profile skeleton0 CONFIG [chips] no core threads: the chip thread alone, one timed
//                                                    wait per timestep (the floor of a SystemC model
//                                                    that advances time once per timestep)
// Both print wall time per timestep and per chip. SystemC elaborates once per process: one mode per run.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "config/config_loader.h"
#include "io/workload_stimulus.h"
#include "core/core_timing.h"
#include "runner/cycle_runner.h"

namespace {

/// One core's thread: waits for the tick, then one timed wait per phase of the phase table (or one for
/// the whole timestep), then notifies done.
class SkeletonCore : public sc_core::sc_module {
 public:
  SkeletonCore(sc_core::sc_module_name name, const neurochip::hw::PhaseCycles& cycles, sc_core::sc_time period,
               bool merged)
      : sc_core::sc_module(name), cycles_(cycles), period_(period), merged_(merged) {
    SC_HAS_PROCESS(SkeletonCore);
    SC_THREAD(run);
  }
  sc_core::sc_event tick, done;

 private:
  void advance(uint64_t c) {
    if (c > 0) wait(period_ * static_cast<double>(c));
  }
  void run() {
    for (;;) {
      wait(tick);
      if (merged_) {
        advance(cycles_.total());
      } else {
        for (neurochip::hw::PhaseId id : neurochip::hw::PhaseTable::instance().order()) advance(cycles_[id]);
      }
      done.notify(sc_core::SC_ZERO_TIME);
    }
  }
  neurochip::hw::PhaseCycles cycles_;
  sc_core::sc_time period_;
  bool merged_;
};

/// The chip's tick thread: waits until the timestep's start, ticks every core, waits for all.
class SkeletonChip : public sc_core::sc_module {
 public:
  /// cores_per_timestep: "phases" (four timed waits), "merged" (one) or "none" (no core threads).
  SkeletonChip(sc_core::sc_module_name name, const neurochip::hw::ChipConfig& chip, uint64_t timesteps,
               const neurochip::hw::PhaseCycles& cycles, const std::string& cores)
      : sc_core::sc_module(name), timesteps_(timesteps), latency_(cycles.total()),
        period_(sc_core::sc_time::from_value(chip.clock_period_ps)) {
    for (size_t c = 0; cores != "none" && c < chip.cores.size(); ++c) {
      cores_.push_back(std::make_unique<SkeletonCore>(("core" + std::to_string(c)).c_str(), cycles, period_,
                                                      cores == "merged"));
      all_done_ &= cores_.back()->done;
    }
    SC_HAS_PROCESS(SkeletonChip);
    SC_THREAD(run);
  }

 private:
  void run() {
    uint64_t start = 0;
    for (uint64_t t = 0; t < timesteps_; ++t) {
      const sc_core::sc_time target = period_ * static_cast<double>(start);
      if (target > sc_core::sc_time_stamp()) wait(target - sc_core::sc_time_stamp());
      for (auto& core : cores_) core->tick.notify(sc_core::SC_ZERO_TIME);
      if (cores_.empty()) {
        wait(period_ * static_cast<double>(latency_));
      } else {
        wait(all_done_);
      }
      start += latency_;
    }
  }
  uint64_t timesteps_, latency_;
  sc_core::sc_time period_;
  std::vector<std::unique_ptr<SkeletonCore>> cores_;
  sc_core::sc_event_and_list all_done_;
};

}  // namespace

static const int kSystemcBannerOff = setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);

int sc_main(int argc, char* argv[]) {
  using namespace neurochip;
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s model|elaborate|skeleton|skeleton1|skeleton0 CONFIG [chips]\n", argv[0]);
    return 2;
  }
  const std::string mode = argv[1];
  const int chips = argc > 3 ? std::max(1, std::atoi(argv[3])) : 1;
  sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
  try {
    const sim::RunConfig rc = sim::load_run_config(argv[2]);
    const hw::InputSchedule stimulus = sim::stimulus_schedule(rc);
    const uint64_t steps = rc.workload.timesteps;
    std::vector<std::unique_ptr<sim::CycleSimulation>> sims;
    std::vector<std::unique_ptr<SkeletonChip>> skeletons;
    // The skeleton's phases take the bench's typical cycle counts (SYNC, STEP, STEP_DONE from the
    // formula, PROP with 7 active indices), so that the event queue sees the same kind of times.
    hw::TimestepWork work;
    work.active_indices = 7;
    const hw::CoreConfig& core0 = rc.chip.cores.at(0);
    const hw::PhaseCycles cycles = hw::phase_cycles_formula(
        core0, hw::CoreShape{core0.enabled.inputs, core0.enabled.neurons, core0.enabled.readouts}, work);
    for (int i = 0; i < chips; ++i) {
      const std::string name = "chip" + std::to_string(i);
      if (mode == "model" || mode == "elaborate") {
        sims.push_back(std::make_unique<sim::CycleSimulation>(name, rc.chip, rc.image, stimulus, steps));
      } else if (mode == "skeleton" || mode == "skeleton1" || mode == "skeleton0") {
        const std::string cores = mode == "skeleton" ? "phases" : (mode == "skeleton1" ? "merged" : "none");
        skeletons.push_back(std::make_unique<SkeletonChip>(name.c_str(), rc.chip, steps, cycles, cores));
      } else {
        std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
        return 2;
      }
    }
    const auto t0 = std::chrono::steady_clock::now();
    if (mode != "elaborate") sc_core::sc_start();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%s: %d chip(s) x %llu timesteps in %.4f s: %.1f ns per timestep per chip\n", mode.c_str(), chips,
                static_cast<unsigned long long>(steps), s, s / (static_cast<double>(steps) * chips) * 1e9);
    return 0;
  } catch (const sim::ConfigError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
}
