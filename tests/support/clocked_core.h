// A deliberately naive, clock-driven model of one core's timestep schedule (SPEC.md §4.1), used to
// show that NeuroCore, which skips ahead by whole phases, is cycle-identical to ticking every clock
// cycle. An SC_METHOD on an sc_clock walks the hardware one cycle at a time through the phases of
// the phase table, in its order: STEP with its walkers (one neuron word every
// `neuron_word_cycles`, one input slot and one readout per cycle) and tail, PROP with its scanner,
// the neuron-word sweep of every active index and the extra cycles of input-only indices, and
// every other phase (SYNC, STEP_DONE, or any phase registered later) as a countdown of its table
// formula. It counts the cycles it spends in each phase and emits each spike in the last cycle of
// its neuron word; the arithmetic is CoreDatapath's (checked elsewhere), run when its phase begins.
// Free-running timesteps, one core.
#pragma once

#include <cstdint>
#include <vector>

#include <systemc>

#include "common/aer_types.h"
#include "core/core_config.h"
#include "core/core_datapath.h"
#include "core/core_image.h"
#include "core/core_timing.h"
#include "core/phase_table.h"

namespace neurochip::test {

class ClockedCore : public sc_core::sc_module {
 public:
  sc_core::sc_in<bool> clk_i;

  ClockedCore(sc_core::sc_module_name name, const hw::CoreConfig& cfg, hw::CoreImage image,
              hw::InputSchedule stimulus, uint64_t timesteps)
      : sc_core::sc_module(name),
        clk_i("clk_i"),
        cfg_(cfg),
        stimulus_(std::move(stimulus)),
        timesteps_(timesteps),
        datapath_(cfg_, std::move(image)),
        words_(static_cast<uint32_t>(hw::ceil_div(cfg.enabled.neurons, cfg.memory.neurons_per_word))),
        scan_length_(std::max(cfg.enabled.inputs, cfg.enabled.neurons)) {
    SC_HAS_PROCESS(ClockedCore);
    SC_METHOD(on_clock);
    sensitive << clk_i.pos();
    dont_initialize();
  }

  std::vector<hw::CoreTimestepReport> reports;  ///< one per completed timestep
  std::vector<hw::EmittedSpike> spikes;          ///< in emission order
  uint64_t cycles_elapsed() const { return cycle_; }

 private:
  enum class State { kIdle, kCountdown, kStep, kStepTail, kScan, kSweep, kInputOnly };

  bool active(uint32_t i) const {
    return (i < cfg_.enabled.inputs && x_[i]) || (i < cfg_.enabled.neurons && z_[i]);
  }

  /// Enters phase number `position` of the table's order (or finishes the timestep after the
  /// last): runs its datapath work and sets up its walker.
  void begin_phase(size_t position) {
    const hw::PhaseTable& table = hw::PhaseTable::instance();
    while (position < table.order().size() && !table.runs_on(table.order()[position], cfg_)) ++position;
    position_ = position;
    if (position == table.order().size()) {
      report_.active_indices = datapath_.work().active_indices;
      report_.input_events = datapath_.input_events();
      report_.spikes = datapath_.spiking().size();
      reports.push_back(report_);
      ++timestep_;
      state_ = State::kIdle;
      return;
    }
    phase_ = table.order()[position];
    const hw::PhaseSpec& spec = table[phase_];
    if (spec.execute) spec.execute(datapath_);
    if (phase_ == hw::kPhaseStep) {
      z_.assign(cfg_.enabled.neurons, 0);
      for (uint32_t j : datapath_.spiking()) z_[j] = 1;
      word_ = word_cycle_ = walked_ = 0;
      state_ = State::kStep;
    } else if (phase_ == hw::kPhaseProp) {
      index_ = 0;
      left_ = cfg_.timing.scan_cycles_per_index;
      state_ = State::kScan;
    } else {
      left_ = spec.cycles(cfg_, datapath_.shape(), datapath_.work());
      state_ = State::kCountdown;
    }
  }

