// Result file writers (see output_files.h and traces/README.md).
#include "io/output_files.h"

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace neurochip::sim {

void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& fill) {
  namespace fs = std::filesystem;
  const fs::path final_path(path);
  const fs::path tmp = final_path.parent_path() / ("." + final_path.filename().string() + ".tmp");
  {
    std::ofstream os(tmp, std::ios::binary | std::ios::trunc);
    if (!os) throw std::runtime_error("cannot write " + tmp.string());
    fill(os);
    os.flush();
    if (!os) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw std::runtime_error("error while writing " + tmp.string());
    }
  }
  std::error_code ec;
  fs::rename(tmp, final_path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw std::runtime_error("cannot rename " + tmp.string() + " to " + final_path.string());
  }
}

namespace {

/// Builds CSV rows of integers with std::to_chars into a buffer that is handed to the stream in
/// large blocks: result files of long runs hold tens of millions of fields.
class CsvRows {
 public:
  explicit CsvRows(std::ostream& os) : os_(os) { buf_.reserve(kBlock + 256); }
  ~CsvRows() { flush(); }
  template <class... Ints>
  void row(Ints... fields) {
    (field(static_cast<int64_t>(fields)), ...);
    end_row();
  }
  /// A row of any length: field() for each value, then end_row().
  void field(int64_t v) {
    if (!at_row_start_) buf_.push_back(',');
    at_row_start_ = false;
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, v).ptr;
    buf_.append(digits, end);
  }
  void end_row() {
    buf_.push_back('\n');
    at_row_start_ = true;
    if (buf_.size() >= kBlock) flush();
  }

 private:
  static constexpr size_t kBlock = 1 << 20;
  void flush() {
    os_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    buf_.clear();
  }
  std::ostream& os_;
  std::string buf_;
  bool at_row_start_ = true;
};

}  // namespace

void write_spikes_csv(std::ostream& os, const std::vector<hw::EmittedSpike>& spikes) {
  os << "timestep,cycle,core,neuron\n";
  CsvRows rows(os);
  for (const auto& s : spikes) rows.row(s.timestep, s.cycle, s.core, s.neuron);
}

void write_timesteps_csv(std::ostream& os, const std::vector<CoreTimestepRecord>& records) {
  const hw::PhaseTable& phases = hw::PhaseTable::instance();
  os << "timestep,core,start_cycle,";
  for (hw::PhaseId id : phases.order()) os << phases[id].name << "_cycles,";
  os << "latency_cycles,active_indices,input_events,spikes\n";
  CsvRows rows(os);
  for (const auto& r : records) {
    rows.field(r.timestep);
    rows.field(r.core);
    rows.field(r.start_cycle);
    for (hw::PhaseId id : phases.order()) rows.field(r.cycles[id]);
    rows.row(r.cycles.total(), r.active_indices, r.input_events, r.spikes);
  }
}

void write_readouts_csv(std::ostream& os, const hw::ChipConfig& chip,
                        const std::vector<std::vector<int32_t>>& readout_trace) {
  os << "timestep,core,readout,value\n";
  CsvRows rows(os);
  for (size_t t = 0; t < readout_trace.size(); ++t) {
    size_t pos = 0;
    for (size_t c = 0; c < chip.cores.size(); ++c) {
      for (uint32_t k = 0; k < chip.cores[c].image.readouts; ++k, ++pos) rows.row(t, c, k, readout_trace[t].at(pos));
    }
  }
}

void write_populations_csv(std::ostream& os, const RunConfig& rc) {
  os << "population,kind,core,first_slot,size\n";
  for (const Population& p : rc.workload.populations) {
    const char* kind = p.kind == PopulationKind::kInput ? "input" : (p.kind == PopulationKind::kNeuron ? "neuron" : "readout");
    os << p.name << ',' << kind << ',' << p.core_index << ',' << p.first_slot << ',' << p.size << '\n';
  }
}

void write_stats_json(std::ostream& os, const std::vector<hw::StatView>& stats,
                      const std::string& fidelity, const std::string& config_file) {
  nlohmann::ordered_json root;
  root["neurochip"] = {{"format", 1}, {"fidelity", fidelity}, {"config", config_file}};
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
