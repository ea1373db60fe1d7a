// Builds the position-carrying YamlNode tree from yaml-cpp, applies "--set" overrides to it and
// implements the strict scalar parsers and the "did you mean" suggestion used in diagnostics.
#include "config/yaml_reader.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <set>
#include <sstream>

namespace neurochip::sim {

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
    case YamlNode::Kind::kScalar: {
      const bool quoted = node.style == YamlNode::Style::kQuoted;
      std::string text = "'" + std::string(quoted ? "\"" : "") + echo(node.scalar) + (quoted ? "\"" : "") + "'";
      if (!node.tag.empty()) return text + " (tagged " + echo(node.tag) + ")";
      if (quoted) return text + " (a quoted string)";
      if (node.style == YamlNode::Style::kBlock) return text + " (a block scalar)";
      return text;
    }
    case YamlNode::Kind::kSequence: return "a list";
    case YamlNode::Kind::kMapping: return "a mapping";
  }
  return "?";
}

namespace {

/// Maps yaml-cpp's 0-based marks to 1-based SourceLocations of one origin. A whole file maps line
/// and column directly; an override value maps every node to the override's line and to the
/// column of the node's first character in the override string (a value may span lines).
struct MarkMapper {
  std::string file;
  int fixed_line = 0;  ///< > 0: override index
  int col_offset = 0;  ///< override: 1-based column of the value's first character
  std::vector<int> line_starts;  ///< override: offset in the value of each line after the first

  static MarkMapper for_override(const std::string& value, int index, int value_col) {
    MarkMapper m{"--set", index, value_col, {}};
    for (size_t i = 0; i < value.size(); ++i) {
      if (value[i] == '\n') m.line_starts.push_back(static_cast<int>(i) + 1);
    }
    return m;
  }

  SourceLocation map(const YAML::Mark& m, const SourceLocation& fallback) const {
    if (m.line < 0 || m.column < 0) return fallback;
    if (fixed_line == 0) return SourceLocation{file, m.line + 1, m.column + 1};
    const bool later_line = m.line > 0 && static_cast<size_t>(m.line) <= line_starts.size();
    const int line_start = later_line ? line_starts[m.line - 1] : 0;
    return SourceLocation{file, fixed_line, col_offset + line_start + m.column};
  }
};

/// The text yaml-cpp parses, indexed by its marks. A mark's position does not count a UTF-8
/// byte-order mark; in UTF-16 or UTF-32 text (which yaml-cpp converts first) positions are not
/// byte offsets, and the text is not looked at.
class Source {
 public:
  explicit Source(const std::string& text) : text_(text) {
    const auto byte = [&text](size_t i) { return i < text.size() ? static_cast<unsigned char>(text[i]) : 0x20; };
    if (byte(0) == 0xEF && byte(1) == 0xBB && byte(2) == 0xBF) offset_ = 3;
    const bool wide = (byte(0) == 0xFE && byte(1) == 0xFF) || (byte(0) == 0xFF && byte(1) == 0xFE) ||
                      byte(0) == 0 || byte(1) == 0 || byte(2) == 0 || byte(3) == 0;
    readable_ = !wide;
  }

  /// The index in the text of a mark, or npos when it has none there.
  size_t index(const YAML::Mark& m) const {
    if (!readable_ || m.pos < 0 || static_cast<size_t>(m.pos) + offset_ > text_.size()) return std::string::npos;
    return static_cast<size_t>(m.pos) + offset_;
  }
  bool readable() const { return readable_; }
  size_t size() const { return text_.size(); }

  /// The text from index i (empty when i is npos or beyond the end).
  std::string_view from(size_t i) const {
    return i < text_.size() ? std::string_view(text_).substr(i) : std::string_view();
  }

