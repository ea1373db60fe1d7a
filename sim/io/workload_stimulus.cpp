// Lazy workload stimulus (see workload_stimulus.h).
#include "io/workload_stimulus.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace neurochip::sim {

uint64_t poisson_threshold(double rate_hz, uint32_t duration_us) {
  const double p = rate_hz * static_cast<double>(duration_us) * 1e-6;
  return std::min<uint64_t>(0xFFFFFFFFULL, static_cast<uint64_t>(std::round(p * 4294967296.0)));
}

struct WorkloadStimulus::Input {
  const InputSpec* spec = nullptr;
  const Population* population = nullptr;
  uint64_t p32 = 0;
  SplitMix64 rng{0};
  std::unique_ptr<TraceStream> trace;
  std::optional<TraceEvent> ahead;  ///< the next trace event, read but not yet delivered
  std::vector<std::pair<uint32_t, uint64_t>> channels;  ///< (channel, offset) of one timestep
};

WorkloadStimulus::WorkloadStimulus(const RunConfig& rc) {
  for (const InputSpec& in : rc.workload.inputs) {
    auto input = std::make_unique<Input>();
    input->spec = &in;
    for (const Population& p : rc.workload.populations)
      if (p.name == in.population) input->population = &p;
    if (in.kind == InputKind::kPoisson) {
      input->p32 = poisson_threshold(in.rate_hz, rc.chip.timestep.duration_us);
      input->rng = SplitMix64(in.seed);
    } else {
      input->trace = std::make_unique<TraceStream>(in.trace, rc.workload.timesteps, input->population->size);
      TraceEvent e;
      if (input->trace->next(e)) input->ahead = e;
    }
    inputs_.push_back(std::move(input));
  }
  if (rc.workload.samples.enabled) {
    samples_ = &rc.workload.samples;
    for (const Population& p : rc.workload.populations)
      if (p.name == samples_->population) sample_population_ = &p;
  }
}

WorkloadStimulus::~WorkloadStimulus() = default;

void WorkloadStimulus::packets_for(uint64_t timestep, hw::Ps tick, std::vector<hw::AerPacket>& out) {
  const auto emit = [&](const Population& pop, uint32_t channel, uint64_t offset) {
    hw::AerPacket p;
    p.src = hw::NeuronRef{hw::kOffChip, 0, channel};
    p.dst_core = pop.core_index;
    p.dst_axon = pop.first_slot + channel;
    p.time = tick + hw::Ps(offset);
    p.timestep = timestep;
    out.push_back(p);
  };
  for (const auto& input : inputs_) {
    const Population& pop = *input->population;
    if (input->spec->kind == InputKind::kPoisson) {
      // One draw per channel per timestep (a rate of 0 never fires: its draws change nothing).
      if (input->p32 == 0) continue;
      for (uint32_t ch = 0; ch < pop.size; ++ch)
        if ((input->rng.next() >> 32) < input->p32) emit(pop, ch, 0);
      continue;
    }
    input->channels.clear();
    while (input->ahead && input->ahead->timestep == timestep) {
      input->channels.emplace_back(input->ahead->index, input->ahead->offset_ps);
      TraceEvent e;
      input->ahead.reset();
      if (input->trace->next(e)) input->ahead = e;
    }
    std::sort(input->channels.begin(), input->channels.end());
    for (const auto& [ch, offset] : input->channels) emit(pop, ch, offset);
  }
  // Samples: the loader flattened their events into run order (SPEC §4.5); channels ascending.
  if (samples_) {
    while (next_sample_event_ < samples_->events.size() && samples_->events[next_sample_event_].first < timestep)
      ++next_sample_event_;  // timesteps skipped by the caller (none in a run)
    const size_t begin = next_sample_event_;
    while (next_sample_event_ < samples_->events.size() && samples_->events[next_sample_event_].first == timestep)
      ++next_sample_event_;
    sample_channels_.clear();
    for (size_t i = begin; i < next_sample_event_; ++i) sample_channels_.push_back(samples_->events[i].second);
    std::sort(sample_channels_.begin(), sample_channels_.end());
    for (uint32_t ch : sample_channels_) emit(*sample_population_, ch, 0);
  }
}

hw::InputSchedule stimulus_schedule(const RunConfig& rc) {
  WorkloadStimulus source(rc);
  hw::InputSchedule schedule(rc.workload.timesteps);
  std::vector<hw::AerPacket> packets;
  for (uint64_t t = 0; t < rc.workload.timesteps; ++t) {
    packets.clear();
    source.packets_for(t, hw::Ps(0), packets);
    for (const hw::AerPacket& p : packets) schedule[t].emplace_back(p.dst_core, p.dst_axon, p.time);
  }
  return schedule;
}

}  // namespace neurochip::sim
