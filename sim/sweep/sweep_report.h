// `neurochip report DIR` (README "Reports"): from a sweep directory's database, the results table
// (results.csv), the non-dominated set over the sweep's objectives among the feasible points
// (pareto.csv: status ok and every metric constraint met), plots drawn by gnuplot as SVG and PNG
// (each objective against each axis, and each pair of objectives with the front marked) and one
// self-contained page, report.html, with the sortable table and the plots inlined.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace neurochip::sim {

struct ReportSummary {
  uint64_t points = 0, feasible = 0, pareto = 0;
  std::vector<std::string> files;  ///< written, relative to the directory
  std::string warning;             ///< e.g. gnuplot missing: no plots
};

/// Writes the report into `dir`; throws IoError when it holds no sweep database.
ReportSummary write_sweep_report(const std::string& dir);

}  // namespace neurochip::sim
