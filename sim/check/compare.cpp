// Run comparison (see compare.h). Every source of rows — a RunResult's vectors or a CSV file — is a
// Table of named integer columns read one row at a time, so that in-memory results and run
// directories go through the same comparison and files of any length are compared in constant
// memory.
#include "check/compare.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/phase_table.h"
#include "io/manifest.h"

namespace neurochip::sim {
namespace {

/// Named integer columns, read row by row.
class Table {
 public:
  virtual ~Table() = default;
  const std::vector<std::string>& columns() const { return columns_; }
  /// The next row into `row` (one value per column); false at the end.
  virtual bool next(std::vector<int64_t>& row) = 0;

 protected:
  std::vector<std::string> columns_;
};

/// Rows produced by a callback from an index (in-memory results).
class IndexedTable : public Table {
 public:
  IndexedTable(std::vector<std::string> columns, size_t rows, std::function<void(size_t, std::vector<int64_t>&)> fill)
      : rows_(rows), fill_(std::move(fill)) {
    columns_ = std::move(columns);
  }
  bool next(std::vector<int64_t>& row) override {
    if (pos_ >= rows_) return false;
    row.assign(columns_.size(), 0);
    fill_(pos_++, row);
    return true;
  }

 private:
  size_t rows_, pos_ = 0;
  std::function<void(size_t, std::vector<int64_t>&)> fill_;
};

/// A CSV file of integers with a header line (traces/README.md).
class CsvTable : public Table {
 public:
  explicit CsvTable(const std::string& path) : path_(path), in_(path, std::ios::binary) {
    if (!in_) throw IoError("cannot read " + path);
    std::string header;
    if (!std::getline(in_, header)) throw IoError(path + ": empty file");
    ++line_;
    std::stringstream ss(header);
    for (std::string col; std::getline(ss, col, ',');) columns_.push_back(col);
  }
  bool next(std::vector<int64_t>& row) override {
    if (!std::getline(in_, text_)) {
      if (in_.bad()) throw IoError("error reading " + path_);
      return false;
    }
    ++line_;
    row.clear();
    const char* p = text_.data();
    const char* end = p + text_.size();
    for (;;) {
      int64_t v = 0;
      const auto r = std::from_chars(p, end, v);
      if (r.ec != std::errc()) throw IoError(path_ + ":" + std::to_string(line_) + ": not an integer");
      row.push_back(v);
      p = r.ptr;
      if (p == end) break;
      if (*p != ',') throw IoError(path_ + ":" + std::to_string(line_) + ": unexpected character");
      ++p;
    }
    if (row.size() != columns_.size())
      throw IoError(path_ + ":" + std::to_string(line_) + ": " + std::to_string(row.size()) + " fields, header has " +
                    std::to_string(columns_.size()));
    return true;
  }

