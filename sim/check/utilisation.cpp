// Utilisation report (SPEC.md §3, §4.1); see utilisation.h.
#include "check/utilisation.h"

#include <algorithm>
#include <cstdio>

#include "common/int_math.h"
#include "core/core_timing.h"
#include "learning/eprop_engine.h"
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
    for (const auto& s : srams) {
      const uint64_t k = s.g.word_bits / static_cast<uint64_t>(core.weights.bits);
      const uint64_t words = s.rows * hw::ceil_div(s.cols, k);
      out += "#   " + std::string(s.name) + ": words holding an enabled slot " + of(words, s.g.words) +
             ", synapses stored " + of(s.weights ? nonzero(*s.weights) : 0, s.rows * s.cols) + " of the enabled slots\n";
    }
    // Worst-case cycles per timestep (SPEC §4.1), in the core's clock.
    const uint64_t n = std::max(en.inputs, en.neurons);
    const uint64_t sweep = hw::ceil_div(en.neurons, P) * core.timing.neuron_word_cycles;
    const bool input_only = core.learning.update_input || core.learning.force_traces;
    const uint64_t idle = core.timing.tick_sync_cycles + hw::step_sweep_cycles(core, en) + core.timing.step_tail_cycles +
                          core.timing.step_done_cycles + n * core.timing.scan_cycles_per_index;
    const uint64_t busy = idle + n * sweep +
                          (input_only && en.inputs > en.neurons ? (en.inputs - en.neurons) * core.timing.input_only_cycles : 0);
    const uint64_t eprop = core.learning.learns() ? hw::EpropEngine::cycles(core, en.inputs, en.neurons) : 0;
    const uint64_t send = rc.workload.samples.enabled ? core.timing.send_cycles : 0;
    const uint64_t worst = busy + eprop + send;
    out += "#   cycles per timestep: no active index " + std::to_string(idle) + ", every index active " +
           std::to_string(busy) + (eprop ? ", + EPROP " + std::to_string(eprop) + " when supervised" : "") +
           (send ? ", + SEND " + std::to_string(send) + " on a sample's last tick" : "") + "; worst " +
           std::to_string(worst) + "\n";
    if (rc.chip.timestep.policy == hw::TimestepPolicy::kFixed) {
      const uint64_t period_ps = rc.chip.timestep.cycles_per_timestep * rc.chip.clock_period_ps;
      const uint64_t worst_ps = worst * core.clock_period_ps.value_or(rc.chip.clock_period_ps);
      out += "#   fixed timestep of " + std::to_string(period_ps) + " ps: the worst case takes " +
             std::to_string(worst_ps) + " ps (" + percent(worst_ps, period_ps) + "), " +
             (worst_ps > period_ps ? "CAN OVERRUN" : "cannot overrun") + "\n";
    }
  }
  return out;
}

}  // namespace neurochip::sim
