// The sweep-file loader and the point expansion (sweep_spec.h; configs/README.md "Sweep files").
// The sweep file is read by the run loader's YAML reader and scalar readers, so its positions and
// messages are the loader's; every axis value is checked against its key's schema descriptor and
// the base description (with `set`) is loaded once, before any point runs.
#include "sweep/sweep_spec.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <set>

#include "base/splitmix64.h"
#include "config/config_loader.h"
#include "config/decoder.h"
#include "config/text_format.h"
#include "config/yaml_reader.h"
#include "io/input_file.h"
#include "io/output_set.h"

namespace neurochip::sim {
namespace {

constexpr uint64_t kMaxAxisValues = 1'000'000;
using Keys = std::vector<std::string>;

/// The text an override takes for a scalar as written (quoted strings stay strings).
std::string value_text(const YamlNode& n) {
  if (n.kind != YamlNode::Kind::kScalar) return to_yaml_text(n);
  if (n.style == YamlNode::Style::kQuoted) return "\"" + n.scalar + "\"";
  return n.scalar;
}

/// A generated number as a value: integers without a fraction, others as the loader writes them.
std::string generated_text(double v) {
  if (std::nearbyint(v) == v && std::fabs(v) < 9.0e15) return std::to_string(static_cast<int64_t>(v));
  return number_text(v);
}

class SweepDecoder {
 public:
  SweepDecoder(Diags& diags, const std::string& base_dir) : d_(diags), dec_(diags, base_dir) {}

  void decode(const YamlNode& doc, SweepSpec& spec) {
    const MapView top(&doc, doc.loc,
                      Keys{"base", "set", "fidelity", "outputs", "axes", "constraints", "objectives", "strategy",
                       "limits", "report"},
                      d_);
    if (!top.is_mapping()) return;
    if (top.require("base", " (the run description every point starts from)")) dec_.to_path(*top.get("base"), spec.base);
    if (const YamlNode* set = top.get("set")) decode_set(*set, spec);
    if (const YamlNode* f = top.get("fidelity")) {
      int64_t i = 0;
      if (dec_.to_enum(*f, {"functional", "cycle"}, i)) spec.fidelity = i == 0 ? "functional" : "cycle";
    }
    if (const YamlNode* o = top.get("outputs")) {
      if (dec_.to_string(*o, spec.outputs)) {
        try {
          const OutputSelection sel = parse_output_selection(spec.outputs);
          if (!sel.stats) dec_.error(o->loc, "expected a selection that includes 'stats' (each point's metrics)");
        } catch (const std::invalid_argument& e) {
          dec_.error(o->loc, e.what());
        }
      }
    }
    if (top.require("axes", " (a list of swept keys)")) decode_axes(*top.get("axes"), spec);
    if (const YamlNode* c = top.get("constraints")) decode_constraints(*c, spec);
    if (const YamlNode* o = top.get("objectives")) decode_objectives(*o, spec);
    if (const YamlNode* s = top.get("strategy")) decode_strategy(*s, spec);
    if (const YamlNode* l = top.get("limits")) {
      const MapView m(l, l->loc, Keys{"time_s", "memory_mb"}, d_);
      if (const YamlNode* t = m.get("time_s")) dec_.to_number(*t, 0, 1e7, true, "a number of seconds > 0", spec.time_limit_s);
      if (const YamlNode* mb = m.get("memory_mb")) {
        int64_t v = 0;
        if (dec_.to_int(*mb, 16, int64_t{1} << 30, "an integer number of MiB in 16..2^30", v))
          spec.memory_limit_mb = static_cast<uint64_t>(v);
      }
    }
    if (const YamlNode* r = top.get("report")) {
      const MapView m(r, r->loc, Keys{"metrics"}, d_);
      if (const YamlNode* list = m.get("metrics")) {
        if (expect_list(*list, "metric names"))
          for (const YamlNode& item : list->items) {
            std::string s;
            if (dec_.to_string(item, s)) spec.report_metrics.push_back(s);
          }
      }
    }
    if (spec.strategy.kind == SweepStrategy::Kind::kNsga2 && spec.objectives.size() < 2)
      dec_.error(top.get("strategy")->loc, "nsga2 searches for a Pareto front: it needs at least two objectives, got " +
                                               std::to_string(spec.objectives.size()));
    if (spec.strategy.kind == SweepStrategy::Kind::kRandom && !spec.groups.empty() &&
        spec.strategy.points > spec.grid_size()) {
      dec_.error(top.get("strategy")->loc, "random: " + std::to_string(spec.strategy.points) +
                                               " points asked of a grid of " + std::to_string(spec.grid_size()) +
                                               " (use at most that many, or `strategy: grid`)");
    }
  }

