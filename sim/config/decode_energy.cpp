// Decoding of `chip.energy` and of the energy table file it names (docs/energy.md; see decoder.h):
// the table's sections and entries are declared once, in energy_table_keys(), each entry a mapping
// `{value: <number>, source: <citation>}` — an entry without a source, an unknown key, a value out
// of range or a missing entry is an error at its position in the table file.
#include <limits>
#include <map>

#include "config/decoder.h"
#include "io/input_file.h"

namespace neurochip::sim {

const std::vector<EnergyTableKey>& energy_table_keys() {
  using T = EnergyTable;
  static const std::vector<EnergyTableKey> keys = {
      {"", "scale", "", &T::scale, 0, false, "the one free scale on every dynamic energy (fitted to one published figure)"},
      {"sram", "read_pj_per_bit", "pJ", &T::sram_read_pj_per_bit, 0, false,
       "energy per bit of a word read, in a macro of `reference_bits`"},
      {"sram", "write_pj_per_bit", "pJ", &T::sram_write_pj_per_bit, 0, false,
       "energy per bit of a word written, in a macro of `reference_bits`"},
      {"sram", "reference_bits", "bits", &T::sram_reference_bits, 0, true,
       "capacity of the macro the per-bit energies hold for"},
      {"sram", "capacity_exponent", "", &T::sram_capacity_exponent, 0, false,
       "per-bit access energy scales as (words · word_bits / reference_bits)^exponent"},
      {"sram", "leakage_pw_per_bit", "pW", &T::sram_leakage_pw_per_bit, 0, false, "static power per stored bit"},
      {"sram", "bitcell_um2", "µm²", &T::sram_bitcell_um2, 0, false, "area of one bit cell"},
      {"sram", "periphery_factor", "", &T::sram_periphery_factor, 1, false,
       "macro area / (bits · bit cell): decoders, sense amplifiers, I/O"},
      {"logic", "synaptic_op_pj", "pJ", &T::synaptic_op_pj, 0, false,
       "one weight applied to one target (which events: `counts`)"},
      {"logic", "neuron_update_pj", "pJ", &T::neuron_update_pj, 0, false, "one spiking neuron's STEP update"},
      {"logic", "readout_update_pj", "pJ", &T::readout_update_pj, 0, false, "one readout's STEP update"},
      {"logic", "spike_out_pj", "pJ", &T::spike_out_pj, 0, false, "one spike emitted by a neuron"},
      {"logic", "learning_word_update_pj", "pJ", &T::learning_word_update_pj, 0, false,
       "the learning engine computing and writing one weight word"},
      {"logic", "core_leakage_uw", "µW", &T::core_leakage_uw, 0, false, "static power of one core's logic"},
      {"logic", "core_logic_mm2", "mm²", &T::core_logic_mm2, 0, false, "logic area of one core"},
      {"noc", "router_hop_pj", "pJ", &T::router_hop_pj, 0, false, "one packet crossing one router"},
      {"noc", "router_bit_pj", "pJ", &T::router_bit_pj, 0, false, "one bit crossing one link"},
  };
  return keys;
}

namespace {

const char* const kSections[] = {"sram", "logic", "noc"};

std::vector<std::string> keys_of(const std::string& section) {
  std::vector<std::string> names;
  if (section.empty()) names = {"name", "description", "sram", "logic", "noc"};
  for (const EnergyTableKey& k : energy_table_keys())
    if (k.section == section) names.push_back(k.key);
  return names;
}

}  // namespace

void Decoder::decode_energy_entries(const YamlNode& doc, EnergyTable& t) {
  MapView top(&doc, doc.loc, keys_of(""), d_);
  if (!top.is_mapping()) return;
  if (top.require("name")) to_string(*top.get("name"), t.name);
  std::string description;
  if (top.has("description")) to_string(*top.get("description"), description);
  std::map<std::string, MapView> sections;
  sections.emplace("", top);
  for (const char* s : kSections) {
    if (top.require(s)) sections.emplace(s, MapView(top.get(s), top.entry(s)->key_loc, keys_of(s), d_));
  }
  for (const EnergyTableKey& k : energy_table_keys()) {
    const auto it = sections.find(k.section);
    if (it == sections.end()) continue;
    const MapView& m = it->second;
    if (!m.is_mapping() || !m.require(k.key)) continue;
    const YamlEntry& e = *m.entry(k.key);
    std::vector<std::string> fields = {"value", "source"};
    if (k.key == "synaptic_op_pj") fields.push_back("counts");
    MapView entry(&e.value, e.key_loc, fields, d_);
    if (!entry.is_mapping()) continue;
    if (entry.require("value", " (every entry is {value: <number>, source: <citation>})")) {
      const std::string expected = std::string("a number ") + (k.exclusive_min ? "> " : ">= ") + number_text(k.min) +
                                   (k.unit.empty() ? "" : " (" + k.unit + ")");
      to_number(*entry.get("value"), k.min, std::numeric_limits<double>::max(), k.exclusive_min, expected,
                t.*(k.member));
    }
    std::string source;
    if (entry.require("source", " (every entry cites where its value comes from, or says it is an estimate and "
                                "from what)"))
      to_string(*entry.get("source"), source);
    if (k.key == "synaptic_op_pj" &&
        entry.require("counts", " (`swept`: every crossbar slot the datapath sweeps; `nonzero`: stored synapses)")) {
      int64_t v = 0;
      if (to_enum(*entry.get("counts"), {"swept", "nonzero"}, v)) t.synaptic_op_counts = static_cast<SynapticOpCount>(v);
    }
  }
}

void Decoder::decode_energy(const YamlNode& chip_node, EnergyConfig& out) {
  const YamlEntry* energy = chip_node.kind == YamlNode::Kind::kMapping ? chip_node.find("energy") : nullptr;
  if (!energy) return;
  const schema::Map& spec = schema::map_at("chip.energy");
  MapView m(&energy->value, energy->key_loc, spec, d_);
  if (!m.is_mapping() || !m.require("table")) return;
  const YamlNode& table = *m.get("table");
  std::string path;
  if (!to_path(table, path)) return;
  const InputFileCheck check = check_input_file(path, kMaxConfigFileBytes, "an energy table");
  std::string text;
  if (check.result != InputFileCheck::Result::kOk || !read_input_file(path, kMaxConfigFileBytes, text)) {
    error(table.loc, "cannot open the energy table '" + echo(path, kMaxEchoPathChars) + "'" +
                         (check.problem.empty() ? "" : ": " + check.problem));
    return;
  }
  const size_t errors_before = d_.size();
  std::optional<YamlNode> doc = parse_yaml_document(text, path, d_);
  if (!doc || d_.size() != errors_before) return;
  decode_energy_entries(*doc, out.values);
  if (d_.size() == errors_before) out.table = path;
}

}  // namespace neurochip::sim
