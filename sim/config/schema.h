// The configuration schema: one descriptor per YAML key (path, type, range or enumeration,
// default, unit, one-line doc, conditions), bound to the field of the typed struct it sets. The
// decoder, the resolved-config emitter and config equality, the key tables of configs/README.md and
// `neurochip schema --json` (a JSON Schema for editors) all work from this one tree, so a key is
// declared once. Neuron-model parameters come from the model units (hw/core/neuron_model.h).
// Internal to the loader library; no yaml-cpp here.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace neurochip::sim::schema {

inline constexpr int64_t kNoMax = std::numeric_limits<int64_t>::max();
/// What `words: auto` decodes to until the loader resolves it (never a legal word count).
inline constexpr int64_t kAutoWords = 0;

enum class Kind {
  kInt,         ///< integer in [min, max] (decimal or 0x-hex), or one of int_set
  kUInt64,      ///< any unsigned 64-bit integer (seeds)
  kNumber,      ///< real number in a range
  kEnum,        ///< one of `values`
  kBool,        ///< true or false (a bool member, through get_int / set_int as 0 or 1)
  kName,        ///< identifier [A-Za-z0-9_]+
  kString,      ///< non-empty string
  kPath,        ///< file path, relative to the YAML file
  kMap,         ///< mapping described by `map`
  kList,        ///< list of mappings described by `map`
  kIntPair,     ///< [min, max] of integers
  kTripleList,  ///< list of [pre, post, weight]
};

/// Typed access to the struct field a key sets, on a type-erased struct pointer. Only the members
/// that fit the key's kind are set; `present` (optional keys) says whether the field has a value.
struct Accessor {
  std::function<int64_t(const void*)> get_int;
  std::function<void(void*, int64_t)> set_int;
  std::function<double(const void*)> get_number;
  std::function<void(void*, double)> set_number;
  std::function<std::string(const void*)> get_string;
  std::function<void(void*, const std::string&)> set_string;
  std::function<void*(void*)> child;
  std::function<const void*(const void*)> child_const;
  std::function<bool(const void*)> present;
};

/// A key allowed only when sibling key `key` has one of `values` (its default counts when absent).
struct Condition {
  std::string key;
  std::vector<std::string> values;
  bool empty() const { return key.empty(); }
  /// "policy: fixed" or "model: alif or alif2".
  std::string text() const;
};

struct Map;

struct Key {
  std::string name;
  Kind kind = Kind::kInt;
  std::string doc;                      ///< one line (Markdown allowed)
  std::string unit;                     ///< "cycles", "ps", "µs", ... ("" for plain numbers)
  int64_t min = 0;                      ///< kInt
  int64_t max = kNoMax;
  bool hex = false;                     ///< kInt: written and shown in hexadecimal
  std::vector<int64_t> int_set;         ///< kInt: non-empty = the only legal values
  std::string int_word;                 ///< kInt: a word accepted instead of an integer ("auto"), or ""
  int64_t int_word_value = 0;           ///< kInt: the value it decodes to (outside [min, max])
  double number_min = 0;                ///< kNumber
  double number_max = std::numeric_limits<double>::infinity();
  bool number_min_exclusive = false;
  std::vector<std::string> values;      ///< kEnum, in the order of the field's enum values
  std::string default_text;             ///< what an absent key means ("" = no default)
  bool required = false;                ///< required (under `only_with`: required where allowed)
  Condition only_with;
  std::string alternative;              ///< key that may be given instead of this one, never both
  uint32_t factor_one = 0;              ///< kNumber time constant of factor `alternative`: its 1.0
  std::string range_note;               ///< range that depends on other keys, for the docs
  const Map* map = nullptr;             ///< kMap, kList
  bool custom = false;                  ///< decoded and emitted by hand-written code, not generically
  bool emit_flow = false;               ///< kMap: emitted as a one-line {k: v} mapping
  bool list_generator = false;          ///< kList: may instead be {count, template} (chip.cores)
  Accessor access;
};

/// A mapping of the configuration: its keys in document order.
struct Map {
  std::string path;                     ///< e.g. "chip.cores[].timing"
  std::string title;                    ///< heading text in the key reference
  std::string doc;                      ///< one paragraph, or ""
  std::vector<Key> keys;

  /// Every key name, alternatives included, in order (what the decoder accepts).
  std::vector<std::string> key_names() const;
  const Key* find(std::string_view name) const;
  /// The key named `name`; throws std::logic_error when the schema has none (a loader bug).
  const Key& key(std::string_view name) const;
};

/// The schema of a run description: the root mapping (chip, workload).
const Map& root();
/// The mapping at `path` (as in Map::path); throws std::logic_error for an unknown path.
const Map& map_at(std::string_view path);
/// Every mapping of the schema, depth-first from the root, each once.
std::vector<const Map*> all_maps();

/// "an integer in 1..10000", "2, 4 or 8", "a number > 0", ...: what a scalar key expects.
std::string expectation(const Key& k);

// ---- accessor builders --------------------------------------------------------------------------

/// An integral or enumeration member.
template <class S, class M>
Accessor int_member(M S::*m) {
  Accessor a;
  a.get_int = [m](const void* s) { return static_cast<int64_t>(static_cast<const S*>(s)->*m); };
  a.set_int = [m](void* s, int64_t v) { static_cast<S*>(s)->*m = static_cast<M>(v); };
  return a;
}

template <class S>
Accessor number_member(double S::*m) {
  Accessor a;
  a.get_number = [m](const void* s) { return static_cast<const S*>(s)->*m; };
  a.set_number = [m](void* s, double v) { static_cast<S*>(s)->*m = v; };
  return a;
}

template <class S>
Accessor string_member(std::string S::*m) {
  Accessor a;
  a.get_string = [m](const void* s) { return static_cast<const S*>(s)->*m; };
  a.set_string = [m](void* s, const std::string& v) { static_cast<S*>(s)->*m = v; };
  return a;
}

/// A nested struct decoded by the key's map.
template <class S, class C>
Accessor child_member(C S::*m) {
  Accessor a;
  a.child = [m](void* s) -> void* { return &(static_cast<S*>(s)->*m); };
  a.child_const = [m](const void* s) -> const void* { return &(static_cast<const S*>(s)->*m); };
  return a;
}

}  // namespace neurochip::sim::schema
