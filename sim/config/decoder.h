// The configuration decoder (internal to the loader): turns the position-carrying YAML tree into
// the typed structs of base/run_config.h, driven by the schema (schema.h) — every mapping accepts
// exactly its schema keys, scalars are checked against their descriptors, conditional and
// alternative keys follow the descriptors — plus the checks that span keys (memory geometry, the
// workload's references, which live in decode_chip.cpp and decode_workload.cpp). Every problem is
// collected with its position; none stops the decoding.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "base/run_config.h"
#include "config/text_format.h"
#include "config/network_builder.h"
#include "config/schema.h"
#include "config/yaml_reader.h"

namespace neurochip::sim {

using Diags = std::vector<ConfigDiagnostic>;

/// One entry of an energy table file (docs/energy.md): `section.key` (section "" = top level) sets
/// `member`, in `unit`, at least `min` (or more than it when `exclusive_min`).
struct EnergyTableKey {
  std::string section, key, unit;
  double EnergyTable::*member;
  double min;
  bool exclusive_min;
  std::string doc;
};
/// Every entry of an energy table, in file order (decode_energy.cpp).
const std::vector<EnergyTableKey>& energy_table_keys();

/// Longest simulated time a run may reach: 2^62 ps (about 53 days), leaving headroom in every
/// 64-bit sum of times and cycle counts (SPEC §5.1).
inline constexpr uint64_t kMaxRunPs = uint64_t{1} << 62;

/// Most cores a `chip.cores: {count, template}` generator makes.
inline constexpr int64_t kMaxGeneratedCores = 4096;

/// True if `a` was written after `b` ("--set" overrides come after the file, in order).
bool written_after(const SourceLocation& a, const SourceLocation& b);

/// One mapping of the document, checked against the keys its context allows. An absent mapping
/// (nullptr) or an empty value reads as an empty mapping located at `fallback` / the value.
class MapView {
 public:
  MapView(const YamlNode* node, const SourceLocation& fallback, const std::vector<std::string>& keys, Diags& diags);
  /// The keys the schema gives `spec`.
  MapView(const YamlNode* node, const SourceLocation& fallback, const schema::Map& spec, Diags& diags)
      : MapView(node, fallback, spec.key_names(), diags) {}

  const YamlEntry* entry(std::string_view key) const { return node_ ? node_->find(key) : nullptr; }
  const YamlNode* get(std::string_view key) const {
    const YamlEntry* e = entry(key);
    return e ? &e->value : nullptr;
  }
  bool has(std::string_view key) const { return entry(key) != nullptr; }
  const SourceLocation& loc() const { return loc_; }
  bool is_mapping() const { return is_mapping_; }

  /// Reports a missing key at this mapping (not when it was no mapping at all: already reported).
  bool require(const std::string& key, const std::string& why = "") const;
  /// Reports at this mapping that neither of two alternative keys is present.
  void require_either(const std::string& a, const std::string& b, const std::string& why = "") const;
  /// Reports a key that its context forbids, at the key.
  void forbid(const std::string& key, const std::string& why) const;

 private:
  Diags& diags_;
  const YamlNode* node_ = nullptr;
  SourceLocation loc_;
  bool is_mapping_ = true;
};

/// Decodes one document into a RunConfig, collecting every problem in `diags`.
class Decoder {
 public:
  Decoder(Diags& diags, std::string base_dir) : d_(diags), base_dir_(std::move(base_dir)) {}

  void decode(const YamlNode& doc, RunConfig& rc);

  // ---- scalars (every reader reports what it expected at the value and returns false) --------
  void error(const SourceLocation& at, std::string message) { add_error(d_, at, std::move(message)); }
  /// `expected` is the text after "expected " in the message.
  bool to_int(const YamlNode& n, int64_t min, int64_t max, const std::string& expected, int64_t& out);
  bool to_u64(const YamlNode& n, uint64_t& out);
  bool to_number(const YamlNode& n, double min, double max, bool min_exclusive, const std::string& expected,
                 double& out);
  bool to_enum(const YamlNode& n, const std::vector<std::string>& values, int64_t& out);
  bool to_string(const YamlNode& n, std::string& out);
  bool to_identifier(const YamlNode& n, std::string& out);
  /// A file path: relative paths are relative to the YAML file's directory, or to the current
  /// directory for paths given in an override. The result is absolute and normalised.
  bool to_path(const YamlNode& n, std::string& out);

  /// A scalar key of the schema (kInt, kUInt64, kNumber, kEnum, kName, kString, kPath) from `n`.
  /// Integers land in `i` (enums as the index of the value), numbers in `x`, strings in `s`.
  bool to_value(const YamlNode& n, const schema::Key& k, int64_t& i, double& x, std::string& s);

  /// Decodes every key of `spec` that is not `custom` from `m` into the struct at `target`
  /// through the keys' accessors: nested mappings recursively, conditional keys forbidden or
  /// required per their condition, factors given as time constants converted (SPEC §2.3).
  void decode_keys(const MapView& m, const schema::Map& spec, void* target);

