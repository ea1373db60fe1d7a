// Streaming VCD waveform of the cycle model (traces/README.md, waves.vcd): fed by the chip's ticks
// and the cores' phase boundaries (hw::PhaseObserver), it writes per core the phase code from the
// phase table (SPEC.md §4.1; 0 idle), the timestep, the spike count of the latest STEP, the first N
// membranes and every readout, plus the chip's timestep; timescale 1 ps. Each time point carries
// the values as they are at its end. Bytes go to any ostream (a checked OutputFile in a run). The
// observer calls come from simulation threads, so a stream error is kept (and `on_error` called,
// e.g. to stop the simulation) and rethrown by finish().
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "chip/chip_config.h"
#include "core/phase_observer.h"

namespace neurochip::sim {

class VcdWriter : public hw::PhaseObserver {
 public:
  /// Writes the header: scope `top` with the chip's timestep, one scope per core (its name) with
  /// phase, timestep, spikes, u_0 .. u_{n-1} (n = min(neurons_per_core, enabled neurons)) and
  /// v_0 .. v_{O-1}.
  VcdWriter(std::ostream& os, const hw::ChipConfig& chip, const std::string& top, uint32_t neurons_per_core);

  void tick(hw::Ps time, uint64_t timestep) override;
  void phase_begin(uint32_t core, hw::Ps time, int code, uint64_t timestep, uint64_t spikes,
                   const hw::CoreDatapath& datapath) override;
  void idle(uint32_t core, hw::Ps time) override;
  /// Called once when writing fails (from inside the simulation).
  void on_error(std::function<void()> handler) { on_error_ = std::move(handler); }
  /// Writes the last time point and hands everything to the stream; rethrows an earlier error.
  void finish();

 private:
  struct Signal {
    std::string id;
    uint64_t mask;
    uint64_t value = 0;
    uint64_t written = 0;
  };
  struct CoreSignals {
    size_t phase, timestep, spikes, membranes, readouts;
    uint32_t membrane_count, readout_count;
  };
  size_t add_signal(const std::string& name, int width);
  void set(size_t signal, uint64_t value) { signals_[signal].value = value & signals_[signal].mask; }
  void advance_to(hw::Ps time);
  void write_changes();
  void write_value(const Signal& s);
  void drain(bool all);

  std::ostream& os_;
  std::string buf_;
  std::vector<Signal> signals_;
  size_t chip_timestep_ = 0;
  std::vector<CoreSignals> cores_;
  uint64_t time_ = 0;        ///< the time point whose values are being set
  bool started_ = false;     ///< a time point is open
  bool dumped_ = false;      ///< the initial values are written
  std::exception_ptr error_;
  std::function<void()> on_error_;
};

}  // namespace neurochip::sim
