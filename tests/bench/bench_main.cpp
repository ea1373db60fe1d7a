// Benchmark: the same workload in both fidelities, measured in one process so the ratio is
// meaningful on a noisy machine. Prints timesteps/s and synaptic events/s of each and the ratio
// cycle-accurate / functional, and checks that both produced identical spikes. For LIF workloads it
// also runs the plain-loop baseline (plain_loop.h) compiled with the project's flags and for the host's
// SIMD, checks that it spikes exactly like the emulator, and prints the cycle model's speed relative
// to it.
// Every variant is timed `repeats` times and its best run counts (the same rule for all, so that the
// ratios compare like with like). SystemC elaborates once per process, so each cycle-model run is a
// forked child that elaborates one chip, times sc_start() and reports back through a pipe.
// A run of samples (a learning workload, configs/README.md `workload.samples`) is benchmarked with
// its sample protocol in both fidelities (no plain loop: it models neither samples nor learning).
// Usage: neurochip_bench CONFIG [repeats] [--set key=value ...]
#include <cstdlib>
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <systemc>

#include "config/config_loader.h"
#include "core/neuron_models/lif.h"
#include "io/workload_stimulus.h"
#include "core/row_kernels.h"
#include "bench_support.h"
#include "plain_loop.h"
#include "reference/functional_model.h"
#include "runner/cycle_runner.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

/// Wall time and CPU time of this (single-threaded) process over a section; CPU time leaves out the
/// time other processes of a shared machine held the core.
struct Stopwatch {
  Clock::time_point wall0 = Clock::now();
  std::clock_t cpu0 = std::clock();
  double wall() const { return seconds_since(wall0); }
  double cpu() const { return static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC; }
};

/// Best (smallest) wall and CPU time over several runs.
struct BestTimes {
  double wall = 1e30, cpu = 1e30;
  void add(const Stopwatch& w) {
    const double c = w.cpu(), s = w.wall();
    wall = std::min(wall, s);
    cpu = std::min(cpu, c);
  }
};

uint64_t synaptic_events(const neurochip::sim::RunResult& r) {
  uint64_t n = 0;
  for (const auto& c : r.counters) n += c.synaptic_events;
  return n;
}

/// Packets a chip with a network sends for `r`'s spikes (SPEC §7.7): one per spike and destination
/// core with source fan-out, one per spike of a neuron that sends off its core with table multicast.
uint64_t network_packets(const neurochip::sim::RunConfig& rc, const neurochip::sim::RunResult& r) {
  uint64_t n = 0;
  for (const neurochip::hw::EmittedSpike& s : r.spikes) {
    const std::vector<uint32_t>& begin = rc.image.cores[s.core].fanout_begin;
    if (s.neuron + 1 >= begin.size()) continue;
    const uint64_t copies = begin[s.neuron + 1] - begin[s.neuron];
    n += rc.chip.noc.multicast == neurochip::hw::noc::Multicast::kTable ? (copies > 0 ? 1 : 0) : copies;
  }
  return n;
}

/// One cycle-model run, timed in a child process.
struct CycleRun {
  double wall = 0, cpu = 0;
  uint64_t total_cycles = 0;
  uint8_t same_spikes = 0;  ///< the spikes equal `expected`, cycle stamps included
  uint8_t ok = 0;           ///< the child ran to the end and reported
};

bool same_spikes(const std::vector<neurochip::hw::EmittedSpike>& a, const std::vector<neurochip::hw::EmittedSpike>& b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](const neurochip::hw::EmittedSpike& x, const neurochip::hw::EmittedSpike& y) {
           return x.timestep == y.timestep && x.cycle == y.cycle && x.core == y.core && x.neuron == y.neuron;
         });
}

