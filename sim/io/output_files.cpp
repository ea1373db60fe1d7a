// Result file writers (see output_files.h and traces/README.md).
#include "io/output_files.h"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace neurochip::sim {
namespace {

void spikes_header(std::ostream& os) { os << "timestep,cycle,core,neuron\n"; }

void spike_row(CsvRows& rows, const hw::EmittedSpike& s) { rows.row(s.timestep, s.cycle, s.core, s.neuron); }

/// `network`: the chip has one, and the rows end with the core's wait for it before PROP.
void timesteps_header(std::ostream& os, bool network) {
  const hw::PhaseTable& phases = hw::PhaseTable::instance();
  os << "timestep,core,start_cycle,";
  for (hw::PhaseId id : phases.order()) os << phases[id].name << "_cycles,";
  os << "latency_cycles,active_indices,input_events,spikes" << (network ? ",network_wait_cycles" : "") << "\n";
}

void timestep_row(CsvRows& rows, const CoreTimestepRecord& r, bool network) {
  const hw::PhaseTable& phases = hw::PhaseTable::instance();
  rows.field(static_cast<int64_t>(r.timestep));
  rows.field(r.core);
  rows.field(static_cast<int64_t>(r.start_cycle));
  for (hw::PhaseId id : phases.order()) rows.field(static_cast<int64_t>(r.cycles[id]));
  if (network) {
    rows.row(r.cycles.total(), r.active_indices, r.input_events, r.spikes, r.network_wait_cycles);
  } else {
    rows.row(r.cycles.total(), r.active_indices, r.input_events, r.spikes);
  }
}

void readouts_header(std::ostream& os) { os << "timestep,core,readout,value\n"; }

/// One timestep's readout row: every readout of every core, in core order.
void readout_rows(CsvRows& rows, uint64_t t, const std::vector<uint32_t>& per_core, const std::vector<int32_t>& row) {
  size_t pos = 0;
  for (size_t c = 0; c < per_core.size(); ++c)
    for (uint32_t k = 0; k < per_core[c]; ++k, ++pos) rows.row(t, c, k, row.at(pos));
}

std::vector<uint32_t> readouts_per_core(const hw::ChipConfig& chip) {
  std::vector<uint32_t> n;
  for (const auto& c : chip.cores) n.push_back(c.enabled.readouts);
  return n;
}

}  // namespace

void write_spikes_csv(std::ostream& os, const std::vector<hw::EmittedSpike>& spikes) {
  spikes_header(os);
  CsvRows rows(os);
  for (const auto& s : spikes) spike_row(rows, s);
  rows.flush();
}

void write_timesteps_csv(std::ostream& os, const std::vector<CoreTimestepRecord>& records) {
  timesteps_header(os, false);
  CsvRows rows(os);
  for (const auto& r : records) timestep_row(rows, r, false);
  rows.flush();
}

void write_readouts_csv(std::ostream& os, const hw::ChipConfig& chip,
                        const std::vector<std::vector<int32_t>>& readout_trace) {
  readouts_header(os);
  CsvRows rows(os);
  const std::vector<uint32_t> per_core = readouts_per_core(chip);
  for (size_t t = 0; t < readout_trace.size(); ++t) readout_rows(rows, t, per_core, readout_trace[t]);
  rows.flush();
}

CsvResultWriter::CsvResultWriter(const hw::ChipConfig& chip, std::ostream* spikes, std::ostream* timesteps,
                                 std::ostream* readouts)
    : readouts_per_core_(readouts_per_core(chip)), network_(chip.noc.enabled) {
  if (spikes) {
    spikes_header(*spikes);
    spikes_ = std::make_unique<CsvRows>(*spikes);
  }
  if (timesteps) {
    timesteps_header(*timesteps, network_);
    timesteps_ = std::make_unique<CsvRows>(*timesteps);
  }
  if (readouts) {
    readouts_header(*readouts);
    readouts_ = std::make_unique<CsvRows>(*readouts);
  }
}