  /// Where the properties (anchor, tag) and the content of the node at `m` are.
  struct NodeStart {
    size_t tag = std::string::npos;      ///< the tag's '!', npos without one
    size_t content = std::string::npos;  ///< first character of the content
  };
  NodeStart node_start(const YAML::Mark& m) const {
    NodeStart start;
    size_t i = index(m);
    if (i == std::string::npos) return start;
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    for (int property = 0; property < 2 && i < text_.size() && (text_[i] == '&' || text_[i] == '!'); ++property) {
      if (text_[i] == '!') start.tag = i;
      while (i < text_.size() && !blank(text_[i])) ++i;
      while (i < text_.size() && (blank(text_[i]) || text_[i] == '#')) {
        if (text_[i] == '#') {
          while (i < text_.size() && text_[i] != '\n') ++i;
        } else {
          ++i;
        }
      }
    }
    start.content = i;
    return start;
  }

  /// The mark of index `i`, counted from `m` (at or before it).
  YAML::Mark mark_at(const YAML::Mark& m, size_t i) const {
    YAML::Mark out = m;
    for (size_t k = index(m); k != std::string::npos && k < i && k < text_.size(); ++k, ++out.pos) {
      if (text_[k] == '\n') {
        ++out.line;
        out.column = 0;
      } else {
        ++out.column;
      }
    }
    return out;
  }

 private:
  const std::string& text_;
  size_t offset_ = 0;
  bool readable_ = false;
};

/// Records where each document of a stream starts (the '---' that opens it, or its first token)
/// and where the last scalar (of the first document only, or of any) starts.
class StreamEvents : public YAML::EventHandler {
 public:
  explicit StreamEvents(bool first_document_only) : first_document_only_(first_document_only) {}
  std::vector<YAML::Mark> starts;
  std::optional<YAML::Mark> last_scalar;

  void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override {
    if (!first_document_only_ || starts.size() <= 1) last_scalar = mark;
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

 private:
  bool first_document_only_;
};

/// Parses up to `documents` documents of `text` into `events`; the exception that stopped it, if any.
std::optional<YAML::Exception> parse_events(const std::string& text, int documents, StreamEvents& events) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  try {
    for (int i = 0; i < documents && parser.HandleNextDocument(events); ++i) {
    }
  } catch (const YAML::Exception& e) {
    return e;
  }
  return std::nullopt;
}

/// The index just past the quote that closes the quoted scalar opened at text[open], or npos when
/// the text ends first ('' is a quote in a single-quoted scalar, \ escapes in a double-quoted one).
size_t quoted_end(std::string_view text, size_t open) {
  const char quote = text[open];
  for (size_t i = open + 1; i < text.size(); ++i) {
    if (quote == '"' && text[i] == '\\') {
      ++i;
    } else if (text[i] == quote) {
      if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;
      } else {
        return i + 1;
      }
    }
  }
  return std::string::npos;
}

/// The opening quote of the scalar starting at `scalar` when it is a quoted scalar that `text`
/// never closes (yaml-cpp then takes the rest of the text as its content, or fails at its end).
std::optional<YAML::Mark> unterminated_quote(const std::string& text, const Source& source,
                                             const std::optional<YAML::Mark>& scalar) {
  if (!scalar) return std::nullopt;
  const size_t open = source.node_start(*scalar).content;
  if (open >= text.size() || (text[open] != '"' && text[open] != '\'')) return std::nullopt;
  if (quoted_end(text, open) != std::string::npos) return std::nullopt;
  return source.mark_at(*scalar, open);
}

const char* const kUnterminatedQuote = "unterminated quoted string (opened here)";

