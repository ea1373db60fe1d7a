// Schema-driven decoding of scalars and mappings (see decoder.h); the chip and workload parts are
// in decode_chip.cpp and decode_workload.cpp.
#include "config/decoder.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>

#include "core/phase_table.h"

namespace neurochip::sim {

using Kind = YamlNode::Kind;

bool written_after(const SourceLocation& a, const SourceLocation& b) {
  const bool a_set = a.file == "--set";
  const bool b_set = b.file == "--set";
  if (a_set != b_set) return a_set;
  return std::make_pair(a.line, a.col) > std::make_pair(b.line, b.col);
}

// ---- MapView -------------------------------------------------------------------------------------

MapView::MapView(const YamlNode* node, const SourceLocation& fallback, const std::vector<std::string>& keys,
                 Diags& diags)
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

bool MapView::require(const std::string& key, const std::string& why) const {
  if (has(key)) return true;
  if (is_mapping_) add_error(diags_, loc_, "missing required key '" + key + "'" + why);
  return false;
}

void MapView::require_either(const std::string& a, const std::string& b, const std::string& why) const {
  if (is_mapping_ && !has(a) && !has(b)) {
    add_error(diags_, loc_, "missing required key '" + a + "' or '" + b + "'" + why);
  }
}

void MapView::forbid(const std::string& key, const std::string& why) const {
  if (const YamlEntry* e = entry(key)) add_error(diags_, e->key_loc, "'" + key + "' is only allowed " + why);
}

// ---- scalars -------------------------------------------------------------------------------------

bool Decoder::to_int(const YamlNode& n, int64_t min, int64_t max, const std::string& expected, int64_t& out) {
  std::optional<int64_t> v;
  if (n.plain()) v = parse_integer(n.scalar);
  if (!v || *v < min || *v > max) {
    error(n.loc, "expected " + expected + ", got " + describe_node(n));
    return false;
  }
  out = *v;
  return true;
}

bool Decoder::to_u64(const YamlNode& n, uint64_t& out) {
  std::optional<uint64_t> v;
  if (n.plain()) v = parse_unsigned(n.scalar);
  if (!v) {
    error(n.loc, "expected an unsigned 64-bit integer, got " + describe_node(n));
    return false;
  }
  out = *v;
  return true;
}

bool Decoder::to_number(const YamlNode& n, double min, double max, bool min_exclusive, const std::string& expected,
                        double& out) {
  std::optional<double> v;
  if (n.plain()) v = parse_number(n.scalar);
  if (!v || !(min_exclusive ? *v > min : *v >= min) || *v > max) {
    error(n.loc, "expected " + expected + ", got " + describe_node(n));
    return false;
  }
  out = *v;
  return true;
}

bool Decoder::to_enum(const YamlNode& n, const std::vector<std::string>& values, int64_t& out) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (n.kind == Kind::kScalar && n.scalar == values[i]) {
      out = static_cast<int64_t>(i);
      return true;
    }
  }
  std::string message = "expected one of " + join(values, " | ") + ", got " + describe_node(n);
  if (n.kind == Kind::kScalar) message += did_you_mean(n.scalar, values);
  error(n.loc, message);
  return false;
}

bool Decoder::to_string(const YamlNode& n, std::string& out) {
  if (n.kind != Kind::kScalar || n.scalar.empty()) {
    error(n.loc, "expected a non-empty string, got " + describe_node(n));
    return false;
  }
  out = n.scalar;
  return true;
}

