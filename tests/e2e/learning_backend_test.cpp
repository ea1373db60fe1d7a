// learning.backend model | rtl | lockstep through the neurochip binary (SPEC.md §6.7): the three learn
// the same weights over an epoch of ReckOn's cue-accumulation configuration with the same spikes,
// cycles, readouts, labels and counted accesses; lockstep over the engine RTL built with its fault
// switch (neurochip_rtl_fault) stops with exit code 4 at the divergence, publishing the timesteps before
// it, divergence.json and a VCD whose last instant is the diverging weight write; bad uses of the key
// are configuration errors.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "support/e2e_run.h"

namespace {

using neurochip::test::fresh_dir;
using neurochip::test::Outcome;
using neurochip::test::run_command;
using neurochip::test::run_neurochip;
using neurochip::test::slurp;
namespace fs = std::filesystem;

const std::string kRepo = NEUROCHIP_REPO_ROOT;
const std::string kCueTrain = kRepo + "/configs/examples/reckon_cue_train.yaml";

/// stats.json without its config_hash line (the configurations differ in learning.backend only).
std::string stats_without_hash(const fs::path& dir) {
  std::istringstream in(slurp((dir / "stats.json").string()));
  std::string line, out;
  while (std::getline(in, line))
    if (line.find("\"config_hash\"") == std::string::npos) out += line + "\n";
  return out;
}

TEST(LearningBackend, ModelRtlAndLockstepLearnTheSameWeightsOverAnEpoch) {
  // One epoch of the configuration: 3 training samples, 6,750 timesteps, 447 supervised EPROPs.
  std::map<std::string, fs::path> dirs;
  for (const std::string backend : {"model", "rtl", "lockstep"}) {
    dirs[backend] = fresh_dir("backend_" + backend);
    const Outcome o = run_neurochip("train " + kCueTrain + " -q --out " + dirs[backend].string() +
                                    " --set chip.cores.0.learning.backend=" + backend);
    ASSERT_EQ(o.exit_code, 0) << backend << ":\n" << o.output;
  }
  for (const char* file : {"weights_core0_input.csv", "weights_core0_recurrent.csv", "weights_core0_output.csv",
                           "spikes.csv", "timesteps.csv", "readouts.csv", "samples.csv"}) {
    const std::string model = slurp((dirs["model"] / file).string());
    ASSERT_FALSE(model.empty()) << file;
    EXPECT_EQ(slurp((dirs["rtl"] / file).string()), model) << file << ": rtl differs from model";
    EXPECT_EQ(slurp((dirs["lockstep"] / file).string()), model) << file << ": lockstep differs from model";
  }
  // Every counted access (the weight SRAMs' reads and writes included) and every cycle statistic.
  const std::string stats = stats_without_hash(dirs["model"]);
  EXPECT_NE(stats.find("input_weight_sram.writes"), std::string::npos);
  EXPECT_EQ(stats_without_hash(dirs["rtl"]), stats);
  EXPECT_EQ(stats_without_hash(dirs["lockstep"]), stats);
  // The epoch learned: the input weights are not the released initial ones everywhere.
  EXPECT_NE(slurp((dirs["model"] / "weights_core0_input.csv").string()),
            slurp(kRepo + "/traces/golden/reckon_rtl/initial_weights_inp.csv"));
  // A run that did not diverge leaves no waveform scratch file behind.
  for (const auto& entry : fs::directory_iterator(dirs["lockstep"]))
    EXPECT_EQ(entry.path().filename().string().find(".rtl_window"), std::string::npos) << entry.path();
  for (const auto& [backend, dir] : dirs) fs::remove_all(dir);
}

#ifdef NEUROCHIP_RTL_FAULT_BINARY
/// The value a VCD gives signal `name` (a 1-bit wire) at its last time stamp, and that stamp.
struct LastValue {
  std::string value;
  uint64_t time = 0;
};
LastValue last_value(const std::string& vcd, const std::string& name) {
  std::smatch m;
  const std::regex decl("\\$var wire\\s+1 (\\S+) " + name + " \\$end");
  if (!std::regex_search(vcd, m, decl)) return {};
  const std::string code = m[1];
  LastValue v;
  std::istringstream in(vcd.substr(vcd.find("$enddefinitions")));
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > 1 && line[0] == '#') v.time = std::stoull(line.substr(1));
    if (line.size() == code.size() + 1 && (line[0] == '0' || line[0] == '1') && line.substr(1) == code)
      v.value = line.substr(0, 1);
  }
  return v;
}

