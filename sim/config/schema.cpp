// The configuration schema tree (see schema.h): every key of a run description, its type, range,
// default, unit, documentation and the struct field it sets. The key reference of
// configs/README.md and `neurochip schema --json` are generated from it.
#include "config/schema.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>

#include "base/run_config.h"
#include "config/text_format.h"
#include "common/fixed_point.h"
#include "memory/neuron_memory.h"
#include "core/neuron_model.h"

namespace neurochip::sim::schema {

std::string Condition::text() const {
  std::string s = key + ": ";
  for (size_t i = 0; i < values.size(); ++i) s += (i ? " or " : "") + values[i];
  return s;
}

std::vector<std::string> Map::key_names() const {
  std::vector<std::string> names;
  for (const Key& k : keys) names.push_back(k.name);
  return names;
}

const Key* Map::find(std::string_view name) const {
  for (const Key& k : keys)
    if (k.name == name) return &k;
  return nullptr;
}

const Key& Map::key(std::string_view name) const {
  if (const Key* k = find(name)) return *k;
  throw std::logic_error("schema: " + path + " has no key '" + std::string(name) + "'");
}

namespace {

Key int_key(std::string name, int64_t min, int64_t max, std::string default_text, std::string doc,
            std::string unit = "") {
  Key k;
  k.name = std::move(name);
  k.kind = Kind::kInt;
  k.min = min;
  k.max = max;
  k.default_text = std::move(default_text);
  k.doc = std::move(doc);
  k.unit = std::move(unit);
  return k;
}

Key enum_key(std::string name, std::vector<std::string> values, std::string default_text, std::string doc) {
  Key k;
  k.name = std::move(name);
  k.kind = Kind::kEnum;
  k.values = std::move(values);
  k.default_text = std::move(default_text);
  k.doc = std::move(doc);
  return k;
}

Key typed_key(std::string name, Kind kind, std::string default_text, std::string doc) {
  Key k;
  k.name = std::move(name);
  k.kind = kind;
  k.default_text = std::move(default_text);
  k.doc = std::move(doc);
  return k;
}

Key map_key(std::string name, const Map& map, std::string default_text, std::string doc) {
  Key k = typed_key(std::move(name), Kind::kMap, std::move(default_text), std::move(doc));
  k.map = &map;
  return k;
}

Key required(Key k) {
  k.required = true;
  return k;
}

Key with(Key k, Accessor a) {
  k.access = std::move(a);
  return k;
}

/// A 1.x factor `name` that may instead be given as the time constant `tau_name` in ms (SPEC §2.3).
std::vector<Key> factor_keys(const std::string& name, int64_t one, int64_t default_value, const std::string& doc,
                             const std::string& tau_name, Accessor access) {
  Key f = int_key(name, 0, one, "`" + hex_text(default_value) + "`", doc);
  f.hex = true;
  f.alternative = tau_name;
  f.access = std::move(access);
  Key tau = typed_key(tau_name, Kind::kNumber, "",
                      "alternative to `" + name + "` (giving both is an error): `" + name + " = round(" +
                          std::to_string(one) + " · exp(−duration_us / (1000 · " + tau_name + ")))`");
  tau.number_min = 0;
  tau.number_min_exclusive = true;
  tau.unit = "ms";
  tau.alternative = name;
  tau.factor_one = static_cast<uint32_t>(one);
  return {f, tau};
}

/// An SRAM's `words`: an integer, or `auto` for the smallest macro that holds the core's capacity
/// (resolved by the loader, SPEC §3; the resolved configuration holds the integer).
Key words_key() {
  Key k = int_key("words", 1, std::numeric_limits<uint32_t>::max(), "per SRAM",
                  "words of the macro; `auto`: the fewest that hold the core's capacity (SPEC §3.1, §3.2, §3.4), rounded "
                  "as `round` says",
                  "words");
  k.int_word = "auto";
  k.int_word_value = kAutoWords;
  return k;
}

/// How `words: auto` rounds (decoded with it; the resolved configuration holds the integer).
Key round_key() {
  Key k = enum_key("round", {"exact", "power_of_two"}, "`exact`",
                   "with `words: auto`: the count needed, or the next power of two (a macro compiler's sizes)");
  k.custom = true;
  return k;
}

/// The neuron mapping: `model`, then every registered model's parameters, each key once, allowed
/// only with the models that have it.
void build_neuron_map(Map& m) {
  std::string models_doc;
  std::vector<std::string> names;
  for (const hw::NeuronModel* model : hw::NeuronModel::all()) {
    names.push_back(model->name);
    models_doc += (models_doc.empty() ? "" : "; ") + ("`" + model->name + "`: " + model->doc);
  }
  Key model = enum_key("model", names, "`lif`", "the neuron model (SPEC §2.4): " + models_doc);
  model.access.get_int = [](const void* s) {
    const hw::NeuronModel* current = &static_cast<const hw::NeuronParams*>(s)->model();
    const auto& all = hw::NeuronModel::all();
    for (size_t i = 0; i < all.size(); ++i)
      if (all[i] == current) return static_cast<int64_t>(i);
    return int64_t{0};
  };
  model.access.set_int = [](void* s, int64_t v) {
    *static_cast<hw::NeuronParams*>(s) = hw::NeuronParams(*hw::NeuronModel::all().at(static_cast<size_t>(v)));
  };
  m.keys.push_back(model);
  std::map<std::string, std::vector<std::string>> owners;
  for (const hw::NeuronModel* mdl : hw::NeuronModel::all())
    for (const hw::ModelParam& p : mdl->params) owners[p.key].push_back(mdl->name);
  for (const hw::NeuronModel* mdl : hw::NeuronModel::all()) {
    for (const hw::ModelParam& p : mdl->params) {
      if (m.find(p.key)) continue;
      Accessor a;
      const std::string param = p.key;
      a.get_int = [param](const void* s) { return static_cast<const hw::NeuronParams*>(s)->get(param); };
      a.set_int = [param](void* s, int64_t v) { static_cast<hw::NeuronParams*>(s)->set(param, v); };
      std::vector<Key> keys;
      const std::string dflt =
          p.enum_names.empty() ? "`" + (p.hex ? hex_text(p.default_value) : std::to_string(p.default_value)) + "`"
                               : "`" + p.enum_names.at(static_cast<size_t>(p.default_value)) + "`";
      if (!p.tau_key.empty()) {
        keys = factor_keys(p.key, p.factor_one, p.default_value, p.doc, p.tau_key, a);
      } else if (!p.enum_names.empty()) {
        keys = {with(enum_key(p.key, p.enum_names, dflt, p.doc), a)};
      } else {
        keys = {with(int_key(p.key, p.min, p.max, dflt, p.doc, p.unit), a)};
        keys[0].hex = p.hex;
      }
      const std::vector<std::string>& own = owners[p.key];
      for (Key& k : keys) {
        if (own.size() < hw::NeuronModel::all().size()) k.only_with = Condition{"model", own};
        m.keys.push_back(k);
      }
    }
  }
}

/// Builds the whole tree once; maps refer to each other by pointer, so they live in one place.
struct Tree {
  std::map<std::string, std::unique_ptr<Map>> maps;
  const Map* root = nullptr;

