// The phase table of a core's timestep (SPEC.md §4.1): every phase is one entry — name, cycle
// formula, which cores run it, where it sits in the timestep, and the datapath work it does — and
// everything that lists phases (per-timestep records and their CSV columns, per-phase statistics,
// VCD phase codes, the clocked-walk test model, the functional reference's cycle counts) iterates
// over this table. A phase added here (a learning engine, or a test's dummy) appears in all of them.
// SystemC-free.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/sample_protocol.h"
#include "core/core_config.h"

namespace neurochip::hw {

class CoreDatapath;

/// Work of one timestep that phase costs depend on (SPEC §4.1).
struct TimestepWork {
  uint64_t active_indices = 0;      ///< A: indices with an input event and/or a spike
  uint64_t input_only_indices = 0;  ///< A_s: active indices >= enabled neurons
  uint64_t synapse_list_words = 0;  ///< L: synapse-list words PROP read (sparse cores, SPEC §3.4)
};

/// Identifies a phase: its index in registration order (stable; the built-in ones are constants).
using PhaseId = uint32_t;
inline constexpr PhaseId kPhaseSync = 0;
inline constexpr PhaseId kPhaseStep = 1;
inline constexpr PhaseId kPhaseStepDone = 2;
inline constexpr PhaseId kPhaseProp = 3;
inline constexpr PhaseId kPhaseSend = 4;
inline constexpr PhaseId kPhaseEprop = 5;
/// Most phases a timestep can have (the records keep a fixed-size array of them).
inline constexpr size_t kMaxPhases = 8;

/// Cycles spent in each phase of one timestep of one core, indexed by PhaseId.
class PhaseCycles {
 public:
  uint64_t& operator[](PhaseId id) { return cycles_[id]; }
  uint64_t operator[](PhaseId id) const { return cycles_[id]; }
  uint64_t total() const;
  bool operator==(const PhaseCycles& o) const { return cycles_ == o.cycles_; }
  bool operator!=(const PhaseCycles& o) const { return !(*this == o); }

 private:
  std::array<uint64_t, kMaxPhases> cycles_{};
};

/// One phase of the timestep.
struct PhaseSpec {
  std::string name;         ///< identifier: `<name>_cycles` column, `cycles.<name>` statistic
  std::string label;        ///< as SPEC writes it, e.g. "STEP_DONE"
  std::string description;  ///< one line for the statistic
  /// SPEC cycle formula of the phase for a core of `shape` that did `work` this timestep.
  uint64_t (*cycles)(const CoreConfig& core, const CoreShape& shape, const TimestepWork& work) = nullptr;
  /// Whether a core runs the phase in a timestep with context `ctx` (nullptr: always); when it
  /// does not, the phase costs 0 cycles and does no work.
  bool (*runs_on)(const CoreConfig& core, const TimestepContext& ctx) = nullptr;
  /// The datapath work of the phase, returning the cycles it counted while doing it (must equal
  /// the formula); nullptr: no datapath work, the formula gives the cost.
  uint64_t (*execute)(CoreDatapath& datapath) = nullptr;
};

/// The registered phases, in the order a timestep runs them.
class PhaseTable {
 public:
  /// The process-wide table, holding the built-in phases SYNC, STEP, STEP_DONE, PROP and SEND.
  static PhaseTable& instance();

  /// Registers a phase to run just before phase `before` (or last when `before` is absent) and
  /// returns its id. Register before any core, record or statistic is built.
  PhaseId add(PhaseSpec spec, const PhaseId* before = nullptr);

  size_t size() const { return specs_.size(); }
  const PhaseSpec& operator[](PhaseId id) const { return specs_[id]; }
  /// Phase ids in execution order.
  const std::vector<PhaseId>& order() const { return order_; }
  /// 1-based position of `id` in execution order: the phase's code in waveforms (0 is idle).
  int code(PhaseId id) const;
  bool runs_on(PhaseId id, const CoreConfig& core, const TimestepContext& ctx = {}) const;

 private:
  PhaseTable();
  std::vector<PhaseSpec> specs_;
  std::vector<PhaseId> order_;
};

/// SPEC §4.1: the cycles of every phase of one timestep, from the phase table's formulas.
PhaseCycles phase_cycles_formula(const CoreConfig& core, const CoreShape& shape, const TimestepWork& work,
                                 const TimestepContext& ctx = {});

/// Cycles of the phases that run before STEP in a timestep with these phase cycles.
uint64_t cycles_before_step(const PhaseCycles& cycles);

}  // namespace neurochip::hw
