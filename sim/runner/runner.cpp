// Job runner (see runner.h).
#include "runner/runner.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <unistd.h>

#include <systemc>

#include "io/divergence_report.h"
#include "io/link_vcd.h"
#include "io/network_outputs.h"
#include "io/output_files.h"
#include "io/workload_stimulus.h"
#include "io/output_set.h"
#include "io/vcd_writer.h"
#include "energy/energy_model.h"
#include "reference/float_eprop.h"
#include "reference/functional_model.h"
#include "runner/cycle_runner.h"
#include "runner/progress.h"

namespace neurochip::sim {
namespace {

/// A run of samples: how many were labelled and correct, overall and in the last epoch's training
/// and test passes (stats.samples.*, the accuracy a sweep optimises).
void append_sample_stats(std::vector<hw::StatView>& stats, const SampleResultWriter& results) {
  const auto add = [&stats](const std::string& name, const std::string& unit, const std::string& desc, double v) {
    stats.push_back(hw::StatView{"stats.samples." + name, unit, desc, {{"value", v}}});
  };
  const auto percent = [](uint64_t correct, uint64_t n) { return n == 0 ? 0.0 : 100.0 * correct / n; };
  add("labelled", "samples", "samples whose label was sent (every pass)", static_cast<double>(results.samples()));
  add("correct", "samples", "of those, label equal to the target", static_cast<double>(results.correct()));
  add("accuracy", "%", "correct / labelled over the whole run", percent(results.correct(), results.samples()));
  if (results.epochs().empty()) return;
  const auto& [train, test] = results.epochs().back();
  add("last_epoch.train_accuracy", "%", "accuracy of the last epoch's training pass", percent(train.correct, train.samples));
  add("last_epoch.test_accuracy", "%", "accuracy of the last epoch's test pass (0 without a test set)",
      percent(test.correct, test.samples));
}

using Clock = std::chrono::steady_clock;

double monotonic_seconds() {
  return std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
}

/// Keeps the run's totals and what the summary line needs, nothing per timestep.
class SummarySink : public ResultSink {
 public:
  explicit SummarySink(JobOutcome& out) : out_(out) {}
  void timestep(const TimestepResult& ts) override {
    out_.spikes += ts.spikes.size();
    for (const CoreTimestepRecord& r : ts.records) {
      ++out_.records;
      out_.latency_sum += r.cycles.total();
      out_.latency_max = std::max(out_.latency_max, r.cycles.total());
    }
  }
  void finish(const RunTotals& totals) override {
    out_.totals = totals;
    finished_ = true;
  }
  bool finished() const { return finished_; }

