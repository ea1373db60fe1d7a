// Neuron models (SPEC.md §2.4, §3.1): each model is one unit — its parameters (with their
// configuration keys, ranges, defaults and documentation), the state fields it keeps in the neuron
// SRAM, and its STEP update — registered by name. The datapath, the functional reference, the loader,
// the resolved-config emitter, the schema documentation and the neuron-word layout all work from
// these descriptors, so adding a model means adding its unit under neuron_models/ and its tests.
// SystemC-free, and free of YAML: descriptors are plain data.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace neurochip::hw {

class NeuronModel;

/// One field of a neuron's state in the neuron SRAM (SPEC §3.1).
struct StateField {
  std::string name;   ///< e.g. "u"; names the field in outputs and waveforms
  uint32_t bits = 0;  ///< width in the neuron word
  bool is_signed = false;
  std::string doc;
  /// A parameter index, or -1: the field is stored in the neuron SRAM only when that parameter is
  /// non-zero (a chip built without refractory period has no counter bits; the field stays 0).
  int stored_when_param = -1;
};

/// One parameter of a model, with the configuration key that sets it (under `cores[].neuron`).
struct ModelParam {
  std::string key;
  std::string doc;             ///< one line, for the key reference
  std::string unit;            ///< "" for plain integers
  int64_t min = 0;
  int64_t max = 0;
  int64_t default_value = 0;
  bool hex = false;            ///< written in hexadecimal (1.15 / 1.7 factors)
  std::vector<std::string> enum_names;  ///< non-empty: an enumeration, value = index of the name
  std::string tau_key;         ///< non-empty: may instead be given as a time constant in ms (SPEC §2.3)
  uint32_t factor_one = 0;     ///< with tau_key: the factor's value of 1.0 (2^15 for 1.15)
};

inline constexpr size_t kMaxNeuronParams = 8;

/// The parameter values of one core's neurons: the model and one value per ModelParam (by index).
class NeuronParams {
 public:
  /// The defaults of `model`.
  explicit NeuronParams(const NeuronModel& model);
  /// The defaults of the "lif" model.
  NeuronParams();

  const NeuronModel& model() const { return *model_; }
  /// Parameters of `model` that keep this set's values for the keys both models have, and take
  /// `model`'s defaults for the others.
  NeuronParams with_model(const NeuronModel& model) const;
  int64_t operator[](size_t index) const { return values_[index]; }
  int64_t& operator[](size_t index) { return values_[index]; }
  /// By configuration key; throws std::out_of_range for a key the model does not have.
  int64_t get(std::string_view key) const;
  void set(std::string_view key, int64_t value);
  bool operator==(const NeuronParams& o) const { return model_ == o.model_ && values_ == o.values_; }
  bool operator!=(const NeuronParams& o) const { return !(*this == o); }

 private:
  const NeuronModel* model_;
  std::array<int64_t, kMaxNeuronParams> values_{};
};

/// Storage of one state-field value. Every field is at most 16 bits wide (SPEC §3.1; checked when
/// a model registers) and is held in 16 bits, the width the datapath's row kernels sweep: a signed
/// field as its value, an unsigned one as its bit pattern (field_value reads either).
using FieldWord = int16_t;
inline constexpr uint32_t kMaxFieldBits = 16;

/// The state of a core's neurons: one array per state field of the model, n entries each.
using NeuronFields = std::vector<std::vector<FieldWord>>;

/// The value of a stored field word (`field` says whether it is signed).
inline int32_t field_value(const StateField& field, FieldWord w) {
  return field.is_signed ? int32_t{w} : int32_t{static_cast<uint16_t>(w)};
}
/// The stored word of a value in the field's range.
inline FieldWord field_word(int32_t value) { return static_cast<FieldWord>(static_cast<uint16_t>(value)); }
/// The fields as values, one array per field (results, comparisons, dumps).
std::vector<std::vector<int32_t>> field_values(const std::vector<StateField>& fields, const NeuronFields& state);

class NeuronModel {
 public:
  /// STEP of §2.4 for neurons [begin, end) in ascending order: updates every state field, sets z[j]
  /// to 1 for a spike and 0 otherwise, and appends the spiking neurons in ascending order to
  /// `spiking`. `leak_draws` is null for the floor leak, or holds neuron j's 15-bit draw for the
  /// stochastic rounding of its membrane leak (SPEC §2.3) at index j.
  using StepFn = void (*)(const NeuronParams& params, NeuronFields& state, uint32_t begin, uint32_t end, uint8_t* z,
                          std::vector<uint32_t>& spiking, const uint16_t* leak_draws);

  std::string name;                 ///< `neuron.model` value
  std::string doc;                  ///< one line
  int listing_rank = 0;             ///< models are listed (docs, messages) by ascending rank
  std::vector<StateField> fields;   ///< field 0 is the membrane u (16-bit signed, §2.6 integrates into it)
  int refractory_field = -1;        ///< field whose non-zero value blocks PROP integration (§2.4), or -1
  int refractory_param = -1;        ///< parameter loaded into the refractory field on a spike, or -1:
                                    ///< when it is 0 the field stays 0 (it starts at 0, SPEC §2.7)
  std::vector<ModelParam> params;
  StepFn step = nullptr;            ///< the spec's per-neuron update, neuron by neuron (the definition)
  /// Optional: the same update as one vectorised sweep (hw_model/core/row_kernels.h), bit-identical
  /// to `step`; the cycle model uses it, the functional reference always uses `step`, and the
  /// equivalence tests hold the two against each other. A sweep may hand stochastic rounding
  /// (non-null leak_draws) to `step`.
  StepFn sweep = nullptr;

  /// Whether field `field` is stored in the neuron SRAM with parameters `params` (SPEC §3.1).
  bool stored(size_t field, const NeuronParams& params) const;
  /// Bits of one neuron's state in the neuron SRAM with parameters `params`: the sum of the
  /// widths of the stored fields (SPEC §3.1).
  uint32_t state_bits(const NeuronParams& params) const;
  /// Index of the parameter with configuration key `key`, or -1.
  int param_index(std::string_view key) const;
  /// Index of the state field named `name`, or -1.
  int field_index(std::string_view name) const;

  /// Every registered model, by listing_rank.
  static const std::vector<const NeuronModel*>& all();
  /// The model named `name`, or nullptr.
  static const NeuronModel* find(std::string_view name);
};

/// The model named `name`; throws std::out_of_range if there is none.
const NeuronModel& neuron_model(std::string_view name);

}  // namespace neurochip::hw
