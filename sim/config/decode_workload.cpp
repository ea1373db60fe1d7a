// Decoding of `workload:` (see decoder.h): populations, projections and inputs through the schema,
// with the checks that span keys and items — unique names, references to cores and populations,
// legal projection kinds, weights within the core's width, list and file synapses, Poisson rates
// within one spike per timestep. The expansion itself is network_builder.h's.
#include <algorithm>
#include <array>
#include <limits>
#include <optional>

#include "config/decoder.h"
#include "io/sample_file.h"
#include "base/splitmix64.h"

namespace neurochip::sim {
namespace {

constexpr int64_t kUint32Max = std::numeric_limits<uint32_t>::max();

const std::string& kind_name(PopulationKind k) {
  return schema::map_at("workload.populations[]").key("kind").values.at(static_cast<size_t>(k));
}

}  // namespace

/// A list that may be absent or empty (`required_non_empty` = false) or must have items.
const std::vector<YamlNode>* Decoder::list_of(const MapView& m, const std::string& key, const std::string& what,
                                     bool required_non_empty) {
  static const std::vector<YamlNode> kEmpty;
  if (required_non_empty && !m.require(key)) return nullptr;
  const YamlNode* n = m.get(key);
  if (n == nullptr || (!required_non_empty && n->kind == YamlNode::Kind::kNull)) return &kEmpty;
  if (n->kind != YamlNode::Kind::kSequence || (required_non_empty && n->items.empty())) {
    const std::string got = n->kind == YamlNode::Kind::kSequence ? "an empty list" : describe_node(*n);
    error(n->loc,
          std::string("expected a ") + (required_non_empty ? "non-empty " : "") + "list of " + what + ", got " + got);
    return nullptr;
  }
  return &n->items;
}

void Decoder::decode_workload(const YamlNode& node, RunConfig& rc, WorkloadSources& sources) {
  sources.noc = noc_loc_;
  WorkloadConfig& w = rc.workload;
  const schema::Map& spec = schema::map_at("workload");
  MapView m(&node, node.loc, spec, d_);
  decode_keys(m, spec, &w);
  const YamlEntry* timesteps = m.entry("timesteps");
  const YamlEntry* samples = m.entry("samples");
  if (timesteps && samples) {
    const YamlEntry* later = written_after(samples->key_loc, timesteps->key_loc) ? samples : timesteps;
    error(later->key_loc, "give either 'timesteps' or 'samples', not both (with samples the run lasts samples x "
                          "timesteps per sample)");
  } else if (!timesteps && !samples) {
    m.require_either("timesteps", "samples");
  } else if (timesteps) {
    read(m, spec.key("timesteps"), w.timesteps);
  }

  if (const auto* items = list_of(m, "populations", "populations", true)) {
    for (const YamlNode& item : *items) decode_population(item, rc, sources);
  }
  // The placement reads the projections' endpoints before they are decoded: a projection's checks
  // (weights within its core's width, endpoints on one core) need the cores of its populations.
  const auto* projections = list_of(m, "projections", "projections", false);
  place_populations(projections ? *projections : std::vector<YamlNode>{}, rc, sources);
  if (samples) decode_samples(samples->value, samples->key_loc, rc, sources);
  if (projections) {
    for (const YamlNode& item : *projections) decode_projection(item, rc, sources);
  }
  if (const auto* items = list_of(m, "inputs", "inputs", false)) {
    for (const YamlNode& item : *items) decode_input(item, rc, sources);
  }
}

void Decoder::decode_population(const YamlNode& node, RunConfig& rc, WorkloadSources& sources) {
  const size_t errors_before = d_.size();
  const schema::Map& spec = schema::map_at("workload.populations[]");
  MapView m(&node, node.loc, spec, d_);
  Population p;
  bool core_ok = false;
  bool name_ok = m.require("name") && to_identifier(*m.get("name"), p.name);
  if (name_ok) {
    const auto [it, inserted] = population_index_.emplace(p.name, rc.workload.populations.size());
    if (!inserted) {
      error(m.get("name")->loc, "duplicate population name '" + p.name + "' (first defined at " +
                                    location_string(sources.populations[it->second].loc) + ")");
      name_ok = false;
    }
  }
  if (m.require("kind")) read(m, spec.key("kind"), p.kind);
  if (m.require("size")) read(m, spec.key("size"), p.size);

  const std::vector<hw::CoreConfig>& cores = rc.chip.cores;
  PopulationSource src;
  const YamlNode* core_node = m.get("core");
  const bool named_auto =
      core_node && core_node->kind == YamlNode::Kind::kScalar && core_node->scalar == "auto" &&
      std::none_of(cores.begin(), cores.end(), [](const hw::CoreConfig& c) { return c.name == "auto"; });
  if (core_node) src.core_value = core_node->loc;
  if (named_auto) {
    if (rc.chip.noc.enabled) {
      src.auto_core = true;
      core_ok = true;
    } else {
      error(core_node->loc, "core: auto places populations over the cores of a chip with a network (chip.noc), "
                            "and this chip has none: name the population's core");
    }
  } else if (const YamlNode* n = core_node) {
    std::vector<std::string> names;
    for (size_t c = 0; c < cores.size(); ++c) {
      if (n->kind == YamlNode::Kind::kScalar && cores[c].name == n->scalar && core_valid_[c]) {
        p.core = cores[c].name;
        p.core_index = static_cast<uint32_t>(c);
        core_ok = true;
      }
      if (!cores[c].name.empty()) names.push_back(cores[c].name);
    }
    const bool known = n->kind == YamlNode::Kind::kScalar && std::find(names.begin(), names.end(), n->scalar) != names.end();
    if (!known) {
      error(n->loc, "unknown core " + describe_node(*n) + " (expected one of: " + join(names, ", ") + ")" +
                        (n->kind == YamlNode::Kind::kScalar ? did_you_mean(n->scalar, names) : ""));
    }
  } else if (cores.size() == 1) {
    p.core = cores[0].name;
    core_ok = core_valid_[0];
  } else if (cores.size() > 1) {
    m.require("core", " (the chip has " + std::to_string(cores.size()) + " cores)");
  }
  SourceLocation neuron_key;
  if (const YamlEntry* e = m.entry("neuron")) {
    neuron_key = e->key_loc;
    const schema::Map& nspec = schema::map_at("workload.populations[].neuron");
    MapView n(&e->value, e->value.loc, nspec, d_);
    int32_t threshold = 0;
    uint32_t alpha = 0;
    if (n.is_mapping()) {
      if (read(n, nspec.key("threshold"), threshold)) p.threshold = threshold;
      if (read(n, nspec.key("alpha"), alpha)) p.alpha = alpha;
    }
    if (p.kind != PopulationKind::kNeuron) {
      error(e->key_loc, "'neuron' sets the threshold and alpha of neuron words: only a population of kind neuron "
                        "has them, this one has kind " + kind_name(p.kind));
    } else if (core_ok && !src.auto_core) {
      check_word_parameters(p, cores[p.core_index], p.core_index, e->key_loc);
    }
  }
  src.loc = m.loc();
  src.valid = name_ok && core_ok && d_.size() == errors_before;
  src.neuron_key = neuron_key;
  sources.populations.push_back(src);
  rc.workload.populations.push_back(std::move(p));
}

void Decoder::check_word_parameters(const Population& p, const hw::CoreConfig& core, size_t c,
                                    const SourceLocation& at) {
  if (core.memory.word_parameters) return;
  error(at, "population '" + p.name + "' sets its own neuron parameters, but core '" + core.name +
                "' keeps threshold and alpha in its registers: set chip.cores[" + std::to_string(c) +
                "].memory.word_parameters: true to hold them in each neuron word (SPEC §3.1)");
}

/// Reads a population name into `name`; returns the index of that population if it is valid,
/// else -1 (unknown names are reported, invalid populations were already).
int Decoder::resolve_population(const YamlNode& n, std::string& name, const RunConfig& rc, const WorkloadSources& sources) {
  if (!to_string(n, name)) return -1;
  const auto it = population_index_.find(name);
  if (it == population_index_.end()) {
    std::vector<std::string> names;
    for (const Population& p : rc.workload.populations) names.push_back(p.name);
    error(n.loc, "unknown population '" + echo(name) + "'" + did_you_mean(name, names));
    return -1;
  }
  return sources.populations[it->second].valid ? static_cast<int>(it->second) : -1;
}

void Decoder::decode_projection(const YamlNode& node, RunConfig& rc, WorkloadSources& sources) {
  const size_t errors_before = d_.size();
  const size_t index = rc.workload.projections.size();
  const schema::Map& spec = schema::map_at("workload.projections[]");
  MapView m(&node, node.loc, spec, d_);
  Projection p;
  ProjectionSource src;
  src.loc = m.loc();

  int from = -1;
  int to = -1;
  if (m.require("from")) from = resolve_population(*m.get("from"), p.from, rc, sources);
  if (m.require("to")) to = resolve_population(*m.get("to"), p.to, rc, sources);
  const bool connectivity_ok = !m.has("connectivity") || read(m, spec.key("connectivity"), p.connectivity);
  const bool endpoints_ok = from >= 0 && to >= 0;
  const hw::CoreConfig* core = nullptr;
  if (endpoints_ok) {
    const Population& a = rc.workload.populations[from];
    const Population& b = rc.workload.populations[to];
    core = &rc.chip.cores[a.core_index];
    check_projection_endpoints(a, b, rc, src.loc);
    if (connectivity_ok && p.connectivity == Connectivity::kOneToOne && a.size != b.size) {
      error(src.loc, "one_to_one needs populations of equal size, got '" + a.name + "' (" + std::to_string(a.size) +
                         ") -> '" + b.name + "' (" + std::to_string(b.size) + ")");
    }
  }
  const schema::Key& weight_key = spec.key("weight");
  const int64_t weight_lo = core ? weight_min(core->weights.bits) : weight_key.min;
  const int64_t weight_hi = core ? weight_max(core->weights.bits) : weight_key.max;
  const std::string weight_text = core ? weight_expectation(*core) : schema::expectation(weight_key);

  if (connectivity_ok) {
    const std::string& conn = spec.key("connectivity").values.at(static_cast<size_t>(p.connectivity));
    const bool generated = p.connectivity == Connectivity::kDense || p.connectivity == Connectivity::kOneToOne ||
                           p.connectivity == Connectivity::kRandom;
    if (generated) {
      decode_weight(m, conn, weight_lo, weight_hi, weight_text, p);
    } else {
      for (const char* key : {"weight", "weight_uniform"}) {
        if (const YamlEntry* e = m.entry(key)) {
          error(e->key_loc, "'" + std::string(key) + "' is not allowed with connectivity: " + conn +
                                " (each synapse carries its own weight)");
        }
      }
    }
    if (p.connectivity == Connectivity::kRandom) {
      if (m.require("probability", " (needed by connectivity: random)")) {
        read(m, spec.key("probability"), p.probability);
      }
    } else {
      m.forbid("probability", "with connectivity: random");
    }
    if (p.connectivity == Connectivity::kList) {
      if (m.require("synapses", " (needed by connectivity: list)")) {
        const Population* a = endpoints_ok ? &rc.workload.populations[from] : nullptr;
        const Population* b = endpoints_ok ? &rc.workload.populations[to] : nullptr;
        decode_synapses(*m.get("synapses"), a, b, weight_lo, weight_hi, weight_text, p, src);
      }
    } else {
      m.forbid("synapses", "with connectivity: list");
    }
    if (p.connectivity == Connectivity::kFile) {
      if (m.require("file", " (needed by connectivity: file)")) {
        to_path(*m.get("file"), p.file);
        src.file_key = m.entry("file")->key_loc;
      }
    } else {
      m.forbid("file", "with connectivity: file");
    }
  }
  p.seed = derived_projection_seed(rc.workload.seed, index);
  if (const YamlNode* n = m.get("seed")) to_u64(*n, p.seed);

  src.valid = endpoints_ok && connectivity_ok && d_.size() == errors_before;
  sources.projections.push_back(std::move(src));
  rc.workload.projections.push_back(std::move(p));
}

/// SPEC §1: input -> neuron, neuron -> neuron and neuron -> readout, within one core; neuron -> neuron
/// also between cores over the network (SPEC §7.7).
void Decoder::check_projection_endpoints(const Population& a, const Population& b, const RunConfig& rc,
                                const SourceLocation& at) {
  const bool legal = (a.kind == PopulationKind::kInput && b.kind == PopulationKind::kNeuron) ||
                     (a.kind == PopulationKind::kNeuron && b.kind == PopulationKind::kNeuron) ||
                     (a.kind == PopulationKind::kNeuron && b.kind == PopulationKind::kReadout);
  if (!legal) {
    error(at, "illegal projection '" + a.name + "' (" + kind_name(a.kind) + ") -> '" + b.name + "' (" +
                  kind_name(b.kind) +
                  "): the legal kinds are input -> neuron, neuron -> neuron and neuron -> readout");
  }
  if (a.core_index != b.core_index) {
    const std::string cores = rc.chip.cores[a.core_index].name + " -> " + rc.chip.cores[b.core_index].name;
    if (!rc.chip.noc.enabled) {
      error(at, "projection crosses cores (" + cores + "): the cores are connected only by a network (chip.noc)");
    } else if (legal && !(a.kind == PopulationKind::kNeuron && b.kind == PopulationKind::kNeuron)) {
      error(at, "projection '" + a.name + "' -> '" + b.name + "' crosses cores (" + cores +
                    "): over the network only neuron -> neuron projections travel (place an input population on "
                    "the core of the neurons it feeds, a readout on the core of its neurons)");
    }
  }
}

void Decoder::decode_weight(const MapView& m, const std::string& conn, int64_t lo_w, int64_t hi_w,
                            const std::string& text, Projection& p) {
  const YamlEntry* constant = m.entry("weight");
  const YamlEntry* uniform = m.entry("weight_uniform");
  if (constant && uniform) {
    const YamlEntry* later = written_after(uniform->key_loc, constant->key_loc) ? uniform : constant;
    error(later->key_loc, "give either 'weight' or 'weight_uniform', not both");
    return;
  }
  if (!constant && !uniform) {
    m.require_either("weight", "weight_uniform", " (needed by connectivity: " + conn + ")");
    return;
  }
  int64_t v = 0;
  if (constant) {
    p.weight_dist = WeightDist::kConst;
    if (to_int(constant->value, lo_w, hi_w, text, v)) p.weight = static_cast<int32_t>(v);
    return;
  }
  p.weight_dist = WeightDist::kUniform;
  const YamlNode& n = uniform->value;
  if (n.kind != YamlNode::Kind::kSequence || n.items.size() != 2) {
    error(n.loc, "expected a list [min, max], got " + describe_node(n));
    return;
  }
  int64_t lo = 0;
  int64_t hi = 0;
  const bool lo_ok = to_int(n.items[0], lo_w, hi_w, text, lo);
  const bool hi_ok = to_int(n.items[1], lo_w, hi_w, text, hi);
  if (lo_ok && hi_ok && lo > hi) {
    error(n.loc, "expected min <= max, got [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return;
  }
  p.weight_min = static_cast<int32_t>(lo);
  p.weight_max = static_cast<int32_t>(hi);
}

/// The synapses of a list projection; index ranges are checked when both populations are known.
void Decoder::decode_synapses(const YamlNode& n, const Population* from, const Population* to, int64_t lo_w,
                              int64_t hi_w, const std::string& text, Projection& p, ProjectionSource& src) {
  if (n.kind != YamlNode::Kind::kSequence) {
    error(n.loc, "expected a list of synapses [pre, post, weight], got " + describe_node(n));
    return;
  }
  for (const YamlNode& s : n.items) {
    if (s.kind != YamlNode::Kind::kSequence || s.items.size() != 3) {
      error(s.loc, "expected a synapse [pre, post, weight], got " + describe_node(s));
      continue;
    }
    std::array<int64_t, 3> v{};
    bool ok = true;
    if (from && to) {
      ok &= to_int(s.items[0], 0, static_cast<int64_t>(from->size) - 1, index_expectation(*from), v[0]);
      ok &= to_int(s.items[1], 0, static_cast<int64_t>(to->size) - 1, index_expectation(*to), v[1]);
    } else {
      const std::string any = "an integer in 0.." + std::to_string(kUint32Max);
      ok &= to_int(s.items[0], 0, kUint32Max, any, v[0]);
      ok &= to_int(s.items[1], 0, kUint32Max, any, v[1]);
    }
    ok &= to_int(s.items[2], lo_w, hi_w, text, v[2]);
    if (!ok) continue;
    p.synapses.push_back({static_cast<int32_t>(v[0]), static_cast<int32_t>(v[1]), static_cast<int32_t>(v[2])});
    src.synapses.push_back(s.loc);
  }
}

void Decoder::decode_input(const YamlNode& node, RunConfig& rc, WorkloadSources& sources) {
  const size_t errors_before = d_.size();
  const size_t index = rc.workload.inputs.size();
  MapView m(&node, node.loc, schema::map_at("workload.inputs[]"), d_);
  InputSpec in;
  InputSource src;
  src.loc = m.loc();
  int pop = -1;
  if (m.require("population")) {
    pop = resolve_population(*m.get("population"), in.population, rc, sources);
    if (pop >= 0 && rc.workload.populations[pop].kind != PopulationKind::kInput) {
      error(m.get("population")->loc, "population '" + echo(in.population) + "' has kind " +
                                          kind_name(rc.workload.populations[pop].kind) +
                                          "; inputs can only drive populations of kind input");
    }
  }
  const YamlEntry* poisson = m.entry("poisson");
  const YamlEntry* trace = m.entry("trace");
  if (poisson && trace) {
    const YamlEntry* later = written_after(trace->key_loc, poisson->key_loc) ? trace : poisson;
    error(later->key_loc, "give either 'poisson' or 'trace', not both");
  } else if (!poisson && !trace) {
    m.require_either("poisson", "trace");
  } else if (poisson) {
    in.kind = InputKind::kPoisson;
    const schema::Map& pspec = schema::map_at("workload.inputs[].poisson");
    MapView pm(&poisson->value, poisson->key_loc, pspec, d_);
    const uint32_t duration = rc.chip.timestep.duration_us;
    const double max_rate = 1e6 / duration;
    if (pm.require("rate_hz")) {
      to_number(*pm.get("rate_hz"), 0, max_rate, false,
                "a number in 0.." + number_text(max_rate) + " (at most one spike per timestep of " +
                    std::to_string(duration) + " us)",
                in.rate_hz);
    }
    in.seed = derived_input_seed(rc.workload.seed, index);
    if (const YamlNode* n = pm.get("seed")) to_u64(*n, in.seed);
  } else {
    in.kind = InputKind::kTrace;
    to_path(trace->value, in.trace);
    src.trace_key = trace->key_loc;
  }
  src.valid = pop >= 0 && d_.size() == errors_before;
  sources.inputs.push_back(std::move(src));
  rc.workload.inputs.push_back(std::move(in));
}

/// `workload.samples` (SPEC §4.5): the keys, the input population, the datasets (read once), and
/// the run laid out as epochs of a training pass and an optional test pass.
void Decoder::decode_samples(const YamlNode& node, const SourceLocation& key_loc, RunConfig& rc,
                             const WorkloadSources& sources) {
  const size_t errors_before = d_.size();
  const schema::Map& spec = schema::map_at("workload.samples");
  MapView m(&node, key_loc, spec, d_);
  SampleSet& set = rc.workload.samples;
  decode_keys(m, spec, &set);
  if (const YamlNode* n = m.get("shuffle_seed")) set.shuffle = to_u64(*n, set.shuffle_seed);
  int pop = -1;
  if (m.require("population")) {
    pop = resolve_population(*m.get("population"), set.population, rc, sources);
    if (pop >= 0 && rc.workload.populations[static_cast<size_t>(pop)].kind != PopulationKind::kInput) {
      error(m.get("population")->loc, "population '" + echo(set.population) + "' has kind " +
                                          kind_name(rc.workload.populations[static_cast<size_t>(pop)].kind) +
                                          "; samples can only drive populations of kind input");
      pop = -1;
    }
  }
  const YamlEntry* test = m.entry("test");
  std::optional<MapView> tm;
  if (test) {
    const schema::Map& tspec = schema::map_at("workload.samples.test");
    tm.emplace(&test->value, test->key_loc, tspec, d_);
    TestSet t;
    decode_keys(*tm, tspec, &t);
    set.test_file = t.file;
    set.test_format = t.format;
    set.test_labels = t.labels;
    set.test_count = t.count;
  }
  int64_t given_per_sample = 0;
  const YamlNode* per_sample = m.get("timesteps");
  if (per_sample) {
    const schema::Key& k = spec.key("timesteps");
    if (!to_int(*per_sample, k.min, k.max, schema::expectation(k), given_per_sample)) return;
  } else if (set.format == SampleFormat::kCsv || (test && set.test_format == SampleFormat::kCsv)) {
    m.require("timesteps", " (needed by format: csv)");
    return;
  }
  if (pop < 0 || d_.size() != errors_before) return;
  const Population& population = rc.workload.populations[static_cast<size_t>(pop)];
  uint32_t readouts = 0;
  for (const Population& p : rc.workload.populations)
    if (p.kind == PopulationKind::kReadout && p.core_index == population.core_index) readouts += p.size;

  // Reads one dataset; its samples' length (reckon format) must agree with `per` (0: not yet known).
  uint64_t per = static_cast<uint64_t>(given_per_sample);
  const auto read_set = [&](const std::string& file, SampleFormat format, const std::string& labels,
                            const SourceLocation& file_loc, SampleReadResult& read) {
    read = format == SampleFormat::kCsv ? read_sample_csv(file, population.size, per)
                                        : read_reckon_dataset(file, population.size);
    if (!read.opened) {
      error(file_loc, "cannot read samples file '" + echo(file) + "'" + (read.problem.empty() ? "" : ": " + read.problem));
      return false;
    }
    if (read.errors.empty() && !labels.empty()) read_sample_labels(labels, readouts, read);
    if (!read.errors.empty()) {
      d_.insert(d_.end(), read.errors.begin(), read.errors.end());
      return false;
    }
    if (format == SampleFormat::kReckon) {
      for (size_t i = 0; i < read.samples.size(); ++i) {
        const uint64_t length = read.samples[i].length;
        if (per != 0 && length != per) {
          if (per_sample && i == 0) {
            error(per_sample->loc, "samples.timesteps is " + std::to_string(per) + " but the samples in '" +
                                       echo(file) + "' last " + std::to_string(length) + " timesteps");
          } else {
            error(file_loc, "sample " + std::to_string(i) + " of '" + echo(file) + "' lasts " + std::to_string(length) +
                                " timesteps but the run's samples last " + std::to_string(per) +
                                ": every sample of a run has the same length");
          }
          return false;
        }
        per = length;
      }
    }
    return true;
  };
  const auto count_of = [&](uint64_t& count, const MapView& view, const SampleReadResult& read, const std::string& file) {
    if (count == 0) count = read.samples.size();
    if (count > read.samples.size()) {
      error(view.get("count")->loc, "count is " + std::to_string(count) + " but '" + echo(file) + "' has " +
                                        std::to_string(read.samples.size()) + " samples");
      return false;
    }
    return true;
  };
  SampleReadResult train, testing;
  if (!read_set(set.file, set.format, set.labels, m.get("file")->loc, train)) return;
  if (!count_of(set.count, m, train, set.file)) return;
  if (test) {
    if (!tm->get("file")) return;  // reported by decode_keys
    if (!read_set(set.test_file, set.test_format, set.test_labels, tm->get("file")->loc, testing)) return;
    if (!count_of(set.test_count, *tm, testing, set.test_file)) return;
  }
  if (set.infer_from >= per) {
    error(m.get("infer_from")->loc, "infer_from must be less than the " + std::to_string(per) +
                                        " timesteps of a sample, got " + std::to_string(set.infer_from));
    return;
  }
  if (set.supervise_from != UINT64_MAX && set.supervise_from >= per) {
    error(m.get("supervise_from")->loc, "supervise_from must be less than the " + std::to_string(per) +
                                            " timesteps of a sample, got " + std::to_string(set.supervise_from));
    return;
  }
  const uint64_t samples_run = set.epochs * (set.count + (test ? set.test_count : 0));
  if (samples_run * per > 10'000'000) {
    error(key_loc, "the samples make a run of " + std::to_string(samples_run) + " x " + std::to_string(per) +
                       " timesteps, more than the 10000000 a run may have");
    return;
  }
  set.enabled = true;
  set.timesteps_per_sample = per;
  // The run: per epoch the training samples (in file order, or shuffled by a seeded Fisher-Yates
  // permutation of SplitMix64 draws, seed shuffle_seed + epoch), then the test samples in file order.
  const auto append = [&set](const SampleData& data, uint32_t epoch, bool is_test, uint32_t index) {
    const uint64_t base = set.run.size() * set.timesteps_per_sample;
    set.run.push_back({epoch, is_test, index, data.target});
    for (const auto& [t, channel] : data.events) set.events.emplace_back(base + t, channel);
  };
  for (uint32_t e = 0; e < set.epochs; ++e) {
    std::vector<uint32_t> order(set.count);
    for (uint32_t i = 0; i < set.count; ++i) order[i] = i;
    if (set.shuffle) {
      SplitMix64 rng(set.shuffle_seed + e);
      for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.next() % i]);
    }
    for (uint32_t i : order) append(train.samples[i], e, false, i);
    if (test)
      for (uint32_t i = 0; i < set.test_count; ++i) append(testing.samples[i], e, true, i);
  }
  rc.workload.timesteps = set.run.size() * per;
}

}  // namespace neurochip::sim
