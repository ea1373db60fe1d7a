// Documentation generated from the configuration schema (config/schema.h): Markdown key tables
// and a JSON Schema of run descriptions.
#pragma once

#include <string>

namespace neurochip::sim {

/// The Markdown table of the keys of the schema mapping at `path` (e.g. "chip.timestep").
std::string schema_markdown_table(const std::string& path);
/// Every mapping of the schema: a heading, its note and its table inside a region marker.
std::string schema_markdown();
/// `markdown` with every region `<!-- schema: PATH -->` ... `<!-- /schema -->` replaced by the
/// current table of PATH (configs/README.md keeps its tables this way).
std::string update_schema_regions(const std::string& markdown);
/// A JSON Schema (draft-07) of run descriptions: every mapping closed to unknown keys, types,
/// ranges, enumerations, required keys, alternatives and conditional keys.
std::string json_schema();

}  // namespace neurochip::sim
