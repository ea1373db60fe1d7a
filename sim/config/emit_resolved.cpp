// The resolved configuration (configs/README.md "Resolved configuration"): the decoded RunConfig
// written back in the same schema with every default explicit, driven by the schema tree: each key
// is written from the struct field its descriptor is bound to, conditional keys only where they
// apply, factors as integers (never their time-constant alternatives). Equality of two
// configurations is equality of these trees.
#include <filesystem>
#include <functional>
#include <optional>

#include "config/config_loader.h"
#include "config/decoder.h"
#include "config/emit_resolved.h"

namespace neurochip::sim {
namespace {

using Custom = std::function<std::optional<YamlNode>(const schema::Key&, const void*)>;

/// How a path is written: as decoded (absolute) unless a mapper says otherwise.
std::string path_text(const PathMapper& paths, const std::string& path) { return paths ? paths(path) : path; }

YamlNode scalar(std::string text) {
  YamlNode n;
  n.kind = YamlNode::Kind::kScalar;
  n.scalar = std::move(text);
  return n;
}

/// Strings that YAML would read back as null are quoted; everything else is written plainly.
YamlNode string_node(const std::string& s) {
  YamlNode n = scalar(s);
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") n.style = YamlNode::Style::kQuoted;
  return n;
}

YamlNode container(YamlNode::Kind kind, bool flow) {
  YamlNode n;
  n.kind = kind;
  n.flow = flow;
  return n;
}

void add(YamlNode& map, const std::string& key, YamlNode value) {
  map.entries.push_back(YamlEntry{key, SourceLocation{}, std::move(value)});
}

bool condition_holds(const schema::Map& spec, const schema::Key& k, const void* s) {
  if (k.only_with.empty()) return true;
  const schema::Key& on = spec.key(k.only_with.key);
  const std::string& value = on.values.at(static_cast<size_t>(on.access.get_int(s)));
  for (const std::string& v : k.only_with.values)
    if (v == value) return true;
  return false;
}

YamlNode emit_keys(const schema::Map& spec, const void* s, bool flow, const PathMapper& paths,
                   const Custom& custom = {}) {
  YamlNode out = container(YamlNode::Kind::kMapping, flow);
  for (const schema::Key& k : spec.keys) {
    if (k.factor_one != 0) continue;  // a time constant: its factor is written instead
    if (k.custom) {
      if (custom) {
        if (std::optional<YamlNode> v = custom(k, s)) add(out, k.name, std::move(*v));
      }
      continue;
    }
    if (!condition_holds(spec, k, s)) continue;
    if (k.access.present && !k.access.present(s)) continue;
    switch (k.kind) {
      case schema::Kind::kInt:
        add(out, k.name, scalar(k.hex ? hex_text(k.access.get_int(s)) : std::to_string(k.access.get_int(s))));
        break;
      case schema::Kind::kUInt64:
        add(out, k.name, scalar(std::to_string(static_cast<uint64_t>(k.access.get_int(s)))));
        break;
      case schema::Kind::kEnum:
        add(out, k.name, scalar(k.values.at(static_cast<size_t>(k.access.get_int(s)))));
        break;
      case schema::Kind::kBool:
        add(out, k.name, scalar(k.access.get_int(s) != 0 ? "true" : "false"));
        break;
      case schema::Kind::kNumber:
        add(out, k.name, scalar(number_text(k.access.get_number(s))));
        break;
      case schema::Kind::kName:
      case schema::Kind::kString:
        add(out, k.name, string_node(k.access.get_string(s)));
        break;
      case schema::Kind::kPath:
        add(out, k.name, string_node(path_text(paths, k.access.get_string(s))));
        break;
      case schema::Kind::kMap:
        add(out, k.name, emit_keys(*k.map, k.access.child_const(s), k.emit_flow, paths));
        break;
      default:
        throw std::logic_error("schema: key '" + k.name + "' has no generic emitter");
    }
  }
  return out;
}

YamlNode clock_node(uint64_t period_ps) {
  YamlNode n = container(YamlNode::Kind::kMapping, true);
  add(n, "period_ps", scalar(std::to_string(period_ps)));
  return n;
}

YamlNode core_node(const hw::CoreConfig& core, const PathMapper& paths) {
  return emit_keys(schema::map_at("chip.cores[]"), &core, false, paths,
                   [&core](const schema::Key& k, const void*) -> std::optional<YamlNode> {
                     if (k.name == "name") return string_node(core.name);
                     if (k.name == "clock" && core.clock_period_ps) return clock_node(*core.clock_period_ps);
                     return std::nullopt;
                   });
}

YamlNode chip_node(const hw::ChipConfig& chip, const EnergyConfig& energy, const PathMapper& paths) {
  return emit_keys(schema::map_at("chip"), &chip, false, paths,
                   [&chip, &energy, &paths](const schema::Key& k, const void*) -> std::optional<YamlNode> {
                     if (k.name == "clock") return clock_node(chip.clock_period_ps);
                     if (k.name == "energy") {
                       if (!energy.enabled()) return std::nullopt;
                       YamlNode n = container(YamlNode::Kind::kMapping, true);
                       add(n, "table", string_node(path_text(paths, energy.table)));
                       return n;
                     }
                     if (k.name != "cores") return std::nullopt;
                     YamlNode cores = container(YamlNode::Kind::kSequence, false);
                     for (const hw::CoreConfig& c : chip.cores) cores.items.push_back(core_node(c, paths));
                     return cores;
                   });
}

const std::string& value_name(const char* map, const char* key, size_t index) {
  return schema::map_at(map).key(key).values.at(index);
}

YamlNode population_node(const Population& p) {
  YamlNode n = container(YamlNode::Kind::kMapping, true);
  add(n, "name", string_node(p.name));
  add(n, "kind", scalar(value_name("workload.populations[]", "kind", static_cast<size_t>(p.kind))));
  add(n, "size", scalar(std::to_string(p.size)));
  add(n, "core", string_node(p.core));
  if (p.threshold || p.alpha) {
    YamlNode neuron = container(YamlNode::Kind::kMapping, true);
    if (p.threshold) add(neuron, "threshold", scalar(std::to_string(*p.threshold)));
    if (p.alpha) add(neuron, "alpha", scalar(hex_text(*p.alpha)));
    add(n, "neuron", std::move(neuron));
  }
  return n;
}

YamlNode projection_node(const Projection& p, const PathMapper& paths) {
  YamlNode n = container(YamlNode::Kind::kMapping, false);
  add(n, "from", string_node(p.from));
  add(n, "to", string_node(p.to));
  add(n, "connectivity",
      scalar(value_name("workload.projections[]", "connectivity", static_cast<size_t>(p.connectivity))));
  switch (p.connectivity) {
    case Connectivity::kDense:
    case Connectivity::kOneToOne:
    case Connectivity::kRandom:
      if (p.weight_dist == WeightDist::kConst) {
        add(n, "weight", scalar(std::to_string(p.weight)));
      } else {
        YamlNode range = container(YamlNode::Kind::kSequence, true);
        range.items = {scalar(std::to_string(p.weight_min)), scalar(std::to_string(p.weight_max))};
        add(n, "weight_uniform", std::move(range));
      }
      if (p.connectivity == Connectivity::kRandom) add(n, "probability", scalar(number_text(p.probability)));
      break;
    case Connectivity::kList: {
      YamlNode list = container(YamlNode::Kind::kSequence, true);
      for (const auto& s : p.synapses) {
        YamlNode triple = container(YamlNode::Kind::kSequence, true);
        for (int32_t v : s) triple.items.push_back(scalar(std::to_string(v)));
        list.items.push_back(std::move(triple));
      }
      add(n, "synapses", std::move(list));
      break;
    }
    case Connectivity::kFile:
      add(n, "file", string_node(path_text(paths, p.file)));
      break;
  }
  add(n, "seed", scalar(std::to_string(p.seed)));
  return n;
}

YamlNode input_node(const InputSpec& in, const PathMapper& paths) {
  YamlNode n = container(YamlNode::Kind::kMapping, false);
  add(n, "population", string_node(in.population));
  if (in.kind == InputKind::kPoisson) {
    YamlNode poisson = container(YamlNode::Kind::kMapping, true);
    add(poisson, "rate_hz", scalar(number_text(in.rate_hz)));
    add(poisson, "seed", scalar(std::to_string(in.seed)));
    add(n, "poisson", std::move(poisson));
  } else {
    add(n, "trace", string_node(path_text(paths, in.trace)));
  }
  return n;
}

YamlNode samples_node(const SampleSet& set, const PathMapper& paths) {
  YamlNode n = container(YamlNode::Kind::kMapping, false);
  add(n, "population", string_node(set.population));
  add(n, "file", string_node(path_text(paths, set.file)));
  add(n, "format", scalar(value_name("workload.samples", "format", static_cast<size_t>(set.format))));
  if (!set.labels.empty()) add(n, "labels", string_node(path_text(paths, set.labels)));
  add(n, "timesteps", scalar(std::to_string(set.timesteps_per_sample)));
  add(n, "count", scalar(std::to_string(set.count)));
  add(n, "epochs", scalar(std::to_string(set.epochs)));
  if (set.shuffle) add(n, "shuffle_seed", scalar(std::to_string(set.shuffle_seed)));
  if (!set.test_file.empty()) {
    YamlNode test = container(YamlNode::Kind::kMapping, true);
    add(test, "file", string_node(path_text(paths, set.test_file)));
    add(test, "format", scalar(value_name("workload.samples.test", "format", static_cast<size_t>(set.test_format))));
    if (!set.test_labels.empty()) add(test, "labels", string_node(path_text(paths, set.test_labels)));
    add(test, "count", scalar(std::to_string(set.test_count)));
    add(n, "test", std::move(test));
  }
  if (set.supervise_from != UINT64_MAX) add(n, "supervise_from", scalar(std::to_string(set.supervise_from)));
  add(n, "infer_from", scalar(std::to_string(set.infer_from)));
  return n;
}

YamlNode workload_node(const WorkloadConfig& w, const PathMapper& paths) {
  return emit_keys(schema::map_at("workload"), &w, false, paths, [&w, &paths](const schema::Key& k, const void*) -> std::optional<YamlNode> {
    if (k.name == "timesteps") {
      if (w.samples.enabled) return std::nullopt;
      return scalar(std::to_string(w.timesteps));
    }
    if (k.name == "samples") {
      if (!w.samples.enabled) return std::nullopt;
      return samples_node(w.samples, paths);
    }
    YamlNode list = container(YamlNode::Kind::kSequence, false);
    if (k.name == "populations") {
      for (const Population& p : w.populations) list.items.push_back(population_node(p));
    } else if (k.name == "projections") {
      for (const Projection& p : w.projections) list.items.push_back(projection_node(p, paths));
    } else {
      for (const InputSpec& in : w.inputs) list.items.push_back(input_node(in, paths));
    }
    return std::optional<YamlNode>(std::move(list));
  });
}

}  // namespace

YamlNode resolved_config_tree(const RunConfig& rc, const PathMapper& paths) {
  YamlNode root = container(YamlNode::Kind::kMapping, false);
  add(root, "chip", chip_node(rc.chip, rc.energy, paths));
  add(root, "workload", workload_node(rc.workload, paths));
  return root;
}

std::string emit_resolved_config(const RunConfig& rc, const PathMapper& paths) {
  return "# Fully resolved neurochip configuration: every default explicit, loads to the same run.\n" +
         to_yaml_text(resolved_config_tree(rc, paths)) + "\n";
}

PathMapper paths_relative_to(const std::string& dir) {
  std::error_code ec;
  const std::filesystem::path base = std::filesystem::absolute(dir, ec).lexically_normal();
  if (ec) return {};
  return [base](const std::string& path) {
    const std::filesystem::path relative = std::filesystem::path(path).lexically_relative(base);
    return relative.empty() ? path : relative.string();
  };
}

std::optional<std::string> resolved_value(const RunConfig& rc, const std::string& path) {
  const YamlNode root = resolved_config_tree(rc);
  const YamlNode* node = &root;
  size_t begin = 0;
  while (node != nullptr && begin <= path.size()) {
    const size_t dot = path.find('.', begin);
    const std::string part = path.substr(begin, dot == std::string::npos ? std::string::npos : dot - begin);
    if (node->kind == YamlNode::Kind::kMapping) {
      const YamlEntry* e = node->find(part);
      node = e ? &e->value : nullptr;
    } else if (node->kind == YamlNode::Kind::kSequence) {
      const std::optional<uint64_t> i = parse_unsigned(part);
      node = i && *i < node->items.size() ? &node->items[static_cast<size_t>(*i)] : nullptr;
    } else {
      node = nullptr;
    }
    if (dot == std::string::npos) break;
    begin = dot + 1;
  }
  if (node == nullptr || node->kind != YamlNode::Kind::kScalar) return std::nullopt;
  return node->scalar;
}

bool same_configuration(const RunConfig& a, const RunConfig& b) {
  return same_tree(resolved_config_tree(a), resolved_config_tree(b));
}

}  // namespace neurochip::sim