 private:
  JobOutcome& out_;
  bool finished_ = false;
};

}  // namespace

energy::RunActivity run_activity(const RunConfig& rc, const RunTotals& totals) {
  energy::RunActivity a;
  a.counters = totals.counters;
  a.timesteps = totals.timesteps_completed;
  a.chip_cycles = totals.total_cycles;
  for (const hw::StatView& s : totals.stats) {
    if (s.values.empty()) continue;
    if (s.name == "stats.chip.noc.router_traversals") a.router_traversals = static_cast<uint64_t>(s.values[0].second);
    if (s.name == "stats.chip.noc.link_bits") a.link_bits = static_cast<uint64_t>(s.values[0].second);
  }
  const SampleSet& samples = rc.workload.samples;
  if (samples.enabled && samples.timesteps_per_sample > 0)
    a.inferences = static_cast<double>(totals.timesteps_completed) / static_cast<double>(samples.timesteps_per_sample);
  return a;
}

const char* fidelity_name(Fidelity f) {
  return f == Fidelity::kCycle ? "cycle" : (f == Fidelity::kFunctional ? "functional" : "float");
}


namespace {

/// A lockstep divergence: the files streamed so far, divergence.json, the RTL's waveform window
/// (copied from its scratch file, which is then removed) and the resolved config, published.
void publish_divergence(OutputSet& set, const hw::LearningDivergence& d, const RunConfig& rc, const RunOptions& opts,
                        const std::string& resolved_config_yaml) {
  std::string waveform;
  if (!d.waveform.empty()) {
    std::ifstream in(d.waveform, std::ios::binary);
    if (in) {
      waveform = "rtl_window.vcd";
      set.open(waveform).stream() << in.rdbuf();
    }
    std::remove(d.waveform.c_str());
  }
  write_divergence_json(set.open("divergence.json").stream(), d, waveform);
  if (opts.outputs.config) set.open("resolved_config.yaml").stream() << resolved_config_yaml;
  Manifest info;
  info.fidelity = fidelity_name(opts.fidelity);
  info.config = rc.source_file;
  info.diverged = true;
  set.publish(info);
}

}  // namespace

JobOutcome run_job(RunConfig& rc, const RunOptions& opts, const std::string& resolved_config_yaml) {
  JobOutcome out;
  OutputSet set(opts.out_dir);
  out.run_id = set.run_id();
  const OutputSelection& sel = opts.outputs;
  const bool has_readouts = std::any_of(rc.chip.cores.begin(), rc.chip.cores.end(),
                                        [](const hw::CoreConfig& c) { return c.enabled.readouts > 0; });
  const bool record_readouts = has_readouts && sel.readouts;
  std::ostream* spikes = sel.spikes ? &set.open("spikes.csv").stream() : nullptr;
  std::ostream* records = sel.timesteps ? &set.open("timesteps.csv").stream() : nullptr;
  std::ostream* readouts = record_readouts ? &set.open("readouts.csv").stream() : nullptr;
  CsvResultWriter csv(rc.chip, spikes, records, readouts);
  const SampleSet& samples = rc.workload.samples;
  std::ostream* samples_csv = samples.enabled && sel.samples ? &set.open("samples.csv").stream() : nullptr;
  SampleResultWriter sample_results(samples_csv, samples);
  if (opts.progress && (samples.epochs > 1 || !samples.test_file.empty())) {
    sample_results.on_epoch = [&sample_results](uint32_t epoch) {
      const auto& [train, test] = sample_results.epochs()[epoch];
      const auto tally = [](const SampleResultWriter::Tally& t) {
        if (t.samples == 0) return std::string("none");
        char text[96];
        std::snprintf(text, sizeof text, "%llu/%llu (%.1f %%)", static_cast<unsigned long long>(t.correct),
                      static_cast<unsigned long long>(t.samples),
                      100.0 * static_cast<double>(t.correct) / static_cast<double>(t.samples));
        return std::string(text);
      };
      std::fprintf(stderr, "\r[neurochip] epoch %u: train %s, test %s\n", epoch, tally(train).c_str(),
                   tally(test).c_str());
    };
  }
  SummarySink summary(out);
  TeeSink sinks{&csv, &sample_results, &summary};
  const hw::SampleSchedule schedule = sample_schedule(samples);

  const uint64_t timesteps = rc.workload.timesteps;
  const auto t0 = Clock::now();
  ProgressLine progress(timesteps, opts.progress, stderr, isatty(2) != 0, monotonic_seconds);
  const auto on_timestep = [&progress](uint64_t done) { progress.update(done); };
  WorkloadStimulus stimulus(rc);
  if (opts.fidelity == Fidelity::kFloat) {
    stream_float(rc.chip, rc.image, stimulus, timesteps, record_readouts, sinks, schedule, on_timestep);
  } else if (opts.fidelity == Fidelity::kFunctional) {
    stream_functional(rc.chip, rc.image, stimulus, timesteps, record_readouts, sinks, on_timestep, schedule);
  } else {
    CycleOptions co;
    co.record_readouts = record_readouts;
    co.on_timestep = on_timestep;
    co.samples = schedule;
    std::unique_ptr<VcdWriter> vcd;
    if (opts.vcd) {
      vcd = std::make_unique<VcdWriter>(set.open("waves.vcd").stream(), rc.chip, "chip", opts.vcd_neurons);
      vcd->on_error([] { sc_core::sc_stop(); });
      co.phase_observer = vcd.get();
    }
    if (opts.learning_backends) co.learning_backends = opts.learning_backends(set.dir());
    // The network's outputs (SPEC §7.6): links.csv always, packets.csv and links.vcd on request.
    std::unique_ptr<PacketsCsvWriter> packets;
    std::unique_ptr<LinkVcdWriter> link_vcd;
    if (rc.chip.noc.enabled) {
      if (opts.packets) packets = std::make_unique<PacketsCsvWriter>(set.open("packets.csv").stream());
      std::ostream* vcd_stream = opts.vcd_links.empty() ? nullptr : &set.open("links.vcd").stream();
      co.on_network_batch = [&, vcd_stream](const hw::NetworkBatch& b) {
        if (packets) packets->batch(b);
        if (vcd_stream && !link_vcd) link_vcd = std::make_unique<LinkVcdWriter>(*vcd_stream, b.network, opts.vcd_links);
        if (link_vcd) link_vcd->batch(b.packets, b.schedule);
      };
      std::ostream& links_csv = set.open("links.csv").stream();
      co.on_network_end = [&links_csv](const hw::noc::Network& n) { write_links_csv(links_csv, n); };
    }
    try {
      stream_cycle(rc.chip, std::move(rc.image), stimulus, timesteps, co, sinks);  // the SRAMs hold the weights
    } catch (const hw::LearningDivergence& d) {
      out.divergence = d;
    }
    if (vcd) vcd->finish();
    if (link_vcd) link_vcd->finish();
  }
  if (out.divergence) {
    csv.finish(RunTotals{});  // the rows of the timesteps before the divergence
    publish_divergence(set, *out.divergence, rc, opts, resolved_config_yaml);
    out.wall_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return out;
  }
  if (!summary.finished()) throw std::logic_error("the simulation ended without reporting its totals");
  out.wall_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  out.samples = sample_results.samples();
  out.samples_correct = sample_results.correct();

  if (samples.enabled) append_sample_stats(out.totals.stats, sample_results);
  if (sel.stats) {
    std::vector<hw::StatView> stats = out.totals.stats;
    const std::vector<hw::StatView> modelled = energy::model_stats(rc.chip, rc.energy, run_activity(rc, out.totals));
    stats.insert(stats.end(), modelled.begin(), modelled.end());
    write_stats_json(set.open("stats.json").stream(), stats, fidelity_name(opts.fidelity), rc.source_file,
                     opts.identity);
  }
  if (sel.populations) write_populations_csv(set.open("populations.csv").stream(), rc);
  if (samples.enabled && sel.samples && (samples.epochs > 1 || !samples.test_file.empty())) {
    write_learning_curve_csv(set.open("learning_curve.csv").stream(), sample_results.epochs());
    write_learning_curve_svg(set.open("learning_curve.svg").stream(), sample_results.epochs());
  }
  out.epochs = sample_results.epochs();
  if (sel.weights) {
    for (size_t c = 0; c < out.totals.final_state.size() && c < rc.chip.cores.size(); ++c) {
      const hw::CoreImage& learned = out.totals.final_state[c].learned;
      if (learned.input_weights.empty() && learned.recurrent_weights.empty() && learned.output_weights.empty()) continue;
      const hw::CoreShape& shape = rc.chip.cores[c].enabled;
      const std::string prefix = "weights_" + rc.chip.cores[c].name + "_";
      write_weights_csv(set.open(prefix + "input.csv").stream(), learned.input_weights, shape.inputs, shape.neurons);
      write_weights_csv(set.open(prefix + "recurrent.csv").stream(), learned.recurrent_weights, shape.neurons,
                        shape.neurons);
      write_weights_csv(set.open(prefix + "output.csv").stream(), learned.output_weights, shape.neurons,
                        shape.readouts);
    }
  }
  if (sel.config) set.open("resolved_config.yaml").stream() << resolved_config_yaml;

  Manifest info;
  info.fidelity = fidelity_name(opts.fidelity);
  info.config = rc.source_file;
  info.halted = out.totals.halted;
  set.publish(info);
  return out;
}

}  // namespace neurochip::sim
