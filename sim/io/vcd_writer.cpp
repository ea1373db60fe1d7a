// Streaming VCD writer (see vcd_writer.h).
#include "io/vcd_writer.h"

#include <algorithm>

#include "core/core_datapath.h"
#include "io/vcd_format.h"

namespace neurochip::sim {
namespace {

constexpr size_t kBlock = 1 << 20;

uint64_t mask_of(int width) { return width >= 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1; }

/// Two's complement pattern of a signed value (masked to the signal's width by set()).
uint64_t bits_of(int64_t v) { return static_cast<uint64_t>(v); }

}  // namespace

VcdWriter::VcdWriter(std::ostream& os, const hw::ChipConfig& chip, const std::string& top, uint32_t neurons_per_core)
    : os_(os) {
  buf_ += "$version neurochip 0.1.0 $end\n$timescale 1 ps $end\n";
  buf_ += "$scope module " + top + " $end\n";
  chip_timestep_ = add_signal("timestep", 32);
  for (const hw::CoreConfig& core : chip.cores) {
    buf_ += "$scope module " + core.name + " $end\n";
    CoreSignals c{};
    c.phase = add_signal("phase", 32);
    c.timestep = add_signal("timestep", 64);
    c.spikes = add_signal("spikes", 64);
    c.membrane_count = std::min(neurons_per_core, core.enabled.neurons);
    c.readout_count = core.enabled.readouts;
    c.membranes = signals_.size();
    for (uint32_t j = 0; j < c.membrane_count; ++j) add_signal("u_" + std::to_string(j), 16);
    c.readouts = signals_.size();
    for (uint32_t k = 0; k < c.readout_count; ++k) add_signal("v_" + std::to_string(k), 16);
    buf_ += "$upscope $end\n";
    cores_.push_back(c);
  }
  buf_ += "$upscope $end\n$enddefinitions $end\n";
}

size_t VcdWriter::add_signal(const std::string& name, int width) {
  Signal s;
  s.id = vcd_id(signals_.size());
  s.mask = mask_of(width);
  buf_ += "$var wire " + std::to_string(width) + " " + s.id + " " + name + " $end\n";
  signals_.push_back(std::move(s));
  return signals_.size() - 1;
}

void VcdWriter::advance_to(hw::Ps time) {
  if (started_ && time.count() == time_) return;
  if (started_) write_changes();
  time_ = time.count();
  started_ = true;
}

void VcdWriter::tick(hw::Ps time, uint64_t timestep) {
  advance_to(time);
  set(chip_timestep_, timestep);
}

void VcdWriter::phase_begin(uint32_t core, hw::Ps time, int code, uint64_t timestep, uint64_t spikes,
                            const hw::CoreDatapath& datapath) {
  advance_to(time);
  const CoreSignals& c = cores_.at(core);
  set(c.phase, static_cast<uint64_t>(code));
  set(c.timestep, timestep);
  set(c.spikes, spikes);
  const std::vector<hw::FieldWord>& u = datapath.neurons().membrane();
  for (uint32_t j = 0; j < c.membrane_count; ++j) set(c.membranes + j, bits_of(u[j]));
  for (uint32_t k = 0; k < c.readout_count; ++k) set(c.readouts + k, bits_of(datapath.readout(k)));
}

void VcdWriter::idle(uint32_t core, hw::Ps time) {
  advance_to(time);
  set(cores_.at(core).phase, 0);
}

void VcdWriter::write_value(const Signal& s) {
  buf_.push_back('b');
  if (s.value == 0) {
    buf_.push_back('0');
  } else {
    int bit = 63;
    while (((s.value >> bit) & 1u) == 0) --bit;
    for (; bit >= 0; --bit) buf_.push_back(((s.value >> bit) & 1u) ? '1' : '0');
  }
  buf_.push_back(' ');
  buf_ += s.id;
  buf_.push_back('\n');
}

void VcdWriter::write_changes() {
  if (!dumped_) {
    buf_ += "#" + std::to_string(time_) + "\n$dumpvars\n";
    for (Signal& s : signals_) {
      write_value(s);
      s.written = s.value;
    }
    buf_ += "$end\n";
    dumped_ = true;
  } else {
    bool stamped = false;
    for (Signal& s : signals_) {
      if (s.value == s.written) continue;
      if (!stamped) {
        buf_ += "#" + std::to_string(time_) + "\n";
        stamped = true;
      }
      write_value(s);
      s.written = s.value;
    }
  }
  drain(false);
}

void VcdWriter::drain(bool all) {
  if (buf_.empty() || (!all && buf_.size() < kBlock)) return;
  if (!error_) {
    try {
      os_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    } catch (...) {
      error_ = std::current_exception();
      if (on_error_) on_error_();
    }
  }
  buf_.clear();
}

void VcdWriter::finish() {
  if (started_) write_changes();
  started_ = false;
  drain(true);
  if (error_) std::rethrow_exception(error_);
  os_.flush();
}

}  // namespace neurochip::sim
