// Robustness of the loader (sim/config/config_loader.h) against malformed input. Thousands of
// deterministic mutants (std::mt19937_64, fixed seeds) of the shipped configs, of "--set" overrides
// and of trace / synapse CSV files must each either load or throw a ConfigError whose every
// diagnostic has a message and a position (line and column >= 1, or line 0 for file-level
// problems); anything else thrown, a crash or a very slow load is a bug. Followed by one
// regression test per bug the mutants found, each with its exact message.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <typeinfo>
#include <vector>

#if defined(__linux__)
#include <sys/resource.h>
#include <unistd.h>
#endif

#include "config/config_loader.h"
#include "io/workload_stimulus.h"
#include "io/input_trace.h"

#if defined(__SANITIZE_ADDRESS__)
#define NEUROCHIP_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NEUROCHIP_UNDER_ASAN 1
#endif
#endif

namespace neurochip::sim {
namespace {

namespace fs = std::filesystem;

const std::string kRoot = NEUROCHIP_REPO_ROOT;
const std::string kRobustness = std::string(NEUROCHIP_TEST_DATA) + "/robustness";

/// Hang guard, not a performance target: a load takes milliseconds; one that takes a minute is
/// stuck in a runaway expansion whatever the machine.
constexpr double kSlowLoadSeconds = 60.0;

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

/// Non-printable bytes as \xNN, so a failing mutant can be pasted back into a test.
std::string escaped(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c < 0x20 || c >= 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

/// Caps the address space for its lifetime (Linux, not under AddressSanitizer, which reserves
/// terabytes of shadow memory): an absurd allocation then fails with std::bad_alloc, which the
/// checks below report, instead of exhausting the machine.
class AddressSpaceCap {
 public:
  explicit AddressSpaceCap(uint64_t headroom_bytes) {
#if defined(__linux__) && !defined(NEUROCHIP_UNDER_ASAN)
    std::ifstream statm("/proc/self/statm");
    uint64_t pages = 0;
    if (!(statm >> pages) || getrlimit(RLIMIT_AS, &saved_) != 0) return;
    rlimit capped = saved_;
    capped.rlim_cur = pages * static_cast<uint64_t>(sysconf(_SC_PAGESIZE)) + headroom_bytes;
    if (saved_.rlim_cur != RLIM_INFINITY && saved_.rlim_cur < capped.rlim_cur) return;
    active_ = setrlimit(RLIMIT_AS, &capped) == 0;
#else
    (void)headroom_bytes;
#endif
  }
  ~AddressSpaceCap() {
#if defined(__linux__) && !defined(NEUROCHIP_UNDER_ASAN)
    if (active_) setrlimit(RLIMIT_AS, &saved_);
#endif
  }
  AddressSpaceCap(const AddressSpaceCap&) = delete;
  AddressSpaceCap& operator=(const AddressSpaceCap&) = delete;

 private:
#if defined(__linux__) && !defined(NEUROCHIP_UNDER_ASAN)
  rlimit saved_{};
  bool active_ = false;
#endif
};

/// Runs loads and records every outcome that breaks the contract.
class ContractChecker {
 public:
  /// Loads once; `input` describes the mutant in failure messages.
  void check(const std::string& input, const std::function<RunConfig()>& load) {
    ++loads_;
    const auto start = std::chrono::steady_clock::now();
    std::string problem;
    try {
      const RunConfig rc = load();
      ++accepted_;
      problem = check_accepted(rc);
    } catch (const ConfigError& e) {
      problem = check_diagnostics(e);
    } catch (const std::exception& e) {
      problem = std::string("threw ") + typeid(e).name() + ": " + e.what();
    } catch (...) {
      problem = "threw a non-std exception";
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (seconds > slowest_) slowest_ = seconds;
    if (problem.empty() && seconds > kSlowLoadSeconds) problem = "took " + std::to_string(seconds) + " s";
    if (!problem.empty()) failures_.push_back(problem + "\n  input: " + escaped(input));
  }

  /// Fails the current test with the first few broken mutants.
  void expect_clean(const std::string& what) const {
    std::string report;
    for (size_t i = 0; i < failures_.size() && i < 8; ++i) report += "\n" + failures_[i];
    EXPECT_TRUE(failures_.empty()) << failures_.size() << " of " << loads_ << " " << what
                                   << " mutants broke the contract:" << report;
    std::cout << "[ robustness ] " << what << ": " << loads_ << " mutants, " << accepted_ << " accepted, slowest load "
              << slowest_ * 1000 << " ms\n";
  }

  size_t accepted() const { return accepted_; }

 private:
  static std::string check_diagnostics(const ConfigError& e) {
    if (e.diagnostics().empty()) return "ConfigError without diagnostics";
    for (const ConfigDiagnostic& d : e.diagnostics()) {
      const bool positioned = d.line > 0 && d.col > 0;
      const bool file_level = d.line == 0 && d.col == 0;
      if (d.file.empty() || d.message.empty() || !(positioned || file_level)) {
        return "bad diagnostic '" + d.str() + "' (line " + std::to_string(d.line) + ", col " + std::to_string(d.col) +
               ")";
      }
    }
    return "";
  }

  /// An accepted configuration stays within the documented bounds and round-trips through its
  /// resolved form.
  static std::string check_accepted(const RunConfig& rc) {
    if (rc.workload.timesteps < 1 || rc.workload.timesteps > 10'000'000) return "accepted timesteps out of range";
    if (stimulus_schedule(rc).size() != rc.workload.timesteps) return "stimulus size differs from timesteps";
    const std::string resolved = emit_resolved_config(rc);
    try {
      const RunConfig again = load_run_config_from_string(resolved, "resolved.yaml", "/");
      if (emit_resolved_config(again) != resolved) return "resolved configuration does not round-trip";
    } catch (const std::exception& e) {
      return std::string("resolved configuration does not load again: ") + e.what() + "\n  resolved: " +
             escaped(resolved);
    }
    return "";
  }

  size_t loads_ = 0;
  size_t accepted_ = 0;
  double slowest_ = 0;
  std::vector<std::string> failures_;
};

// ---- mutation --------------------------------------------------------------------------------

/// Replacements for a scalar: other types, extreme and malformed numbers, YAML syntax, unicode.
const std::vector<std::string> kScalars = {
    "", "~", "null", "-1", "0", "1", "-0", "+7", "007", "1.5", "-2.5e3", "1e308", "1e-320", "5e-324", "0x",
    "0x7FEF", "0XFFFFFFFFFFFFFFFF", "0x10000000000000000", "-0x8000000000000000", "99999999999999999999",
    "-99999999999999999999", "18446744073709551615", "18446744073709551616", "9223372036854775807",
    "-9223372036854775808", "-9223372036854775809", "4294967295", "4294967296", "2147483648", "65536", "65537",
    "10000001", ".inf", "-.inf", ".nan", "nan", "inf", "1e999", "true", "no", "abc", "'quoted'", "\"dq\"",
    "\"\\u00e9\\t\\x00\"", "\xC3\xBCn\xC3\xAF", "\xE6\x97\xA5\xE6\x9C\xAC", "\xF0\x9F\x98\x80", "\xFF\xFE", "\xC3",
    "[]", "{}", "[1, 2]", "[[1, 2, 3]]", "[-1, 99999999999999999999, 0]", "{a: 1}", "{name: x}", "&anchor 5",
    "*anchor", "*nowhere", "!!str 5", "!!int x", "!tag 5", "!!map {}", "|", ">", "- 1", "? x", "\t", "#c", "'", "\"",
    "[", "{", "}", "]", ",", ":", "%YAML 1.2", "@", "`", "\\", "a: b", "..", "---", "...", "\x01", "0b101", "0o17",
    "1_000", "0x1p3", " 1 ", "1,2", "1e3", "-1e-3", "0.0000001", "1.0000000000000002", "<<", "=", "a=b",
};

/// Keys to swap in: every key of the schema, near misses and odd ones.
const std::vector<std::string> kKeys = {
    "chip", "workload", "name", "clock_mhz", "timestep", "cores", "policy", "cycles_per_timestep", "on_overrun",
    "duration_us", "neuron", "readout", "weights", "memory", "timing", "model", "threshold", "alpha", "leak_tau_ms",
    "reset", "refractory_steps", "adaptation_rho", "adaptation_tau_ms", "adaptation_increment", "kappa", "bits",
    "input_shift", "recurrent_shift", "output_shift", "max_inputs", "max_neurons", "max_readouts",
    "neurons_per_word", "neuron_sram", "input_weight_sram", "recurrent_weight_sram", "output_weight_sram", "words",
    "word_bits", "tick_sync_cycles", "neuron_word_cycles", "step_tail_cycles", "step_done_cycles",
    "scan_cycles_per_index", "input_only_cycles", "timesteps", "seed", "populations", "projections", "inputs",
    "kind", "size", "core", "from", "to", "connectivity", "weight", "weight_uniform", "probability", "synapses",
    "file", "population", "poisson", "trace", "rate_hz", "treshold", "Chip", "", "<<", "? x", "0", "~",
    "\xC3\xA9", "a b", "'q'", "\"dq\"",
};

/// Bytes to insert anywhere.
const std::vector<std::string> kGarbage = {
    "\t", "\r", std::string(1, '\0'), ":", "-", "#", "{", "}", "[", "]", ",", "&", "*", "!", "|", ">", "'", "\"", "%",
    "@", "`", "\xEF\xBB\xBF", "\xFF", "\xC3", "\xC3\xA9", "\n", " ", "  ", "\n- ", ": ", "? ", "&a ", "*a", "\x7F",
};

/// Replacements for one CSV cell.
const std::vector<std::string> kCells = {
    "",  "0",  "1",  "-1", "+1", "-0", "007", "1.0", "1e2", "0x1", "abc", " 3", "3 ", "\t3", "\xEF\xBC\x91", "3",
    "4", "11", "12", "99999999999999999999", "18446744073709551616", "18446744073709551615", "9999999999999999999",
    "10000000000000000000", "4294967296", "2147483648", "-2147483649", "-9223372036854775809",
    "00000000000000000001", "0000000000000000000000000000001", "7", "-8", "8", "-9", "127", "-128", "#", "\"1\"",
    "timestep", "index", "pre", "post", "weight", "\r", std::string(1, '\0'),
};

class Mutator {
 public:
  explicit Mutator(uint64_t seed) : rng_(seed) {}

  size_t below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(rng_() % n); }
  template <class V>
  static auto nth(V& v, size_t i) {
    return v.begin() + static_cast<std::ptrdiff_t>(i);
  }
  bool chance(unsigned percent) { return below(100) < percent; }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[below(v.size())];
  }

  /// A YAML document with 1..4 random mutations; `others` lends lines from the other configs.
  std::string mutate_yaml(std::string text, const std::vector<std::string>& others) {
    const size_t n = 1 + below(4);
    for (size_t i = 0; i < n; ++i) text = mutate_yaml_once(text, others);
    return text;
  }

  /// A CSV file with 1..4 random mutations.
  std::string mutate_csv(std::string text) {
    const size_t n = 1 + below(4);
    for (size_t i = 0; i < n; ++i) text = mutate_csv_once(text);
    return text;
  }

  /// One mutated "--set" override built from `base` (a valid one).
  std::string mutate_override(const std::string& base) {
    const size_t eq = base.find('=');
    std::vector<std::string> path = split(base.substr(0, eq), '.');
    std::string value = base.substr(eq + 1);
    const std::vector<std::string> components = {
        "",  "..", "0", "1", "3", "99999999999", "4294967296", "999999999", "-1", "0x1", "1e3", "cores", "chip",
        "workload", "neuron", "threshold", "populations", "size", "synapses", "\xC3\xA9", " ", "=", "a=b", "[0]",
        "{a: 1}", "*a", "&a", "#", "~", "null"};
    const std::vector<std::string> values = {
        "{a: {b: [1, {c: [2, {d: 3}]}]}}", "[[[[[]]]]]", "{bits: 4, extra: [1]}", "[[0, 0, 1], [0, 0, 1]]",
        "{name: x, kind: input, size: 99999999999999999999}", "&a [1, *a]", "*a", "{", "[1, 2", "a: b: c", "- 1\n- 2",
        "'unterminated", "=", "==", "a=b", "",
    };
    const std::vector<std::string> plausible = {"0", "1", "2", "3", "4", "7", "8", "15", "16", "17", "64", "127",
                                                "128", "255", "256", "257", "0.5", "1.0", "-3", "0x10", "lif", "alif",
                                                "zero", "fixed", "stretch", "dense", "random", "one_to_one", "list"};
    const size_t n = 1 + below(3);
    for (size_t i = 0; i < n; ++i) {
      if (chance(30)) {
        value = pick(plausible);  // a valid path with a plausible value reaches the expansion
        continue;
      }
      switch (below(9)) {
        case 0: path.insert(nth(path, below(path.size() + 1)), pick(components)); break;
        case 1: if (!path.empty()) path.erase(nth(path, below(path.size()))); break;
        case 2: if (!path.empty()) path[below(path.size())] = pick(components); break;
        case 3: value = pick(kScalars); break;
        case 4: value = pick(values); break;
        case 5: value = std::string(below(3000), '[') + std::string(below(3000), ']'); break;
        case 6: path.push_back(""); break;
        case 7: if (!path.empty()) path.front() = "." + path.front(); break;
        default: value = mutate_scalar_text(value); break;
      }
    }
    std::string text = join(path, '.');
    switch (below(8)) {
      case 0: return text;                      // no '='
      case 1: return text + "==" + value;       // '=' in the value
      case 2: return "=" + value;               // empty path
      default: return text + "=" + value;
    }
  }

 private:
  static std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t i = 0; i <= s.size(); ++i) {
      if (i == s.size() || s[i] == sep) {
        parts.push_back(s.substr(start, i - start));
        start = i + 1;
      }
    }
    return parts;
  }

