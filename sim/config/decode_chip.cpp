// Decoding of `chip:` (see decoder.h): the chip and its cores through the schema, the clocks
// (SPEC §5.1), and the checks across keys of a core — unique names, the memory geometry against
// the capacities (SPEC §3.1-§3.2) and the emulator's memory budget.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "common/int_math.h"
#include "config/decoder.h"
#include "config/text_format.h"
#include "core/stochastic_rounding.h"
#include "memory/neuron_memory.h"
#include "memory/synapse_list_layout.h"
#include "learning/eprop_engine.h"

namespace neurochip::sim {
namespace {

/// What a chip may make the emulator hold in memory: the cycle model stores every SRAM bit for bit,
/// and the loader and both fidelities hold every crossbar (max_inputs x max_neurons, max_neurons x
/// max_neurons, max_neurons x max_readouts per core) as a dense matrix of bytes, plus who defined
/// each synapse while loading (8 bytes each). Within these a run fits a workstation.
constexpr uint64_t kMaxChipSramBits = uint64_t{1} << 33;       // 1 GiB
constexpr uint64_t kMaxChipCrossbarSlots = uint64_t{1} << 27;  // 128 Mi synapse slots

}  // namespace

void Decoder::decode_chip(const YamlNode& node, hw::ChipConfig& chip) {
  const schema::Map& spec = schema::map_at("chip");
  MapView m(&node, node.loc, spec, d_);
  decode_keys(m, spec, &chip);
  std::optional<uint64_t> period;
  decode_clock(m, period);
  if (period) chip.clock_period_ps = *period;
  duration_us_ = chip.timestep.duration_us;
  if (!m.require("cores")) return;
  const YamlNode* written = m.get("cores");
  // The generator form {count, template}: `count` copies of the template, named <name>0, <name>1, ...
  // (configs/README.md `chip.cores`); every copy keeps the template's positions for its messages.
  YamlNode generated;
  if (written->kind == YamlNode::Kind::kMapping) {
    const MapView g(written, written->loc, std::vector<std::string>{"count", "template"}, d_);
    int64_t count = 0;
    const bool counted = g.require("count", " (how many cores the template makes)") &&
                         to_int(*g.get("count"), 1, kMaxGeneratedCores, "an integer in 1.." + std::to_string(kMaxGeneratedCores), count);
    if (!g.require("template", " (the core every generated core copies)")) return;
    const YamlNode& tmpl = *g.get("template");
    if (tmpl.kind != YamlNode::Kind::kMapping) {
      error(tmpl.loc, "expected a mapping (one core), got " + describe_node(tmpl));
      return;
    }
    const YamlEntry* name = tmpl.find("name");
    if (name == nullptr) {
      error(tmpl.loc, "missing required key 'name' (the generated cores are named <name>0, <name>1, ...)");
      return;
    }
    if (!counted) return;
    generated.kind = YamlNode::Kind::kSequence;
    generated.loc = written->loc;
    for (int64_t i = 0; i < count; ++i) {
      YamlNode copy = tmpl;
      copy.find("name")->value.scalar += std::to_string(i);
      generated.items.push_back(std::move(copy));
    }
    written = &generated;
  }
  const YamlNode& cores = *written;
  if (cores.kind != YamlNode::Kind::kSequence || cores.items.empty()) {
    error(cores.loc, "expected a non-empty list of cores or {count, template}, got " +
                         (cores.kind == YamlNode::Kind::kSequence ? std::string("an empty list") : describe_node(cores)));
    return;
  }
  std::map<std::string, SourceLocation> names;
  for (const YamlNode& item : cores.items) {
    chip.cores.emplace_back();
    hw::CoreConfig& core = chip.cores.back();
    const size_t errors_before = d_.size();
    const SourceLocation* name_loc = decode_core(item, core);
    core_valid_.push_back(d_.size() == errors_before && name_loc != nullptr);
    if (name_loc == nullptr) {
      core.name.clear();  // unnamed: populations cannot refer to it
      continue;
    }
    const auto [it, inserted] = names.emplace(core.name, *name_loc);
    if (!inserted) {
      error(*name_loc, "duplicate core name '" + core.name + "' (first defined at " + location_string(it->second) + ")");
      core_valid_.back() = false;
    }
    if (core_valid_.back()) resolve_auto_words(core, item);
    if (core_valid_.back() && !validate_geometry(core, item)) core_valid_.back() = false;
    if (core_valid_.back() && !validate_rounding(core, item)) core_valid_.back() = false;
    if (core_valid_.back() && !validate_learning(core, item)) core_valid_.back() = false;
  }
  if (const YamlEntry* noc = m.entry("noc")) validate_noc(chip, *noc);
}

/// SPEC §7: a router per core (core k at router k), and the barrier of the free-running policy
/// (the next timestep starts when every core is done and the network has drained).
void Decoder::validate_noc(hw::ChipConfig& chip, const YamlEntry& noc) {
  chip.noc.enabled = true;
  noc_loc_ = noc.value.loc;
  if (noc.value.kind == YamlNode::Kind::kMapping)
    if (const YamlEntry* t = noc.value.find("table_entries")) noc_loc_ = t->value.loc;
  for (const char* key : {"width", "height"})
    if (noc.value.kind == YamlNode::Kind::kMapping && noc.value.find(key) == nullptr)
      error(noc.value.loc, std::string("missing required key '") + key + "' (the network's routers along " +
                               (key[0] == 'w' ? "x" : "y") + ")");
  const uint64_t routers = uint64_t{chip.noc.width} * chip.noc.height;
  if (chip.cores.size() > routers)
    error(noc.value.loc, "the network has width x height = " + std::to_string(chip.noc.width) + " x " +
                             std::to_string(chip.noc.height) + " = " + std::to_string(routers) +
                             " routers for " + std::to_string(chip.cores.size()) +
                             " cores (core k sits at router k)");
  // The window of the fixed policy (SPEC §7.8): after the tick, no later than the next one.
  if (noc.value.kind == YamlNode::Kind::kMapping) {
    for (const char* key : {"window_cycles", "late_spikes"}) {
      const YamlEntry* e = noc.value.find(key);
      if (e && chip.timestep.policy != hw::TimestepPolicy::kFixed)
        error(e->key_loc, std::string("'") + key + "' applies to chip.timestep.policy fixed only (with free_running "
                          "the barrier waits for every spike, none is late)");
    }
    const YamlEntry* w = noc.value.find("window_cycles");
    if (!w && chip.timestep.policy == hw::TimestepPolicy::kFixed)
      chip.noc.window_cycles = chip.timestep.cycles_per_timestep;
    if (w && chip.timestep.policy == hw::TimestepPolicy::kFixed &&
        chip.noc.window_cycles > chip.timestep.cycles_per_timestep)
      error(w->value.loc, "the window of " + std::to_string(chip.noc.window_cycles) +
                              " cycles is longer than the timestep (chip.timestep.cycles_per_timestep = " +
                              std::to_string(chip.timestep.cycles_per_timestep) + ")");
  }
  for (const hw::CoreConfig& core : chip.cores) {
    if (chip.noc.integration == hw::noc::Integration::kArrival && core.noise.enabled)
      if (const YamlEntry* i = noc.value.kind == YamlNode::Kind::kMapping ? noc.value.find("integration") : nullptr)
        error(i->value.loc, "core '" + core.name + "' adds membrane noise, which the arrival order's comparison with "
                            "the canonical order (SPEC §7.9) does not model; use integration: canonical");
    if (core.learning.traces())
      error(noc.key_loc, "core '" + core.name + "' learns (or keeps traces), which a chip with a network does not "
                         "model yet");
  }
}

void Decoder::decode_clock(const MapView& m, std::optional<uint64_t>& period) {
  const YamlEntry* clock = m.entry("clock");
  const YamlEntry* mhz = m.entry("clock_mhz");
  if (clock && mhz) {
    const YamlEntry* later = written_after(mhz->key_loc, clock->key_loc) ? mhz : clock;
    error(later->key_loc, "give either 'clock' or 'clock_mhz', not both");
    return;
  }
  if (clock) {
    const schema::Map& spec = schema::map_at("clock");
    MapView c(&clock->value, clock->key_loc, spec, d_);
    const schema::Key& k = spec.key("period_ps");
    int64_t ps = 0;
    if (c.require(k.name) && to_int(*c.get(k.name), k.min, k.max, schema::expectation(k), ps)) {
      period = static_cast<uint64_t>(ps);
    }
    return;
  }
  const schema::Key& k = schema::map_at("chip").key("clock_mhz");
  int64_t f = 0;
  if (!mhz || !to_int(mhz->value, k.min, k.max, schema::expectation(k), f)) return;
  constexpr int64_t kPsPerUs = 1'000'000;
  if (kPsPerUs % f != 0) {
    const int64_t below = kPsPerUs / f;
    error(mhz->value.loc, "clock_mhz " + std::to_string(f) + " gives a clock period of 10^6 / " + std::to_string(f) +
                              " ps, which is not an integer number of picoseconds; give the period instead: "
                              "clock: {period_ps: " + std::to_string(below) + "} or {period_ps: " +
                              std::to_string(below + 1) + "}");
    return;
  }
  period = static_cast<uint64_t>(kPsPerUs / f);
}

const SourceLocation* Decoder::decode_core(const YamlNode& node, hw::CoreConfig& core) {
  const schema::Map& spec = schema::map_at("chip.cores[]");
  MapView m(&node, node.loc, spec, d_);
  const SourceLocation* name_loc = nullptr;
  if (m.require("name") && to_identifier(*m.get("name"), core.name)) name_loc = &m.get("name")->loc;
  decode_clock(m, core.clock_period_ps);
  decode_keys(m, spec, &core);
  return name_loc;
}

/// `words: auto` (SPEC §3): the fewest words that hold the core's capacity — ceil(max_neurons / P)
/// neuron words; rows · ceil(columns / K) weight words with K = word_bits / weights.bits; one
/// axon-table word per index and the densest synapse lists (§3.4) — or, with
/// `round: power_of_two`, the next power of two. `round` without `words: auto` is an error.
void Decoder::resolve_auto_words(hw::CoreConfig& core, const YamlNode& core_node) {
  hw::CoreMemoryConfig& mem = core.memory;
  const YamlEntry* memory_entry = core_node.find("memory");
  const uint64_t k_bits = static_cast<uint64_t>(core.weights.bits);
  const auto crossbar = [&](uint64_t rows, uint64_t cols, const hw::SramGeometry& g) {
    return rows * hw::ceil_div(cols, std::max<uint64_t>(1, g.word_bits / k_bits));
  };
  const struct {
    const char* key;
    hw::SramGeometry& geometry;
    uint64_t needed;
  } srams[] = {
      {"neuron_sram", mem.neuron_sram, hw::ceil_div(mem.max_neurons, mem.neurons_per_word)},
      {"input_weight_sram", mem.input_weight_sram, crossbar(mem.max_inputs, mem.max_neurons, mem.input_weight_sram)},
      {"recurrent_weight_sram", mem.recurrent_weight_sram,
       crossbar(mem.max_neurons, mem.max_neurons, mem.recurrent_weight_sram)},
      {"output_weight_sram", mem.output_weight_sram, crossbar(mem.max_neurons, mem.max_readouts, mem.output_weight_sram)},
      {"axon_table", mem.axon_table, hw::axon_table_entries(mem.max_inputs, mem.max_neurons)},
      {"synapse_list_sram", mem.synapse_list_sram,
       hw::synapse_list_capacity_words(mem.max_inputs, mem.max_neurons,
                                       std::max<uint32_t>(1, hw::synapse_entries_per_word(
                                                                 mem.synapse_list_sram.word_bits, mem.max_neurons,
                                                                 static_cast<uint32_t>(core.weights.bits))))},
  };
  const std::vector<std::string>& rounds = schema::map_at("sram").key("round").values;
  for (const auto& s : srams) {
    const YamlEntry* e = memory_entry ? memory_entry->value.find(s.key) : nullptr;
    const YamlEntry* round = e ? e->value.find("round") : nullptr;
    const bool is_auto = s.geometry.words == schema::kAutoWords;
    int64_t mode = 0;
    if (round != nullptr) {
      if (!to_enum(round->value, rounds, mode)) continue;
      if (!is_auto) {
        error(round->key_loc, std::string("'round' sizes a macro given as words: auto; ") + s.key + ".words is " +
                                  std::to_string(s.geometry.words));
        continue;
      }
    }
    if (!is_auto) continue;
    uint64_t words = std::max<uint64_t>(1, s.needed);
    if (mode == 1) {
      uint64_t p = 1;
      while (p < words) p <<= 1;
      words = p;
    }
    if (words > std::numeric_limits<uint32_t>::max()) {
      error(e ? e->value.loc : core_node.loc, std::string(s.key) + ": words: auto needs " + std::to_string(words) +
                                                  " words, more than a macro can have (2^32 - 1)");
      words = 1;
    }
    s.geometry.words = static_cast<uint32_t>(words);
  }
}

/// SPEC §3.1-§3.2: the neuron SRAM holds every neuron state, each weight SRAM the full crossbar.
/// Returns false when the core takes the chip beyond what the emulator can hold in memory (its
/// weight images are then never built).
bool Decoder::validate_geometry(const hw::CoreConfig& core, const YamlNode& core_node) {
  const YamlEntry* memory_entry = core_node.find("memory");
  const SourceLocation& memory_loc = memory_entry ? memory_entry->value.loc : core_node.loc;
  auto sram_loc = [&](const char* key) -> const SourceLocation& {
    const YamlEntry* e = memory_entry ? memory_entry->value.find(key) : nullptr;
    return e ? e->value.loc : memory_loc;
  };
  const hw::CoreMemoryConfig& mem = core.memory;
  const uint64_t state_bits = core.neuron.model().state_bits(core.neuron);
  const uint64_t per_word = mem.neurons_per_word;
  const uint64_t word_parameter_bits = mem.word_parameters ? hw::kWordParameterBits : 0;
  if (per_word * state_bits + word_parameter_bits > mem.neuron_sram.word_bits) {
    error(sram_loc("neuron_sram"),
          "neuron_sram.word_bits is " + std::to_string(mem.neuron_sram.word_bits) + " but neurons_per_word x state bits (" +
              core.neuron.model().name + ")" + (mem.word_parameters ? " + word parameters" : "") + " = " +
              std::to_string(per_word) + " x " + std::to_string(state_bits) +
              (mem.word_parameters ? " + " + std::to_string(word_parameter_bits) : "") + " = " +
              std::to_string(per_word * state_bits + word_parameter_bits) + " bits are needed");
  }
  if (mem.word_parameters) {
    const hw::NeuronModel& model = core.neuron.model();
    const YamlEntry* neuron_entry = core_node.find("neuron");
    const YamlEntry* alpha_entry = neuron_entry ? neuron_entry->value.find("alpha") : nullptr;
    const int alpha = model.param_index("alpha");
    if (alpha < 0 || model.param_index("threshold") < 0) {
      error(sram_loc("word_parameters"), "memory.word_parameters holds a threshold and an alpha per word, but neuron "
                                         "model '" + model.name + "' has no such parameters");
    } else if (const int64_t a = core.neuron[static_cast<size_t>(alpha)]; a < hw::kWordAlphaMin || a > hw::kWordAlphaMax) {
      error(alpha_entry ? alpha_entry->value.loc : sram_loc("word_parameters"),
            "with memory.word_parameters the neuron words hold alpha as 0x7 or 0x8 and 12 low bits: alpha must be "
            "in 0x7000..0x8FFF, got " + hex_text(a));
    }
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
  if (mem.sparse()) validate_sparse_geometry(core, sram_loc);
  for (const WeightSram& s : srams) {
    if (mem.sparse() && &s.geometry != &mem.output_weight_sram) continue;  // not built (SPEC §3.4)
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

/// SPEC §3.4: a synapse-list word holds at least one entry, the axon table one entry per index,
/// each entry in one axon-table word.
template <class SramLoc>
void Decoder::validate_sparse_geometry(const hw::CoreConfig& core, SramLoc sram_loc) {
  const hw::CoreMemoryConfig& mem = core.memory;
  const auto weight_bits = static_cast<uint32_t>(core.weights.bits);
  const uint32_t entry_bits = hw::synapse_entry_bits(mem.max_neurons, weight_bits);
  const uint32_t per_word = hw::synapse_entries_per_word(mem.synapse_list_sram.word_bits, mem.max_neurons, weight_bits);
  if (per_word == 0) {
    error(sram_loc("synapse_list_sram"),
          "synapse_list_sram.word_bits is " + std::to_string(mem.synapse_list_sram.word_bits) +
              " but one (target, weight) entry needs ceil(log2(max_neurons)) + weights.bits = " +
              std::to_string(hw::synapse_target_bits(mem.max_neurons)) + " + " + std::to_string(weight_bits) + " = " +
              std::to_string(entry_bits) + " bits");
    return;
  }
  const uint64_t entries = hw::axon_table_entries(mem.max_inputs, mem.max_neurons);
  if (entries > mem.axon_table.words) {
    error(sram_loc("axon_table"), "axon_table holds " + std::to_string(mem.axon_table.words) +
                                      " entries but max(max_inputs, max_neurons) = " + std::to_string(entries) +
                                      " presynaptic indices need one each");
  }
  const uint32_t base = hw::axon_base_bits(mem.synapse_list_sram.words);
  const uint32_t length = hw::axon_length_bits(mem.max_neurons, per_word);
  if (2 * (base + length) > mem.axon_table.word_bits) {
    error(sram_loc("axon_table"),
          "axon_table.word_bits is " + std::to_string(mem.axon_table.word_bits) +
              " but an entry (input and recurrent base and length) needs 2 x (" + std::to_string(base) + " + " +
              std::to_string(length) + ") = " + std::to_string(2 * (base + length)) + " bits for " +
              std::to_string(mem.synapse_list_sram.words) + " synapse-list words and lists of up to " +
              std::to_string(hw::ceil_div(mem.max_neurons, per_word)) + " words");
  }
}

/// SPEC §2.8: stochastic rounding has one 15-bit membrane seed per neuron lane, each non-zero (an
/// LFSR seeded with 0 stays at 0), and none beyond the lanes.
bool Decoder::validate_rounding(const hw::CoreConfig& core, const YamlNode& core_node) {
  const YamlEntry* rounding = core_node.find("rounding");
  const YamlEntry* seed_entry = rounding ? rounding->value.find("membrane_seed") : nullptr;
  const SourceLocation& loc = seed_entry ? seed_entry->value.loc : (rounding ? rounding->value.loc : core_node.loc);
  const uint32_t lanes = core.memory.neurons_per_word;
  if (core.noise.enabled && core.memory.sparse()) {
    const YamlEntry* noise = core_node.find("noise");
    error(noise ? noise->value.loc : core_node.loc,
          "noise.enabled adds a draw to every neuron word of PROP's sweep, but a core with memory.synapses: sparse "
          "writes only the words its synapses reach (SPEC §3.4): use memory.synapses: crossbar");
    return false;
  }
  if (core.noise.enabled && lanes > 2) {
    const YamlEntry* noise = core_node.find("noise");
    error(noise ? noise->value.loc : core_node.loc,
          "noise.enabled needs memory.neurons_per_word ≤ 2 (a 32-bit noise draw has two 16-bit lanes), got " +
              std::to_string(lanes));
    return false;
  }
  if (core.rounding.mode != hw::RoundingMode::kStochastic) return true;
  if (lanes > hw::kMaxRoundingLanes) {
    error(rounding ? rounding->value.loc : core_node.loc,
          "rounding.mode stochastic needs memory.neurons_per_word ≤ " + std::to_string(hw::kMaxRoundingLanes) +
              " (one 15-bit membrane seed per lane in the 64-bit membrane_seed), got " + std::to_string(lanes));
    return false;
  }
  const uint64_t seed = core.rounding.membrane_seed;
  bool ok = true;
  for (uint32_t l = 0; l < lanes; ++l) {
    if (hw::membrane_lane_seed(seed, l) == 0) {
      error(loc, "membrane_seed gives lane " + std::to_string(l) + " (bits " + std::to_string(15 * l + 14) + ":" +
                     std::to_string(15 * l) + ") the seed 0, which locks its LFSR at 0; every lane needs a "
                     "non-zero 15-bit seed");
      ok = false;
    }
  }
  if ((seed >> (hw::kRoundingSeedBits * lanes)) != 0) {
    error(loc, "membrane_seed has bits set above bit " + std::to_string(15 * lanes - 1) + ", but the core has " +
                   std::to_string(lanes) + " neuron lane(s) of 15 seed bits each (neurons_per_word)");
    ok = false;
  }
  return ok;
}

/// SPEC §6.7: the RTL backends need a build with the Verilated engine (NEUROCHIP_RTL_SLOTS, its
/// N_SLOTS; 0 without Verilator), a core whose slots it covers and an engine that runs.
bool Decoder::validate_learning_backend(const hw::CoreConfig& core, const YamlNode& learning) {
  const YamlEntry* key = learning.find("backend");
  const SourceLocation& loc = key ? key->value.loc : learning.loc;
  const std::string name = core.learning.backend == hw::LearningBackend::kRtl ? "rtl" : "lockstep";
  const uint64_t slots = std::max(core.memory.max_inputs, core.memory.max_neurons);
  if (NEUROCHIP_RTL_SLOTS == 0) {
    error(loc, "backend " + name + " needs the e-prop engine RTL, but this build has none (it was built without "
               "Verilator 5): use backend model");
    return false;
  }
  bool ok = true;
  if (slots > NEUROCHIP_RTL_SLOTS) {
    error(loc, "backend " + name + ": the Verilated engine has " + std::to_string(NEUROCHIP_RTL_SLOTS) +
                   " trace slots (N_SLOTS), but this core has max(memory.max_inputs, memory.max_neurons) = " +
                   std::to_string(slots));
    ok = false;
  }
  if (core.memory.neurons_per_word > hw::kMaxRoundingLanes) {
    error(loc, "backend " + name + ": the engine RTL holds 1 to " + std::to_string(hw::kMaxRoundingLanes) +
                   " neurons per word, got memory.neurons_per_word " + std::to_string(core.memory.neurons_per_word));
    ok = false;
  }
  if (!core.learning.traces()) {
    error(loc, "backend " + name + " runs the learning engine, but this core's engine is off (no update_input, "
               "update_recurrent, update_output or force_traces)");
    ok = false;
  }
  return ok;
}

/// SPEC §6: the engine works on 16 8-bit weights per 128-bit word in every weight SRAM, at most 16
/// readouts, and needs 34 trace bits per neuron slot beside the model's state.
bool Decoder::validate_learning(const hw::CoreConfig& core, const YamlNode& core_node) {
  const YamlEntry* learning = core_node.find("learning");
  const SourceLocation& loc = learning ? learning->value.loc : core_node.loc;
  const hw::CoreMemoryConfig& mem = core.memory;
  if (core.learning.backend != hw::LearningBackend::kModel && !validate_learning_backend(core, learning ? learning->value : core_node))
    return false;
  if (!core.learning.traces()) return true;
  if (mem.sparse()) {
    error(loc, "the learning engine updates the input and recurrent weights word by word in their crossbar SRAMs, "
               "but this core has memory.synapses: sparse (SPEC §3.4): use memory.synapses: crossbar, or no learning");
    return false;
  }
  bool ok = true;
  if (core.weights.bits != 8 || mem.input_weight_sram.word_bits != 128 || mem.recurrent_weight_sram.word_bits != 128 ||
      mem.output_weight_sram.word_bits != 128) {
    error(loc, "the learning engine updates 16 8-bit weights per 128-bit word: it needs weights.bits 8 and "
               "word_bits 128 in the input, recurrent and output weight SRAMs");
    ok = false;
  }
  if (mem.max_readouts > hw::kEpropLanes) {
    error(loc, "the learning engine keeps a neuron's output weights in one 16-lane word: memory.max_readouts must "
               "be at most 16, got " + std::to_string(mem.max_readouts));
    ok = false;
  }
  const uint64_t slot_bits = core.neuron.model().state_bits(core.neuron) + 34;
  const uint64_t word_parameter_bits = mem.word_parameters ? hw::kWordParameterBits : 0;
  const uint64_t bits = uint64_t{mem.neurons_per_word} * slot_bits + word_parameter_bits;
  if (bits > mem.neuron_sram.word_bits) {
    error(loc, "the learning engine's traces need 34 bits per neuron slot: neurons_per_word x (state bits + 34)" +
                   std::string(mem.word_parameters ? " + word parameters" : "") + " = " +
                   std::to_string(mem.neurons_per_word) + " x " + std::to_string(slot_bits) +
                   (mem.word_parameters ? " + " + std::to_string(word_parameter_bits) : "") + " = " +
                   std::to_string(bits) + " bits, more than neuron_sram.word_bits " +
                   std::to_string(mem.neuron_sram.word_bits));
    ok = false;
  }
  if (core.rounding.mode == hw::RoundingMode::kStochastic) {
    for (const auto& [name, seed] : {std::pair<const char*, uint64_t>{"seed_trace_input", core.learning.seed_trace_input},
                                     {"seed_trace_recurrent", core.learning.seed_trace_recurrent},
                                     {"seed_trace_output", core.learning.seed_trace_output}}) {
      for (uint32_t l = 0; l < mem.neurons_per_word && l < hw::kMaxRoundingLanes; ++l) {
        if (hw::membrane_lane_seed(seed, l) == 0) {
          error(loc, std::string(name) + " gives lane " + std::to_string(l) + " the seed 0, which locks its LFSR at 0");
          ok = false;
        }
      }
    }
  }
  return ok;
}

/// Adds the core's crossbar slots and SRAM bits to the chip's totals; reports (once per chip) the
/// core, and within it the SRAM, that takes a total beyond its limit. A total stops growing once
/// beyond (so it cannot wrap around), which keeps every later core invalid too.
template <class SramLoc>
bool Decoder::within_memory_budget(const hw::CoreMemoryConfig& mem, const SourceLocation& memory_loc,
                                   SramLoc sram_loc) {
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
  for (const auto& [key, geometry] : hw::core_srams(mem)) {
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


}  // namespace neurochip::sim
