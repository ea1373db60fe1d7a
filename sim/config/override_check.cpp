// Checks of a key path and a value against the schema alone (config_loader.h
// check_override_value): what a sweep file's axes are checked with before any point runs. The
// path is walked through the schema's mappings and lists; the value is read by the decoder's own
// scalar reader for the key, so its messages are the loader's.
#include "config/config_loader.h"
#include "config/decoder.h"
#include "config/text_format.h"

namespace neurochip::sim {

void check_override_value(const std::string& path, const SourceLocation& path_at, const YamlNode& value,
                          std::vector<ConfigDiagnostic>& diags) {
  const schema::Map* map = &schema::root();
  std::string walked;
  size_t begin = 0;
  while (true) {
    const size_t dot = path.find('.', begin);
    const std::string part = path.substr(begin, dot == std::string::npos ? std::string::npos : dot - begin);
    const schema::Key* key = map->find(part);
    if (key == nullptr) {
      const std::vector<std::string> names = map->key_names();
      std::string list;
      for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
      add_error(diags, path_at,
                "unknown key '" + echo(part) + "'" + (walked.empty() ? "" : " under '" + echo(walked) + "'") +
                    " in '" + echo(path) + "' (expected one of: " + list + ")" + did_you_mean(part, names));
      return;
    }
    walked += (walked.empty() ? "" : ".") + part;
    if (key->kind == schema::Kind::kMap || key->kind == schema::Kind::kList) {
      if (dot == std::string::npos) {
        add_error(diags, path_at,
                  "'" + echo(path) + "' is " + (key->kind == schema::Kind::kMap ? "a mapping" : "a list") +
                      ", not a key with a value: name one of its keys");
        return;
      }
      begin = dot + 1;
      if (key->kind == schema::Kind::kList) {
        const size_t next = path.find('.', begin);
        const std::string index = path.substr(begin, next == std::string::npos ? std::string::npos : next - begin);
        if (key->list_generator && index == "count" && next == std::string::npos) {
          schema::Key count;
          count.name = "count";
          count.min = 1;
          count.max = kMaxGeneratedCores;
          int64_t i = 0;
          double x = 0;
          std::string s;
          Decoder(diags, "/").to_value(value, count, i, x, s);
          return;
        }
        if (key->list_generator && index == "template" && next != std::string::npos) {
          walked += ".template";
          begin = next + 1;
          map = key->map;
          continue;
        }
        if (!parse_unsigned(index) || next == std::string::npos) {
          add_error(diags, path_at,
                    "'" + echo(walked) + "' is a list: expected an element index and a key after it, e.g. '" +
                        echo(walked) + ".0." + key->map->keys.front().name + "'");
          return;
        }
        walked += "." + index;
        begin = next + 1;
      }
      map = key->map;
      continue;
    }
    if (dot != std::string::npos) {
      add_error(diags, path_at, "'" + echo(walked) + "' takes a value; it has no key '" + echo(path.substr(dot + 1)) + "'");
      return;
    }
    if (key->kind == schema::Kind::kIntPair || key->kind == schema::Kind::kTripleList) {
      add_error(diags, path_at, "'" + echo(path) + "' is not a scalar key and cannot be swept");
      return;
    }
    Decoder decoder(diags, "/");
    int64_t i = 0;
    double x = 0;
    std::string s;
    decoder.to_value(value, *key, i, x, s);
    return;
  }
}

bool override_takes_path(const std::string& path) {
  const schema::Map* map = &schema::root();
  const schema::Key* key = nullptr;
  size_t begin = 0;
  while (begin <= path.size()) {
    const size_t dot = path.find('.', begin);
    const std::string part = path.substr(begin, dot == std::string::npos ? std::string::npos : dot - begin);
    const bool index = key != nullptr && key->kind == schema::Kind::kList &&
                       (parse_unsigned(part).has_value() || (key->list_generator && part == "template"));
    if (!index) {
      if (map == nullptr || (key = map->find(part)) == nullptr) return false;
      map = key->map;
    }
    if (dot == std::string::npos) break;
    begin = dot + 1;
  }
  return key != nullptr && key->kind == schema::Kind::kPath;
}

}  // namespace neurochip::sim
