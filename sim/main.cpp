// neurochip command line: `neurochip run CONFIG` simulates a chip description and writes its
// results; `neurochip check CONFIG` validates it and prints the fully resolved configuration.
// Exit codes: 0 success, 1 I/O or internal error, 2 bad command line or configuration,
// 3 timing error (fixed timestep policy with on_overrun: halt).
#include <cstdlib>
#include <algorithm>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <systemc>

#include "config/config_loader.h"
#include "runner/runner.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitConfig = 2;
constexpr int kExitTimingError = 3;

void print_summary(const neurochip::sim::RunConfig& rc, const neurochip::sim::RunOptions& opts,
                   const neurochip::sim::JobOutcome& outcome) {
  const auto& r = outcome.result;
  uint64_t synaptic_events = 0;
  for (const auto& c : r.counters) synaptic_events += c.synaptic_events;
  const double ns = static_cast<double>(r.total_cycles) * 1000.0 / rc.chip.clock_mhz;
  uint64_t latency_sum = 0, latency_max = 0;
  for (const auto& t : r.timesteps) {
    latency_sum += t.cycles.total();
    latency_max = std::max(latency_max, t.cycles.total());
  }
  const double latency_mean = r.timesteps.empty() ? 0.0 : static_cast<double>(latency_sum) / r.timesteps.size();
  std::fprintf(stderr,
               "[neurochip] %s: %llu timesteps, %zu spikes, %llu synaptic events, %llu cycles (%.3f ms at %u MHz)\n"
               "[neurochip] core timestep latency: mean %.1f cycles (%.3f us), max %llu cycles (%.3f us)\n"
               "[neurochip] %s fidelity, %.3f s wall, %.0f timesteps/s, %.1f M synaptic events/s -> %s/\n",
               rc.chip.name.c_str(), static_cast<unsigned long long>(r.timesteps_completed), r.spikes.size(),
               static_cast<unsigned long long>(synaptic_events), static_cast<unsigned long long>(r.total_cycles),
               ns * 1e-6, rc.chip.clock_mhz, latency_mean, latency_mean / rc.chip.clock_mhz,
               static_cast<unsigned long long>(latency_max), static_cast<double>(latency_max) / rc.chip.clock_mhz,
               neurochip::sim::fidelity_name(opts.fidelity), outcome.wall_seconds,
               r.timesteps_completed / std::max(outcome.wall_seconds, 1e-9),
               synaptic_events / std::max(outcome.wall_seconds, 1e-9) * 1e-6, opts.out_dir.c_str());
}

/// Why `path` cannot be the output directory ("" when it can): it must be named and, if it
/// exists, be a directory. Checked while the command line is parsed, before anything is loaded.
std::string output_directory_problem(const std::string& path) {
  if (path.empty()) return "the output directory is empty";
  std::error_code ec;
  const std::filesystem::file_status status = std::filesystem::status(path, ec);
  if (std::filesystem::exists(status) && !std::filesystem::is_directory(status)) {
    return "'" + neurochip::sim::echo(path, neurochip::sim::kMaxEchoPathChars) + "' exists and is not a directory";
  }
  return "";
}

}  // namespace

// SystemC prints its banner before sc_main runs unless this is set during static initialisation.
static const int kSystemcBannerOff = setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);