  /// Spends the current cycle in the current phase.
  void count_cycle() {
    ++report_.cycles[phase_];
    ++cycle_;
  }

  /// One clock cycle. Zero-length phases are left within the same cycle; a state that does work
  /// in this cycle returns after counting it.
  void on_clock() {
    const hw::TimingProfile& tp = cfg_.timing;
    const uint32_t c = tp.neuron_word_cycles;
    for (;;) {
      switch (state_) {
        case State::kIdle:
          if (timestep_ >= timesteps_) {
            ++cycle_;
            return;
          }
          report_ = hw::CoreTimestepReport{};
          report_.timestep = timestep_;
          report_.start_cycle = cycle_;
          x_.assign(cfg_.enabled.inputs, 0);
          if (timestep_ < stimulus_.size()) {
            for (const hw::AerEvent& e : stimulus_[timestep_]) {
              datapath_.receive(e.address, hw::Ps(cycle_));
              x_[e.address] = 1;
            }
          }
          datapath_.begin_timestep(hw::Ps(cycle_));
          begin_phase(0);
          continue;
        case State::kCountdown:
          if (left_ == 0) {
            begin_phase(position_ + 1);
            continue;
          }
          --left_;
          count_cycle();
          return;
        case State::kStep: {
          const bool words_left = word_ < words_;
          if (!words_left && walked_ >= cfg_.enabled.inputs && walked_ >= cfg_.enabled.readouts) {
            left_ = tp.step_tail_cycles;
            state_ = State::kStepTail;
            continue;
          }
          if (words_left) {
            if (word_cycle_ + 1 == c) {
              for (uint32_t j : datapath_.spiking())
                if (j / cfg_.memory.neurons_per_word == word_) spikes.push_back({timestep_, cycle_, 0, j});
              ++word_;
              word_cycle_ = 0;
            } else {
              ++word_cycle_;
            }
          }
          ++walked_;
          count_cycle();
          return;
        }
        case State::kStepTail:
          if (left_ == 0) {
            begin_phase(position_ + 1);
            continue;
          }
          --left_;
          count_cycle();
          return;
        case State::kScan:
          if (index_ >= scan_length_) {
            begin_phase(position_ + 1);
            continue;
          }
          if (left_ == 0) {
            if (active(index_)) {
              word_ = word_cycle_ = 0;
              state_ = State::kSweep;
            } else {
              ++index_;
              left_ = tp.scan_cycles_per_index;
            }
            continue;
          }
          --left_;
          count_cycle();
          return;
        case State::kSweep:
          if (word_ >= words_) {
            left_ = index_ >= cfg_.enabled.neurons && hw::updates_input_only_traces(cfg_, {}) ? tp.input_only_cycles : 0;
            state_ = State::kInputOnly;
            continue;
          }
          if (++word_cycle_ == c) {
            ++word_;
            word_cycle_ = 0;
          }
          count_cycle();
          return;
        case State::kInputOnly:
          if (left_ == 0) {
            ++index_;
            left_ = tp.scan_cycles_per_index;
            state_ = State::kScan;
            continue;
          }
          --left_;
          count_cycle();
          return;
      }
    }
  }

  const hw::CoreConfig cfg_;
  const hw::InputSchedule stimulus_;
  const uint64_t timesteps_;
  hw::CoreDatapath datapath_;
  const uint32_t words_;
  const uint32_t scan_length_;
  State state_ = State::kIdle;
  size_t position_ = 0;
  hw::PhaseId phase_ = hw::kPhaseSync;
  uint64_t cycle_ = 0;
  uint64_t timestep_ = 0;
  uint64_t left_ = 0;
  uint32_t word_ = 0, word_cycle_ = 0, walked_ = 0, index_ = 0;
  hw::CoreTimestepReport report_;
  std::vector<uint8_t> x_, z_;
};

}  // namespace neurochip::test