 private:
  bool expect_list(const YamlNode& n, const std::string& what) {
    if (n.kind == YamlNode::Kind::kSequence && !n.items.empty()) return true;
    dec_.error(n.loc, "expected a non-empty list of " + what + ", got " + describe_node(n));
    return false;
  }

  void decode_set(const YamlNode& n, SweepSpec& spec) {
    if (n.kind != YamlNode::Kind::kMapping) {
      dec_.error(n.loc, "expected a mapping of key paths to values, e.g. {workload.timesteps: 200}, got " +
                            describe_node(n));
      return;
    }
    for (const YamlEntry& e : n.entries) {
      std::string value = value_text(e.value);
      // A file path is relative to the sweep file, as every path in a YAML file is to its file.
      if (override_takes_path(e.key) && e.value.kind == YamlNode::Kind::kScalar) dec_.to_path(e.value, value);
      spec.set.push_back(e.key + "=" + value);
    }
  }

  /// The values of one axis mapping ({key, values | range | linspace | logspace}).
  std::optional<SweepAxis> decode_axis(const YamlNode& n) {
    const MapView m(&n, n.loc, Keys{"key", "values", "range", "linspace", "logspace"}, d_);
    if (!m.is_mapping()) return std::nullopt;
    SweepAxis axis;
    axis.loc = n.loc;
    if (!m.require("key", " (the swept key, e.g. chip.cores.0.memory.neurons_per_word)") ||
        !dec_.to_string(*m.get("key"), axis.key))
      return std::nullopt;
    const SourceLocation key_at = m.get("key")->loc;
    int forms = 0;
    for (const char* f : {"values", "range", "linspace", "logspace"}) forms += m.has(f) ? 1 : 0;
    if (forms != 1) {
      dec_.error(n.loc, "expected exactly one of 'values', 'range', 'linspace' or 'logspace' for axis '" +
                            echo(axis.key) + "'");
      return std::nullopt;
    }
    std::vector<const YamlNode*> written;  // the values as written, to check against the schema
    std::vector<YamlNode> generated;
    if (const YamlNode* values = m.get("values")) {
      if (!expect_list(*values, "values")) return std::nullopt;
      for (const YamlNode& v : values->items) {
        if (v.kind != YamlNode::Kind::kScalar) {
          dec_.error(v.loc, "expected a scalar value, got " + describe_node(v));
          continue;
        }
        axis.values.push_back(value_text(v));
        written.push_back(&v);
      }
    } else if (const YamlNode* r = m.get("range")) {
      const MapView rm(r, r->loc, Keys{"from", "to", "step"}, d_);
      int64_t from = 0, to = 0, step = 1;
      bool ok = rm.require("from") & rm.require("to");
      ok = ok && dec_.to_int(*rm.get("from"), INT64_MIN / 4, INT64_MAX / 4, "an integer", from) &&
           dec_.to_int(*rm.get("to"), INT64_MIN / 4, INT64_MAX / 4, "an integer", to);
      if (ok && rm.has("step")) ok = dec_.to_int(*rm.get("step"), 1, INT64_MAX / 4, "an integer ≥ 1", step);
      if (!ok) return std::nullopt;
      if (to < from) {
        dec_.error(r->loc, "range: 'to' (" + std::to_string(to) + ") is less than 'from' (" + std::to_string(from) +
                               "): the axis would be empty");
        return std::nullopt;
      }
      if (static_cast<uint64_t>((to - from) / step) + 1 > kMaxAxisValues) {
        dec_.error(r->loc, "range gives more than " + std::to_string(kMaxAxisValues) + " values");
        return std::nullopt;
      }
      for (int64_t v = from; v <= to; v += step) generate(generated, r->loc, std::to_string(v));
    } else {
      const bool log = m.has("logspace");
      const YamlNode* s = m.get(log ? "logspace" : "linspace");
      const MapView sm(s, s->loc, Keys{"from", "to", "count", "round"}, d_);
      double from = 0, to = 0;
      int64_t count = 0;
      const double lo = log ? 0.0 : -1e300;
      bool ok = sm.require("from") & sm.require("to") & sm.require("count");
      ok = ok && dec_.to_number(*sm.get("from"), lo, 1e300, log, log ? "a number > 0" : "a number", from) &&
           dec_.to_number(*sm.get("to"), lo, 1e300, log, log ? "a number > 0" : "a number", to) &&
           dec_.to_int(*sm.get("count"), 1, static_cast<int64_t>(kMaxAxisValues), "an integer in 1..1000000", count);
      bool round = false;
      if (ok && sm.has("round")) {
        int64_t i = 0;
        ok = dec_.to_enum(*sm.get("round"), {"false", "true"}, i);
        round = i == 1;
      }
      if (!ok) return std::nullopt;
      std::set<double> seen;
      for (int64_t i = 0; i < count; ++i) {
        const double t = count == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(count - 1);
        double v = log ? std::exp(std::log(from) + t * (std::log(to) - std::log(from))) : from + t * (to - from);
        if (i == count - 1) v = to;  // the end point exactly
        if (round) v = std::nearbyint(v);
        if (!seen.insert(v).second) continue;  // rounding made it a repeat
        generate(generated, s->loc, generated_text(v));
      }
    }
    for (const YamlNode& g : generated) {
      axis.values.push_back(g.scalar);
      written.push_back(&g);
    }
    const size_t before = d_.size();
    for (const YamlNode* v : written) {
      check_override_value(axis.key, key_at, *v, d_);
      if (d_.size() > before && d_.back().file == key_at.file && d_.back().line == key_at.line &&
          d_.back().col == key_at.col)
        break;  // the key itself is wrong: once is enough
    }
    if (d_.size() > before) return std::nullopt;
    return axis;
  }

