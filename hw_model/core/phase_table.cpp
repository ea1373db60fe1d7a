// The phase table and the built-in phases SYNC, STEP, STEP_DONE and PROP (SPEC.md §4.1); see
// phase_table.h.
#include "core/phase_table.h"

#include <algorithm>
#include <stdexcept>

#include "common/int_math.h"
#include "core/core_datapath.h"
#include "core/core_timing.h"
#include "learning/eprop_engine.h"

namespace neurochip::hw {
namespace {

uint64_t neuron_sweep_cycles(const CoreConfig& core, const CoreShape& shape) {
  return ceil_div(shape.neurons, core.memory.neurons_per_word) * core.timing.neuron_word_cycles;
}

uint64_t sync_cycles(const CoreConfig& core, const CoreShape&, const TimestepWork&) {
  return core.timing.tick_sync_cycles;
}

uint64_t step_cycles(const CoreConfig& core, const CoreShape& shape, const TimestepWork&) {
  return step_sweep_cycles(core, shape) + core.timing.step_tail_cycles;
}

uint64_t step_done_cycles(const CoreConfig& core, const CoreShape&, const TimestepWork&) {
  return core.timing.step_done_cycles;
}

// Crossbar: every active index sweeps all neuron words. Sparse (SPEC §3.4): every active index reads
// its axon-table entry, then its list words, each applied in synapse_word_cycles.
uint64_t prop_cycles(const CoreConfig& core, const CoreShape& shape, const TimestepWork& work) {
  const TimingProfile& t = core.timing;
  const uint64_t scan = uint64_t{std::max(shape.inputs, shape.neurons)} * t.scan_cycles_per_index;
  if (core.memory.sparse())
    return scan + work.active_indices * t.axon_lookup_cycles + work.synapse_list_words * t.synapse_word_cycles;
  return scan + work.active_indices * neuron_sweep_cycles(core, shape) + work.input_only_indices * t.input_only_cycles;
}

uint64_t eprop_cycles(const CoreConfig& core, const CoreShape& shape, const TimestepWork&) {
  return EpropEngine::cycles(core, shape.inputs, shape.neurons);
}

uint64_t send_cycles(const CoreConfig& core, const CoreShape&, const TimestepWork&) {
  return core.timing.send_cycles;
}

// The sample protocol (SPEC §4.5): a sample's first tick goes from IDLE straight to PROP; its last
// tick runs STEP and STEP_DONE, sends the label and integrates nothing.
bool not_first(const CoreConfig&, const TimestepContext& ctx) { return !ctx.sample_first; }
bool not_last(const CoreConfig&, const TimestepContext& ctx) { return !ctx.sample_last; }
bool last(const CoreConfig&, const TimestepContext& ctx) { return ctx.sample_last; }
// EPROP (SPEC §6.5): on a supervised tick of a core that learns, neither the first nor the last.
bool supervised(const CoreConfig& core, const TimestepContext& ctx) {
  return core.learning.learns() && ctx.learn && ctx.supervise && !ctx.sample_first && !ctx.sample_last;
}

}  // namespace

uint64_t PhaseCycles::total() const {
  uint64_t sum = 0;
  for (uint64_t c : cycles_) sum += c;
  return sum;
}

PhaseTable::PhaseTable() {
  add({"sync", "SYNC", "cycles in SYNC (tick synchronisation)", sync_cycles, nullptr,
       [](CoreDatapath& dp) { return dp.sync(); }});
  add({"step", "STEP", "cycles in STEP (spike test, leak, reset)", step_cycles, not_first,
       [](CoreDatapath& dp) { return dp.step(); }});
  add({"step_done", "STEP_DONE", "cycles in STEP_DONE (readout vote)", step_done_cycles, not_first,
       [](CoreDatapath& dp) { return dp.step_done(); }});
  add({"prop", "PROP", "cycles in PROP (scan and event integration)", prop_cycles, not_last,
       [](CoreDatapath& dp) { return dp.prop(); }});
  add({"send", "SEND", "cycles in SEND (a sample's label to the host)", send_cycles, last,
       [](CoreDatapath& dp) { return dp.send(); }});
  const PhaseId before_prop = kPhaseProp;
  add({"eprop", "EPROP", "cycles in EPROP (e-prop weight updates)", eprop_cycles, supervised,
       [](CoreDatapath& dp) { return dp.eprop(); }},
      &before_prop);
}

PhaseTable& PhaseTable::instance() {
  static PhaseTable table;
  return table;
}

PhaseId PhaseTable::add(PhaseSpec spec, const PhaseId* before) {
  if (specs_.size() >= kMaxPhases) throw std::logic_error("phase table: more than kMaxPhases phases");
  if (spec.cycles == nullptr) throw std::logic_error("phase table: phase '" + spec.name + "' has no cycle formula");
  for (const PhaseSpec& s : specs_)
    if (s.name == spec.name) throw std::logic_error("phase table: phase '" + spec.name + "' registered twice");
  const auto id = static_cast<PhaseId>(specs_.size());
  specs_.push_back(std::move(spec));
  const auto at = before ? std::find(order_.begin(), order_.end(), *before) : order_.end();
  order_.insert(at, id);
  return id;
}

int PhaseTable::code(PhaseId id) const {
  return static_cast<int>(std::find(order_.begin(), order_.end(), id) - order_.begin()) + 1;
}

bool PhaseTable::runs_on(PhaseId id, const CoreConfig& core, const TimestepContext& ctx) const {
  return specs_[id].runs_on == nullptr || specs_[id].runs_on(core, ctx);
}

PhaseCycles phase_cycles_formula(const CoreConfig& core, const CoreShape& shape, const TimestepWork& work,
                                 const TimestepContext& ctx) {
  const PhaseTable& table = PhaseTable::instance();
  PhaseCycles p;
  for (PhaseId id : table.order())
    if (table.runs_on(id, core, ctx)) p[id] = table[id].cycles(core, shape, work);
  return p;
}

uint64_t cycles_before_step(const PhaseCycles& cycles) {
  uint64_t sum = 0;
  for (PhaseId id : PhaseTable::instance().order()) {
    if (id == kPhaseStep) break;
    sum += cycles[id];
  }
  return sum;
}

}  // namespace neurochip::hw
