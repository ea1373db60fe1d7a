// Output directory lock, checked temporary files and publication with a manifest (see
// output_set.h).
#include "io/output_set.h"

#include <fcntl.h>

#include <stdexcept>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>

#include "io/crc32.h"

namespace neurochip::sim {
namespace {

namespace fs = std::filesystem;

constexpr size_t kBufferBytes = 1 << 20;

std::string errno_text(int err) { return std::strerror(err); }

std::string new_run_id() {
  std::random_device rd;
  char buf[33];
  std::snprintf(buf, sizeof buf, "%08x%08x%08x%08x", rd(), rd(), rd(), rd());
  return buf;
}

bool is_leftover_temporary(const std::string& file) {
  if (file.size() < 6 || file[0] != '.' || file.compare(file.size() - 4, 4, ".tmp") != 0) return false;
  std::vector<std::string> names = OutputSet::output_names();
  names.push_back(kManifestName);
  for (const std::string& n : names) {
    const std::string prefix = "." + n + ".";
    if (file.compare(0, prefix.size(), prefix) == 0) return true;
  }
  return false;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// OutputFile

OutputFile::OutputFile(const std::string& dir, const std::string& name, const std::string& temp_name)
    : dir_(dir), name_(name), temp_path_(dir + "/" + temp_name), buf_(kBufferBytes), os_(this) {
  fd_ = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd_ < 0) fail("cannot create", errno);
  setp(buf_.data(), buf_.data() + buf_.size());
  os_.exceptions(std::ios::badbit);
}

OutputFile::~OutputFile() {
  if (fd_ >= 0) ::close(fd_);
}

void OutputFile::fail(const char* what, int err) {
  if (error_.empty()) error_ = std::string(what) + " " + temp_path_ + " (for " + name_ + "): " + errno_text(err);
  throw IoError(error_);
}

void OutputFile::write_all(const char* p, size_t n) {
  if (!error_.empty()) throw IoError(error_);
  if (fd_ < 0) throw IoError("write to " + temp_path_ + " after it was closed");
  crc_ = crc32_update(crc_, p, n);
  size_ += n;
  while (n > 0) {
    const ssize_t w = ::write(fd_, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      fail("error writing", errno);
    }
    if (w == 0) fail("error writing", ENOSPC);
    p += w;
    n -= static_cast<size_t>(w);
  }
}

void OutputFile::drain() {
  const size_t n = static_cast<size_t>(pptr() - pbase());
  setp(buf_.data(), buf_.data() + buf_.size());
  if (n > 0) write_all(buf_.data(), n);
}

OutputFile::int_type OutputFile::overflow(int_type c) {
  drain();
  if (!traits_type::eq_int_type(c, traits_type::eof())) {
    *pptr() = traits_type::to_char_type(c);
    pbump(1);
  }
  return traits_type::not_eof(c);
}

std::streamsize OutputFile::xsputn(const char* s, std::streamsize n) {
  const auto room = epptr() - pptr();
  if (n <= room) {
    std::memcpy(pptr(), s, static_cast<size_t>(n));
    pbump(static_cast<int>(n));
    return n;
  }
  drain();
  if (static_cast<size_t>(n) >= buf_.size()) {
    write_all(s, static_cast<size_t>(n));
  } else {
    std::memcpy(pptr(), s, static_cast<size_t>(n));
    pbump(static_cast<int>(n));
  }
  return n;
}

int OutputFile::sync() {
  drain();
  return 0;
}

void OutputFile::commit() {
  if (committed_) return;
  drain();
  if (::fsync(fd_) != 0) fail("cannot fsync", errno);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail("cannot close", errno);
  committed_ = true;
}

// ---------------------------------------------------------------------------------------------
// OutputSet

const std::vector<std::string>& OutputSet::output_names() {
  static const std::vector<std::string> names = {"spikes.csv",      "timesteps.csv", "readouts.csv",
                                                 "populations.csv", "stats.json",    "resolved_config.yaml",
                                                 "waves.vcd",       "divergence.json", "rtl_window.vcd",
                                                 "links.csv",       "packets.csv",   "links.vcd"};
  return names;
}

OutputSet::OutputSet(std::string dir) : dir_(std::move(dir)), run_id_(new_run_id()) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) throw IoError("cannot create output directory " + dir_ + ": " + ec.message());
  lock();
  remove_leftover_temporaries();
}

OutputSet::~OutputSet() {
  if (!published_) {
    for (const auto& f : files_) ::unlink(f->temp_path().c_str());
  }
  files_.clear();
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the lock
}

