// Builds the position-carrying YamlNode tree from yaml-cpp, applies "--set" overrides to it and
// implements the strict scalar parsers and the "did you mean" suggestion used in diagnostics.
#include "config/yaml_reader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace neurochip::sim {

void add_error(std::vector<ConfigDiagnostic>& diags, const SourceLocation& at, std::string message) {
  diags.push_back(ConfigDiagnostic{at.file, at.line, at.col, std::move(message)});
}

std::string location_string(const SourceLocation& at) {
  return at.file + ":" + std::to_string(at.line) + ":" + std::to_string(at.col);
}

const YamlEntry* YamlNode::find(std::string_view key) const {
  for (const YamlEntry& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

YamlEntry* YamlNode::find(std::string_view key) {
  for (YamlEntry& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

std::string describe_node(const YamlNode& node) {
  switch (node.kind) {
    case YamlNode::Kind::kNull: return "an empty value";
    case YamlNode::Kind::kScalar: return "'" + node.scalar + "'";
    case YamlNode::Kind::kSequence: return "a list";
    case YamlNode::Kind::kMapping: return "a mapping";
  }
  return "?";
}

namespace {

/// Maps yaml-cpp's 0-based marks to 1-based SourceLocations of one origin. A whole file maps line
/// and column directly; an override value (a single line) maps every node to the override's
/// line and shifts the column by where the value starts in the override string.
struct MarkMapper {
  std::string file;
  int fixed_line = 0;  ///< > 0: override index
  int col_offset = 0;  ///< override: 1-based column of the value's first character

  SourceLocation map(const YAML::Mark& m, const SourceLocation& fallback) const {
    if (m.line < 0 || m.column < 0) return fallback;
    if (fixed_line > 0) return SourceLocation{file, fixed_line, col_offset + m.column};
    return SourceLocation{file, m.line + 1, m.column + 1};
  }
};

YamlNode convert(const YAML::Node& in, const MarkMapper& mapper, const SourceLocation& fallback,
                 std::vector<ConfigDiagnostic>& diags) {
  YamlNode out;
  out.loc = mapper.map(in.Mark(), fallback);
  switch (in.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      out.kind = YamlNode::Kind::kNull;
      out.loc = fallback;  // yaml-cpp places an empty value at the next token; its key is clearer
      break;
    case YAML::NodeType::Scalar:
      out.kind = YamlNode::Kind::kScalar;
      out.scalar = in.Scalar();
      break;
    case YAML::NodeType::Sequence:
      out.kind = YamlNode::Kind::kSequence;
      for (const YAML::Node& item : in) {
        SourceLocation item_fallback = out.loc;
        out.items.push_back(convert(item, mapper, item_fallback, diags));
      }
      break;
    case YAML::NodeType::Map:
      out.kind = YamlNode::Kind::kMapping;
      for (auto it = in.begin(); it != in.end(); ++it) {
        const SourceLocation key_loc = mapper.map(it->first.Mark(), out.loc);
        if (!it->first.IsScalar()) {
          add_error(diags, key_loc, "expected a plain key, got a complex key");
          continue;
        }
        const std::string key = it->first.Scalar();
        if (const YamlEntry* first = out.find(key)) {
          add_error(diags, key_loc,
                    "duplicate key '" + key + "' (first given at " + location_string(first->key_loc) + ")");
          continue;
        }
        out.entries.push_back(YamlEntry{key, key_loc, convert(it->second, mapper, key_loc, diags)});
      }
      break;
  }
  return out;
}

std::optional<YamlNode> parse_with(const std::string& text, const MarkMapper& mapper, const SourceLocation& origin,
                                   const std::string& what, std::vector<ConfigDiagnostic>& diags) {
  try {
    const YAML::Node doc = YAML::Load(text);
    return convert(doc, mapper, origin, diags);
  } catch (const YAML::Exception& e) {
    add_error(diags, mapper.map(e.mark, origin), what + ": " + e.msg);
    return std::nullopt;
  }
}

bool is_index(std::string_view s) {
  return !s.empty() && s.size() <= 9 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<YamlNode> parse_yaml_document(const std::string& text, const std::string& file,
                                            std::vector<ConfigDiagnostic>& diags) {
  const SourceLocation origin{file, 1, 1};
  return parse_with(text, MarkMapper{file, 0, 0}, origin, "YAML syntax error", diags);
}

void apply_override(YamlNode& root, const std::string& text, int index, std::vector<ConfigDiagnostic>& diags) {
  const std::string kSet = "--set";
  const size_t eq = text.find('=');
  if (eq == std::string::npos) {
    add_error(diags, {kSet, index, 1}, "expected 'path=value', got '" + text + "'");
    return;
  }
  const std::string path = text.substr(0, eq);
  const int value_col = static_cast<int>(eq) + 2;

  struct Component {
    std::string name;
    int col;
  };
  std::vector<Component> components;
  for (size_t start = 0;;) {
    const size_t dot = path.find('.', start);
    const size_t end = dot == std::string::npos ? path.size() : dot;
    components.push_back({path.substr(start, end - start), static_cast<int>(start) + 1});
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  for (const Component& c : components) {
    if (c.name.empty()) {
      add_error(diags, {kSet, index, c.col}, "empty key in override path '" + path + "'");
      return;
    }
  }

  YamlNode* cur = &root;
  YamlEntry* last_entry = nullptr;
  std::string walked;  // the path so far, for messages
  auto quoted_walked = [&walked] { return walked.empty() ? std::string("the document") : "'" + walked + "'"; };
  for (const Component& c : components) {
    const SourceLocation at{kSet, index, c.col};
    if (cur->kind == YamlNode::Kind::kNull) {
      cur->kind = YamlNode::Kind::kMapping;
    }
    if (cur->kind == YamlNode::Kind::kMapping) {
      YamlEntry* e = cur->find(c.name);
      if (e == nullptr) {
        cur->entries.push_back(YamlEntry{c.name, at, YamlNode{YamlNode::Kind::kNull, at, {}, {}, {}}});
        e = &cur->entries.back();
      }
      last_entry = e;
      cur = &e->value;
    } else if (cur->kind == YamlNode::Kind::kSequence) {
      if (!is_index(c.name)) {
        add_error(diags, at, "expected a list index into " + quoted_walked() + ", got '" + c.name + "'");
        return;
      }
      const size_t i = std::stoul(c.name);
      if (i >= cur->items.size()) {
        add_error(diags, at,
                  "index " + c.name + " is out of range: " + quoted_walked() + " has " +
                      std::to_string(cur->items.size()) + " elements");
        return;
      }
      last_entry = nullptr;
      cur = &cur->items[i];
    } else {
      add_error(diags, at, "cannot set '" + c.name + "' inside " + quoted_walked() + ", which is a value");
      return;
    }
    walked += (walked.empty() ? "" : ".") + c.name;
  }

  const SourceLocation value_at{kSet, index, value_col};
  std::optional<YamlNode> value = parse_with(text.substr(eq + 1), MarkMapper{kSet, index, value_col}, value_at,
                                             "YAML syntax error in override value", diags);
  if (!value) return;
  if (value->kind == YamlNode::Kind::kNull) value->loc = value_at;
  *cur = std::move(*value);
  if (last_entry != nullptr) last_entry->key_loc = SourceLocation{kSet, index, components.back().col};
}

std::optional<int64_t> parse_integer(std::string_view text) {
  bool negative = false;
  size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  std::optional<uint64_t> magnitude = parse_unsigned(text.substr(i));
  if (!magnitude || (i < text.size() && (text[i] == '+' || text[i] == '-'))) return std::nullopt;
  const uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  if (*magnitude > limit) return std::nullopt;
  if (negative) return *magnitude == limit ? std::numeric_limits<int64_t>::min() : -static_cast<int64_t>(*magnitude);
  return static_cast<int64_t>(*magnitude);
}

std::optional<uint64_t> parse_unsigned(std::string_view text) {
  size_t i = 0;
  if (i < text.size() && text[i] == '+') ++i;
  int base = 10;
  if (text.size() > i + 1 && text[i] == '0' && (text[i + 1] == 'x' || text[i + 1] == 'X')) {
    base = 16;
    i += 2;
  }
  if (i >= text.size()) return std::nullopt;
  uint64_t value = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    int digit;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else {
      return std::nullopt;
    }
    if (value > (std::numeric_limits<uint64_t>::max() - static_cast<uint64_t>(digit)) / base) return std::nullopt;
    value = value * base + static_cast<uint64_t>(digit);
  }
  return value;
}

std::optional<double> parse_number(std::string_view text) {
  const std::string s(text);
  if (s.empty() || std::isspace(static_cast<unsigned char>(s.front()))) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || errno == ERANGE || !std::isfinite(v)) return std::nullopt;
  return v;
}

namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string* best = nullptr;
  size_t best_distance = 3;
  for (const std::string& c : candidates) {
    const size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = &c;
    }
  }
  return best == nullptr ? "" : " (did you mean '" + *best + "'?)";
}

}  // namespace neurochip::sim