  static std::string join(const std::vector<std::string>& parts, char sep) {
    std::string s;
    for (size_t i = 0; i < parts.size(); ++i) s += (i ? std::string(1, sep) : "") + parts[i];
    return s;
  }

  static bool token_char(char c) {
    return !(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ':' || c == '{' || c == '}' ||
             c == '[' || c == ']' || c == '#');
  }

  /// [begin, end) of every token; `keys` selects tokens followed by ':' (keys) or the others.
  static std::vector<std::pair<size_t, size_t>> tokens(const std::string& text, bool keys) {
    std::vector<std::pair<size_t, size_t>> out;
    for (size_t i = 0; i < text.size();) {
      if (!token_char(text[i])) {
        ++i;
        continue;
      }
      size_t end = i;
      while (end < text.size() && token_char(text[end])) ++end;
      const bool is_key = end < text.size() && text[end] == ':';
      if (is_key == keys) out.emplace_back(i, end);
      i = end;
    }
    return out;
  }

  std::string replace_token(const std::string& text, bool keys, const std::string& with) {
    const auto t = tokens(text, keys);
    if (t.empty()) return text;
    const auto [b, e] = pick(t);
    return text.substr(0, b) + with + text.substr(e);
  }

  /// A nearby value for one integer token (capacities, sizes and geometry just off their limits).
  std::string perturb_number(const std::string& text) {
    std::vector<std::pair<size_t, size_t>> numbers;
    for (const auto& t : tokens(text, false)) {
      const std::string tok = text.substr(t.first, t.second - t.first);
      // An optionally negative integer ("--16", left by an earlier mutation, is not one).
      const size_t digits = tok.rfind('-') == 0 || tok.find('-') == std::string::npos ? (tok[0] == '-' ? 1 : 0) : tok.size();
      if (digits < tok.size() && tok.find_first_not_of("0123456789", digits) == std::string::npos && tok.size() < 12) {
        numbers.push_back(t);
      }
    }
    if (numbers.empty()) return text;
    const auto [b, e] = pick(numbers);
    const long long v = std::stoll(text.substr(b, e - b));
    const long long deltas[] = {v + 1, v - 1, v * 2, v / 2, v * 10, -v, 0, 1, v + 16, v - 16};
    return text.substr(0, b) + std::to_string(deltas[below(std::size(deltas))]) + text.substr(e);
  }