/// Elaborates the chip in a child process, runs it to the end (only sc_start() is timed) and
/// compares its spikes with `expected`.
CycleRun run_cycle_in_child(const neurochip::sim::RunConfig& rc, const neurochip::hw::InputSchedule& stimulus,
                            uint64_t steps, const std::vector<neurochip::hw::EmittedSpike>& expected) {
  return neurochip::bench::in_child<CycleRun>([&] {
    CycleRun r;
    neurochip::sim::CycleOptions options;
    options.samples = neurochip::sim::sample_schedule(rc.workload.samples);
    neurochip::sim::CycleSimulation sim("bench", rc.chip, rc.image, stimulus, steps, options);
    const Stopwatch watch;
    sc_core::sc_start();
    r.wall = watch.wall();
    r.cpu = watch.cpu();
    const neurochip::sim::RunResult result = sim.result();
    r.total_cycles = result.total_cycles;
    r.same_spikes = same_spikes(result.spikes, expected);
    r.ok = 1;
    return r;
  });
}

/// (timestep, neuron) of every spike of one core, in timestep order and ascending within a timestep.
using SpikeList = std::vector<std::pair<uint64_t, uint32_t>>;

/// The plain-loop baseline of every core of a workload: its inputs, and buffers for its spikes.
class PlainBaseline {
 public:
  /// Empty `why_not()` if every core is one the plain loop models (LIF).
  PlainBaseline(const neurochip::sim::RunConfig& rc, const neurochip::hw::InputSchedule& stimulus, uint64_t timesteps) {
    using namespace neurochip;
    const size_t cores = rc.chip.cores.size();
    offsets_.assign(cores, std::vector<uint64_t>(timesteps + 1, 0));
    axons_.resize(cores);
    for (uint64_t t = 0; t < timesteps; ++t) {
      for (size_t c = 0; c < cores; ++c) offsets_[c][t] = axons_[c].size();
      if (t < stimulus.size())
        for (const hw::AerEvent& e : stimulus[t]) axons_[e.core].push_back(e.address);
    }
    for (size_t c = 0; c < cores; ++c) {
      offsets_[c][timesteps] = axons_[c].size();
      const hw::CoreConfig& cfg = rc.chip.cores[c];
      if (cfg.neuron.model().name != "lif") why_not_ = "core " + cfg.name + " is not LIF";
      if (cfg.learning.traces() || cfg.rounding.mode == hw::RoundingMode::kStochastic || cfg.noise.enabled ||
          rc.workload.samples.enabled)
        why_not_ = "core " + cfg.name + " learns, rounds stochastically, has noise or runs samples (the plain loop has none)";
      bench::PlainCore pc;
      pc.inputs = cfg.enabled.inputs;
      pc.neurons = cfg.enabled.neurons;
      pc.threshold = static_cast<int32_t>(cfg.neuron.get("threshold"));
      pc.alpha = static_cast<uint32_t>(cfg.neuron.get("alpha"));
      pc.reset_subtract = cfg.neuron.get("reset") == hw::lif::kResetSubtract;
      pc.refractory_steps = static_cast<uint32_t>(cfg.neuron.get("refractory_steps"));
      pc.input_shift = cfg.weights.input_shift;
      pc.recurrent_shift = cfg.weights.recurrent_shift;
      pc.input_weights = rc.image.cores[c].input_weights.data();
      pc.recurrent_weights = rc.image.cores[c].recurrent_weights.data();
      pc.timesteps = timesteps;
      pc.event_offsets = offsets_[c].data();
      pc.event_axons = axons_[c].data();
      cores_.push_back(pc);
    }
    if (rc.chip.noc.enabled) why_not_ = "the chip has a network (the plain loop models independent cores)";
    counts_.assign(cores, std::vector<uint32_t>(timesteps, 0));
    neurons_.resize(cores);
  }

  const std::string& why_not() const { return why_not_; }

  /// Runs every core with `entry`; returns the wall time. Spike buffers hold `capacity` per core.
  void run(void (*entry)(const neurochip::bench::PlainCore&, neurochip::bench::PlainSpikes&), uint64_t capacity,
           BestTimes* times = nullptr) {
    std::vector<neurochip::bench::PlainSpikes> out(cores_.size());
    for (size_t c = 0; c < cores_.size(); ++c) {
      neurons_[c].assign(capacity, 0);
      out[c].spikes_per_timestep = counts_[c].data();
      out[c].neurons = neurons_[c].data();
      out[c].capacity = capacity;
    }
    const Stopwatch watch;
    for (size_t c = 0; c < cores_.size(); ++c) entry(cores_[c], out[c]);
    if (times) times->add(watch);
    last_total_.assign(out.size(), 0);
    for (size_t c = 0; c < cores_.size(); ++c) last_total_[c] = out[c].total;
  }

