// neurochip command line: `neurochip run CONFIG` simulates a chip description and writes its
// results; `neurochip check CONFIG` validates it and prints the fully resolved configuration;
// `neurochip compare RUN_A RUN_B` reports the first divergence between two run directories.
// Exit codes: 0 success, 1 I/O or internal error, 2 bad command line or configuration,
// 3 timing error (fixed timestep policy with on_overrun: halt); compare: 0 equal, 1 divergent,
// 2 bad usage or a directory without a complete run.
#include <cstdlib>
#include <algorithm>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <systemc>

#include "check/compare.h"
#include "check/routes.h"
#include "check/utilisation.h"
#include "config/config_loader.h"
#include "config/schema_doc.h"
#include "reference/float_eprop.h"
#include "io/cue_accumulation.h"
#include "io/divergence_report.h"
#include "io/output_set.h"
#include "io/manifest.h"
#include "runner/runner.h"
#include "sweep/mpi_farm.h"
#include "sweep/sweep_db.h"
#include "sweep/sweep_report.h"
#include "sweep/sweep_runner.h"
#include "sweep/sweep_spec.h"
#ifdef NEUROCHIP_HAVE_RTL
#include "wrapper/rtl_eprop_backend.h"
#endif

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitConfig = 2;
constexpr int kExitTimingError = 3;
constexpr int kExitDivergence = 4;  ///< learning.backend lockstep: the model and the RTL disagreed

/// `--vcd-links`: comma-separated ROUTER:LINK; the problem in words, or empty.
std::string parse_link_list(const std::string& text, uint32_t routers, std::vector<neurochip::sim::LinkRef>& out) {
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    const size_t colon = item.find(':');
    if (colon == std::string::npos) return "expected ROUTER:LINK, got '" + neurochip::sim::echo(item, 40) + "'";
    const std::string router = item.substr(0, colon), link = item.substr(colon + 1);
    if (router.empty() || router.size() > 6 || router.find_first_not_of("0123456789") != std::string::npos ||
        std::stoul(router) >= routers)
      return "router '" + neurochip::sim::echo(router, 40) + "' is not one of 0.." + std::to_string(routers - 1);
    uint32_t l = 0;
    while (l <= neurochip::hw::noc::kPorts &&
           link != neurochip::hw::noc::link_name(l))
      ++l;
    if (l > neurochip::hw::noc::kPorts)
      return "link '" + neurochip::sim::echo(link, 40) + "' is not one of east, west, north, south, local, injection";
    out.push_back({static_cast<uint32_t>(std::stoul(router)), l});
  }
  return out.empty() ? "no link given" : "";
}