  /// The scalar key `k` of `m` into `field` (an integer, enum, double or string field); false
  /// when absent or invalid (reported).
  template <class T>
  bool read(const MapView& m, const schema::Key& k, T& field) {
    const YamlNode* n = m.get(k.name);
    int64_t i = 0;
    double x = 0;
    std::string s;
    if (n == nullptr || !to_value(*n, k, i, x, s)) return false;
    if constexpr (std::is_same_v<T, double>) {
      field = x;
    } else if constexpr (std::is_same_v<T, std::string>) {
      field = s;
    } else {
      field = static_cast<T>(i);
    }
    return true;
  }

  Diags& diags() { return d_; }

 private:
  /// SPEC §5.1: the longest the run can last must fit the 64-bit picosecond time.
  void check_run_length(const RunConfig& rc, const MapView& root);

  // decode_chip.cpp
  void decode_chip(const YamlNode& node, hw::ChipConfig& chip);
  void decode_clock(const MapView& m, std::optional<uint64_t>& period);
  const SourceLocation* decode_core(const YamlNode& node, hw::CoreConfig& core);
  template <class SramLoc>
  void validate_sparse_geometry(const hw::CoreConfig& core, SramLoc sram_loc);
  bool validate_rounding(const hw::CoreConfig& core, const YamlNode& core_node);
  bool validate_learning(const hw::CoreConfig& core, const YamlNode& core_node);
  bool validate_learning_backend(const hw::CoreConfig& core, const YamlNode& learning);
  void validate_noc(hw::ChipConfig& chip, const YamlEntry& noc);
  SourceLocation noc_loc_;  ///< chip.noc (its table_entries when given), for the workload's checks
  void resolve_auto_words(hw::CoreConfig& core, const YamlNode& core_node);
  bool validate_geometry(const hw::CoreConfig& core, const YamlNode& core_node);
  template <class SramLoc>
  bool within_memory_budget(const hw::CoreMemoryConfig& mem, const SourceLocation& memory_loc, SramLoc sram_loc);

  // decode_energy.cpp
  void decode_energy(const YamlNode& chip_node, EnergyConfig& out);
  void decode_energy_entries(const YamlNode& doc, EnergyTable& t);

  // decode_workload.cpp
  const std::vector<YamlNode>* list_of(const MapView& m, const std::string& key, const std::string& what,
                                       bool required_non_empty);
  void decode_workload(const YamlNode& node, RunConfig& rc, WorkloadSources& sources);
  void decode_samples(const YamlNode& node, const SourceLocation& key_loc, RunConfig& rc,
                      const WorkloadSources& sources);
  void decode_population(const YamlNode& node, RunConfig& rc, WorkloadSources& sources);
  int resolve_population(const YamlNode& n, std::string& name, const RunConfig& rc, const WorkloadSources& sources);
  void decode_projection(const YamlNode& node, RunConfig& rc, WorkloadSources& sources);
  void check_projection_endpoints(const Population& a, const Population& b, const RunConfig& rc,
                                  const SourceLocation& at);
  void decode_weight(const MapView& m, const std::string& conn, int64_t lo, int64_t hi, const std::string& text,
                     Projection& p);
  void decode_synapses(const YamlNode& n, const Population* from, const Population* to, int64_t lo, int64_t hi,
                       const std::string& text, Projection& p, ProjectionSource& src);
  void decode_input(const YamlNode& node, RunConfig& rc, WorkloadSources& sources);
  /// SPEC §3.1: a population's own neuron parameters need a core with word parameters.
  void check_word_parameters(const Population& p, const hw::CoreConfig& core, size_t c, const SourceLocation& at);

  // placement.cpp
  /// Places the `core: auto` populations (SPEC §7.7, configs/README.md "Placement") from the
  /// projections' `from`/`to` (read leniently: decode_projection reports their problems).
  void place_populations(const std::vector<YamlNode>& projections, RunConfig& rc, WorkloadSources& sources);

  /// One scalar key of a schema map into the accessor of `target`; false if it was invalid.
  bool decode_scalar(const MapView& m, const schema::Key& k, void* target);
  /// A factor key and its time-constant alternative (SPEC §2.3); false if either was invalid.
  bool decode_factor(const MapView& m, const schema::Map& spec, const schema::Key& k, void* target);

  Diags& d_;
  std::string base_dir_;
  uint32_t duration_us_ = 1000;                     ///< chip.timestep.duration_us once decoded
  std::vector<bool> core_valid_;                    ///< per chip core: decoded without errors
  uint64_t chip_sram_bits_ = 0;                     ///< SRAM bits of the valid cores so far
  uint64_t chip_crossbar_slots_ = 0;                ///< crossbar slots of the valid cores so far
  std::map<std::string, size_t> population_index_;  ///< population name -> index (first definition)
};

}  // namespace neurochip::sim
