// The sweep report (sweep_report.h). Tables are written with temp file + rename; plots by one
// gnuplot script per run, from data files in DIR/plots/.
#include "sweep/sweep_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "config/yaml_reader.h"
#include "io/manifest.h"
#include "sweep/pareto.h"
#include "sweep/sweep_db.h"
#include "sweep/sweep_runner.h"

namespace neurochip::sim {
namespace {

namespace fs = std::filesystem;

void write_file(const fs::path& path, const std::string& text) {
  const fs::path temp = path.parent_path() / ("." + path.filename().string() + ".tmp");
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw IoError("cannot write " + temp.string());
  }
  fs::rename(temp, path);
}

std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.10g", v);
  return text;
}

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

/// A name usable in a file name.
std::string slug(const std::string& s) {
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

/// gnuplot string literal (single quotes, doubled inside).
std::string gp_string(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

struct Row {
  const PointResult* point;
  std::map<std::string, double> metrics;
  std::map<std::string, std::string> values;
  bool feasible = false;
  bool pareto = false;
};

std::optional<double> numeric(const std::string& text) {
  if (std::optional<int64_t> i = parse_integer(text)) return static_cast<double>(*i);
  return parse_number(text);
}

bool have_gnuplot() { return std::system("gnuplot --version >/dev/null 2>&1") == 0; }

}  // namespace

ReportSummary write_sweep_report(const std::string& dir_text) {
  const fs::path dir(dir_text);
  if (!fs::exists(sweep_db_path(dir_text)))
    throw IoError(dir_text + " holds no sweep database (sweep.sqlite): run `neurochip sweep FILE --out " + dir_text +
                  "` first");
  SweepDb db(sweep_db_path(dir_text));
  const std::vector<PointResult> results = db.results();
  const auto meta_json = [&db](const char* key) {
    const std::string text = db.meta(key);
    return text.empty() ? nlohmann::json::array() : nlohmann::json::parse(text);
  };
  std::vector<std::string> axes = meta_json("axes").get<std::vector<std::string>>();
  std::vector<std::string> objectives;
  std::vector<bool> maximise;
  std::vector<SweepObjective> goals;
  for (const auto& o : meta_json("objectives")) {
    objectives.push_back(o["metric"].get<std::string>());
    maximise.push_back(o["goal"] == "maximise");
    goals.push_back(SweepObjective{objectives.back(), maximise.back()});
  }
  std::vector<std::string> metric_columns = objectives;
  const auto add_column = [&metric_columns](const std::string& m) {
    if (std::find(metric_columns.begin(), metric_columns.end(), m) == metric_columns.end()) metric_columns.push_back(m);
  };
  std::vector<SweepConstraint> constraints;
  for (const auto& c : meta_json("constraints")) {
    if (!c.contains("metric")) continue;  // key constraints were applied before the points ran
    SweepConstraint m;
    m.name = c["metric"].get<std::string>();
    if (c.contains("min")) m.min = c["min"].get<double>();
    if (c.contains("max")) m.max = c["max"].get<double>();
    constraints.push_back(m);
    add_column(m.name);
  }
  for (const auto& m : meta_json("report_metrics")) add_column(m.get<std::string>());

  ReportSummary sum;
  std::vector<Row> rows;
  for (const PointResult& r : results) {
    Row row;
    row.point = &r;
    for (const auto& [n, v] : r.metrics) row.metrics[n] = v;
    for (const auto& [k, v] : r.values) row.values[k] = v;
    row.feasible = point_feasible(r, goals, constraints);
    rows.push_back(std::move(row));
  }
  std::vector<size_t> feasible;
  std::vector<std::vector<double>> values;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i].feasible) continue;
    feasible.push_back(i);
    std::vector<double> v;
    for (const std::string& o : objectives) v.push_back(rows[i].metrics.at(o));
    values.push_back(std::move(v));
  }
  if (!objectives.empty())
    for (size_t k : non_dominated(values, maximise)) rows[feasible[k]].pareto = true;
  sum.points = rows.size();
  sum.feasible = feasible.size();

  // ---- tables --------------------------------------------------------------------------------
  std::vector<std::string> header = {"id", "status", "feasible", "pareto"};
  for (const std::string& a : axes) header.push_back(a);
  for (const std::string& m : metric_columns) header.push_back(m);
  header.push_back("wall_s");
  header.push_back("message");
  const auto cells = [&](const Row& row) {
    std::vector<std::string> c = {std::to_string(row.point->id), row.point->status, row.feasible ? "1" : "0",
                                  row.pareto ? "1" : "0"};
    for (const std::string& a : axes) c.push_back(row.values.count(a) ? row.values.at(a) : "");
    for (const std::string& m : metric_columns) c.push_back(row.metrics.count(m) ? number(row.metrics.at(m)) : "");
    c.push_back(number(row.point->wall_s));
    c.push_back(row.point->message);
    return c;
  };
  std::string head;
  for (const std::string& h : header) head += (head.empty() ? "" : ",") + csv_cell(h);
  std::string all = head + "\n", front = all;
  for (const Row& row : rows) {
    std::string line;
    for (const std::string& c : cells(row)) line += (line.empty() ? "" : ",") + csv_cell(c);
    all += line + "\n";
    if (row.pareto) {
      front += line + "\n";
      ++sum.pareto;
    }
  }
  write_file(dir / "results.csv", all);
  write_file(dir / "pareto.csv", front);
  sum.files = {"results.csv", "pareto.csv"};

  // ---- plots ---------------------------------------------------------------------------------
  std::vector<std::pair<std::string, std::string>> plots;  // (title, file stem)
  if (!have_gnuplot()) {
    sum.warning = "gnuplot not found: no plots (.ci/setup installs gnuplot-nox)";
  } else if (!feasible.empty() && !objectives.empty()) {
    const fs::path plot_dir = dir / "plots";
    fs::create_directories(plot_dir);
    std::string script = "set datafile separator ','\nset grid\nset key outside bottom center horizontal\n";
    const auto both_terminals = [&script](const std::string& stem, const std::string& body) {
      for (const char* term : {"svg size 720,480 dynamic font 'sans,11'", "pngcairo size 960,640 font 'sans,11'"}) {
        const bool svg = term[0] == 's';
        script += std::string("set terminal ") + term + "\nset output " +
                  gp_string(stem + (svg ? ".svg" : ".png")) + "\n" + body + "unset output\n";
      }
    };
    // Each objective against each axis (categorical axes by position, labelled).
    for (const std::string& a : axes) {
      std::vector<std::string> levels;
      bool all_numeric = true;
      for (size_t i : feasible) {
        const std::string v = rows[i].values.count(a) ? rows[i].values.at(a) : "";
        all_numeric = all_numeric && numeric(v).has_value();
        if (std::find(levels.begin(), levels.end(), v) == levels.end()) levels.push_back(v);
      }
      for (size_t k = 0; k < objectives.size(); ++k) {
        const std::string stem = (plot_dir / (slug(objectives[k]) + "_vs_" + slug(a))).string();
        std::string data;
        for (size_t i : feasible) {
          const std::string v = rows[i].values.at(a);
          const double x = all_numeric ? *numeric(v)
                                       : static_cast<double>(std::find(levels.begin(), levels.end(), v) - levels.begin());
          data += number(x) + "," + number(rows[i].metrics.at(objectives[k])) + "," + (rows[i].pareto ? "1" : "0") + "\n";
        }
        write_file(stem + ".csv", data);
        std::string body = "set title " + gp_string(objectives[k] + " vs " + a) + " noenhanced\nset xlabel " +
                           gp_string(a) + " noenhanced\nset ylabel " + gp_string(objectives[k]) + " noenhanced\n";
        if (!all_numeric) {
          body += "set xtics (";
          for (size_t l = 0; l < levels.size(); ++l)
            body += (l ? ", " : "") + gp_string(levels[l]) + " " + std::to_string(l);
          body += ")\n";
        } else {
          body += "set xtics autofreq\n";
        }
        body += "plot " + gp_string(stem + ".csv") + " using 1:($3==0?$2:1/0) with points pt 7 ps 0.8 lc rgb '#8899aa' title 'feasible', " +
                gp_string(stem + ".csv") + " using 1:($3==1?$2:1/0) with points pt 7 ps 1.2 lc rgb '#d62728' title 'Pareto front'\n";
        both_terminals(stem, body);
        plots.emplace_back(objectives[k] + " vs " + a, "plots/" + fs::path(stem).filename().string());
      }
    }
    // Each pair of objectives, the front marked.
    for (size_t p = 0; p < objectives.size(); ++p) {
      for (size_t q = p + 1; q < objectives.size(); ++q) {
        const std::string stem = (plot_dir / ("pareto_" + slug(objectives[p]) + "_" + slug(objectives[q]))).string();
        std::string data;
        for (size_t i : feasible)
          data += number(rows[i].metrics.at(objectives[p])) + "," + number(rows[i].metrics.at(objectives[q])) + "," +
                  (rows[i].pareto ? "1" : "0") + "\n";
        write_file(stem + ".csv", data);
        const std::string body =
            "set title " + gp_string("Pareto: " + objectives[p] + " / " + objectives[q]) + " noenhanced\nset xlabel " +
            gp_string(objectives[p]) + " noenhanced\nset ylabel " + gp_string(objectives[q]) +
            " noenhanced\nset xtics autofreq\nplot " + gp_string(stem + ".csv") +
            " using 1:($3==0?$2:1/0) with points pt 7 ps 0.8 lc rgb '#8899aa' title 'feasible', " +
            gp_string(stem + ".csv") + " using 1:($3==1?$2:1/0) with points pt 7 ps 1.2 lc rgb '#d62728' title 'Pareto front'\n";
        both_terminals(stem, body);
        plots.emplace_back("Pareto: " + objectives[p] + " / " + objectives[q],
                           "plots/" + fs::path(stem).filename().string());
      }
    }
    write_file(plot_dir / "plots.gp", script);
    const std::string command = "gnuplot " + gp_string((plot_dir / "plots.gp").string()) + " 2>" +
                                gp_string((plot_dir / "gnuplot.log").string());
    if (std::system(command.c_str()) != 0) throw IoError("gnuplot failed: see " + (plot_dir / "gnuplot.log").string());
    for (const auto& [title, stem] : plots) {
      sum.files.push_back(stem + ".svg");
      sum.files.push_back(stem + ".png");
    }
  }

  // ---- the page ------------------------------------------------------------------------------
  std::map<std::string, uint64_t> by_status;
  for (const Row& row : rows) ++by_status[row.point->status];
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>neurochip sweep report</title>\n"
          "<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse;font-size:13px}"
          "th,td{border:1px solid #ccc;padding:3px 6px;text-align:right}th{background:#eef;cursor:pointer}"
          "tr.pareto td{background:#fde8e8}figure{display:inline-block;margin:0.5em}</style></head><body>\n"
       << "<h1>Sweep report</h1>\n<p id=\"summary\">" << sum.points << " points, " << sum.feasible << " feasible, "
       << sum.pareto << " on the Pareto front";
  for (const auto& [status, n] : by_status) html << "; " << html_escape(status) << ": " << n;
  html << ".</p>\n<p>Objectives: ";
  for (size_t k = 0; k < objectives.size(); ++k)
    html << (k ? ", " : "") << (maximise[k] ? "maximise " : "minimise ") << "<code>" << html_escape(objectives[k])
         << "</code>";
  html << ". Click a column heading to sort.</p>\n<h2>Plots</h2>\n";
  for (const auto& [title, stem] : plots) {
    std::ifstream svg(dir / (stem + ".svg"));
    std::string text((std::istreambuf_iterator<char>(svg)), std::istreambuf_iterator<char>());
    const size_t at = text.find("<svg");
    html << "<figure class=\"plot\">" << (at == std::string::npos ? "" : text.substr(at)) << "<figcaption>"
         << html_escape(title) << "</figcaption></figure>\n";
  }
  if (plots.empty()) html << "<p>No plots" << (sum.warning.empty() ? "" : ": " + html_escape(sum.warning)) << ".</p>\n";
  html << "<h2>Points</h2>\n<table id=\"points\"><thead><tr>";
  for (const std::string& h : header) html << "<th>" << html_escape(h) << "</th>";
  html << "</tr></thead><tbody>\n";
  for (const Row& row : rows) {
    html << "<tr" << (row.pareto ? " class=\"pareto\"" : "") << ">";
    for (const std::string& c : cells(row)) html << "<td>" << html_escape(c) << "</td>";
    html << "</tr>\n";
  }
  html << "</tbody></table>\n<script>\n"
          "document.querySelectorAll('#points th').forEach(function(th, col) {\n"
          "  th.addEventListener('click', function() {\n"
          "    var body = document.querySelector('#points tbody');\n"
          "    var rows = Array.prototype.slice.call(body.rows);\n"
          "    var up = th.dataset.order !== 'up'; th.dataset.order = up ? 'up' : 'down';\n"
          "    rows.sort(function(a, b) {\n"
          "      var x = a.cells[col].textContent, y = b.cells[col].textContent;\n"
          "      var nx = parseFloat(x), ny = parseFloat(y);\n"
          "      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);\n"
          "      return up ? c : -c;\n"
          "    });\n"
          "    rows.forEach(function(r) { body.appendChild(r); });\n"
          "  });\n"
          "});\n</script>\n</body></html>\n";
  write_file(dir / "report.html", html.str());
  sum.files.push_back("report.html");
  return sum;
}

}  // namespace neurochip::sim
