// SQLite storage of a sweep's results (sweep_db.h). Every write is one transaction in SQLite's
// write-ahead log, so a process killed mid-write leaves the last committed state.
#include "sweep/sweep_db.h"

#include <sqlite3.h>

#include <cstdio>
#include <sstream>

#include "io/manifest.h"

namespace neurochip::sim {
namespace {

class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK)
      throw IoError(std::string("sweep database: ") + sqlite3_errmsg(db) + " in: " + sql);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& bind(int i, const std::string& s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Statement& bind(int i, double v) {
    sqlite3_bind_double(stmt_, i, v);
    return *this;
  }
  /// True while rows come; throws on error.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw IoError(std::string("sweep database: ") + sqlite3_errmsg(db_));
  }
  void run() {
    while (step()) {
    }
    sqlite3_reset(stmt_);
  }
  std::string text(int col) const {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t ? reinterpret_cast<const char*>(t) : "";
  }
  int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

constexpr const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS points(id INTEGER PRIMARY KEY, config_hash TEXT NOT NULL, status TEXT NOT NULL,
                                  message TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS point_values(id INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
                                        PRIMARY KEY(id, key));
CREATE TABLE IF NOT EXISTS metrics(id INTEGER NOT NULL, name TEXT NOT NULL, value REAL NOT NULL,
                                   PRIMARY KEY(id, name));
CREATE TABLE IF NOT EXISTS timing(id INTEGER PRIMARY KEY, wall_s REAL NOT NULL, max_rss_kb INTEGER NOT NULL);
)";

/// %.17g: a double written so it reads back to the same bits.
std::string exact(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", v);
  return text;
}

}  // namespace

bool point_feasible(const PointResult& r, const std::vector<SweepObjective>& objectives,
                    const std::vector<SweepConstraint>& constraints) {
  if (!point_status_ok(r.status)) return false;
  const auto value = [&r](const std::string& name) -> std::optional<double> {
    for (const auto& [n, v] : r.metrics)
      if (n == name) return v;
    return std::nullopt;
  };
  for (const SweepObjective& o : objectives)
    if (!value(o.metric)) return false;
  for (const SweepConstraint& c : constraints) {
    if (c.on != SweepConstraint::On::kMetric) continue;
    const std::optional<double> v = value(c.name);
    if (!v || !c.holds(*v)) return false;
  }
  return true;
}

SweepDb::SweepDb(const std::string& path) : path_(path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw IoError("cannot open sweep database " + path + ": " + why);
  }
  sqlite3_busy_timeout(db_, 10000);
  // WAL with synchronous=NORMAL: a commit survives the process being killed at any moment (what a
  // resumable sweep needs) with one fsync per checkpoint instead of several per point.
  exec("PRAGMA journal_mode=WAL;");
  exec("PRAGMA synchronous=NORMAL;");
  exec(kSchema);
}

SweepDb::~SweepDb() { sqlite3_close(db_); }

void SweepDb::exec(const std::string& sql) const {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string why = error ? error : "unknown error";
    sqlite3_free(error);
    throw IoError("sweep database " + path_ + ": " + why);
  }
}

void SweepDb::bind_grid(const std::string& grid) {
  const std::string held = meta("grid");
  if (held.empty()) {
    set_meta("grid", grid);
  } else if (held != grid) {
    throw IoError(path_ + " holds the results of another grid (other axes, values, `set` or fidelity); "
                  "use another output directory, or delete it to start again");
  }
}

void SweepDb::set_meta(const std::string& key, const std::string& value) {
  Statement(db_, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)").bind(1, key).bind(2, value).run();
}

std::string SweepDb::meta(const std::string& key) const {
  Statement s(db_, "SELECT value FROM meta WHERE key = ?");
  s.bind(1, key);
  return s.step() ? s.text(0) : "";
}

std::map<uint64_t, std::pair<std::string, std::string>> SweepDb::recorded() const {
  std::map<uint64_t, std::pair<std::string, std::string>> out;
  Statement s(db_, "SELECT id, config_hash, status FROM points");
  while (s.step()) out[static_cast<uint64_t>(s.integer(0))] = {s.text(1), s.text(2)};
  return out;
}

