// Publishing a run's files as one set (sim/io/output_set.h, sim/io/manifest.h, sim/io/crc32.h):
// the CRC-32 check value, the lock that keeps a second run out, checked temporaries that vanish
// when a run does not publish, publication with stale-file removal and a manifest that matches,
// and manifest verification that rejects a changed or missing file.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "io/crc32.h"
#include "io/manifest.h"
#include "io/output_set.h"

namespace neurochip::sim {
namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("neurochip_outset_" + std::to_string(getpid()) + "_" + name);
  fs::remove_all(d);
  return d;
}

std::string slurp(const fs::path& p) {
  std::ifstream is(p, std::ios::binary);
  std::ostringstream ss;
  ss << is.rdbuf();
  return ss.str();
}

/// Names in `dir`, sorted, without the lock file.
std::vector<std::string> listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename() != OutputSet::kLockName) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(Crc32, CheckValueAndIncrementalUpdates) {
  EXPECT_EQ(crc32_update(0, "123456789", 9), 0xCBF43926u);  // the CRC-32/ISO-HDLC check value
  EXPECT_EQ(crc32_update(0, "", 0), 0u);
  std::string big(100003, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 131 + 7);
  const uint32_t whole = crc32_update(0, big.data(), big.size());
  uint32_t parts = 0;
  for (size_t pos = 0, step = 1; pos < big.size(); pos += step, step = step * 3 + 1)
    parts = crc32_update(parts, big.data() + pos, std::min(step, big.size() - pos));
  EXPECT_EQ(parts, whole);
  // A bitwise reference for the slicing tables.
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : big) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
  }
  EXPECT_EQ(~c, whole);
}

TEST(OutputSet, PublishesFilesWithAMatchingManifestAndRemovesStaleOnes) {
  const fs::path dir = fresh_dir("publish");
  fs::create_directories(dir);
  std::ofstream(dir / "waves.vcd") << "from an earlier run\n";
  std::ofstream(dir / "notes.txt") << "not ours\n";
  {
    OutputSet set(dir.string());
    set.open("spikes.csv").stream() << "timestep,cycle,core,neuron\n1,2,3,4\n";
    std::string big(3 << 20, 'x');  // larger than the write buffer
    set.open("stats.json").stream() << big;
    EXPECT_FALSE(fs::exists(dir / "spikes.csv"));  // nothing final before publish()
    Manifest info;
    info.fidelity = "cycle";
    info.config = "c.yaml";
    set.publish(info);
  }
  EXPECT_EQ(listing(dir), (std::vector<std::string>{"manifest.json", "notes.txt", "spikes.csv", "stats.json"}));
  EXPECT_EQ(slurp(dir / "spikes.csv"), "timestep,cycle,core,neuron\n1,2,3,4\n");
  const Manifest m = read_verified_manifest(dir.string());
  ASSERT_EQ(m.files.size(), 2u);
  EXPECT_EQ(m.files[0].name, "spikes.csv");
  EXPECT_EQ(m.files[0].crc32, crc32_update(0, "timestep,cycle,core,neuron\n1,2,3,4\n", 35));
  EXPECT_EQ(m.files[1].size, 3u << 20);
  EXPECT_EQ(m.fidelity, "cycle");
  EXPECT_EQ(m.run_id.size(), 32u);
  fs::remove_all(dir);
}

TEST(OutputSet, ASecondSetOnTheSameDirectoryIsRefusedNamingTheHolder) {
  const fs::path dir = fresh_dir("lock");
  OutputSet first(dir.string());
  try {
    OutputSet second(dir.string());
    FAIL() << "a second run locked the same directory";
  } catch (const IoError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(dir.string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("in use"), std::string::npos) << msg;
    EXPECT_NE(msg.find("pid " + std::to_string(getpid())), std::string::npos) << msg;
  }
  fs::remove_all(dir);
}