/// Reports a yaml-cpp exception. A quoted scalar left open makes yaml-cpp fail at the end of the
/// text (a flow collection not closed, "illegal EOF in scalar") or at the next '---' or '...'
/// ("illegal document indicator in scalar"): that is reported at its opening quote instead.
void report_syntax_error(const std::string& text, const Source& source, const YAML::Exception& e,
                         const MarkMapper& mapper, const SourceLocation& origin, const std::string& what,
                         std::vector<ConfigDiagnostic>& diags) {
  StreamEvents events(false);
  parse_events(text, 2, events);
  std::optional<YAML::Mark> open = unterminated_quote(text, source, events.last_scalar);
  // yaml-cpp reads a backslash at the very end as the escape of its end-of-input character 0x04,
  // and places that error past the end.
  const bool escaped_end = e.msg == std::string(YAML::ErrorMsg::INVALID_ESCAPE) + '\x04';
  const bool in_scalar =
      e.msg == YAML::ErrorMsg::EOF_IN_SCALAR || e.msg == YAML::ErrorMsg::DOC_IN_SCALAR || escaped_end;
  size_t stop = source.index(e.mark);
  if (stop == std::string::npos && escaped_end && source.readable() && e.mark.pos >= 0) stop = source.size();
  if (!open && in_scalar && stop != std::string::npos) {
    // The failing scalar itself produced no event: close it where yaml-cpp stopped (escaping a
    // trailing backslash if need be) and parse again; its event is then the last one.
    for (const char* close : {"\"", "\\\"", "'"}) {
      const std::string closed = text.substr(0, stop) + close;
      StreamEvents retry(false);
      parse_events(closed, 2, retry);
      if (!retry.last_scalar) continue;
      const size_t quote = source.node_start(*retry.last_scalar).content;
      if (quote < stop && closed[quote] == closed.back() && quoted_end(closed, quote) == closed.size()) {
        open = source.mark_at(*retry.last_scalar, quote);
        break;
      }
    }
  }
  if (open) {
    add_error(diags, mapper.map(*open, origin), kUnterminatedQuote);
  } else {
    add_error(diags, mapper.map(e.mark, origin), what + ": " + echo(e.msg, kMaxEchoPathChars));
  }
}

/// Checks what YAML::Load, which reads one document, does not: the first document's last quoted
/// scalar must be closed (false, reported, when it is not), and no second document may follow
/// (reported at its start: '---', or its first token after '...').
bool check_stream(const std::string& text, const Source& source, const MarkMapper& mapper,
                  const SourceLocation& origin, const std::string& what, std::vector<ConfigDiagnostic>& diags) {
  StreamEvents events(true);
  const std::optional<YAML::Exception> failure = parse_events(text, 2, events);
  if (const std::optional<YAML::Mark> open = unterminated_quote(text, source, events.last_scalar)) {
    add_error(diags, mapper.map(*open, origin), kUnterminatedQuote);
    return false;
  }
  if (events.starts.size() < 2) {
    if (failure) report_syntax_error(text, source, *failure, mapper, origin, what, diags);
    return true;
  }
  const YAML::Mark& second = events.starts[1];
  const std::string_view at = source.from(source.index(second));
  std::string after;
  if (at.substr(0, 3) == "---") {
    after = " (after '---')";
  } else if (!at.empty()) {
    after = " (after '...')";
  }
  add_error(diags, mapper.map(second, origin), "expected one YAML document, found a second one here" + after);
  return true;
}

/// Builds the YamlNode tree from yaml-cpp's node graph. An alias shares its anchored node there, so
/// the tree repeats that node for every alias: `&a [*a]` would be infinite and a few nested aliases
/// exponential. The converter rejects an alias to a node containing it and bounds depth and size.
class Converter {
 public:
  /// Deeper than any configuration; keeps the recursion far from the end of the stack.
  static constexpr int kMaxDepth = 64;
  /// Nodes the expanded tree may have beyond the length of the text (no text without aliases
  /// comes near): bounds what a few lines of nested aliases can make the loader build.
  static constexpr size_t kMaxAliasNodes = 100000;

  Converter(const MarkMapper& mapper, const Source& source, size_t text_size, std::vector<ConfigDiagnostic>& diags)
      : mapper_(mapper), source_(source), budget_(kMaxAliasNodes + text_size), diags_(diags) {}

  static std::string too_deep() { return "nodes nested more than " + std::to_string(kMaxDepth) + " levels deep"; }

  /// The tree, or nullopt when it is too deep, too large or infinite (reported).
  std::optional<YamlNode> run(const YAML::Node& root, const SourceLocation& fallback) {
    YamlNode out = convert(root, fallback);
    if (failed_) return std::nullopt;
    return out;
  }

