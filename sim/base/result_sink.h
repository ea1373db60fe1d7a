// Streamed results of a run: the interface both backends feed as the run goes (per completed
// timestep its spikes, one record per core and the readout row; at the end the final state,
// counters, statistics and totals), a sink that fans out to several, and the sink that collects
// everything into a RunResult (tests). Result file writers (sim/io/result_writers.h) implement it
// too, so that a run's memory does not grow with its length. Formats: traces/README.md.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "base/run_result.h"
#include "common/stats.h"

namespace neurochip::sim {

/// What a run reports once it has ended.
struct RunTotals {
  std::vector<CoreState> final_state;     ///< per core
  std::vector<CoreCounters> counters;     ///< per core
  std::vector<hw::StatView> stats;        ///< registered statistics (root group "stats")
  uint64_t total_cycles = 0;
  uint64_t overruns = 0;
  bool halted = false;
  uint64_t timesteps_completed = 0;
  uint64_t output_packets = 0;
  uint64_t unmapped_stimulus_packets = 0;
};

/// One completed timestep. The references are valid during the call only.
struct TimestepResult {
  uint64_t timestep = 0;
  const std::vector<hw::EmittedSpike>& spikes;       ///< sorted by cycle, core, neuron
  const std::vector<CoreTimestepRecord>& records;    ///< one per core, in core order
  const std::vector<int32_t>* readouts;              ///< every core's readouts after PROP; null when not recorded
};

class ResultSink {
 public:
  virtual ~ResultSink() = default;
  /// Called once per completed timestep, in timestep order.
  virtual void timestep(const TimestepResult& ts) = 0;
  /// Called once when the run has ended (also after a halt).
  virtual void finish(const RunTotals& totals) = 0;
};

/// Forwards every call to each of its sinks in order.
class TeeSink : public ResultSink {
 public:
  TeeSink(std::initializer_list<ResultSink*> sinks) : sinks_(sinks) {}
  void timestep(const TimestepResult& ts) override {
    for (ResultSink* s : sinks_) s->timestep(ts);
  }
  void finish(const RunTotals& totals) override {
    for (ResultSink* s : sinks_) s->finish(totals);
  }

 private:
  std::vector<ResultSink*> sinks_;
};

/// Keeps everything: the RunResult of the run and its statistics. Its memory grows with the run.
class CollectingSink : public ResultSink {
 public:
  void timestep(const TimestepResult& ts) override {
    result_.spikes.insert(result_.spikes.end(), ts.spikes.begin(), ts.spikes.end());
    result_.timesteps.insert(result_.timesteps.end(), ts.records.begin(), ts.records.end());
    if (ts.readouts) result_.readout_trace.push_back(*ts.readouts);
  }
  void finish(const RunTotals& totals) override {
    result_.final_state = totals.final_state;
    result_.counters = totals.counters;
    result_.total_cycles = totals.total_cycles;
    result_.overruns = totals.overruns;
    result_.halted = totals.halted;
    result_.timesteps_completed = totals.timesteps_completed;
    result_.output_packets = totals.output_packets;
    result_.unmapped_stimulus_packets = totals.unmapped_stimulus_packets;
    stats_ = totals.stats;
    finished_ = true;
  }
  const RunResult& result() const { return result_; }
  RunResult& result() { return result_; }
  const std::vector<hw::StatView>& stats() const { return stats_; }
  bool finished() const { return finished_; }

 private:
  RunResult result_;
  std::vector<hw::StatView> stats_;
  bool finished_ = false;
};

}  // namespace neurochip::sim