  /// Spikes of core c in the last run (empty and false if they did not fit the buffer).
  bool spikes(size_t c, SpikeList& list) const {
    list.clear();
    if (last_total_[c] > neurons_[c].size()) return false;
    uint64_t k = 0;
    for (uint64_t t = 0; t < counts_[c].size(); ++t)
      for (uint32_t s = 0; s < counts_[c][t]; ++s) list.emplace_back(t, neurons_[c][k++]);
    return true;
  }

 private:
  std::vector<std::vector<uint64_t>> offsets_;
  std::vector<std::vector<uint32_t>> axons_;
  std::vector<neurochip::bench::PlainCore> cores_;
  std::vector<std::vector<uint32_t>> counts_;
  std::vector<std::vector<uint32_t>> neurons_;
  std::vector<uint64_t> last_total_;
  std::string why_not_;
};

SpikeList core_spikes(const neurochip::sim::RunResult& r, uint32_t core) {
  SpikeList list;
  for (const auto& s : r.spikes)
    if (s.core == core) list.emplace_back(s.timestep, s.neuron);
  return list;
}

}  // namespace

// SystemC prints its banner before sc_main runs unless this is set during static initialisation.
static const int kSystemcBannerOff = setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);

int sc_main(int argc, char* argv[]) {
  using namespace neurochip;
  const std::optional<bench::BenchArgs> args = bench::parse_bench_args(argc, argv, 5);
  if (!args) return 2;
  const int repeats = args->repeats;
  sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
  try {
    const sim::RunConfig rc = sim::load_run_config(args->config, args->overrides);
    const hw::InputSchedule stimulus = sim::stimulus_schedule(rc);
    const uint64_t steps = rc.workload.timesteps;

    // Best of `repeats` runs of each variant, interleaved: functional, plain loops (3 runs of each
    // build per round), then the cycle model in a child process.
    PlainBaseline plain(rc, stimulus, steps);
    const bool run_plain = plain.why_not().empty();
    BestTimes functional_t, plain_generic_t, plain_native_t;
    sim::RunResult functional;
    double cycle_s = 1e30, cycle_cpu_s = 1e30;
    bool same = true;
    uint64_t cycle_total_cycles = 0;
    for (int i = 0; i < repeats; ++i) {
      const Stopwatch watch;
      functional = sim::run_functional(rc.chip, rc.image, stimulus, steps, false, {},
                                       sim::sample_schedule(rc.workload.samples));
      functional_t.add(watch);
      const uint64_t capacity = functional.spikes.size() + 1;
      for (int k = 0; run_plain && k < 3; ++k) {
        plain.run(bench::run_plain_generic, capacity, &plain_generic_t);
        plain.run(bench::run_plain_native, capacity, &plain_native_t);
      }
      const CycleRun run = run_cycle_in_child(rc, stimulus, steps, functional.spikes);
      if (!run.ok) {
        std::fprintf(stderr, "neurochip_bench: the cycle-model run in a child process failed\n");
        return 1;
      }
      same = same && run.same_spikes && run.total_cycles == functional.total_cycles;
      cycle_total_cycles = run.total_cycles;
      cycle_s = std::min(cycle_s, run.wall);
      cycle_cpu_s = std::min(cycle_cpu_s, run.cpu);
    }
    const double functional_s = functional_t.wall;

    const uint64_t events = synaptic_events(functional);
    uint64_t neurons = 0;
    for (const auto& c : rc.chip.cores) neurons += c.enabled.neurons;
    const double seconds_bio = steps * rc.chip.timestep.duration_us * 1e-6;
    std::printf("workload: %s, %llu timesteps, %llu neurons, %zu spikes (%.1f Hz mean), %llu synaptic events, %llu cycles\n",
                args->config.c_str(), static_cast<unsigned long long>(steps), static_cast<unsigned long long>(neurons),
                functional.spikes.size(), functional.spikes.size() / (neurons * seconds_bio),
                static_cast<unsigned long long>(events), static_cast<unsigned long long>(functional.total_cycles));
    std::printf("%-12s %10s %14s %18s %16s\n", "fidelity", "wall_s", "timesteps/s", "synaptic_events/s", "sim_cycles/s");
    std::printf("%-12s %10.4f %14.0f %18.3e %16.3e\n", "functional", functional_s, steps / functional_s,
                events / functional_s, functional.total_cycles / functional_s);
    std::printf("%-12s %10.4f %14.0f %18.3e %16.3e\n", "cycle", cycle_s, steps / cycle_s, events / cycle_s,
                cycle_total_cycles / cycle_s);
    if (rc.chip.noc.enabled) {
      // The router issue's targets (a chip with a network): packets as the chip sends them (SPEC §7.7).
      const uint64_t packets = network_packets(rc, functional);
      std::printf("network: %s %u x %u, multicast %s, %llu packets; cycle model %.3e packets/s\n",
                  rc.chip.noc.topology == hw::noc::TopologyKind::kTorus ? "torus" : "mesh", rc.chip.noc.width,
                  rc.chip.noc.height, rc.chip.noc.multicast == hw::noc::Multicast::kTable ? "table" : "source",
                  static_cast<unsigned long long>(packets), packets / cycle_s);
      std::printf("cycle model time / functional time: %.2f (target <= 5)\n", cycle_s / functional_s);
      std::printf("cycle-accurate synaptic events/s: %.1f M (target >= 100 M on the 8 x 8 mesh)\n",
                  events / cycle_s * 1e-6);
    } else {
      std::printf("ratio cycle/functional speed: %.3f (target >= 0.333)\n", functional_s / cycle_s);
      std::printf("cycle-accurate synaptic events/s: %.0f M (target >= 300 M)\n", events / cycle_s * 1e-6);
    }
    std::printf("identical spikes in both fidelities: %s\n", same ? "yes" : "NO");
    std::printf("cycle model row kernels: %s (NEUROCHIP_ROW_KERNELS overrides)\n",
                hw::kernels::isa_name(hw::kernels::RowKernels::best().isa()));
    if (!run_plain) {
      std::printf("plain loop baseline: not run (%s)\n", plain.why_not().c_str());
      return same ? 0 : 1;
    }

    // The last plain run was the host-SIMD build; check it, then the generic build once more.
    bool plain_same = true;
    SpikeList got;
    for (int variant = 0; variant < 2; ++variant) {
      if (variant == 1) plain.run(bench::run_plain_generic, functional.spikes.size() + 1);
      for (uint32_t c = 0; c < rc.chip.cores.size(); ++c)
        plain_same = plain_same && plain.spikes(c, got) && got == core_spikes(functional, c);
    }
    // Rates from process CPU time (robust against other processes on a shared machine); wall time
    // alongside; each the best of its runs. The cycle model's spikes equal the functional model's
    // (checked above), so the plain loop is checked against those.
    const auto row = [&](const char* name, double wall, double cpu) {
      std::printf("%-16s %10.4f %10.4f %14.0f %18.3e\n", name, wall, cpu, steps / cpu, events / cpu);
    };
    std::printf("%-16s %10s %10s %14s %18s\n", "variant", "wall_s", "cpu_s", "timesteps/s", "synaptic_events/s");
    row("plain_generic", plain_generic_t.wall, plain_generic_t.cpu);
    row("plain_host_simd", plain_native_t.wall, plain_native_t.cpu);
    row("functional", functional_t.wall, functional_t.cpu);
    row("cycle", cycle_s, cycle_cpu_s);
    std::printf("ratio cycle/plain_host_simd speed: %.3f CPU time, %.3f wall time (target >= 0.667)\n",
                plain_native_t.cpu / cycle_cpu_s, plain_native_t.wall / cycle_s);
    std::printf("ratio cycle/plain_generic speed: %.3f CPU time, %.3f wall time\n", plain_generic_t.cpu / cycle_cpu_s,
                plain_generic_t.wall / cycle_s);
    std::printf("identical spikes in the plain loop (both builds) and the emulator: %s\n", plain_same ? "yes" : "NO");
    return same && plain_same ? 0 : 1;
  } catch (const sim::ConfigError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
}
