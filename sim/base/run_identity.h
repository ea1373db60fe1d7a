// The identity of a run (issue "run identity"; README "Run identity"): the tool's version, the git
// revision it was built from when known, and the hash of the run's resolved configuration together
// with the content of every file it references. Two runs with equal identities simulate the same
// thing; sweeps key their points by it.
#pragma once

#include <string>

namespace neurochip::sim {

struct RunIdentity {
  std::string version;       ///< e.g. "0.1.0"
  std::string git_revision;  ///< the commit the binary was built from, "" when unknown
  std::string config_hash;   ///< 32 hex digits (XXH3-128), "" when not computed
};

/// This binary's version and git revision (config_hash empty).
RunIdentity tool_identity();

}  // namespace neurochip::sim