 private:
  YamlNode convert(const YAML::Node& in, const SourceLocation& fallback) {
    YamlNode out;
    out.loc = mapper_.map(in.Mark(), fallback);
    if (failed_ || !admit(in, out.loc)) return out;
    path_.push_back(in);
    switch (in.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        out.kind = YamlNode::Kind::kNull;
        out.loc = fallback;  // yaml-cpp places an empty value at the next token; its key is clearer
        break;
      case YAML::NodeType::Scalar:
        out.kind = YamlNode::Kind::kScalar;
        out.scalar = in.Scalar();
        read_properties(in, out);
        break;
      case YAML::NodeType::Sequence:
        out.kind = YamlNode::Kind::kSequence;
        read_properties(in, out);
        for (const YAML::Node& item : in) {
          out.items.push_back(convert(item, out.loc));
          if (failed_) break;
        }
        break;
      case YAML::NodeType::Map:
        out.kind = YamlNode::Kind::kMapping;
        read_properties(in, out);
        for (auto it = in.begin(); it != in.end() && !failed_; ++it) {
          const SourceLocation key_loc = mapper_.map(it->first.Mark(), out.loc);
          if (!it->first.IsScalar()) {
            add_error(diags_, key_loc,
                      it->first.IsNull() ? "expected a plain key, got an empty or null key"
                                         : "expected a plain key, got a complex key");
            continue;
          }
          YamlNode key_node;
          key_node.loc = key_loc;
          read_properties(it->first, key_node);
          const std::string key = it->first.Scalar();
          if (const YamlEntry* first = out.find(key)) {
            add_error(diags_, key_loc,
                      "duplicate key '" + echo(key) + "' (first given at " + location_string(first->key_loc) + ")");
            continue;
          }
          out.entries.push_back(YamlEntry{key, key_loc, convert(it->second, key_loc)});
        }
        break;
    }
    path_.pop_back();
    return out;
  }

  /// A tag in the short form it is usually written in: !!int, !local, !<verbatim>.
  static std::string short_tag(const std::string& tag) {
    const std::string standard = "tag:yaml.org,2002:";
    if (tag.compare(0, standard.size(), standard) == 0) return "!!" + tag.substr(standard.size());
    if (!tag.empty() && tag[0] == '!') return tag;
    return "!<" + tag + ">";
  }

  /// Sets the style and tag of a scalar, sequence or mapping, and reports a tag (once per place it
  /// is written: aliases repeat a node). yaml-cpp's tag is "?" for a plain node without a tag and
  /// "!" for a quoted or block scalar, or a node tagged just '!'; the text tells which.
  void read_properties(const YAML::Node& in, YamlNode& out) {
    const std::string& tag = in.Tag();
    if (tag == "?" || tag.empty()) return;
    const NodeKey key{in.Mark().pos, static_cast<int>(in.Type())};
    const auto cached = properties_.find(key);
    const Properties& p = cached != properties_.end() ? cached->second : (properties_[key] = look_up(in, tag));
    out.style = p.style;
    out.tag = p.tag;
    if (!p.tag.empty() && reported_tags_.insert(key).second) {
      add_error(diags_, mapper_.map(p.tag_mark, out.loc), "tags are not supported, got '" + echo(p.tag) + "'");
    }
  }

  struct Properties {
    YamlNode::Style style = YamlNode::Style::kPlain;
    std::string tag;
    YAML::Mark tag_mark;
  };

  Properties look_up(const YAML::Node& in, const std::string& tag) const {
    const Source::NodeStart start = source_.node_start(in.Mark());
    // Text that cannot be looked at: a scalar yaml-cpp calls non-plain reads as quoted.
    const std::string_view rest = source_.from(start.content);
    const char content = start.content == std::string::npos ? '"' : rest.empty() ? ' ' : rest[0];
    Properties p;
    if (in.IsScalar()) {
      if (content == '"' || content == '\'') {
        p.style = YamlNode::Style::kQuoted;
      } else if (content == '|' || content == '>') {
        p.style = YamlNode::Style::kBlock;
      }
    }
    if (tag != "!" || start.tag != std::string::npos || !in.IsScalar()) p.tag = short_tag(tag);
    p.tag_mark = start.tag == std::string::npos ? in.Mark() : source_.mark_at(in.Mark(), start.tag);
    return p;
  }

