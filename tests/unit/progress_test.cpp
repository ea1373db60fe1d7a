// The progress line of long runs (sim/runner/progress.h), driven by a fake clock.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "runner/progress.h"

namespace neurochip::sim {
namespace {

/// Captures what the progress line writes.
class Captured {
 public:
  Captured() : file_(std::tmpfile()) {}
  ~Captured() { std::fclose(file_); }
  std::FILE* file() { return file_; }
  std::string text() {
    std::fflush(file_);
    std::rewind(file_);
    std::string out;
    for (int c; (c = std::fgetc(file_)) != EOF;) out.push_back(static_cast<char>(c));
    return out;
  }

 private:
  std::FILE* file_;
};

TEST(Progress, SilentForShortRunsThenAtMostOncePerInterval) {
  Captured log;
  double now = 100.0;
  {
    ProgressLine p(1001, true, log.file(), false, [&now] { return now; });
    now = 101.9;
    p.update(64);  // 1.9 s elapsed: still within the 2 s of silence
    EXPECT_EQ(log.text(), "");
    now = 102.0;
    p.update(100);  // not a multiple of 64: the clock is not even read
    EXPECT_EQ(log.text(), "");
    p.update(128);  // 2.0 s: 128 timesteps at 64/s, 873 left -> eta 13.64 s
    EXPECT_EQ(log.text(), "[neurochip] timestep 128/1001 (13%), 64 timesteps/s, eta 13.6 s\n");
    now = 102.5;
    p.update(192);  // only 0.5 s since the last line
    now = 103.0;
    p.update(256);  // 3.0 s: 256/3 = 85.3 timesteps/s, 745 left -> eta 8.73 s
  }
  EXPECT_EQ(log.text(),
            "[neurochip] timestep 128/1001 (13%), 64 timesteps/s, eta 13.6 s\n"
            "[neurochip] timestep 256/1001 (26%), 85 timesteps/s, eta 8.7 s\n");
}

TEST(Progress, TerminalLineRewritesItselfAndEndsWithNewline) {
  Captured log;
  double now = 0.0;
  {
    ProgressLine p(128, true, log.file(), true, [&now] { return now; });
    now = 4.0;
    p.update(64);  // 16 timesteps/s, 64 left -> eta 4.0 s
  }
  EXPECT_EQ(log.text(), "\r[neurochip] timestep 64/128 (50%), 16 timesteps/s, eta 4.0 s\n");
}

TEST(Progress, DisabledPrintsNothing) {
  Captured log;
  double now = 0.0;
  {
    ProgressLine p(128, false, log.file(), false, [&now] { return now; });
    now = 10.0;
    p.update(64);
  }
  EXPECT_EQ(log.text(), "");
}

}  // namespace
}  // namespace neurochip::sim
