// Benchmark: the same workload in both fidelities, measured in one process so the ratio is
// meaningful on a noisy machine. Prints timesteps/s and synaptic events/s of each and the ratio
// cycle-accurate / functional, and checks that both produced identical spikes.
// Usage: neurochip_bench CONFIG [repeats]
#include <cstdlib>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "config/config_loader.h"
#include "io/workload_stimulus.h"
#include "reference/functional_model.h"
#include "runner/cycle_runner.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

uint64_t synaptic_events(const neurochip::sim::RunResult& r) {
  uint64_t n = 0;
  for (const auto& c : r.counters) n += c.synaptic_events;
  return n;
}

}  // namespace

// SystemC prints its banner before sc_main runs unless this is set during static initialisation.
static const int kSystemcBannerOff = setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);

int sc_main(int argc, char* argv[]) {
  using namespace neurochip;
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CONFIG [repeats]\n", argv[0]);
    return 2;
  }
  const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
  sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
  try {
    const sim::RunConfig rc = sim::load_run_config(argv[1]);
    const uint64_t steps = rc.workload.timesteps;

    // Functional: best of `repeats` runs.
    double functional_s = 1e30;
    sim::RunResult functional;
    for (int i = 0; i < repeats; ++i) {
      const auto t0 = Clock::now();
      functional = sim::run_functional(rc.chip, sim::stimulus_schedule(rc), steps, false);
      functional_s = std::min(functional_s, seconds_since(t0));
    }

    // Cycle-accurate: `repeats` independent chips elaborated together (SystemC elaborates once
    // per process); their shared wall time divided by `repeats` is the time per run.
    std::vector<std::unique_ptr<sim::CycleSimulation>> sims;
    for (int i = 0; i < repeats; ++i)
      sims.push_back(std::make_unique<sim::CycleSimulation>("bench" + std::to_string(i), rc.chip, sim::stimulus_schedule(rc), steps));
    const auto t0 = Clock::now();
    sc_core::sc_start();
    const double cycle_s = seconds_since(t0) / repeats;
    const sim::RunResult cycle = sims[0]->result();

    const bool same = cycle.spikes.size() == functional.spikes.size() &&
                      std::equal(cycle.spikes.begin(), cycle.spikes.end(), functional.spikes.begin(),
                                 [](const hw::EmittedSpike& a, const hw::EmittedSpike& b) {
                                   return a.timestep == b.timestep && a.cycle == b.cycle &&
                                          a.core == b.core && a.neuron == b.neuron;
                                 });
    const uint64_t events = synaptic_events(functional);
    uint64_t neurons = 0;
    for (const auto& c : rc.chip.cores) neurons += c.image.neurons;
    const double seconds_bio = steps * rc.chip.timestep.duration_us * 1e-6;
    std::printf("workload: %s, %llu timesteps, %llu neurons, %zu spikes (%.1f Hz mean), %llu synaptic events, %llu cycles\n",
                argv[1], static_cast<unsigned long long>(steps), static_cast<unsigned long long>(neurons),
                functional.spikes.size(), functional.spikes.size() / (neurons * seconds_bio),
                static_cast<unsigned long long>(events), static_cast<unsigned long long>(functional.total_cycles));
    std::printf("%-12s %10s %14s %18s %16s\n", "fidelity", "wall_s", "timesteps/s", "synaptic_events/s", "sim_cycles/s");
    std::printf("%-12s %10.4f %14.0f %18.3e %16.3e\n", "functional", functional_s, steps / functional_s,
                events / functional_s, functional.total_cycles / functional_s);
    std::printf("%-12s %10.4f %14.0f %18.3e %16.3e\n", "cycle", cycle_s, steps / cycle_s, events / cycle_s,
                cycle.total_cycles / cycle_s);
    std::printf("ratio cycle/functional speed: %.3f (target >= 0.333)\n", functional_s / cycle_s);
    std::printf("cycle-accurate synaptic events/s: %.0f M (target >= 300 M)\n", events / cycle_s * 1e-6);
    std::printf("identical spikes in both fidelities: %s\n", same ? "yes" : "NO");
    return same ? 0 : 1;
  } catch (const sim::ConfigError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
}