  std::string mutate_scalar_text(const std::string& s) {
    if (s.empty()) return pick(kScalars);
    std::string out = s;
    switch (below(4)) {
      case 0: return out + out;
      case 1: return "-" + out;
      case 2: out.insert(below(out.size() + 1), pick(kGarbage)); return out;
      default: return out.substr(0, below(out.size()));
    }
  }

  std::string mutate_yaml_once(const std::string& text, const std::vector<std::string>& others) {
    std::vector<std::string> lines = split(text, '\n');
    auto joined = [&lines] { return join(lines, '\n'); };
    auto any_line = [&] { return below(lines.size()); };
    switch (below(20)) {
      case 0: lines.erase(nth(lines, any_line())); return joined();
      case 1: {
        const size_t i = any_line();
        lines.insert(nth(lines, i), lines[i]);
        return joined();
      }
      case 2: std::swap(lines[any_line()], lines[any_line()]); return joined();
      case 3: {
        std::string& l = lines[any_line()];
        const size_t indent = l.find_first_not_of(' ') == std::string::npos ? l.size() : l.find_first_not_of(' ');
        const size_t target = chance(20) ? below(3) * 4 + (chance(50) ? 1 : 0) : indent + 1 + below(4);
        l = (chance(15) ? "\t" : std::string(target, ' ')) + l.substr(chance(50) ? indent : std::min(indent, target));
        return joined();
      }
      case 4:
      case 5:
      case 6: return replace_token(text, false, pick(kScalars));
      case 7: return replace_token(text, true, pick(kKeys));
      case 8: return text.substr(0, below(text.size() + 1));
      case 9:
      case 10: {
        std::string out = text;
        out.insert(below(out.size() + 1), pick(kGarbage));
        return out;
      }
      case 11: {
        const size_t b = below(text.size() + 1);
        return text.substr(0, b) + text.substr(std::min(text.size(), b + 1 + below(40)));
      }
      case 12: {
        std::string out;
        for (char c : text) out += c == '\n' ? std::string("\r\n") : std::string(1, c);
        return chance(50) ? out : out.substr(0, out.size() - (out.size() >= 2 ? 2 : 0));
      }
      case 13: {
        const std::vector<std::string> other = split(pick(others), '\n');
        lines.insert(nth(lines, any_line()), other[below(other.size())]);
        return joined();
      }
      case 14: {
        const std::string with_anchor = replace_token(text, false, "&a " + std::string(chance(50) ? "[1, 2]" : "7"));
        return replace_token(with_anchor, false, chance(50) ? "*a" : "&a [*a]");
      }
      case 15: return text + (chance(50) ? "\n---\nchip: {}\n" : "\n...\n%garbage\n");
      case 16:
      case 17: return perturb_number(text);
      case 18: {
        const auto values = tokens(text, false);
        if (values.empty()) return text;
        const auto [b, e] = pick(values);
        return replace_token(text, false, text.substr(b, e - b));
      }
      default: {
        std::string& l = lines[any_line()];
        l = mutate_scalar_text(l);
        return joined();
      }
    }
  }