  void generate(std::vector<YamlNode>& out, const SourceLocation& at, const std::string& text) {
    YamlNode n;
    n.kind = YamlNode::Kind::kScalar;
    n.scalar = text;
    n.loc = at;
    out.push_back(std::move(n));
  }

  void decode_axes(const YamlNode& n, SweepSpec& spec) {
    if (!expect_list(n, "axes")) return;
    std::set<std::string> keys;
    for (const YamlNode& item : n.items) {
      SweepGroup group;
      if (item.kind == YamlNode::Kind::kMapping && item.find("zip")) {
        const MapView m(&item, item.loc, Keys{"zip"}, d_);
        const YamlNode& zip = *m.get("zip");
        if (!expect_list(zip, "axes that move together")) continue;
        for (const YamlNode& a : zip.items)
          if (std::optional<SweepAxis> axis = decode_axis(a)) group.axes.push_back(std::move(*axis));
        if (group.axes.size() != zip.items.size()) continue;
        bool equal = true;
        for (const SweepAxis& a : group.axes) equal = equal && a.values.size() == group.axes.front().values.size();
        if (!equal) {
          std::string sizes;
          for (const SweepAxis& a : group.axes) sizes += (sizes.empty() ? "" : ", ") + std::to_string(a.values.size());
          dec_.error(zip.loc, "zipped axes must have equal lengths, got " + sizes);
          continue;
        }
      } else if (std::optional<SweepAxis> axis = decode_axis(item)) {
        group.axes.push_back(std::move(*axis));
      } else {
        continue;
      }
      for (const SweepAxis& a : group.axes)
        if (!keys.insert(a.key).second) dec_.error(a.loc, "key '" + echo(a.key) + "' is swept twice");
      // Points are distinct: an axis repeats no value, a zip no combination.
      std::set<std::vector<std::string>> combinations;
      for (size_t i = 0; i < group.size(); ++i) {
        std::vector<std::string> combination;
        for (const SweepAxis& a : group.axes) combination.push_back(a.values[i]);
        if (!combinations.insert(combination).second) {
          dec_.error(group.axes.size() == 1 ? group.axes[0].loc : item.loc,
                     group.axes.size() == 1 ? "axis '" + echo(group.axes[0].key) + "' repeats the value " + combination[0]
                                            : "zip repeats the combination of its entry " + std::to_string(i + 1));
          break;
        }
      }
      spec.groups.push_back(std::move(group));
    }
    long double size = 1;
    for (const SweepGroup& g : spec.groups) size *= static_cast<long double>(g.size());
    if (size > static_cast<long double>(kMaxGridPoints))
      dec_.error(n.loc, "the grid has more than 2^40 points; sweep fewer values");
  }

