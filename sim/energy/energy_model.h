// The energy, power and area model (docs/energy.md; issue 8 items 4-5) and the NeuroBench-style
// run metrics: post-processing of the events a run counted (SPEC §3.3: SRAM words per macro,
// synaptic events swept and non-zero, spikes; §5: timesteps and chip cycles), priced by a decoded
// EnergyTable. Both fidelities count the same events, so they give the same estimate. Pure C++,
// double arithmetic (the datapath stays integer).
#pragma once

#include <cstdint>
#include <vector>

#include "base/energy_table.h"
#include "base/run_result.h"
#include "chip/chip_config.h"
#include "common/stats.h"

namespace neurochip::sim::energy {

/// What a run did, in the counters every fidelity reports.
struct RunActivity {
  std::vector<CoreCounters> counters;  ///< per core, in chip order
  uint64_t timesteps = 0;              ///< timesteps completed
  uint64_t chip_cycles = 0;            ///< the run's length in chip clock cycles (SPEC §5.2)
  double inferences = 1;               ///< samples run (timesteps / timesteps per sample), or 1 without samples
  uint64_t router_traversals = 0;      ///< a chip with a network: packets entering a router (SPEC §7.6)
  uint64_t link_bits = 0;              ///< and bits carried by its links
};

/// Energy of one word access (read or write) of a macro of geometry `g`, in pJ, scaled:
/// `scale · word_bits · e_bit · (words · word_bits / reference_bits)^capacity_exponent`.
double sram_access_pj(const EnergyTable& t, const hw::SramGeometry& g, bool write);

/// Bits of a core's four SRAM macros (words · word_bits each).
uint64_t core_sram_bits(const hw::CoreConfig& core);

struct EnergyEstimate {
  double sram_pj = 0;       ///< dynamic: SRAM word reads and writes
  double logic_pj = 0;      ///< dynamic: synaptic operations, neuron and readout updates, spikes, learning
  double noc_pj = 0;        ///< dynamic: router traversals and link bits
  double static_pj = 0;     ///< static power over the simulated time
  double static_uw = 0;     ///< static power
  double time_ns = 0;       ///< simulated time
  double real_time_ns = 0;  ///< the run at one timestep per `duration_us` (or the simulated time if longer)
  double dynamic_pj() const { return sram_pj + logic_pj + noc_pj; }
  double total_pj() const { return dynamic_pj() + static_pj; }
};

/// The run's energy (docs/energy.md §Formulas).
EnergyEstimate estimate_energy(const hw::ChipConfig& chip, const EnergyTable& t, const RunActivity& run);

struct AreaEstimate {
  double sram_mm2 = 0;   ///< bits · bit cell · periphery factor, over the macros
  double logic_mm2 = 0;  ///< the table's logic area per core
  double total_mm2() const { return sram_mm2 + logic_mm2; }
};

AreaEstimate estimate_area(const hw::CoreConfig& core, const EnergyTable& t);
AreaEstimate estimate_area(const hw::ChipConfig& chip, const EnergyTable& t);

/// The statistics written to stats.json: `stats.neurobench.*` always, `stats.energy.*` and
/// `stats.area.*` when `energy` has a table. Each has a unit and a description.
std::vector<hw::StatView> model_stats(const hw::ChipConfig& chip, const EnergyConfig& energy, const RunActivity& run);

}  // namespace neurochip::sim::energy
