// End-to-end tests of the neurochip binary: outputs, exit codes, atomic writes, determinism,
// fidelity agreement, resolved-config round trip and VCD output.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/e2e_run.h"

namespace {

namespace fs = std::filesystem;

using neurochip::test::fresh_dir;
using neurochip::test::Outcome;
using neurochip::test::run_command;
using neurochip::test::slurp;

Outcome run(const std::string& args) { return neurochip::test::run_neurochip(args); }

const std::string kRoot = NEUROCHIP_REPO_ROOT;
const std::string kTiny = kRoot + "/configs/examples/tiny.yaml";
const std::string kReckon = kRoot + "/configs/chips/reckon.yaml";

TEST(Cli, HelpDescribesSubcommandsAndOptions) {
  const Outcome top = run("--help");
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_NE(top.output.find("run"), std::string::npos);
  EXPECT_NE(top.output.find("check"), std::string::npos);
  const Outcome sub = run("run --help");
  EXPECT_EQ(sub.exit_code, 0);
  for (const char* opt : {"--out", "--set", "--fidelity", "--vcd"}) EXPECT_NE(sub.output.find(opt), std::string::npos) << opt;
}

TEST(Cli, TinyRunWritesGoldenSpikesAndAllOutputs) {
  const fs::path out = fresh_dir("tiny");
  const Outcome o = run("run " + kTiny + " --out " + out.string() + " -q");
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_EQ(slurp(out / "spikes.csv"), slurp(kRoot + "/traces/golden/tiny/spikes.csv"));
  EXPECT_EQ(slurp(out / "timesteps.csv"), slurp(kRoot + "/traces/golden/tiny/timesteps.csv"));
  EXPECT_EQ(slurp(out / "readouts.csv"), slurp(kRoot + "/traces/golden/tiny/readouts.csv"));
  const auto stats = nlohmann::json::parse(slurp(out / "stats.json"));
  std::map<std::string, nlohmann::json> by_name;
  for (const auto& s : stats["stats"]) {
    ASSERT_TRUE(s.contains("unit") && s.contains("description")) << s.dump();
    by_name[s["name"].get<std::string>()] = s;
  }
  const auto value = [&](const std::string& name) {
    EXPECT_EQ(by_name.count(name), 1u) << name;
    return by_name[name]["value"];
  };
  EXPECT_EQ(value("stats.chip.core0.spikes"), 5);
  EXPECT_EQ(by_name["stats.chip.core0.spikes"]["unit"], "spikes");
  EXPECT_EQ(value("stats.chip.cycles"), 108);  // traces/golden/tiny/PROVENANCE.md
  // 3 input + 2 recurrent + 3 output non-zero weights; a 4-word x 128-bit recurrent SRAM; 3 neurons.
  EXPECT_EQ(value("stats.chip.core0.synapses"), 8);
  EXPECT_EQ(value("stats.chip.core0.recurrent_weight_sram.capacity"), 512);
  EXPECT_EQ(value("stats.chip.core0.enabled.neurons"), 3);
  EXPECT_TRUE(fs::exists(out / "resolved_config.yaml"));
  // The run's identity; the resolved configuration run again (from its own directory, its paths
  // relative to it) is the same run.
  const std::string hash = stats["run"]["config_hash"].get<std::string>();
  EXPECT_EQ(hash.size(), 32u);
  EXPECT_FALSE(stats["run"]["version"].get<std::string>().empty());
  const fs::path again = fresh_dir("tiny_again");
  ASSERT_EQ(run("run " + (out / "resolved_config.yaml").string() + " --out " + again.string() + " -q").exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(slurp(again / "stats.json"))["run"]["config_hash"], hash);
  EXPECT_EQ(slurp(again / "spikes.csv"), slurp(out / "spikes.csv"));
  fs::remove_all(again);
  EXPECT_EQ(slurp(out / "populations.csv"),
            "population,kind,core,first_slot,size\nin,input,0,0,2\nhidden,neuron,0,0,3\nout,readout,0,0,1\n");
  for (const auto& entry : fs::directory_iterator(out))
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
  fs::remove_all(out);
}

TEST(Cli, SameSeedGivesByteIdenticalOutputs) {
  const fs::path a = fresh_dir("det_a"), b = fresh_dir("det_b");
  ASSERT_EQ(run("run " + kReckon + " --set workload.timesteps=200 --out " + a.string() + " -q").exit_code, 0);
  ASSERT_EQ(run("run " + kReckon + " --set workload.timesteps=200 --out " + b.string() + " -q").exit_code, 0);
  for (const char* f : {"spikes.csv", "timesteps.csv", "readouts.csv", "stats.json", "resolved_config.yaml"})
    EXPECT_EQ(slurp(a / f), slurp(b / f)) << f;
  EXPECT_GT(slurp(a / "spikes.csv").size(), 1000u) << "the example must actually spike";
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(Cli, EveryShippedConfigRunsAndBothFidelitiesAgreeOnEveryOutput) {
  size_t configs = 0;
  for (const char* sub : {"/configs/chips", "/configs/examples"}) {
    for (const auto& entry : fs::directory_iterator(kRoot + sub)) {
      if (entry.path().extension() != ".yaml") continue;
      ++configs;
      const std::string name = entry.path().stem().string();
      SCOPED_TRACE(name);
      const fs::path c = fresh_dir("fid_c_" + name), f = fresh_dir("fid_f_" + name);
      // A run of samples is shortened by its sample count instead (it has no workload.timesteps).
      const bool samples = slurp(entry.path()).find("\n  samples:") != std::string::npos;
      const std::string shorten = samples ? " --set workload.samples.count=1" : " --set workload.timesteps=200";
      const std::string args = "run " + entry.path().string() + shorten + " -q --out ";
      ASSERT_EQ(run(args + c.string()).exit_code, 0);
      // Chips with a network (SPEC §7.7) too: the functional reference models the barrier.
      ASSERT_EQ(run(args + f.string() + " --fidelity functional").exit_code, 0);
      for (const char* file : {"spikes.csv", "timesteps.csv", "populations.csv"}) EXPECT_EQ(slurp(c / file), slurp(f / file)) << file;
      EXPECT_EQ(slurp(c / "readouts.csv"), slurp(f / "readouts.csv"));
      if (samples) {
        EXPECT_EQ(slurp(c / "samples.csv"), slurp(f / "samples.csv"));
      }
      const auto sc = nlohmann::json::parse(slurp(c / "stats.json"));
      const auto sf = nlohmann::json::parse(slurp(f / "stats.json"));
      EXPECT_EQ(sc["stats"], sf["stats"]);
      EXPECT_EQ(sc["neurochip"]["fidelity"], "cycle");
      EXPECT_EQ(sf["neurochip"]["fidelity"], "functional");
      EXPECT_GT(slurp(c / "spikes.csv").size(), std::string("timestep,cycle,core,neuron\n").size())
          << "the example must spike";
      fs::remove_all(c);
      fs::remove_all(f);
    }
  }
  EXPECT_GE(configs, 4u);
}

// `train` is `run` with the epoch and shuffling keys as options, for descriptions that learn.
TEST(Cli, TrainRunsWhatLearnsAndRefusesWhatDoesNot) {
  const fs::path refused = fresh_dir("train_refused");
  const Outcome o = run("train " + kReckon + " -q --out " + refused.string());
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.output.find("does not train: it needs workload.samples"), std::string::npos) << o.output;
  EXPECT_FALSE(fs::exists(refused / "manifest.json"));
  const std::string train = kRoot + "/configs/examples/reckon_cue_train.yaml";
  const fs::path t = fresh_dir("train"), r = fresh_dir("train_as_run");
  ASSERT_EQ(run("train " + train + " --epochs 2 --shuffle-seed 9 -q --out " + t.string()).exit_code, 0);
  ASSERT_EQ(run("run " + train + " --set workload.samples.epochs=2 --set workload.samples.shuffle_seed=9 -q --out " +
                r.string())
                .exit_code,
            0);
  for (const char* file : {"spikes.csv", "samples.csv", "learning_curve.csv", "weights_core0_recurrent.csv"})
    EXPECT_EQ(slurp(t / file), slurp(r / file)) << file;
  const std::string curve = slurp(t / "learning_curve.csv");
  EXPECT_EQ(std::count(curve.begin(), curve.end(), '\n'), 3) << curve;  // header + 2 epochs
  for (const fs::path& d : {refused, t, r}) fs::remove_all(d);
}

TEST(Cli, ResolvedConfigReproducesTheRun) {
  const fs::path a = fresh_dir("res_a"), b = fresh_dir("res_b");
  ASSERT_EQ(run("run " + kReckon + " --set workload.timesteps=100 --out " + a.string() + " -q").exit_code, 0);
  ASSERT_EQ(run("run " + (a / "resolved_config.yaml").string() + " --out " + b.string() + " -q").exit_code, 0);
  EXPECT_EQ(slurp(a / "spikes.csv"), slurp(b / "spikes.csv"));
  EXPECT_EQ(slurp(a / "resolved_config.yaml"), slurp(b / "resolved_config.yaml"));
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(Cli, BadConfigExitsTwoWithPositionAndKeepsEarlierResults) {
  const fs::path out = fresh_dir("bad");
  fs::create_directories(out);
  std::ofstream(out / "spikes.csv") << "earlier results\n";
  const Outcome o = run("run " + kTiny + " --set chip.cores.0.neuron.threshhold=5 --out " + out.string());
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.output.find("--set:1:"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("threshold"), std::string::npos) << o.output;  // the suggestion
  EXPECT_EQ(slurp(out / "spikes.csv"), "earlier results\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(out), fs::directory_iterator{}), 1);
  fs::remove_all(out);
}

TEST(Cli, StaleOutputsOfAnEarlierRunAreRemovedOnlyAfterSuccess) {
  // tiny.yaml has a readout; bench_256.yaml has none. A failed run keeps everything.
  const fs::path out = fresh_dir("stale");
  ASSERT_EQ(run("run " + kTiny + " --vcd -q --out " + out.string()).exit_code, 0);
  ASSERT_TRUE(fs::exists(out / "readouts.csv") && fs::exists(out / "waves.vcd"));
  const std::string bench = kRoot + "/configs/examples/bench_256.yaml";
  ASSERT_EQ(run("run " + bench + " --set workload.timesteps=0 -q --out " + out.string()).exit_code, 2);
  EXPECT_TRUE(fs::exists(out / "readouts.csv") && fs::exists(out / "waves.vcd"));
  ASSERT_EQ(run("run " + bench + " --set workload.timesteps=20 -q --out " + out.string()).exit_code, 0);
  EXPECT_FALSE(fs::exists(out / "readouts.csv"));
  EXPECT_FALSE(fs::exists(out / "waves.vcd"));
  EXPECT_TRUE(fs::exists(out / "spikes.csv"));
  fs::remove_all(out);
}

TEST(Cli, MissingConfigFileIsAnError) {
  const Outcome o = run("run /nonexistent/chip.yaml --out /tmp/neurochip_never_written");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_FALSE(fs::exists("/tmp/neurochip_never_written"));
}

TEST(Cli, FixedTimestepOverrunHaltsWithExitThree) {
  // tiny.yaml timestep 0 needs 20 cycles (traces/golden/tiny/timesteps.csv); a 19-cycle period halts.
  const fs::path out = fresh_dir("halt");
  const Outcome o = run("run " + kTiny + " --set chip.timestep.policy=fixed --set chip.timestep.cycles_per_timestep=19 --out " + out.string() + " -q");
  EXPECT_EQ(o.exit_code, 3) << o.output;
  EXPECT_NE(o.output.find("timing error"), std::string::npos) << o.output;
  EXPECT_EQ(slurp(out / "timesteps.csv"), slurp(kRoot + "/traces/golden/tiny/timesteps.csv").substr(0, slurp(out / "timesteps.csv").size()));
  fs::remove_all(out);
}

TEST(Cli, VcdWaveformIsWritten) {
  const fs::path out = fresh_dir("vcd");
  const Outcome o = run("run " + kTiny + " --vcd --out " + out.string() + " -q");
  ASSERT_EQ(o.exit_code, 0) << o.output;
  const std::string vcd = slurp(out / "waves.vcd");
  EXPECT_NE(vcd.find("$enddefinitions"), std::string::npos);
  EXPECT_NE(vcd.find("u_0"), std::string::npos);
  EXPECT_NE(vcd.find("phase"), std::string::npos);
  const Outcome f = run("run " + kTiny + " --vcd --fidelity functional --out " + out.string() + " -q");
  EXPECT_EQ(f.exit_code, 2);
  fs::remove_all(out);
}

TEST(Cli, AHundredThousandErrorsPrintTheFirstHundredAndTheTrueCount) {
  const fs::path dir = fresh_dir("many_errors");
  fs::create_directories(dir);
  std::ofstream yaml(dir / "many.yaml");
  yaml << "chip: {cores: [{name: c}]}\nworkload:\n  timesteps: 1\n  populations:\n";
  for (int i = 0; i < 100000; ++i) yaml << "    - 1\n";
  yaml.close();
  const Outcome o = run("check " + (dir / "many.yaml").string());
  EXPECT_EQ(o.exit_code, 2);
  std::vector<std::string> lines;
  std::istringstream in(o.output);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 102u) << o.output.substr(0, 2000);
  EXPECT_EQ(lines[0], (dir / "many.yaml").string() + ":5:7: expected a mapping, got '1'");
  EXPECT_EQ(lines[99], (dir / "many.yaml").string() + ":104:7: expected a mapping, got '1'");
  EXPECT_EQ(lines[100], "\u2026 and 99900 more errors not shown");
  EXPECT_EQ(lines[101], "neurochip: 100000 configuration errors; nothing was simulated");
  fs::remove_all(dir);
}

TEST(Cli, DevicesAreNotReadAsConfigs) {
  // /dev/zero was read until memory ran out; `timeout` ends it if that comes back (exit 124).
  const Outcome o = run_command("timeout 20 " + std::string(NEUROCHIP_BINARY) + " check /dev/zero");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_EQ(o.output,
            "/dev/zero: not a regular file (a character device)\n"
            "neurochip: 1 configuration error; nothing was simulated\n");
}

TEST(Cli, UnusableOutputDirectoryIsACommandLineError) {
  // An empty --out exited 1 from create_directories ("Invalid argument []").
  const Outcome empty = run("run " + kTiny + " -q --out ''");
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_EQ(empty.output, "--out: the output directory is empty\nRun with --help for more information.\n");
  const fs::path dir = fresh_dir("out_is_file");
  fs::create_directories(dir);
  std::ofstream(dir / "file") << "not a directory\n";
  const Outcome file = run("run " + kTiny + " -q --out " + (dir / "file").string());
  EXPECT_EQ(file.exit_code, 2);
  EXPECT_EQ(file.output, "--out: '" + (dir / "file").string() +
                             "' exists and is not a directory\nRun with --help for more information.\n");
  EXPECT_EQ(slurp(dir / "file"), "not a directory\n");
  fs::remove_all(dir);
}

TEST(Cli, CommandLineValuesAreEscapedInMessages) {
  // The shell is sh: the control bytes are made by printf.
  const Outcome bad_number = run("run " + kTiny + " -q --vcd-neurons \"$(printf '\\033[31m')\"");
  EXPECT_EQ(bad_number.exit_code, 2);
  EXPECT_EQ(bad_number.output, "Could not convert: --vcd-neurons = \\x1B[31m\nRun with --help for more information.\n");
  const Outcome bad_out = run("run " + kTiny + " -q --out \"$(printf '/proc/no_such_dir\\001/x')\"");
  EXPECT_EQ(bad_out.exit_code, 1);
  EXPECT_EQ(bad_out.output,
            "neurochip: error: cannot create output directory /proc/no_such_dir\\x01/x: No such file or directory\n");
}

}  // namespace