  std::string mutate_csv_once(const std::string& text) {
    std::vector<std::string> lines = split(text, '\n');
    auto joined = [&lines] { return join(lines, '\n'); };
    auto any_line = [&] { return below(lines.size()); };
    switch (below(12)) {
      case 0: lines.erase(nth(lines, any_line())); return joined();
      case 1: {
        const size_t i = any_line();
        lines.insert(nth(lines, i), lines[i]);
        return joined();
      }
      case 2: std::swap(lines[any_line()], lines[any_line()]); return joined();  // timesteps may decrease
      case 3:
      case 4:
      case 5: {
        std::string& l = lines[any_line()];
        std::vector<std::string> cells = split(l, ',');
        cells[below(cells.size())] = pick(kCells);
        l = join(cells, ',');
        return joined();
      }
      case 6: lines[any_line()] += "," + pick(kCells); return joined();  // extra field
      case 7: {
        std::string& l = lines[any_line()];
        const size_t comma = l.rfind(',');
        if (comma != std::string::npos) l = l.substr(0, comma);  // missing field
        return joined();
      }
      case 8:
        lines.insert(nth(lines, any_line()), chance(50) ? "" : "  \t");
        return joined();
      case 9: {
        std::string out;
        for (char c : text) out += c == '\n' ? std::string("\r\n") : std::string(1, c);
        return out;
      }
      case 10: return text.substr(0, below(text.size() + 1));  // no trailing newline, cut anywhere
      default: {
        std::string out = text;
        out.insert(below(out.size() + 1), pick(kGarbage));
        return out;
      }
    }
  }

