// Benchmark of the learning backends (SPEC.md §6.7): one learning workload with `learning.backend`
// model, rtl and lockstep, measured in one process (each run a forked child: SystemC elaborates once
// per process; only sc_start() is timed). Prints timesteps/s of each, the ratio model ÷ rtl (target
// ≥ 10) and whether the three learned identical weights, spikes and cycles. Every variant is timed `repeats` times and its best run counts.
// Usage: neurochip_learning_bench CONFIG [repeats] [--set key=value ...]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <systemc>

#include "config/config_loader.h"
#include "io/workload_stimulus.h"
#include "bench_support.h"
#include "runner/cycle_runner.h"
#include "wrapper/rtl_eprop_backend.h"

namespace {

/// What a child reports: its time and digests of what it computed.
struct BackendRun {
  double wall = 0;
  uint64_t weights_digest = 0, spikes_digest = 0, total_cycles = 0, spikes = 0;
  uint8_t ok = 0;
};

/// FNV-1a over bytes.
uint64_t fnv(uint64_t h, const void* data, size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

/// `waveform_dir`: where lockstep keeps its waveform window (empty: none).
BackendRun run_in_child(neurochip::sim::RunConfig rc, const neurochip::hw::InputSchedule& stimulus,
                        neurochip::hw::LearningBackend backend, const std::string& waveform_dir) {
  using namespace neurochip;
  return bench::in_child<BackendRun>([&] {
    BackendRun r;
    for (hw::CoreConfig& c : rc.chip.cores)
      if (c.learning.traces()) c.learning.backend = backend;
    sim::CycleOptions options;
    options.samples = sim::sample_schedule(rc.workload.samples);
    options.learning_backends = rtl::make_learning_backends({waveform_dir});
    sim::CycleSimulation sim("bench", rc.chip, rc.image, stimulus, rc.workload.timesteps, options);
    const auto t0 = std::chrono::steady_clock::now();
    sc_core::sc_start();
    r.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const sim::RunResult result = sim.result();
    uint64_t wd = 1469598103934665603ull, sd = wd;
    for (const auto& st : result.final_state)
      for (const auto* m : {&st.learned.input_weights, &st.learned.recurrent_weights, &st.learned.output_weights})
        wd = fnv(wd, m->data(), m->size());
    for (const auto& s : result.spikes) {
      const uint64_t v[4] = {s.timestep, s.cycle, s.core, s.neuron};
      sd = fnv(sd, v, sizeof v);
    }
    r.weights_digest = wd;
    r.spikes_digest = sd;
    r.total_cycles = result.total_cycles;
    r.spikes = result.spikes.size();
    r.ok = 1;
    return r;
  });
}

}  // namespace

static const int kSystemcBannerOff = setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);

int sc_main(int argc, char* argv[]) {
  using namespace neurochip;
  const std::optional<bench::BenchArgs> args = bench::parse_bench_args(argc, argv, 1);
  if (!args) return 2;
  const int repeats = args->repeats;
  sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
  try {
    const sim::RunConfig rc = sim::load_run_config(args->config, args->overrides);
    if (std::none_of(rc.chip.cores.begin(), rc.chip.cores.end(), [](const auto& c) { return c.learning.learns(); })) {
      std::fprintf(stderr, "neurochip_learning_bench: %s has no core that learns\n", args->config.c_str());
      return 2;
    }
    const hw::InputSchedule stimulus = sim::stimulus_schedule(rc);
    const uint64_t steps = rc.workload.timesteps;
    // lockstep as `neurochip run` does it (with its waveform window, in a scratch directory) and without.
    char scratch[] = "/tmp/neurochip_learning_bench_XXXXXX";
    if (!mkdtemp(scratch)) {
      std::fprintf(stderr, "neurochip_learning_bench: cannot create a scratch directory\n");
      return 1;
    }
    constexpr int kVariants = 4;
    const hw::LearningBackend backends[kVariants] = {hw::LearningBackend::kModel, hw::LearningBackend::kRtl,
                                                     hw::LearningBackend::kLockstep, hw::LearningBackend::kLockstep};
    const char* const names[kVariants] = {"model", "rtl", "lockstep", "lockstep (no waveform)"};
    const std::string dirs[kVariants] = {"", "", scratch, ""};
    BackendRun best[kVariants];
    for (auto& b : best) b.wall = 1e30;
    for (int i = 0; i < repeats; ++i) {
      for (int b = 0; b < kVariants; ++b) {
        const BackendRun r = run_in_child(rc, stimulus, backends[b], dirs[b]);
        if (!r.ok) {
          std::fprintf(stderr, "neurochip_learning_bench: the %s run failed (a divergence or an error)\n", names[b]);
          return 1;
        }
        if (r.wall < best[b].wall) best[b] = r;
      }
    }
    std::printf("learning workload: %s, %llu timesteps, %llu spikes, %llu chip cycles\n", args->config.c_str(),
                static_cast<unsigned long long>(steps), static_cast<unsigned long long>(best[0].spikes),
                static_cast<unsigned long long>(best[0].total_cycles));
    rmdir(scratch);
    std::printf("%-24s %10s %14s\n", "backend", "wall_s", "timesteps/s");
    for (int b = 0; b < kVariants; ++b)
      std::printf("%-24s %10.3f %14.0f\n", names[b], best[b].wall, steps / best[b].wall);
    std::printf("ratio model/rtl speed: %.1f (target >= 10)\n", best[1].wall / best[0].wall);
    std::printf("lockstep/rtl time: %.2f (%.2f without the waveform window)\n", best[2].wall / best[1].wall,
                best[3].wall / best[1].wall);
    bool same = true;
    for (int b = 1; b < kVariants; ++b)
      same = same && best[b].weights_digest == best[0].weights_digest &&
             best[b].spikes_digest == best[0].spikes_digest && best[b].total_cycles == best[0].total_cycles;
    std::printf("identical learned weights, spikes and cycles with model, rtl and lockstep: %s\n", same ? "yes" : "NO");
    return same ? 0 : 1;
  } catch (const sim::ConfigError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
}
