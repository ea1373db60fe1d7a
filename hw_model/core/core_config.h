// Typed, validated configuration of one neuromorphic core (SPEC.md §3-§5).
// SystemC-free: produced once by the loader in sim/config, consumed by the cycle model
// (hw_model/core) and the functional reference (sim/reference) by const reference.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/core_shape.h"
#include "core/neuron_model.h"
#include "learning/eprop_config.h"
#include "memory/sram_geometry.h"

namespace neurochip::hw {

/// Parameters of the non-spiking leaky-integrator readouts (SPEC §2.5).
struct ReadoutParams {
  uint32_t kappa = 0x79;                ///< readout leak factor, 1.7 unsigned, 0..0x80
};

/// How the membrane and readout leaks round (SPEC §2.3, §2.8).
enum class RoundingMode : int { kFloor = 0, kStochastic = 1 };
struct RoundingConfig {
  RoundingMode mode = RoundingMode::kFloor;
  /// The membrane leak's LFSR seeds, one 15-bit seed per neuron lane of a word: lane l takes bits
  /// [15l + 14 : 15l] (ReckOn's 30-bit register for its two lanes). Default: ReckOn's reset values.
  uint64_t membrane_seed = 0x38781234;
  uint32_t readout_seed = 0x7ABA;  ///< the readout leak's 15-bit LFSR seed (ReckOn's reset value)
};
inline constexpr uint32_t kRoundingSeedBits = 15;
/// At most this many lanes get a membrane seed from the 64-bit key (floor(64 / 15)).
inline constexpr uint32_t kMaxRoundingLanes = 4;

/// Membrane noise (SPEC §2.6; ReckOn's SPI_NOISE_EN / SPI_NOISE_STR / SPI_SEED_NOISE_NEUR): every
/// neuron word PROP writes adds to each of its neurons a signed 16-bit draw shifted right by `shift`.
struct NoiseConfig {
  bool enabled = false;
  uint32_t shift = 0;
  uint32_t seed = 0x1F0F1;  ///< 17 bits; the default is ReckOn's reset value
};

/// Weight format and the left shifts applied before accumulation (SPEC §2.2).
struct WeightParams {
  int bits = 8;                         ///< signed weight width: 2, 4 or 8
  int input_shift = 3;                  ///< left shift of input weights, 0..7
  int recurrent_shift = 3;              ///< left shift of recurrent weights, 0..7
  int output_shift = 3;                 ///< left shift of output weights, 0..7
};

/// How a core stores its input and recurrent synapses (SPEC §3.2, §3.4): dense crossbar SRAMs, or
/// per-index lists of non-zero synapses found through an axon table. Readout weights are always a
/// crossbar.
enum class SynapseOrganisation : int { kCrossbar = 0, kSparse = 1 };

/// The memories of a core and the slot capacities they are sized for (SPEC §3).
struct CoreMemoryConfig {
  uint32_t max_inputs = 256;            ///< input axon slots (scan indices for input events)
  uint32_t max_neurons = 256;           ///< spiking neuron slots
  uint32_t max_readouts = 16;           ///< readout (leaky integrator) registers
  uint32_t neurons_per_word = 2;        ///< neuron states packed per neuron-SRAM word
  /// Threshold and alpha held in each neuron-SRAM word, shared by its neurons (SPEC §3.1, ReckOn),
  /// instead of in the core's registers.
  bool word_parameters = false;
  SramGeometry neuron_sram{128, 128};
  SramGeometry input_weight_sram{4096, 128};
  SramGeometry recurrent_weight_sram{4096, 128};
  SramGeometry output_weight_sram{256, 128};
  SynapseOrganisation synapses = SynapseOrganisation::kCrossbar;
  /// Sparse cores (SPEC §3.4): one entry per presynaptic index (base word and length in words of
  /// its input list and of its recurrent list), and the SRAM the lists are packed into.
  SramGeometry axon_table{256, 64};
  SramGeometry synapse_list_sram{4096, 128};
  bool sparse() const { return synapses == SynapseOrganisation::kSparse; }
};

/// The SRAM macros a core is built with (SPEC §3): the neuron SRAM; the input and recurrent
/// crossbars, or on a sparse core the axon table and the synapse-list SRAM (§3.4); the output
/// crossbar. Names as the configuration and the statistics write them.
inline std::vector<std::pair<const char*, const SramGeometry*>> core_srams(const CoreMemoryConfig& m) {
  if (m.sparse())
    return {{"neuron_sram", &m.neuron_sram}, {"axon_table", &m.axon_table},
            {"synapse_list_sram", &m.synapse_list_sram}, {"output_weight_sram", &m.output_weight_sram}};
  return {{"neuron_sram", &m.neuron_sram}, {"input_weight_sram", &m.input_weight_sram},
          {"recurrent_weight_sram", &m.recurrent_weight_sram}, {"output_weight_sram", &m.output_weight_sram}};
}

/// How long STEP's sweep lasts (SPEC §4.1): long enough for every neuron word (`kWords`), or one
/// cycle per slot of a counter that runs to max(R, I, O) (`kCounter`, ReckOn: a word whose write
/// cycle falls after the count is not written).
enum class StepLength : int { kWords = 0, kCounter = 1 };

/// Cycle-cost profile of the per-timestep schedule (SPEC §4). All costs in core clock cycles.
struct TimingProfile {
  uint32_t tick_sync_cycles = 3;        ///< tick synchroniser latency before STEP starts
  uint32_t neuron_word_cycles = 2;      ///< cycles per neuron-SRAM word in STEP and PROP sweeps (read + write)
  uint32_t step_tail_cycles = 1;        ///< cycles after the STEP sweep before STEP_DONE (ReckOn: 0)
  uint32_t step_done_cycles = 1;        ///< STEP_DONE (readout vote / learning hand-off)
  uint32_t scan_cycles_per_index = 1;   ///< PROP scanner cycles per presynaptic index
  uint32_t input_only_cycles = 2;       ///< extra cycles for an active input index >= enabled neurons
  uint32_t send_cycles = 4;             ///< SEND: a sample's label handshake with the host
  uint32_t axon_lookup_cycles = 1;      ///< sparse cores: PROP cycles per active index's axon-table read
  uint32_t synapse_word_cycles = 1;     ///< sparse cores: PROP cycles per synapse-list word read and applied
  StepLength step_length = StepLength::kWords;
};

/// The hardware of a core: everything it is built with, small and copyable. What the workload
/// loads into it is its CoreImage (core/core_image.h), moved into the SRAMs at elaboration.
struct CoreConfig {
  std::string name = "core0";
  std::optional<uint64_t> clock_period_ps;  ///< the core's own clock; absent: the chip's clock
  NeuronParams neuron;                      ///< the neuron model and its parameters (SPEC §2.4)
  ReadoutParams readout;
  RoundingConfig rounding;
  NoiseConfig noise;
  EpropConfig learning;                     ///< the e-prop engine (SPEC §6); off by default
  WeightParams weights;
  CoreMemoryConfig memory;
  TimingProfile timing;
  /// The slots the workload enables (I, R, O), as the core's configuration registers hold them.
  CoreShape enabled;
};

}  // namespace neurochip::hw