void CsvResultWriter::timestep(const TimestepResult& ts) {
  if (spikes_)
    for (const hw::EmittedSpike& s : ts.spikes) spike_row(*spikes_, s);
  if (timesteps_)
    for (const CoreTimestepRecord& r : ts.records) timestep_row(*timesteps_, r, network_);
  if (readouts_ && ts.readouts) readout_rows(*readouts_, ts.timestep, readouts_per_core_, *ts.readouts);
}

void CsvResultWriter::finish(const RunTotals&) {
  for (CsvRows* rows : {spikes_.get(), timesteps_.get(), readouts_.get()})
    if (rows) rows->flush();
}

SampleResultWriter::SampleResultWriter(std::ostream* os, const SampleSet& samples)
    : os_(os), set_(samples), epochs_(samples.epochs) {
  if (os_) *os_ << "epoch,pass,sample,core,target,label,correct,votes\n";
}

void SampleResultWriter::timestep(const TimestepResult& ts) {
  for (const CoreTimestepRecord& r : ts.records) {
    if (r.label < 0 && r.votes.empty()) continue;
    const uint64_t at = set_.timesteps_per_sample ? ts.timestep / set_.timesteps_per_sample : 0;
    const RunSample sample = at < set_.run.size() ? set_.run[at] : RunSample{};
    const bool correct = sample.target >= 0 && r.label == sample.target;
    ++samples_;
    if (correct) ++correct_;
    if (sample.epoch < epochs_.size() && sample.target >= 0) {
      Tally& t = sample.test ? epochs_[sample.epoch].second : epochs_[sample.epoch].first;
      ++t.samples;
      if (correct) ++t.correct;
    }
    const bool epoch_done = at + 1 >= set_.run.size() || set_.run[at + 1].epoch != sample.epoch;
    if (epoch_done && r.core + 1 == ts.records.size() && on_epoch) on_epoch(sample.epoch);
    if (!os_) continue;
    *os_ << sample.epoch << ',' << (sample.test ? "test" : "train") << ',' << sample.index << ',' << r.core << ','
         << sample.target << ',' << r.label << ',' << (correct ? 1 : 0) << ',';
    for (size_t k = 0; k < r.votes.size(); ++k) *os_ << (k ? " " : "") << r.votes[k];
    *os_ << '\n';
  }
}

void SampleResultWriter::finish(const RunTotals&) {
  if (os_) os_->flush();
}

namespace {
std::string percent(const SampleResultWriter::Tally& t) {
  if (t.samples == 0) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", 100.0 * static_cast<double>(t.correct) / static_cast<double>(t.samples));
  return buf;
}
}  // namespace

void write_learning_curve_csv(std::ostream& os, const std::vector<std::pair<SampleResultWriter::Tally,
                                                                            SampleResultWriter::Tally>>& epochs) {
  os << "epoch,train_samples,train_correct,train_accuracy,test_samples,test_correct,test_accuracy\n";
  for (size_t e = 0; e < epochs.size(); ++e) {
    const auto& [train, test] = epochs[e];
    os << e << ',' << train.samples << ',' << train.correct << ',' << percent(train) << ',' << test.samples << ','
       << test.correct << ',' << percent(test) << '\n';
  }
}