int sc_main(int argc, char* argv[]) {
  using namespace neurochip::sim;
  sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);  // e.g. VCD timescale notes

  CLI::App app{"neurochip: cycle-accurate emulator of neuromorphic chips described in YAML"};
  app.require_subcommand(1);
  // CLI11 quotes the offending argument in its messages: escaped like every echo of user text.
  app.failure_message([](const CLI::App* failed, const CLI::Error& e) {
    const std::string message = CLI::FailureMessage::simple(failed, e);
    const std::string what = e.what();
    const size_t rest = message.compare(0, what.size(), what) == 0 ? what.size() : 0;
    return echo(what, kMaxEchoPathChars) + message.substr(rest);
  });
  app.set_version_flag("--version", "neurochip 0.1.0");
  app.footer(
      "Examples:\n"
      "  neurochip run configs/chips/reckon.yaml --out out/reckon\n"
      "  neurochip run configs/examples/tiny.yaml --vcd --out out/tiny\n"
      "  neurochip run configs/chips/reckon.yaml --set workload.timesteps=5000 --fidelity functional\n"
      "  neurochip check configs/chips/reckon.yaml\n"
      "Outputs: spikes.csv timesteps.csv readouts.csv populations.csv stats.json resolved_config.yaml\n"
      "         [waves.vcd]; formats in traces/README.md, YAML keys in configs/README.md.\n"
      "Exit codes: 0 ok, 1 I/O or internal error, 2 bad command line or configuration,\n"
      "            3 timing error (fixed timestep overrun with on_overrun: halt).");

  std::string config;
  std::vector<std::string> overrides;
  RunOptions opts;
  std::string fidelity = "cycle";
  bool quiet = false;

  CLI::App* run = app.add_subcommand("run", "simulate a chip + workload description and write its results");
  run->add_option("config", config, "chip + workload YAML file (see configs/README.md)")->required();
  run->add_option("-o,--out", opts.out_dir, "output directory (created if missing)")
      ->capture_default_str()
      ->check(CLI::Validator(output_directory_problem, ""));
  run->add_option("-s,--set", overrides, "override a key, e.g. --set chip.cores.0.neuron.threshold=500 (repeatable)");
  run->add_option("-f,--fidelity", fidelity, "cycle: SystemC cycle-accurate model; functional: timestep-level reference")
      ->check(CLI::IsMember({"cycle", "functional"}))
      ->capture_default_str();
  run->add_flag("--vcd", opts.vcd, "write waves.vcd (phases, membranes, readouts) for GTKWave (cycle fidelity)");
  run->add_option("--vcd-neurons", opts.vcd_neurons, "membranes traced per core in the VCD")->capture_default_str();
  run->add_flag("-q,--quiet", quiet, "no progress line and no summary on stderr");

  CLI::App* check = app.add_subcommand("check", "validate a description and print the resolved configuration");
  check->add_option("config", config, "chip + workload YAML file")->required();
  check->add_option("-s,--set", overrides, "override a key (repeatable)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitConfig;
  }

  try {
    RunConfig rc = load_run_config(config, overrides);
    const std::string resolved = emit_resolved_config(rc);
    if (check->parsed()) {
      std::cout << resolved;
      return kExitOk;
    }
    opts.fidelity = fidelity == "functional" ? Fidelity::kFunctional : Fidelity::kCycle;
    opts.progress = !quiet;
    if (opts.vcd && opts.fidelity != Fidelity::kCycle) {
      std::cerr << "neurochip: --vcd needs --fidelity cycle (the functional model has no cycles to trace)\n";
      return kExitConfig;
    }
    std::filesystem::create_directories(opts.out_dir);
    const JobOutcome outcome = simulate(rc, opts);
    write_outputs(rc, opts, outcome, resolved);
    if (!quiet) print_summary(rc, opts, outcome);
    if (outcome.result.halted) {
      const auto& r = outcome.result;
      std::cerr << "neurochip: timing error: timestep " << (r.timesteps_completed - 1)
                << " took longer than chip.timestep.cycles_per_timestep = "
                << rc.chip.timestep.cycles_per_timestep
                << " cycles; the chip halted (results up to that timestep were written)\n";
      return kExitTimingError;
    }
    return kExitOk;
  } catch (const ConfigError& e) {
    for (const auto& d : e.diagnostics()) std::cerr << d.str() << '\n';
    if (!e.omitted_note().empty()) std::cerr << e.omitted_note() << '\n';
    std::cerr << "neurochip: " << e.total() << " configuration error" << (e.total() == 1 ? "" : "s")
              << "; nothing was simulated\n";
    return kExitConfig;
  } catch (const std::exception& e) {
    std::cerr << "neurochip: error: " << echo(e.what(), kMaxEchoPathChars) << '\n';
    return kExitFailure;
  }
}
