// Documentation generated from the configuration schema (config/schema_doc.h): the key tables of
// configs/README.md (regions between `<!-- schema: PATH -->` and `<!-- /schema -->`) and a JSON
// Schema (draft-07) of run descriptions for editors (yaml-language-server) and validators.
#include "config/schema_doc.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "config/decoder.h"
#include "config/schema.h"

namespace neurochip::sim {
namespace {

using schema::Key;
using schema::Kind;
using schema::Map;
using Json = nlohmann::ordered_json;

std::string code(const std::string& s) { return "`" + s + "`"; }

std::string type_text(const Key& k) {
  switch (k.kind) {
    case Kind::kInt: return "int";
    case Kind::kUInt64: return "uint64";
    case Kind::kNumber: return "number";
    case Kind::kEnum: return "enum";
    case Kind::kBool: return "bool";
    case Kind::kName: return "name";
    case Kind::kString: return "string";
    case Kind::kPath: return "path";
    case Kind::kMap: return k.map->path == "sram" ? "`{words, word_bits}`" : "mapping";
    case Kind::kList: return "list";
    case Kind::kIntPair: return "`[min, max]`";
    case Kind::kTripleList: return "list of `[pre, post, weight]`";
  }
  return "";
}

std::string range_text(const Key& k) {
  std::string s;
  auto fmt = [&k](int64_t v) { return k.hex && v != 0 ? hex_text(v) : std::to_string(v); };
  switch (k.kind) {
    case Kind::kInt:
      if (!k.int_set.empty()) {
        s = schema::expectation(k);
      } else if (k.max == schema::kNoMax) {
        s = "≥ " + fmt(k.min);
      } else {
        s = fmt(k.min) + ".." + fmt(k.max);
      }
      if (!k.int_word.empty()) s += " or `" + k.int_word + "`";
      break;
    case Kind::kUInt64:
      s = "0..2^64−1";
      break;
    case Kind::kNumber:
      if (std::isinf(k.number_max)) {
        s = (k.number_min_exclusive ? "> " : "≥ ") + number_text(k.number_min);
      } else {
        s = number_text(k.number_min) + ".." + number_text(k.number_max);
      }
      break;
    case Kind::kEnum:
      for (size_t i = 0; i < k.values.size(); ++i) s += (i ? ", " : "") + code(k.values[i]);
      break;
    case Kind::kBool:
      s = "`true`, `false`";
      break;
    case Kind::kName:
      s = "`[A-Za-z0-9_]+`";
      break;
    default:
      break;
  }
  if (!k.range_note.empty()) s += (s.empty() ? "" : "; ") + k.range_note;
  return s;
}

std::string meaning_text(const Key& k) {
  std::string s = k.doc;
  if (!k.only_with.empty()) {
    std::string values;
    for (size_t i = 0; i < k.only_with.values.size(); ++i)
      values += (i ? " or " : "") + code(k.only_with.key + ": " + k.only_with.values[i]);
    s += (s.empty() ? "" : ". ") + std::string("Only with ") + values + (k.required ? " (required there)" : "");
  }
  if (!k.alternative.empty()) s += (s.empty() ? "" : ". ") + std::string("Alternative to ") + code(k.alternative) + " (not both)";
  if (k.map && k.map->path != "sram" && (k.kind == Kind::kMap || k.kind == Kind::kList))
    s += " (keys: table `" + k.map->path + "`)";
  return s;
}

std::string default_text(const Key& k) {
  if (k.required && k.only_with.empty() && k.alternative.empty()) return "**required**";
  if (k.required && !k.alternative.empty() && k.only_with.empty()) return "this or " + code(k.alternative);
  return k.default_text.empty() ? "—" : k.default_text;
}

/// The default value of an enumeration key, from its `default_text` ("`lif`" -> "lif").
std::string default_word(const Key& k) {
  const std::string& t = k.default_text;
  return t.size() > 2 && t.front() == '`' && t.back() == '`' ? t.substr(1, t.size() - 2) : std::string();
}

std::string escape_cell(std::string s) {
  for (size_t i = 0; (i = s.find('|', i)) != std::string::npos; i += 2) s.replace(i, 1, "\\|");
  return s;
}

const std::string kBegin = "<!-- schema: ";
const std::string kEnd = "<!-- /schema -->";

// ---- JSON Schema ---------------------------------------------------------------------------------

Json key_json(const Key& k);

Json map_json(const Map& m) {
  Json j;
  j["type"] = "object";
  if (!m.doc.empty()) j["description"] = m.doc;
  Json props = Json::object();
  Json required = Json::array();
  Json all_of = Json::array();
  for (const Key& k : m.keys) {
    props[k.name] = key_json(k);
    if (k.required && k.only_with.empty() && k.alternative.empty()) required.push_back(k.name);
  }
  const auto required_of = [](const std::vector<std::string>& keys) {
    Json r = Json::object();
    r["required"] = keys;
    return r;
  };
  const auto one_of_two = [&required_of](const std::string& a, const std::string& b) {
    Json any = Json::object();
    any["anyOf"] = Json::array({required_of({a}), required_of({b})});
    return any;
  };
  for (const Key& k : m.keys) {
    if (!k.alternative.empty() && k.name < k.alternative) {
      Json never_both = Json::object();
      never_both["not"] = required_of({k.name, k.alternative});
      all_of.push_back(never_both);
      if (k.required && k.only_with.empty()) all_of.push_back(one_of_two(k.name, k.alternative));
    }
    if (k.only_with.empty()) continue;
    const Key& on = m.key(k.only_with.key);
    const bool default_allows = std::find(k.only_with.values.begin(), k.only_with.values.end(), default_word(on)) !=
                                k.only_with.values.end();
    Json values = Json::object();
    values["enum"] = k.only_with.values;
    Json condition = Json::object();
    condition["properties"] = Json::object();
    condition["properties"][on.name] = values;
    if (!default_allows) condition["required"] = Json::array({on.name});
    // The key is allowed only where the condition holds ...
    Json allowed = Json::object();
    allowed["if"] = required_of({k.name});
    allowed["then"] = condition;
    all_of.push_back(allowed);
    // ... and required there (or its alternative).
    if (k.required) {
      Json needed = Json::object();
      needed["if"] = condition;
      needed["then"] = k.alternative.empty() ? required_of({k.name}) : one_of_two(k.name, k.alternative);
      all_of.push_back(needed);
    }
  }
  j["properties"] = props;
  if (!required.empty()) j["required"] = required;
  if (!all_of.empty()) j["allOf"] = all_of;
  j["additionalProperties"] = false;
  return j;
}

Json key_json(const Key& k) {
  Json j;
  switch (k.kind) {
    case Kind::kInt:
      j["type"] = "integer";
      if (!k.int_set.empty()) {
        j["enum"] = k.int_set;
      } else {
        j["minimum"] = k.min;
        if (k.max != schema::kNoMax) j["maximum"] = k.max;
      }
      if (!k.int_word.empty()) {
        Json integer = j;
        j = Json::object();
        j["anyOf"] = Json::array({integer, Json{{"const", k.int_word}}});
      }
      break;
    case Kind::kUInt64:
      j["type"] = "integer";
      j["minimum"] = 0;
      j["maximum"] = std::numeric_limits<uint64_t>::max();
      break;
    case Kind::kNumber:
      j["type"] = "number";
      if (k.number_min_exclusive) {
        j["exclusiveMinimum"] = k.number_min;
      } else {
        j["minimum"] = k.number_min;
      }
      if (!std::isinf(k.number_max)) j["maximum"] = k.number_max;
      break;
    case Kind::kEnum:
      j["enum"] = k.values;
      break;
    case Kind::kBool:
      j["type"] = "boolean";
      break;
    case Kind::kName:
      j["type"] = "string";
      j["pattern"] = "^[A-Za-z0-9_]+$";
      break;
    case Kind::kString:
    case Kind::kPath:
      j["type"] = "string";
      j["minLength"] = 1;
      break;
    case Kind::kMap:
      j = map_json(*k.map);
      break;
    case Kind::kList:
      j["type"] = "array";
      j["items"] = map_json(*k.map);
      if (k.required) j["minItems"] = 1;
      if (k.list_generator) {
        Json generator = Json::object();
        generator["type"] = "object";
        generator["properties"] = {{"count", {{"type", "integer"}, {"minimum", 1}, {"maximum", kMaxGeneratedCores}}},
                                   {"template", map_json(*k.map)}};
        generator["required"] = Json::array({"count", "template"});
        generator["additionalProperties"] = false;
        j = Json{{"anyOf", Json::array({j, generator})}};
      }
      break;
    case Kind::kIntPair:
      j["type"] = "array";
      j["items"] = Json::object();
      j["items"]["type"] = "integer";
      j["minItems"] = 2;
      j["maxItems"] = 2;
      break;
    case Kind::kTripleList: {
      Json triple = Json::object();
      triple["type"] = "array";
      triple["items"] = Json::object();
      triple["items"]["type"] = "integer";
      triple["minItems"] = 3;
      triple["maxItems"] = 3;
      j["type"] = "array";
      j["items"] = triple;
      break;
    }
  }
  std::string description = meaning_text(k);
  if (!k.unit.empty()) description += " [" + k.unit + "]";
  if (!description.empty()) j["description"] = description;
  return j;
}

}  // namespace

std::string schema_markdown_table(const std::string& path) {
  const Map& m = schema::map_at(path);
  std::ostringstream os;
  os << "| Key | Type | Default | Range | Unit | Meaning |\n|---|---|---|---|---|---|\n";
  for (const Key& k : m.keys) {
    os << "| " << code(k.name) << " | " << type_text(k) << " | " << escape_cell(default_text(k)) << " | "
       << escape_cell(range_text(k)) << " | " << k.unit << " | " << escape_cell(meaning_text(k)) << " |\n";
  }
  return os.str();
}

std::string schema_markdown() {
  std::string out;
  for (const Map* m : schema::all_maps()) {
    if (m->path.empty()) continue;  // the root: chip and workload
    out += "### " + m->title + "\n\n";
    if (!m->doc.empty()) out += m->doc + "\n\n";
    out += kBegin + m->path + " -->\n" + schema_markdown_table(m->path) + kEnd + "\n\n";
  }
  return out;
}

std::string update_schema_regions(const std::string& markdown) {
  std::string out;
  size_t pos = 0;
  for (;;) {
    const size_t begin = markdown.find(kBegin, pos);
    if (begin == std::string::npos) break;
    const size_t path_end = markdown.find(" -->\n", begin);
    const size_t end = markdown.find(kEnd, begin);
    if (path_end == std::string::npos || end == std::string::npos || end < path_end)
      throw std::runtime_error("unterminated schema region at byte " + std::to_string(begin));
    const std::string path = markdown.substr(begin + kBegin.size(), path_end - begin - kBegin.size());
    out += markdown.substr(pos, path_end + 5 - pos);
    out += schema_markdown_table(path);
    pos = end;
  }
  return out + markdown.substr(pos);
}

std::string json_schema() {
  Json out = {{"$schema", "http://json-schema.org/draft-07/schema#"},
              {"title", "neurochip run description (chip + workload)"}};
  const Json body = map_json(schema::root());
  for (auto it = body.begin(); it != body.end(); ++it) out[it.key()] = it.value();
  return out.dump(2) + "\n";
}

}  // namespace neurochip::sim
