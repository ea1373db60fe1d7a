// What a run produces, independent of the fidelity that produced it: spikes, per-timestep cycle
// records, final architectural state and access counters (SPEC.md §2-§4). Both backends fill it so
// that tests compare them field by field and the writers in sim/io serialise it.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/core_image.h"
#include "common/aer_types.h"
#include "core/core_timing.h"
#include "core/neuron_model.h"

namespace neurochip::sim {

/// Architectural state of one core (SPEC §2.4-§2.5), comparable across fidelities.
struct CoreState {
  std::vector<std::string> field_names;  ///< the neuron model's state fields, e.g. u, ref (, a)
  std::vector<std::vector<int32_t>> fields;  ///< per field, R values (hw::field_values)
  std::vector<int32_t> readout;          ///< v_k, O entries
  /// With learning (SPEC §6): the weights at the end of the run, dense over the enabled slots as in
  /// hw::CoreImage; empty otherwise (the weights did not change).
  hw::CoreImage learned;
  /// The field named `name` (e.g. "u"); throws std::out_of_range if the model has none.
  const std::vector<int32_t>& field(const std::string& name) const {
    for (size_t f = 0; f < field_names.size(); ++f)
      if (field_names[f] == name) return fields[f];
    throw std::out_of_range("no neuron state field '" + name + "'");
  }
  bool operator==(const CoreState& o) const {
    return field_names == o.field_names && fields == o.fields && readout == o.readout &&
           learned.input_weights == o.learned.input_weights &&
           learned.recurrent_weights == o.learned.recurrent_weights && learned.output_weights == o.learned.output_weights;
  }
};

/// Per core per timestep record (written to timesteps.csv).
using CoreTimestepRecord = hw::CoreTimestepReport;

/// Counters every backend reports (SPEC §3.3), per core.
struct CoreCounters {
  uint64_t neuron_sram_reads = 0, neuron_sram_writes = 0;
  uint64_t input_sram_reads = 0, recurrent_sram_reads = 0, output_sram_reads = 0;
  uint64_t input_sram_writes = 0, recurrent_sram_writes = 0, output_sram_writes = 0;
  uint64_t synaptic_events = 0;
  uint64_t nonzero_synaptic_events = 0;  ///< synaptic events whose weight is non-zero
  uint64_t input_events = 0;         ///< distinct (axon, timestep) events after merging repeats
  uint64_t spikes = 0;
  uint64_t unmapped_input_events = 0;  ///< events to an axon the core does not enable (dropped)
  uint64_t late_input_events = 0;      ///< events that arrived after their window's SYNC latched
  uint64_t axon_table_reads = 0, synapse_list_reads = 0;  ///< sparse cores (SPEC §3.4)
  bool operator==(const CoreCounters& o) const {
    return neuron_sram_reads == o.neuron_sram_reads && neuron_sram_writes == o.neuron_sram_writes &&
           input_sram_reads == o.input_sram_reads && recurrent_sram_reads == o.recurrent_sram_reads &&
           output_sram_reads == o.output_sram_reads && input_sram_writes == o.input_sram_writes &&
           recurrent_sram_writes == o.recurrent_sram_writes && output_sram_writes == o.output_sram_writes &&
           synaptic_events == o.synaptic_events && nonzero_synaptic_events == o.nonzero_synaptic_events &&
           input_events == o.input_events && spikes == o.spikes &&
           unmapped_input_events == o.unmapped_input_events && late_input_events == o.late_input_events &&
           axon_table_reads == o.axon_table_reads && synapse_list_reads == o.synapse_list_reads;
  }
};

/// Outcome of a run, identical in content for both fidelities.
struct RunResult {
  std::vector<hw::EmittedSpike> spikes;            ///< in emission order: timestep, then cycle, core, neuron
  std::vector<CoreTimestepRecord> timesteps;       ///< timestep-major, then core
  std::vector<std::vector<int32_t>> readout_trace; ///< per timestep: all readouts of all cores after PROP
  std::vector<CoreState> final_state;              ///< per core
  std::vector<CoreCounters> counters;              ///< per core
  uint64_t total_cycles = 0;                       ///< end of the last timestep
  uint64_t overruns = 0;                           ///< fixed policy, stretch: timesteps that overran
  bool halted = false;                             ///< fixed policy, halt: stopped by a timing error
  uint64_t timesteps_completed = 0;
  uint64_t output_packets = 0;                     ///< AER packets that left the chip (cycle model)
  uint64_t unmapped_stimulus_packets = 0;          ///< stimulus events to a core the chip lacks
};

}  // namespace neurochip::sim
