// The floating-point e-prop reference (see float_eprop.h).
#include "reference/float_eprop.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "common/fixed_point.h"
#include "core/neuron_models/lif.h"
#include "core/neuron_param_runs.h"

namespace neurochip::sim {

std::string float_reference_problem(const hw::ChipConfig& chip) {
  if (chip.cores.size() != 1)
    return "the float reference models a chip of one core; this one has " + std::to_string(chip.cores.size());
  const hw::CoreConfig& cfg = chip.cores[0];
  if (cfg.neuron.model().name != "lif" || cfg.neuron[hw::lif::kRefractorySteps] != 0)
    return "the float reference models the lif neuron without a refractory period; core " + cfg.name + " has " +
           cfg.neuron.model().name + (cfg.neuron.model().name == "lif" ? " with refractory_steps > 0" : "");
  return "";
}

void stream_float(const hw::ChipConfig& chip, const hw::ChipImage& image, hw::StimulusSource& stimulus,
                  uint64_t timesteps, bool record_readouts, ResultSink& sink, const hw::SampleSchedule& samples,
                  const std::function<void(uint64_t)>& on_timestep) {
  if (const std::string problem = float_reference_problem(chip); !problem.empty() || image.cores.size() != 1)
    throw std::invalid_argument(problem.empty() ? "the float reference needs one core image" : problem);
  const hw::CoreConfig& cfg = chip.cores[0];
  const hw::EpropConfig& lc = cfg.learning;
  const uint32_t I = cfg.enabled.inputs, R = cfg.enabled.neurons, O = cfg.enabled.readouts;
  const uint32_t N = std::max(I, R);
  const double kappa = cfg.readout.kappa / 128.0;
  // Each neuron's (and trace slot's) alpha and threshold: its word's with word parameters (SPEC §3.1).
  const hw::CoreImage& im = image.cores[0];
  const uint32_t P = cfg.memory.neurons_per_word;
  std::vector<double> alpha(N), theta(N);
  for (uint32_t j = 0; j < N; ++j) {
    alpha[j] = static_cast<double>(hw::word_alpha(cfg.neuron, im.word_alphas, j / P)) / 32768.0;
    theta[j] = static_cast<double>(hw::word_threshold(cfg.neuron, im.word_thresholds, j / P));
  }
  const bool subtract = cfg.neuron[hw::lif::kReset] == hw::lif::kResetSubtract;
  const double s_in = std::ldexp(1.0, cfg.weights.input_shift), s_rec = std::ldexp(1.0, cfg.weights.recurrent_shift);
  const double s_out = std::ldexp(1.0, cfg.weights.output_shift);
  const auto to_real = [](const std::vector<int8_t>& w) { return std::vector<double>(w.begin(), w.end()); };
  std::vector<double> w_in = to_real(image.cores[0].input_weights), w_rec = to_real(image.cores[0].recurrent_weights);
  std::vector<double> w_out = to_real(image.cores[0].output_weights);
  std::vector<double> u(R, 0), v(O, 0), tr_in(N, 0), tr_rec(N, 0), tr_out(N, 0), l(R, 0), h(R, 0), rho(R, 0);
  std::vector<uint8_t> x(I, 0), z(R, 0);
  std::vector<uint16_t> votes(O, 0);
  const double eta_in = std::ldexp(1.0, static_cast<int>(lc.rate_input_p) - static_cast<int>(lc.rate_input_r) - 32);
  const double eta_rec =
      std::ldexp(1.0, static_cast<int>(lc.rate_recurrent_p) - static_cast<int>(lc.rate_recurrent_r) - 32);
  const double eta_out = std::ldexp(1.0, static_cast<int>(lc.rate_output_p) - static_cast<int>(lc.rate_output_r) - 28);
  const auto clip = [](double w) { return std::clamp(w, -128.0, 127.0); };
  const auto pseudo = [&lc](double uj) {
    size_t level = 0;
    while (level < lc.h_thresholds.size() && uj >= lc.h_thresholds[level]) ++level;
    return static_cast<double>(lc.h_levels[level]);
  };

  RunTotals totals;
  std::vector<hw::AerPacket> packets;
  std::vector<hw::EmittedSpike> spikes;
  std::vector<CoreTimestepRecord> records(1);
  std::vector<int32_t> readout_row;
  for (uint64_t t = 0; t < timesteps; ++t) {
    const hw::TimestepContext ctx = samples.at(t);
    packets.clear();
    stimulus.packets_for(t, hw::Ps(0), packets);
    std::fill(x.begin(), x.end(), uint8_t{0});
    for (const hw::AerPacket& p : packets)
      if (p.dst_core == 0 && p.dst_axon < I) x[p.dst_axon] = 1;
    const bool traces = (lc.learns() && ctx.learn) || lc.force_traces;
    if (ctx.sample_first) {
      for (auto* s : {&u, &v, &tr_in, &tr_rec, &tr_out}) std::fill(s->begin(), s->end(), 0.0);
      std::fill(votes.begin(), votes.end(), uint16_t{0});
    }
    spikes.clear();
    std::fill(z.begin(), z.end(), uint8_t{0});
    if (!ctx.sample_first) {
      for (uint32_t j = 0; j < R; ++j) {
        z[j] = u[j] >= theta[j] ? 1 : 0;
        u[j] *= alpha[j];
        if (z[j]) u[j] = subtract ? u[j] - theta[j] : 0.0;
        if (z[j]) spikes.push_back({t, 0, 0, j});
      }
      for (double& vk : v) vk *= kappa;
      if (traces) {
        for (uint32_t i = 0; i < N; ++i) {
          tr_in[i] *= alpha[i];
          tr_rec[i] *= alpha[i];
          tr_out[i] *= kappa;
        }
      }
      if (ctx.infer && O > 0) ++votes[static_cast<size_t>(std::max_element(v.begin(), v.end()) - v.begin())];
    }
    // EPROP: the expected-value form of SPEC §6.2 (learning signals from the weights before the update).
    if (lc.learns() && ctx.learn && ctx.supervise && !ctx.sample_first && !ctx.sample_last) {
      std::vector<double> e(O, 0);
      for (uint32_t k = 0; k < O; ++k) {
        const double y = lc.output_activation == hw::OutputActivation::kIdentity
                             ? v[k]
                             : std::clamp((v[k] + 2048.0) / 2.0, 0.0, 2048.0);
        e[k] = (static_cast<int32_t>(k) == ctx.target ? 2048.0 : 0.0) - y;
      }
      const bool regularize = lc.regularizer != hw::RegularizerMode::kNone;
      for (uint32_t j = 0; j < R; ++j) {
        double sum = 0;
        for (uint32_t k = 0; k < O; ++k) sum += e[k] * w_out[size_t{j} * O + k];
        l[j] = sum * std::ldexp(1.0, static_cast<int>(lc.learning_signal_shift) - 12);
        h[j] = pseudo(u[j]);
        rho[j] = regularize ? std::max(0.0, tr_rec[j] / std::ldexp(1.0, static_cast<int>(lc.trace_shift_recurrent)) -
                                                static_cast<double>(lc.regularizer_f0))
                            : 0.0;
      }
      const bool additive = (static_cast<int>(lc.regularizer) & 2) != 0;
      const bool multiplicative = (static_cast<int>(lc.regularizer) & 1) != 0;
      const auto regulate = [&](double p, uint32_t j, uint32_t k_p, uint32_t k_r) {
        if (multiplicative && p > 0) p *= (16.0 - std::min(16.0, rho[j] / std::ldexp(1.0, static_cast<int>(lc.regularizer_mul_shift)))) / 16.0;
        if (additive) p -= rho[j] * std::ldexp(1.0, static_cast<int>(k_p) - static_cast<int>(k_r));
        return p;
      };
      if (lc.update_output)
        for (uint32_t j = 0; j < R; ++j) {
          const double o = tr_out[j] / std::ldexp(1.0, static_cast<int>(lc.trace_shift_output));
          for (uint32_t k = 0; k < O; ++k) w_out[size_t{j} * O + k] = clip(w_out[size_t{j} * O + k] + eta_out * e[k] * o);
        }
      if (lc.update_input)
        for (uint32_t i = 0; i < I; ++i) {
          const double ti = tr_in[i] / std::ldexp(1.0, static_cast<int>(lc.trace_shift_input));
          for (uint32_t j = 0; j < R; ++j) {
            const double p = regulate(l[j] * ti * h[j], j, lc.regularizer_input_p, lc.regularizer_input_r);
            w_in[size_t{i} * R + j] = clip(w_in[size_t{i} * R + j] + eta_in * p);
          }
        }
      if (lc.update_recurrent)
        for (uint32_t i = 0; i < R; ++i) {
          const double ti = tr_rec[i] / std::ldexp(1.0, static_cast<int>(lc.trace_shift_recurrent));
          for (uint32_t j = 0; j < R; ++j) {
            const double p = regulate(l[j] * ti * h[j], j, lc.regularizer_recurrent_p, lc.regularizer_recurrent_r);
            w_rec[size_t{i} * R + j] = i == j ? 0.0 : clip(w_rec[size_t{i} * R + j] + eta_rec * p);
          }
        }
    }
    if (!ctx.sample_last) {
      for (uint32_t i = 0; i < N; ++i) {
        const bool xi = i < I && x[i], zi = i < R && z[i];
        if (!xi && !zi) continue;
        for (uint32_t j = 0; j < R; ++j)
          u[j] += (xi ? w_in[size_t{i} * R + j] * s_in : 0.0) + (zi ? w_rec[size_t{i} * R + j] * s_rec : 0.0);
        if (zi)
          for (uint32_t k = 0; k < O; ++k) v[k] += w_out[size_t{i} * O + k] * s_out;
        if (traces) {
          if (xi) tr_in[i] += 8.0 * std::ldexp(1.0, static_cast<int>(lc.trace_shift_input));
          if (zi) {
            tr_rec[i] += 8.0 * std::ldexp(1.0, static_cast<int>(lc.trace_shift_recurrent));
            tr_out[i] += 2.0 * std::ldexp(1.0, static_cast<int>(lc.trace_shift_output));
          }
        }
      }
    }
    CoreTimestepRecord& rec = records[0];
    rec = CoreTimestepRecord{};
    rec.timestep = t;
    rec.spikes = spikes.size();
    if (ctx.sample_last) {
      rec.label = votes.empty() ? -1 : static_cast<int32_t>(std::max_element(votes.begin(), votes.end()) - votes.begin());
      rec.votes = votes;
    }
    readout_row.clear();
    for (double vk : v) readout_row.push_back(static_cast<int32_t>(std::lround(vk)));
    sink.timestep(TimestepResult{t, spikes, records, record_readouts ? &readout_row : nullptr});
    ++totals.timesteps_completed;
    if (on_timestep) on_timestep(totals.timesteps_completed);
  }
  sink.finish(totals);
}

}  // namespace neurochip::sim
