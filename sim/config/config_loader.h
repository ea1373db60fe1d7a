// Public entry points of the YAML run-configuration loader: load a run description (chip +
// workload), apply "--set" overrides, validate everything and expand the workload into a RunConfig;
// emit the fully resolved configuration back as YAML. The schema is documented in configs/README.md.
// Only the loader's .cpp files include yaml-cpp; this header does not.
#pragma once

#include <string>
#include <vector>

#include "base/diagnostics.h"
#include "base/run_config.h"

namespace neurochip::sim {

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

/// Two configurations are the same when every key of the schema has the same value in both (their
/// resolved configurations are equal); the expanded images and stimulus are not compared.
bool same_configuration(const RunConfig& a, const RunConfig& b);

}  // namespace neurochip::sim