void print_summary(const neurochip::sim::RunConfig& rc, const neurochip::sim::RunOptions& opts,
                   const neurochip::sim::JobOutcome& outcome) {
  const auto& r = outcome.totals;
  uint64_t synaptic_events = 0;
  for (const auto& c : r.counters) synaptic_events += c.synaptic_events;
  const double period_ns = static_cast<double>(rc.chip.clock_period_ps) / 1000.0;
  const double ns = static_cast<double>(r.total_cycles) * period_ns;
  const double latency_mean =
      outcome.records == 0 ? 0.0 : static_cast<double>(outcome.latency_sum) / static_cast<double>(outcome.records);
  std::fprintf(stderr,
               "[neurochip] %s: %llu timesteps, %llu spikes, %llu synaptic events, %llu cycles (%.3f ms at %.6g MHz)\n"
               "[neurochip] core timestep latency: mean %.1f cycles (%.3f us), max %llu cycles (%.3f us)\n"
               "[neurochip] %s fidelity, %.3f s wall, %.0f timesteps/s, %.1f M synaptic events/s -> %s/\n",
               rc.chip.name.c_str(), static_cast<unsigned long long>(r.timesteps_completed),
               static_cast<unsigned long long>(outcome.spikes), static_cast<unsigned long long>(synaptic_events),
               static_cast<unsigned long long>(r.total_cycles), ns * 1e-6, 1000.0 / period_ns, latency_mean,
               latency_mean * period_ns / 1000.0, static_cast<unsigned long long>(outcome.latency_max),
               static_cast<double>(outcome.latency_max) * period_ns / 1000.0,
               neurochip::sim::fidelity_name(opts.fidelity), outcome.wall_seconds,
               r.timesteps_completed / std::max(outcome.wall_seconds, 1e-9),
               synaptic_events / std::max(outcome.wall_seconds, 1e-9) * 1e-6, opts.out_dir.c_str());
  if (outcome.samples > 0) {
    std::fprintf(stderr, "[neurochip] samples: %llu labelled, %llu correct (%.1f %%) -> %s/samples.csv\n",
                 static_cast<unsigned long long>(outcome.samples),
                 static_cast<unsigned long long>(outcome.samples_correct),
                 100.0 * static_cast<double>(outcome.samples_correct) / static_cast<double>(outcome.samples),
                 opts.out_dir.c_str());
  }
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

/// `neurochip compare`: prints what was compared and the first divergence (README "Comparing runs").
int compare_runs(const std::string& a, const std::string& b) {
  using namespace neurochip::sim;
  DirComparison c;
  try {
    c = compare_run_dirs(a, b);
  } catch (const IoError& e) {
    std::cerr << "neurochip compare: " << e.what() << '\n';
    return kExitConfig;
  }
  const auto list = [](const std::vector<std::string>& files) {
    std::string s;
    for (const auto& f : files) s += (s.empty() ? "" : ", ") + f;
    return s;
  };
  if (!c.only_in_a.empty()) std::cout << "only in " << a << ": " << list(c.only_in_a) << '\n';
  if (!c.only_in_b.empty()) std::cout << "only in " << b << ": " << list(c.only_in_b) << '\n';
  if (c.compared.empty()) {
    std::cerr << "neurochip compare: the two runs have no result file in common to compare\n";
    return kExitConfig;
  }
  std::cout << "compared: " << list(c.compared) << '\n';
  if (!c.first) {
    std::cout << "no divergence\n";
    return kExitOk;
  }
  std::cout << "first divergence: " << c.first->str() << '\n';
  if (!c.first->row_a.empty()) std::cout << "  " << a << ": " << c.first->row_a << '\n';
  if (!c.first->row_b.empty()) std::cout << "  " << b << ": " << c.first->row_b << '\n';
  for (const Divergence& d : c.per_file)
    if (d.file != c.first->file) std::cout << "also: " << d.str() << '\n';
  return kExitFailure;
}

/// `--mpi`: whether to run as an MPI task farm, and the arguments MPI_Init takes.
struct MpiArgs {
  bool on = false;
  int* argc = nullptr;
  char*** argv = nullptr;
};

/// `neurochip sweep` and `neurochip sweep merge` (README "Design-space exploration").
int sweep_command(const std::string& file, const std::string& out, const std::string& shard, bool merge,
                  const std::vector<std::string>& merge_dirs, bool quiet, neurochip::sim::SweepRunOptions opts,
                  const MpiArgs& mpi) {
  using namespace neurochip::sim;
  if (out.empty()) {
    std::cerr << "neurochip sweep: --out DIR is required\n";
    return kExitConfig;
  }
  try {
    if (merge) {
      std::filesystem::create_directories(out);
      SweepDb db(sweep_db_path(out));
      uint64_t added = 0;
      for (const std::string& d : merge_dirs) {
        if (!std::filesystem::exists(sweep_db_path(d))) {
          std::cerr << "neurochip sweep merge: " << d << " holds no sweep database (sweep.sqlite)\n";
          return kExitConfig;
        }
        added += db.merge_from(sweep_db_path(d));
      }
      std::cerr << "neurochip sweep merge: " << added << " points added -> " << sweep_db_path(out) << '\n';
      return kExitOk;
    }
    if (file.empty()) {
      std::cerr << "neurochip sweep: a sweep file is required (or `neurochip sweep merge`)\n";
      return kExitConfig;
    }
    unsigned long long k = 0, n = 0;
    char tail = 0;
    if (std::sscanf(shard.c_str(), "%llu/%llu%c", &k, &n, &tail) != 2 || n == 0 || k == 0 || k > n) {
      std::cerr << "neurochip sweep: --shard expects K/N with 1 <= K <= N, got '" << echo(shard) << "'\n";
      return kExitConfig;
    }
    const SweepSpec spec = load_sweep_file(file);
    opts.out_dir = out;
    opts.shard_index = k - 1;
    opts.shard_count = n;
    opts.progress = !quiet;
    std::error_code ec;
    opts.executable = std::filesystem::read_symlink("/proc/self/exe", ec).string();
    if (ec) throw std::runtime_error("cannot find the neurochip executable (/proc/self/exe)");
    SweepSummary s;
    if (mpi.on) {
      if (n > 1) {
        std::cerr << "neurochip sweep: --mpi farms out the whole sweep; it takes no --shard\n";
        return kExitConfig;
      }
      if (!run_sweep_mpi(mpi.argc, mpi.argv, spec, opts, s)) return kExitOk;  // a worker rank
    } else {
      s = run_sweep(spec, opts);
    }
    std::cerr << "neurochip sweep: " << s.owned << " points" << (n > 1 ? " in shard " + shard : "") << ": " << s.ok
              << " ok, " << s.failed << " failed, " << s.excluded << " excluded by constraints, " << s.already
              << " already recorded; " << s.wall_s << " s -> " << sweep_db_path(out) << '\n';
    return kExitOk;
  } catch (const ConfigError& e) {
    for (const auto& d : e.diagnostics()) std::cerr << d.str() << '\n';
    if (!e.omitted_note().empty()) std::cerr << e.omitted_note() << '\n';
    std::cerr << "neurochip sweep: " << e.total() << " configuration error" << (e.total() == 1 ? "" : "s")
              << "; no point was run\n";
    return kExitConfig;
  } catch (const IoError& e) {
    std::cerr << "neurochip sweep: " << e.what() << '\n';
    return kExitFailure;
  } catch (const std::exception& e) {
    std::cerr << "neurochip sweep: error: " << e.what() << '\n';
    return kExitFailure;
  }
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
  app.set_version_flag("--version", "neurochip " + tool_identity().version);
  app.footer(
      "Examples:\n"
      "  neurochip run configs/chips/reckon.yaml --out out/reckon\n"
      "  neurochip run configs/examples/tiny.yaml --vcd --out out/tiny\n"
      "  neurochip run configs/chips/reckon.yaml --set workload.timesteps=5000 --fidelity functional\n"
      "  neurochip train configs/examples/reckon_cue_train.yaml --epochs 2 --out out/train\n"
      "  neurochip check configs/chips/reckon.yaml\n"
      "  neurochip run configs/chips/reckon.yaml --outputs stats --out out/sweep_0\n"
      "  neurochip compare out/reckon out/reckon_functional\n"
      "Outputs: spikes.csv timesteps.csv readouts.csv populations.csv stats.json resolved_config.yaml\n"
      "         [waves.vcd], with a network links.csv [packets.csv links.vcd], published with\n"
      "         manifest.json (written last: a directory without it holds no complete run);\n"
      "         formats in traces/README.md, YAML keys in configs/README.md.\n"
      "Exit codes: 0 ok, 1 I/O or internal error, 2 bad command line or configuration,\n"
      "            3 timing error (fixed timestep overrun with on_overrun: halt) or network deadlock,\n"
      "            4 lockstep divergence of the learning engine's model and RTL.");

  std::string config;
  std::vector<std::string> overrides;
  RunOptions opts;
  std::string vcd_links;
  std::string fidelity = "cycle";
  bool quiet = false;

  std::string outputs = neurochip::sim::output_selection_names();
  // `run` and `train` take the same options; `train` adds the epoch count and the shuffling seed.
  const auto add_run_options = [&](CLI::App* cmd) {
    cmd->add_option("config", config, "chip + workload YAML file (see configs/README.md)")->required();
    cmd->add_option("-o,--out", opts.out_dir, "output directory (created if missing)")
        ->capture_default_str()
        ->check(CLI::Validator(output_directory_problem, ""));
    cmd->add_option("-s,--set", overrides, "override a key, e.g. --set chip.cores.0.neuron.threshold=500 (repeatable)");
    cmd->add_option("-f,--fidelity", fidelity,
                    "cycle: SystemC cycle-accurate model; functional: timestep-level reference; float: the network "
                    "and its learning rule in floating point (no quantisation, no cycles; one lif core)")
        ->check(CLI::IsMember({"cycle", "functional", "float"}))
        ->capture_default_str();
    cmd->add_option("--outputs", outputs,
                    std::string("result files to write, a comma-separated subset of ") +
                        neurochip::sim::output_selection_names() + " (--vcd adds waves.vcd)")
        ->check(CLI::Validator(
            [](std::string& list) {
              try {
                neurochip::sim::parse_output_selection(list);
                return std::string();
              } catch (const std::invalid_argument& e) {
                return std::string(e.what());
              }
            },
            "NAMES"))
        ->capture_default_str();
    cmd->add_flag("--vcd", opts.vcd, "write waves.vcd (phases, membranes, readouts) for GTKWave (cycle fidelity)");
    cmd->add_option("--vcd-neurons", opts.vcd_neurons, "membranes traced per core in the VCD")->capture_default_str();
    cmd->add_flag("--packets", opts.packets, "a chip with a network: write packets.csv (every packet, every hop)");
    cmd->add_option("--vcd-links", vcd_links,
                    "a chip with a network: write links.vcd with the req/ack wires and FIFO level of these links, "
                    "comma-separated ROUTER:LINK (LINK east, west, north, south, local or injection), e.g. 5:east,6:west");
    cmd->add_flag("-q,--quiet", quiet, "no progress line and no summary on stderr");
  };
  CLI::App* run = app.add_subcommand("run", "simulate a chip + workload description and write its results");
  add_run_options(run);
  CLI::App* train = app.add_subcommand(
      "train", "run a description whose cores learn over samples (SPEC §6): per-epoch accuracy, learning curve, "
               "learned weights");
  add_run_options(train);
  std::optional<uint64_t> train_epochs, train_shuffle_seed;
  train->add_option("--epochs", train_epochs, "passes over the training samples (sets workload.samples.epochs)")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1000000}));
  train->add_option("--shuffle-seed", train_shuffle_seed,
                    "reshuffle the training order each epoch from this seed (sets workload.samples.shuffle_seed)");

  CLI::App* check = app.add_subcommand("check", "validate a description and print the resolved configuration");
  check->add_option("config", config, "chip + workload YAML file")->required();
  check->add_option("-s,--set", overrides, "override a key (repeatable)");
  bool routes = false;
  check->add_flag("--routes", routes, "also print the network's routes and fan-out tables with their occupancy");

  CLI::App* schema_cmd =
      app.add_subcommand("schema", "print the configuration schema: a JSON Schema for editors, or the key tables");
  bool schema_markdown_flag = false;
  std::string schema_update;
  schema_cmd->add_flag("--json", "a JSON Schema (draft-07) of run descriptions (the default)");
  schema_cmd->add_flag("--markdown", schema_markdown_flag, "the key tables of configs/README.md, in Markdown");
  schema_cmd->add_option("--update", schema_update,
                         "rewrite the schema tables of a Markdown file (e.g. configs/README.md) in place");
  CueAccumulationParams cue;
  std::string generate_dir;
  CLI::App* generate = app.add_subcommand(
      "generate", "write a seeded cue-accumulation dataset (Bellec et al. 2020): samples.csv and labels.csv");
  generate->add_option("--out", generate_dir, "directory for samples.csv and labels.csv")->required();
  generate->add_option("--samples", cue.samples, "number of samples")->capture_default_str();
  generate->add_option("--seed", cue.seed, "seed of the task's random stream")->capture_default_str();
  generate->add_option("--cues", cue.cues, "cues per sample (odd)")->capture_default_str();
  generate->add_option("--length-ms", cue.length_ms, "timesteps (ms) per sample")->capture_default_str();
  generate->add_option("--recall-ms", cue.recall_ms, "length of the recall cue at the end")->capture_default_str();
  generate->add_option("--cue-rate-hz", cue.cue_rate_hz, "rate of a cue or recall channel while on")->capture_default_str();
  generate->add_option("--noise-rate-hz", cue.noise_rate_hz, "rate of a noise channel")->capture_default_str();
  std::string run_a, run_b;
  CLI::App* compare =
      app.add_subcommand("compare", "report the first divergence between two run directories (exit 0 equal, 1 not)");
  compare->add_option("run_a", run_a, "output directory of a finished run")->required();
  compare->add_option("run_b", run_b, "output directory of another finished run")->required();

  std::string sweep_file, sweep_out;
  SweepRunOptions sweep_opts;
  std::string shard = "1/1";
  std::vector<std::string> merge_dirs;
  CLI::App* sweep = app.add_subcommand(
      "sweep", "run a design-space sweep: every point of a sweep file as its own run, results in DIR/sweep.sqlite "
               "(resumable; README \"Design-space exploration\")");
  sweep->add_option("sweep_file", sweep_file, "sweep YAML file (configs/README.md \"Sweep files\")");
  sweep->add_option("-o,--out", sweep_out, "sweep directory: sweep.sqlite and points/<id>/")
      ->check(CLI::Validator(output_directory_problem, ""));
  sweep->add_option("-j,--jobs", sweep_opts.jobs, "points run at once")->check(CLI::Range(1u, 1024u))->capture_default_str();
  sweep->add_option("--shard", shard, "run only shard K of N (1-based), e.g. --shard 2/4; merge the shards' "
                                      "directories with `neurochip sweep merge`")
      ->capture_default_str();
  sweep->add_flag("--retry-failed", sweep_opts.retry_failed, "rerun points recorded as failed (not ok or excluded)");
  bool sweep_mpi = false;
  sweep->add_flag("--mpi", sweep_mpi, "run under mpirun as a task farm: rank 0 keeps the database, every other rank "
                                      "runs one point at a time (-j applies to a single rank only)");
  sweep->add_flag("-q,--quiet", quiet, "no progress lines");
  CLI::App* merge = sweep->add_subcommand("merge", "combine the databases of shard directories into --out");
  merge->add_option("-o,--out", sweep_out, "the merged sweep directory")->required();
  merge->add_option("shards", merge_dirs, "shard sweep directories")->required();
  std::string report_dir;
  CLI::App* report = app.add_subcommand("report", "write a sweep directory's report: results.csv, pareto.csv, plots, "
                                                  "report.html");
  report->add_option("dir", report_dir, "a sweep directory")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitConfig;
  }
  if (generate->parsed()) {
    try {
      std::filesystem::create_directories(generate_dir);
      OutputFile events(generate_dir, "samples.csv", ".samples.csv.tmp");
      OutputFile labels(generate_dir, "labels.csv", ".labels.csv.tmp");
      generate_cue_accumulation(cue, events.stream(), labels.stream());
      events.commit();
      labels.commit();
      std::filesystem::rename(events.temp_path(), std::filesystem::path(generate_dir) / "samples.csv");
      std::filesystem::rename(labels.temp_path(), std::filesystem::path(generate_dir) / "labels.csv");
      return kExitOk;
    } catch (const std::exception& e) {
      std::cerr << "neurochip generate: error: " << e.what() << '\n';
      return kExitConfig;
    }
  }
  if (report->parsed()) {
    try {
      const ReportSummary r = write_sweep_report(report_dir);
      if (!r.warning.empty()) std::cerr << "neurochip report: warning: " << r.warning << '\n';
      std::cerr << "neurochip report: " << r.points << " points, " << r.feasible << " feasible, " << r.pareto
                << " on the Pareto front -> " << report_dir << "/report.html\n";
      return kExitOk;
    } catch (const IoError& e) {
      std::cerr << "neurochip report: " << e.what() << '\n';
      return kExitConfig;
    } catch (const std::exception& e) {
      std::cerr << "neurochip report: error: " << e.what() << '\n';
      return kExitFailure;
    }
  }
  if (sweep->parsed()) {
    const MpiArgs mpi{sweep_mpi, &argc, &argv};
    return sweep_command(sweep_file, sweep_out, shard, merge->parsed(), merge_dirs, quiet, sweep_opts, mpi);
  }
  if (compare->parsed()) {
    try {
      return compare_runs(run_a, run_b);
    } catch (const std::exception& e) {
      std::cerr << "neurochip compare: error: " << e.what() << '\n';
      return kExitConfig;
    }
  }

  try {
    if (schema_cmd->parsed()) {
      if (!schema_update.empty()) {
        std::ifstream in(schema_update, std::ios::binary);
        if (!in) throw std::runtime_error("cannot read " + schema_update);
        std::ostringstream text;
        text << in.rdbuf();
        const std::string updated = update_schema_regions(text.str());
        const std::filesystem::path target(schema_update);
        const std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
        OutputFile file(dir, target.filename().string(), "." + target.filename().string() + ".tmp");
        file.stream() << updated;
        file.commit();
        std::filesystem::rename(file.temp_path(), target);
      } else {
        std::cout << (schema_markdown_flag ? schema_markdown() : json_schema());
      }
      return kExitOk;
    }
    if (train->parsed()) {
      if (train_epochs) overrides.push_back("workload.samples.epochs=" + std::to_string(*train_epochs));
      if (train_shuffle_seed) overrides.push_back("workload.samples.shuffle_seed=" + std::to_string(*train_shuffle_seed));
    }
    RunConfig rc = load_run_config(config, overrides);
    if (train->parsed()) {
      const bool learns = std::any_of(rc.chip.cores.begin(), rc.chip.cores.end(),
                                      [](const auto& c) { return c.learning.learns(); });
      if (!rc.workload.samples.enabled || !learns) {
        std::cerr << "neurochip train: " << echo(config, kMaxEchoPathChars) << " does not train: it needs "
                  << (rc.workload.samples.enabled ? "" : "workload.samples (a run of labelled samples) and ")
                  << (learns ? "" : "a core whose learning engine updates a matrix (chip.cores[].learning.update_*)")
                  << "; `neurochip run` runs it as it is\n";
        return kExitConfig;
      }
    }
    if (check->parsed()) {
      std::cout << emit_resolved_config(rc) << utilisation_report(rc) << (routes ? routes_report(rc) : "");
      return kExitOk;
    }
    const std::string resolved = emit_resolved_config(rc, paths_relative_to(opts.out_dir));
    opts.identity = tool_identity();
    opts.identity.config_hash = config_hash(rc);
    opts.fidelity = fidelity == "functional" ? Fidelity::kFunctional
                    : fidelity == "float"    ? Fidelity::kFloat
                                             : Fidelity::kCycle;
    opts.progress = !quiet;
    if (opts.fidelity == Fidelity::kFloat) {
      if (const std::string problem = float_reference_problem(rc.chip); !problem.empty()) {
        std::cerr << "neurochip: --fidelity float: " << problem << '\n';
        return kExitConfig;
      }
    }
    if (opts.vcd && opts.fidelity != Fidelity::kCycle) {
      std::cerr << "neurochip: --vcd needs --fidelity cycle (the functional model has no cycles to trace)\n";
      return kExitConfig;
    }
    if ((opts.packets || !vcd_links.empty()) && opts.fidelity != Fidelity::kCycle) {
      std::cerr << "neurochip: --packets and --vcd-links need --fidelity cycle (the " << fidelity_name(opts.fidelity)
                << " reference writes no per-packet traces)\n";
      return kExitConfig;
    }
    if (rc.chip.noc.enabled && opts.fidelity == Fidelity::kFloat) {
      std::cerr << "neurochip: chip.noc needs --fidelity cycle or functional (the float reference does not model "
                   "the network)\n";
      return kExitConfig;
    }
    if (rc.chip.noc.enabled && opts.fidelity == Fidelity::kFunctional &&
        rc.chip.timestep.policy != neurochip::hw::TimestepPolicy::kFreeRunning) {
      std::cerr << "neurochip: --fidelity functional models a chip with a network (chip.noc) only under "
                   "chip.timestep.policy free_running (the barrier, SPEC §7.7); use --fidelity cycle\n";
      return kExitConfig;
    }
    if (rc.chip.noc.enabled && opts.fidelity == Fidelity::kFunctional &&
        rc.chip.noc.integration == neurochip::hw::noc::Integration::kArrival) {
      std::cerr << "neurochip: --fidelity functional integrates in the canonical order only (chip.noc.integration: "
                   "arrival, SPEC §7.9, needs --fidelity cycle)\n";
      return kExitConfig;
    }
    const bool rtl_backend = std::any_of(rc.chip.cores.begin(), rc.chip.cores.end(), [](const auto& c) {
      return c.learning.backend != neurochip::hw::LearningBackend::kModel;
    });
    if (rtl_backend && opts.fidelity != Fidelity::kCycle) {
      std::cerr << "neurochip: learning.backend rtl or lockstep needs --fidelity cycle (the "
                << fidelity_name(opts.fidelity) << " reference is the C++ model only)\n";
      return kExitConfig;
    }
#ifdef NEUROCHIP_HAVE_RTL
    opts.learning_backends = [](const std::string& run_dir) {
      return neurochip::rtl::make_learning_backends({run_dir});
    };
#endif
    opts.outputs = parse_output_selection(outputs);
    if (!vcd_links.empty()) {
      if (!rc.chip.noc.enabled) {
        std::cerr << "neurochip: --vcd-links needs a chip with a network (chip.noc)\n";
        return kExitConfig;
      }
      const std::string problem = parse_link_list(vcd_links, rc.chip.noc.width * rc.chip.noc.height, opts.vcd_links);
      if (!problem.empty()) {
        std::cerr << "neurochip: --vcd-links: " << problem << '\n';
        return kExitConfig;
      }
    }
    const JobOutcome outcome = run_job(rc, opts, resolved);
    if (outcome.divergence) {
      const std::string waveform = outcome.divergence->waveform.empty() ? "" : opts.out_dir + "/rtl_window.vcd";
      std::cerr << "neurochip: " << describe_divergence(*outcome.divergence, waveform) << "\nneurochip: the run "
                << "stopped there; " << opts.out_dir << "/divergence.json has the details\n";
      return kExitDivergence;
    }
    if (!quiet) print_summary(rc, opts, outcome);
    uint64_t dropped = outcome.totals.unmapped_stimulus_packets, late = 0;
    for (const auto& c : outcome.totals.counters) {
      dropped += c.unmapped_input_events;
      late += c.late_input_events;
    }
    if (dropped > 0)
      std::cerr << "neurochip: warning: " << dropped
                << " input events addressed an axon or core that does not exist and were dropped"
                   " (stats input.unmapped_events)\n";
    if (late > 0)
      std::cerr << "neurochip: warning: " << late
                << " input events arrived after their timestep's SYNC and were taken a timestep late"
                   " (stats input.late_events)\n";
    if (outcome.totals.halted) {
      const auto& r = outcome.totals;
      std::cerr << "neurochip: timing error: timestep " << (r.timesteps_completed - 1)
                << " took longer than chip.timestep.cycles_per_timestep = "
                << rc.chip.timestep.cycles_per_timestep
                << " cycles; the chip halted (results up to that timestep were written)\n";
      return kExitTimingError;
    }
    return kExitOk;
  } catch (const neurochip::hw::noc::NocError& e) {
    std::cerr << "neurochip: " << e.what() << "\nneurochip: the run stopped (nothing was published)\n";
    return kExitTimingError;
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
