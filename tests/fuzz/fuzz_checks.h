// What every fuzz target of the loader checks beyond "no crash, no sanitizer report": a finding is
// reported through finding(), which prints what broke and aborts, so that libFuzzer saves the input.
// A ConfigError is a normal outcome when each of its diagnostics has a file, a message, a position
// (line and column >= 1, or 0 and 0 for file-level problems) and text that needs no escaping.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <typeinfo>
#include <vector>

#include "base/diagnostics.h"
#include "base/run_config.h"
#include "config/config_loader.h"

namespace neurochip::sim::fuzz {

[[noreturn]] inline void finding(const std::string& what) {
  std::fprintf(stderr, "FUZZ FINDING: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

/// Text with no control byte, no DEL and only valid UTF-8 is echoed unchanged.
inline bool clean(const std::string& text) { return echo(text, text.size() + 1) == text; }

inline void check_diagnostic(const ConfigDiagnostic& d) {
  const bool positioned = d.line > 0 && d.col > 0;
  const bool file_level = d.line == 0 && d.col == 0;
  if (d.file.empty() || d.message.empty() || !(positioned || file_level)) {
    finding("badly formed diagnostic '" + d.str() + "' (line " + std::to_string(d.line) + ", col " +
            std::to_string(d.col) + ")");
  }
  if (!clean(d.message)) finding("diagnostic echoes raw bytes: " + echo(d.message, kMaxEchoPathChars));
  if (!clean(d.str())) finding("diagnostic position echoes raw bytes: " + echo(d.str(), kMaxEchoPathChars));
}

inline void check_diagnostics(const std::vector<ConfigDiagnostic>& diags) {
  for (const ConfigDiagnostic& d : diags) check_diagnostic(d);
}

inline void check_config_error(const ConfigError& e) {
  if (e.diagnostics().empty()) finding("ConfigError without diagnostics");
  if (e.diagnostics().size() > kMaxReportedDiagnostics || e.total() < e.diagnostics().size()) {
    finding("ConfigError reports " + std::to_string(e.diagnostics().size()) + " of " + std::to_string(e.total()));
  }
  check_diagnostics(e.diagnostics());
}

/// An accepted configuration round-trips through its resolved form.
inline void check_accepted(const RunConfig& rc) {
  if (rc.image.cores.size() != rc.chip.cores.size()) finding("not one image per core");
  for (size_t c = 0; c < rc.chip.cores.size() && c < rc.image.cores.size(); ++c) {
    const hw::CoreShape& en = rc.chip.cores[c].enabled;
    const hw::CoreImage& im = rc.image.cores[c];
    if (im.input_weights.size() != size_t{en.inputs} * en.neurons ||
        im.recurrent_weights.size() != size_t{en.neurons} * en.neurons ||
        im.output_weights.size() != size_t{en.neurons} * en.readouts) {
      finding("core '" + rc.chip.cores[c].name + "': weight images do not match the enabled slot counts");
    }
  }
  const std::string resolved = emit_resolved_config(rc);
  try {
    const RunConfig again = load_run_config_from_string(resolved, "resolved.yaml", "/");
    if (emit_resolved_config(again) != resolved) finding("resolved configuration does not round-trip:\n" + resolved);
  } catch (const ConfigError& e) {
    finding("resolved configuration does not load again: " + std::string(e.what()) + "\n" + resolved);
  }
}

/// Runs a load: accepted configurations are checked, ConfigErrors are the normal failure, any
/// other exception is a finding.
template <class Load>
void load_and_check(Load load) {
  try {
    check_accepted(load());
  } catch (const ConfigError& e) {
    check_config_error(e);
  } catch (const std::exception& e) {
    finding(std::string("unexpected exception ") + typeid(e).name() + ": " + e.what());
  } catch (...) {
    finding("unexpected non-standard exception");
  }
}

}  // namespace neurochip::sim::fuzz