void SweepDb::record(const PointResult& r) {
  exec("BEGIN IMMEDIATE;");
  try {
    const auto id = static_cast<int64_t>(r.id);
    for (const char* table : {"points", "point_values", "metrics", "timing"})
      Statement(db_, std::string("DELETE FROM ") + table + " WHERE id = ?").bind(1, id).run();
    Statement(db_, "INSERT INTO points(id, config_hash, status, message) VALUES(?, ?, ?, ?)")
        .bind(1, id).bind(2, r.config_hash).bind(3, r.status).bind(4, r.message).run();
    Statement values(db_, "INSERT INTO point_values(id, key, value) VALUES(?, ?, ?)");
    for (const auto& [k, v] : r.values) values.bind(1, id).bind(2, k).bind(3, v).run();
    Statement metrics(db_, "INSERT OR REPLACE INTO metrics(id, name, value) VALUES(?, ?, ?)");
    for (const auto& [n, v] : r.metrics) metrics.bind(1, id).bind(2, n).bind(3, v).run();
    Statement(db_, "INSERT INTO timing(id, wall_s, max_rss_kb) VALUES(?, ?, ?)")
        .bind(1, id).bind(2, r.wall_s).bind(3, static_cast<int64_t>(r.max_rss_kb)).run();
    exec("COMMIT;");
  } catch (...) {
    exec("ROLLBACK;");
    throw;
  }
}

std::vector<PointResult> SweepDb::results() const {
  std::vector<PointResult> out;
  std::map<uint64_t, size_t> at;
  {
    Statement s(db_, "SELECT p.id, p.config_hash, p.status, p.message, IFNULL(t.wall_s, 0), IFNULL(t.max_rss_kb, 0) "
                     "FROM points p LEFT JOIN timing t ON t.id = p.id ORDER BY p.id");
    while (s.step()) {
      PointResult r;
      r.id = static_cast<uint64_t>(s.integer(0));
      r.config_hash = s.text(1);
      r.status = s.text(2);
      r.message = s.text(3);
      r.wall_s = s.real(4);
      r.max_rss_kb = static_cast<uint64_t>(s.integer(5));
      at[r.id] = out.size();
      out.push_back(std::move(r));
    }
  }
  Statement v(db_, "SELECT id, key, value FROM point_values ORDER BY id, rowid");
  while (v.step()) out[at.at(static_cast<uint64_t>(v.integer(0)))].values.emplace_back(v.text(1), v.text(2));
  Statement m(db_, "SELECT id, name, value FROM metrics ORDER BY id, name");
  while (m.step()) out[at.at(static_cast<uint64_t>(m.integer(0)))].metrics.emplace_back(m.text(1), m.real(2));
  return out;
}

std::optional<PointResult> SweepDb::result(uint64_t id) const {
  Statement s(db_, "SELECT config_hash, status, message FROM points WHERE id = ?");
  s.bind(1, static_cast<int64_t>(id));
  if (!s.step()) return std::nullopt;
  PointResult r;
  r.id = id;
  r.config_hash = s.text(0);
  r.status = s.text(1);
  r.message = s.text(2);
  Statement m(db_, "SELECT name, value FROM metrics WHERE id = ? ORDER BY name");
  m.bind(1, static_cast<int64_t>(id));
  while (m.step()) r.metrics.emplace_back(m.text(0), m.real(1));
  return r;
}

std::string SweepDb::canonical_dump() const {
  std::ostringstream os;
  os << "grid " << meta("grid") << '\n';
  for (const PointResult& r : results()) {
    os << "point " << r.id << ' ' << r.config_hash << ' ' << r.status << ' ' << r.message << '\n';
    for (const auto& [k, v] : r.values) os << "  value " << k << '=' << v << '\n';
    for (const auto& [n, v] : r.metrics) os << "  metric " << n << '=' << exact(v) << '\n';
  }
  return os.str();
}

uint64_t SweepDb::merge_from(const std::string& other) {
  SweepDb source(other);
  const std::string grid = source.meta("grid");
  if (grid.empty()) throw IoError(other + " holds no sweep results");
  bind_grid(grid);
  std::map<uint64_t, PointResult> by_id;
  for (PointResult& r : results()) by_id[r.id] = std::move(r);
  uint64_t added = 0;
  for (const PointResult& r : source.results()) {
    const auto it = by_id.find(r.id);
    if (it != by_id.end()) {
      const PointResult& have = it->second;
      if (have.config_hash != r.config_hash || have.status != r.status || have.metrics != r.metrics ||
          have.values != r.values)
        throw IoError("point " + std::to_string(r.id) + " is recorded differently in " + other + " and " + path_);
      continue;
    }
    record(r);
    ++added;
  }
  return added;
}

}  // namespace neurochip::sim