  std::mt19937_64 rng_;
};

struct Shipped {
  std::string path;
  std::string text;
};

std::vector<Shipped> shipped_configs() {
  std::vector<Shipped> out;
  for (const char* rel : {"configs/examples/tiny.yaml", "configs/examples/two_cores.yaml",
                          "configs/examples/bench_256.yaml", "configs/chips/reckon.yaml"}) {
    const std::string path = kRoot + "/" + rel;
    out.push_back({path, read_text(path)});
  }
  return out;
}

std::string dir_of(const std::string& path) { return fs::path(path).parent_path().string(); }

/// A fresh directory for the mutated CSV files, removed at the end.
class ScratchDir {
 public:
  ScratchDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("neurochip_robustness_" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

constexpr uint64_t kHeadroom = uint64_t{1} << 30;

// ---- the mutant runs -------------------------------------------------------------------------

TEST(ConfigRobustness, MutatedShippedConfigsLoadOrFailWithPositionedErrors) {
  const AddressSpaceCap cap(kHeadroom);
  const std::vector<Shipped> configs = shipped_configs();
  std::vector<std::string> texts;
  for (const Shipped& c : configs) texts.push_back(c.text);
  ContractChecker checker;
  for (size_t ci = 0; ci < configs.size(); ++ci) {
    Mutator m(0x5EED0000 + ci);
    for (int i = 0; i < 1500; ++i) {
      const std::string mutant = m.mutate_yaml(configs[ci].text, texts);
      checker.check(mutant,
                    [&] { return load_run_config_from_string(mutant, "mutant.yaml", dir_of(configs[ci].path)); });
    }
  }
  checker.expect_clean("YAML");
  EXPECT_GT(checker.accepted(), 0u);
}

TEST(ConfigRobustness, MutatedOverridesLoadOrFailWithPositionedErrors) {
  const AddressSpaceCap cap(kHeadroom);
  const std::vector<Shipped> configs = shipped_configs();
  const std::vector<std::string> bases = {
      "workload.timesteps=50",
      "chip.cores.0.neuron.threshold=500",
      "chip.cores.0.weights={bits: 4}",
      "chip.cores.0.memory.neuron_sram.words=64",
      "workload.populations.0.size=3",
      "workload.populations.1={name: extra, kind: neuron, size: 1}",
      "workload.projections.0.weight_uniform=[-4, 4]",
      "workload.projections.0.synapses.0.2=5",
      "workload.inputs.0.poisson.rate_hz=5",
      "workload.inputs.0={population: in, trace: x.csv}",
      "chip.timestep={policy: fixed, cycles_per_timestep: 5000}",
      "chip.name=renamed",
  };
  ContractChecker checker;
  for (size_t ci = 0; ci < configs.size(); ++ci) {
    Mutator m(0x0BE44 + ci);
    for (int i = 0; i < 500; ++i) {
      std::vector<std::string> overrides;
      const size_t n = 1 + m.below(3);
      for (size_t k = 0; k < n; ++k) {
        overrides.push_back(m.chance(15) ? m.pick(bases) : m.mutate_override(m.pick(bases)));
      }
      std::string input = configs[ci].path;
      for (const std::string& o : overrides) input += " --set '" + o + "'";
      checker.check(input, [&] {
        return load_run_config_from_string(configs[ci].text, "mutant.yaml", dir_of(configs[ci].path), overrides);
      });
    }
  }
  checker.expect_clean("--set");
}

TEST(ConfigRobustness, MutatedTraceAndSynapseFilesLoadOrFailWithPositionedErrors) {
  const AddressSpaceCap cap(kHeadroom);
  const ScratchDir dir;
  const std::string yaml = read_text(kRobustness + "/csv_inputs.yaml");
  const std::string trace = read_text(kRobustness + "/trace.csv");
  const std::string synapses = read_text(kRobustness + "/synapses.csv");
  ContractChecker checker;
  Mutator m(0xC5F);
  for (int i = 0; i < 1500; ++i) {
    const std::string t = m.chance(70) ? m.mutate_csv(trace) : trace;
    const std::string s = m.chance(70) ? m.mutate_csv(synapses) : synapses;
    write_text(dir.path() / "trace.csv", t);
    write_text(dir.path() / "synapses.csv", s);
    checker.check("trace.csv: " + t + "\n  synapses.csv: " + s,
                  [&] { return load_run_config_from_string(yaml, "csv_inputs.yaml", dir.path().string()); });
  }
  checker.expect_clean("CSV");
  EXPECT_GT(checker.accepted(), 0u);
}

TEST(ConfigRobustness, FileLevelProblemsHaveLineZero) {
  const ScratchDir dir;
  write_text(dir.path() / "empty.yaml", "");
  ContractChecker checker;
  for (const fs::path& p : {dir.path() / "missing.yaml", dir.path(), dir.path() / "empty.yaml", fs::path("")}) {
    checker.check(p.string(), [&] { return load_run_config(p.string()); });
  }
  checker.expect_clean("file");
}

// ---- regressions: one per bug the mutants found -----------------------------------------------

using Messages = std::vector<std::string>;

/// Every diagnostic of loading an inline document named "inline.yaml" (empty if it loads).
Messages errors_of(const std::string& yaml, const std::vector<std::string>& overrides = {}) {
  try {
    load_run_config_from_string(yaml, "inline.yaml", kRobustness, overrides);
  } catch (const ConfigError& e) {
    Messages out;
    for (const ConfigDiagnostic& d : e.diagnostics()) out.push_back(d.str());
    return out;
  }
  return {};
}

const std::string kWorkload = "workload:\n  timesteps: 1\n  populations: [{name: n, kind: neuron, size: 1}]\n";

TEST(ConfigRobustnessRegression, AliasInsideItsOwnAnchorIsAnErrorNotAnInfiniteRecursion) {
  // Was a stack overflow (SIGSEGV): the tree of `&chip {cores: [*chip]}` is infinite.
  EXPECT_EQ(errors_of("chip: &chip\n  cores: [*chip]\n" + kWorkload),
            Messages{"inline.yaml:1:7: an alias refers to a node that contains it (the document would be infinite)"});
  EXPECT_EQ(errors_of("chip: {cores: [{name: c}]}\n" + kWorkload, {"chip.name=&a [*a]"}),
            Messages{"--set:1:11: an alias refers to a node that contains it (the document would be infinite)"});
}

TEST(ConfigRobustnessRegression, NestedAliasesCannotExpandWithoutBound) {
  // 9 levels of 10 aliases each: 10^9 nodes once expanded, from 511 bytes (memory exhaustion).
  std::string yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int level = 1; level < 9; ++level) {
    const std::string alias = "*a" + std::to_string(level - 1);
    yaml += "a" + std::to_string(level) + ": &a" + std::to_string(level) + " [" + alias;
    for (int k = 1; k < 10; ++k) yaml += ", " + alias;
    yaml += "]\n";
  }
  EXPECT_EQ(errors_of(yaml), Messages{"inline.yaml:1:34: aliases expand the document to more than " +
                                      std::to_string(100000 + yaml.size()) + " nodes"});
}

TEST(ConfigRobustnessRegression, DeepNestingIsReportedClearly) {
  EXPECT_EQ(errors_of("chip: " + std::string(70, '[') + std::string(70, ']') + "\n" + kWorkload),
            Messages{"inline.yaml:1:70: nodes nested more than 64 levels deep"});
  // Beyond yaml-cpp's own guard the message was "YAML syntax error: bad file".
  EXPECT_EQ(errors_of("chip: " + std::string(3000, '[') + std::string(3000, ']') + "\n" + kWorkload),
            Messages{"inline.yaml:1:6007: nodes nested more than 64 levels deep"});
}

TEST(ConfigRobustnessRegression, NullKeyIsNotCalledComplex) {
  EXPECT_EQ(errors_of("~: 5\n" + kWorkload),
            (Messages{"inline.yaml:1:1: expected a plain key, got an empty or null key",
                      "inline.yaml:1:1: missing required key 'chip'"}));
}

TEST(ConfigRobustnessRegression, OverrideWithABadValueLeavesTheDocumentUnchanged) {
  // The path used to be created before the value failed to parse, adding "expected a name of
  // letters, digits and '_', got an empty value" for chip.name.
  EXPECT_EQ(errors_of("chip: {cores: [{name: c}]}\n" + kWorkload, {"chip.name=[", "chip.cores.5=[1"}),
            (Messages{"--set:1:11: YAML syntax error in override value: end of sequence flow not found",
                      "--set:2:12: index 5 is out of range: 'chip.cores' has 1 elements",
                      "--set:2:14: YAML syntax error in override value: end of sequence flow not found"}));
}

TEST(ConfigRobustnessRegression, EmptyConfigPathIsNamed) {
  // Was ": cannot open config file".
  try {
    load_run_config("");
    ADD_FAILURE() << "an empty path loaded";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "'': no config file given (the path is empty)");
  }
}