  void decode_constraints(const YamlNode& n, SweepSpec& spec) {
    if (!expect_list(n, "constraints")) return;
    for (const YamlNode& item : n.items) {
      const MapView m(&item, item.loc, Keys{"key", "metric", "min", "max"}, d_);
      if (!m.is_mapping()) continue;
      SweepConstraint c;
      c.loc = item.loc;
      if (m.has("key") == m.has("metric")) {
        dec_.error(item.loc, "expected exactly one of 'key' (a value of the resolved configuration) or 'metric' "
                             "(a stat of the point's stats.json)");
        continue;
      }
      c.on = m.has("key") ? SweepConstraint::On::kKey : SweepConstraint::On::kMetric;
      if (!dec_.to_string(*m.get(m.has("key") ? "key" : "metric"), c.name)) continue;
      for (const char* bound : {"min", "max"}) {
        if (const YamlNode* b = m.get(bound)) {
          double v = 0;
          if (dec_.to_number(*b, -1e300, 1e300, false, "a number", v)) (bound[1] == 'i' ? c.min : c.max) = v;
        }
      }
      if (!c.min && !c.max) dec_.error(item.loc, "expected 'min', 'max' or both");
      spec.constraints.push_back(std::move(c));
    }
  }

  void decode_objectives(const YamlNode& n, SweepSpec& spec) {
    if (!expect_list(n, "objectives")) return;
    for (const YamlNode& item : n.items) {
      const MapView m(&item, item.loc, Keys{"metric", "goal"}, d_);
      if (!m.is_mapping()) continue;
      SweepObjective o;
      int64_t goal = 0;
      if (m.require("metric") && dec_.to_string(*m.get("metric"), o.metric) && m.require("goal") &&
          dec_.to_enum(*m.get("goal"), {"minimise", "maximise"}, goal)) {
        o.maximise = goal == 1;
        spec.objectives.push_back(o);
      }
    }
  }

  void decode_strategy(const YamlNode& n, SweepSpec& spec) {
    const MapView m(&n, n.loc, Keys{"kind", "points", "seed", "population", "generations"}, d_);
    if (!m.is_mapping() || !m.require("kind")) return;
    int64_t kind = 0;
    if (!dec_.to_enum(*m.get("kind"), {"grid", "random", "nsga2"}, kind)) return;
    spec.strategy.kind = kind == 0   ? SweepStrategy::Kind::kGrid
                         : kind == 1 ? SweepStrategy::Kind::kRandom
                                     : SweepStrategy::Kind::kNsga2;
    if (kind != 1) m.forbid("points", "with kind: random");
    if (kind != 2) {
      m.forbid("population", "with kind: nsga2");
      m.forbid("generations", "with kind: nsga2");
    }
    if (kind == 0) {
      m.forbid("seed", "with kind: random or nsga2");
      return;
    }
    if (kind == 2) {
      int64_t population = 0, generations = 0;
      if (m.require("population", " (individuals per generation)") &&
          dec_.to_int(*m.get("population"), 8, 100000, "a multiple of 4 in 8..100000", population)) {
        if (population % 4 != 0)
          dec_.error(m.get("population")->loc, "expected a multiple of 4 in 8..100000, got '" +
                                                   std::to_string(population) + "' (NSGA-II pairs its parents)");
        spec.strategy.population = static_cast<uint64_t>(population);
      }
      if (m.require("generations", " (generations evolved after the first)") &&
          dec_.to_int(*m.get("generations"), 1, 100000, "an integer in 1..100000", generations))
        spec.strategy.generations = static_cast<uint64_t>(generations);
      if (const YamlNode* s = m.get("seed")) dec_.to_u64(*s, spec.strategy.seed);
      return;
    }
    int64_t points = 0;
    if (m.require("points", " (how many distinct grid points to draw)") &&
        dec_.to_int(*m.get("points"), 1, int64_t{1} << 40, "an integer ≥ 1", points))
      spec.strategy.points = static_cast<uint64_t>(points);
    if (const YamlNode* s = m.get("seed")) dec_.to_u64(*s, spec.strategy.seed);
  }

