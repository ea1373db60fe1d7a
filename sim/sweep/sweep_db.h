// The results database of a sweep (README "Design-space exploration"): one SQLite file per sweep
// directory, written one transaction per finished point, so a sweep killed at any moment keeps
// every point it finished and nothing half-written. Tables (all keyed by the point's grid number):
//   meta(key, value)                 the grid the numbers refer to, the objectives and constraints
//   points(id, config_hash, status, message)
//   point_values(id, key, value)     the point's axis values
//   metrics(id, name, value)         every scalar of its stats.json
//   timing(id, wall_s, max_rss_kb)   how long it ran (differs between runs: kept apart, so the
//                                    other tables are identical whatever -j, shards or machines)
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sweep/sweep_spec.h"

struct sqlite3;

namespace neurochip::sim {

/// What running (or refusing to run) one point produced.
struct PointResult {
  uint64_t id = 0;
  std::string config_hash;  ///< "" when the configuration did not load
  std::string status;       ///< ok, config_error, timing_error, failed, crashed, timeout, excluded
  std::string message;
  std::vector<std::pair<std::string, std::string>> values;
  std::vector<std::pair<std::string, double>> metrics;
  double wall_s = 0;
  uint64_t max_rss_kb = 0;
};

inline bool point_status_ok(const std::string& status) { return status == "ok"; }

/// A point is feasible when it ran ok, has every objective's metric and meets every metric
/// constraint (key constraints were applied before it ran): what the report's front and the
/// NSGA-II search both count as a candidate.
bool point_feasible(const PointResult& r, const std::vector<SweepObjective>& objectives,
                    const std::vector<SweepConstraint>& constraints);

class SweepDb {
 public:
  /// Opens (creating if needed) the database at `path`. Throws IoError.
  explicit SweepDb(const std::string& path);
  ~SweepDb();
  SweepDb(const SweepDb&) = delete;
  SweepDb& operator=(const SweepDb&) = delete;

  /// Ties the database to a grid (`grid`: its canonical text): stores it in a new database;
  /// throws IoError when the database holds the results of another grid.
  void bind_grid(const std::string& grid);
  void set_meta(const std::string& key, const std::string& value);
  std::string meta(const std::string& key) const;

  /// Every recorded point: id → (config hash, status).
  std::map<uint64_t, std::pair<std::string, std::string>> recorded() const;
  /// Records a point (replacing an earlier record of the same id) in one transaction.
  void record(const PointResult& r);
  /// Every recorded point with its values and metrics (timing included), by id.
  std::vector<PointResult> results() const;
  /// The record of point `id` (status and metrics; values and timing left empty), if any.
  std::optional<PointResult> result(uint64_t id) const;

  /// The deterministic content (meta's grid, points, point_values, metrics; not timing) as text,
  /// ordered by id: equal for equal results however they were computed.
  std::string canonical_dump() const;

  /// Adds every point of the database at `other` (same grid); a point both hold must be recorded
  /// identically in both, else IoError. Returns the points added.
  uint64_t merge_from(const std::string& other);

 private:
  void exec(const std::string& sql) const;
  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace neurochip::sim
