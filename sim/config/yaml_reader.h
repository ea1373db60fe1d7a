// A YAML document as a plain tree whose every node and key carries its 1-based source position,
// built with yaml-cpp (only yaml_reader.cpp includes it), plus the "--set path=value" overrides
// applied to that tree and the strict scalar parsers the decoder uses. Scalars keep their text;
// the decoder gives them a type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostics.h"

namespace neurochip::sim {

struct YamlEntry;

/// One YAML node: null, scalar (text), sequence or mapping (entries in document order).
struct YamlNode {
  enum class Kind { kNull, kScalar, kSequence, kMapping };
  /// How a scalar was written: plain (614), quoted ("614" or '614') or as a block (| or >).
  enum class Style { kPlain, kQuoted, kBlock };
  Kind kind = Kind::kNull;
  SourceLocation loc;
  std::string scalar;
  std::vector<YamlNode> items;
  std::vector<YamlEntry> entries;
  Style style = Style::kPlain;
  /// The node's explicit tag in short form (!!int, !local), empty without one. Tags are not
  /// supported: the reader reports each one where it is written.
  std::string tag;
  /// Writing a tree (resolved configuration): a mapping or sequence on one line, {a: 1} / [1, 2].
  bool flow = false;

  /// A plain scalar without a tag: the only form a number may take (strings may be quoted).
  bool plain() const { return kind == Kind::kScalar && style == Style::kPlain && tag.empty(); }

  /// The first entry with this key, or nullptr (mappings only).
  const YamlEntry* find(std::string_view key) const;
  YamlEntry* find(std::string_view key);
};

/// A key of a mapping with its position, and the value it maps to.
struct YamlEntry {
  std::string key;
  SourceLocation key_loc;
  YamlNode value;
};

/// How a node reads in a message: "'text'", "'\"text\"' (a quoted string)", "'text' (a block
/// scalar)", "'text' (tagged !!str)", "a mapping", "a list" or "an empty value".
std::string describe_node(const YamlNode& node);

/// Parses a YAML document. Syntax errors, duplicate keys, tags and a second document are appended
/// to `diags`; returns nullopt if the document could not be parsed at all.
std::optional<YamlNode> parse_yaml_document(const std::string& text, const std::string& file,
                                            std::vector<ConfigDiagnostic>& diags);

/// Applies one override "a.b.0.c=value" (value parsed as YAML) to `root`. Missing mapping keys are
/// created; positions of the new nodes are ("--set", index, column in `text`). Problems with the
/// path itself are appended to `diags`.
void apply_override(YamlNode& root, const std::string& text, int index, std::vector<ConfigDiagnostic>& diags);

/// The tree as YAML text (block style unless a node asks for flow; quoted scalars double-quoted).
std::string to_yaml_text(const YamlNode& root);

/// Trees equal in kind, scalar text, order of entries and items (positions and style ignored).
bool same_tree(const YamlNode& a, const YamlNode& b);

/// Strict scalar parsers: the whole text must be the number. Integers are decimal or 0x-hex with
/// an optional sign; numbers are anything strtod reads fully, except infinities and NaN.
std::optional<int64_t> parse_integer(std::string_view text);
std::optional<uint64_t> parse_unsigned(std::string_view text);
std::optional<double> parse_number(std::string_view text);

/// " (did you mean 'x'?)" for the closest candidate within edit distance 2, else "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace neurochip::sim
