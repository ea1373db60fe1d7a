// Run manifest rendering, parsing and verification (see manifest.h).
#include "io/manifest.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "io/crc32.h"

namespace neurochip::sim {
namespace {

std::string hex32(uint32_t v) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

}  // namespace

std::string render_manifest(const Manifest& m) {
  nlohmann::ordered_json root;
  root["neurochip_manifest"] = m.format;
  root["run_id"] = m.run_id;
  root["status"] = m.diverged ? "diverged" : (m.halted ? "halted" : "complete");
  root["fidelity"] = m.fidelity;
  root["config"] = m.config;
  root["checksum"] = "crc32";
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  for (const ManifestEntry& f : m.files) files.push_back({{"name", f.name}, {"size", f.size}, {"crc32", hex32(f.crc32)}});
  root["files"] = std::move(files);
  return root.dump(2) + "\n";
}

Manifest parse_manifest(const std::string& text, const std::string& origin) {
  Manifest m;
  try {
    const nlohmann::json j = nlohmann::json::parse(text);
    if (!j.is_object() || !j.contains("neurochip_manifest")) throw IoError(origin + ": not a neurochip manifest");
    m.format = j.at("neurochip_manifest").get<int>();
    if (m.format != kManifestFormat)
      throw IoError(origin + ": manifest format " + std::to_string(m.format) + " (this neurochip reads " +
                    std::to_string(kManifestFormat) + ")");
    if (j.at("checksum").get<std::string>() != "crc32") throw IoError(origin + ": unknown checksum");
    m.run_id = j.at("run_id").get<std::string>();
    m.fidelity = j.at("fidelity").get<std::string>();
    m.config = j.at("config").get<std::string>();
    m.halted = j.at("status").get<std::string>() == "halted";
    m.diverged = j.at("status").get<std::string>() == "diverged";
    for (const auto& f : j.at("files")) {
      ManifestEntry e;
      e.name = f.at("name").get<std::string>();
      e.size = f.at("size").get<uint64_t>();
      const std::string crc = f.at("crc32").get<std::string>();
      if (crc.size() != 8 || crc.find_first_not_of("0123456789abcdef") != std::string::npos)
        throw IoError(origin + ": bad crc32 of " + e.name);
      e.crc32 = static_cast<uint32_t>(std::stoul(crc, nullptr, 16));
      if (e.name.empty() || e.name.find('/') != std::string::npos || e.name[0] == '.')
        throw IoError(origin + ": bad file name '" + e.name + "'");
      m.files.push_back(e);
    }
  } catch (const nlohmann::json::exception& e) {
    throw IoError(origin + ": malformed manifest (" + e.what() + ")");
  }
  return m;
}

ManifestEntry checksum_file(const std::string& dir, const std::string& name) {
  const std::string path = dir + "/" + name;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw IoError("cannot read " + path + ": " + std::strerror(errno));
  ManifestEntry e;
  e.name = name;
  std::vector<char> buf(1 << 20);
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) {
    e.crc32 = crc32_update(e.crc32, buf.data(), n);
    e.size += n;
  }
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) throw IoError("error reading " + path);
  return e;
}

Manifest read_verified_manifest(const std::string& dir) {
  const std::string path = dir + "/" + kManifestName;
  std::ifstream is(path, std::ios::binary);
  if (!is)
    throw IoError(dir + " holds no complete run: " + kManifestName +
                  " is missing (the run is still going, failed or was interrupted)");
  std::ostringstream ss;
  ss << is.rdbuf();
  const Manifest m = parse_manifest(ss.str(), path);
  for (const ManifestEntry& want : m.files) {
    ManifestEntry got;
    try {
      got = checksum_file(dir, want.name);
    } catch (const IoError& e) {
      throw IoError(dir + " holds no complete run: " + e.what());
    }
    if (got.size != want.size || got.crc32 != want.crc32)
      throw IoError(dir + " holds no complete run: " + want.name + " does not match " + kManifestName + " (" +
                    std::to_string(got.size) + " bytes, crc32 " + hex32(got.crc32) + "; listed " +
                    std::to_string(want.size) + " bytes, crc32 " + hex32(want.crc32) + ")");
  }
  return m;
}

}  // namespace neurochip::sim
