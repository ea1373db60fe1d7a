// A floating-point reference of a learning core (README "ReckOn end to end"): the same network,
// initial weights, sample protocol and e-prop rule as SPEC.md §2-§6, in double precision without
// quantisation, saturation, stochastic rounding or LFSRs — weights, membranes, traces and updates
// are real numbers, and each weight moves by the expected value of the chip's stochastic ±1 step,
// sign(P) · |P| · 2^(p − r − W). Comparing its accuracy with the chip's measures what the 8-bit
// datapath costs. Timestep-level only: it reports spikes, readouts and sample labels, no cycles.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "base/result_sink.h"
#include "chip/chip_config.h"
#include "common/aer_types.h"
#include "core/core_image.h"
#include "core/sample_protocol.h"

namespace neurochip::sim {

/// Why the float reference cannot model `chip` ("" when it can).
std::string float_reference_problem(const hw::ChipConfig& chip);

/// Runs a one-core chip with the `lif` model (no refractory period) as the floating-point
/// reference, streaming each timestep (spikes with cycle 0, readouts rounded to integers, records
/// with the samples' labels) to `sink`. Throws std::invalid_argument for a chip it cannot model.
void stream_float(const hw::ChipConfig& chip, const hw::ChipImage& image, hw::StimulusSource& stimulus,
                  uint64_t timesteps, bool record_readouts, ResultSink& sink, const hw::SampleSchedule& samples,
                  const std::function<void(uint64_t)>& on_timestep = {});

}  // namespace neurochip::sim
