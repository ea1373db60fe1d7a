// Workload expansion: slot packing and capacity checks, weight images (dense, one_to_one, random,
// list and file projections, with duplicate-synapse detection), and the check of trace files (the
// stimulus itself is drawn as the run goes, io/workload_stimulus.h).
#include "config/network_builder.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <unordered_map>

#include "config/text_format.h"
#include "noc/noc_config.h"
#include "memory/synapse_list_layout.h"
#include "io/input_file.h"
#include "io/input_trace.h"

namespace neurochip::sim {

uint64_t derived_projection_seed(uint64_t workload_seed, size_t index) {
  return splitmix64(workload_seed ^ (static_cast<uint64_t>(index) + 1) * 0x9E3779B97F4A7C15ULL);
}

uint64_t derived_input_seed(uint64_t workload_seed, size_t index) {
  return splitmix64(workload_seed ^ (static_cast<uint64_t>(index) + 1) * 0xD1B54A32D192ED03ULL);
}

int32_t weight_min(int bits) { return -(1 << (bits - 1)); }
int32_t weight_max(int bits) { return (1 << (bits - 1)) - 1; }

std::string weight_expectation(const hw::CoreConfig& core) {
  const int b = core.weights.bits;
  return "an integer in " + std::to_string(weight_min(b)) + ".." + std::to_string(weight_max(b)) +
         " (weights.bits of core '" + core.name + "' is " + std::to_string(b) + ")";
}

/// A reader gives up on a file after this many errors: the rest is most likely noise.
constexpr size_t kMaxErrorsPerFile = 20;

std::string index_expectation(const Population& population) {
  return "an integer in 0.." + std::to_string(population.size - 1) + " (size of population '" + population.name +
         "' is " + std::to_string(population.size) + ")";
}

void parse_synapse_file(std::istream& in, const std::string& name, const Population& from, const Population& to,
                        const hw::CoreConfig& core, std::vector<SynapseEntry>& out,
                        std::vector<ConfigDiagnostic>& diags) {
  const size_t errors_before = diags.size();
  std::string line;
  int line_no = 0;
  bool seen_data = false;
  while (std::getline(in, line)) {
    ++line_no;
    if (diags.size() - errors_before >= kMaxErrorsPerFile) {
      add_error(diags, {name, line_no, 1}, "too many errors, the rest of the file is not checked");
      break;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (is_blank_or_comment(line)) continue;
    const std::vector<CsvCell> cells = split_csv_line(line);
    const bool first_data = !seen_data;
    seen_data = true;
    if (first_data && cells.size() == 3 && cells[0].text == "pre" && cells[1].text == "post" &&
        cells[2].text == "weight") {
      continue;
    }
    if (cells.size() != 3) {
      add_error(diags, {name, line_no, 1},
                "expected 3 comma-separated values 'pre,post,weight', got " + std::to_string(cells.size()));
      continue;
    }
    const std::array<std::string, 3> expected = {index_expectation(from), index_expectation(to),
                                                 weight_expectation(core)};
    const std::array<int64_t, 3> lo = {0, 0, weight_min(core.weights.bits)};
    const std::array<int64_t, 3> hi = {static_cast<int64_t>(from.size) - 1, static_cast<int64_t>(to.size) - 1,
                                       weight_max(core.weights.bits)};
    std::array<int32_t, 3> v{};
    bool ok = true;
    for (size_t c = 0; c < 3; ++c) {
      const std::optional<int64_t> x = parse_integer(cells[c].text);
      if (!x || *x < lo[c] || *x > hi[c]) {
        add_error(diags, {name, line_no, cells[c].col},
                  "expected " + expected[c] + ", got '" + echo(cells[c].text) + "'");
        ok = false;
      } else {
        v[c] = static_cast<int32_t>(*x);
      }
    }
    if (ok) out.push_back(SynapseEntry{v[0], v[1], v[2], SourceLocation{name, line_no, 1}});
  }
}

namespace {

using Diags = std::vector<ConfigDiagnostic>;


size_t kind_index(PopulationKind k) { return static_cast<size_t>(k); }

const char* kind_word(PopulationKind k) {
  switch (k) {
    case PopulationKind::kInput: return "input";
    case PopulationKind::kNeuron: return "neuron";
    case PopulationKind::kReadout: return "readout";
  }
  return "?";
}

uint32_t capacity(const hw::CoreMemoryConfig& m, PopulationKind k) {
  switch (k) {
    case PopulationKind::kInput: return m.max_inputs;
    case PopulationKind::kNeuron: return m.max_neurons;
    case PopulationKind::kReadout: return m.max_readouts;
  }
  return 0;
}

/// Reads a "pre,post,weight" synapse file (parse_synapse_file()). False when the file cannot be
/// read, with `problem` saying why when it is not a regular file or too large.
bool read_synapse_file(const std::string& path, const Population& from, const Population& to,
                       const hw::CoreConfig& core, std::vector<SynapseEntry>& out, Diags& diags,
                       std::string& problem) {
  const InputFileCheck check = check_input_file(path, kMaxCsvFileBytes, "a CSV file");
  problem = check.problem;
  if (check.result != InputFileCheck::Result::kOk) return false;
  std::ifstream in(path);
  if (!in) return false;
  parse_synapse_file(in, path, from, to, core, out, diags);
  return true;
}

/// Who defined a matrix cell: projection index and, for list/file projections, the entry index.
struct Owner {
  int32_t projection = -1;
  int32_t entry = -1;
};

/// The first duplicate found between one projection and one earlier definition, and how many.
struct Duplicate {
  uint32_t pre = 0;
  uint32_t post = 0;
  std::string here_label;
  SourceLocation here;
  std::string earlier_label;
  SourceLocation earlier;
  uint64_t count = 0;
};

/// Places the synapses of one projection into a core matrix, remembering who defined each cell.
class ProjectionWriter {
 public:
  /// `rows`: the matrix row of each presynaptic neuron (a remote projection's axons, SPEC §7.7); null:
  /// the population's slots.
  ProjectionWriter(std::vector<int8_t>& weights, std::vector<Owner>& owners, size_t cols, const Population& from,
                   const Population& to, int32_t projection, const WorkloadSources& sources,
                   const std::vector<std::vector<SynapseEntry>>& file_entries,
                   const std::vector<uint32_t>* rows = nullptr)
      : rows_(rows),
        weights_(weights),
        owners_(owners),
        cols_(cols),
        from_(from),
        to_(to),
        projection_(projection),
        sources_(sources),
        file_entries_(file_entries) {}

  /// entry < 0 for generated synapses, else the list/file entry index.
  void place(uint32_t pre, uint32_t post, int32_t weight, int32_t entry) {
    const size_t row = rows_ ? (*rows_)[pre] : from_.first_slot + pre;
    const size_t cell = row * cols_ + (to_.first_slot + post);
    Owner& owner = owners_[cell];
    if (owner.projection < 0) {
      owner = Owner{projection_, entry};
      weights_[cell] = static_cast<int8_t>(weight);
      return;
    }
    Duplicate& d = duplicates_[owner.projection];
    if (d.count++ == 0) {
      d.pre = pre;
      d.post = post;
      d.here_label = label(projection_, entry);
      d.here = where(projection_, entry);
      d.earlier_label = label(owner.projection, owner.entry);
      d.earlier = where(owner.projection, owner.entry);
    }
  }

  void report(Diags& diags) const {
    for (const auto& [earlier_projection, d] : duplicates_) {
      std::string message = "synapse " + from_.name + "[" + std::to_string(d.pre) + "] -> " + to_.name + "[" +
                            std::to_string(d.post) + "] is defined twice: by " + d.here_label + " and by " +
                            d.earlier_label + " at " + location_string(d.earlier);
      if (d.count > 1) message += " (" + std::to_string(d.count) + " duplicate synapses between them)";
      add_error(diags, d.here, message);
    }
  }

 private:
  std::string label(int32_t projection, int32_t entry) const {
    std::string s = "projections[" + std::to_string(projection) + "]";
    if (entry >= 0 && !sources_.projections[projection].synapses.empty()) {
      s += ".synapses[" + std::to_string(entry) + "]";
    }
    return s;
  }

  SourceLocation where(int32_t projection, int32_t entry) const {
    const ProjectionSource& src = sources_.projections[projection];
    if (entry < 0) return src.loc;
    if (!src.synapses.empty()) return src.synapses[entry];
    return file_entries_[projection][entry].loc;
  }

  const std::vector<uint32_t>* rows_;
  std::vector<int8_t>& weights_;
  std::vector<Owner>& owners_;
  size_t cols_;
  const Population& from_;
  const Population& to_;
  int32_t projection_;
  const WorkloadSources& sources_;
  const std::vector<std::vector<SynapseEntry>>& file_entries_;
  std::map<int32_t, Duplicate> duplicates_;
};

/// The presynaptic neurons of a projection that have a synapse (SPEC §7.7: each takes an axon).
struct SourceCollector {
  std::vector<uint8_t> used;
  void place(uint32_t pre, uint32_t, int32_t, int32_t) {
    if (pre < used.size()) used[pre] = 1;
  }
};

/// The three synapse matrices of a core and who defined each of their cells.
struct CoreOwners {
  std::vector<Owner> input, recurrent, output;
};

/// Draws the weight of one generated synapse.
int32_t draw_weight(const Projection& p, SplitMix64& rng) {
  if (p.weight_dist == WeightDist::kConst) return p.weight;
  const uint64_t span = static_cast<uint64_t>(static_cast<int64_t>(p.weight_max) - p.weight_min) + 1;
  return static_cast<int32_t>(p.weight_min + static_cast<int64_t>(rng.next() % span));
}

template <class Writer>
void expand_projection(const Projection& p, const Population& from, const Population& to, Writer& writer,
                       const std::vector<SynapseEntry>& file_entries) {
  SplitMix64 rng(p.seed);
  switch (p.connectivity) {
    case Connectivity::kDense:
      for (uint32_t i = 0; i < from.size; ++i) {
        for (uint32_t j = 0; j < to.size; ++j) writer.place(i, j, draw_weight(p, rng), -1);
      }
      break;
    case Connectivity::kOneToOne:
      for (uint32_t i = 0; i < from.size; ++i) writer.place(i, i, draw_weight(p, rng), -1);
      break;
    case Connectivity::kRandom: {
      const uint64_t threshold = static_cast<uint64_t>(std::llround(p.probability * 9007199254740992.0));
      for (uint32_t i = 0; i < from.size; ++i) {
        for (uint32_t j = 0; j < to.size; ++j) {
          if ((rng.next() >> 11) < threshold) writer.place(i, j, draw_weight(p, rng), -1);
        }
      }
      break;
    }
    case Connectivity::kList:
      for (size_t k = 0; k < p.synapses.size(); ++k) {
        const auto& s = p.synapses[k];
        writer.place(static_cast<uint32_t>(s[0]), static_cast<uint32_t>(s[1]), s[2], static_cast<int32_t>(k));
      }
      break;
    case Connectivity::kFile:
      for (size_t k = 0; k < file_entries.size(); ++k) {
        const SynapseEntry& s = file_entries[k];
        writer.place(static_cast<uint32_t>(s.pre), static_cast<uint32_t>(s.post), s.weight, static_cast<int32_t>(k));
      }
      break;
  }
}

/// "cannot open file 'path'", and why when it is known (not a regular file, too large).
std::string cannot_open(const std::string& path, const std::string& problem) {
  return "cannot open file '" + echo(path, kMaxEchoPathChars) + "'" + (problem.empty() ? "" : ": " + problem);
}

/// SPEC §3.1 word parameters: every word of the neuron SRAM of a core with memory.word_parameters
/// gets a threshold and an alpha, its populations' own or the core's; the neurons of one word share
/// them, so two populations that give a shared word different values are an error.
void build_word_parameters(RunConfig& rc, const WorkloadSources& sources, const std::vector<bool>& core_ok,
                           Diags& diags) {
  const std::vector<Population>& pops = rc.workload.populations;
  for (size_t c = 0; c < rc.chip.cores.size(); ++c) {
    const hw::CoreConfig& core = rc.chip.cores[c];
    if (!core_ok[c] || !core.memory.word_parameters) continue;
    const auto core_threshold = static_cast<int32_t>(core.neuron.get("threshold"));
    const auto core_alpha = static_cast<uint32_t>(core.neuron.get("alpha"));
    hw::CoreImage& im = rc.image.cores[c];
    const uint32_t words = core.memory.neuron_sram.words, per_word = core.memory.neurons_per_word;
    im.word_thresholds.assign(words, static_cast<int16_t>(core_threshold));
    im.word_alphas.assign(words, static_cast<uint16_t>(core_alpha));
    std::vector<int> owner(words, -1);  // the first population whose neurons sit in the word
    for (size_t i = 0; i < pops.size(); ++i) {
      const Population& p = pops[i];
      if (!sources.populations[i].valid || p.core_index != c || p.kind != PopulationKind::kNeuron || p.size == 0)
        continue;
      const int32_t threshold = p.threshold.value_or(core_threshold);
      const uint32_t alpha = p.alpha.value_or(core_alpha);
      const uint32_t first = p.first_slot / per_word;
      const uint64_t last = std::min<uint64_t>((uint64_t{p.first_slot} + p.size - 1) / per_word, words - 1);
      for (uint64_t w = first; w <= last; ++w) {
        if (owner[w] >= 0 && (im.word_thresholds[w] != threshold || im.word_alphas[w] != alpha)) {
          const Population& o = pops[static_cast<size_t>(owner[w])];
          const SourceLocation& at =
              sources.populations[i].neuron_key.line > 0 ? sources.populations[i].neuron_key : sources.populations[i].loc;
          add_error(diags, at,
                    "population '" + p.name + "' (threshold " + std::to_string(threshold) + ", alpha " +
                        hex_text(alpha) + ") shares neuron word " + std::to_string(w) + " with population '" + o.name +
                        "' (threshold " + std::to_string(im.word_thresholds[w]) + ", alpha " +
                        hex_text(im.word_alphas[w]) + "): the " + std::to_string(per_word) +
                        " neurons of a word share its threshold and alpha (SPEC §3.1); give both the same values or "
                        "make the first population's size a multiple of memory.neurons_per_word");
          break;
        }
        if (owner[w] < 0) owner[w] = static_cast<int>(i);
        im.word_thresholds[w] = static_cast<int16_t>(threshold);
        im.word_alphas[w] = static_cast<uint16_t>(alpha);
      }
    }
  }
}

/// The synapse-list words a sparse core's lists need as its projections are placed (SPEC §3.4),
/// to report the first projection that takes them beyond the SRAM.
class SparseListWords {
 public:
  explicit SparseListWords(const hw::CoreConfig& core)
      : capacity_(core.memory.synapse_list_sram.words),
        per_word_(core.memory.sparse() ? hw::synapse_entries_per_word(core.memory.synapse_list_sram.word_bits,
                                                                        core.memory.max_neurons,
                                                                        static_cast<uint32_t>(core.weights.bits))
                                       : 0),
        input_(core.memory.max_inputs, 0),
        recurrent_(core.memory.max_neurons, 0) {}

  /// Recounts the lists of `from`'s rows of `weights` (`cols` columns; the input matrix or the
  /// recurrent one): its slots, or with `remote_rows` the input axons that carry a remote
  /// population's neurons (SPEC §7.7). True the first time the words exceed the SRAM.
  bool update(const std::vector<int8_t>& weights, const Population& from, size_t cols, bool input,
              const std::vector<uint32_t>* remote_rows) {
    if (per_word_ == 0 || reported_) return false;
    std::vector<uint64_t>& lists = input ? input_ : recurrent_;
    const auto recount = [&](uint32_t r) {
      if (r >= lists.size() || (size_t{r} + 1) * cols > weights.size()) return;
      const int8_t* row = weights.data() + size_t{r} * cols;
      const auto entries = static_cast<uint64_t>(std::count_if(row, row + cols, [](int8_t w) { return w != 0; }));
      (input ? input_total_ : recurrent_total_) += hw::synapse_list_words(entries, per_word_) - lists[r];
      lists[r] = hw::synapse_list_words(entries, per_word_);
    };
    if (remote_rows) {
      for (uint32_t r : *remote_rows) recount(r);
    } else {
      for (uint32_t r = from.first_slot; r < from.first_slot + from.size; ++r) recount(r);
    }
    reported_ = total() > capacity_;
    return reported_;
  }
  uint64_t total() const { return input_total_ + recurrent_total_; }
  uint64_t input_total() const { return input_total_; }
  uint64_t recurrent_total() const { return recurrent_total_; }
  uint32_t entries_per_word() const { return per_word_; }

 private:
  uint64_t capacity_;
  uint32_t per_word_;  ///< 0 on a crossbar core (or a geometry already reported): nothing to count
  std::vector<uint64_t> input_, recurrent_;  ///< words of each list
  uint64_t input_total_ = 0, recurrent_total_ = 0;
  bool reported_ = false;
};

}  // namespace

void build_network(RunConfig& rc, const WorkloadSources& sources, Diags& diags) {
  std::vector<Population>& pops = rc.workload.populations;
  std::vector<hw::CoreConfig>& cores = rc.chip.cores;

  // Slot packing in file order, per core and kind, and the capacity check.
  std::vector<std::array<uint64_t, 3>> used(cores.size(), {0, 0, 0});
  std::vector<std::array<int, 3>> first_overflow(cores.size(), {-1, -1, -1});
  std::unordered_map<std::string, size_t> by_name;
  for (size_t i = 0; i < pops.size(); ++i) {
    if (!sources.populations[i].valid) continue;
    Population& p = pops[i];
    by_name.emplace(p.name, i);
    const size_t k = kind_index(p.kind);
    uint64_t& slots = used[p.core_index][k];
    p.first_slot = static_cast<uint32_t>(std::min<uint64_t>(slots, std::numeric_limits<uint32_t>::max()));
    slots += p.size;
    if (slots > capacity(cores[p.core_index].memory, p.kind) && first_overflow[p.core_index][k] < 0) {
      first_overflow[p.core_index][k] = static_cast<int>(i);
    }
  }
  std::vector<bool> core_ok(cores.size(), true);
  for (size_t c = 0; c < cores.size(); ++c) {
    for (PopulationKind kind : {PopulationKind::kInput, PopulationKind::kNeuron, PopulationKind::kReadout}) {
      const int at = first_overflow[c][kind_index(kind)];
      if (at < 0) continue;
      core_ok[c] = false;
      const std::string word = kind_word(kind);
      add_error(diags, sources.populations[at].loc,
                "core '" + cores[c].name + "' needs " + std::to_string(used[c][kind_index(kind)]) + " " + word +
                    " slots but memory.max_" + word + "s is " + std::to_string(capacity(cores[c].memory, kind)));
    }
  }

  // Cross-core projections (SPEC §7.7): every neuron with a synapse onto another core takes one input
  // axon there, after that core's own inputs, in canonical order (the slot it would have on one core
  // holding the whole network: populations of a kind packed in file order).
  std::vector<uint32_t> canonical(pops.size(), 0);
  {
    uint32_t next[3] = {0, 0, 0};
    for (size_t i = 0; i < pops.size(); ++i)
      if (sources.populations[i].valid) {
        canonical[i] = next[kind_index(pops[i].kind)];
        next[kind_index(pops[i].kind)] += pops[i].size;
      }
  }
  std::vector<std::vector<SynapseEntry>> file_entries(rc.workload.projections.size());
  std::vector<uint8_t> file_read(rc.workload.projections.size(), 0);
  const auto read_file = [&](size_t pi, const Population& from, const Population& to, uint32_t c) {
    if (file_read[pi]) return true;
    file_read[pi] = 1;
    const size_t errors_before = diags.size();
    std::string problem;
    if (!read_synapse_file(rc.workload.projections[pi].file, from, to, cores[c], file_entries[pi], diags, problem)) {
      add_error(diags, sources.projections[pi].file_key, cannot_open(rc.workload.projections[pi].file, problem));
      return false;
    }
    return diags.size() == errors_before;
  };
  std::vector<std::map<uint32_t, uint32_t>> remote_axon(cores.size());  // per core: canonical neuron -> axon
  std::vector<std::vector<uint32_t>> remote_rows(rc.workload.projections.size());
  std::vector<uint8_t> remote_ok(rc.workload.projections.size(), 0);
  if (rc.chip.noc.enabled) {
    std::vector<int> first_remote(cores.size(), -1);
    const auto auto_placed_on = [&](size_t c) {
      for (size_t i = 0; i < pops.size(); ++i)
        if (sources.populations[i].valid && pops[i].auto_placed && pops[i].core_index == c) return true;
      return false;
    };
    static const std::string kAutoAxonsNote =
        " (core: auto placed populations here by their input, neuron and readout slots; the axons of remote "
        "neurons come after the placement: place some of them explicitly)";
    for (size_t pi = 0; pi < rc.workload.projections.size(); ++pi) {
      const Projection& p = rc.workload.projections[pi];
      if (!sources.projections[pi].valid) continue;
      const size_t fi = by_name.at(p.from), ti = by_name.at(p.to);
      const Population& from = pops[fi];
      const Population& to = pops[ti];
      if (from.core_index == to.core_index || !core_ok[to.core_index]) continue;
      if (p.connectivity == Connectivity::kFile && !read_file(pi, from, to, to.core_index)) continue;
      SourceCollector collect{std::vector<uint8_t>(from.size, 0)};
      expand_projection(p, from, to, collect, file_entries[pi]);
      for (uint32_t k = 0; k < from.size; ++k)
        if (collect.used[k]) remote_axon[to.core_index].emplace(canonical[fi] + k, 0);
      if (first_remote[to.core_index] < 0) first_remote[to.core_index] = static_cast<int>(pi);
      remote_ok[pi] = 1;
    }
    for (size_t c = 0; c < cores.size(); ++c) {
      uint32_t axon = static_cast<uint32_t>(used[c][0]);
      for (auto& [source, a] : remote_axon[c]) a = axon++;
      used[c][0] += remote_axon[c].size();
      if (first_remote[c] >= 0 && used[c][0] > cores[c].memory.max_inputs) {
        core_ok[c] = false;
        add_error(diags, sources.projections[static_cast<size_t>(first_remote[c])].loc,
                  "core '" + cores[c].name + "' needs " + std::to_string(used[c][0]) + " input axons (" +
                      std::to_string(used[c][0] - remote_axon[c].size()) + " for its inputs and " +
                      std::to_string(remote_axon[c].size()) +
                      " for the neurons of other cores that project onto it) but memory.max_inputs is " +
                      std::to_string(cores[c].memory.max_inputs) + (auto_placed_on(c) ? kAutoAxonsNote : ""));
      }
    }
    for (size_t pi = 0; pi < rc.workload.projections.size(); ++pi) {
      if (!remote_ok[pi]) continue;
      const Projection& p = rc.workload.projections[pi];
      const size_t fi = by_name.at(p.from);
      const uint32_t c = pops[by_name.at(p.to)].core_index;
      std::vector<uint32_t>& rows = remote_rows[pi];
      rows.assign(pops[fi].size, 0);
      for (uint32_t k = 0; k < pops[fi].size; ++k) {
        const auto it = remote_axon[c].find(canonical[fi] + k);
        if (it != remote_axon[c].end()) rows[k] = it->second;
      }
    }
  }

  // Weight images.
  std::vector<CoreOwners> owners(cores.size());
  rc.image.cores.assign(cores.size(), hw::CoreImage{});
  for (size_t c = 0; c < cores.size(); ++c) {
    hw::CoreShape& en = cores[c].enabled;
    en.inputs = static_cast<uint32_t>(used[c][0]);
    en.neurons = static_cast<uint32_t>(used[c][1]);
    en.readouts = static_cast<uint32_t>(used[c][2]);
    if (!core_ok[c]) continue;
    hw::CoreImage& im = rc.image.cores[c];
    im.input_weights.assign(static_cast<size_t>(en.inputs) * en.neurons, 0);
    im.recurrent_weights.assign(static_cast<size_t>(en.neurons) * en.neurons, 0);
    im.output_weights.assign(static_cast<size_t>(en.neurons) * en.readouts, 0);
  }
  build_word_parameters(rc, sources, core_ok, diags);
  std::vector<SparseListWords> list_words;
  for (const hw::CoreConfig& core : cores) list_words.emplace_back(core);
  for (size_t pi = 0; pi < rc.workload.projections.size(); ++pi) {
    const ProjectionSource& src = sources.projections[pi];
    if (!src.valid) continue;
    const Projection& p = rc.workload.projections[pi];
    const Population& from = pops[by_name.at(p.from)];
    const Population& to = pops[by_name.at(p.to)];
    const bool remote = from.core_index != to.core_index;
    if (remote && !remote_ok[pi]) continue;
    const uint32_t c = to.core_index;  // the core that holds the synapses
    if (!core_ok[c]) continue;
    hw::CoreImage& im = rc.image.cores[c];
    const hw::CoreShape& en = cores[c].enabled;
    if (p.connectivity == Connectivity::kFile && !read_file(pi, from, to, c)) continue;
    std::vector<int8_t>* weights = nullptr;
    std::vector<Owner>* owner = nullptr;
    size_t cols = 0;
    if (from.kind == PopulationKind::kInput || remote) {
      weights = &im.input_weights;  // a remote neuron's spikes arrive on an input axon (SPEC §7.7)
      owner = &owners[c].input;
      cols = en.neurons;
    } else if (to.kind == PopulationKind::kNeuron) {
      weights = &im.recurrent_weights;
      owner = &owners[c].recurrent;
      cols = en.neurons;
    } else {
      weights = &im.output_weights;
      owner = &owners[c].output;
      cols = en.readouts;
    }
    if (owner->empty()) owner->resize(weights->size());
    ProjectionWriter writer(*weights, *owner, cols, from, to, static_cast<int32_t>(pi), sources, file_entries,
                            remote ? &remote_rows[pi] : nullptr);
    expand_projection(p, from, to, writer, file_entries[pi]);
    writer.report(diags);
    if (to.kind == PopulationKind::kNeuron && list_words[c].update(*weights, from, cols, weights == &im.input_weights,
                                                                remote ? &remote_rows[pi] : nullptr)) {
      const SparseListWords& lw = list_words[c];
      add_error(diags, src.loc,
                "core '" + cores[c].name + "' keeps its synapses in lists (memory.synapses: sparse): with this "
                "projection they need " + std::to_string(lw.total()) + " synapse-list words (input lists " +
                    std::to_string(lw.input_total()) + ", recurrent lists " + std::to_string(lw.recurrent_total()) +
                    "; " + std::to_string(lw.entries_per_word()) + " entries per word, SPEC §3.4) but "
                    "memory.synapse_list_sram.words is " + std::to_string(cores[c].memory.synapse_list_sram.words));
    }
  }

  // The canonical order of every core's sources and the fan-out of every neuron (SPEC §7.7).
  if (rc.chip.noc.enabled) {
    uint32_t neurons_total = 0;
    for (size_t i = 0; i < pops.size(); ++i)
      if (sources.populations[i].valid && pops[i].kind == PopulationKind::kNeuron) neurons_total += pops[i].size;
    std::vector<std::pair<uint32_t, uint32_t>> home(neurons_total);  // canonical neuron -> (core, slot)
    for (size_t c = 0; c < cores.size(); ++c) {
      if (!core_ok[c]) continue;
      hw::CoreImage& im = rc.image.cores[c];
      const hw::CoreShape& en = cores[c].enabled;
      im.axon_sources.assign(en.inputs, 0);
      im.neuron_sources.assign(en.neurons, 0);
      im.remote_axons_from = en.inputs - static_cast<uint32_t>(remote_axon[c].size());
      for (auto& [source, axon] : remote_axon[c]) im.axon_sources[axon] = source;
    }
    for (size_t i = 0; i < pops.size(); ++i) {
      const Population& p = pops[i];
      if (!sources.populations[i].valid || !core_ok[p.core_index] || p.kind == PopulationKind::kReadout) continue;
      hw::CoreImage& im = rc.image.cores[p.core_index];
      for (uint32_t k = 0; k < p.size; ++k) {
        if (p.kind == PopulationKind::kInput) {
          im.axon_sources[p.first_slot + k] = canonical[i] + k;
        } else {
          im.neuron_sources[p.first_slot + k] = canonical[i] + k;
          home[canonical[i] + k] = {p.core_index, p.first_slot + k};
        }
      }
    }
    std::vector<std::vector<std::vector<hw::CoreImage::FanOut>>> out(cores.size());
    for (size_t c = 0; c < cores.size(); ++c) out[c].resize(cores[c].enabled.neurons);
    for (size_t c = 0; c < cores.size(); ++c)
      for (const auto& [source, axon] : remote_axon[c]) {
        const auto [core, slot] = home[source];
        if (core_ok[core] && slot < out[core].size()) out[core][slot].push_back({static_cast<uint32_t>(c), axon});
      }
    for (size_t c = 0; c < cores.size(); ++c) {
      if (!core_ok[c]) continue;
      hw::CoreImage& im = rc.image.cores[c];
      im.fanout_begin.assign(1, 0);
      for (const auto& list : out[c]) {
        im.fanout.insert(im.fanout.end(), list.begin(), list.end());
        im.fanout_begin.push_back(static_cast<uint32_t>(im.fanout.size()));
      }
    }
    // Table multicast: one entry per neuron whose tree passes a router, within the table's size.
    if (rc.chip.noc.multicast == hw::noc::Multicast::kTable) {
      const auto topology = hw::noc::make_topology(rc.chip.noc);
      std::vector<uint64_t> entries(topology->routers(), 0);
      for (size_t c = 0; c < cores.size(); ++c)
        if (core_ok[c])
          hw::noc::multicast_entries(*topology, static_cast<uint32_t>(c), rc.image.cores[c].fanout_begin,
                                     rc.image.cores[c].fanout,
                                     [&entries](uint32_t router, const hw::noc::RouteEntry&) { ++entries[router]; });
      for (uint32_t r = 0; r < topology->routers(); ++r)
        if (entries[r] > rc.chip.noc.table_entries) {
          add_error(diags, sources.noc,
                    "table multicast: router " + topology->router_name(r) + " needs " + std::to_string(entries[r]) +
                        " routing-table entries (one per neuron whose spikes pass it) but chip.noc.table_entries is " +
                        std::to_string(rc.chip.noc.table_entries));
          break;
        }
    }
  }

  // Stimulus: trace files are checked here and read again, event by event, while the run goes
  // (io/workload_stimulus.h); Poisson inputs draw their events as the run goes. Skipped when
  // workload.timesteps itself was invalid and already reported.
  if (rc.workload.timesteps == 0) return;
  for (size_t ii = 0; ii < rc.workload.inputs.size(); ++ii) {
    const InputSource& src = sources.inputs[ii];
    if (!src.valid) continue;
    const InputSpec& in = rc.workload.inputs[ii];
    const Population& pop = pops[by_name.at(in.population)];
    if (!core_ok[pop.core_index] || in.kind != InputKind::kTrace) continue;
    const InputTraceReadResult trace = check_input_trace(in.trace, rc.workload.timesteps, pop.size);
    if (!trace.opened) {
      add_error(diags, src.trace_key, cannot_open(in.trace, trace.problem));
      continue;
    }
    diags.insert(diags.end(), trace.errors.begin(), trace.errors.end());
  }
}

}  // namespace neurochip::sim
