// Statistics of one core (names, units, descriptions), shared by the cycle model, which counts
// them as it works, and the functional reference, which fills them as it goes
// (sim/reference/functional_stats.h). SPEC.md §3.3, §4.1, §5.3. The per-phase cycle counters come
// from the phase table.
#pragma once

#include <algorithm>
#include <array>
#include <memory>
#include <string>

#include "common/stats.h"
#include "core/core_config.h"
#include "core/core_timing.h"

namespace neurochip::hw {

struct CoreStats {
  StatGroup group;
  StatGroup neuron_sram, input_sram, recurrent_sram, output_sram;
  Counter& timesteps;
  std::array<Counter*, kMaxPhases> phase_cycles{};  ///< by PhaseId; null for phases not registered
  Distribution& latency;
  Counter& input_events;
  Counter& active_indices;
  Counter& synaptic_events;
  Counter& nonzero_synaptic_events;
  Counter& spikes;
  Counter& neuron_reads;
  Counter& neuron_writes;
  Counter& input_reads;
  Counter& recurrent_reads;
  Counter& output_reads;
  Counter& input_writes;
  Counter& recurrent_writes;
  Counter& output_writes;
  Counter& unmapped_input_events;
  Counter& late_input_events;
  /// A sparse core's axon table and synapse-list SRAM (SPEC §3.4): registered on sparse cores only,
  /// null on crossbar cores (whose input and recurrent crossbars are the SRAMs above).
  std::unique_ptr<StatGroup> axon_table, synapse_list_sram;
  Counter* axon_table_reads = nullptr;
  Counter* synapse_list_reads = nullptr;

  /// A core built as `cfg` with `synapses` non-zero weights stored.
  CoreStats(const CoreConfig& cfg, uint64_t synapses, StatGroup& parent)
      : group(cfg.name, &parent),
        neuron_sram("neuron_sram", &group),
        input_sram("input_weight_sram", &group),
        recurrent_sram("recurrent_weight_sram", &group),
        output_sram("output_weight_sram", &group),
        timesteps(group.add_counter("timesteps", "timesteps", "timesteps completed")),
        latency(register_phases()),
        input_events(group.add_counter("input_events", "events", "input events after merging repeats within a timestep")),
        active_indices(group.add_counter("active_indices", "indices", "presynaptic indices swept in PROP")),
        synaptic_events(group.add_counter("synaptic_events", "events", "synaptic operations (one weight applied to one target)")),
        nonzero_synaptic_events(group.add_counter("synaptic_events_nonzero", "events",
                                                  "synaptic operations whose weight is non-zero (a stored synapse)")),
        spikes(group.add_counter("spikes", "spikes", "spikes emitted by the core's neurons")),
        neuron_reads(neuron_sram.add_counter("reads", "words", "neuron-state SRAM word reads")),
        neuron_writes(neuron_sram.add_counter("writes", "words", "neuron-state SRAM word writes")),
        input_reads(input_sram.add_counter("reads", "words", "input-weight SRAM word reads")),
        recurrent_reads(recurrent_sram.add_counter("reads", "words", "recurrent-weight SRAM word reads")),
        output_reads(output_sram.add_counter("reads", "words", "output-weight SRAM word reads")),
        input_writes(input_sram.add_counter("writes", "words", "input-weight SRAM word writes")),
        recurrent_writes(recurrent_sram.add_counter("writes", "words", "recurrent-weight SRAM word writes")),
        output_writes(output_sram.add_counter("writes", "words", "output-weight SRAM word writes")),
        unmapped_input_events(group.add_counter("input.unmapped_events", "events",
                                                "input events addressed to an axon the core does not enable (dropped)")),
        late_input_events(group.add_counter("input.late_events", "events",
                                            "input events that arrived after their timestep's SYNC had latched")) {
    group.add_formula("cycles.busy", "cycles", "sum of all phase cycles", [this] {
      uint64_t sum = 0;
      for (const Counter* c : phase_cycles) sum += c ? c->value() : 0;
      return static_cast<double>(sum);
    });
    if (cfg.memory.sparse()) {
      axon_table = std::make_unique<StatGroup>("axon_table", &group);
      synapse_list_sram = std::make_unique<StatGroup>("synapse_list_sram", &group);
      axon_table_reads = &axon_table->add_counter("reads", "words", "axon-table entry reads (one per active index)");
      synapse_list_reads = &synapse_list_sram->add_counter("reads", "words", "synapse-list SRAM word reads");
    }
    add_configuration(cfg, synapses);
  }

  /// Registers one cycle counter per phase of the table, in execution order, then the latency
  /// distribution (returned, so that it can initialise its reference member in order).
  Distribution& register_phases() {
    const PhaseTable& table = PhaseTable::instance();
    for (PhaseId id : table.order())
      phase_cycles[id] = &group.add_counter("cycles." + table[id].name, "cycles", table[id].description);
    return group.add_distribution("timestep_latency", "cycles", "busy cycles per timestep");
  }

  /// What the core is built with and what the workload uses of it (constant during a run).
  void add_configuration(const CoreConfig& cfg, uint64_t synapses) {
    const CoreShape& shape = cfg.enabled;
    group.add_counter("enabled.inputs", "slots", "input axons the workload maps onto the core") += shape.inputs;
    group.add_counter("enabled.neurons", "slots", "spiking neurons the workload maps onto the core") += shape.neurons;
    group.add_counter("enabled.readouts", "slots", "readouts the workload maps onto the core") += shape.readouts;
    group.add_counter("synapses", "synapses", "non-zero weights stored in the three crossbars") += synapses;
    const auto bits = [](const SramGeometry& g) { return uint64_t{g.words} * g.word_bits; };
    const CoreMemoryConfig& m = cfg.memory;
    neuron_sram.add_counter("capacity", "bits", "neuron-state SRAM size (words x word_bits)") += bits(m.neuron_sram);
    if (m.sparse()) {
      axon_table->add_counter("capacity", "bits", "axon-table size (words x word_bits)") += bits(m.axon_table);
      synapse_list_sram->add_counter("capacity", "bits", "synapse-list SRAM size (words x word_bits)") +=
          bits(m.synapse_list_sram);
    } else {
      input_sram.add_counter("capacity", "bits", "input-weight SRAM size (words x word_bits)") += bits(m.input_weight_sram);
      recurrent_sram.add_counter("capacity", "bits", "recurrent-weight SRAM size (words x word_bits)") +=
          bits(m.recurrent_weight_sram);
    }
    output_sram.add_counter("capacity", "bits", "output-weight SRAM size (words x word_bits)") +=
        bits(m.output_weight_sram);
  }

  /// Accounts one completed timestep (phase cycles, latency, events, spikes).
  void record(const CoreTimestepReport& r) {
    ++timesteps;
    for (size_t id = 0; id < phase_cycles.size(); ++id)
      if (phase_cycles[id]) *phase_cycles[id] += r.cycles[static_cast<PhaseId>(id)];
    latency.sample(r.cycles.total());
    input_events += r.input_events;
    active_indices += r.active_indices;
    spikes += r.spikes;
  }
};

}  // namespace neurochip::hw
