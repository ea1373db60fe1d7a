// Which result files a run writes (OutputSelection, `--outputs`), and a run's output directory,
// published as one set (README "Outputs", traces/README.md "Manifest"): the directory is locked
// for the whole run (flock on .neurochip.lock, holder's pid inside); every file is written under
// a temporary name in it with every write, the flush, fsync and close checked, and a CRC-32
// computed as the bytes go out; publish() then removes the old manifest, renames the new files
// into place, removes the outputs of earlier runs that this run does not produce, and writes
// manifest.json last (temporary file + rename). A failure before publish() leaves the earlier
// results as they were and removes the temporaries; a kill leaves temporaries that the next run
// into the directory removes.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <streambuf>
#include <string>
#include <vector>

#include "io/manifest.h"

namespace neurochip::sim {

/// Which result files a run writes (`--outputs`); waves.vcd is separate (`--vcd`).
struct OutputSelection {
  bool spikes = true;
  bool timesteps = true;
  bool readouts = true;  ///< written only if the chip has readouts
  bool populations = true;
  bool stats = true;
  bool config = true;    ///< resolved_config.yaml
  bool samples = true;   ///< samples.csv, written only for a run of samples
  bool weights = true;   ///< weights_<core>_<matrix>.csv, written only for cores that learn
};

/// The names `--outputs` accepts, comma-separated: "spikes,timesteps,readouts,populations,stats,config".
const char* output_selection_names();
/// Parses a comma-separated subset of output_selection_names(); throws std::invalid_argument naming
/// the unknown entry and the valid names.
OutputSelection parse_output_selection(const std::string& list);


/// One file of the set, open under its temporary name; stream() writes to it. Write errors throw
/// IoError (also out of the stream, which has badbit exceptions enabled).
class OutputFile : private std::streambuf {
 public:
  OutputFile(const std::string& dir, const std::string& name, const std::string& temp_name);
  ~OutputFile() override;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  std::ostream& stream() { return os_; }
  /// Writes what is buffered, fsyncs and closes the file; throws IoError on any failure.
  void commit();
  bool committed() const { return committed_; }
  const std::string& name() const { return name_; }
  const std::string& temp_path() const { return temp_path_; }
  uint64_t size() const { return size_; }
  uint32_t crc32() const { return crc_; }

 private:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;
  void drain();
  void write_all(const char* p, size_t n);
  [[noreturn]] void fail(const char* what, int err);

  std::string dir_, name_, temp_path_;
  int fd_ = -1;
  std::vector<char> buf_;
  uint64_t size_ = 0;
  uint32_t crc_ = 0;
  bool committed_ = false;
  std::string error_;  ///< first failure; later writes repeat it
  std::ostream os_;
};

class OutputSet {
 public:
  /// Creates `dir` if needed and locks it; throws IoError if another run holds it or it cannot be
  /// created. Temporaries that an interrupted earlier run left are removed.
  explicit OutputSet(std::string dir);
  /// Without publish(): removes this run's temporaries (earlier results stay as they were).
  ~OutputSet();
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;

  /// A new file of the set, to be published as `name`.
  OutputFile& open(const std::string& name);
  /// Commits every file, then publishes the set with its manifest: `info` with this set's run id
  /// and files.
  void publish(Manifest info);

  const std::string& dir() const { return dir_; }
  const std::string& run_id() const { return run_id_; }
  /// Every file name a run may publish; those this run does not produce are removed as stale.
  static const std::vector<std::string>& output_names();
  static constexpr const char* kLockName = ".neurochip.lock";

 private:
  void lock();
  void remove_leftover_temporaries();
  void sync_dir();

  std::string dir_;
  std::string run_id_;
  int lock_fd_ = -1;
  std::vector<std::unique_ptr<OutputFile>> files_;
  bool published_ = false;
};

}  // namespace neurochip::sim