void write_learning_curve_svg(std::ostream& os, const std::vector<std::pair<SampleResultWriter::Tally,
                                                                            SampleResultWriter::Tally>>& epochs) {
  // 640 x 400 px; plot area x 60..620 (epochs), y 20..360 (0..100 %).
  const double x0 = 60, x1 = 620, y0 = 360, y1 = 20;
  const size_t n = epochs.size();
  const auto x = [&](size_t e) { return n <= 1 ? (x0 + x1) / 2 : x0 + (x1 - x0) * static_cast<double>(e) / static_cast<double>(n - 1); };
  const auto y = [&](double pct) { return y0 + (y1 - y0) * pct / 100.0; };
  os << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"400\" font-family=\"sans-serif\" "
        "font-size=\"12\">\n<rect width=\"640\" height=\"400\" fill=\"white\"/>\n";
  for (int pct = 0; pct <= 100; pct += 25) {
    os << "<line x1=\"" << x0 << "\" x2=\"" << x1 << "\" y1=\"" << y(pct) << "\" y2=\"" << y(pct)
       << "\" stroke=\"#ddd\"/><text x=\"" << x0 - 8 << "\" y=\"" << y(pct) + 4 << "\" text-anchor=\"end\">" << pct
       << " %</text>\n";
  }
  for (size_t e = 0; e < n; ++e)
    os << "<text x=\"" << x(e) << "\" y=\"" << y0 + 18 << "\" text-anchor=\"middle\">" << e << "</text>\n";
  os << "<text x=\"" << (x0 + x1) / 2 << "\" y=\"395\" text-anchor=\"middle\">epoch</text>\n";
  const char* colours[2] = {"#1f77b4", "#d62728"};
  const char* names[2] = {"train (during learning)", "test"};
  for (int series = 0; series < 2; ++series) {
    std::string points;
    for (size_t e = 0; e < n; ++e) {
      const SampleResultWriter::Tally& t = series == 0 ? epochs[e].first : epochs[e].second;
      if (t.samples == 0) continue;
      const double pct = 100.0 * static_cast<double>(t.correct) / static_cast<double>(t.samples);
      points += std::to_string(x(e)) + "," + std::to_string(y(pct)) + " ";
      os << "<circle cx=\"" << x(e) << "\" cy=\"" << y(pct) << "\" r=\"3\" fill=\"" << colours[series] << "\"/>\n";
    }
    if (points.empty()) continue;
    os << "<polyline fill=\"none\" stroke=\"" << colours[series] << "\" stroke-width=\"2\" points=\"" << points
       << "\"/>\n<text x=\"" << x1 - 150 << "\" y=\"" << y1 + 16 + 16 * series << "\" fill=\"" << colours[series]
       << "\">" << names[series] << "</text>\n";
  }
  os << "</svg>\n";
}

void write_weights_csv(std::ostream& os, const std::vector<int8_t>& dense, uint32_t pre, uint32_t post) {
  os << "pre,post,weight\n";
  CsvRows rows(os);
  for (uint32_t i = 0; i < pre; ++i)
    for (uint32_t j = 0; j < post; ++j)
      if (const int8_t w = dense[size_t{i} * post + j]; w != 0) rows.row(i, j, w);
  rows.flush();
}

void write_populations_csv(std::ostream& os, const RunConfig& rc) {
  os << "population,kind,core,first_slot,size\n";
  for (const Population& p : rc.workload.populations) {
    const char* kind = p.kind == PopulationKind::kInput ? "input" : (p.kind == PopulationKind::kNeuron ? "neuron" : "readout");
    os << p.name << ',' << kind << ',' << p.core_index << ',' << p.first_slot << ',' << p.size << '\n';
  }
}

void write_stats_json(std::ostream& os, const std::vector<hw::StatView>& stats, const std::string& fidelity,
                      const std::string& config_file, const RunIdentity& identity) {
  nlohmann::ordered_json root;
  root["neurochip"] = {{"format", 1}, {"fidelity", fidelity}, {"config", config_file}};
  nlohmann::ordered_json run = {{"version", identity.version}};
  if (!identity.git_revision.empty()) run["git_revision"] = identity.git_revision;
  if (!identity.config_hash.empty()) run["config_hash"] = identity.config_hash;
  root["run"] = std::move(run);
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& s : stats) {
    nlohmann::ordered_json e;
    e["name"] = s.name;
    e["unit"] = s.unit;
    e["description"] = s.description;
    for (const auto& [field, value] : s.values) {
      if (value == static_cast<double>(static_cast<int64_t>(value)))
        e[field] = static_cast<int64_t>(value);
      else
        e[field] = value;
    }
    list.push_back(std::move(e));
  }
  root["stats"] = std::move(list);
  os << root.dump(2) << '\n';
}

}  // namespace neurochip::sim
