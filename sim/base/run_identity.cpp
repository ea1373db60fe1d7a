// The tool's part of a run's identity (run_identity.h), from the generated build_info.h.
#include "base/run_identity.h"

#include "build_info.h"

namespace neurochip::sim {

RunIdentity tool_identity() { return RunIdentity{NEUROCHIP_VERSION, NEUROCHIP_GIT_REVISION, ""}; }

}  // namespace neurochip::sim
