// Entry points of the YAML run-configuration loader (config_loader.h): read the file (a regular
// file within the size limit), parse it, apply the "--set" overrides to the tree, decode and
// validate it against the schema (decoder.h) and expand the workload (network_builder.h). The
// emitter of the resolved configuration is emit_resolved.cpp.
#include "config/config_loader.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <tuple>

#include "config/decoder.h"
#include "config/yaml_reader.h"
#include "io/input_file.h"

namespace neurochip::sim {
namespace {

/// Sorts diagnostics by position within each file; files keep the order of their first problem.
Diags in_document_order(Diags diags) {
  std::map<std::string, size_t> file_rank;
  for (const ConfigDiagnostic& d : diags) file_rank.emplace(d.file, file_rank.size());
  std::stable_sort(diags.begin(), diags.end(), [&](const ConfigDiagnostic& a, const ConfigDiagnostic& b) {
    return std::make_tuple(file_rank.at(a.file), a.line, a.col) < std::make_tuple(file_rank.at(b.file), b.line, b.col);
  });
  return diags;
}

/// `path` made absolute and normalised; as given (normalised) when the current directory is
/// unavailable: relative files then fail to open and are reported at the keys that name them.
std::string absolute_or_as_given(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  return (ec ? std::filesystem::path(path) : absolute).lexically_normal().string();
}

RunConfig load(const std::string& text, const std::string& name, const std::string& base_dir,
               const std::vector<std::string>& overrides, const std::string& source_file) {
  if (text.size() > kMaxConfigFileBytes) {
    throw ConfigError({ConfigDiagnostic{name, 0, 0, too_large_message(kMaxConfigFileBytes, "a config file", text.size())}});
  }
  Diags diags;
  std::optional<YamlNode> doc = parse_yaml_document(text, name, diags);
  if (!doc) throw ConfigError(std::move(diags));
  for (size_t i = 0; i < overrides.size(); ++i) apply_override(*doc, overrides[i], static_cast<int>(i) + 1, diags);
  RunConfig rc;
  rc.source_file = source_file;
  const std::string base = absolute_or_as_given(base_dir.empty() ? "." : base_dir);
  Decoder(diags, base).decode(*doc, rc);
  if (!diags.empty()) throw ConfigError(in_document_order(std::move(diags)));
  return rc;
}

}  // namespace

RunConfig load_run_config(const std::string& path, const std::vector<std::string>& overrides) {
  if (path.empty()) throw ConfigError({ConfigDiagnostic{"''", 0, 0, "no config file given (the path is empty)"}});
  const InputFileCheck check = check_input_file(path, kMaxConfigFileBytes, "a config file");
  if (!check.problem.empty()) throw ConfigError({ConfigDiagnostic{path, 0, 0, check.problem}});
  std::string text;
  if (check.result == InputFileCheck::Result::kMissing || !read_input_file(path, kMaxConfigFileBytes, text)) {
    throw ConfigError({ConfigDiagnostic{path, 0, 0, "cannot open config file"}});
  }
  if (text.size() > kMaxConfigFileBytes) {  // it grew since it was checked
    throw ConfigError({ConfigDiagnostic{
        path, 0, 0, too_large_message(kMaxConfigFileBytes, "a config file", kMaxConfigFileBytes, true)}});
  }
  const std::filesystem::path absolute = absolute_or_as_given(path);
  return load(text, path, absolute.parent_path().string(), overrides, absolute.string());
}

RunConfig load_run_config_from_string(const std::string& yaml, const std::string& name, const std::string& base_dir,
                                      const std::vector<std::string>& overrides) {
  return load(yaml, name, base_dir, overrides, name);
}

}  // namespace neurochip::sim
