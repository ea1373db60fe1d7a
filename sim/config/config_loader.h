// Public entry points of the YAML run-configuration loader: load a run description (chip +
// workload), apply "--set" overrides, validate everything and expand the workload into a RunConfig;
// emit the fully resolved configuration back as YAML. The schema is documented in configs/README.md.
// Only the loader's .cpp files include yaml-cpp; this header does not.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "config/run_config.h"

namespace neurochip::sim {

/// One problem found in a configuration, with a 1-based source position. For "--set" overrides
/// `file` is "--set", `line` the 1-based index of the override and `col` the column in it.
struct ConfigDiagnostic {
  std::string file;
  int line = 0;
  int col = 0;
  std::string message;
  /// "file:line:col: message" ("file: message" when the problem has no position, line == 0).
  std::string str() const;
};

/// Thrown by the loader with every problem it found; what() lists them one per line.
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::vector<ConfigDiagnostic> d);
  const std::vector<ConfigDiagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<ConfigDiagnostic> diagnostics_;
};

/// Loads `path`, applies `overrides` ("a.b.c=value", list elements by index, e.g.
/// "chip.cores.0.neuron.threshold=100") to the YAML tree before decoding, decodes, validates and
/// expands the workload. Throws ConfigError listing all problems found.
RunConfig load_run_config(const std::string& path, const std::vector<std::string>& overrides = {});

/// Same as load_run_config() for an in-memory document; `name` is the file name used in
/// diagnostics (and RunConfig::source_file), relative paths are resolved against `base_dir`.
RunConfig load_run_config_from_string(const std::string& yaml, const std::string& name, const std::string& base_dir,
                                      const std::vector<std::string>& overrides = {});

/// The fully resolved configuration as YAML in the same schema: every default written out,
/// leak time constants replaced by their integer factors, file paths absolute and seeds explicit.
/// Loading the result again yields an identical RunConfig.
std::string emit_resolved_config(const RunConfig& rc);

}  // namespace neurochip::sim
