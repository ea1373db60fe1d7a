// Public entry points of the YAML run-configuration loader: load a run description (chip +
// workload), apply "--set" overrides, validate everything and expand the workload into a RunConfig;
// emit the fully resolved configuration back as YAML. The schema is documented in configs/README.md.
// Only the loader's .cpp files include yaml-cpp; this header does not.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostics.h"
#include "base/run_config.h"
#include "config/yaml_reader.h"

namespace neurochip::sim {

/// Loads `path`, applies `overrides` ("a.b.c=value", list elements by index, e.g.
/// "chip.cores.0.neuron.threshold=100") to the YAML tree before decoding, decodes, validates and
/// expands the workload. Throws ConfigError listing all problems found.
RunConfig load_run_config(const std::string& path, const std::vector<std::string>& overrides = {});

/// Same as load_run_config() for an in-memory document; `name` is the file name used in
/// diagnostics (and RunConfig::source_file), relative paths are resolved against `base_dir`.
RunConfig load_run_config_from_string(const std::string& yaml, const std::string& name, const std::string& base_dir,
                                      const std::vector<std::string>& overrides = {});

/// How the resolved configuration writes a file path (decoded paths are absolute and normalised).
using PathMapper = std::function<std::string(const std::string& absolute_path)>;

/// The fully resolved configuration as YAML in the same schema: every default written out,
/// leak time constants replaced by their integer factors, seeds explicit and file paths as
/// `paths` writes them (absolute without one). Loading the result again (from the directory the
/// paths are relative to) yields an identical RunConfig.
std::string emit_resolved_config(const RunConfig& rc, const PathMapper& paths = {});

/// Writes each path relative to `dir` (a run's output directory, where resolved_config.yaml lives).
PathMapper paths_relative_to(const std::string& dir);

/// The configuration part of a run's identity (base/run_identity.h): XXH3-128, as 32 hex digits, of
/// the tool's version and the resolved configuration with every file path replaced by the hash of
/// the file's content, so the hash follows what is simulated, not where the files are. Throws
/// IoError when a referenced file cannot be read.
std::string config_hash(const RunConfig& rc);

/// Sweeps (sim/sweep): checks, before anything runs, that `path` ("chip.cores.0.memory.word_bits",
/// list elements by index) names a scalar key of the schema and that `value` is a legal value of
/// that key on its own (type, range or enumeration; what depends on other keys is checked when the
/// configuration is loaded). Problems are appended to `diags`, at `path_at` or at the value.
void check_override_value(const std::string& path, const SourceLocation& path_at, const YamlNode& value,
                          std::vector<ConfigDiagnostic>& diags);

/// Whether `path` names a file-path key of the schema (whose relative values a sweep file resolves
/// against its own directory).
bool override_takes_path(const std::string& path);

/// The value of the scalar key at `path` (list elements by index) in the resolved configuration
/// of `rc`, as written there; nullopt when the resolved configuration has no such scalar (an
/// unknown key, an index past a list's end, or a key that does not apply to this configuration).
std::optional<std::string> resolved_value(const RunConfig& rc, const std::string& path);

/// Two configurations are the same when every key of the schema has the same value in both (their
/// resolved configurations are equal); the expanded images and stimulus are not compared.
bool same_configuration(const RunConfig& a, const RunConfig& b);

}  // namespace neurochip::sim
