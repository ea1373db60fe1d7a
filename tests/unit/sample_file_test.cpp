// Unit tests of the sample dataset readers (sim/io/sample_file.h): both formats on small
// hand-written files (tests/data/samples/), labels, and the positioned errors.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "io/sample_file.h"

namespace neurochip::sim {
namespace {

const std::string kDir = std::string(NEUROCHIP_TEST_DATA) + "/samples/";
using Events = std::vector<std::pair<uint64_t, uint32_t>>;

std::vector<std::string> messages(const SampleReadResult& r) {
  std::vector<std::string> m;
  for (const ConfigDiagnostic& d : r.errors) m.push_back(d.str());
  return m;
}

TEST(SampleFile, ReadsReckOnsDatasetFormat) {
  // three.dat: 3 samples of 6 timesteps; targets 1, 0, 1; the -2 marker may come anywhere.
  const SampleReadResult r = read_reckon_dataset(kDir + "three.dat", 4);
  ASSERT_TRUE(r.opened);
  ASSERT_TRUE(r.errors.empty()) << messages(r)[0];
  ASSERT_EQ(r.samples.size(), 3u);
  EXPECT_EQ(r.samples[0].events, (Events{{0, 1}, {2, 3}, {4, 2}}));
  EXPECT_EQ(r.samples[0].target, 1);
  EXPECT_EQ(r.samples[0].length, 6u);
  EXPECT_EQ(r.samples[1].events, (Events{{1, 0}}));
  EXPECT_EQ(r.samples[1].target, 0);
  EXPECT_EQ(r.samples[2].events, (Events{{5, 3}}));
  EXPECT_EQ(r.samples[2].target, 1);
}

TEST(SampleFile, ReadsCsvEventsAndLabels) {
  SampleReadResult r = read_sample_csv(kDir + "two.csv", 4, 6);
  ASSERT_TRUE(r.errors.empty()) << messages(r)[0];
  ASSERT_EQ(r.samples.size(), 2u);
  EXPECT_EQ(r.samples[0].events, (Events{{0, 1}, {2, 3}, {2, 3}}));  // repeats are kept; the core merges them
  EXPECT_EQ(r.samples[1].events, (Events{{1, 0}, {5, 2}}));
  EXPECT_EQ(r.samples[0].target, -1);
  read_sample_labels(kDir + "two_labels.csv", 2, r);
  ASSERT_TRUE(r.errors.empty()) << messages(r)[0];
  EXPECT_EQ(r.samples[0].target, 1);
  EXPECT_EQ(r.samples[1].target, 0);
  // A label beyond the readouts is refused.
  SampleReadResult one = read_sample_csv(kDir + "two.csv", 4, 6);
  read_sample_labels(kDir + "two_labels.csv", 1, one);
  EXPECT_EQ(messages(one), (std::vector<std::string>{kDir + "two_labels.csv:2:3: expected a label in 0..0 (one per readout), got '1'"}));
}

TEST(SampleFile, CsvErrorsArePositioned) {
  const SampleReadResult r = read_sample_csv(kDir + "bad.csv", 4, 6);
  EXPECT_EQ(messages(r), (std::vector<std::string>{
                             kDir + "bad.csv:3:3: expected a timestep in 0..5 (samples.timesteps is 6), got '7'",
                             kDir + "bad.csv:4:1: expected the sample 0 or 1 (samples are numbered 0, 1, … in file order), got '2'",
                             kDir + "bad.csv:6:1: expected the sample 1 or 2 (samples are numbered 0, 1, … in file order), got '0'",
                         }));
}

TEST(SampleFile, NumbersBeyondSixtyFourBitsAreRangeErrors) {
  // Found by fuzz_sample_file: a 19-digit cell overflowed the parser (undefined behaviour).
  EXPECT_EQ(messages(read_sample_csv(kDir + "huge.csv", 4, 6)),
            (std::vector<std::string>{kDir + "huge.csv:2:3: expected a timestep in 0..5 (samples.timesteps is 6), got "
                                             "'9999999999999999999'"}));
  // An empty file is positioned at its first line.
  std::istringstream empty("");
  const SampleReadResult r = parse_sample_csv(empty, "empty.csv", 4, 6);
  EXPECT_EQ(messages(r), (std::vector<std::string>{"empty.csv:1:1: no sample events in the file"}));
}

TEST(SampleFile, ReckOnFormatErrors) {
  // bad.dat declares 2 samples; the first ends at 5; line 4 starts a second one with channel 4 of 4.
  const SampleReadResult r = read_reckon_dataset(kDir + "bad.dat", 4);
  EXPECT_EQ(messages(r), (std::vector<std::string>{
                             kDir + "bad.dat:4:1: expected an input channel in 0..3, -2 (supervision and label) or -1 "
                                    "(end of sample), got '4'"}));
  // With no other error, a missing sample is reported at the end of the file.
  EXPECT_EQ(messages(read_reckon_dataset(kDir + "short.dat", 4)),
            (std::vector<std::string>{kDir + "short.dat:3:1: the first line declares 2 samples, the file has 1"}));
  EXPECT_FALSE(read_reckon_dataset(kDir + "missing.dat", 4).opened);
}

}  // namespace
}  // namespace neurochip::sim