TEST(ConfigRobustnessRegression, CrossbarsBeyondTheMemoryBudgetAreRejected) {
  // 65536 inputs x 4096 neurons, SRAMs sized to match: the loader built 2^28-byte weight images
  // and 8-byte owners per synapse (2.3 GB); max_neurons: 65536 would have needed 36 GB.
  const std::string yaml =
      "chip:\n  cores:\n    - name: big\n"
      "      memory: {max_inputs: 65536, max_neurons: 4096, neuron_sram: {words: 2048},\n"
      "               input_weight_sram: {words: 16777216}, recurrent_weight_sram: {words: 1048576},\n"
      "               output_weight_sram: {words: 4096}}\n" +
      kWorkload;
  EXPECT_EQ(errors_of(yaml),
            Messages{"inline.yaml:4:15: the crossbars of the chip have 285278208 synapse slots with this core "
                     "(max_inputs x max_neurons + max_neurons x max_neurons + max_neurons x max_readouts per core), "
                     "more than the 134217728 the emulator can hold in memory"});
}

TEST(ConfigRobustnessRegression, SramsBeyondTheMemoryBudgetAreRejected) {
  // Loaded, then `neurochip run` threw std::bad_alloc allocating a 2 TiB input-weight SRAM.
  EXPECT_EQ(errors_of("chip:\n  cores:\n    - name: c\n"
                      "      memory: {input_weight_sram: {words: 4294967295, word_bits: 4096}}\n" +
                      kWorkload),
            Messages{"inline.yaml:4:35: the SRAMs of the chip total 17592186056704 bits with this input_weight_sram, "
                     "more than the 8589934592 bits (1 GiB) the emulator can hold in memory"});
}