  /// Checks one more node against the limits; reports the first violation.
  bool admit(const YAML::Node& in, const SourceLocation& at) {
    std::string problem;
    if ((in.IsSequence() || in.IsMap()) &&
        std::any_of(path_.begin(), path_.end(), [&in](const YAML::Node& ancestor) { return ancestor.is(in); })) {
      problem = "an alias refers to a node that contains it (the document would be infinite)";
    }
    if (problem.empty() && path_.size() >= static_cast<size_t>(kMaxDepth)) problem = too_deep();
    if (problem.empty() && ++nodes_ > budget_) {
      problem = "aliases expand the document to more than " + std::to_string(budget_) + " nodes";
    }
    if (problem.empty()) return true;
    add_error(diags_, at, problem);
    failed_ = true;
    return false;
  }

  const MarkMapper& mapper_;
  const Source& source_;
  /// A node as written: its position and type (aliases repeat it).
  using NodeKey = std::pair<int, int>;
  std::map<NodeKey, Properties> properties_;  ///< of the nodes with a tag or quotes
  std::set<NodeKey> reported_tags_;           ///< nodes whose tag was reported
  size_t budget_;
  std::vector<ConfigDiagnostic>& diags_;
  std::vector<YAML::Node> path_;  ///< the nodes being converted, root first
  size_t nodes_ = 0;
  bool failed_ = false;
};

