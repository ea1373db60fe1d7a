// End-to-end tests of `neurochip compare RUN_A RUN_B` (README "Comparing runs"): two runs of the
// same chip (also across fidelities) report no divergence and exit 0; a single bit flipped in a
// spike's neuron, in a spike's cycle stamp and in a readout value (manifest resealed, so the run
// stays complete) is reported at its place with both values and exit 1; a changed file that no
// longer matches its manifest, a missing manifest and bad usage exit 2; files only one run has
// are listed.
#include <gtest/gtest.h>

#include <sstream>

#include "support/run_dirs.h"

namespace neurochip::test {
namespace {

const std::string kRoot = NEUROCHIP_REPO_ROOT;
const std::string kReckon = kRoot + "/configs/chips/reckon.yaml";

fs::path fresh_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("neurochip_compare_" + std::to_string(getpid()) + "_" + name);
  fs::remove_all(d);
  return d;
}

int run_binary(const std::vector<std::string>& args, std::string* output = nullptr) {
  const fs::path log = fs::temp_directory_path() / ("neurochip_compare_" + std::to_string(getpid()) + ".log");
  const int code = wait_for(spawn(args, log));
  if (output) *output = slurp(log);
  fs::remove(log);
  return code;
}

/// Lines of a CSV file, header first.
std::vector<std::string> lines(const fs::path& p) {
  std::istringstream in(slurp(p));
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

std::vector<long long> fields(const std::string& line) {
  std::vector<long long> v;
  std::stringstream ss(line);
  for (std::string f; std::getline(ss, f, ',');) v.push_back(std::stoll(f));
  return v;
}

void write_lines(const fs::path& p, const std::vector<std::string>& ls) {
  std::ofstream os(p, std::ios::binary | std::ios::trunc);
  for (const auto& l : ls) os << l << '\n';
}

std::string join(const std::vector<long long>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s;
}

class Compare : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    a_ = new fs::path(fresh_dir("a"));
    ASSERT_EQ(run_binary({"run", kReckon, "--set", "workload.timesteps=300", "-q", "--out", a_->string()}), 0);
  }
  static void TearDownTestSuite() {
    fs::remove_all(*a_);
    delete a_;
  }
  /// A copy of run A to plant a difference in.
  fs::path copy_of_a(const std::string& name) {
    const fs::path b = fresh_dir(name);
    fs::copy(*a_, b, fs::copy_options::recursive);
    return b;
  }
  static fs::path* a_;
};
fs::path* Compare::a_ = nullptr;

TEST_F(Compare, TwoRunsOfTheSameChipHaveNoDivergenceAcrossFidelities) {
  const fs::path f = fresh_dir("functional");
  ASSERT_EQ(run_binary({"run", kReckon, "--set", "workload.timesteps=300", "--fidelity", "functional", "-q", "--out",
                        f.string()}),
            0);
  std::string out;
  EXPECT_EQ(run_binary({"compare", a_->string(), f.string()}, &out), 0) << out;
  EXPECT_NE(out.find("no divergence"), std::string::npos) << out;
  EXPECT_NE(out.find("spikes.csv, timesteps.csv, readouts.csv, stats.json"), std::string::npos) << out;
  fs::remove_all(f);
}

TEST_F(Compare, FlippedNeuronBitOfASpikeIsReportedAtItsPlace) {
  const fs::path b = copy_of_a("neuron");
  std::vector<std::string> ls = lines(b / "spikes.csv");
  ASSERT_GT(ls.size(), 400u);
  const size_t row = 321;
  std::vector<long long> f = fields(ls[row]);
  const long long neuron = f[3];
  f[3] ^= 1;
  ls[row] = join(f);
  write_lines(b / "spikes.csv", ls);
  reseal(b, "spikes.csv");
  std::string out;
  EXPECT_EQ(run_binary({"compare", a_->string(), b.string()}, &out), 1) << out;
  const std::string want = "first divergence: spikes.csv row " + std::to_string(row) + " (timestep " +
                           std::to_string(f[0]) + ", cycle " + std::to_string(f[1]) + ", core " + std::to_string(f[2]);
  EXPECT_NE(out.find(want), std::string::npos) << out;
  EXPECT_NE(out.find("neuron " + std::to_string(neuron) + " vs " + std::to_string(f[3])), std::string::npos) << out;
  fs::remove_all(b);
}