TEST(ConfigRobustnessRegression, AStimulusOfBillionsOfEventsIsDrawnAsTheRunGoes) {
  // reckon.yaml --set workload.timesteps=10000000 --set workload.inputs.0.poisson.rate_hz=1000
  // (2.56e9 events, 20 GB) once threw std::bad_alloc, then was rejected for its size. The stimulus
  // is now drawn one timestep at a time: 10^7 timesteps x 65536 channels firing every timestep
  // (6.6e11 events) load at once and the source gives one timestep's events when asked.
  const std::string yaml =
      "chip:\n  cores:\n    - name: c\n"
      "      memory: {max_inputs: 65536, max_neurons: 1, input_weight_sram: {words: 65536}}\n"
      "workload:\n  timesteps: 10000000\n  populations: [{name: in, kind: input, size: 65536}]\n"
      "  inputs: [{population: in, poisson: {rate_hz: 1000}}]\n";
  const RunConfig rc = load_run_config_from_string(yaml, "inline.yaml", ".");
  WorkloadStimulus source(rc);
  std::vector<hw::AerPacket> packets;
  source.packets_for(0, hw::Ps(0), packets);
  EXPECT_EQ(packets.size(), 65536u);  // p = 1: every channel fires
}

TEST(ConfigRobustnessRegression, RelativeOverridePathWithoutACurrentDirectory) {
  // Threw std::filesystem::filesystem_error from current_path().
  const fs::path saved = fs::current_path();
  {
    const ScratchDir gone;
    fs::current_path(gone.path());
  }
  const Messages errors = errors_of("chip: {cores: [{name: c}]}\nworkload:\n  timesteps: 1\n"
                                    "  populations: [{name: in, kind: input, size: 1}]\n",
                                    {"workload.inputs=[{population: in, trace: t.csv}]"});
  fs::current_path(saved);
  EXPECT_EQ(errors, Messages{"--set:1:42: cannot resolve the relative path 't.csv': the current directory is "
                             "unavailable (No such file or directory)"});
}

