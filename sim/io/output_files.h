// Writers of a run's result files (formats documented in traces/README.md): spikes.csv,
// timesteps.csv, readouts.csv, populations.csv and stats.json — whole results (a RunResult) or, for
// the CSV files, streamed timestep by timestep (CsvResultWriter, a ResultSink). Both write the
// same bytes through the same row formatting. Where the bytes go (checked temporary files,
// published as one set) is sim/io/output_set.h.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "base/result_sink.h"
#include "base/run_config.h"
#include "base/run_identity.h"
#include "base/run_result.h"
#include "chip/chip_config.h"
#include "common/stats.h"
#include "io/csv_rows.h"

namespace neurochip::sim {

void write_spikes_csv(std::ostream& os, const std::vector<hw::EmittedSpike>& spikes);
void write_timesteps_csv(std::ostream& os, const std::vector<CoreTimestepRecord>& records);
void write_readouts_csv(std::ostream& os, const hw::ChipConfig& chip,
                        const std::vector<std::vector<int32_t>>& readout_trace);
/// A learned weight matrix (dense `pre` x `post`, row-major) as the loader's synapse file:
/// `pre,post,weight` lines for every non-zero weight, indices the core's slots.
void write_weights_csv(std::ostream& os, const std::vector<int8_t>& dense, uint32_t pre, uint32_t post);
/// populations.csv: where each population's slots are, to map spikes.csv back to the network.
void write_populations_csv(std::ostream& os, const RunConfig& rc);
/// stats.json: {"neurochip": {format, fidelity, config}, "run": {version, git_revision (when
/// known), config_hash}, "stats": [{name, unit, description, value...}]} (traces/README.md).
void write_stats_json(std::ostream& os, const std::vector<hw::StatView>& stats, const std::string& fidelity,
                      const std::string& config_file, const RunIdentity& identity);

/// Streams spikes.csv, timesteps.csv and readouts.csv as the run goes. A null stream is a file not
/// written. Headers are written at construction; finish() hands the last rows to the streams.
class CsvResultWriter : public ResultSink {
 public:
  CsvResultWriter(const hw::ChipConfig& chip, std::ostream* spikes, std::ostream* timesteps,
                  std::ostream* readouts);
  void timestep(const TimestepResult& ts) override;
  void finish(const RunTotals& totals) override;

 private:
  std::vector<uint32_t> readouts_per_core_;
  bool network_;  ///< timesteps.csv has network_wait_cycles (a chip with a network)
  std::unique_ptr<CsvRows> spikes_, timesteps_, readouts_;
};

/// Streams samples.csv (a run of samples, SPEC §4.5): one row per sample and core when the sample
/// ends, `epoch,pass,sample,core,target,label,correct,votes` — pass `train` or `test`, sample its
/// index in its file, target -1 when the dataset gives none (then correct is 0), votes the win
/// counters in readout order, space-separated. Tallies the correct labels per epoch and pass.
class SampleResultWriter : public ResultSink {
 public:
  SampleResultWriter(std::ostream* os, const SampleSet& samples);
  void timestep(const TimestepResult& ts) override;
  void finish(const RunTotals& totals) override;
  struct Tally {
    uint64_t samples = 0, correct = 0;
  };
  /// Per epoch: the training pass and the test pass.
  const std::vector<std::pair<Tally, Tally>>& epochs() const { return epochs_; }
  uint64_t samples() const { return samples_; }
  uint64_t correct() const { return correct_; }
  /// Called with the epoch's index when the last sample of an epoch has ended.
  std::function<void(uint32_t epoch)> on_epoch;

 private:
  std::ostream* os_;
  const SampleSet& set_;
  std::vector<std::pair<Tally, Tally>> epochs_;
  uint64_t samples_ = 0;
  uint64_t correct_ = 0;
};

/// learning_curve.csv: `epoch,train_samples,train_correct,train_accuracy,test_samples,test_correct,
/// test_accuracy` (accuracies in %, empty for a pass without labelled samples).
void write_learning_curve_csv(std::ostream& os, const std::vector<std::pair<SampleResultWriter::Tally,
                                                                            SampleResultWriter::Tally>>& epochs);
/// learning_curve.svg: the same accuracies per epoch as a line plot.
void write_learning_curve_svg(std::ostream& os, const std::vector<std::pair<SampleResultWriter::Tally,
                                                                            SampleResultWriter::Tally>>& epochs);

}  // namespace neurochip::sim
