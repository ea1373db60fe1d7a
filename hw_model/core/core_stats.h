// Statistics of one core (names, units, descriptions), shared by the cycle model, which counts
// them as it works, and the runner, which fills them from the functional reference. SPEC.md §3.3, §4.1.
#pragma once

#include <algorithm>
#include <string>

#include "common/stats.h"
#include "core/core_config.h"
#include "core/core_timing.h"

namespace neurochip::hw {

struct CoreStats {
  StatGroup group;
  StatGroup neuron_sram, input_sram, recurrent_sram, output_sram;
  Counter& timesteps;
  Counter& sync_cycles;
  Counter& step_cycles;
  Counter& step_done_cycles;
  Counter& prop_cycles;
  Distribution& latency;
  Counter& input_events;
  Counter& active_indices;
  Counter& synaptic_events;
  Counter& spikes;
  Counter& neuron_reads;
  Counter& neuron_writes;
  Counter& input_reads;
  Counter& recurrent_reads;
  Counter& output_reads;

  CoreStats(const CoreConfig& cfg, StatGroup& parent)
      : group(cfg.name, &parent),
        neuron_sram("neuron_sram", &group),
        input_sram("input_weight_sram", &group),
        recurrent_sram("recurrent_weight_sram", &group),
        output_sram("output_weight_sram", &group),
        timesteps(group.add_counter("timesteps", "timesteps", "timesteps completed")),
        sync_cycles(group.add_counter("cycles.sync", "cycles", "cycles in SYNC (tick synchronisation)")),
        step_cycles(group.add_counter("cycles.step", "cycles", "cycles in STEP (spike test, leak, reset)")),
        step_done_cycles(group.add_counter("cycles.step_done", "cycles", "cycles in STEP_DONE")),
        prop_cycles(group.add_counter("cycles.prop", "cycles", "cycles in PROP (scan and event integration)")),
        latency(group.add_distribution("timestep_latency", "cycles", "busy cycles per timestep")),
        input_events(group.add_counter("input_events", "events", "input events after merging repeats within a timestep")),
        active_indices(group.add_counter("active_indices", "indices", "presynaptic indices swept in PROP")),
        synaptic_events(group.add_counter("synaptic_events", "events", "synaptic operations (one weight applied to one target)")),
        spikes(group.add_counter("spikes", "spikes", "spikes emitted by the core's neurons")),
        neuron_reads(neuron_sram.add_counter("reads", "words", "neuron-state SRAM word reads")),
        neuron_writes(neuron_sram.add_counter("writes", "words", "neuron-state SRAM word writes")),
        input_reads(input_sram.add_counter("reads", "words", "input-weight SRAM word reads")),
        recurrent_reads(recurrent_sram.add_counter("reads", "words", "recurrent-weight SRAM word reads")),
        output_reads(output_sram.add_counter("reads", "words", "output-weight SRAM word reads")) {
    group.add_formula("cycles.busy", "cycles", "sum of all phase cycles", [this] {
      return static_cast<double>(sync_cycles.value() + step_cycles.value() +
                                 step_done_cycles.value() + prop_cycles.value());
    });
    add_configuration(cfg);
  }

  /// What the core is built with and what the workload uses of it (constant during a run).
  void add_configuration(const CoreConfig& cfg) {
    const CoreImage& im = cfg.image;
    group.add_counter("enabled.inputs", "slots", "input axons the workload maps onto the core") += im.inputs;
    group.add_counter("enabled.neurons", "slots", "spiking neurons the workload maps onto the core") += im.neurons;
    group.add_counter("enabled.readouts", "slots", "readouts the workload maps onto the core") += im.readouts;
    const auto nonzero = [](const std::vector<int8_t>& w) {
      return static_cast<uint64_t>(std::count_if(w.begin(), w.end(), [](int8_t x) { return x != 0; }));
    };
    group.add_counter("synapses", "synapses", "non-zero weights stored in the three crossbars") +=
        nonzero(im.input_weights) + nonzero(im.recurrent_weights) + nonzero(im.output_weights);
    const auto bits = [](const SramGeometry& g) { return uint64_t{g.words} * g.word_bits; };
    const CoreMemoryConfig& m = cfg.memory;
    neuron_sram.add_counter("capacity", "bits", "neuron-state SRAM size (words x word_bits)") += bits(m.neuron_sram);
    input_sram.add_counter("capacity", "bits", "input-weight SRAM size (words x word_bits)") += bits(m.input_weight_sram);
    recurrent_sram.add_counter("capacity", "bits", "recurrent-weight SRAM size (words x word_bits)") +=
        bits(m.recurrent_weight_sram);
    output_sram.add_counter("capacity", "bits", "output-weight SRAM size (words x word_bits)") +=
        bits(m.output_weight_sram);
  }

  /// Accounts one completed timestep (phase cycles, latency, events, spikes).
  void record(const CoreTimestepReport& r) {
    ++timesteps;
    sync_cycles += r.cycles.sync;
    step_cycles += r.cycles.step;
    step_done_cycles += r.cycles.step_done;
    prop_cycles += r.cycles.prop;
    latency.sample(r.cycles.total());
    input_events += r.input_events;
    active_indices += r.active_indices;
    spikes += r.spikes;
  }
};

}  // namespace neurochip::hw