TEST_F(Compare, FlippedBitOfASpikeCycleStampIsReportedAtItsPlace) {
  const fs::path b = copy_of_a("cycle");
  std::vector<std::string> ls = lines(b / "spikes.csv");
  const size_t row = 100;
  std::vector<long long> f = fields(ls[row]);
  const long long cycle = f[1];
  f[1] ^= 1;
  ls[row] = join(f);
  write_lines(b / "spikes.csv", ls);
  reseal(b, "spikes.csv");
  std::string out;
  EXPECT_EQ(run_binary({"compare", a_->string(), b.string()}, &out), 1) << out;
  EXPECT_NE(out.find("spikes.csv row " + std::to_string(row) + " (timestep " + std::to_string(f[0])), std::string::npos)
      << out;
  EXPECT_NE(out.find("neuron " + std::to_string(f[3]) + "): cycle " + std::to_string(cycle) + " vs " +
                     std::to_string(f[1])),
            std::string::npos)
      << out;
  fs::remove_all(b);
}

TEST_F(Compare, FlippedBitOfAReadoutValueIsReportedAtItsPlace) {
  const fs::path b = copy_of_a("readout");
  std::vector<std::string> ls = lines(b / "readouts.csv");
  const size_t row = 16 * 250 + 7 + 1;  // timestep 250, readout 7
  std::vector<long long> f = fields(ls[row]);
  ASSERT_EQ(f[0], 250);
  ASSERT_EQ(f[2], 7);
  const long long value = f[3];
  f[3] ^= 1 << 4;
  ls[row] = join(f);
  write_lines(b / "readouts.csv", ls);
  reseal(b, "readouts.csv");
  std::string out;
  EXPECT_EQ(run_binary({"compare", a_->string(), b.string()}, &out), 1) << out;
  EXPECT_NE(out.find("first divergence: readouts.csv row " + std::to_string(row) +
                     " (timestep 250, core 0, readout 7): value " + std::to_string(value) + " vs " +
                     std::to_string(f[3])),
            std::string::npos)
      << out;
  fs::remove_all(b);
}

TEST_F(Compare, IncompleteRunsAndBadUsageExitTwo) {
  const fs::path b = copy_of_a("incomplete");
  std::string out;
  // Changed without its manifest: no complete run.
  std::ofstream(b / "spikes.csv", std::ios::app) << "299,1,0,0\n";
  EXPECT_EQ(run_binary({"compare", a_->string(), b.string()}, &out), 2) << out;
  EXPECT_NE(out.find("spikes.csv does not match manifest.json"), std::string::npos) << out;
  fs::remove(b / "manifest.json");
  EXPECT_EQ(run_binary({"compare", a_->string(), b.string()}, &out), 2) << out;
  EXPECT_NE(out.find("manifest.json is missing"), std::string::npos) << out;
  EXPECT_EQ(run_binary({"compare", a_->string()}, &out), 2) << out;
  EXPECT_EQ(run_binary({"compare", a_->string(), (b / "nonexistent").string()}, &out), 2) << out;
  fs::remove_all(b);
}

TEST_F(Compare, FilesOnlyOneRunHasAreListedAndTheCommonOnesCompared) {
  const fs::path s = fresh_dir("stats_only");
  ASSERT_EQ(run_binary({"run", kReckon, "--set", "workload.timesteps=300", "--outputs", "stats", "-q", "--out",
                        s.string()}),
            0);
  std::string out;
  EXPECT_EQ(run_binary({"compare", a_->string(), s.string()}, &out), 0) << out;
  EXPECT_NE(out.find("only in " + a_->string() + ": spikes.csv, timesteps.csv, readouts.csv"), std::string::npos)
      << out;
  EXPECT_NE(out.find("compared: stats.json"), std::string::npos) << out;
  ASSERT_EQ(run_binary({"run", kReckon, "--set", "workload.timesteps=301", "--outputs", "stats", "-q", "--out",
                        s.string()}),
            0);
  EXPECT_EQ(run_binary({"compare", a_->string(), s.string()}, &out), 1) << out;
  EXPECT_NE(out.find("first divergence: stats.json"), std::string::npos) << out;
  fs::remove_all(s);
}

}  // namespace
}  // namespace neurochip::test