TEST(OutputSet, TheLockIsReleasedWithTheSet) {
  const fs::path dir = fresh_dir("relock");
  { OutputSet first(dir.string()); }
  EXPECT_NO_THROW(OutputSet second(dir.string()));
  fs::remove_all(dir);
}

TEST(OutputSet, UnpublishedSetLeavesEarlierResultsAndNoTemporaries) {
  const fs::path dir = fresh_dir("abandon");
  {
    OutputSet set(dir.string());
    set.open("spikes.csv").stream() << "old\n";
    set.publish(Manifest{});
  }
  const std::string manifest = slurp(dir / "manifest.json");
  {
    OutputSet set(dir.string());
    set.open("spikes.csv").stream() << "new\n";
    set.open("timesteps.csv").stream() << "new\n";
  }
  EXPECT_EQ(listing(dir), (std::vector<std::string>{"manifest.json", "spikes.csv"}));
  EXPECT_EQ(slurp(dir / "spikes.csv"), "old\n");
  EXPECT_EQ(slurp(dir / "manifest.json"), manifest);
  EXPECT_NO_THROW(read_verified_manifest(dir.string()));
  fs::remove_all(dir);
}

TEST(OutputSet, TemporariesOfAnInterruptedRunAreRemovedByTheNext) {
  const fs::path dir = fresh_dir("leftover");
  fs::create_directories(dir);
  std::ofstream(dir / ".spikes.csv.0123abcd.tmp") << "partial";
  std::ofstream(dir / ".manifest.json.0123abcd.tmp") << "partial";
  std::ofstream(dir / ".mine.tmp") << "not ours";
  { OutputSet set(dir.string()); }
  EXPECT_EQ(listing(dir), (std::vector<std::string>{".mine.tmp"}));
  fs::remove_all(dir);
}

TEST(Manifest, ChangedMissingOrUnlistedStateIsIncomplete) {
  const fs::path dir = fresh_dir("verify");
  {
    OutputSet set(dir.string());
    set.open("spikes.csv").stream() << "timestep,cycle,core,neuron\n0,5,0,1\n";
    set.open("timesteps.csv").stream() << "x\n";
    set.publish(Manifest{});
  }
  EXPECT_NO_THROW(read_verified_manifest(dir.string()));
  std::string spikes = slurp(dir / "spikes.csv");
  spikes[spikes.size() - 2] = '3';  // same size, other content
  std::ofstream(dir / "spikes.csv", std::ios::binary) << spikes;
  EXPECT_THROW(read_verified_manifest(dir.string()), IoError);
  fs::remove(dir / "spikes.csv");
  EXPECT_THROW(read_verified_manifest(dir.string()), IoError);
  fs::remove(dir / "manifest.json");
  try {
    read_verified_manifest(dir.string());
    FAIL() << "a directory without manifest passed";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("manifest.json is missing"), std::string::npos) << e.what();
  }
  std::ofstream(dir / "manifest.json") << "{\"not\": \"a manifest\"}";
  EXPECT_THROW(read_verified_manifest(dir.string()), IoError);
  fs::remove_all(dir);
}

TEST(Manifest, RenderedManifestParsesBack) {
  Manifest m;
  m.run_id = "abc";
  m.fidelity = "functional";
  m.config = "x.yaml";
  m.halted = true;
  m.files = {{"spikes.csv", 12, 0xdeadbeefu}, {"stats.json", 0, 0}};
  const Manifest p = parse_manifest(render_manifest(m), "test");
  EXPECT_EQ(p.run_id, "abc");
  EXPECT_EQ(p.fidelity, "functional");
  EXPECT_TRUE(p.halted);
  ASSERT_EQ(p.files.size(), 2u);
  EXPECT_EQ(p.files[0].crc32, 0xdeadbeefu);
  EXPECT_EQ(p.files[0].size, 12u);
  EXPECT_THROW(parse_manifest("{\"neurochip_manifest\": 2}", "test"), IoError);
}

}  // namespace
}  // namespace neurochip::sim