 private:
  std::string path_;
  std::ifstream in_;
  std::string text_;
  uint64_t line_ = 0;
};

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

std::string render_row(const std::vector<std::string>& columns, const std::vector<int64_t>& row) {
  std::string s;
  for (size_t i = 0; i < row.size() && i < columns.size(); ++i)
    s += (i ? ", " : "") + columns[i] + " " + std::to_string(row[i]);
  return s;
}

/// How a table's rows are located: which columns are the timestep, cycle, core and index.
struct Locator {
  std::string timestep, cycle, core, index, index_name;
};

int column(const std::vector<std::string>& cols, const std::string& name) {
  const auto it = std::find(cols.begin(), cols.end(), name);
  return it == cols.end() ? -1 : static_cast<int>(it - cols.begin());
}

void locate(Divergence& d, const std::vector<std::string>& cols, const std::vector<int64_t>& row, const Locator& loc) {
  const auto value = [&](const std::string& name) -> std::optional<uint64_t> {
    const int i = name.empty() ? -1 : column(cols, name);
    if (i < 0) return std::nullopt;
    return static_cast<uint64_t>(row[static_cast<size_t>(i)]);
  };
  d.timestep = value(loc.timestep);
  d.cycle = value(loc.cycle);
  d.core = value(loc.core);
  d.index = value(loc.index);
  if (d.index) d.index_name = loc.index_name;
}

/// First divergence of two tables compared row by row, every column of `a` matched by name in `b`.
std::optional<Divergence> compare_tables(const std::string& file, Table& a, Table& b, const Locator& loc) {
  Divergence d;
  d.file = file;
  if (a.columns() != b.columns()) {
    d.field = "columns";
    d.a = join(a.columns());
    d.b = join(b.columns());
    return d;
  }
  const std::vector<std::string>& cols = a.columns();
  std::vector<int64_t> ra, rb;
  for (uint64_t row = 1;; ++row) {
    const bool ha = a.next(ra), hb = b.next(rb);
    if (!ha && !hb) return std::nullopt;
    d.row = row;
    if (ha != hb) {
      locate(d, cols, ha ? ra : rb, loc);
      d.field = "rows";
      d.a = ha ? "this row" : "no row (" + std::to_string(row - 1) + " rows)";
      d.b = hb ? "this row" : "no row (" + std::to_string(row - 1) + " rows)";
      if (ha) d.row_a = render_row(cols, ra);
      if (hb) d.row_b = render_row(cols, rb);
      return d;
    }
    for (size_t c = 0; c < cols.size(); ++c) {
      if (ra[c] == rb[c]) continue;
      // The place is that of the row that comes first in time (a row one run lacks shifts the rest).
      Divergence in_b = d;
      locate(d, cols, ra, loc);
      locate(in_b, cols, rb, loc);
      if (std::make_pair(in_b.timestep, in_b.cycle) < std::make_pair(d.timestep, d.cycle)) d = in_b;
      d.field = cols[c];
      d.a = std::to_string(ra[c]);
      d.b = std::to_string(rb[c]);
      d.row_a = render_row(cols, ra);
      d.row_b = render_row(cols, rb);
      return d;
    }
  }
}

const Locator kSpikes{"timestep", "cycle", "core", "neuron", "neuron"};
const Locator kRecords{"timestep", "start_cycle", "core", "", ""};
const Locator kReadouts{"timestep", "", "core", "readout", "readout"};

std::vector<std::string> record_columns() {
  const hw::PhaseTable& phases = hw::PhaseTable::instance();
  std::vector<std::string> cols = {"timestep", "core", "start_cycle"};
  for (hw::PhaseId id : phases.order()) cols.push_back(phases[id].name + "_cycles");
  for (const char* c : {"latency_cycles", "active_indices", "input_events", "spikes", "network_wait_cycles"})
    cols.push_back(c);
  return cols;
}

std::unique_ptr<Table> spikes_table(const RunResult& r) {
  return std::make_unique<IndexedTable>(std::vector<std::string>{"timestep", "cycle", "core", "neuron"}, r.spikes.size(),
                                        [&r](size_t i, std::vector<int64_t>& row) {
                                          const hw::EmittedSpike& s = r.spikes[i];
                                          row = {static_cast<int64_t>(s.timestep), static_cast<int64_t>(s.cycle),
                                                 static_cast<int64_t>(s.core), static_cast<int64_t>(s.neuron)};
                                        });
}

std::unique_ptr<Table> records_table(const RunResult& r) {
  return std::make_unique<IndexedTable>(record_columns(), r.timesteps.size(), [&r](size_t i, std::vector<int64_t>& row) {
    const CoreTimestepRecord& t = r.timesteps[i];
    const hw::PhaseTable& phases = hw::PhaseTable::instance();
    size_t c = 0;
    row[c++] = static_cast<int64_t>(t.timestep);
    row[c++] = t.core;
    row[c++] = static_cast<int64_t>(t.start_cycle);
    for (hw::PhaseId id : phases.order()) row[c++] = static_cast<int64_t>(t.cycles[id]);
    row[c++] = static_cast<int64_t>(t.cycles.total());
    row[c++] = static_cast<int64_t>(t.active_indices);
    row[c++] = static_cast<int64_t>(t.input_events);
    row[c++] = static_cast<int64_t>(t.spikes);
    row[c++] = static_cast<int64_t>(t.network_wait_cycles);
  });
}

/// readouts.csv rows of a readout trace: the cores' readout counts come from the final state;
/// entries beyond them (a malformed trace) are attributed to a core past the last.
std::unique_ptr<Table> readouts_table(const RunResult& r) {
  std::vector<uint64_t> counts;
  for (const CoreState& s : r.final_state) counts.push_back(s.readout.size());
  std::vector<std::pair<uint64_t, uint64_t>> index;  // (timestep, position in its row)
  for (size_t t = 0; t < r.readout_trace.size(); ++t)
    for (size_t p = 0; p < r.readout_trace[t].size(); ++p) index.emplace_back(t, p);
  const size_t n = index.size();
  return std::make_unique<IndexedTable>(
      std::vector<std::string>{"timestep", "core", "readout", "value"}, n,
      [&r, counts, index = std::move(index)](size_t i, std::vector<int64_t>& row) {
        const auto [t, p] = index[i];
        uint64_t core = 0, k = p;
        while (core < counts.size() && k >= counts[core]) k -= counts[core++];
        row = {static_cast<int64_t>(t), static_cast<int64_t>(core), static_cast<int64_t>(k), r.readout_trace[t][p]};
      });
}

Divergence scalar(const std::string& file, const std::string& field, const std::string& a, const std::string& b) {
  Divergence d;
  d.file = file;
  d.field = field;
  d.a = a;
  d.b = b;
  return d;
}

std::optional<Divergence> compare_state(const RunResult& a, const RunResult& b) {
  if (a.final_state.size() != b.final_state.size())
    return scalar("final_state", "cores", std::to_string(a.final_state.size()), std::to_string(b.final_state.size()));
  for (size_t c = 0; c < a.final_state.size(); ++c) {
    const CoreState &sa = a.final_state[c], &sb = b.final_state[c];
    Divergence d;
    d.file = "final_state";
    d.core = c;
    if (sa.field_names != sb.field_names) {
      d.field = "field names";
      d.a = join(sa.field_names);
      d.b = join(sb.field_names);
      return d;
    }
    for (size_t f = 0; f < sa.fields.size() && f < sb.fields.size(); ++f) {
      const auto &va = sa.fields[f], &vb = sb.fields[f];
      d.field = f < sa.field_names.size() ? sa.field_names[f] : "field " + std::to_string(f);
      if (va.size() != vb.size()) {
        d.a = std::to_string(va.size()) + " neurons";
        d.b = std::to_string(vb.size()) + " neurons";
        return d;
      }
      for (size_t j = 0; j < va.size(); ++j) {
        if (va[j] == vb[j]) continue;
        d.index_name = "neuron";
        d.index = j;
        d.a = std::to_string(va[j]);
        d.b = std::to_string(vb[j]);
        return d;
      }
    }
    if (sa.fields.size() != sb.fields.size()) {
      d.field = "fields";
      d.a = std::to_string(sa.fields.size());
      d.b = std::to_string(sb.fields.size());
      return d;
    }
    d.field = "v";
    if (sa.readout.size() != sb.readout.size()) {
      d.a = std::to_string(sa.readout.size()) + " readouts";
      d.b = std::to_string(sb.readout.size()) + " readouts";
      return d;
    }
    for (size_t k = 0; k < sa.readout.size(); ++k) {
      if (sa.readout[k] == sb.readout[k]) continue;
      d.index_name = "readout";
      d.index = k;
      d.a = std::to_string(sa.readout[k]);
      d.b = std::to_string(sb.readout[k]);
      return d;
    }
  }
  return std::nullopt;
}

std::optional<Divergence> compare_counters(const RunResult& a, const RunResult& b) {
  if (a.counters.size() != b.counters.size())
    return scalar("counters", "cores", std::to_string(a.counters.size()), std::to_string(b.counters.size()));
  using F = uint64_t CoreCounters::*;
  static const std::pair<const char*, F> fields[] = {
      {"neuron_sram_reads", &CoreCounters::neuron_sram_reads},
      {"neuron_sram_writes", &CoreCounters::neuron_sram_writes},
      {"input_sram_reads", &CoreCounters::input_sram_reads},
      {"recurrent_sram_reads", &CoreCounters::recurrent_sram_reads},
      {"output_sram_reads", &CoreCounters::output_sram_reads},
      {"input_sram_writes", &CoreCounters::input_sram_writes},
      {"recurrent_sram_writes", &CoreCounters::recurrent_sram_writes},
      {"output_sram_writes", &CoreCounters::output_sram_writes},
      {"synaptic_events", &CoreCounters::synaptic_events},
      {"nonzero_synaptic_events", &CoreCounters::nonzero_synaptic_events},
      {"input_events", &CoreCounters::input_events},
      {"spikes", &CoreCounters::spikes},
      {"unmapped_input_events", &CoreCounters::unmapped_input_events},
      {"late_input_events", &CoreCounters::late_input_events},
      {"axon_table_reads", &CoreCounters::axon_table_reads},
      {"synapse_list_reads", &CoreCounters::synapse_list_reads},
  };
  for (size_t c = 0; c < a.counters.size(); ++c) {
    for (const auto& [name, field] : fields) {
      if (a.counters[c].*field == b.counters[c].*field) continue;
      Divergence d = scalar("counters", name, std::to_string(a.counters[c].*field), std::to_string(b.counters[c].*field));
      d.core = c;
      return d;
    }
  }
  return std::nullopt;
}

std::optional<Divergence> compare_totals(const RunResult& a, const RunResult& b) {
  const std::pair<const char*, std::pair<uint64_t, uint64_t>> totals[] = {
      {"total_cycles", {a.total_cycles, b.total_cycles}},
      {"overruns", {a.overruns, b.overruns}},
      {"halted", {a.halted ? 1 : 0, b.halted ? 1 : 0}},
      {"timesteps_completed", {a.timesteps_completed, b.timesteps_completed}},
      {"unmapped_stimulus_packets", {a.unmapped_stimulus_packets, b.unmapped_stimulus_packets}},
  };
  for (const auto& [name, v] : totals)
    if (v.first != v.second) return scalar("run", name, std::to_string(v.first), std::to_string(v.second));
  return std::nullopt;
}

/// The earlier of two divergences: by timestep (those without one after those with one), then the
/// order they were found in.
bool earlier(const Divergence& x, const Divergence& y) {
  if (x.timestep && y.timestep) return *x.timestep < *y.timestep;
  return x.timestep.has_value() && !y.timestep.has_value();
}

std::optional<Divergence> earliest(const std::vector<Divergence>& found) {
  std::optional<Divergence> best;
  for (const Divergence& d : found)
    if (!best || earlier(d, *best)) best = d;
  return best;
}

std::optional<Divergence> compare_stats(const std::string& path_a, const std::string& path_b) {
  const auto load = [](const std::string& path) {
    std::ifstream is(path, std::ios::binary);
    if (!is) throw IoError("cannot read " + path);
    try {
      const nlohmann::json j = nlohmann::json::parse(is);
      std::vector<std::pair<std::string, nlohmann::json>> stats;
      for (const auto& s : j.at("stats")) stats.emplace_back(s.at("name").get<std::string>(), s);
      return stats;
    } catch (const nlohmann::json::exception& e) {
      throw IoError(path + ": not a stats.json (" + e.what() + ")");
    }
  };
  const auto a = load(path_a), b = load(path_b);
  std::map<std::string, const nlohmann::json*> by_name;
  for (const auto& [name, s] : b) by_name[name] = &s;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto& [name, sa] = a[i];
    Divergence d;
    d.file = "stats.json";
    d.row = i + 1;
    const auto it = by_name.find(name);
    if (it == by_name.end()) {
      d.field = name;
      d.a = "present";
      d.b = "missing";
      return d;
    }
    const nlohmann::json& sb = *it->second;
    for (const auto& [key, value] : sa.items()) {
      if (key == "name" || key == "unit" || key == "description") continue;
      if (sb.contains(key) && sb.at(key) == value) continue;
      d.field = name + " " + key;
      d.a = value.dump();
      d.b = sb.contains(key) ? sb.at(key).dump() : "missing";
      return d;
    }
    by_name.erase(it);
  }
  if (!by_name.empty()) {
    Divergence d;
    d.file = "stats.json";
    d.field = by_name.begin()->first;
    d.a = "missing";
    d.b = "present";
    return d;
  }
  return std::nullopt;
}

}  // namespace

