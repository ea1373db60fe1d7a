// The decoded energy and area table of a chip (docs/energy.md; issue 8 items 4-5): per-event dynamic
// energies, static power and area parameters of one technology, as the loader decodes them from the
// YAML file that `chip.energy.table` names (sim/config/decode_energy.cpp). The model
// (sim/energy/energy_model.h) sees only this struct, never YAML. Every value's unit is in its name.
#pragma once

#include <string>

namespace neurochip::sim {

/// Which synaptic events the `synaptic_op` cost applies to (SPEC §3.3).
enum class SynapticOpCount { kSwept, kNonzero };

struct EnergyTable {
  std::string name;                        ///< the table's `name`
  double scale = 1.0;                      ///< the one free scale on every dynamic energy (fitted)
  // SRAM (per macro, from its geometry: E = word_bits · e_bit · (words · word_bits / reference_bits)^exponent)
  double sram_read_pj_per_bit = 0;         ///< per bit of a word read, for a macro of reference_bits
  double sram_write_pj_per_bit = 0;        ///< per bit of a word written, same macro
  double sram_reference_bits = 1;          ///< capacity the per-bit energies were measured at
  double sram_capacity_exponent = 0;       ///< how per-bit access energy grows with capacity
  double sram_leakage_pw_per_bit = 0;      ///< static power per stored bit
  double sram_bitcell_um2 = 0;             ///< area of one bit cell
  double sram_periphery_factor = 1;        ///< macro area / (bits · bit cell)
  // Logic
  double synaptic_op_pj = 0;               ///< one weight applied to one target
  SynapticOpCount synaptic_op_counts = SynapticOpCount::kSwept;
  double neuron_update_pj = 0;             ///< one spiking neuron's STEP update
  double readout_update_pj = 0;            ///< one readout's STEP update
  double spike_out_pj = 0;                 ///< one spike emitted (AER output)
  double learning_word_update_pj = 0;      ///< the learning engine updating one weight word
  double core_leakage_uw = 0;              ///< static power of one core's logic
  double core_logic_mm2 = 0;               ///< logic area of one core
  // Network on chip (SPEC §7.6: stats.chip.noc.router_traversals and link_bits)
  double router_hop_pj = 0;                ///< one packet crossing one router
  double router_bit_pj = 0;                ///< one bit crossing one link
};

/// `chip.energy`: the table a run's energy and area are estimated with; none when `table` is empty.
struct EnergyConfig {
  std::string table;    ///< resolved path of the table file ("" = no energy model)
  EnergyTable values;
  bool enabled() const { return !table.empty(); }
};

}  // namespace neurochip::sim