TEST(LearningBackend, LockstepStopsAtTheFaultOfTheRtlWithExitCode4) {
  // The fault switch rounds a negative learning signal's shift toward 0; with learning_signal_shift 2
  // the cue task meets such a signal during its second sample. The same run over the plain RTL goes
  // to the end (the divergence is the fault's, not the checker's).
  const std::string args = "train " + kCueTrain + " -q --set chip.cores.0.learning.backend=lockstep"
                           " --set chip.cores.0.learning.learning_signal_shift=2 --set workload.samples.count=2";
  const fs::path plain = fresh_dir("lockstep_plain");
  const Outcome ok = run_neurochip(args + " --out " + plain.string());
  ASSERT_EQ(ok.exit_code, 0) << ok.output;

  const fs::path dir = fresh_dir("lockstep_fault");
  const Outcome o = run_command(std::string(NEUROCHIP_RTL_FAULT_BINARY) + " " + args + " --out " + dir.string());
  ASSERT_EQ(o.exit_code, 4) << o.output;
  EXPECT_NE(o.output.find("lockstep divergence: timestep "), std::string::npos) << o.output;
  EXPECT_NE(slurp((dir / "manifest.json").string()).find("\"status\": \"diverged\""), std::string::npos);

  const std::string d = slurp((dir / "divergence.json").string());
  const auto field = [&](const std::string& key) {
    std::smatch m;
    const std::regex re("\"" + key + "\": (\"[^\"]*\"|-?[0-9]+|null)");
    return std::regex_search(d, m, re) ? m[1].str() : std::string("?");
  };
  // The fault touches the learning signal, which only the input and recurrent updates use: the first
  // difference is one of their weights, one LSB apart, in EPROP, everything before it identical.
  EXPECT_EQ(field("phase"), "\"eprop\"") << d;
  EXPECT_TRUE(field("field") == "\"weight_input\"" || field("field") == "\"weight_recurrent\"") << d;
  EXPECT_EQ(std::abs(std::stoll(field("model_value")) - std::stoll(field("rtl_value"))), 1) << d;
  const uint64_t timestep = std::stoull(field("timestep"));
  const int64_t index = std::stoll(field("index")), post = std::stoll(field("post"));
  EXPECT_TRUE(index >= 0 && index < 100 && post >= 0 && post < 100) << d;
  // A word of group g = post / 16 for presynaptic index i is written in phase B at cycle
  // 232 g + 32 + 2 i (+ the engine's read-to-write latency) of EPROP (SPEC §6.5: 7 groups of 232).
  const int64_t phase_cycle = std::stoll(field("phase_cycle"));
  const int64_t slot = 232 * (post / 16) + 32 + 2 * index;
  EXPECT_GE(phase_cycle, slot) << d;
  EXPECT_LE(phase_cycle, slot + 3) << d;
  // Identical results up to the timestep before the divergence: the rows published are a prefix of
  // the plain run's.
  const std::string rows = slurp((dir / "timesteps.csv").string());
  const std::string plain_rows = slurp((plain / "timesteps.csv").string());
  ASSERT_GT(rows.size(), 1000u);
  EXPECT_EQ(plain_rows.compare(0, rows.size(), rows), 0);
  EXPECT_NE(rows.find("\n" + std::to_string(timestep - 1) + ",0,"), std::string::npos);
  EXPECT_EQ(rows.find("\n" + std::to_string(timestep) + ",0,"), std::string::npos);
  // The waveform ends at the diverging write: its matrix's write enable is high at the last instant.
  const std::string vcd = slurp((dir / "rtl_window.vcd").string());
  ASSERT_NE(vcd.find("$enddefinitions"), std::string::npos);
  const LastValue we = last_value(vcd, field("field") == "\"weight_input\"" ? "win_we_o" : "wrec_we_o");
  EXPECT_EQ(we.value, "1");
  EXPECT_EQ(std::to_string(we.time), field("waveform_time")) << d;
  fs::remove_all(plain);
  fs::remove_all(dir);
}
#endif

TEST(LearningBackend, BadUsesAreConfigurationErrors) {
  const fs::path dir = fresh_dir("backend_bad");
  // A core without learning has no engine to implement.
  Outcome o = run_neurochip("run " + kRepo + "/configs/examples/tiny.yaml -q --out " + dir.string() +
                            " --set chip.cores.0.learning.backend=rtl");
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_NE(o.output.find("backend rtl runs the learning engine, but this core's engine is off"), std::string::npos)
      << o.output;
  EXPECT_NE(o.output.find("--set:1:31: "), std::string::npos) << o.output;  // at the value of the override
  // The functional reference is the C++ model only.
  o = run_neurochip("train " + kCueTrain + " -q --fidelity functional --out " + dir.string() +
                    " --set chip.cores.0.learning.backend=lockstep");
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_NE(o.output.find("needs --fidelity cycle"), std::string::npos) << o.output;
  // Not a backend.
  o = run_neurochip("train " + kCueTrain + " -q --out " + dir.string() + " --set chip.cores.0.learning.backend=verilog");
  EXPECT_EQ(o.exit_code, 2) << o.output;
  EXPECT_NE(o.output.find("lockstep"), std::string::npos) << o.output;
  EXPECT_FALSE(fs::exists(dir / "manifest.json"));
  fs::remove_all(dir);
}

}  // namespace