std::string Divergence::str() const {
  std::string place;
  const auto add = [&place](const std::string& s) { place += (place.empty() ? "" : ", ") + s; };
  if (timestep) add("timestep " + std::to_string(*timestep));
  if (cycle) add("cycle " + std::to_string(*cycle));
  if (core) add("core " + std::to_string(*core));
  if (index) add(index_name + " " + std::to_string(*index));
  std::string s = file;
  if (row > 0) s += " row " + std::to_string(row);
  if (!place.empty()) s += " (" + place + ")";
  s += ": " + field + " " + a + " vs " + b;
  return s;
}

std::optional<Divergence> first_divergence(const RunResult& a, const RunResult& b) {
  std::vector<Divergence> found;
  const auto table = [&](const std::string& file, std::unique_ptr<Table> ta, std::unique_ptr<Table> tb,
                         const Locator& loc) {
    if (auto d = compare_tables(file, *ta, *tb, loc)) found.push_back(*d);
  };
  table("spikes.csv", spikes_table(a), spikes_table(b), kSpikes);
  table("timesteps.csv", records_table(a), records_table(b), kRecords);
  table("readouts.csv", readouts_table(a), readouts_table(b), kReadouts);
  for (auto d : {compare_state(a, b), compare_counters(a, b), compare_totals(a, b)})
    if (d) found.push_back(*d);
  return earliest(found);
}