void OutputSet::lock() {
  const std::string path = dir_ + "/" + kLockName;
  lock_fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd_ < 0) throw IoError("cannot open lock file " + path + ": " + errno_text(errno));
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    std::string holder;
    char buf[32] = {};
    const ssize_t n = ::pread(lock_fd_, buf, sizeof buf - 1, 0);
    if (n > 0) holder = std::string(buf, static_cast<size_t>(n));
    holder.erase(std::remove_if(holder.begin(), holder.end(), [](char c) { return c < '0' || c > '9'; }),
                 holder.end());
    ::close(lock_fd_);
    lock_fd_ = -1;
    if (err == EWOULDBLOCK)
      throw IoError("output directory " + dir_ + " is in use by another neurochip run" +
                    (holder.empty() ? std::string() : " (pid " + holder + ")") +
                    "; wait for it to finish or choose another --out");
    throw IoError("cannot lock " + path + ": " + errno_text(err));
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(lock_fd_, 0) != 0 || ::pwrite(lock_fd_, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size()))
    throw IoError("cannot write lock file " + path + ": " + errno_text(errno));
}

void OutputSet::remove_leftover_temporaries() {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    const std::string file = entry.path().filename().string();
    if (is_leftover_temporary(file)) fs::remove(entry.path(), ec);
  }
}

OutputFile& OutputSet::open(const std::string& name) {
  for (const auto& f : files_)
    if (f->name() == name) throw std::logic_error("output file " + name + " opened twice");
  files_.push_back(std::make_unique<OutputFile>(dir_, name, "." + name + "." + run_id_.substr(0, 8) + ".tmp"));
  return *files_.back();
}

void OutputSet::sync_dir() {
  const int fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw IoError("cannot open " + dir_ + ": " + errno_text(errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0 && err != EINVAL) throw IoError("cannot fsync " + dir_ + ": " + errno_text(err));
}

void OutputSet::publish(Manifest info) {
  if (published_) throw std::logic_error("output set published twice");
  info.run_id = run_id_;
  info.files.clear();
  for (const auto& f : files_) {
    f->commit();
    info.files.push_back(ManifestEntry{f->name(), f->size(), f->crc32()});
  }
  // 1. From here until the new manifest is in place the directory holds no complete run.
  const std::string manifest = dir_ + "/" + kManifestName;
  if (::unlink(manifest.c_str()) != 0 && errno != ENOENT)
    throw IoError("cannot remove " + manifest + ": " + errno_text(errno));
  sync_dir();
  // 2. The new files under their final names (each rename is atomic: a final name always holds a
  // complete file of one run).
  for (const auto& f : files_) {
    const std::string final_path = dir_ + "/" + f->name();
    if (::rename(f->temp_path().c_str(), final_path.c_str()) != 0)
      throw IoError("cannot rename " + f->temp_path() + " to " + final_path + ": " + errno_text(errno));
  }
  published_ = true;  // the temporaries are gone
  // 3. Outputs of earlier runs that this run does not produce.
  for (const std::string& name : output_names()) {
    if (info.has(name)) continue;
    const std::string path = dir_ + "/" + name;
    if (::unlink(path.c_str()) != 0 && errno != ENOENT)
      throw IoError("cannot remove stale " + path + ": " + errno_text(errno));
  }
  sync_dir();
  // 4. The manifest, last and atomically.
  {
    OutputFile m(dir_, kManifestName, std::string(".") + kManifestName + "." + run_id_.substr(0, 8) + ".tmp");
    try {
      m.stream() << render_manifest(info);
      m.commit();
    } catch (...) {
      ::unlink(m.temp_path().c_str());
      throw;
    }
    if (::rename(m.temp_path().c_str(), manifest.c_str()) != 0) {
      const int err = errno;
      ::unlink(m.temp_path().c_str());
      throw IoError("cannot rename " + m.temp_path() + " to " + manifest + ": " + errno_text(err));
    }
  }
  sync_dir();
}

const char* output_selection_names() { return "spikes,timesteps,readouts,populations,stats,config,samples,weights"; }

OutputSelection parse_output_selection(const std::string& list) {
  OutputSelection sel{false, false, false, false, false, false, false, false};
  size_t pos = 0;
  for (;;) {
    const size_t comma = list.find(',', pos);
    const std::string name = list.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    bool* flag = name == "spikes"        ? &sel.spikes
                 : name == "timesteps"   ? &sel.timesteps
                 : name == "readouts"    ? &sel.readouts
                 : name == "populations" ? &sel.populations
                 : name == "stats"       ? &sel.stats
                 : name == "config"      ? &sel.config
                 : name == "samples"     ? &sel.samples
                 : name == "weights"     ? &sel.weights
                                         : nullptr;
    if (!flag)
      throw std::invalid_argument((name.empty() ? "empty output name in '" + list + "'" : "unknown output '" + name + "'") +
                                  " (valid: " + output_selection_names() + ", comma-separated)");
    *flag = true;
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return sel;
}

}  // namespace neurochip::sim
