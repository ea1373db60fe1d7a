// Neuron model registry and parameter sets (SPEC.md §2.4, §3.1); see neuron_model.h. The list of
// model units is generated from the files in neuron_models/ (neuron_models.inc, see CMakeLists.txt).
#include "core/neuron_model.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace neurochip::hw {

#define NEUROCHIP_NEURON_MODEL(unit) const NeuronModel& neuron_model_##unit();
#include "neuron_models.inc"
#undef NEUROCHIP_NEURON_MODEL

const std::vector<const NeuronModel*>& NeuronModel::all() {
  static const std::vector<const NeuronModel*> models = [] {
    std::vector<const NeuronModel*> list = {
#define NEUROCHIP_NEURON_MODEL(unit) &neuron_model_##unit(),
#include "neuron_models.inc"
#undef NEUROCHIP_NEURON_MODEL
    };
    for (const NeuronModel* m : list)
      for (const StateField& f : m->fields)
        if (f.bits == 0 || f.bits > kMaxFieldBits)
          throw std::logic_error("neuron model " + m->name + ": field " + f.name + " is not 1.." +
                                 std::to_string(kMaxFieldBits) + " bits wide");
    std::stable_sort(list.begin(), list.end(),
                     [](const NeuronModel* a, const NeuronModel* b) { return a->listing_rank < b->listing_rank; });
    return list;
  }();
  return models;
}

const NeuronModel* NeuronModel::find(std::string_view name) {
  for (const NeuronModel* m : all())
    if (m->name == name) return m;
  return nullptr;
}

const NeuronModel& neuron_model(std::string_view name) {
  const NeuronModel* m = NeuronModel::find(name);
  if (m == nullptr) throw std::out_of_range("no neuron model '" + std::string(name) + "'");
  return *m;
}

std::vector<std::vector<int32_t>> field_values(const std::vector<StateField>& fields, const NeuronFields& state) {
  std::vector<std::vector<int32_t>> values(state.size());
  for (size_t f = 0; f < state.size(); ++f) {
    values[f].reserve(state[f].size());
    for (FieldWord w : state[f]) values[f].push_back(field_value(fields.at(f), w));
  }
  return values;
}

bool NeuronModel::stored(size_t field, const NeuronParams& params) const {
  const int when = fields.at(field).stored_when_param;
  return when < 0 || params[static_cast<size_t>(when)] != 0;
}

uint32_t NeuronModel::state_bits(const NeuronParams& params) const {
  uint32_t bits = 0;
  for (size_t f = 0; f < fields.size(); ++f)
    if (stored(f, params)) bits += fields[f].bits;
  return bits;
}

int NeuronModel::param_index(std::string_view key) const {
  for (size_t i = 0; i < params.size(); ++i)
    if (params[i].key == key) return static_cast<int>(i);
  return -1;
}

int NeuronModel::field_index(std::string_view field) const {
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == field) return static_cast<int>(i);
  return -1;
}

NeuronParams::NeuronParams(const NeuronModel& model) : model_(&model) {
  if (model.params.size() > kMaxNeuronParams)
    throw std::logic_error("neuron model '" + model.name + "' has more than kMaxNeuronParams parameters");
  for (size_t i = 0; i < model.params.size(); ++i) values_[i] = model.params[i].default_value;
}

NeuronParams::NeuronParams() : NeuronParams(neuron_model("lif")) {}

NeuronParams NeuronParams::with_model(const NeuronModel& model) const {
  NeuronParams p(model);
  for (size_t i = 0; i < model.params.size(); ++i) {
    const int own = model_->param_index(model.params[i].key);
    if (own >= 0) p.values_[i] = values_[static_cast<size_t>(own)];
  }
  return p;
}

int64_t NeuronParams::get(std::string_view key) const {
  const int i = model_->param_index(key);
  if (i < 0) throw std::out_of_range("neuron model '" + model_->name + "' has no parameter '" + std::string(key) + "'");
  return values_[static_cast<size_t>(i)];
}

void NeuronParams::set(std::string_view key, int64_t value) {
  const int i = model_->param_index(key);
  if (i < 0) throw std::out_of_range("neuron model '" + model_->name + "' has no parameter '" + std::string(key) + "'");
  values_[static_cast<size_t>(i)] = value;
}

}  // namespace neurochip::hw
