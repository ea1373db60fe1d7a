// Streaming result writers: CsvResultWriter (sim/io/output_files.h) writes the same bytes as the
// whole-result writers the golden files were made with, and VcdWriter (sim/io/vcd_writer.h) writes
// a header, initial values at time 0 and then, per time point, only the signals whose value at the
// end of that point changed, negative values in 16-bit two's complement (traces/README.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <string>

#include "base/result_sink.h"
#include "config/config_loader.h"
#include "io/workload_stimulus.h"
#include "core/core_datapath.h"
#include "core/phase_table.h"
#include "io/output_files.h"
#include "io/vcd_writer.h"
#include "reference/functional_model.h"
#include "support/test_chips.h"

namespace neurochip::sim {
namespace {

TEST(CsvResultWriter, StreamsTheSameBytesAsTheWholeResultWriters) {
  const RunConfig rc = load_run_config(std::string(NEUROCHIP_REPO_ROOT) + "/configs/chips/reckon.yaml",
                                       {"workload.timesteps=300"});
  std::ostringstream spikes, records, readouts;
  CsvResultWriter csv(rc.chip, &spikes, &records, &readouts);
  CollectingSink collect;
  TeeSink both{&csv, &collect};
  WorkloadStimulus stimulus(rc);
  stream_functional(rc.chip, rc.image, stimulus, rc.workload.timesteps, true, both);
  const RunResult& r = collect.result();
  ASSERT_GT(r.spikes.size(), 1000u);
  std::ostringstream s, t, v;
  write_spikes_csv(s, r.spikes);
  write_timesteps_csv(t, r.timesteps);
  write_readouts_csv(v, rc.chip, r.readout_trace);
  EXPECT_EQ(spikes.str(), s.str());
  EXPECT_EQ(records.str(), t.str());
  EXPECT_EQ(readouts.str(), v.str());
}

TEST(CsvResultWriter, AFileNotSelectedIsNotWritten) {
  const test::TestChip chip = test::chip_of({test::tiny_core(1, 2, 1)});
  std::ostringstream records;
  CsvResultWriter csv(chip, nullptr, &records, nullptr);
  hw::InputSchedule events = test::core0_events({{0}});
  hw::ScheduleStimulus stimulus(events);
  stream_functional(chip, chip.image, stimulus, 3, true, csv);
  const std::string text = records.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 4);  // header + 3 timesteps
}

TEST(VcdWriter, WritesInitialValuesThenTheChangesOfEachTimePoint) {
  test::TestCore core = test::tiny_core(1, 2, 1);
  test::set_input(core, 0, 0, -50);
  const test::TestChip chip = test::chip_of({core});
  hw::CoreDatapath dp(chip.cores[0], chip.image.cores[0]);
  std::ostringstream out;
  VcdWriter vcd(out, chip, "chip", 16);
  vcd.tick(hw::Ps(0), 0);
  vcd.phase_begin(0, hw::Ps(0), 1, 0, 0, dp);
  vcd.phase_begin(0, hw::Ps(30), 3, 0, 0, dp);
  vcd.phase_begin(0, hw::Ps(30), 2, 0, 0, dp);  // the same time point: its last value counts
  dp.receive(0, hw::Ps(0));
  dp.begin_timestep(hw::Ps(0));
  const hw::PhaseTable& phases = hw::PhaseTable::instance();
  for (hw::PhaseId id : phases.order())
    if (phases[id].execute) phases[id].execute(dp);
  ASSERT_EQ(dp.neurons().membrane()[0], -50);
  vcd.phase_begin(0, hw::Ps(50), 4, 0, 0, dp);
  vcd.idle(0, hw::Ps(80));
  vcd.tick(hw::Ps(80), 1);
  vcd.phase_begin(0, hw::Ps(80), 1, 1, 0, dp);
  vcd.idle(0, hw::Ps(95));
  vcd.finish();
  EXPECT_EQ(out.str(),
            "$version neurochip 0.1.0 $end\n$timescale 1 ps $end\n"
            "$scope module chip $end\n$var wire 32 ! timestep $end\n"
            "$scope module core0 $end\n$var wire 32 \" phase $end\n$var wire 64 # timestep $end\n"
            "$var wire 64 $ spikes $end\n$var wire 16 % u_0 $end\n$var wire 16 & u_1 $end\n"
            "$var wire 16 ' v_0 $end\n$upscope $end\n$upscope $end\n$enddefinitions $end\n"
            "#0\n$dumpvars\nb0 !\nb1 \"\nb0 #\nb0 $\nb0 %\nb0 &\nb0 '\n$end\n"
            "#30\nb10 \"\n"
            "#50\nb100 \"\nb1111111111001110 %\n"
            "#80\nb1 !\nb1 \"\nb1 #\n"
            "#95\nb0 \"\n");
}

TEST(VcdWriter, AStreamErrorIsKeptReportedOnceAndRethrownByFinish) {
  struct Full : std::streambuf {
    std::streamsize xsputn(const char*, std::streamsize) override { throw std::runtime_error("disk full"); }
    int_type overflow(int_type) override { throw std::runtime_error("disk full"); }
  } full;
  std::ostream out(&full);
  out.exceptions(std::ios::badbit);
  const test::TestChip chip = test::chip_of({test::tiny_core(1, 2, 1)});
  int called = 0;
  VcdWriter vcd(out, chip, "chip", 16);
  vcd.on_error([&called] { ++called; });
  vcd.tick(hw::Ps(0), 0);
  try {
    vcd.finish();
    FAIL() << "the write error was lost";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "disk full");
  }
  EXPECT_EQ(called, 1);
}

}  // namespace
}  // namespace neurochip::sim
