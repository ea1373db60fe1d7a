// What the workload loads into the cores of a chip (SPEC.md §1, §3.1, §3.2): per core the dense
// weight matrices and, on a core with word parameters, each neuron word's threshold and alpha. Kept apart from the hardware description (core_config.h,
// chip_config.h): the matrices are moved into the synapse SRAMs when a core is elaborated and are
// not held anywhere else during a run. SystemC-free.
#pragma once

#include <cstdint>
#include <vector>


namespace neurochip::hw {

/// Initial contents of a core's synapse SRAMs as mapped by the workload: dense weight matrices over
/// the enabled slots (CoreConfig::enabled), row-major [pre][post]; 0 means "no synapse" (as in a
/// dense crossbar SRAM).
struct CoreImage {
  std::vector<int8_t> input_weights;    ///< I x R
  std::vector<int8_t> recurrent_weights;///< R x R
  std::vector<int8_t> output_weights;   ///< R x O
  /// With `memory.word_parameters` (SPEC §3.1): the threshold and the leak factor alpha of every
  /// word of the neuron SRAM (neuron_sram.words entries each), shared by the word's neurons; empty
  /// on a core that keeps them in its registers.
  std::vector<int16_t> word_thresholds;
  std::vector<uint16_t> word_alphas;

  /// On a chip with a network (SPEC §7.7), empty otherwise: the canonical index of the source of
  /// every input axon (an input's own index, or the remote neuron's whose spikes it carries: axons
  /// from `remote_axons_from` on) and of every neuron slot — where it would sit on one core holding
  /// the whole network. PROP integrates in ascending canonical order.
  std::vector<uint32_t> axon_sources, neuron_sources;
  uint32_t remote_axons_from = 0;
  /// Where each neuron slot's spikes go: the (core, axon) pairs of slot j are
  /// fanout[fanout_begin[j] .. fanout_begin[j + 1]), cores ascending (empty: nowhere but here).
  struct FanOut {
    uint32_t core = 0, axon = 0;
  };
  std::vector<uint32_t> fanout_begin;
  std::vector<FanOut> fanout;

  /// Non-zero weights in the three matrices (a stored 0 is "no synapse", SPEC §1).
  uint64_t stored_synapses() const {
    uint64_t n = 0;
    for (const auto* m : {&input_weights, &recurrent_weights, &output_weights})
      for (int8_t w : *m) n += w != 0 ? 1 : 0;
    return n;
  }
};

/// The images of every core of a chip, in core order.
struct ChipImage {
  std::vector<CoreImage> cores;
};

}  // namespace neurochip::hw
