// Utilisation report (SPEC.md §3, §4.1) and, with an energy table, the area estimate
// (docs/energy.md); see utilisation.h.
#include "check/utilisation.h"

#include <algorithm>
#include <cstdio>

#include "common/int_math.h"
#include "memory/synapse_list_layout.h"
#include "core/phase_table.h"
#include "energy/energy_model.h"
#include "memory/neuron_memory.h"

namespace neurochip::sim {
namespace {

std::string percent(uint64_t part, uint64_t whole) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %%", whole ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0);
  return text;
}

std::string of(uint64_t part, uint64_t whole) {
  return std::to_string(part) + " / " + std::to_string(whole) + " (" + percent(part, whole) + ")";
}

std::string area_text(const energy::AreaEstimate& a) {
  char text[128];
  std::snprintf(text, sizeof text, "SRAM %.4f mm2 + logic %.4f mm2 = %.4f mm2", a.sram_mm2, a.logic_mm2, a.total_mm2());
  return text;
}

uint64_t nonzero(const std::vector<int8_t>& m) {
  return static_cast<uint64_t>(std::count_if(m.begin(), m.end(), [](int8_t w) { return w != 0; }));
}

}  // namespace

std::string utilisation_report(const RunConfig& rc) {
  std::string out = "# utilisation (neurochip check; SPEC §3, §4.1)\n";
  for (size_t c = 0; c < rc.chip.cores.size(); ++c) {
    const hw::CoreConfig& core = rc.chip.cores[c];
    const hw::CoreMemoryConfig& mem = core.memory;
    const hw::CoreShape& en = core.enabled;
    const uint32_t P = mem.neurons_per_word;
    const uint64_t state = core.neuron.model().state_bits(core.neuron) + (core.learning.traces() ? 34 : 0);
    const uint64_t word_bits_used = P * state + (mem.word_parameters ? hw::kWordParameterBits : 0);
    out += "# core " + core.name + "\n";
    out += "#   slots: inputs " + of(en.inputs, mem.max_inputs) + ", neurons " + of(en.neurons, mem.max_neurons) +
           ", readouts " + of(en.readouts, mem.max_readouts) + "\n";
    out += "#   neuron_sram: words " + of(hw::ceil_div(en.neurons, P), mem.neuron_sram.words) + ", bits per word " +
           of(word_bits_used, mem.neuron_sram.word_bits) + "\n";
    const hw::CoreImage* im = c < rc.image.cores.size() ? &rc.image.cores[c] : nullptr;
    const struct {
      const char* name;
      const hw::SramGeometry& g;
      uint64_t rows, cols;
      const std::vector<int8_t>* weights;
    } srams[] = {
        {"input_weight_sram", mem.input_weight_sram, en.inputs, en.neurons, im ? &im->input_weights : nullptr},
        {"recurrent_weight_sram", mem.recurrent_weight_sram, en.neurons, en.neurons,
         im ? &im->recurrent_weights : nullptr},
        {"output_weight_sram", mem.output_weight_sram, en.neurons, en.readouts, im ? &im->output_weights : nullptr},
    };
    // A sparse core (SPEC §3.4) has lists instead of the input and recurrent crossbars.
    uint64_t list_words = 0;
    if (mem.sparse()) {
      const uint32_t e = hw::synapse_entries_per_word(mem.synapse_list_sram.word_bits, mem.max_neurons,
                                                      static_cast<uint32_t>(core.weights.bits));
      const auto lists = [&](const std::vector<int8_t>* m, uint64_t rows) {
        for (uint64_t r = 0; m && e > 0 && r < rows; ++r) {
          const auto* row = m->data() + r * en.neurons;
          list_words += hw::synapse_list_words(
              static_cast<uint64_t>(std::count_if(row, row + en.neurons, [](int8_t w) { return w != 0; })), e);
        }
      };
      lists(im ? &im->input_weights : nullptr, en.inputs);
      lists(im ? &im->recurrent_weights : nullptr, en.neurons);
      out += "#   synapse_list_sram: words " + of(list_words, mem.synapse_list_sram.words) + " (" +
             std::to_string(e) + " entries per word), axon_table: entries " +
             of(std::max(en.inputs, en.neurons), mem.axon_table.words) + "\n";
    }
    for (const auto& s : srams) {
      if (mem.sparse() && &s.g != &mem.output_weight_sram) continue;  // not built (SPEC §3.4)
      const uint64_t k = s.g.word_bits / static_cast<uint64_t>(core.weights.bits);
      const uint64_t words = s.rows * hw::ceil_div(s.cols, k);
      out += "#   " + std::string(s.name) + ": words holding an enabled slot " + of(words, s.g.words) +
             ", synapses stored " + of(s.weights ? nonzero(*s.weights) : 0, s.rows * s.cols) + " of the enabled slots\n";
    }
    // Worst-case cycles per timestep, from the phase table's formulas (SPEC §4.1), in the core's
    // clock: an interior tick with no active index and with every index active (the input-only
    // ones updating their traces where that happens), then EPROP's and SEND's extra cycles.
    const uint64_t n = std::max(en.inputs, en.neurons);
    const bool input_only = core.learning.update_input || core.learning.force_traces;
    hw::TimestepContext interior;
    interior.learn = false;
    const hw::TimestepWork all{n, input_only && en.inputs > en.neurons ? en.inputs - en.neurons : 0, list_words};
    const uint64_t idle = hw::phase_cycles_formula(core, en, hw::TimestepWork{}, interior).total();
    const uint64_t busy = hw::phase_cycles_formula(core, en, all, interior).total();
    hw::TimestepContext supervised = interior;
    supervised.learn = supervised.supervise = true;
    const uint64_t eprop = hw::phase_cycles_formula(core, en, all, supervised).total() - busy;
    hw::TimestepContext last;
    last.sample_last = true;
    const hw::PhaseCycles last_tick = hw::phase_cycles_formula(core, en, hw::TimestepWork{}, last);
    const uint64_t send = rc.workload.samples.enabled ? last_tick[hw::kPhaseSend] : 0;
    // The worst single timestep: a supervised one with every index active, or a sample's last
    // tick (STEP, STEP_DONE and SEND, no PROP).
    const uint64_t worst = std::max(busy + eprop, send ? last_tick.total() : 0);
    out += "#   cycles per timestep: no active index " + std::to_string(idle) + ", every index active " +
           std::to_string(busy) + (eprop ? ", + EPROP " + std::to_string(eprop) + " when supervised" : "") +
           (send ? ", a sample's last tick " + std::to_string(last_tick.total()) + " (SEND " + std::to_string(send) + ")" : "") + "; worst " +
           std::to_string(worst) + "\n";
    if (rc.chip.timestep.policy == hw::TimestepPolicy::kFixed) {
      const uint64_t period_ps = rc.chip.timestep.cycles_per_timestep * rc.chip.clock_period_ps;
      const uint64_t worst_ps = worst * core.clock_period_ps.value_or(rc.chip.clock_period_ps);
      out += "#   fixed timestep of " + std::to_string(period_ps) + " ps: the worst case takes " +
             std::to_string(worst_ps) + " ps (" + percent(worst_ps, period_ps) + "), " +
             (worst_ps > period_ps ? "CAN OVERRUN" : "cannot overrun") + "\n";
    }
    if (rc.energy.enabled()) out += "#   area: " + area_text(energy::estimate_area(core, rc.energy.values)) + "\n";
  }
  if (rc.energy.enabled())
    out += "# chip area (table " + rc.energy.values.name + ", docs/energy.md): " +
           area_text(energy::estimate_area(rc.chip, rc.energy.values)) + "\n";
  return out;
}

}  // namespace neurochip::sim