DirComparison compare_run_dirs(const std::string& dir_a, const std::string& dir_b) {
  const Manifest ma = read_verified_manifest(dir_a);
  const Manifest mb = read_verified_manifest(dir_b);
  DirComparison out;
  for (const ManifestEntry& f : ma.files)
    if (!mb.has(f.name)) out.only_in_a.push_back(f.name);
  for (const ManifestEntry& f : mb.files)
    if (!ma.has(f.name)) out.only_in_b.push_back(f.name);
  const std::pair<const char*, const Locator*> tables[] = {
      {"spikes.csv", &kSpikes}, {"timesteps.csv", &kRecords}, {"readouts.csv", &kReadouts}};
  for (const auto& [name, loc] : tables) {
    if (!ma.has(name) || !mb.has(name)) continue;
    out.compared.push_back(name);
    CsvTable ta(dir_a + "/" + name), tb(dir_b + "/" + name);
    if (auto d = compare_tables(name, ta, tb, *loc)) out.per_file.push_back(*d);
  }
  if (ma.has("stats.json") && mb.has("stats.json")) {
    out.compared.push_back("stats.json");
    if (auto d = compare_stats(dir_a + "/stats.json", dir_b + "/stats.json")) out.per_file.push_back(*d);
  }
  out.first = earliest(out.per_file);
  return out;
}

}  // namespace neurochip::sim
