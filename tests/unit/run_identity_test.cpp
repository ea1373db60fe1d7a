// Run identity (README "Run identity"): the configuration hash follows what is simulated — every
// key and the bytes of every referenced file — and not where the files are; the resolved
// configuration written with relative paths (as into a run's directory) loads to the same run, and
// a run of samples keeps its epochs, shuffling and test set.
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <gtest/gtest.h>

#include "base/run_identity.h"
#include "config/config_loader.h"

namespace neurochip::sim {
namespace {

namespace fs = std::filesystem;
const std::string kRepo = NEUROCHIP_REPO_ROOT;
const std::string kTrain = kRepo + "/configs/examples/reckon_cue_train.yaml";
const std::vector<std::string> kWithTestPass = {
    "workload.samples.epochs=3", "workload.samples.shuffle_seed=11",
    "workload.samples.test={file: " + kRepo + "/traces/golden/reckon_rtl/test_inputs.csv, labels: " + kRepo +
        "/traces/golden/reckon_rtl/test_labels.csv, count: 2}"};

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("neurochip_identity_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void spit(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

TEST(RunIdentity, ToolIdentityCarriesTheVersion) {
  const RunIdentity id = tool_identity();
  EXPECT_FALSE(id.version.empty());
  EXPECT_TRUE(id.config_hash.empty());
  if (!id.git_revision.empty()) {
    EXPECT_EQ(id.git_revision.size(), 40u) << id.git_revision;
  }
}

TEST(RunIdentity, ResolvedConfigKeepsEpochsShufflingAndTheTestPass) {
  const RunConfig first = load_run_config(kTrain, kWithTestPass);
  ASSERT_EQ(first.workload.samples.epochs, 3u);
  const std::string emitted = emit_resolved_config(first);
  const RunConfig second = load_run_config_from_string(emitted, "resolved.yaml", "/");
  const SampleSet& a = first.workload.samples;
  const SampleSet& b = second.workload.samples;
  EXPECT_EQ(b.epochs, 3u);
  EXPECT_TRUE(b.shuffle);
  EXPECT_EQ(b.shuffle_seed, 11u);
  EXPECT_EQ(b.test_file, a.test_file);
  EXPECT_EQ(b.test_labels, a.test_labels);
  EXPECT_EQ(b.test_count, 2u);
  ASSERT_EQ(b.run.size(), a.run.size());  // 3 epochs x (3 training + 2 test samples)
  EXPECT_EQ(b.run.size(), 15u);
  for (size_t i = 0; i < a.run.size(); ++i) {
    EXPECT_EQ(b.run[i].index, a.run[i].index) << i;
    EXPECT_EQ(b.run[i].test, a.run[i].test) << i;
  }
  EXPECT_EQ(emit_resolved_config(second), emitted);
}

TEST(RunIdentity, RelativePathsLoadFromTheRunDirectoryToTheSameRun) {
  const RunConfig rc = load_run_config(kTrain, kWithTestPass);
  const fs::path run_dir = fresh_dir("relative") / "out" / "point";
  fs::create_directories(run_dir);
  const std::string text = emit_resolved_config(rc, paths_relative_to(run_dir.string()));
  for (const char* absolute : {"file: /", "labels: /", "{file: /"})
    EXPECT_EQ(text.find(absolute), std::string::npos) << "a path stayed absolute:\n" << text;
  EXPECT_NE(text.find("file: ../"), std::string::npos) << text;
  spit(run_dir / "resolved_config.yaml", text);
  const RunConfig again = load_run_config((run_dir / "resolved_config.yaml").string());
  EXPECT_TRUE(same_configuration(rc, again));
  EXPECT_EQ(emit_resolved_config(again), emit_resolved_config(rc));
  EXPECT_EQ(config_hash(again), config_hash(rc));
  fs::remove_all(run_dir.parent_path().parent_path());
}

TEST(RunIdentity, HashFollowsKeysAndFileContentsNotFileLocations) {
  const fs::path dir = fresh_dir("hash");
  const std::string config = R"(chip:
  cores:
    - name: core0
workload:
  timesteps: 10
  populations:
    - {name: in, kind: input, size: 2}
    - {name: exc, kind: neuron, size: 3}
  projections:
    - {from: in, to: exc, connectivity: file, file: w.csv}
)";
  for (const char* sub : {"a", "b"}) {
    fs::create_directories(dir / sub);
    spit(dir / sub / "run.yaml", config);
    spit(dir / sub / "w.csv", "0,0,5\n1,2,-7\n");
  }
  const std::string a = config_hash(load_run_config((dir / "a" / "run.yaml").string()));
  EXPECT_EQ(a.size(), 32u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos) << a;
  // The same bytes elsewhere: the same run.
  EXPECT_EQ(config_hash(load_run_config((dir / "b" / "run.yaml").string())), a);
  // A key: another run.
  EXPECT_NE(config_hash(load_run_config((dir / "a" / "run.yaml").string(), {"workload.timesteps=11"})), a);
  // One weight of the referenced file: another run.
  spit(dir / "b" / "w.csv", "0,0,5\n1,2,-6\n");
  EXPECT_NE(config_hash(load_run_config((dir / "b" / "run.yaml").string())), a);
  // A default written out is no change.
  EXPECT_EQ(config_hash(load_run_config((dir / "a" / "run.yaml").string(), {"workload.seed=1"})), a);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace neurochip::sim
