// Automatic placement of populations on the cores of a chip with a network (SPEC §7.7 "Placement",
// configs/README.md "Placement"): the populations that must share a core (an input and the neurons
// it feeds, neurons and the readouts they feed) form groups; a group with an explicitly placed
// member goes to that core, every other group to the first core, in core order, with room for its
// input, neuron and readout slots. Remote axons and synapse memory are checked afterwards by the
// network builder, like those of explicit placements.
#include <algorithm>
#include <array>
#include <numeric>
#include <string>
#include <vector>

#include "config/decoder.h"

namespace neurochip::sim {
namespace {

constexpr std::array<const char*, 3> kKindWords = {"input", "neuron", "readout"};

uint32_t slot_capacity(const hw::CoreMemoryConfig& m, size_t kind) {
  return kind == 0 ? m.max_inputs : kind == 1 ? m.max_neurons : m.max_readouts;
}

/// "64 input and 300 neuron slots" for the kinds with a count in `of` (`when` selects them).
std::string slots_text(const std::array<uint64_t, 3>& of, const std::array<uint64_t, 3>& when) {
  std::vector<std::string> parts;
  for (size_t k = 0; k < 3; ++k)
    if (when[k] > 0) parts.push_back(std::to_string(of[k]) + " " + kKindWords[k]);
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  return out + " slots";
}

struct UnionFind {
  std::vector<size_t> parent;
  explicit UnionFind(size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), size_t{0}); }
  size_t find(size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void unite(size_t a, size_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);  // the root is the group's first population
  }
};

}  // namespace

void Decoder::place_populations(const std::vector<YamlNode>& projections, RunConfig& rc, WorkloadSources& sources) {
  std::vector<Population>& pops = rc.workload.populations;
  std::vector<PopulationSource>& src = sources.populations;
  const auto is_auto = [&](size_t i) { return src[i].valid && src[i].auto_core; };
  bool any_auto = false;
  for (size_t i = 0; i < pops.size(); ++i) any_auto |= is_auto(i);
  if (!any_auto) return;

  // Groups: input -> neuron and neuron -> readout projections keep their populations on one core.
  UnionFind groups(pops.size());
  const auto population_of = [&](const YamlNode& item, std::string_view key) -> int {
    const YamlEntry* e = item.kind == YamlNode::Kind::kMapping ? item.find(key) : nullptr;
    if (e == nullptr || e->value.kind != YamlNode::Kind::kScalar) return -1;
    const auto it = population_index_.find(e->value.scalar);
    return it != population_index_.end() && src[it->second].valid ? static_cast<int>(it->second) : -1;
  };
  for (const YamlNode& item : projections) {
    const int a = population_of(item, "from"), b = population_of(item, "to");
    if (a < 0 || b < 0) continue;
    const PopulationKind ka = pops[static_cast<size_t>(a)].kind, kb = pops[static_cast<size_t>(b)].kind;
    if ((ka == PopulationKind::kInput && kb == PopulationKind::kNeuron) ||
        (ka == PopulationKind::kNeuron && kb == PopulationKind::kReadout))
      groups.unite(static_cast<size_t>(a), static_cast<size_t>(b));
  }
  std::vector<std::vector<size_t>> members(pops.size());  // by root, in file order
  for (size_t i = 0; i < pops.size(); ++i)
    if (src[i].valid) members[groups.find(i)].push_back(i);

  const std::vector<hw::CoreConfig>& cores = rc.chip.cores;
  std::vector<std::array<uint64_t, 3>> used(cores.size(), {0, 0, 0});
  for (size_t i = 0; i < pops.size(); ++i)
    if (src[i].valid && !src[i].auto_core) used[pops[i].core_index][static_cast<size_t>(pops[i].kind)] += pops[i].size;

  const auto names_of = [&](const std::vector<size_t>& group) {
    std::string out;
    for (size_t k = 0; k < group.size(); ++k)
      out += (k == 0 ? "'" : k + 1 == group.size() ? " and '" : ", '") + pops[group[k]].name + "'";
    return out;
  };
  const auto place = [&](const std::vector<size_t>& group, size_t c) {
    for (size_t i : group) {
      if (!src[i].auto_core) continue;
      Population& p = pops[i];
      p.core = cores[c].name;
      p.core_index = static_cast<uint32_t>(c);
      p.auto_placed = true;
      used[c][static_cast<size_t>(p.kind)] += p.size;
      if (src[i].neuron_key.line > 0 && p.kind == PopulationKind::kNeuron)
        check_word_parameters(p, cores[c], c, src[i].neuron_key);
    }
  };
  const auto invalidate = [&](const std::vector<size_t>& group) {
    for (size_t i : group)
      if (src[i].auto_core) src[i].valid = false;
  };
  const std::string why = "an input population feeds only neurons of its own core and a readout only neurons of its "
                          "own core (SPEC §7.7)";

  // Groups pinned by an explicitly placed member first: their slots are taken before the fill.
  std::vector<size_t> free_groups;
  for (size_t root = 0; root < pops.size(); ++root) {
    const std::vector<size_t>& group = members[root];
    if (group.empty() || std::none_of(group.begin(), group.end(), is_auto)) continue;
    int pin = -1;
    bool conflict = false;
    for (size_t i : group) {
      if (src[i].auto_core) continue;
      if (pin < 0) {
        pin = static_cast<int>(i);
      } else if (pops[i].core_index != pops[static_cast<size_t>(pin)].core_index && !conflict) {
        const Population& first = pops[static_cast<size_t>(pin)];
        error(src[i].core_value.line > 0 ? src[i].core_value : src[i].loc,
              "populations " + names_of(group) + " must share a core, but '" + first.name + "' is placed on core '" +
                  first.core + "' and '" + pops[i].name + "' on core '" + pops[i].core + "': " + why);
        conflict = true;
      }
    }
    if (conflict) {
      invalidate(group);
    } else if (pin >= 0) {
      place(group, pops[static_cast<size_t>(pin)].core_index);
    } else {
      free_groups.push_back(root);
    }
  }

  // The fill: groups in file order of their first population, each on the first core with room.
  for (size_t root : free_groups) {
    const std::vector<size_t>& group = members[root];
    std::array<uint64_t, 3> need = {0, 0, 0};
    for (size_t i : group) need[static_cast<size_t>(pops[i].kind)] += pops[i].size;
    std::array<uint64_t, 3> most_left = {0, 0, 0};
    int chosen = -1;
    for (size_t c = 0; c < cores.size() && chosen < 0; ++c) {
      if (!core_valid_[c]) continue;
      bool fits = true;
      for (size_t k = 0; k < 3; ++k) {
        const uint64_t cap = slot_capacity(cores[c].memory, k);
        const uint64_t left = used[c][k] < cap ? cap - used[c][k] : 0;
        most_left[k] = std::max(most_left[k], left);
        fits &= need[k] <= left;
      }
      if (fits) chosen = static_cast<int>(c);
    }
    if (chosen >= 0) {
      place(group, static_cast<size_t>(chosen));
      continue;
    }
    const std::string who = group.size() == 1 ? "population '" + pops[group[0]].name + "'"
                                              : "populations " + names_of(group) + " (one core: " + why + ")";
    error(src[group[0]].core_value,
          "core: auto finds no core with room for " + who + ": " + (group.size() == 1 ? "it needs " : "they need ") +
              slots_text(need, need) + ", and the most any core has left is " + slots_text(most_left, need));
    invalidate(group);
  }
}

}  // namespace neurochip::sim
