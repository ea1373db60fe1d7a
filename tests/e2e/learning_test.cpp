// End-to-end tests of on-chip learning (SPEC.md §6) on generated cue-accumulation data
// (`neurochip generate`): ReckOn's demo network learns the task — held-out accuracy far above what
// a broken engine reaches — and without learning it stays at the rate of always answering one class.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "support/run_dirs.h"

namespace {

namespace fs = std::filesystem;
using neurochip::test::slurp;

int run(const std::string& args) {
  const int status = std::system((std::string(NEUROCHIP_BINARY) + " " + args + " > /dev/null 2>&1").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

fs::path fresh_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("neurochip_learn_" + std::to_string(getpid()) + "_" + name);
  fs::remove_all(d);
  return d;
}

/// learning_curve.csv rows: epoch -> (train accuracy, test accuracy) in %.
std::vector<std::pair<double, double>> curve(const fs::path& dir) {
  std::stringstream ss(slurp(dir / "learning_curve.csv"));
  std::string line;
  std::getline(ss, line);
  std::vector<std::pair<double, double>> rows;
  while (std::getline(ss, line)) {
    std::vector<std::string> cells;
    std::stringstream ls(line);
    std::string cell;
    while (std::getline(ls, cell, ',')) cells.push_back(cell);
    rows.emplace_back(std::stod(cells.at(3)), std::stod(cells.at(6)));
  }
  return rows;
}

class CueLearning : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = fresh_dir("data");
    ASSERT_EQ(run("generate --out " + (data_ / "train").string() + " --samples 50 --seed 21"), 0);
    ASSERT_EQ(run("generate --out " + (data_ / "test").string() + " --samples 50 --seed 22"), 0);
  }
  static void TearDownTestSuite() { fs::remove_all(data_); }
  static std::string samples_args() {
    return " --set workload.samples.file=" + (data_ / "train/samples.csv").string() +
           " --set workload.samples.labels=" + (data_ / "train/labels.csv").string() +
           " --set workload.samples.test.file=" + (data_ / "test/samples.csv").string() +
           " --set workload.samples.test.labels=" + (data_ / "test/labels.csv").string() +
           " --set workload.samples.epochs=5 -q --outputs samples,weights";
  }
  static fs::path data_;
};
fs::path CueLearning::data_;

const std::string kTrain = std::string(NEUROCHIP_REPO_ROOT) + "/configs/examples/reckon_cue_train.yaml";

TEST_F(CueLearning, FiveEpochsReachNinetyPercentOnHeldOutSamples) {
  const fs::path out = fresh_dir("learn");
  ASSERT_EQ(run("run " + kTrain + samples_args() + " --out " + out.string()), 0);
  const auto c = curve(out);
  ASSERT_EQ(c.size(), 5u);
  // 50 held-out samples, 30 of class 0: always answering 0 scores 60 %.
  EXPECT_GE(c.back().second, 90.0) << slurp(out / "learning_curve.csv");
  EXPECT_GE(c.back().first, 90.0) << "training pass accuracy";
  EXPECT_GT(c.back().second, c.front().second + 20.0) << "learning must improve on the first pass";
  // The learned weights are written in the loader's format: the trained chip reruns in inference
  // from them and classifies the held-out samples as well as it did after training.
  EXPECT_NE(slurp(out / "weights_core0_recurrent.csv").find("pre,post,weight\n"), std::string::npos);
  const fs::path rerun = fresh_dir("rerun");
  const std::string infer = std::string(NEUROCHIP_REPO_ROOT) + "/configs/examples/reckon_cue_infer.yaml";
  ASSERT_EQ(run("run " + infer + " -q --outputs samples" +
                " --set workload.projections.0.file=" + (out / "weights_core0_input.csv").string() +
                " --set workload.projections.1.file=" + (out / "weights_core0_recurrent.csv").string() +
                " --set workload.projections.2.file=" + (out / "weights_core0_output.csv").string() +
                " --set workload.samples.file=" + (data_ / "test/samples.csv").string() +
                " --set workload.samples.labels=" + (data_ / "test/labels.csv").string() + " --out " + rerun.string()),
            0);
  std::stringstream rows(slurp(rerun / "samples.csv"));
  std::string line;
  std::getline(rows, line);
  int samples = 0, correct = 0;
  while (std::getline(rows, line)) {
    ++samples;
    // epoch,pass,sample,core,target,label,correct,votes
    std::vector<std::string> cells;
    std::stringstream ls(line);
    std::string cell;
    while (std::getline(ls, cell, ',')) cells.push_back(cell);
    correct += cells.at(6) == "1" ? 1 : 0;
  }
  EXPECT_EQ(samples, 50);
  EXPECT_GE(correct, 42) << "the rerun trained chip must keep most of what it learned";
  fs::remove_all(rerun);
  fs::remove_all(out);
}

TEST_F(CueLearning, TheFloatReferenceLearnsAsWellAndTheChipStaysWithinTenPoints) {
  // The same network, weights and rule in floating point (--fidelity float): what 8 bits cost.
  const fs::path chip = fresh_dir("chip8"), real = fresh_dir("float");
  ASSERT_EQ(run("run " + kTrain + samples_args() + " --out " + chip.string()), 0);
  ASSERT_EQ(run("run " + kTrain + samples_args() + " --fidelity float --out " + real.string()), 0);
  const auto c8 = curve(chip), cf = curve(real);
  ASSERT_EQ(cf.size(), 5u);
  EXPECT_GE(cf.back().second, 85.0) << slurp(real / "learning_curve.csv");
  EXPECT_LE(std::abs(cf.back().second - c8.back().second), 10.0);
  fs::remove_all(chip);
  fs::remove_all(real);
}

TEST(FloatReference, ChipsItCannotModelAreConfigurationErrors) {
  // Exit code 2 and nothing written: two cores, and a neuron model other than lif.
  const std::string root = NEUROCHIP_REPO_ROOT;
  for (const char* config : {"/configs/examples/two_cores.yaml", "/configs/examples/alif_small.yaml"}) {
    const fs::path out = fresh_dir("float_refused");
    EXPECT_EQ(run("run " + root + config + " --fidelity float --out " + out.string()), 2) << config;
    EXPECT_FALSE(fs::exists(out / "manifest.json")) << config;
    fs::remove_all(out);
  }
}

TEST_F(CueLearning, WithoutLearningTheNetworkStaysAtTheMajorityRate) {
  const fs::path out = fresh_dir("frozen");
  ASSERT_EQ(run("run " + kTrain + samples_args() + " --set chip.cores.0.learning.update_input=false" +
                " --set chip.cores.0.learning.update_recurrent=false --set chip.cores.0.learning.update_output=false" +
                " --out " + out.string()),
            0);
  const auto c = curve(out);
  ASSERT_EQ(c.size(), 5u);
  // (The accuracies still move a little from pass to pass: the stochastic-rounding LFSRs run on.)
  for (const auto& [train, test] : c) {
    EXPECT_LE(test, 70.0) << "an untrained network must not solve the task";
    EXPECT_LE(train, 70.0);
  }
  EXPECT_FALSE(fs::exists(out / "weights_core0_recurrent.csv")) << "a core that does not learn writes no weights";
  fs::remove_all(out);
}

}  // namespace
