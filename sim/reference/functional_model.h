// Functional reference model of a neurochip chip at timestep granularity (SPEC.md §2, §4, §7.7).
// Plain C++ without SystemC: dense integer matrices, one neuron at a time. It is the oracle of the
// equivalence tests and the `--fidelity functional` backend; cycles come from the SPEC §4 formulas
// and, on a chip with a network, the packet times from the shared network kernel (SPEC §7).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "chip/chip_config.h"
#include "core/core_image.h"
#include "core/sample_protocol.h"
#include "common/aer_types.h"
#include "base/result_sink.h"
#include "base/run_result.h"

namespace neurochip::sim {

/// Runs `timesteps` timesteps of `chip`, loaded with `image` (read in place: the reference keeps
/// no copy of the weights), driven by `stimulus`, handing every completed timestep to
/// `sink` as it goes and the final state, counters, statistics and totals at the end.
/// `record_readouts` adds each timestep's readout row; `on_timestep`, if set, is called with the
/// number of completed timesteps (progress reporting). Exceptions of the sink propagate.
void stream_functional(const hw::ChipConfig& chip, const hw::ChipImage& image, hw::StimulusSource& stimulus,
                       uint64_t timesteps, bool record_readouts, ResultSink& sink,
                       const std::function<void(uint64_t)>& on_timestep = {},
                       const hw::SampleSchedule& samples = {});

/// Runs `timesteps` timesteps of `chip` driven by `stimulus` and collects everything into a
/// RunResult (tests; its memory grows with the run). `record_readouts` enables
/// RunResult::readout_trace; `on_timestep`, if set, is called with the number of completed
/// timesteps (progress reporting).
RunResult run_functional(const hw::ChipConfig& chip, const hw::ChipImage& image, hw::StimulusSource& stimulus,
                         uint64_t timesteps, bool record_readouts,
                         const std::function<void(uint64_t)>& on_timestep = {},
                         const hw::SampleSchedule& samples = {});

/// Same with an in-memory schedule (stimulus.size() may be shorter than `timesteps`: missing
/// timesteps have no events).
RunResult run_functional(const hw::ChipConfig& chip, const hw::ChipImage& image, const hw::InputSchedule& stimulus,
                         uint64_t timesteps, bool record_readouts,
                         const std::function<void(uint64_t)>& on_timestep = {},
                         const hw::SampleSchedule& samples = {});

}  // namespace neurochip::sim