  Diags& d_;
  Decoder dec_;
};

}  // namespace

uint64_t SweepSpec::grid_size() const {
  uint64_t n = 1;
  for (const SweepGroup& g : groups) n *= g.size();
  return n;
}

std::vector<const SweepAxis*> SweepSpec::axes() const {
  std::vector<const SweepAxis*> out;
  for (const SweepGroup& g : groups)
    for (const SweepAxis& a : g.axes) out.push_back(&a);
  return out;
}

std::vector<std::string> SweepPoint::overrides(const SweepSpec& spec) const {
  std::vector<std::string> out = spec.set;
  for (const auto& [key, value] : values) out.push_back(key + "=" + value);
  return out;
}

SweepSpec load_sweep_text(const std::string& text, const std::string& name, const std::string& base_dir) {
  Diags diags;
  std::optional<YamlNode> doc = parse_yaml_document(text, name, diags);
  if (!doc) throw ConfigError(std::move(diags));
  SweepSpec spec;
  spec.file = name;
  SweepDecoder(diags, base_dir).decode(*doc, spec);
  if (!diags.empty()) throw ConfigError(std::move(diags));
  // The base with the sweep's own overrides must load: otherwise no point could.
  try {
    load_run_config(spec.base, spec.set);
  } catch (const ConfigError& e) {
    Diags base = e.diagnostics();
    for (ConfigDiagnostic& d : base)
      if (d.file == "--set") d.message += " (the sweep's `set` entry " + std::to_string(d.line) + ")";
    throw ConfigError(std::move(base));
  }
  return spec;
}

SweepSpec load_sweep_file(const std::string& path) {
  const InputFileCheck check = check_input_file(path, kMaxConfigFileBytes, "a sweep file");
  if (!check.problem.empty()) throw ConfigError({ConfigDiagnostic{path, 0, 0, check.problem}});
  std::string text;
  if (check.result == InputFileCheck::Result::kMissing || !read_input_file(path, kMaxConfigFileBytes, text))
    throw ConfigError({ConfigDiagnostic{path, 0, 0, "cannot open sweep file"}});
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(path, ec).lexically_normal();
  SweepSpec spec = load_sweep_text(text, path, absolute.parent_path().string());
  spec.file = absolute.string();
  return spec;
}

SweepPoint grid_point(const SweepSpec& spec, uint64_t id) {
  SweepPoint p;
  p.id = id;
  std::vector<size_t> index(spec.groups.size());
  uint64_t rest = id;
  for (size_t g = spec.groups.size(); g-- > 0;) {
    index[g] = static_cast<size_t>(rest % spec.groups[g].size());
    rest /= spec.groups[g].size();
  }
  for (size_t g = 0; g < spec.groups.size(); ++g)
    for (const SweepAxis& a : spec.groups[g].axes) p.values.emplace_back(a.key, a.values[index[g]]);
  return p;
}

uint64_t grid_id(const SweepSpec& spec, const std::vector<uint64_t>& index) {
  uint64_t id = 0;
  for (size_t g = 0; g < spec.groups.size(); ++g) id = id * spec.groups[g].size() + index.at(g);
  return id;
}

std::vector<SweepPoint> sweep_points(const SweepSpec& spec) {
  const uint64_t n = spec.grid_size();
  std::vector<uint64_t> ids;
  if (spec.strategy.kind == SweepStrategy::Kind::kNsga2) return {};
  if (spec.strategy.kind == SweepStrategy::Kind::kGrid) {
    for (uint64_t i = 0; i < n; ++i) ids.push_back(i);
  } else {
    // Floyd's sampling of `points` distinct numbers below n: exact, one draw per point.
    std::set<uint64_t> chosen;
    SplitMix64 rng(spec.strategy.seed);
    const uint64_t k = spec.strategy.points;
    for (uint64_t j = n - k; j < n; ++j) {
      const uint64_t t = rng.next() % (j + 1);
      if (!chosen.insert(t).second) chosen.insert(j);
    }
    ids.assign(chosen.begin(), chosen.end());
  }
  std::vector<SweepPoint> points;
  points.reserve(ids.size());
  for (uint64_t id : ids) points.push_back(grid_point(spec, id));
  return points;
}

}  // namespace neurochip::sim