TEST(ConfigRobustnessRegression, SubnormalNumbersAreNumbers) {
  // Was "expected a number in 0..1000 (at most one spike per timestep of 1000 us), got '1e-320'":
  // strtod's ERANGE on underflow was taken for an unreadable number.
  const RunConfig rc = load_run_config_from_string(
      "chip: {cores: [{name: c}]}\nworkload:\n  timesteps: 1\n  populations: [{name: in, kind: input, size: 1}]\n"
      "  inputs: [{population: in, poisson: {rate_hz: 1e-320}}]\n",
      "inline.yaml", kRobustness);
  EXPECT_EQ(rc.workload.inputs.at(0).rate_hz, 1e-320);
  EXPECT_EQ(errors_of("chip: {cores: [{name: c, neuron: {leak_tau_ms: 1e-400}}]}\n" + kWorkload),
            Messages{"inline.yaml:1:48: expected a number > 0, got '1e-400'"});
}

TEST(ConfigRobustnessRegression, TraceNumbersBeyondTwentyDigitsAreOutOfRangeNotMalformed) {
  // Were "expected a non-negative integer timestep, got '99999999999999999999'" (and leading
  // zeros made a valid timestep malformed).
  std::istringstream in("99999999999999999999,0\n0,18446744073709551616\n00000000000000000001,3\n");
  const InputTraceReadResult r = parse_input_trace(in, "t.csv", 12, 4);
  Messages errors;
  for (const ConfigDiagnostic& d : r.errors) errors.push_back(d.str());
  EXPECT_EQ(errors, (Messages{"t.csv:1:1: expected a timestep in 0..11 (workload.timesteps is 12), got "
                              "'99999999999999999999'",
                              "t.csv:2:3: expected an index in 0..3 (population size 4), got '18446744073709551616'"}));
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].timestep, 1u);
  EXPECT_EQ(r.events[0].index, 3u);
}

}  // namespace
}  // namespace neurochip::sim
