// Unit tests of how the loader (sim/config/config_loader.h) and its CSV readers treat hostile or
// accidental bad input: user text echoed in diagnostics is escaped and cut, long error lists are
// capped, a second YAML document is an error, numbers must be plain scalars, tags are reported, an
// unterminated quote is reported where it opens, only regular files within a size limit are read,
// and each case has its exact message and position.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <sstream>
#include <string>
#include <vector>

#include "base/diagnostics.h"
#include "config/config_loader.h"
#include "config/network_builder.h"
#include "io/input_file.h"
#include "io/input_trace.h"

namespace neurochip::sim {
namespace {

namespace fs = std::filesystem;

const std::string kData = NEUROCHIP_TEST_DATA;

using Messages = std::vector<std::string>;

Messages messages_of(const ConfigError& e) {
  Messages out;
  for (const ConfigDiagnostic& d : e.diagnostics()) out.push_back(d.str());
  return out;
}

/// Every reported diagnostic of loading an inline document named "inline.yaml" (empty if it loads).
Messages errors_of(const std::string& yaml, const std::vector<std::string>& overrides = {}) {
  try {
    load_run_config_from_string(yaml, "inline.yaml", kData, overrides);
  } catch (const ConfigError& e) {
    return messages_of(e);
  }
  return {};
}

const std::string kChip = "chip: {cores: [{name: c}]}\n";
const std::string kWorkload = "workload:\n  timesteps: 1\n  populations: [{name: n, kind: neuron, size: 1}]\n";

// ---- escaping of echoed text -------------------------------------------------------------------

TEST(Echo, ControlBytesAndDeleteAreEscaped) {
  EXPECT_EQ(echo(std::string("a\x01" "b\tc\nd\x1B[2Je\x7F", 13)), "a\\x01b\\x09c\\x0Ad\\x1B[2Je\\x7F");
  EXPECT_EQ(echo(std::string("\0x", 2)), "\\x00x");
  EXPECT_EQ(echo("plain text, quotes ' \" and \\ stay"), "plain text, quotes ' \" and \\ stay");
}

TEST(Echo, ValidUtf8IsKeptAndInvalidBytesAreEscaped) {
  EXPECT_EQ(echo("\xC3\xA9t\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80"),
            "\xC3\xA9t\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80");
  EXPECT_EQ(echo("\xFF\xFE"), "\\xFF\\xFE");
  EXPECT_EQ(echo("a\xC3"), "a\\xC3");                 // sequence cut by the end
  EXPECT_EQ(echo("\xC3(x"), "\\xC3(x");               // lead byte without continuation
  EXPECT_EQ(echo("\x80x"), "\\x80x");                 // lone continuation byte
  EXPECT_EQ(echo("\xC0\x80"), "\\xC0\\x80");          // overlong NUL
  EXPECT_EQ(echo("\xE0\x80\xAF"), "\\xE0\\x80\\xAF");  // overlong '/'
  EXPECT_EQ(echo("\xED\xA0\x80"), "\\xED\\xA0\\x80");  // UTF-16 surrogate
  EXPECT_EQ(echo("\xF4\x90\x80\x80"), "\\xF4\\x90\\x80\\x80");  // above U+10FFFF
  EXPECT_EQ(echo("\xC2\x9B" "1m"), "\\xC2\\x9B1m");   // C1 control (CSI)
  EXPECT_EQ(echo("\xC2\xA0"), "\xC2\xA0");            // U+00A0 is printable
}

TEST(Echo, LongTextIsCutAfterSixtyCharacters) {
  const std::string sixty(60, 'x');
  EXPECT_EQ(echo(sixty), sixty);
  EXPECT_EQ(echo(sixty + "y"), sixty + "\u2026");
  // Characters, not bytes: 60 two-byte letters stay whole; an escaped byte is one character.
  std::string letters;
  for (int i = 0; i < 61; ++i) letters += "\xC3\xA9";
  EXPECT_EQ(echo(letters), letters.substr(0, 120) + "\u2026");
  EXPECT_EQ(echo(std::string(59, 'x') + "\x01\x02"), std::string(59, 'x') + "\\x01\u2026");
  EXPECT_EQ(echo(std::string(100, 'p'), kMaxEchoPathChars), std::string(100, 'p'));
}

TEST(Echo, FileNamesInPositionsAreEscaped) {
  EXPECT_EQ((ConfigDiagnostic{"a\nb.csv", 3, 1, "bad"}).str(), "a\\x0Ab.csv:3:1: bad");
  EXPECT_EQ(location_string(SourceLocation{"a\x1B.yaml", 2, 5}), "a\\x1B.yaml:2:5");
}

TEST(Echo, EveryEchoInTheLoaderIsEscaped) {
  // A plain scalar, an unknown key and its suggestion, a population name and a long value.
  EXPECT_EQ(errors_of("chip: {clock_mhz: 1\x01" "0, cores: [{name: c}]}\n" + kWorkload),
            Messages{"inline.yaml:1:19: expected an integer in 1..10000, got '1\\x010'"});
  EXPECT_EQ(errors_of("chip: {cores: [{name: c}], n\x1B" "me: x}\n" + kWorkload),
            Messages{"inline.yaml:1:28: unknown key 'n\\x1Bme' (expected one of: name, clock, clock_mhz, timestep, "
                     "energy, cores, noc) (did you mean 'name'?)"});
  EXPECT_EQ(errors_of(kChip + kWorkload + "  inputs: [{population: \"n\\e\\x7F\", poisson: {rate_hz: 1}}]\n"),
            Messages{"inline.yaml:5:25: unknown population 'n\\x1B\\x7F' (did you mean 'n'?)"});
  EXPECT_EQ(errors_of("chip: {clock_mhz: " + std::string(70, '9') + ", cores: [{name: c}]}\n" + kWorkload),
            Messages{"inline.yaml:1:19: expected an integer in 1..10000, got '" + std::string(60, '9') + "\u2026'"});
  EXPECT_EQ(errors_of("chip: {cores: [{name: c}]}\n\xFF\xFE: 1\n" + kWorkload),
            Messages{"inline.yaml:2:1: unknown key '\\xFF\\xFE' (expected one of: chip, workload)"});
}

TEST(Echo, OverrideTextIsEscaped) {
  EXPECT_EQ(errors_of(kChip + kWorkload, {"chip.name\x1B"}),
            Messages{"--set:1:1: expected 'path=value', got 'chip.name\\x1B'"});
  EXPECT_EQ(errors_of(kChip + kWorkload, {"chip.cores.x\x07.name=a"}),
            Messages{"--set:1:12: expected a list index into 'chip.cores', got 'x\\x07'"});
  EXPECT_EQ(errors_of(kChip + kWorkload, {"chip.cores.0.name.a\x7F.b=1"}),
            Messages{"--set:1:19: cannot set 'a\\x7F' inside 'chip.cores.0.name', which is a value"});
}

TEST(Echo, CsvCellsAreEscaped) {
  std::istringstream in(std::string("0,\x1B[31m\n\xFF,1\n", 12));
  const InputTraceReadResult r = parse_input_trace(in, "t.csv", 5, 4);
  Messages errors;
  for (const ConfigDiagnostic& d : r.errors) errors.push_back(d.str());
  EXPECT_EQ(errors, (Messages{"t.csv:1:3: expected a non-negative integer index, got '\\x1B[31m'",
                              "t.csv:2:1: expected a non-negative integer timestep, got '\\xFF'"}));
}

// ---- capped error lists ------------------------------------------------------------------------

/// A document with `n` errors, one per population (each "expected a mapping, got '1'").
std::string document_with_errors(size_t n) {
  std::string yaml = kChip + "workload:\n  timesteps: 1\n  populations:\n";
  for (size_t i = 0; i < n; ++i) yaml += "    - 1\n";
  return yaml;
}

TEST(ErrorCap, TheFirstHundredDiagnosticsAreKeptAndTheRestCounted) {
  try {
    load_run_config_from_string(document_with_errors(150), "inline.yaml", kData);
    FAIL() << "no ConfigError";
  } catch (const ConfigError& e) {
    ASSERT_EQ(e.diagnostics().size(), 100u);
    EXPECT_EQ(e.total(), 150u);
    EXPECT_EQ(e.diagnostics().front().str(), "inline.yaml:5:7: expected a mapping, got '1'");
    EXPECT_EQ(e.diagnostics().back().str(), "inline.yaml:104:7: expected a mapping, got '1'");
    EXPECT_EQ(e.omitted_note(), "\u2026 and 50 more errors not shown");
    const std::string what = e.what();
    EXPECT_EQ(what.substr(what.rfind('\n') + 1), "\u2026 and 50 more errors not shown");
    EXPECT_EQ(std::count(what.begin(), what.end(), '\n'), 100);
  }
}

TEST(ErrorCap, AtTheCapNothingIsOmitted) {
  try {
    load_run_config_from_string(document_with_errors(100), "inline.yaml", kData);
    FAIL() << "no ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.diagnostics().size(), 100u);
    EXPECT_EQ(e.total(), 100u);
    EXPECT_EQ(e.omitted_note(), "");
  }
  std::vector<ConfigDiagnostic> d(101, ConfigDiagnostic{"a.yaml", 1, 1, "x"});
  EXPECT_EQ(ConfigError(d).omitted_note(), "\u2026 and 1 more error not shown");
}

// ---- one document ------------------------------------------------------------------------------

TEST(SingleDocument, ASecondDocumentInTheFileIsAnErrorAtItsStart) {
  const std::string file = kData + "/bad_configs/two_documents.yaml";
  try {
    load_run_config(file);
    FAIL() << "no ConfigError";
  } catch (const ConfigError& e) {
    // The first document is still decoded: its own problem is reported too.
    EXPECT_EQ(messages_of(e),
              (Messages{file + ":2:1: missing required key 'workload'",
                        file + ":5:1: expected one YAML document, found a second one here (after '---')"}));
  }
  const std::string one = kChip + kWorkload;
  EXPECT_EQ(errors_of(one + "...\nx: 1\n"),
            Messages{"inline.yaml:6:1: expected one YAML document, found a second one here (after '...')"});
  EXPECT_EQ(errors_of(one + "---\n"),
            Messages{"inline.yaml:5:1: expected one YAML document, found a second one here (after '---')"});
  EXPECT_EQ(errors_of(one + "---\n[unclosed\n"),
            Messages{"inline.yaml:5:1: expected one YAML document, found a second one here (after '---')"});
  EXPECT_EQ(errors_of(one + "...\n%YAML 9.9\n---\n"),
            Messages{"inline.yaml:6:1: YAML syntax error: YAML major version too large"});
}

TEST(SingleDocument, DocumentMarkersAroundOneDocumentAreFine) {
  const std::string one = kChip + kWorkload;
  EXPECT_EQ(errors_of("---\n" + one + "...\n"), Messages{});
  EXPECT_EQ(errors_of("%YAML 1.2\n---\n" + one + "...\n# nothing after the end marker\n"), Messages{});
}

TEST(SingleDocument, ASecondDocumentInAnOverrideValueIsAnError) {
  const std::string one = kChip + kWorkload;
  // Column 13 is the '---' in "chip.name=a\n---\nb".
  EXPECT_EQ(errors_of(one, {"chip.name=a\n---\nb"}),
            Messages{"--set:1:13: expected one YAML document, found a second one here (after '---')"});
  EXPECT_EQ(errors_of(one, {"workload.timesteps=3", "chip.cores.0={name: c}\n---\ny: 2"}),
            Messages{"--set:2:24: expected one YAML document, found a second one here (after '---')"});
  EXPECT_EQ(errors_of(one, {"chip.name=a --- b"}),
            Messages{"--set:1:11: expected a name of letters, digits and '_', got 'a --- b'"});
}

// ---- numbers are plain scalars; tags are not supported -----------------------------------------

/// A one-core chip whose neuron threshold is written as `threshold`.
std::string with_threshold(const std::string& threshold) {
  return "chip:\n  cores:\n    - name: c\n      neuron:\n        threshold: " + threshold + "\n" + kWorkload;
}

TEST(PlainNumbers, QuotedOrBlockNumbersAreNotNumbers) {
  EXPECT_EQ(errors_of(with_threshold("\"614\"")),
            Messages{"inline.yaml:5:20: expected an integer in -32768..32767, got '\"614\"' (a quoted string)"});
  EXPECT_EQ(errors_of(with_threshold("'614'")),
            Messages{"inline.yaml:5:20: expected an integer in -32768..32767, got '\"614\"' (a quoted string)"});
  EXPECT_EQ(errors_of(with_threshold("&t \"614\"")),
            Messages{"inline.yaml:5:20: expected an integer in -32768..32767, got '\"614\"' (a quoted string)"});
  EXPECT_EQ(errors_of(with_threshold("|\n          614")),
            Messages{"inline.yaml:5:20: expected an integer in -32768..32767, got '614\\x0A' (a block scalar)"});
  EXPECT_EQ(errors_of(with_threshold("614")), Messages{});
}

TEST(PlainNumbers, EveryNumberReaderRefusesQuotes) {
  // Unsigned seeds, real numbers and list items go through the same readers.
  EXPECT_EQ(errors_of(kChip + kWorkload + "  seed: \"5\"\n"),
            Messages{"inline.yaml:5:9: expected an unsigned 64-bit integer, got '\"5\"' (a quoted string)"});
  EXPECT_EQ(errors_of("chip: {cores: [{name: c, neuron: {leak_tau_ms: '20'}}]}\n" + kWorkload),
            Messages{"inline.yaml:1:48: expected a number > 0, got '\"20\"' (a quoted string)"});
  EXPECT_EQ(errors_of(kChip + "workload:\n  timesteps: 1\n  populations: [{name: i, kind: input, size: 2},"
                              " {name: n, kind: neuron, size: 2}]\n"
                              "  projections: [{from: i, to: n, connectivity: list, synapses: [[0, \"1\", 5]]}]\n"),
            Messages{"inline.yaml:5:69: expected an integer in 0..1 (size of population 'n' is 2), got '\"1\"' "
                     "(a quoted string)"});
}

TEST(PlainNumbers, StringsMayStillBeQuoted) {
  const RunConfig rc = load_run_config_from_string(
      "chip: {name: \"chip_a\", cores: [{name: 'c', neuron: {model: \"alif\"}}]}\n"
      "workload:\n  timesteps: 1\n  populations: [{name: \"n\", kind: 'neuron', size: 1}]\n",
      "inline.yaml", kData);
  EXPECT_EQ(rc.chip.name, "chip_a");
  EXPECT_EQ(rc.chip.cores.at(0).neuron.model().name, "alif");
  EXPECT_EQ(rc.workload.populations.at(0).name, "n");
}

TEST(PlainNumbers, QuotedOverrideValuesAreNotNumbers) {
  EXPECT_EQ(errors_of(kChip + kWorkload, {"chip.cores.0.neuron.threshold=\"5\""}),
            Messages{"--set:1:31: expected an integer in -32768..32767, got '\"5\"' (a quoted string)"});
  EXPECT_EQ(errors_of(kChip + kWorkload, {"workload.timesteps='3'"}),
            Messages{"--set:1:20: expected an integer in 1..10000000, got '\"3\"' (a quoted string)"});
  EXPECT_EQ(errors_of(kChip + kWorkload, {"workload.timesteps=!!int 3"}),
            (Messages{"--set:1:20: tags are not supported, got '!!int'",
                      "--set:1:20: expected an integer in 1..10000000, got '3' (tagged !!int)"}));
}

TEST(Tags, TagsAreReportedWhereverTheyAreWritten) {
  EXPECT_EQ(errors_of(with_threshold("!!int 614")),
            (Messages{"inline.yaml:5:20: tags are not supported, got '!!int'",
                      "inline.yaml:5:20: expected an integer in -32768..32767, got '614' (tagged !!int)"}));
  EXPECT_EQ(errors_of(with_threshold("!!str 614")),
            (Messages{"inline.yaml:5:20: tags are not supported, got '!!str'",
                      "inline.yaml:5:20: expected an integer in -32768..32767, got '614' (tagged !!str)"}));
  // After an anchor the tag is reported at its '!'; a bare '!' is a tag too, unlike quotes.
  EXPECT_EQ(errors_of(with_threshold("&t !local 614")),
            (Messages{"inline.yaml:5:20: expected an integer in -32768..32767, got '614' (tagged !local)",
                      "inline.yaml:5:23: tags are not supported, got '!local'"}));
  EXPECT_EQ(errors_of(with_threshold("! 614")),
            (Messages{"inline.yaml:5:20: tags are not supported, got '!'",
                      "inline.yaml:5:20: expected an integer in -32768..32767, got '614' (tagged !)"}));
  // On mappings, sequences, keys and strings, and once per place even when aliases repeat it.
  EXPECT_EQ(errors_of("chip: !!map {cores: ! [{name: !!str c}]}\n!<tag:x> workload:\n  timesteps: 1\n"
                      "  populations: &p [{name: n, kind: neuron, size: 1, core: !c c}]\n"
                      "  projections: [{from: n, to: n, weight: 1}, {from: n, to: n, weight: 1}]\n"),
            (Messages{"inline.yaml:1:7: tags are not supported, got '!!map'",
                      "inline.yaml:1:21: tags are not supported, got '!'",
                      "inline.yaml:1:31: tags are not supported, got '!!str'",
                      "inline.yaml:2:1: tags are not supported, got '!<tag:x>'",
                      "inline.yaml:4:59: tags are not supported, got '!c'",
                      "inline.yaml:5:46: synapse n[0] -> n[0] is defined twice: by projections[1] and by "
                      "projections[0] at inline.yaml:5:17"}));
  EXPECT_EQ(errors_of(kChip + kWorkload + "x: &a !!str y\nz: [*a, *a, *a]\n"),
            (Messages{"inline.yaml:5:1: unknown key 'x' (expected one of: chip, workload)",
                      "inline.yaml:5:7: tags are not supported, got '!!str'",
                      "inline.yaml:6:1: unknown key 'z' (expected one of: chip, workload)"}));
}

// ---- unterminated quotes -----------------------------------------------------------------------

TEST(UnterminatedQuote, IsReportedAtTheOpeningQuote) {
  // yaml-cpp took the rest of the file as the name and reported "missing required key 'cores'".
  EXPECT_EQ(errors_of("chip:\n  name: \"abc\n  cores: [{name: c}]\n" + kWorkload),
            Messages{"inline.yaml:2:9: unterminated quoted string (opened here)"});
  EXPECT_EQ(errors_of("chip:\n  name: 'abc\n  cores: [{name: c}]\n" + kWorkload),
            Messages{"inline.yaml:2:9: unterminated quoted string (opened here)"});
  // At the very end yaml-cpp said "illegal EOF in scalar" at the end, or "unknown escape character"
  // after a backslash; after an anchor the quote is found past it.
  EXPECT_EQ(errors_of(kChip + kWorkload + "  seed: \"abc"),
            Messages{"inline.yaml:5:9: unterminated quoted string (opened here)"});
  EXPECT_EQ(errors_of(kChip + kWorkload + "  seed: &s 'abc"),
            Messages{"inline.yaml:5:12: unterminated quoted string (opened here)"});
  EXPECT_EQ(errors_of(kChip + kWorkload + "  seed: \"abc\\"),
            Messages{"inline.yaml:5:9: unterminated quoted string (opened here)"});
}

TEST(UnterminatedQuote, InsideAFlowCollection) {
  // Was "end of sequence flow not found" at the end of the file.
  EXPECT_EQ(errors_of("chip: {cores: [{name: \"c}]}\n" + kWorkload),
            Messages{"inline.yaml:1:23: unterminated quoted string (opened here)"});
  // '' is a quote inside a single-quoted scalar, not its end.
  EXPECT_EQ(errors_of("chip: {name: 'it''s, cores: [{name: c}]}\n" + kWorkload),
            Messages{"inline.yaml:1:14: unterminated quoted string (opened here)"});
}

TEST(UnterminatedQuote, BeforeADocumentMarker) {
  // Was "illegal document indicator in scalar" at the '---'.
  EXPECT_EQ(errors_of("chip:\n  name: \"abc\n---\n" + kWorkload),
            Messages{"inline.yaml:2:9: unterminated quoted string (opened here)"});
  EXPECT_EQ(errors_of(kChip + kWorkload + "...\n'abc"),
            Messages{"inline.yaml:6:1: unterminated quoted string (opened here)"});
}

TEST(UnterminatedQuote, InAnOverrideValue) {
  EXPECT_EQ(errors_of(kChip + kWorkload, {"chip.name=\"abc", "chip.cores.0={name: 'c}"}),
            (Messages{"--set:1:11: unterminated quoted string (opened here)",
                      "--set:2:21: unterminated quoted string (opened here)"}));
}

TEST(UnterminatedQuote, ClosedQuotesAndOtherSyntaxErrorsKeepTheirMessages) {
  EXPECT_EQ(errors_of("chip: {name: \"a\\\"b\", cores: [{name: 'c''d'}]}\n" + kWorkload),
            (Messages{"inline.yaml:1:14: expected a name of letters, digits and '_', got '\"a\"b\"' "
                      "(a quoted string)",
                      "inline.yaml:1:37: expected a name of letters, digits and '_', got '\"c'd\"' "
                      "(a quoted string)"}));
  EXPECT_EQ(errors_of("chip: {name: \"x\\y\"}\n"),
            Messages{"inline.yaml:1:18: YAML syntax error: unknown escape character: y"});
  EXPECT_EQ(errors_of("chip: [\"a\", 2\nworkload: 3\n"),
            Messages{"inline.yaml:2:9: YAML syntax error: end of sequence flow not found"});
}

// ---- what may be read --------------------------------------------------------------------------

/// A fresh scratch directory, removed at the end.
class ScratchDir {
 public:
  ScratchDir() : path_(fs::temp_directory_path() / ("neurochip_hardening_" + std::to_string(::getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

/// The diagnostics of load_run_config(path) (empty if it loads).
Messages file_errors(const std::string& path) {
  try {
    load_run_config(path);
  } catch (const ConfigError& e) {
    return messages_of(e);
  }
  return {};
}

/// Runs `load`, which must not block on the FIFO `fifo`: if it does, a writer is opened after a
/// few seconds so that it returns, and the test fails.
Messages without_blocking_on(const std::string& fifo, const std::function<Messages()>& load) {
  std::future<Messages> result = std::async(std::launch::async, load);
  if (result.wait_for(std::chrono::seconds(5)) == std::future_status::timeout) {
    ADD_FAILURE() << "the loader blocked on the FIFO " << fifo;
    const int fd = ::open(fifo.c_str(), O_WRONLY);
    if (fd >= 0) ::close(fd);
  }
  return result.get();
}

TEST(InputFiles, TheConfigMustBeARegularFile) {
  const ScratchDir dir;
  const std::string fifo = dir / "run.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(without_blocking_on(fifo, [&] { return file_errors(fifo); }),
            Messages{fifo + ": not a regular file (a FIFO)"});
  EXPECT_EQ(file_errors("/dev/null"), Messages{"/dev/null: not a regular file (a character device)"});
  EXPECT_EQ(file_errors(dir / ""), Messages{dir / "" + ": not a regular file (a directory)"});
  const std::string socket_path = dir / "run.sock";
  const int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(sock, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  ASSERT_LT(socket_path.size(), sizeof address.sun_path);
  std::copy(socket_path.begin(), socket_path.end(), address.sun_path);
  ASSERT_EQ(::bind(sock, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
  EXPECT_EQ(file_errors(socket_path), Messages{socket_path + ": not a regular file (a socket)"});
  ::close(sock);
  EXPECT_EQ(file_errors(dir / "missing.yaml"), Messages{dir / "missing.yaml" + ": cannot open config file"});
}

TEST(InputFiles, TheConfigHasASizeLimit) {
  const ScratchDir dir;
  const std::string big = dir / "big.yaml";
  std::ofstream(big).close();
  fs::resize_file(big, kMaxConfigFileBytes + 1);  // sparse: nothing is written
  EXPECT_EQ(file_errors(big), Messages{big + ": larger than the 16 MiB limit for a config file (16777217 bytes)"});
  EXPECT_EQ(check_input_file(big, kMaxConfigFileBytes + 1, "a config file").result, InputFileCheck::Result::kOk);
  const std::string text(kMaxConfigFileBytes + 1, '#');
  EXPECT_EQ(errors_of(text), Messages{"inline.yaml: larger than the 16 MiB limit for a config file (16777217 bytes)"});
}

/// A run reading the trace `trace` and the synapse file `synapses`.
std::string csv_run(const std::string& trace, const std::string& synapses) {
  return "chip: {cores: [{name: c}]}\n"
         "workload:\n  timesteps: 2\n"
         "  populations: [{name: i, kind: input, size: 2}, {name: n, kind: neuron, size: 2}]\n"
         "  projections: [{from: i, to: n, connectivity: file, file: '" + synapses + "'}]\n"
         "  inputs: [{population: i, trace: '" + trace + "'}]\n";
}

TEST(InputFiles, CsvFilesMustBeRegularFilesReportedAtTheirKey) {
  const ScratchDir dir;
  const std::string fifo = dir / "trace.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::string subdir = dir / "sub";
  fs::create_directories(subdir);
  EXPECT_EQ(without_blocking_on(fifo, [&] { return errors_of(csv_run(fifo, subdir)); }),
            (Messages{"inline.yaml:5:54: cannot open file '" + subdir + "': not a regular file (a directory)",
                      "inline.yaml:6:28: cannot open file '" + fifo + "': not a regular file (a FIFO)"}));
  EXPECT_EQ(without_blocking_on(fifo, [&] { return errors_of(csv_run("/dev/null", fifo)); }),
            (Messages{"inline.yaml:5:54: cannot open file '" + fifo + "': not a regular file (a FIFO)",
                      "inline.yaml:6:28: cannot open file '/dev/null': not a regular file (a character device)"}));
}

TEST(InputFiles, CsvFilesHaveASizeLimit) {
  const ScratchDir dir;
  const std::string big = dir / "big.csv";
  std::ofstream(big).close();
  fs::resize_file(big, kMaxCsvFileBytes + 1);  // sparse: nothing is written
  const std::string message =
      "cannot open file '" + big + "': larger than the 1 GiB limit for a CSV file (1073741825 bytes)";
  EXPECT_EQ(errors_of(csv_run(big, big)),
            (Messages{"inline.yaml:5:54: " + message, "inline.yaml:6:28: " + message}));
  fs::resize_file(big, kMaxCsvFileBytes);
  EXPECT_EQ(check_input_file(big, kMaxCsvFileBytes, "a CSV file").result, InputFileCheck::Result::kOk);
}

// ---- the synapse-file reader on a stream -------------------------------------------------------

TEST(SynapseFile, ParsesAStreamWithTheLoadersMessages) {
  hw::CoreConfig core;
  core.name = "core0";
  core.weights.bits = 4;
  Population from;
  from.name = "in";
  from.size = 2;
  Population to;
  to.name = "hid";
  to.size = 3;
  std::istringstream in("# comment\r\npre,post,weight\r\n0, 2, -8\n\n1,0,7\npre,post,weight\n1,3,8\n1,x\n");
  std::vector<SynapseEntry> synapses;
  std::vector<ConfigDiagnostic> diags;
  parse_synapse_file(in, "s.csv", from, to, core, synapses, diags);
  ASSERT_EQ(synapses.size(), 2u);
  EXPECT_EQ(synapses[0].post, 2);
  EXPECT_EQ(synapses[0].weight, -8);
  EXPECT_EQ(location_string(synapses[0].loc), "s.csv:3:1");
  EXPECT_EQ(synapses[1].pre, 1);
  EXPECT_EQ(location_string(synapses[1].loc), "s.csv:5:1");
  Messages errors;
  for (const ConfigDiagnostic& d : diags) errors.push_back(d.str());
  EXPECT_EQ(errors, (Messages{"s.csv:6:1: expected an integer in 0..1 (size of population 'in' is 2), got 'pre'",
                              "s.csv:6:5: expected an integer in 0..2 (size of population 'hid' is 3), got 'post'",
                              "s.csv:6:10: expected an integer in -8..7 (weights.bits of core 'core0' is 4), got "
                              "'weight'",
                              "s.csv:7:3: expected an integer in 0..2 (size of population 'hid' is 3), got '3'",
                              "s.csv:7:5: expected an integer in -8..7 (weights.bits of core 'core0' is 4), got '8'",
                              "s.csv:8:1: expected 3 comma-separated values 'pre,post,weight', got 2"}));
}

TEST(SynapseFile, GivesUpAfterTwentyErrors) {
  hw::CoreConfig core;
  Population p;
  p.name = "p";
  p.size = 1;
  std::string text;
  for (int i = 0; i < 30; ++i) text += "9,0,0\n";
  std::istringstream in(text);
  std::vector<SynapseEntry> synapses;
  std::vector<ConfigDiagnostic> diags;
  parse_synapse_file(in, "s.csv", p, p, core, synapses, diags);
  ASSERT_EQ(diags.size(), 21u);
  EXPECT_EQ(diags.back().str(), "s.csv:21:1: too many errors, the rest of the file is not checked");
}

}  // namespace
}  // namespace neurochip::sim
