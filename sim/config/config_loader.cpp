// The YAML run-configuration loader: decodes the position-carrying tree of yaml_reader.h into the
// typed structs of run_config.h with strict key, type and range checks (every problem is collected,
// none stops the decoding), validates the memory geometry of every core (SPEC.md §3), hands the
// workload to network_builder.h for expansion, and emits the resolved configuration back as YAML.
#include "config/config_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <tuple>
#include <utility>

#include "config/network_builder.h"
#include "config/yaml_reader.h"
#include "io/input_file.h"
#include "common/fixed_point.h"
#include "core/core_timing.h"
#include "memory/neuron_memory.h"

namespace neurochip::sim {

namespace {

using Diags = std::vector<ConfigDiagnostic>;
using Kind = YamlNode::Kind;

constexpr int64_t kNoMax = std::numeric_limits<int64_t>::max();
/// Longest run: the stimulus and the per-timestep records are held in memory (~100 B per timestep
/// and core), so 10^7 timesteps (2.8 h of 1 ms timesteps) is where a run still fits a workstation.
constexpr int64_t kMaxTimesteps = 10'000'000;
constexpr int64_t kUint32Max = std::numeric_limits<uint32_t>::max();
/// What a chip may make the emulator hold in memory: the cycle model stores every SRAM bit for bit,
/// and the loader and both fidelities hold every crossbar (max_inputs x max_neurons, max_neurons x
/// max_neurons, max_neurons x max_readouts per core) as a dense matrix of bytes, plus who defined
/// each synapse while loading (8 bytes each). Within these a run fits a workstation.
constexpr uint64_t kMaxChipSramBits = uint64_t{1} << 33;       // 1 GiB
constexpr uint64_t kMaxChipCrossbarSlots = uint64_t{1} << 27;  // 128 Mi synapse slots

std::string hex_text(int64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llX", static_cast<unsigned long long>(v));
  return buf;
}

/// Shortest decimal text that reads back as exactly `v`.
std::string number_text(double v) {
  char buf[64];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

std::string join(const std::vector<std::string>& words, const std::string& sep) {
  std::string s;
  for (size_t i = 0; i < words.size(); ++i) s += (i ? sep : "") + words[i];
  return s;
}

/// An inclusive integer range; `hex` prints it in hex (for 1.15 / 1.7 factors).
struct IntRange {
  int64_t min = 0;
  int64_t max = kNoMax;
  bool hex = false;

  std::string text() const {
    auto fmt = [this](int64_t v) { return hex && v != 0 ? hex_text(v) : std::to_string(v); };
    if (max == kNoMax) return "an integer >= " + fmt(min);
    return "an integer in " + fmt(min) + ".." + fmt(max);
  }
};

/// A range of real numbers, optionally open at the bottom.
struct NumberRange {
  double min = 0;
  double max = std::numeric_limits<double>::infinity();
  bool min_exclusive = false;

  bool contains(double v) const { return (min_exclusive ? v > min : v >= min) && v <= max; }
  std::string text() const {
    if (std::isinf(max)) return std::string("a number ") + (min_exclusive ? "> " : ">= ") + number_text(min);
    return "a number in " + number_text(min) + ".." + number_text(max);
  }
};

/// True if `a` was written after `b` ("--set" overrides come after the file, in order).
bool written_after(const SourceLocation& a, const SourceLocation& b) {
  const bool a_set = a.file == "--set";
  const bool b_set = b.file == "--set";
  if (a_set != b_set) return a_set;
  return std::make_pair(a.line, a.col) > std::make_pair(b.line, b.col);
}

/// One mapping of the document, checked against the keys its context allows. An absent mapping
/// (nullptr) or an empty value reads as an empty mapping located at `fallback` / the value.
class MapView {
 public:
  MapView(const YamlNode* node, const SourceLocation& fallback, std::vector<std::string> keys, Diags& diags)
      : diags_(diags), loc_(node ? node->loc : fallback) {
    if (node == nullptr || node->kind == Kind::kNull) return;
    if (node->kind != Kind::kMapping) {
      add_error(diags_, node->loc, "expected a mapping, got " + describe_node(*node));
      is_mapping_ = false;
      return;
    }
    node_ = node;
    for (const YamlEntry& e : node->entries) {
      if (std::find(keys.begin(), keys.end(), e.key) != keys.end()) continue;
      add_error(diags_, e.key_loc,
                "unknown key '" + echo(e.key) + "' (expected one of: " + join(keys, ", ") + ")" +
                    did_you_mean(e.key, keys));
    }
  }

  const YamlEntry* entry(std::string_view key) const { return node_ ? node_->find(key) : nullptr; }
  const YamlNode* get(std::string_view key) const {
    const YamlEntry* e = entry(key);
    return e ? &e->value : nullptr;
  }
  bool has(std::string_view key) const { return entry(key) != nullptr; }
  const SourceLocation& loc() const { return loc_; }

  /// Reports a missing key at this mapping (not when it was no mapping at all: already reported).
  bool require(const std::string& key, const std::string& why = "") const {
    if (has(key)) return true;
    if (is_mapping_) add_error(diags_, loc_, "missing required key '" + key + "'" + why);
    return false;
  }

  /// Reports at this mapping that neither of two alternative keys is present.
  void require_either(const std::string& a, const std::string& b, const std::string& why = "") const {
    if (is_mapping_ && !has(a) && !has(b)) {
      add_error(diags_, loc_, "missing required key '" + a + "' or '" + b + "'" + why);
    }
  }

  /// Reports a key that its context forbids, at the key.
  void forbid(const std::string& key, const std::string& why) const {
    if (const YamlEntry* e = entry(key)) add_error(diags_, e->key_loc, "'" + key + "' is only allowed " + why);
  }

 private:
  Diags& diags_;
  const YamlNode* node_ = nullptr;
  SourceLocation loc_;
  bool is_mapping_ = true;
};

template <class E>
using EnumNames = std::vector<std::pair<std::string, E>>;

const EnumNames<hw::TimestepPolicy> kPolicies = {{"free_running", hw::TimestepPolicy::kFreeRunning},
                                                 {"fixed", hw::TimestepPolicy::kFixed}};
const EnumNames<hw::OverrunAction> kOverruns = {{"halt", hw::OverrunAction::kHalt},
                                                {"stretch", hw::OverrunAction::kStretch}};
const EnumNames<hw::NeuronModel> kModels = {{"lif", hw::NeuronModel::kLif}, {"alif", hw::NeuronModel::kAlif}};
const EnumNames<hw::ResetMode> kResets = {{"subtract", hw::ResetMode::kSubtract}, {"zero", hw::ResetMode::kZero}};
const EnumNames<PopulationKind> kKinds = {
    {"input", PopulationKind::kInput}, {"neuron", PopulationKind::kNeuron}, {"readout", PopulationKind::kReadout}};
const EnumNames<Connectivity> kConnectivities = {{"dense", Connectivity::kDense},
                                                 {"one_to_one", Connectivity::kOneToOne},
                                                 {"random", Connectivity::kRandom},
                                                 {"list", Connectivity::kList},
                                                 {"file", Connectivity::kFile}};

template <class E>
const std::string& enum_name(const EnumNames<E>& names, E value) {
  for (const auto& [name, v] : names) {
    if (v == value) return name;
  }
  return names.front().first;
}

const std::vector<std::string> kCoreKeys = {"name", "neuron", "readout", "weights", "memory", "timing"};
const std::vector<std::string> kNeuronKeys = {"model",
                                              "threshold",
                                              "alpha",
                                              "leak_tau_ms",
                                              "reset",
                                              "refractory_steps",
                                              "adaptation_rho",
                                              "adaptation_tau_ms",
                                              "adaptation_increment"};
const std::vector<std::string> kMemoryKeys = {
    "max_inputs",  "max_neurons",       "max_readouts",          "neurons_per_word",
    "neuron_sram", "input_weight_sram", "recurrent_weight_sram", "output_weight_sram"};
const std::vector<std::string> kTimingKeys = {"tick_sync_cycles", "neuron_word_cycles",    "step_tail_cycles",
                                              "step_done_cycles", "scan_cycles_per_index", "input_only_cycles"};
const std::vector<std::string> kProjectionKeys = {"from",        "to",       "connectivity", "weight", "weight_uniform",
                                                  "probability", "synapses", "file",         "seed"};

/// Decodes one document into a RunConfig, collecting every problem in `diags`.
class Decoder {
 public:
  Decoder(Diags& diags, std::string base_dir) : d_(diags), base_dir_(std::move(base_dir)) {}

  void decode(const YamlNode& doc, RunConfig& rc) {
    MapView root(&doc, doc.loc, {"chip", "workload"}, d_);
    if (root.require("chip")) decode_chip(*root.get("chip"), rc.chip);
    WorkloadSources sources;
    if (root.require("workload")) decode_workload(*root.get("workload"), rc, sources);
    build_network(rc, sources, d_);
  }

 private:
  void error(const SourceLocation& at, std::string message) { add_error(d_, at, std::move(message)); }

  // ---- scalars -------------------------------------------------------------------------------

  bool to_int(const YamlNode& n, const IntRange& r, int64_t& out, const std::string& expected = "") {
    const std::string what = expected.empty() ? r.text() : expected;
    std::optional<int64_t> v;
    if (n.plain()) v = parse_integer(n.scalar);
    if (!v || *v < r.min || *v > r.max) {
      error(n.loc, "expected " + what + ", got " + describe_node(n));
      return false;
    }
    out = *v;
    return true;
  }

  template <class T>
  bool read_int(const MapView& m, std::string_view key, const IntRange& r, T& field) {
    const YamlNode* n = m.get(key);
    int64_t v = 0;
    if (n == nullptr || !to_int(*n, r, v)) return false;
    field = static_cast<T>(v);
    return true;
  }

  bool to_u64(const YamlNode& n, uint64_t& out) {
    std::optional<uint64_t> v;
    if (n.plain()) v = parse_unsigned(n.scalar);
    if (!v) {
      error(n.loc, "expected an unsigned 64-bit integer, got " + describe_node(n));
      return false;
    }
    out = *v;
    return true;
  }

  bool to_number(const YamlNode& n, const NumberRange& r, double& out, const std::string& note = "") {
    std::optional<double> v;
    if (n.plain()) v = parse_number(n.scalar);
    if (!v || !r.contains(*v)) {
      error(n.loc, "expected " + r.text() + note + ", got " + describe_node(n));
      return false;
    }
    out = *v;
    return true;
  }

  template <class E>
  bool to_enum(const YamlNode& n, const EnumNames<E>& names, E& out) {
    std::vector<std::string> words;
    for (const auto& [name, value] : names) {
      if (n.kind == Kind::kScalar && n.scalar == name) {
        out = value;
        return true;
      }
      words.push_back(name);
    }
    std::string message = "expected one of " + join(words, " | ") + ", got " + describe_node(n);
    if (n.kind == Kind::kScalar) message += did_you_mean(n.scalar, words);
    error(n.loc, message);
    return false;
  }

  template <class E>
  bool read_enum(const MapView& m, std::string_view key, const EnumNames<E>& names, E& field) {
    const YamlNode* n = m.get(key);
    return n != nullptr && to_enum(*n, names, field);
  }

  bool to_string(const YamlNode& n, std::string& out) {
    if (n.kind != Kind::kScalar || n.scalar.empty()) {
      error(n.loc, "expected a non-empty string, got " + describe_node(n));
      return false;
    }
    out = n.scalar;
    return true;
  }

  bool to_identifier(const YamlNode& n, std::string& out) {
    const bool ok = n.kind == Kind::kScalar && !n.scalar.empty() &&
                    std::all_of(n.scalar.begin(), n.scalar.end(),
                                [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
    if (!ok) {
      error(n.loc, "expected a name of letters, digits and '_', got " + describe_node(n));
      return false;
    }
    out = n.scalar;
    return true;
  }

  /// A file path: relative paths are relative to the YAML file's directory, or to the current
  /// directory for paths given in an override. The result is absolute and normalised.
  bool to_path(const YamlNode& n, std::string& out) {
    std::string text;
    if (!to_string(n, text)) return false;
    std::filesystem::path p(text);
    if (p.is_relative()) {
      std::error_code ec;
      const std::filesystem::path base =
          n.loc.file == "--set" ? std::filesystem::current_path(ec) : std::filesystem::path(base_dir_);
      if (ec) {
        error(n.loc, "cannot resolve the relative path '" + echo(text, kMaxEchoPathChars) +
                         "': the current directory is unavailable (" + ec.message() + ")");
        return false;
      }
      p = base / p;
    }
    out = p.lexically_normal().string();
    return true;
  }

  /// A leak factor given either as the integer `int_key` (0..one, hex allowed) or as the time
  /// constant `tau_key` in ms, converted as round(one * exp(-duration_us / (1000 * tau))).
  void read_factor(const MapView& m, const std::string& int_key, const std::string& tau_key, uint32_t one,
                   uint32_t duration_us, uint32_t& field) {
    const YamlEntry* as_int = m.entry(int_key);
    const YamlEntry* as_tau = m.entry(tau_key);
    if (as_int && as_tau) {
      const YamlEntry* later = written_after(as_tau->key_loc, as_int->key_loc) ? as_tau : as_int;
      error(later->key_loc, "give either '" + int_key + "' or '" + tau_key + "', not both");
      return;
    }
    if (as_int) read_int(m, int_key, IntRange{0, one, true}, field);
    double tau = 0;
    if (as_tau && to_number(as_tau->value, NumberRange{0, std::numeric_limits<double>::infinity(), true}, tau)) {
      field = static_cast<uint32_t>(std::lround(one * std::exp(-static_cast<double>(duration_us) / (1000.0 * tau))));
    }
  }

  // ---- chip ----------------------------------------------------------------------------------

  void decode_chip(const YamlNode& node, hw::ChipConfig& chip) {
    MapView m(&node, node.loc, {"name", "clock_mhz", "timestep", "cores"}, d_);
    if (const YamlNode* n = m.get("name")) to_identifier(*n, chip.name);
    read_int(m, "clock_mhz", IntRange{1, 10000}, chip.clock_mhz);
    decode_timestep(m.get("timestep"), m.loc(), chip.timestep);
    if (!m.require("cores")) return;
    const YamlNode& cores = *m.get("cores");
    if (cores.kind != Kind::kSequence || cores.items.empty()) {
      error(cores.loc, "expected a non-empty list of cores, got " +
                           (cores.kind == Kind::kSequence ? std::string("an empty list") : describe_node(cores)));
      return;
    }
    std::map<std::string, SourceLocation> names;
    for (const YamlNode& item : cores.items) {
      chip.cores.emplace_back();
      hw::CoreConfig& core = chip.cores.back();
      const size_t errors_before = d_.size();
      const SourceLocation* name_loc = decode_core(item, chip.timestep.duration_us, core);
      core_valid_.push_back(d_.size() == errors_before && name_loc != nullptr);
      if (name_loc == nullptr) {
        core.name.clear();  // unnamed: populations cannot refer to it
        continue;
      }
      const auto [it, inserted] = names.emplace(core.name, *name_loc);
      if (!inserted) {
        error(*name_loc,
              "duplicate core name '" + core.name + "' (first defined at " + location_string(it->second) + ")");
        core_valid_.back() = false;
      }
      if (core_valid_.back() && !validate_geometry(core, item)) core_valid_.back() = false;
    }
  }

  void decode_timestep(const YamlNode* node, const SourceLocation& fallback, hw::TimestepConfig& ts) {
    MapView m(node, fallback, {"policy", "cycles_per_timestep", "on_overrun", "duration_us"}, d_);
    const bool policy_ok = !m.has("policy") || read_enum(m, "policy", kPolicies, ts.policy);
    read_enum(m, "on_overrun", kOverruns, ts.on_overrun);
    read_int(m, "duration_us", IntRange{1, 10000000}, ts.duration_us);
    if (!policy_ok) return;
    if (ts.policy == hw::TimestepPolicy::kFixed) {
      if (m.require("cycles_per_timestep", " (needed by policy: fixed)")) {
        read_int(m, "cycles_per_timestep", IntRange{1, kNoMax}, ts.cycles_per_timestep);
      }
    } else {
      m.forbid("cycles_per_timestep", "with policy: fixed");
    }
  }

  /// Decodes one core; returns the location of its name, or nullptr when it has no valid name.
  const SourceLocation* decode_core(const YamlNode& node, uint32_t duration_us, hw::CoreConfig& core) {
    MapView m(&node, node.loc, kCoreKeys, d_);
    const SourceLocation* name_loc = nullptr;
    if (m.require("name") && to_identifier(*m.get("name"), core.name)) name_loc = &m.get("name")->loc;

    MapView neuron(m.get("neuron"), m.loc(), kNeuronKeys, d_);
    hw::NeuronParams& np = core.neuron;
    const bool model_ok = !neuron.has("model") || read_enum(neuron, "model", kModels, np.model);
    read_int(neuron, "threshold", IntRange{1, hw::fxp::kPotentialMax}, np.threshold);
    read_factor(neuron, "alpha", "leak_tau_ms", hw::fxp::kAlphaOne, duration_us, np.alpha);
    read_enum(neuron, "reset", kResets, np.reset);
    read_int(neuron, "refractory_steps", IntRange{0, hw::kRefractoryMax}, np.refractory_steps);
    if (model_ok && np.model == hw::NeuronModel::kLif) {
      for (const char* key : {"adaptation_rho", "adaptation_tau_ms", "adaptation_increment"}) {
        neuron.forbid(key, "with model: alif");
      }
    } else if (model_ok) {
      read_factor(neuron, "adaptation_rho", "adaptation_tau_ms", hw::fxp::kAlphaOne, duration_us, np.adaptation_rho);
      read_int(neuron, "adaptation_increment", IntRange{0, hw::fxp::kAdaptationMax}, np.adaptation_increment);
    }

    MapView readout(m.get("readout"), m.loc(), {"kappa", "leak_tau_ms"}, d_);
    read_factor(readout, "kappa", "leak_tau_ms", hw::fxp::kKappaOne, duration_us, core.readout.kappa);

    MapView weights(m.get("weights"), m.loc(), {"bits", "input_shift", "recurrent_shift", "output_shift"}, d_);
    if (const YamlNode* n = weights.get("bits")) {
      int64_t bits = 0;
      if (to_int(*n, IntRange{2, 8}, bits, "2, 4 or 8")) {
        if (bits == 2 || bits == 4 || bits == 8) {
          core.weights.bits = static_cast<int>(bits);
        } else {
          error(n->loc, "expected 2, 4 or 8, got " + describe_node(*n));
        }
      }
    }
    read_int(weights, "input_shift", IntRange{0, hw::fxp::kMaxWeightShift}, core.weights.input_shift);
    read_int(weights, "recurrent_shift", IntRange{0, hw::fxp::kMaxWeightShift}, core.weights.recurrent_shift);
    read_int(weights, "output_shift", IntRange{0, hw::fxp::kMaxWeightShift}, core.weights.output_shift);

    MapView memory(m.get("memory"), m.loc(), kMemoryKeys, d_);
    hw::CoreMemoryConfig& mem = core.memory;
    read_int(memory, "max_inputs", IntRange{1, 65536}, mem.max_inputs);
    read_int(memory, "max_neurons", IntRange{1, 65536}, mem.max_neurons);
    read_int(memory, "max_readouts", IntRange{0, 4096}, mem.max_readouts);
    read_int(memory, "neurons_per_word", IntRange{1, 4096}, mem.neurons_per_word);
    decode_sram(memory, "neuron_sram", mem.neuron_sram);
    decode_sram(memory, "input_weight_sram", mem.input_weight_sram);
    decode_sram(memory, "recurrent_weight_sram", mem.recurrent_weight_sram);
    decode_sram(memory, "output_weight_sram", mem.output_weight_sram);

    MapView timing(m.get("timing"), m.loc(), kTimingKeys, d_);
    hw::TimingProfile& t = core.timing;
    read_int(timing, "tick_sync_cycles", IntRange{0, 1000000}, t.tick_sync_cycles);
    read_int(timing, "neuron_word_cycles", IntRange{1, 1000000}, t.neuron_word_cycles);
    read_int(timing, "step_tail_cycles", IntRange{0, 1000000}, t.step_tail_cycles);
    read_int(timing, "step_done_cycles", IntRange{0, 1000000}, t.step_done_cycles);
    read_int(timing, "scan_cycles_per_index", IntRange{1, 1000000}, t.scan_cycles_per_index);
    read_int(timing, "input_only_cycles", IntRange{0, 1000000}, t.input_only_cycles);
    return name_loc;
  }

  void decode_sram(const MapView& memory, const std::string& key, hw::SramGeometry& sram) {
    MapView m(memory.get(key), memory.loc(), {"words", "word_bits"}, d_);
    read_int(m, "words", IntRange{1, kUint32Max}, sram.words);
    read_int(m, "word_bits", IntRange{8, 4096}, sram.word_bits);
  }

  /// SPEC §3.1-§3.2: the neuron SRAM holds every neuron state, each weight SRAM the full crossbar.
  /// Returns false when the core takes the chip beyond what the emulator can hold in memory (its
  /// weight images are then never built).
  bool validate_geometry(const hw::CoreConfig& core, const YamlNode& core_node) {
    const YamlEntry* memory_entry = core_node.find("memory");
    const SourceLocation& memory_loc = memory_entry ? memory_entry->value.loc : core_node.loc;
    auto sram_loc = [&](const char* key) -> const SourceLocation& {
      const YamlEntry* e = memory_entry ? memory_entry->value.find(key) : nullptr;
      return e ? e->value.loc : memory_loc;
    };
    const hw::CoreMemoryConfig& mem = core.memory;
    const bool alif = core.neuron.model == hw::NeuronModel::kAlif;
    const uint64_t state_bits = alif ? hw::kAlifStateBits : hw::kLifStateBits;
    const uint64_t per_word = mem.neurons_per_word;
    if (per_word * state_bits > mem.neuron_sram.word_bits) {
      error(sram_loc("neuron_sram"), "neuron_sram.word_bits is " + std::to_string(mem.neuron_sram.word_bits) +
                                         " but neurons_per_word x state bits (" + (alif ? "alif" : "lif") +
                                         ") = " + std::to_string(per_word) + " x " + std::to_string(state_bits) +
                                         " = " + std::to_string(per_word * state_bits) + " bits are needed");
    }
    const uint64_t neuron_words = hw::ceil_div(mem.max_neurons, per_word);
    if (neuron_words > mem.neuron_sram.words) {
      error(sram_loc("neuron_sram"), "neuron_sram holds " + std::to_string(mem.neuron_sram.words) +
                                         " words but ceil(max_neurons / neurons_per_word) = " +
                                         std::to_string(neuron_words) + " words are needed");
    }
    struct WeightSram {
      const char* key;
      const hw::SramGeometry& geometry;
      const char* rows_name;
      uint64_t rows;
      const char* cols_name;
      uint64_t cols;
    };
    const WeightSram srams[] = {
        {"input_weight_sram", mem.input_weight_sram, "max_inputs", mem.max_inputs, "max_neurons", mem.max_neurons},
        {"recurrent_weight_sram", mem.recurrent_weight_sram, "max_neurons", mem.max_neurons, "max_neurons",
         mem.max_neurons},
        {"output_weight_sram", mem.output_weight_sram, "max_neurons", mem.max_neurons, "max_readouts",
         mem.max_readouts},
    };
    const uint64_t bits = static_cast<uint64_t>(core.weights.bits);
    for (const WeightSram& s : srams) {
      if (s.geometry.word_bits % bits != 0) {
        error(sram_loc(s.key), std::string(s.key) + ".word_bits " + std::to_string(s.geometry.word_bits) +
                                   " is not a multiple of weights.bits " + std::to_string(bits));
        continue;
      }
      const uint64_t k = s.geometry.word_bits / bits;
      const uint64_t needed = s.rows * hw::ceil_div(s.cols, k);
      if (needed > s.geometry.words) {
        error(sram_loc(s.key), std::string(s.key) + " holds " + std::to_string(s.geometry.words) + " words but " +
                                   s.rows_name + " x ceil(" + s.cols_name + " / " + std::to_string(k) +
                                   ") = " + std::to_string(needed) + " words are needed");
      }
    }
    return within_memory_budget(mem, memory_loc, sram_loc);
  }

  /// Adds the core's crossbar slots and SRAM bits to the chip's totals; reports (once per chip) the
  /// core, and within it the SRAM, that takes a total beyond its limit. A total stops growing once
  /// beyond (so it cannot wrap around), which keeps every later core invalid too.
  template <class SramLoc>
  bool within_memory_budget(const hw::CoreMemoryConfig& mem, const SourceLocation& memory_loc, SramLoc sram_loc) {
    if (chip_crossbar_slots_ <= kMaxChipCrossbarSlots) {
      chip_crossbar_slots_ += uint64_t{mem.max_inputs} * mem.max_neurons +
                              uint64_t{mem.max_neurons} * mem.max_neurons +
                              uint64_t{mem.max_neurons} * mem.max_readouts;
      if (chip_crossbar_slots_ > kMaxChipCrossbarSlots) {
        error(memory_loc, "the crossbars of the chip have " + std::to_string(chip_crossbar_slots_) +
                              " synapse slots with this core (max_inputs x max_neurons + max_neurons x max_neurons + "
                              "max_neurons x max_readouts per core), more than the " +
                              std::to_string(kMaxChipCrossbarSlots) + " the emulator can hold in memory");
      }
    }
    const std::pair<const char*, const hw::SramGeometry*> srams[] = {
        {"neuron_sram", &mem.neuron_sram},
        {"input_weight_sram", &mem.input_weight_sram},
        {"recurrent_weight_sram", &mem.recurrent_weight_sram},
        {"output_weight_sram", &mem.output_weight_sram}};
    for (const auto& [key, geometry] : srams) {
      if (chip_sram_bits_ > kMaxChipSramBits) break;
      chip_sram_bits_ += uint64_t{geometry->words} * geometry->word_bits;
      if (chip_sram_bits_ > kMaxChipSramBits) {
        error(sram_loc(key), "the SRAMs of the chip total " + std::to_string(chip_sram_bits_) + " bits with this " +
                                 key + ", more than the " + std::to_string(kMaxChipSramBits) +
                                 " bits (1 GiB) the emulator can hold in memory");
      }
    }
    return chip_crossbar_slots_ <= kMaxChipCrossbarSlots && chip_sram_bits_ <= kMaxChipSramBits;
  }

  // ---- workload ------------------------------------------------------------------------------

  /// A list that may be absent or empty (`required_non_empty` = false) or must have items.
  const std::vector<YamlNode>* list_of(const MapView& m, const std::string& key, const std::string& what,
                                       bool required_non_empty) {
    static const std::vector<YamlNode> kEmpty;
    if (required_non_empty && !m.require(key)) return nullptr;
    const YamlNode* n = m.get(key);
    if (n == nullptr || (!required_non_empty && n->kind == Kind::kNull)) return &kEmpty;
    if (n->kind != Kind::kSequence || (required_non_empty && n->items.empty())) {
      const std::string got = n->kind == Kind::kSequence ? "an empty list" : describe_node(*n);
      error(n->loc,
            std::string("expected a ") + (required_non_empty ? "non-empty " : "") + "list of " + what + ", got " + got);
      return nullptr;
    }
    return &n->items;
  }

  void decode_workload(const YamlNode& node, RunConfig& rc, WorkloadSources& sources) {
    WorkloadConfig& w = rc.workload;
    MapView m(&node, node.loc, {"timesteps", "seed", "populations", "projections", "inputs"}, d_);
    if (m.require("timesteps")) read_int(m, "timesteps", IntRange{1, kMaxTimesteps}, w.timesteps);
    if (const YamlNode* n = m.get("seed")) to_u64(*n, w.seed);

    if (const auto* items = list_of(m, "populations", "populations", true)) {
      for (const YamlNode& item : *items) decode_population(item, rc, sources);
    }
    if (const auto* items = list_of(m, "projections", "projections", false)) {
      for (const YamlNode& item : *items) decode_projection(item, rc, sources);
    }
    if (const auto* items = list_of(m, "inputs", "inputs", false)) {
      for (const YamlNode& item : *items) decode_input(item, rc, sources);
    }
  }

  void decode_population(const YamlNode& node, RunConfig& rc, WorkloadSources& sources) {
    const size_t errors_before = d_.size();
    MapView m(&node, node.loc, {"name", "kind", "size", "core"}, d_);
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
    if (m.require("kind")) read_enum(m, "kind", kKinds, p.kind);
    if (m.require("size")) read_int(m, "size", IntRange{1, kUint32Max}, p.size);

    const std::vector<hw::CoreConfig>& cores = rc.chip.cores;
    if (const YamlNode* n = m.get("core")) {
      std::vector<std::string> names;
      for (size_t c = 0; c < cores.size(); ++c) {
        if (n->kind == Kind::kScalar && cores[c].name == n->scalar && core_valid_[c]) {
          p.core = cores[c].name;
          p.core_index = static_cast<uint32_t>(c);
          core_ok = true;
        }
        if (!cores[c].name.empty()) names.push_back(cores[c].name);
      }
      const bool known = n->kind == Kind::kScalar && std::find(names.begin(), names.end(), n->scalar) != names.end();
      if (!known) {
        error(n->loc, "unknown core " + describe_node(*n) + " (expected one of: " + join(names, ", ") + ")" +
                          (n->kind == Kind::kScalar ? did_you_mean(n->scalar, names) : ""));
      }
    } else if (cores.size() == 1) {
      p.core = cores[0].name;
      core_ok = core_valid_[0];
    } else if (cores.size() > 1) {
      m.require("core", " (the chip has " + std::to_string(cores.size()) + " cores)");
    }
    sources.populations.push_back(PopulationSource{m.loc(), name_ok && core_ok && d_.size() == errors_before});
    rc.workload.populations.push_back(std::move(p));
  }

  /// Reads a population name into `name`; returns the index of that population if it is valid,
  /// else -1 (unknown names are reported, invalid populations were already).
  int resolve_population(const YamlNode& n, std::string& name, const RunConfig& rc, const WorkloadSources& sources) {
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

  void decode_projection(const YamlNode& node, RunConfig& rc, WorkloadSources& sources) {
    const size_t errors_before = d_.size();
    const size_t index = rc.workload.projections.size();
    MapView m(&node, node.loc, kProjectionKeys, d_);
    Projection p;
    ProjectionSource src;
    src.loc = m.loc();

    int from = -1;
    int to = -1;
    if (m.require("from")) from = resolve_population(*m.get("from"), p.from, rc, sources);
    if (m.require("to")) to = resolve_population(*m.get("to"), p.to, rc, sources);
    const bool connectivity_ok =
        !m.has("connectivity") || read_enum(m, "connectivity", kConnectivities, p.connectivity);
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
    const IntRange weight_range =
        core ? IntRange{weight_min(core->weights.bits), weight_max(core->weights.bits)} : IntRange{-128, 127};
    const std::string weight_text = core ? weight_expectation(*core) : weight_range.text();

    if (connectivity_ok) {
      const std::string& conn = enum_name(kConnectivities, p.connectivity);
      const bool generated = p.connectivity == Connectivity::kDense || p.connectivity == Connectivity::kOneToOne ||
                             p.connectivity == Connectivity::kRandom;
      if (generated) {
        decode_weight(m, conn, weight_range, weight_text, p);
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
          to_number(*m.get("probability"), NumberRange{0, 1}, p.probability);
        }
      } else {
        m.forbid("probability", "with connectivity: random");
      }
      if (p.connectivity == Connectivity::kList) {
        if (m.require("synapses", " (needed by connectivity: list)")) {
          const Population* a = endpoints_ok ? &rc.workload.populations[from] : nullptr;
          const Population* b = endpoints_ok ? &rc.workload.populations[to] : nullptr;
          decode_synapses(*m.get("synapses"), a, b, weight_range, weight_text, p, src);
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

  /// SPEC §1: input -> neuron, neuron -> neuron and neuron -> readout, within one core.
  void check_projection_endpoints(const Population& a, const Population& b, const RunConfig& rc,
                                  const SourceLocation& at) {
    const bool legal = (a.kind == PopulationKind::kInput && b.kind == PopulationKind::kNeuron) ||
                       (a.kind == PopulationKind::kNeuron && b.kind == PopulationKind::kNeuron) ||
                       (a.kind == PopulationKind::kNeuron && b.kind == PopulationKind::kReadout);
    if (!legal) {
      error(at, "illegal projection '" + a.name + "' (" + enum_name(kKinds, a.kind) + ") -> '" + b.name + "' (" +
                    enum_name(kKinds, b.kind) +
                    "): the legal kinds are input -> neuron, neuron -> neuron and neuron -> readout");
    }
    if (a.core_index != b.core_index) {
      error(at, "projection crosses cores (" + rc.chip.cores[a.core_index].name + " -> " +
                    rc.chip.cores[b.core_index].name + "): inter-core routing is not supported by this chip model");
    }
  }

  void decode_weight(const MapView& m, const std::string& conn, const IntRange& range, const std::string& text,
                     Projection& p) {
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
      if (to_int(constant->value, range, v, text)) p.weight = static_cast<int32_t>(v);
      return;
    }
    p.weight_dist = WeightDist::kUniform;
    const YamlNode& n = uniform->value;
    if (n.kind != Kind::kSequence || n.items.size() != 2) {
      error(n.loc, "expected a list [min, max], got " + describe_node(n));
      return;
    }
    int64_t lo = 0;
    int64_t hi = 0;
    const bool lo_ok = to_int(n.items[0], range, lo, text);
    const bool hi_ok = to_int(n.items[1], range, hi, text);
    if (lo_ok && hi_ok && lo > hi) {
      error(n.loc, "expected min <= max, got [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
      return;
    }
    p.weight_min = static_cast<int32_t>(lo);
    p.weight_max = static_cast<int32_t>(hi);
  }

  /// The synapses of a list projection; index ranges are checked when both populations are known.
  void decode_synapses(const YamlNode& n, const Population* from, const Population* to, const IntRange& range,
                       const std::string& text, Projection& p, ProjectionSource& src) {
    if (n.kind != Kind::kSequence) {
      error(n.loc, "expected a list of synapses [pre, post, weight], got " + describe_node(n));
      return;
    }
    for (const YamlNode& s : n.items) {
      if (s.kind != Kind::kSequence || s.items.size() != 3) {
        error(s.loc, "expected a synapse [pre, post, weight], got " + describe_node(s));
        continue;
      }
      std::array<int64_t, 3> v{};
      bool ok = true;
      if (from && to) {
        ok &= to_int(s.items[0], IntRange{0, static_cast<int64_t>(from->size) - 1}, v[0], index_expectation(*from));
        ok &= to_int(s.items[1], IntRange{0, static_cast<int64_t>(to->size) - 1}, v[1], index_expectation(*to));
      } else {
        ok &= to_int(s.items[0], IntRange{0, kUint32Max}, v[0]);
        ok &= to_int(s.items[1], IntRange{0, kUint32Max}, v[1]);
      }
      ok &= to_int(s.items[2], range, v[2], text);
      if (!ok) continue;
      p.synapses.push_back({static_cast<int32_t>(v[0]), static_cast<int32_t>(v[1]), static_cast<int32_t>(v[2])});
      src.synapses.push_back(s.loc);
    }
  }

  void decode_input(const YamlNode& node, RunConfig& rc, WorkloadSources& sources) {
    const size_t errors_before = d_.size();
    const size_t index = rc.workload.inputs.size();
    MapView m(&node, node.loc, {"population", "poisson", "trace"}, d_);
    InputSpec in;
    InputSource src;
    src.loc = m.loc();
    int pop = -1;
    if (m.require("population")) {
      pop = resolve_population(*m.get("population"), in.population, rc, sources);
      if (pop >= 0 && rc.workload.populations[pop].kind != PopulationKind::kInput) {
        error(m.get("population")->loc, "population '" + echo(in.population) + "' has kind " +
                                            enum_name(kKinds, rc.workload.populations[pop].kind) +
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
      MapView pm(&poisson->value, poisson->key_loc, {"rate_hz", "seed"}, d_);
      const uint32_t duration = rc.chip.timestep.duration_us;
      const double max_rate = 1e6 / duration;
      if (pm.require("rate_hz")) {
        to_number(*pm.get("rate_hz"), NumberRange{0, max_rate}, in.rate_hz,
                  " (at most one spike per timestep of " + std::to_string(duration) + " us)");
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

  Diags& d_;
  std::string base_dir_;
  std::vector<bool> core_valid_;                    ///< per chip core: decoded without errors
  uint64_t chip_sram_bits_ = 0;                     ///< SRAM bits of the valid cores so far
  uint64_t chip_crossbar_slots_ = 0;                ///< crossbar slots of the valid cores so far
  std::map<std::string, size_t> population_index_;  ///< population name -> index (first definition)
};

/// Sorts diagnostics by position within each file; files keep the order of their first problem.
Diags in_document_order(Diags diags) {
  std::map<std::string, size_t> file_rank;
  for (const ConfigDiagnostic& d : diags) file_rank.emplace(d.file, file_rank.size());
  std::stable_sort(diags.begin(), diags.end(), [&](const ConfigDiagnostic& a, const ConfigDiagnostic& b) {
    return std::make_tuple(file_rank.at(a.file), a.line, a.col) < std::make_tuple(file_rank.at(b.file), b.line, b.col);
  });
  return diags;
}

/// `path` made absolute and normalised; as given (normalised) when the current directory is
/// unavailable: relative files then fail to open and are reported at the keys that name them.
std::string absolute_or_as_given(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  return (ec ? std::filesystem::path(path) : absolute).lexically_normal().string();
}

RunConfig load(const std::string& text, const std::string& name, const std::string& base_dir,
               const std::vector<std::string>& overrides, const std::string& source_file) {
  if (text.size() > kMaxConfigFileBytes) {
    throw ConfigError(
        {ConfigDiagnostic{name, 0, 0, too_large_message(kMaxConfigFileBytes, "a config file", text.size())}});
  }
  Diags diags;
  std::optional<YamlNode> doc = parse_yaml_document(text, name, diags);
  if (!doc) throw ConfigError(std::move(diags));
  for (size_t i = 0; i < overrides.size(); ++i) apply_override(*doc, overrides[i], static_cast<int>(i) + 1, diags);
  RunConfig rc;
  rc.source_file = source_file;
  const std::string base = absolute_or_as_given(base_dir.empty() ? "." : base_dir);
  Decoder(diags, base).decode(*doc, rc);
  if (!diags.empty()) throw ConfigError(in_document_order(std::move(diags)));
  return rc;
}

}  // namespace

RunConfig load_run_config(const std::string& path, const std::vector<std::string>& overrides) {
  if (path.empty()) throw ConfigError({ConfigDiagnostic{"''", 0, 0, "no config file given (the path is empty)"}});
  const InputFileCheck check = check_input_file(path, kMaxConfigFileBytes, "a config file");
  if (!check.problem.empty()) throw ConfigError({ConfigDiagnostic{path, 0, 0, check.problem}});
  std::string text;
  if (check.result == InputFileCheck::Result::kMissing || !read_input_file(path, kMaxConfigFileBytes, text)) {
    throw ConfigError({ConfigDiagnostic{path, 0, 0, "cannot open config file"}});
  }
  if (text.size() > kMaxConfigFileBytes) {  // it grew since it was checked
    throw ConfigError({ConfigDiagnostic{
        path, 0, 0, too_large_message(kMaxConfigFileBytes, "a config file", kMaxConfigFileBytes, true)}});
  }
  const std::filesystem::path absolute = absolute_or_as_given(path);
  return load(text, path, absolute.parent_path().string(), overrides, absolute.string());
}

RunConfig load_run_config_from_string(const std::string& yaml, const std::string& name, const std::string& base_dir,
                                      const std::vector<std::string>& overrides) {
  return load(yaml, name, base_dir, overrides, name);
}

// ---- emission ----------------------------------------------------------------------------------

namespace {

/// Strings that YAML would read back as null are quoted; everything else is written plainly.
void emit_string(YAML::Emitter& out, const std::string& s) {
  const bool reads_as_null = s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
  if (reads_as_null) out << YAML::DoubleQuoted;
  out << s;
}

void emit_sram(YAML::Emitter& out, const char* key, const hw::SramGeometry& g) {
  out << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginMap;
  out << YAML::Key << "words" << YAML::Value << g.words;
  out << YAML::Key << "word_bits" << YAML::Value << g.word_bits;
  out << YAML::EndMap;
}

void emit_core(YAML::Emitter& out, const hw::CoreConfig& c) {
  out << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value;
  emit_string(out, c.name);

  const hw::NeuronParams& n = c.neuron;
  out << YAML::Key << "neuron" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "model" << YAML::Value << enum_name(kModels, n.model);
  out << YAML::Key << "threshold" << YAML::Value << n.threshold;
  out << YAML::Key << "alpha" << YAML::Value << hex_text(n.alpha);
  out << YAML::Key << "reset" << YAML::Value << enum_name(kResets, n.reset);
  out << YAML::Key << "refractory_steps" << YAML::Value << n.refractory_steps;
  if (n.model == hw::NeuronModel::kAlif) {
    out << YAML::Key << "adaptation_rho" << YAML::Value << hex_text(n.adaptation_rho);
    out << YAML::Key << "adaptation_increment" << YAML::Value << n.adaptation_increment;
  }
  out << YAML::EndMap;

  out << YAML::Key << "readout" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "kappa" << YAML::Value << hex_text(c.readout.kappa);
  out << YAML::EndMap;

  out << YAML::Key << "weights" << YAML::Value << YAML::Flow << YAML::BeginMap;
  out << YAML::Key << "bits" << YAML::Value << c.weights.bits;
  out << YAML::Key << "input_shift" << YAML::Value << c.weights.input_shift;
  out << YAML::Key << "recurrent_shift" << YAML::Value << c.weights.recurrent_shift;
  out << YAML::Key << "output_shift" << YAML::Value << c.weights.output_shift;
  out << YAML::EndMap;

  const hw::CoreMemoryConfig& m = c.memory;
  out << YAML::Key << "memory" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "max_inputs" << YAML::Value << m.max_inputs;
  out << YAML::Key << "max_neurons" << YAML::Value << m.max_neurons;
  out << YAML::Key << "max_readouts" << YAML::Value << m.max_readouts;
  out << YAML::Key << "neurons_per_word" << YAML::Value << m.neurons_per_word;
  emit_sram(out, "neuron_sram", m.neuron_sram);
  emit_sram(out, "input_weight_sram", m.input_weight_sram);
  emit_sram(out, "recurrent_weight_sram", m.recurrent_weight_sram);
  emit_sram(out, "output_weight_sram", m.output_weight_sram);
  out << YAML::EndMap;

  const hw::TimingProfile& t = c.timing;
  out << YAML::Key << "timing" << YAML::Value << YAML::Flow << YAML::BeginMap;
  out << YAML::Key << "tick_sync_cycles" << YAML::Value << t.tick_sync_cycles;
  out << YAML::Key << "neuron_word_cycles" << YAML::Value << t.neuron_word_cycles;
  out << YAML::Key << "step_tail_cycles" << YAML::Value << t.step_tail_cycles;
  out << YAML::Key << "step_done_cycles" << YAML::Value << t.step_done_cycles;
  out << YAML::Key << "scan_cycles_per_index" << YAML::Value << t.scan_cycles_per_index;
  out << YAML::Key << "input_only_cycles" << YAML::Value << t.input_only_cycles;
  out << YAML::EndMap;

  out << YAML::EndMap;
}

void emit_projection(YAML::Emitter& out, const Projection& p) {
  out << YAML::BeginMap;
  out << YAML::Key << "from" << YAML::Value;
  emit_string(out, p.from);
  out << YAML::Key << "to" << YAML::Value;
  emit_string(out, p.to);
  out << YAML::Key << "connectivity" << YAML::Value << enum_name(kConnectivities, p.connectivity);
  switch (p.connectivity) {
    case Connectivity::kDense:
    case Connectivity::kOneToOne:
    case Connectivity::kRandom:
      if (p.weight_dist == WeightDist::kConst) {
        out << YAML::Key << "weight" << YAML::Value << p.weight;
      } else {
        out << YAML::Key << "weight_uniform" << YAML::Value << YAML::Flow << YAML::BeginSeq << p.weight_min
            << p.weight_max << YAML::EndSeq;
      }
      if (p.connectivity == Connectivity::kRandom) {
        out << YAML::Key << "probability" << YAML::Value << number_text(p.probability);
      }
      break;
    case Connectivity::kList:
      out << YAML::Key << "synapses" << YAML::Value << YAML::Flow << YAML::BeginSeq;
      for (const auto& s : p.synapses) out << YAML::Flow << YAML::BeginSeq << s[0] << s[1] << s[2] << YAML::EndSeq;
      out << YAML::EndSeq;
      break;
    case Connectivity::kFile:
      out << YAML::Key << "file" << YAML::Value;
      emit_string(out, p.file);
      break;
  }
  out << YAML::Key << "seed" << YAML::Value << p.seed;
  out << YAML::EndMap;
}

void emit_input(YAML::Emitter& out, const InputSpec& in) {
  out << YAML::BeginMap;
  out << YAML::Key << "population" << YAML::Value;
  emit_string(out, in.population);
  if (in.kind == InputKind::kPoisson) {
    out << YAML::Key << "poisson" << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "rate_hz" << YAML::Value << number_text(in.rate_hz);
    out << YAML::Key << "seed" << YAML::Value << in.seed;
    out << YAML::EndMap;
  } else {
    out << YAML::Key << "trace" << YAML::Value;
    emit_string(out, in.trace);
  }
  out << YAML::EndMap;
}

}  // namespace

std::string emit_resolved_config(const RunConfig& rc) {
  YAML::Emitter out;
  out.SetIndent(2);
  out << YAML::BeginMap;

  const hw::ChipConfig& chip = rc.chip;
  out << YAML::Key << "chip" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value;
  emit_string(out, chip.name);
  out << YAML::Key << "clock_mhz" << YAML::Value << chip.clock_mhz;
  out << YAML::Key << "timestep" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "policy" << YAML::Value << enum_name(kPolicies, chip.timestep.policy);
  if (chip.timestep.policy == hw::TimestepPolicy::kFixed) {
    out << YAML::Key << "cycles_per_timestep" << YAML::Value << chip.timestep.cycles_per_timestep;
  }
  out << YAML::Key << "on_overrun" << YAML::Value << enum_name(kOverruns, chip.timestep.on_overrun);
  out << YAML::Key << "duration_us" << YAML::Value << chip.timestep.duration_us;
  out << YAML::EndMap;
  out << YAML::Key << "cores" << YAML::Value << YAML::BeginSeq;
  for (const hw::CoreConfig& c : chip.cores) emit_core(out, c);
  out << YAML::EndSeq;
  out << YAML::EndMap;

  const WorkloadConfig& w = rc.workload;
  out << YAML::Key << "workload" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "timesteps" << YAML::Value << w.timesteps;
  out << YAML::Key << "seed" << YAML::Value << w.seed;
  out << YAML::Key << "populations" << YAML::Value << YAML::BeginSeq;
  for (const Population& p : w.populations) {
    out << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value;
    emit_string(out, p.name);
    out << YAML::Key << "kind" << YAML::Value << enum_name(kKinds, p.kind);
    out << YAML::Key << "size" << YAML::Value << p.size;
    out << YAML::Key << "core" << YAML::Value;
    emit_string(out, p.core);
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
  out << YAML::Key << "projections" << YAML::Value << YAML::BeginSeq;
  for (const Projection& p : w.projections) emit_projection(out, p);
  out << YAML::EndSeq;
  out << YAML::Key << "inputs" << YAML::Value << YAML::BeginSeq;
  for (const InputSpec& in : w.inputs) emit_input(out, in);
  out << YAML::EndSeq;
  out << YAML::EndMap;

  out << YAML::EndMap;
  return std::string("# Fully resolved neurochip configuration: every default explicit, loads to the same run.\n") +
         out.c_str() + "\n";
}

}  // namespace neurochip::sim
