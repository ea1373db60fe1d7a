// The resolved configuration as a tree (internal to the loader): emit_resolved.cpp builds it from
// the schema; emit_resolved_config() writes it and same_configuration() compares two of them.
#pragma once

#include "base/run_config.h"
#include "config/config_loader.h"
#include "config/yaml_reader.h"

namespace neurochip::sim {

YamlNode resolved_config_tree(const RunConfig& rc, const PathMapper& paths = {});

}  // namespace neurochip::sim
