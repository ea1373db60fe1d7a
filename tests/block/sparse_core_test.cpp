// Sparse-synapse cores (SPEC.md §3.4, §4.1): on random chips, networks, stimuli and sample runs, a
// core that keeps its synapses as lists gives the spikes, readout traces, labels and final state of
// the same core with crossbars, in both fidelities; and its cycle model equals its functional reference in everything
// (cycles, counters of the axon table, the synapse lists and the neuron SRAM included). All cycle
// runs are elaborated in one SystemC simulation.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <random>
#include <tuple>
#include <vector>

#include <systemc>

#include "check/compare.h"
#include "memory/synapse_list_layout.h"
#include "reference/functional_model.h"
#include "runner/cycle_runner.h"
#include "support/random_chip.h"

namespace neurochip {
namespace {

constexpr uint64_t kCases = 120;

/// The case without what a sparse core refuses (learning, membrane noise) and with a timestep
/// policy that completes every timestep whatever PROP costs (a halt would end the two
/// organisations' runs at different timesteps).
test::RandomCase crossbar_case(uint64_t seed) {
  test::RandomCase rc = test::make_random_case(seed);
  std::mt19937_64 rng(seed ^ 0x5BA45E);
  if (rc.chip.timestep.on_overrun == hw::OverrunAction::kHalt) rc.chip.timestep.on_overrun = hw::OverrunAction::kStretch;
  for (size_t c = 0; c < rc.chip.cores.size(); ++c) {
    hw::CoreConfig& core = rc.chip.cores[c];
    core.learning = hw::EpropConfig{};
    core.noise.enabled = false;
    if (seed % 5 == 0) core.timing.step_length = hw::StepLength::kCounter;  // ReckOn's STEP counter (SPEC §4.1)
    if (seed % 4 == 0) {
      // Saturation-heavy: the largest shifts and weights of extreme sign drive membranes to the rails.
      core.weights.input_shift = core.weights.recurrent_shift = 7;
      core.neuron.set("threshold", 32767);
      const int8_t top = static_cast<int8_t>((1 << (core.weights.bits - 1)) - 1);
      for (std::vector<int8_t>* m : {&rc.chip.image.cores[c].input_weights, &rc.chip.image.cores[c].recurrent_weights})
        for (int8_t& w : *m)
          if (w != 0) w = rng() % 4 == 0 ? static_cast<int8_t>(-top - 1) : top;
    }
  }
  return rc;
}

/// One case in three runs as samples (SPEC §4.5) of 2..15 timesteps with a random vote window.
hw::SampleSchedule samples_of(const test::RandomCase& rc, uint64_t seed) {
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ULL + 11);
  if (rng() % 3 != 0) return {};
  const uint64_t per = 2 + rng() % 14;
  std::vector<hw::SampleSchedule::Sample> run;
  for (uint64_t k = 0; k * per < rc.timesteps; ++k) run.push_back({static_cast<int32_t>(rng() % 5) - 1, false});
  return hw::SampleSchedule(per, rng() % per, UINT64_MAX, run);
}

/// The same chip with every core sparse: list words sized for its network (plus a random margin),
/// a random list word width (from one entry to several), random PROP costs.
test::RandomCase sparse_case(const test::RandomCase& crossbar, uint64_t seed) {
  test::RandomCase rc = crossbar;
  std::mt19937_64 rng(seed ^ 0xA707);
  for (size_t c = 0; c < rc.chip.cores.size(); ++c) {
    hw::CoreConfig& core = rc.chip.cores[c];
    hw::CoreMemoryConfig& m = core.memory;
    const hw::CoreImage& im = rc.chip.image.cores[c];
    m.synapses = hw::SynapseOrganisation::kSparse;
    const uint32_t entry = hw::synapse_entry_bits(m.max_neurons, static_cast<uint32_t>(core.weights.bits));
    m.synapse_list_sram.word_bits = entry + static_cast<uint32_t>(rng() % (4 * entry));
    const uint32_t e = hw::synapse_entries_per_word(m.synapse_list_sram.word_bits, m.max_neurons,
                                                    static_cast<uint32_t>(core.weights.bits));
    uint64_t words = 0;
    const auto count = [&](const std::vector<int8_t>& w, uint32_t rows) {
      for (uint32_t r = 0; r < rows; ++r) {
        uint64_t n = 0;
        for (uint32_t j = 0; j < core.enabled.neurons; ++j) n += w[size_t{r} * core.enabled.neurons + j] != 0;
        words += hw::synapse_list_words(n, e);
      }
    };
    count(im.input_weights, core.enabled.inputs);
    count(im.recurrent_weights, core.enabled.neurons);
    m.synapse_list_sram.words = static_cast<uint32_t>(std::max<uint64_t>(1, words + rng() % 8));
    m.axon_table = {static_cast<uint32_t>(hw::axon_table_entries(m.max_inputs, m.max_neurons)),
                    hw::axon_entry_bits(m.synapse_list_sram.words, m.max_neurons, e)};
    core.timing.axon_lookup_cycles = static_cast<uint32_t>(rng() % 3);
    core.timing.synapse_word_cycles = static_cast<uint32_t>(1 + rng() % 3);
  }
  return rc;
}

std::vector<std::tuple<uint64_t, uint32_t, uint32_t>> spike_events(const sim::RunResult& r) {
  std::vector<std::tuple<uint64_t, uint32_t, uint32_t>> s;
  for (const hw::EmittedSpike& e : r.spikes) s.emplace_back(e.timestep, e.core, e.neuron);
  std::sort(s.begin(), s.end());
  return s;
}

TEST(SparseCore, SameSpikesReadoutsAndStateAsTheCrossbarAndBothFidelitiesAgree) {
  std::vector<test::RandomCase> crossbars, sparses;
  std::vector<hw::SampleSchedule> schedules;
  std::vector<std::unique_ptr<sim::CycleSimulation>> crossbar_sims, sparse_sims;
  for (uint64_t seed = 1; seed <= kCases; ++seed) {
    crossbars.push_back(crossbar_case(seed));
    sparses.push_back(sparse_case(crossbars.back(), seed));
    schedules.push_back(samples_of(crossbars.back(), seed));
    sim::CycleOptions opts;
    opts.record_readouts = true;
    opts.samples = schedules.back();
    crossbar_sims.push_back(test::cycle_simulation("crossbar" + std::to_string(seed), crossbars.back().chip,
                                                   crossbars.back().stimulus, crossbars.back().timesteps, opts));
    sparse_sims.push_back(test::cycle_simulation("sparse" + std::to_string(seed), sparses.back().chip,
                                                 sparses.back().stimulus, sparses.back().timesteps, opts));
  }
  sc_core::sc_start();

  uint64_t spikes = 0, list_words = 0, saturated = 0, fewer_neuron_accesses = 0;
  for (uint64_t i = 0; i < kCases; ++i) {
    SCOPED_TRACE("random case seed " + std::to_string(i + 1));
    const test::RandomCase& xc = crossbars[i];
    const test::RandomCase& sc = sparses[i];
    const sim::RunResult x_cycle = crossbar_sims[i]->result();
    const sim::RunResult s_cycle = sparse_sims[i]->result();
    const sim::RunResult s_ref = sim::run_functional(sc.chip, sc.chip.image, sc.stimulus, sc.timesteps, true, {}, schedules[i]);
    const sim::RunResult x_ref = sim::run_functional(xc.chip, xc.chip.image, xc.stimulus, xc.timesteps, true, {}, schedules[i]);
    // The sparse core's two fidelities: every output, counters and cycles included.
    const std::optional<sim::Divergence> d = sim::first_divergence(s_ref, s_cycle);
    ASSERT_FALSE(d.has_value()) << "sparse: functional vs cycle: " << d->str() << "\n  reference: " << d->row_a
                                << "\n  cycle:     " << d->row_b;
    // Against the crossbar: the same spikes (by timestep, core and neuron: the cycle stamps follow
    // PROP's cost), readout traces and final state, in both fidelities.
    for (const sim::RunResult* s : {&s_cycle, &s_ref}) {
      for (const sim::RunResult* x : {&x_cycle, &x_ref}) {
        ASSERT_EQ(spike_events(*s), spike_events(*x));
        ASSERT_EQ(s->readout_trace, x->readout_trace);
        ASSERT_EQ(s->timesteps.size(), x->timesteps.size());
        for (size_t r = 0; r < s->timesteps.size(); ++r) {
          ASSERT_EQ(s->timesteps[r].label, x->timesteps[r].label) << "timestep record " << r;
          ASSERT_EQ(s->timesteps[r].votes, x->timesteps[r].votes) << "timestep record " << r;
        }
        ASSERT_EQ(s->final_state.size(), x->final_state.size());
        for (size_t c = 0; c < s->final_state.size(); ++c) {
          ASSERT_EQ(s->final_state[c].fields, x->final_state[c].fields) << "core " << c;
          ASSERT_EQ(s->final_state[c].readout, x->final_state[c].readout) << "core " << c;
        }
      }
    }
    for (size_t c = 0; c < s_cycle.counters.size(); ++c) {
      const sim::CoreCounters& s = s_cycle.counters[c];
      const sim::CoreCounters& x = x_cycle.counters[c];
      // No crossbar traffic on a sparse core; the effective synaptic operations are the same.
      EXPECT_EQ(s.input_sram_reads + s.recurrent_sram_reads, 0u);
      EXPECT_EQ(s.output_sram_reads, x.output_sram_reads);
      EXPECT_EQ(s.nonzero_synaptic_events, x.nonzero_synaptic_events);
      EXPECT_LE(s.neuron_sram_reads, x.neuron_sram_reads);
      EXPECT_EQ(x.axon_table_reads + x.synapse_list_reads, 0u);
      list_words += s.synapse_list_reads;
      fewer_neuron_accesses += s.neuron_sram_reads < x.neuron_sram_reads;
    }
    for (const sim::CoreState& st : s_cycle.final_state)
      for (int32_t u : st.fields[0]) saturated += u == 32767 || u == -32768;
    spikes += s_cycle.spikes.size();
  }
  // The cases exercise what they are meant to.
  EXPECT_GT(spikes, 1000u);
  EXPECT_GT(list_words, 1000u);
  EXPECT_GT(saturated, 20u);
  EXPECT_GT(fewer_neuron_accesses, 10u);
}

}  // namespace
}  // namespace neurochip