std::optional<YamlNode> parse_with(const std::string& text, const MarkMapper& mapper, const SourceLocation& origin,
                                   const std::string& what, std::vector<ConfigDiagnostic>& diags) {
  const Source source(text);
  try {
    std::optional<YamlNode> tree = Converter(mapper, source, text.size(), diags).run(YAML::Load(text), origin);
    if (!check_stream(text, source, mapper, origin, what, diags)) return std::nullopt;
    return tree;
  } catch (const YAML::DeepRecursion& e) {
    add_error(diags, mapper.map(e.mark, origin), Converter::too_deep());  // yaml-cpp's message is "bad file"
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    report_syntax_error(text, source, e, mapper, origin, what, diags);
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
  return parse_with(text, MarkMapper{file, 0, 0, {}}, origin, "YAML syntax error", diags);
}

void apply_override(YamlNode& root, const std::string& text, int index, std::vector<ConfigDiagnostic>& diags) {
  const std::string kSet = "--set";
  const size_t eq = text.find('=');
  if (eq == std::string::npos) {
    add_error(diags, {kSet, index, 1}, "expected 'path=value', got '" + echo(text) + "'");
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
  bool path_ok = true;
  for (const Component& c : components) {
    if (c.name.empty()) {
      add_error(diags, {kSet, index, c.col}, "empty key in override path '" + echo(path) + "'");
      path_ok = false;
      break;
    }
  }

  // The walk creates missing keys; `changed` is the first existing node it changed, so that an
  // override whose value does not parse leaves the tree as it was.
  YamlNode* cur = &root;
  YamlEntry* last_entry = nullptr;
  YamlNode* changed = nullptr;
  bool changed_was_null = false;
  std::string walked;  // the path so far, for messages
  auto quoted_walked = [&walked] { return walked.empty() ? std::string("the document") : "'" + echo(walked) + "'"; };
  for (size_t ci = 0; path_ok && ci < components.size(); ++ci) {
    const Component& c = components[ci];
    const SourceLocation at{kSet, index, c.col};
    if (cur->kind == YamlNode::Kind::kNull) {
      if (changed == nullptr) {
        changed = cur;
        changed_was_null = true;
      }
      cur->kind = YamlNode::Kind::kMapping;
    }
    if (cur->kind == YamlNode::Kind::kMapping) {
      YamlEntry* e = cur->find(c.name);
      if (e == nullptr) {
        if (changed == nullptr) changed = cur;
        YamlNode empty;
        empty.loc = at;
        cur->entries.push_back(YamlEntry{c.name, at, std::move(empty)});
        e = &cur->entries.back();
      }
      last_entry = e;
      cur = &e->value;
    } else if (cur->kind == YamlNode::Kind::kSequence) {
      if (!is_index(c.name)) {
        add_error(diags, at, "expected a list index into " + quoted_walked() + ", got '" + echo(c.name) + "'");
        path_ok = false;
        break;
      }
      const size_t i = std::stoul(c.name);
      if (i >= cur->items.size()) {
        add_error(diags, at,
                  "index " + c.name + " is out of range: " + quoted_walked() + " has " +
                      std::to_string(cur->items.size()) + " elements");
        path_ok = false;
        break;
      }
      last_entry = nullptr;
      cur = &cur->items[i];
    } else {
      add_error(diags, at, "cannot set '" + echo(c.name) + "' inside " + quoted_walked() + ", which is a value");
      path_ok = false;
      break;
    }
    walked += (walked.empty() ? "" : ".") + c.name;
  }

  const SourceLocation value_at{kSet, index, value_col};
  const std::string value_text = text.substr(eq + 1);
  std::optional<YamlNode> value = parse_with(value_text, MarkMapper::for_override(value_text, index, value_col),
                                             value_at, "YAML syntax error in override value", diags);
  if (!path_ok || !value) {
    if (changed != nullptr && changed_was_null) {
      changed->kind = YamlNode::Kind::kNull;
      changed->entries.clear();
    } else if (changed != nullptr) {
      changed->entries.pop_back();
    }
    return;
  }
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
  // ERANGE also flags underflow (a subnormal or zero result), which is still the number written.
  const bool overflow = errno == ERANGE && std::fabs(v) > 1.0;
  if (end != s.c_str() + s.size() || overflow || !std::isfinite(v)) return std::nullopt;
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
  return best == nullptr ? "" : " (did you mean '" + echo(*best) + "'?)";
}

}  // namespace neurochip::sim

namespace neurochip::sim {
namespace {

void emit_node(YAML::Emitter& out, const YamlNode& n) {
  switch (n.kind) {
    case YamlNode::Kind::kNull:
      out << YAML::Null;
      break;
    case YamlNode::Kind::kScalar:
      if (n.style == YamlNode::Style::kQuoted) out << YAML::DoubleQuoted;
      out << n.scalar;
      break;
    case YamlNode::Kind::kSequence:
      if (n.flow) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const YamlNode& item : n.items) emit_node(out, item);
      out << YAML::EndSeq;
      break;
    case YamlNode::Kind::kMapping:
      if (n.flow) out << YAML::Flow;
      out << YAML::BeginMap;
      for (const YamlEntry& e : n.entries) {
        out << YAML::Key << e.key << YAML::Value;
        emit_node(out, e.value);
      }
      out << YAML::EndMap;
      break;
  }
}

}  // namespace

std::string to_yaml_text(const YamlNode& root) {
  YAML::Emitter out;
  out.SetIndent(2);
  emit_node(out, root);
  return out.c_str();
}

bool same_tree(const YamlNode& a, const YamlNode& b) {
  if (a.kind != b.kind || a.scalar != b.scalar || a.items.size() != b.items.size() ||
      a.entries.size() != b.entries.size()) {
    return false;
  }
  for (size_t i = 0; i < a.items.size(); ++i)
    if (!same_tree(a.items[i], b.items[i])) return false;
  for (size_t i = 0; i < a.entries.size(); ++i)
    if (a.entries[i].key != b.entries[i].key || !same_tree(a.entries[i].value, b.entries[i].value)) return false;
  return true;
}

}  // namespace neurochip::sim
