// divergence.json and the stderr message of a lockstep divergence (see divergence_report.h).
#include "io/divergence_report.h"

#include <sstream>

#include <nlohmann/json.hpp>

namespace neurochip::sim {

void write_divergence_json(std::ostream& os, const hw::LearningDivergence& d, const std::string& waveform) {
  nlohmann::ordered_json j;
  j["status"] = "diverged";
  j["timestep"] = d.timestep;
  j["core"] = d.core;
  j["core_name"] = d.core_name;
  j["phase"] = d.phase;
  j["phase_start_cycle"] = d.phase_start_cycle;
  j["phase_cycle"] = d.phase_cycle >= 0 ? nlohmann::ordered_json(d.phase_cycle) : nlohmann::ordered_json();
  j["rtl_cycle"] = d.rtl_cycle;
  j["field"] = d.field;
  j["index"] = d.index >= 0 ? nlohmann::ordered_json(d.index) : nlohmann::ordered_json();
  j["post"] = d.post >= 0 ? nlohmann::ordered_json(d.post) : nlohmann::ordered_json();
  j["model_value"] = d.model_value;
  j["rtl_value"] = d.rtl_value;
  if (waveform.empty()) {
    j["waveform"] = nullptr;
  } else {
    j["waveform"] = waveform;
    j["waveform_time"] = 2 * d.rtl_cycle;  // the diverging cycle, clock low: its requests and write data
  }
  os << j.dump(2) << '\n';
}

std::string describe_divergence(const hw::LearningDivergence& d, const std::string& waveform) {
  std::ostringstream s;
  s << "lockstep divergence: timestep " << d.timestep << ", core " << d.core << " ('" << d.core_name << "'), phase "
    << d.phase << " (began at core cycle " << d.phase_start_cycle;
  if (d.phase_cycle >= 0) s << ", cycle " << d.phase_cycle << " of the phase";
  s << "), RTL cycle " << d.rtl_cycle << ": " << d.field;
  if (d.index >= 0) s << " index " << d.index;
  if (d.post >= 0) s << " post " << d.post;
  s << ": model " << d.model_value << ", RTL " << d.rtl_value;
  if (!waveform.empty()) s << "; the RTL's ports up to it: " << waveform << " (time " << 2 * d.rtl_cycle << ")";
  return s.str();
}

}  // namespace neurochip::sim