bool Decoder::to_identifier(const YamlNode& n, std::string& out) {
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

bool Decoder::to_path(const YamlNode& n, std::string& out) {
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

bool Decoder::to_value(const YamlNode& n, const schema::Key& k, int64_t& i, double& x, std::string& s) {
  using schema::Kind;
  switch (k.kind) {
    case Kind::kInt: {
      const std::string expected = schema::expectation(k);
      if (!k.int_word.empty() && n.plain() && n.scalar == k.int_word) {
        i = k.int_word_value;
        return true;
      }
      if (k.int_set.empty()) return to_int(n, k.min, k.max, expected, i);
      const auto [lo, hi] = std::minmax_element(k.int_set.begin(), k.int_set.end());
      if (!to_int(n, *lo, *hi, expected, i)) return false;
      if (std::find(k.int_set.begin(), k.int_set.end(), i) != k.int_set.end()) return true;
      error(n.loc, "expected " + expected + ", got " + describe_node(n));
      return false;
    }
    case Kind::kUInt64: {
      uint64_t u = 0;
      if (!to_u64(n, u)) return false;
      i = static_cast<int64_t>(u);
      return true;
    }
    case Kind::kNumber:
      return to_number(n, k.number_min, k.number_max, k.number_min_exclusive, schema::expectation(k), x);
    case Kind::kEnum:
      return to_enum(n, k.values, i);
    case Kind::kBool:
      if (n.plain() && (n.scalar == "true" || n.scalar == "false")) {
        i = n.scalar == "true" ? 1 : 0;
        return true;
      }
      error(n.loc, "expected true or false, got " + describe_node(n));
      return false;
    case Kind::kName:
      return to_identifier(n, s);
    case Kind::kString:
      return to_string(n, s);
    case Kind::kPath:
      return to_path(n, s);
    default:
      throw std::logic_error("schema: key '" + k.name + "' is not a scalar");
  }
}

bool Decoder::decode_scalar(const MapView& m, const schema::Key& k, void* target) {
  const YamlNode* n = m.get(k.name);
  if (n == nullptr) return true;
  int64_t i = 0;
  double x = 0;
  std::string s;
  if (!to_value(*n, k, i, x, s)) return false;
  if (k.access.set_int) {
    k.access.set_int(target, i);
  } else if (k.access.set_number) {
    k.access.set_number(target, x);
  } else if (k.access.set_string) {
    k.access.set_string(target, s);
  }
  return true;
}

bool Decoder::decode_factor(const MapView& m, const schema::Map& spec, const schema::Key& k, void* target) {
  const schema::Key& tau = spec.key(k.alternative);
  const YamlEntry* as_int = m.entry(k.name);
  const YamlEntry* as_tau = m.entry(tau.name);
  if (as_int && as_tau) {
    const YamlEntry* later = written_after(as_tau->key_loc, as_int->key_loc) ? as_tau : as_int;
    error(later->key_loc, "give either '" + k.name + "' or '" + tau.name + "', not both");
    return false;
  }
  if (as_int) return decode_scalar(m, k, target);
  double ms = 0;
  if (!as_tau) return true;
  if (!to_number(as_tau->value, tau.number_min, tau.number_max, tau.number_min_exclusive, schema::expectation(tau),
                 ms)) {
    return false;
  }
  const double one = tau.factor_one;
  k.access.set_int(target, std::lround(one * std::exp(-static_cast<double>(duration_us_) / (1000.0 * ms))));
  return true;
}

void Decoder::decode_keys(const MapView& m, const schema::Map& spec, void* target) {
  std::set<std::string> invalid;  // keys given with a value that did not decode
  for (const schema::Key& k : spec.keys) {
    if (k.custom) continue;
    if (k.factor_one != 0) continue;  // a time constant: decoded with its factor
    const bool factor = !k.alternative.empty() && spec.key(k.alternative).factor_one != 0;
    if (!k.only_with.empty()) {
      if (invalid.count(k.only_with.key)) continue;
      const schema::Key& on = spec.key(k.only_with.key);
      const std::string& value = on.values.at(static_cast<size_t>(on.access.get_int(target)));
      const auto& allowed = k.only_with.values;
      if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
        m.forbid(k.name, "with " + k.only_with.text());
        if (factor) m.forbid(k.alternative, "with " + k.only_with.text());
        continue;
      }
      if (k.required && !m.require(k.name, " (needed by " + k.only_with.text() + ")")) continue;
    } else if (k.required && !m.require(k.name)) {
      continue;
    }
    bool ok = true;
    if (factor) {
      ok = decode_factor(m, spec, k, target);
    } else if (k.kind == schema::Kind::kMap) {
      const MapView child(m.get(k.name), m.loc(), *k.map, d_);
      decode_keys(child, *k.map, k.access.child(target));
    } else {
      ok = decode_scalar(m, k, target);
    }
    if (!ok) invalid.insert(k.name);
  }
}

void Decoder::decode(const YamlNode& doc, RunConfig& rc) {
  MapView root(&doc, doc.loc, schema::root(), d_);
  if (root.require("chip")) {
    decode_chip(*root.get("chip"), rc.chip);
    decode_energy(*root.get("chip"), rc.energy);
  }
  WorkloadSources sources;
  if (root.require("workload")) decode_workload(*root.get("workload"), rc, sources);
  build_network(rc, sources, d_);
  if (d_.empty()) check_run_length(rc, root);
}

namespace {

uint64_t sat_add(uint64_t a, uint64_t b) {
  uint64_t r = 0;
  return __builtin_add_overflow(a, b, &r) ? std::numeric_limits<uint64_t>::max() : r;
}

uint64_t sat_mul(uint64_t a, uint64_t b) {
  uint64_t r = 0;
  return __builtin_mul_overflow(a, b, &r) ? std::numeric_limits<uint64_t>::max() : r;
}

}  // namespace

void Decoder::check_run_length(const RunConfig& rc, const MapView& root) {
  // SPEC §5.1: every time is a 64-bit count of picoseconds. The longest a timestep can take is
  // the slowest core's latency with every index active (plus one clock period of alignment to its
  // edge, and one chip period to the next tick), or the fixed period if that is longer.
  const hw::ClockDomain chip = hw::chip_clock(rc.chip);
  uint64_t worst_ps = 0;
  for (const hw::CoreConfig& core : rc.chip.cores) {
    const hw::CoreShape& shape = core.enabled;
    // A sparse core reads each list word at most once per PROP (SPEC §3.4).
    const hw::TimestepWork all_active{std::max(shape.inputs, shape.neurons),
                                      shape.inputs > shape.neurons ? shape.inputs - shape.neurons : 0u,
                                      core.memory.sparse() ? core.memory.synapse_list_sram.words : 0u};
    const uint64_t cycles = hw::phase_cycles_formula(core, shape, all_active).total();
    const uint64_t period = hw::core_clock(rc.chip, core).period_ps();
    worst_ps = std::max(worst_ps, sat_mul(sat_add(cycles, 1), period));
  }
  worst_ps = sat_add(worst_ps, chip.period_ps());
  if (rc.chip.timestep.policy == hw::TimestepPolicy::kFixed)
    worst_ps = std::max(worst_ps, sat_mul(rc.chip.timestep.cycles_per_timestep, chip.period_ps()));
  const uint64_t run_ps = sat_mul(worst_ps, rc.workload.timesteps);
  if (run_ps <= kMaxRunPs) return;
  const MapView workload(root.get("workload"), root.loc(), schema::map_at("workload"), d_);
  const YamlNode* timesteps = workload.get("timesteps");
  error(timesteps ? timesteps->loc : workload.loc(),
        "the run could last " + (run_ps == std::numeric_limits<uint64_t>::max() ? std::string("more than 2^64")
                                                                                   : std::to_string(run_ps)) +
            " ps (" + std::to_string(rc.workload.timesteps) + " timesteps of up to " + std::to_string(worst_ps) +
            " ps each, with every index active), more than the " + std::to_string(kMaxRunPs) +
            " ps (2^62, about 53 days) that the simulated time can hold: use fewer timesteps, a faster clock or "
            "smaller timing costs");
}

}  // namespace neurochip::sim
