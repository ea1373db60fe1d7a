// Energy, power and area model and NeuroBench-style metrics (see energy_model.h; docs/energy.md).
#include "energy/energy_model.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <string>

namespace neurochip::sim::energy {
namespace {

double ratio(double part, double whole) { return whole > 0 ? part / whole : 0.0; }

hw::StatView stat(const std::string& name, const std::string& unit, const std::string& description, double value) {
  return hw::StatView{"stats." + name, unit, description, {{"value", value}}};
}

}  // namespace

double sram_access_pj(const EnergyTable& t, const hw::SramGeometry& g, bool write) {
  const double bits = static_cast<double>(g.word_bits);
  const double capacity = static_cast<double>(g.words) * bits;
  const double per_bit = write ? t.sram_write_pj_per_bit : t.sram_read_pj_per_bit;
  return t.scale * bits * per_bit * std::pow(capacity / t.sram_reference_bits, t.sram_capacity_exponent);
}

uint64_t core_sram_bits(const hw::CoreConfig& core) {
  const hw::CoreMemoryConfig& m = core.memory;
  uint64_t bits = 0;
  for (const auto& sram : hw::core_srams(m)) bits += uint64_t{sram.second->words} * sram.second->word_bits;
  return bits;
}

EnergyEstimate estimate_energy(const hw::ChipConfig& chip, const EnergyTable& t, const RunActivity& run) {
  EnergyEstimate e;
  const double steps = static_cast<double>(run.timesteps);
  uint64_t bits = 0;
  for (size_t c = 0; c < chip.cores.size() && c < run.counters.size(); ++c) {
    const hw::CoreConfig& core = chip.cores[c];
    const CoreCounters& k = run.counters[c];
    const hw::CoreMemoryConfig& m = core.memory;
    const auto rw = [&t](const hw::SramGeometry& g, uint64_t reads, uint64_t writes) {
      return static_cast<double>(reads) * sram_access_pj(t, g, false) +
             static_cast<double>(writes) * sram_access_pj(t, g, true);
    };
    // The macros the core is built with (hw::core_srams): a sparse core's lists instead of the
    // input and recurrent crossbars (SPEC §3.4).
    e.sram_pj += rw(m.neuron_sram, k.neuron_sram_reads, k.neuron_sram_writes) +
                 rw(m.output_weight_sram, k.output_sram_reads, k.output_sram_writes) +
                 (m.sparse() ? rw(m.axon_table, k.axon_table_reads, 0) + rw(m.synapse_list_sram, k.synapse_list_reads, 0)
                             : rw(m.input_weight_sram, k.input_sram_reads, k.input_sram_writes) +
                                   rw(m.recurrent_weight_sram, k.recurrent_sram_reads, k.recurrent_sram_writes));
    const uint64_t synaptic_ops =
        t.synaptic_op_counts == SynapticOpCount::kSwept ? k.synaptic_events : k.nonzero_synaptic_events;
    // Only the learning engine writes weight words (SPEC §3.3, §6.4).
    const uint64_t learning_words = k.input_sram_writes + k.recurrent_sram_writes + k.output_sram_writes;
    e.logic_pj += t.scale * (static_cast<double>(synaptic_ops) * t.synaptic_op_pj +
                             steps * core.enabled.neurons * t.neuron_update_pj +
                             steps * core.enabled.readouts * t.readout_update_pj +
                             static_cast<double>(k.spikes) * t.spike_out_pj +
                             static_cast<double>(learning_words) * t.learning_word_update_pj);
    bits += core_sram_bits(core);
  }
  // The network (SPEC §7.6): router_hop_pj per packet entering a router, router_bit_pj per bit a
  // link carries; 0 on a chip without one.
  e.noc_pj = t.scale * (static_cast<double>(run.router_traversals) * t.router_hop_pj +
                        static_cast<double>(run.link_bits) * t.router_bit_pj);
  e.static_uw = t.sram_leakage_pw_per_bit * 1e-6 * static_cast<double>(bits) +
                t.core_leakage_uw * static_cast<double>(chip.cores.size());
  e.time_ns = static_cast<double>(run.chip_cycles) * static_cast<double>(chip.clock_period_ps) / 1000.0;
  e.real_time_ns = std::max(e.time_ns, steps * chip.timestep.duration_us * 1000.0);
  e.static_pj = e.static_uw * e.time_ns * 1e-3;  // µW · ns = 1e-3 pJ
  return e;
}

AreaEstimate estimate_area(const hw::CoreConfig& core, const EnergyTable& t) {
  AreaEstimate a;
  a.sram_mm2 = static_cast<double>(core_sram_bits(core)) * t.sram_bitcell_um2 * t.sram_periphery_factor * 1e-6;
  a.logic_mm2 = t.core_logic_mm2;
  return a;
}

AreaEstimate estimate_area(const hw::ChipConfig& chip, const EnergyTable& t) {
  AreaEstimate a;
  for (const hw::CoreConfig& core : chip.cores) {
    const AreaEstimate c = estimate_area(core, t);
    a.sram_mm2 += c.sram_mm2;
    a.logic_mm2 += c.logic_mm2;
  }
  return a;
}

std::vector<hw::StatView> model_stats(const hw::ChipConfig& chip, const EnergyConfig& energy, const RunActivity& run) {
  uint64_t dense = 0, effective = 0, spikes = 0, neuron_steps = 0, footprint = 0;
  for (size_t c = 0; c < chip.cores.size() && c < run.counters.size(); ++c) {
    dense += run.counters[c].synaptic_events;
    effective += run.counters[c].nonzero_synaptic_events;
    spikes += run.counters[c].spikes;
    neuron_steps += run.timesteps * chip.cores[c].enabled.neurons;
    footprint += core_sram_bits(chip.cores[c]);
  }
  const double time_ns = static_cast<double>(run.chip_cycles) * static_cast<double>(chip.clock_period_ps) / 1000.0;
  std::vector<hw::StatView> out = {
      stat("neurobench.synaptic_ops_dense", "ops",
           "synaptic operations as the datapath sweeps them: every crossbar slot of an active row, zero weights included",
           static_cast<double>(dense)),
      stat("neurobench.synaptic_ops_effective", "ops",
           "synaptic operations with a non-zero weight (stored synapses of the active rows)",
           static_cast<double>(effective)),
      stat("neurobench.activation_sparsity", "fraction",
           "1 - spikes / (neuron updates): the share of neuron-timesteps without a spike",
           neuron_steps ? 1.0 - ratio(static_cast<double>(spikes), static_cast<double>(neuron_steps)) : 0.0),
      stat("neurobench.memory_footprint", "bits", "SRAM bits of every core's four macros (words x word_bits)",
           static_cast<double>(footprint)),
      stat("neurobench.inferences", "inferences",
           "timesteps completed / timesteps per sample, or 1 for a run without samples", run.inferences),
      stat("neurobench.latency_per_inference", "ns", "simulated time per inference", ratio(time_ns, run.inferences)),
  };
  if (!energy.enabled()) return out;
  const EnergyTable& t = energy.values;
  const EnergyEstimate e = estimate_energy(chip, t, run);
  const double total = e.total_pj();
  const std::vector<hw::StatView> priced = {
      stat("energy.total", "pJ", "dynamic + static energy of the run (table " + t.name + ")", total),
      stat("energy.dynamic", "pJ", "SRAM + logic + NoC energy of the counted events", e.dynamic_pj()),
      stat("energy.sram", "pJ", "SRAM word reads and writes, each priced from its macro's geometry", e.sram_pj),
      stat("energy.logic", "pJ", "synaptic operations, neuron and readout updates, spikes out, learning word updates",
           e.logic_pj),
      stat("energy.noc", "pJ", "packets entering routers and bits on links (stats.chip.noc.router_traversals, link_bits)",
           e.noc_pj),
      stat("energy.static", "pJ", "static power x simulated time", e.static_pj),
      stat("energy.per_timestep", "pJ", "total energy / timesteps completed",
           ratio(total, static_cast<double>(run.timesteps))),
      stat("energy.per_inference", "pJ", "total energy / inferences (neurobench.inferences)",
           ratio(total, run.inferences)),
      stat("energy.per_sop_dense", "pJ/SOP", "total energy / synaptic_ops_dense", ratio(total, static_cast<double>(dense))),
      stat("energy.per_sop_effective", "pJ/SOP", "total energy / synaptic_ops_effective",
           ratio(total, static_cast<double>(effective))),
      stat("energy.power_average", "uW", "total energy / simulated time", ratio(total, e.time_ns) * 1e3),
      stat("energy.power_static", "uW", "SRAM leakage per bit x bits + core leakage x cores", e.static_uw),
      stat("energy.power_real_time", "uW",
           "the run at one timestep per timestep.duration_us: (dynamic + static power x that time) / that time",
           ratio(e.dynamic_pj(), e.real_time_ns) * 1e3 + e.static_uw),
  };
  out.insert(out.end(), priced.begin(), priced.end());
  const AreaEstimate a = estimate_area(chip, t);
  out.push_back(stat("area.sram", "mm2", "SRAM macros: bits x bit cell x periphery factor", a.sram_mm2));
  out.push_back(stat("area.logic", "mm2", "logic area per core x cores", a.logic_mm2));
  out.push_back(stat("area.total", "mm2", "SRAM + logic area", a.total_mm2()));
  return out;
}

}  // namespace neurochip::sim::energy
