// The configuration hash of a run (config_loader.h config_hash; README "Run identity"): the
// resolved configuration with each referenced file replaced by the XXH3-128 of its bytes, hashed
// with the tool's version.
#include <cstdio>
#include <fstream>
#include <map>
#include <vector>

#include <xxhash.h>

#include "base/run_identity.h"
#include "config/config_loader.h"
#include "io/manifest.h"

namespace neurochip::sim {
namespace {

std::string hex128(const XXH128_hash_t& h) {
  char text[33];
  std::snprintf(text, sizeof text, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return text;
}

std::string file_hash(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot read " + path + " to hash the configuration that references it");
  XXH3_state_t* state = XXH3_createState();
  XXH3_128bits_reset(state);
  std::vector<char> buffer(1 << 16);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    XXH3_128bits_update(state, buffer.data(), static_cast<size_t>(in.gcount()));
  }
  const XXH128_hash_t h = XXH3_128bits_digest(state);
  XXH3_freeState(state);
  return hex128(h);
}

}  // namespace

std::string config_hash(const RunConfig& rc) {
  std::map<std::string, std::string> seen;
  const std::string text = emit_resolved_config(rc, [&seen](const std::string& path) {
    auto it = seen.find(path);
    if (it == seen.end()) it = seen.emplace(path, "xxh3-128:" + file_hash(path)).first;
    return it->second;
  });
  const std::string keyed = "neurochip " + tool_identity().version + "\n" + text;
  return hex128(XXH3_128bits(keyed.data(), keyed.size()));
}

}  // namespace neurochip::sim