  Map& add(const std::string& path, const std::string& title, const std::string& doc = "") {
    auto m = std::make_unique<Map>();
    m->path = path;
    m->title = title;
    m->doc = doc;
    Map& ref = *m;
    maps.emplace(path, std::move(m));
    return ref;
  }

  Tree() {
    using hw::ChipConfig;
    using hw::CoreConfig;
    using hw::CoreMemoryConfig;
    using hw::SramGeometry;
    using hw::TimestepConfig;
    using hw::TimingProfile;
    using hw::WeightParams;
    namespace fxp = hw::fxp;

    Map& clock = add("clock", "`clock` (of the chip or of a core)",
                     "An exact clock period in picoseconds (SPEC §5.1).");
    clock.keys = {required(int_key("period_ps", 1, 1'000'000'000'000, "", "clock period", "ps"))};

    Map& timestep = add("chip.timestep", "`chip.timestep` (SPEC §5.2)");
    {
      Key cycles = int_key("cycles_per_timestep", 1, 1'000'000'000'000, "",
                           "ticks every `cycles_per_timestep` chip clock cycles", "cycles");
      cycles.only_with = Condition{"policy", {"fixed"}};
      cycles.required = true;
      timestep.keys = {
          with(enum_key("policy", {"free_running", "fixed"}, "`free_running`",
                        "`free_running`: the next timestep starts when the slowest core finished (at the next chip "
                        "clock edge). `fixed`: timesteps start every `cycles_per_timestep` chip clock cycles"),
               int_member(&TimestepConfig::policy)),
          with(cycles, int_member(&TimestepConfig::cycles_per_timestep)),
          with(enum_key("on_overrun", {"halt", "stretch"}, "`halt`",
                        "`fixed` only (accepted with both): a core still busy at the next tick stops the run with a "
                        "timing error (`halt`, exit code 3) or delays the tick and is counted (`stretch`)"),
               int_member(&TimestepConfig::on_overrun)),
          with(int_key("duration_us", 1, 10'000'000, "`1000`",
                       "biological time of one timestep; used by the `*_tau_ms` conversions and Poisson rates", "µs"),
               int_member(&TimestepConfig::duration_us)),
      };
    }

    Map& neuron = add("chip.cores[].neuron", "`neuron` (SPEC §2.3, §2.4)",
                      "The neuron model and its parameters; each model is one unit of "
                      "`hw_model/core/neuron_models/`.");
    build_neuron_map(neuron);

    Map& readout = add("chip.cores[].readout", "`readout` (SPEC §2.5)");
    {
      Accessor kappa = int_member(&hw::ReadoutParams::kappa);
      readout.keys = factor_keys("kappa", fxp::kKappaOne, 0x79,
                                 "readout leak factor, unsigned 1.7 (`0x80` = 1.0): `v ← floor(v · kappa / 2^7)`",
                                 "leak_tau_ms", kappa);
    }

    Map& rounding = add("chip.cores[].rounding", "`rounding` (SPEC §2.3, §2.8)",
                        "How the membrane and readout leaks round. With `stochastic`, every lane of the "
                        "neuron word has its own 15-bit LFSR (ReckOn's, advanced once per word in STEP) and "
                        "the readouts share one (advanced once per readout slot in STEP).");
    {
      Key membrane_seed = int_key("membrane_seed", 1, (int64_t{1} << (15 * hw::kMaxRoundingLanes)) - 1, "`0x38781234`",
                                  "the membrane LFSRs' seeds: lane l (neuron l of each word) takes bits "
                                  "[15l + 14 : 15l], each non-zero; `stochastic` needs neurons_per_word ≤ 4 "
                                  "(ReckOn's register for its two lanes; the default is its reset value)");
      membrane_seed.hex = true;
      Key readout_seed = int_key("readout_seed", 1, 0x7FFF, "`0x7ABA`",
                                 "the readout LFSR's 15-bit seed (the default is ReckOn's reset value)");
      readout_seed.hex = true;
      rounding.keys = {
          with(enum_key("mode", {"floor", "stochastic"}, "`floor`",
                        "`floor`: `leak = floor(product / 2^f)`. `stochastic`: plus 1 when the product's f "
                        "fraction bits are ≥ a fresh f-bit LFSR draw and the floor is not 0 (a leak that "
                        "truncates to 0 stays 0); none for a factor of exactly 1.0 (f = 15 for alpha, 7 for kappa)"),
               int_member(&hw::RoundingConfig::mode)),
          with(membrane_seed, int_member(&hw::RoundingConfig::membrane_seed)),
          with(readout_seed, int_member(&hw::RoundingConfig::readout_seed)),
      };
    }

    Map& learning = add("chip.cores[].learning", "`learning` (SPEC §6)",
                        "The e-prop learning engine (ReckOn's): which weights learn, the trace formats, the "
                        "learning signal, the pseudo-derivative, the learning rates, the regulariser and the "
                        "LFSR seeds. It updates in the EPROP phase of supervised timesteps (`workload.samples."
                        "supervise_from`). Register names are ReckOn's.");
    {
      using hw::EpropConfig;
      auto flag = [](const std::string& name, bool EpropConfig::*m, const std::string& doc) {
        return with(typed_key(name, Kind::kBool, "`false`", doc), int_member(m));
      };
      auto small = [](const std::string& name, int64_t lo, int64_t hi, int64_t dflt, uint32_t EpropConfig::*m,
                      const std::string& doc) {
        return with(int_key(name, lo, hi, "`" + std::to_string(dflt) + "`", doc), int_member(m));
      };
      auto element = [](const std::string& name, int64_t lo, int64_t hi, int64_t dflt, auto EpropConfig::*array,
                        size_t index, const std::string& doc) {
        Key k = int_key(name, lo, hi, "`" + std::to_string(dflt) + "`", doc);
        k.access.get_int = [array, index](const void* s) {
          return static_cast<int64_t>((static_cast<const EpropConfig*>(s)->*array)[index]);
        };
        k.access.set_int = [array, index](void* s, int64_t v) {
          (static_cast<EpropConfig*>(s)->*array)[index] = static_cast<int32_t>(v);
        };
        return k;
      };
      auto seed = [](const std::string& name, int64_t max, const std::string& dflt, auto EpropConfig::*m,
                     const std::string& doc) {
        Key k = int_key(name, 1, max, "`" + dflt + "`", doc);
        k.hex = true;
        k.access = int_member(m);
        return k;
      };
      learning.keys = {
          with(enum_key("backend", {"model", "rtl", "lockstep"}, "`model`",
                        "what implements the engine (SPEC §6.7): the C++ `model`, the Verilated `rtl` of `rtl/`, or "
                        "`lockstep`: both on the same inputs, every trace update and weight write compared; the "
                        "first disagreement stops the run with exit code 4, `divergence.json` and `rtl_window.vcd`"),
               int_member(&EpropConfig::backend)),
          flag("lockstep_cycles", &EpropConfig::lockstep_cycles,
               "`lockstep` also compares the cycles of every learning call with SPEC §6.5"),
          flag("update_input", &EpropConfig::update_input, "input weights learn (`SPI_DO_EPROP[0]`)"),
          flag("update_recurrent", &EpropConfig::update_recurrent, "recurrent weights learn (`SPI_DO_EPROP[1]`)"),
          flag("update_output", &EpropConfig::update_output, "output weights learn (`SPI_DO_EPROP[2]`)"),
          flag("force_traces", &EpropConfig::force_traces,
               "the traces run with learning off (`SPI_FORCE_TRACES`)"),
          small("trace_shift_input", 0, 8, 3, &EpropConfig::trace_shift_input,
                "input trace (12 bits): an input event adds `8 << s`, learning uses `trace >> s` (`SPI_FP_LOC_TINP`)"),
          small("trace_shift_recurrent", 0, 8, 4, &EpropConfig::trace_shift_recurrent,
                "recurrent trace (12 bits): a spike adds `8 << s`, learning uses `trace >> s` (`SPI_FP_LOC_TREC`)"),
          small("trace_shift_output", 0, 8, 6, &EpropConfig::trace_shift_output,
                "output trace (10 bits): a spike adds `2 << s`, learning uses `trace >> s` (`SPI_FP_LOC_TOUT`)"),
          small("learning_signal_shift", 0, 15, 5, &EpropConfig::learning_signal_shift,
                "`L_j = sat16(floor(Σ_k e_k · W_out[j][k] · 2^s / 2^12))` (`SPI_LEARN_SIG_SCALE`)"),
          with(enum_key("output_activation", {"hard_sigmoid", "identity"}, "`hard_sigmoid`",
                        "the readouts' activation in the output error: `y = clamp((v + 2048) >> 1, 0, 2048)`, or "
                        "`identity` `y = v` (`SPI_NO_OUT_ACT`) (SPEC §6.3)"),
               int_member(&EpropConfig::output_activation)),
          element("h_threshold_0", -32768, 32767, 205, &EpropConfig::h_thresholds, 0,
                  "pseudo-derivative: `u < h_threshold_0` gives `h_level_0` (`SPI_THR_H_0`)"),
          element("h_threshold_1", -32768, 32767, 205, &EpropConfig::h_thresholds, 1, "`SPI_THR_H_1`"),
          element("h_threshold_2", -32768, 32767, 205, &EpropConfig::h_thresholds, 2, "`SPI_THR_H_2`"),
          element("h_threshold_3", -32768, 32767, 205, &EpropConfig::h_thresholds, 3,
                  "`u ≥ h_threshold_3` gives `h_level_4` (`SPI_THR_H_3`)"),
          element("h_level_0", -16, 15, 0, &EpropConfig::h_levels, 0, "5-bit signed level (`SPI_H_0`)"),
          element("h_level_1", -16, 15, 0, &EpropConfig::h_levels, 1, "`SPI_H_1`"),
          element("h_level_2", -16, 15, 0, &EpropConfig::h_levels, 2, "`SPI_H_2`"),
          element("h_level_3", -16, 15, 0, &EpropConfig::h_levels, 3, "`SPI_H_3`"),
          element("h_level_4", -16, 15, 1, &EpropConfig::h_levels, 4, "`SPI_H_4`"),
          small("rate_input_p", 0, 31, 8, &EpropConfig::rate_input_p,
                "input weights: `q = min(|P| << p, 2^32 − 1) >> r` (`SPI_LR_P_WINP`)"),
          small("rate_input_r", 0, 31, 0, &EpropConfig::rate_input_r, "`SPI_LR_R_WINP`"),
          small("rate_recurrent_p", 0, 31, 8, &EpropConfig::rate_recurrent_p, "`SPI_LR_P_WREC`"),
          small("rate_recurrent_r", 0, 31, 0, &EpropConfig::rate_recurrent_r, "`SPI_LR_R_WREC`"),
          small("rate_output_p", 0, 27, 14, &EpropConfig::rate_output_p,
                "output weights: `q = min(|P| << p, 2^28 − 1) >> r` (`SPI_LR_P_WOUT`)"),
          small("rate_output_r", 0, 27, 0, &EpropConfig::rate_output_r, "`SPI_LR_R_WOUT`"),
          with(enum_key("regularizer", {"none", "multiplicative", "additive", "both"}, "`none`",
                        "firing-rate regulariser on `ρ_j = max(0, (z̄_j >> trace_shift_recurrent) − f0)` "
                        "(`SPI_REGUL_MODE`)"),
               int_member(&EpropConfig::regularizer)),
          small("regularizer_f0", 0, 4095, 160, &EpropConfig::regularizer_f0, "`SPI_REGUL_F0`"),
          small("regularizer_input_p", 0, 31, 10, &EpropConfig::regularizer_input_p,
                "additive: `P −= (ρ << p) >> r` for input weights (`SPI_REGUL_K_INP_P`)"),
          small("regularizer_input_r", 0, 31, 0, &EpropConfig::regularizer_input_r, "`SPI_REGUL_K_INP_R`"),
          small("regularizer_recurrent_p", 0, 31, 10, &EpropConfig::regularizer_recurrent_p, "`SPI_REGUL_K_REC_P`"),
          small("regularizer_recurrent_r", 0, 31, 0, &EpropConfig::regularizer_recurrent_r, "`SPI_REGUL_K_REC_R`"),
          small("regularizer_mul_shift", 0, 15, 0, &EpropConfig::regularizer_mul_shift,
                "multiplicative: a positive P is scaled by `(16 − min(ρ >> s, 16)) / 16` (`SPI_REGUL_K_MUL`)"),
          seed("seed_input", (int64_t{1} << 25) - 1, "0x1", &EpropConfig::seed_input,
               "input-weight LFSR (25 bits; `SPI_SEED_INP`; default its reset value)"),
          seed("seed_recurrent", (int64_t{1} << 25) - 1, "0x424242", &EpropConfig::seed_recurrent,
               "recurrent-weight LFSR (`SPI_SEED_REC`)"),
          seed("seed_output", (int64_t{1} << 22) - 1, "0x1", &EpropConfig::seed_output,
               "output-weight LFSR (22 bits; `SPI_SEED_OUT`)"),
          seed("seed_trace_input", (int64_t{1} << 60) - 1, "0x3FE79348", &EpropConfig::seed_trace_input,
               "input-trace decay LFSRs, 15 bits per lane like `rounding.membrane_seed` (`SPI_SEED_STRND_TINP`)"),
          seed("seed_trace_recurrent", (int64_t{1} << 60) - 1, "0x3DF54321", &EpropConfig::seed_trace_recurrent,
               "`SPI_SEED_STRND_TREC`"),
          seed("seed_trace_output", (int64_t{1} << 60) - 1, "0x3F783FF3", &EpropConfig::seed_trace_output,
               "`SPI_SEED_STRND_TOUT`"),
      };
    }

    Map& noise = add("chip.cores[].noise", "`noise` (SPEC §2.6)",
                     "Membrane noise as ReckOn adds it: every neuron word PROP writes draws 32 bits from a "
                     "17-bit LFSR, and each of its (at most two) neurons adds its 16-bit lane, signed, shifted "
                     "right by `shift`.");
    {
      Key seed = int_key("seed", 1, 0x1FFFF, "`0x1F0F1`",
                         "the noise LFSR's 17-bit seed (`SPI_SEED_NOISE_NEUR`; the default is its reset value)");
      seed.hex = true;
      noise.keys = {
          with(typed_key("enabled", Kind::kBool, "`false`", "`SPI_NOISE_EN`; needs `memory.neurons_per_word` ≤ 2"),
               int_member(&hw::NoiseConfig::enabled)),
          with(int_key("shift", 0, 15, "`0`", "the draw is shifted right (arithmetically) by this (`SPI_NOISE_STR`)"),
               int_member(&hw::NoiseConfig::shift)),
          with(seed, int_member(&hw::NoiseConfig::seed)),
      };
    }

    Map& weights = add("chip.cores[].weights", "`weights` (SPEC §2.2)");
    {
      Key bits = int_key("bits", 2, 8, "`8`",
                         "signed weight width b; every weight of the core must lie in [−2^(b−1), 2^(b−1) − 1]");
      bits.int_set = {2, 4, 8};
      weights.keys = {
          with(bits, int_member(&WeightParams::bits)),
          with(int_key("input_shift", 0, fxp::kMaxWeightShift, "`3`",
                       "input weights are shifted left by this before accumulation"),
               int_member(&WeightParams::input_shift)),
          with(int_key("recurrent_shift", 0, fxp::kMaxWeightShift, "`3`",
                       "same for recurrent (neuron → neuron) weights"),
               int_member(&WeightParams::recurrent_shift)),
          with(int_key("output_shift", 0, fxp::kMaxWeightShift, "`3`", "same for output (neuron → readout) weights"),
               int_member(&WeightParams::output_shift)),
      };
    }

    Map& sram = add("sram", "`{words, word_bits}` (an SRAM macro, SPEC §3)",
                    "A key left out keeps the default of that SRAM (see `memory`).");
    sram.keys = {
        with(words_key(), int_member(&SramGeometry::words)),
        with(int_key("word_bits", 8, 4096, "`128`", "width of a word", "bits"), int_member(&SramGeometry::word_bits)),
        round_key(),
    };

    Map& memory = add("chip.cores[].memory", "`memory` (SPEC §3)");
    {
      auto sram_key = [&sram](const std::string& name, SramGeometry CoreMemoryConfig::*m, const std::string& dflt,
                              const std::string& doc) {
        Key k = map_key(name, sram, dflt, doc);
        k.emit_flow = true;
        k.access = child_member(m);
        return k;
      };
      memory.keys = {
          with(int_key("max_inputs", 1, 65536, "`256`", "input axon slots the core is built for", "slots"),
               int_member(&CoreMemoryConfig::max_inputs)),
          with(int_key("max_neurons", 1, 65536, "`256`", "spiking neuron slots", "slots"),
               int_member(&CoreMemoryConfig::max_neurons)),
          with(int_key("max_readouts", 0, 4096, "`16`", "readout registers", "slots"),
               int_member(&CoreMemoryConfig::max_readouts)),
          with(int_key("neurons_per_word", 1, 4096, "`2`", "neuron states P packed per neuron-SRAM word (§3.1)"),
               int_member(&CoreMemoryConfig::neurons_per_word)),
          with(typed_key("word_parameters", Kind::kBool, "`false`",
                         "each neuron-SRAM word holds a threshold (16 b, signed) and an alpha (0x7000–0x8FFF: 12 b "
                         "in the word and a 0x7/0x8 configuration bit) shared by its neurons, ReckOn's layout, "
                         "instead of the core's registers; neuron populations may then set their own "
                         "(`workload.populations[].neuron`); needs 28 free bits per word (§3.1)"),
               int_member(&CoreMemoryConfig::word_parameters)),
          sram_key("neuron_sram", &CoreMemoryConfig::neuron_sram, "`{words: 128, word_bits: 128}`",
                   "neuron state memory"),
          sram_key("input_weight_sram", &CoreMemoryConfig::input_weight_sram, "`{words: 4096, word_bits: 128}`",
                   "input → neuron crossbar"),
          sram_key("recurrent_weight_sram", &CoreMemoryConfig::recurrent_weight_sram,
                   "`{words: 4096, word_bits: 128}`", "neuron → neuron crossbar"),
          sram_key("output_weight_sram", &CoreMemoryConfig::output_weight_sram, "`{words: 256, word_bits: 128}`",
                   "neuron → readout crossbar"),
          with(enum_key("synapses", {"crossbar", "sparse"}, "`crossbar`",
                        "how the input and recurrent synapses are stored: `crossbar`, the two dense weight SRAMs "
                        "above (§3.2); `sparse`, per presynaptic index a list of its non-zero synapses in "
                        "`synapse_list_sram`, found through `axon_table` (§3.4; the two crossbar SRAMs are then not "
                        "built and their keys are ignored; no `learning`, no `noise`). Readout weights stay a crossbar"),
               int_member(&CoreMemoryConfig::synapses)),
          sram_key("axon_table", &CoreMemoryConfig::axon_table, "`{words: 256, word_bits: 64}`",
                   "sparse cores: one entry per presynaptic index, max(max_inputs, max_neurons) words; an entry holds "
                   "the base word and length in words of the index's input and recurrent lists (§3.4)"),
          sram_key("synapse_list_sram", &CoreMemoryConfig::synapse_list_sram, "`{words: 4096, word_bits: 128}`",
                   "sparse cores: the synapse lists, floor(word_bits / (ceil(log2(max_neurons)) + weights.bits)) "
                   "(target, weight) entries per word; `words: auto` holds the densest network the capacities allow "
                   "(§3.4)"),
      };
    }

    Map& timing = add("chip.cores[].timing", "`timing` (SPEC §4.1)",
                      "The defaults are ReckOn's profile of SPEC §4.2 except `step_tail_cycles`, which ReckOn sets "
                      "to 0, and `input_only_cycles`, which ReckOn spends only with input-weight learning or "
                      "forced traces (0 in inference).");
    timing.keys = {
        with(int_key("tick_sync_cycles", 0, 1'000'000, "`3`", "SYNC phase length", "cycles"),
             int_member(&TimingProfile::tick_sync_cycles)),
        with(int_key("neuron_word_cycles", 1, 1'000'000, "`2`",
                     "cycles per neuron-SRAM word in the STEP and PROP sweeps", "cycles"),
             int_member(&TimingProfile::neuron_word_cycles)),
        with(int_key("step_tail_cycles", 0, 1'000'000, "`1`", "cycles after the STEP sweep", "cycles"),
             int_member(&TimingProfile::step_tail_cycles)),
        with(int_key("step_done_cycles", 0, 1'000'000, "`1`", "STEP_DONE phase length", "cycles"),
             int_member(&TimingProfile::step_done_cycles)),
        with(int_key("scan_cycles_per_index", 1, 1'000'000, "`1`", "PROP scanner cycles per presynaptic index",
                     "cycles"),
             int_member(&TimingProfile::scan_cycles_per_index)),
        with(int_key("input_only_cycles", 0, 1'000'000, "`2`",
                     "extra PROP cycles per active input index ≥ the enabled neurons", "cycles"),
             int_member(&TimingProfile::input_only_cycles)),
        with(enum_key("step_length", {"words", "counter"}, "`words`",
                      "STEP's sweep: `words` lasts `max(W_n · c, I, O)` cycles and writes every neuron word; "
                      "`counter` (ReckOn) lasts `max(R, I, O)` and does not write a word whose write cycle "
                      "falls after that — with an odd R that is the last, half-used word, whose neuron then "
                      "never leaks, spikes or resets (it still integrates) (SPEC §4.1)"),
             int_member(&TimingProfile::step_length)),
        with(int_key("axon_lookup_cycles", 0, 1'000'000, "`1`",
                     "sparse cores: PROP cycles per active index for its axon-table read (SPEC §4.1)", "cycles"),
             int_member(&TimingProfile::axon_lookup_cycles)),
        with(int_key("synapse_word_cycles", 0, 1'000'000, "`1`",
                     "sparse cores: PROP cycles per synapse-list word read and applied to its targets (SPEC §4.1)",
                     "cycles"),
             int_member(&TimingProfile::synapse_word_cycles)),
        with(int_key("send_cycles", 0, 1'000'000, "`4`",
                     "SEND phase on a sample's last tick: the label handshake with a host that answers at once "
                     "(SPEC §4.5)",
                     "cycles"),
             int_member(&TimingProfile::send_cycles)),
    };

    Key clock_key = map_key("clock", clock, "", "");
    clock_key.alternative = "clock_mhz";
    clock_key.custom = true;
    clock_key.emit_flow = true;
    Key clock_mhz = int_key("clock_mhz", 1, 10000, "",
                            "the clock as a frequency, accepted where 10^6 / clock_mhz is an integer number of ps "
                            "(otherwise an error says which `period_ps` to write)",
                            "MHz");
    clock_mhz.alternative = "clock";
    clock_mhz.custom = true;

    Map& core = add("chip.cores[]", "`chip.cores[]`");
    {
      Key core_clock = clock_key;
      core_clock.default_text = "the chip's clock";
      core_clock.doc = "the core's own clock (SPEC §5.1)";
      core.keys = {
          with(required(typed_key("name", Kind::kName, "",
                                  "unique; referred to by `workload.populations[].core`")),
               string_member(&CoreConfig::name)),
          core_clock,
          clock_mhz,
          with(map_key("neuron", neuron, "all defaults", "spiking neuron model and parameters"),
               child_member(&CoreConfig::neuron)),
          with(map_key("readout", readout, "all defaults", "readout parameters"), child_member(&CoreConfig::readout)),
          with(map_key("rounding", rounding, "all defaults", "rounding of the leaks"),
               child_member(&CoreConfig::rounding)),
          with(map_key("noise", noise, "off", "membrane noise"), child_member(&CoreConfig::noise)),
          with(map_key("learning", learning, "off", "the e-prop learning engine"), child_member(&CoreConfig::learning)),
          with(map_key("weights", weights, "all defaults", "weight format"), child_member(&CoreConfig::weights)),
          with(map_key("memory", memory, "all defaults", "slot capacities and SRAM geometry"),
               child_member(&CoreConfig::memory)),
          with(map_key("timing", timing, "all defaults", "cycle costs of the timestep schedule"),
               child_member(&CoreConfig::timing)),
      };
      core.keys[0].custom = true;  // the decoder needs to know whether the name was valid
      for (Key& k : core.keys)
        if (k.name == "weights" || k.name == "timing") k.emit_flow = true;
    }

    Map& energy = add("chip.energy", "`chip.energy` (docs/energy.md)",
                      "The energy and area model: a run's counted events (SRAM words, synaptic events, neuron "
                      "updates, spikes, learning updates, cycles) priced by a table of per-event energies, static "
                      "power and area parameters, each entry with its source. The run's `stats.json` then holds "
                      "`stats.energy.*` and `stats.area.*`; `neurochip check` prints the area.");
    energy.keys = {required(typed_key("table", Kind::kPath, "",
                                      "the energy table file (YAML; `configs/energy/` ships ReckOn, ODIN and Loihi "
                                      "tables)"))};

    Map& noc = add("chip.noc", "`chip.noc` (SPEC §7)",
                   "The address-event network between the cores: clockless routers on a grid joined by "
                   "bundled-data links with 4-phase handshakes, input FIFOs with backpressure, round-robin "
                   "arbitration, dimension-order routing. Core k sits at router k (x = k mod width, y = k div "
                   "width). Without it the cores are not connected.");
    {
      using hw::noc::NocConfig;
      using hw::noc::NocTiming;
      auto timing_int = [](const std::string& name, int64_t lo, int64_t hi, int64_t dflt, auto NocTiming::*m,
                           const std::string& doc, const std::string& unit) {
        Key k = int_key(name, lo, hi, "`" + std::to_string(dflt) + "`", doc, unit);
        k.access.get_int = [m](const void* s) {
          return static_cast<int64_t>(static_cast<const NocConfig*>(s)->timing.*m);
        };
        k.access.set_int = [m](void* s, int64_t v) {
          using T = std::remove_reference_t<decltype(static_cast<NocConfig*>(s)->timing.*m)>;
          static_cast<NocConfig*>(s)->timing.*m = static_cast<T>(v);
        };
        return k;
      };
      // Written back only where they apply: the loader gives a fixed-policy chip its window.
      const auto fixed_only = [](Key k) {
        k.access.present = [](const void* s) { return static_cast<const NocConfig*>(s)->window_cycles != 0; };
        return k;
      };
      noc.keys = {
          with(enum_key("topology", {"mesh", "torus"}, "`mesh`",
                        "`mesh`: a W × H grid; `torus`: the grid with wrap-around links (each dimension goes the "
                        "shorter way; without virtual channels it can deadlock, which is reported)"),
               int_member(&NocConfig::topology)),
          with(int_key("width", 1, 256, "required", "routers along x", "routers"), int_member(&NocConfig::width)),
          with(int_key("height", 1, 256, "required", "routers along y", "routers"), int_member(&NocConfig::height)),
          timing_int("request_ps", 1, 1'000'000, 100, &NocTiming::request_ps,
                     "delay of a link's request wire (and its bundled data)", "ps"),
          timing_int("acknowledge_ps", 1, 1'000'000, 100, &NocTiming::acknowledge_ps,
                     "delay of a link's acknowledge wire", "ps"),
          timing_int("router_ps", 0, 10'000'000, 200, &NocTiming::router_ps,
                     "from a packet in an input FIFO to its request at the output port (route, arbitrate, switch)",
                     "ps"),
          timing_int("fifo_depth", 1, 1024, 2, &NocTiming::fifo_depth, "packets per router input FIFO", "packets"),
          timing_int("link_bits", 1, 1024, 32, &NocTiming::link_bits,
                     "data wires per link: a packet of b bits takes ceil(b / link_bits) handshakes", "bits"),
          with(enum_key("multicast", {"source", "table"}, "`source`",
                        "how a spike reaches several cores: `source`, one unicast packet per destination core sent "
                        "by the source core (Loihi); `table`, one packet carrying the neuron's key, copied by "
                        "key/mask routing tables in the routers along the dimension-order paths (SpiNNaker)"),
               int_member(&NocConfig::multicast)),
          with(int_key("table_entries", 1, 1'000'000, "`1024`",
                       "`table`: routing-table entries per router (one per neuron whose spikes pass it)", "entries"),
               int_member(&NocConfig::table_entries)),
          with(enum_key("integration", {"canonical", "arrival"}, "`canonical`",
                        "the order a core's PROP integrates its events in: `canonical`, ascending canonical index "
                        "(any mapping spikes as one core holding the network); `arrival`, by arrival time, each "
                        "event on its own (an asynchronous core), its difference from the canonical order counted "
                        "in stats.chip.noc.order_differences (SPEC §7.9)"),
               int_member(&NocConfig::integration)),
          fixed_only(with(int_key("window_cycles", 1, 1'000'000'000'000, "`cycles_per_timestep`",
                       "fixed policy: a timestep's spikes must reach their cores within this many chip clock cycles "
                       "after its tick; one arriving later is late (SPEC §7.8)",
                       "cycles"),
               int_member(&NocConfig::window_cycles))),
          fixed_only(with(enum_key("late_spikes", {"next", "drop"}, "`next`",
                        "fixed policy: a late spike is integrated in the window it arrives in (`next`) or dropped "
                        "(`drop`); both are counted with their delays"),
               int_member(&NocConfig::late_spikes))),
      };
    }

    Map& chip = add("chip", "`chip`", "The hardware: clock, timestep policy, cores, the network between them.");
    {
      Key chip_clock = clock_key;
      chip_clock.default_text = "`{period_ps: 10000}` (100 MHz)";
      chip_clock.doc = "the chip clock: the tick generator's and that of every core without its own (SPEC §5.1)";
      Key cores = required(typed_key("cores", Kind::kList, "",
                                     "the cores of the chip, non-empty, names unique; a core's index in this list is "
                                     "the `core` column of the outputs. Or `{count: N, template: {name: core, ...}}`: N "
                                     "copies of one core named `core0` … `core<N-1>` (sweepable as `chip.cores.count`)"));
      cores.list_generator = true;
      cores.map = &core;
      cores.custom = true;
      chip.keys = {
          with(typed_key("name", Kind::kName, "`chip`", "label of the run in messages and summaries (stat names do not carry it)"),
               string_member(&ChipConfig::name)),
          chip_clock,
          clock_mhz,
          with(map_key("timestep", timestep, "see below", "when timesteps start (SPEC §5.2)"),
               child_member(&ChipConfig::timestep)),
          [&energy] {
            Key k = map_key("energy", energy, "none", "estimate energy, power and area from the run's events");
            k.custom = true;
            k.emit_flow = true;
            return k;
          }(),
          cores,
          [&noc] {
            Key k = with(map_key("noc", noc, "none", "the address-event network between the cores (SPEC §7)"),
                         child_member(&ChipConfig::noc));
            k.access.present = [](const void* s) { return static_cast<const ChipConfig*>(s)->noc.enabled; };
            return k;
          }(),
      };
    }

    Map& poisson = add("workload.inputs[].poisson", "`workload.inputs[].poisson`");
    {
      Key rate = required(typed_key("rate_hz", Kind::kNumber, "",
                                    "independent Bernoulli spikes per channel and timestep with p = "
                                    "`rate_hz · duration_us · 10^-6`"));
      rate.unit = "Hz";
      rate.range_note = "at most 10^6 / `duration_us` (one spike per timestep)";
      poisson.keys = {rate, typed_key("seed", Kind::kUInt64, "derived", "seed of this input's random stream")};
    }

    Map& population_neuron =
        add("workload.populations[].neuron", "`workload.populations[].neuron`",
            "The threshold and leak factor of the neuron words a neuron population occupies, on a core with "
            "`memory.word_parameters: true` (SPEC §3.1); the core's `neuron` values hold for the words no "
            "population sets. A word shared by two populations must get the same values from both.");
    {
      Key alpha = int_key("alpha", hw::kWordAlphaMin, hw::kWordAlphaMax, "the core's `neuron.alpha`",
                          "the words' leak factor, unsigned 1.15 (SPEC §2.3)");
      alpha.hex = true;
      population_neuron.keys = {
          int_key("threshold", fxp::kPotentialMin, fxp::kPotentialMax, "the core's `neuron.threshold`",
                  "the words' spike threshold, signed 16-bit (SPEC §2.4)"),
          alpha,
      };
    }

    Map& population = add("workload.populations[]", "`workload.populations[]`");
    {
      Key size = required(int_key("size", 1, std::numeric_limits<uint32_t>::max(), "", "number of slots", "slots"));
      population.keys = {
          required(typed_key("name", Kind::kName, "", "unique across all kinds; referred to by projections and inputs")),
          required(enum_key("kind", {"input", "neuron", "readout"}, "",
                            "which slots it occupies: input axons, spiking neurons or readouts (SPEC §1)")),
          size,
          typed_key("core", Kind::kString, "the only core",
                    "a `chip.cores[].name`, or `auto` on a chip with a network: the loader places it (Placement, "
                    "below); required when the chip has more than one core"),
          map_key("neuron", population_neuron, "the core's",
                  "kind `neuron` only: the threshold and alpha of its neuron words (word parameters, below)"),
      };
    }

    Map& projection = add("workload.projections[]", "`workload.projections[]`");
    {
      const Condition generated{"connectivity", {"dense", "one_to_one", "random"}};
      Key weight = int_key("weight", -128, 127, "", "constant weight of every synapse");
      weight.range_note = "fits the core's `weights.bits`";
      weight.alternative = "weight_uniform";
      weight.only_with = generated;
      weight.required = true;
      Key uniform = typed_key("weight_uniform", Kind::kIntPair, "",
                              "weights drawn uniformly from the integers min..max (min ≤ max)");
      uniform.range_note = weight.range_note;
      uniform.alternative = "weight";
      uniform.only_with = generated;
      uniform.required = true;
      Key probability = typed_key("probability", Kind::kNumber, "", "each pair connected independently");
      probability.number_max = 1;
      probability.only_with = Condition{"connectivity", {"random"}};
      probability.required = true;
      Key synapses = typed_key("synapses", Kind::kTripleList, "",
                               "the `[pre, post, weight]` triples, indices within the populations");
      synapses.only_with = Condition{"connectivity", {"list"}};
      synapses.required = true;
      Key file = typed_key("file", Kind::kPath, "", "CSV of `pre,post,weight` lines");
      file.only_with = Condition{"connectivity", {"file"}};
      file.required = true;
      projection.keys = {
          required(typed_key("from", Kind::kString, "", "presynaptic population")),
          required(typed_key("to", Kind::kString, "", "postsynaptic population")),
          enum_key("connectivity", {"dense", "one_to_one", "random", "list", "file"}, "`dense`",
                   "which pairs are connected (below)"),
          weight,
          uniform,
          probability,
          synapses,
          file,
          typed_key("seed", Kind::kUInt64, "derived", "seed of this projection's random stream"),
      };
    }

    Map& input = add("workload.inputs[]", "`workload.inputs[]`");
    {
      Key poisson_key = map_key("poisson", poisson, "", "Poisson stimulus");
      poisson_key.alternative = "trace";
      poisson_key.required = true;
      poisson_key.emit_flow = true;
      Key trace = typed_key("trace", Kind::kPath, "", "CSV of `timestep,index[,offset_ps]` events (below)");
      trace.alternative = "poisson";
      trace.required = true;
      input.keys = {required(typed_key("population", Kind::kString, "", "an `input` population")), poisson_key, trace};
    }

    Map& test_set = add("workload.samples.test", "`workload.samples.test`",
                        "A pass over these samples with learning off after each epoch's training pass.");
    {
      Key labels = typed_key("labels", Kind::kPath, "none", "`format: csv`: CSV of `sample,label` lines");
      labels.only_with = Condition{"format", {"csv"}};
      labels.access = string_member(&TestSet::labels);
      test_set.keys = {
          with(required(typed_key("file", Kind::kPath, "", "the test dataset")), string_member(&TestSet::file)),
          with(enum_key("format", {"csv", "reckon"}, "`csv`", "as `samples.format`"), int_member(&TestSet::format)),
          labels,
          with(int_key("count", 1, 1'000'000, "all", "the first `count` samples of the file", "samples"),
               int_member(&TestSet::count)),
      };
    }

    Map& samples = add("workload.samples", "`workload.samples` (SPEC §4.5)",
                       "A run as a sequence of samples of equal length, each reset at its start, its readouts "
                       "voting over the last ticks and its label sent at its end (ReckOn's protocol).");
    {
      Key labels = typed_key("labels", Kind::kPath, "none", "`format: csv`: CSV of `sample,label` lines (the targets)");
      labels.only_with = Condition{"format", {"csv"}};
      labels.access = string_member(&SampleSet::labels);
      Key per_sample = int_key("timesteps", 2, 10'000'000, "`reckon`: the file's",
                               "timesteps per sample; `format: reckon` files give it (the end marker), and a value "
                               "given must equal it",
                               "timesteps");
      per_sample.custom = true;
      samples.keys = {
          required(typed_key("population", Kind::kString, "", "the `input` population the samples' events drive")),
          with(required(typed_key("file", Kind::kPath, "", "the dataset (below)")), string_member(&SampleSet::file)),
          with(enum_key("format", {"csv", "reckon"}, "`csv`",
                        "`csv`: `sample,timestep,index` lines; `reckon`: ReckOn's released dataset format"),
               int_member(&SampleSet::format)),
          labels,
          per_sample,
          with(int_key("count", 1, 1'000'000, "all", "run the first `count` samples of the file", "samples"),
               int_member(&SampleSet::count)),
          with(int_key("epochs", 1, 100'000, "`1`", "passes over the training samples (each followed by the test pass)"),
               int_member(&SampleSet::epochs)),
          [] {
            Key k = typed_key("shuffle_seed", Kind::kUInt64, "file order",
                              "training samples are reshuffled each epoch, seeded by `shuffle_seed + epoch`");
            k.custom = true;
            return k;
          }(),
          [&test_set] {
            Key k = map_key("test", test_set, "none", "the test pass after each epoch (below)");
            k.custom = true;
            return k;
          }(),
          with(int_key("supervise_from", 0, 10'000'000, "none",
                       "ticks ≥ `supervise_from` of a sample with a target are supervised: the learning engine "
                       "updates in their EPROP phase (ReckOn's TARGET_VALID); less than `timesteps`",
                       "timesteps"),
               int_member(&SampleSet::supervise_from)),
          with(int_key("infer_from", 0, 10'000'000, "`0`",
                       "ticks ≥ `infer_from` of each sample vote in STEP_DONE (ReckOn's INFER_ACC); less than "
                       "`timesteps`",
                       "timesteps"),
               int_member(&SampleSet::infer_from)),
      };
      samples.keys[0].custom = true;
    }

    Map& workload = add("workload", "`workload`", "The network mapped onto the cores and its stimulus.");
    {
      Key samples_key = map_key("samples", samples, "none", "the run as a sequence of samples (below)");
      samples_key.alternative = "timesteps";
      samples_key.custom = true;
      Key populations = required(typed_key("populations", Kind::kList, "", "named groups of slots of one core"));
      populations.map = &population;
      populations.custom = true;
      Key projections = typed_key("projections", Kind::kList, "empty", "synapse blocks between populations");
      projections.map = &projection;
      projections.custom = true;
      Key inputs = typed_key("inputs", Kind::kList, "empty", "stimulus of input populations");
      inputs.map = &input;
      inputs.custom = true;
      Key timesteps = int_key("timesteps", 1, 10'000'000, "",
                              "length of the run; with `samples`, samples × timesteps per sample instead",
                              "timesteps");
      timesteps.alternative = "samples";
      timesteps.required = true;
      timesteps.custom = true;
      timesteps.access = int_member(&WorkloadConfig::timesteps);
      workload.keys = {
          timesteps,
          with(typed_key("seed", Kind::kUInt64, "`1`", "root of every seed that is not given explicitly"),
               int_member(&WorkloadConfig::seed)),
          populations,
          projections,
          inputs,
          samples_key,
      };
    }

    Map& top = add("", "run description", "One YAML file: `chip:` (hardware) and `workload:` (network, stimulus).");
    top.keys = {required(map_key("chip", chip, "", "the hardware")),
                required(map_key("workload", workload, "", "the workload"))};
    for (Key& k : top.keys) k.custom = true;
    root = &top;
  }
};

const Tree& tree() {
  static const Tree t;
  return t;
}

void collect(const Map& m, std::vector<const Map*>& out) {
  for (const Map* seen : out)
    if (seen == &m) return;
  out.push_back(&m);
  for (const Key& k : m.keys)
    if (k.map) collect(*k.map, out);
}

}  // namespace

const Map& root() { return *tree().root; }

const Map& map_at(std::string_view path) {
  const auto it = tree().maps.find(std::string(path));
  if (it == tree().maps.end()) throw std::logic_error("schema: no mapping '" + std::string(path) + "'");
  return *it->second;
}

std::vector<const Map*> all_maps() {
  std::vector<const Map*> out;
  collect(root(), out);
  return out;
}

std::string expectation(const Key& k) {
  auto fmt = [&k](int64_t v) { return k.hex && v != 0 ? hex_text(v) : std::to_string(v); };
  switch (k.kind) {
    case Kind::kInt:
      if (!k.int_set.empty()) {
        std::string s;
        for (size_t i = 0; i < k.int_set.size(); ++i)
          s += (i == 0 ? "" : (i + 1 == k.int_set.size() ? " or " : ", ")) + std::to_string(k.int_set[i]);
        return s;
      }
      if (k.max == kNoMax) return "an integer >= " + fmt(k.min) + (k.int_word.empty() ? "" : " or " + k.int_word);
      return "an integer in " + fmt(k.min) + ".." + fmt(k.max) + (k.int_word.empty() ? "" : " or " + k.int_word);
    case Kind::kNumber:
      if (std::isinf(k.number_max))
        return std::string("a number ") + (k.number_min_exclusive ? "> " : ">= ") + number_text(k.number_min);
      return "a number in " + number_text(k.number_min) + ".." + number_text(k.number_max);
    case Kind::kUInt64:
      return "an unsigned 64-bit integer";
    default:
      return "";
  }
}

}  // namespace neurochip::sim::schema
