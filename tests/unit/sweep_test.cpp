// Sweep files, their points and the sweep database without running a point (README
// "Design-space exploration"): axis forms and their values, zip and product order, seeded random
// sampling, positioned errors for bad sweep files, the non-dominated set of constructed point
// sets, and the database's record / merge / canonical content.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include <gtest/gtest.h>
#include <unistd.h>

#include "io/manifest.h"
#include "sweep/nsga2_search.h"
#include "sweep/pareto.h"
#include "sweep/sweep_db.h"
#include "sweep/sweep_runner.h"
#include "sweep/sweep_spec.h"

namespace neurochip::sim {
namespace {

namespace fs = std::filesystem;
const std::string kTiny = std::string(NEUROCHIP_REPO_ROOT) + "/configs/examples/tiny.yaml";

SweepSpec spec_of(const std::string& body) { return load_sweep_text("base: " + kTiny + "\n" + body, "sweep.yaml", "/"); }

/// The first diagnostic of a sweep file that does not load ("" when it loads).
std::string error_of(const std::string& body) {
  try {
    spec_of(body);
  } catch (const ConfigError& e) {
    return e.diagnostics().front().str();
  }
  return "";
}

TEST(SweepSpec, AxisFormsGiveTheirValues) {
  const SweepSpec s = spec_of(R"(axes:
  - {key: chip.cores.0.neuron.threshold, values: [5, 0x10, -3]}
  - {key: workload.seed, range: {from: 2, to: 9, step: 3}}
  - {key: workload.inputs.0.poisson.rate_hz, linspace: {from: 0, to: 1, count: 5}}
  - {key: chip.cores.0.timing.scan_cycles_per_index, logspace: {from: 1, to: 64, count: 7, round: true}}
  - {key: chip.cores.0.memory.max_neurons, logspace: {from: 1, to: 4, count: 4, round: true}}
  - {key: chip.cores.0.rounding.mode, values: [floor, stochastic]}
)");
  const auto axes = s.axes();
  ASSERT_EQ(axes.size(), 6u);
  EXPECT_EQ(axes[0]->values, (std::vector<std::string>{"5", "0x10", "-3"}));
  EXPECT_EQ(axes[1]->values, (std::vector<std::string>{"2", "5", "8"}));
  EXPECT_EQ(axes[2]->values, (std::vector<std::string>{"0", "0.25", "0.5", "0.75", "1"}));
  EXPECT_EQ(axes[3]->values, (std::vector<std::string>{"1", "2", "4", "8", "16", "32", "64"}));
  // 1, 1.59, 2.52, 4 rounded: 1, 2, 3, 4 (no repeats to drop here).
  EXPECT_EQ(axes[4]->values, (std::vector<std::string>{"1", "2", "3", "4"}));
  EXPECT_EQ(axes[5]->values, (std::vector<std::string>{"floor", "stochastic"}));
  EXPECT_EQ(s.grid_size(), 3u * 3 * 5 * 7 * 4 * 2);
}

TEST(SweepSpec, RoundingDropsRepeatsAndZipMovesAxesTogether) {
  const SweepSpec s = spec_of(R"(axes:
  - {key: chip.cores.0.neuron.threshold, logspace: {from: 1, to: 3, count: 5, round: true}}
  - zip:
      - {key: workload.seed, values: [10, 20]}
      - {key: chip.cores.0.timing.scan_cycles_per_index, values: [1, 2]}
)");
  // 1, 1.32, 1.73, 2.28, 3 rounded: 1, 1, 2, 2, 3 -> 1, 2, 3.
  EXPECT_EQ(s.axes()[0]->values, (std::vector<std::string>{"1", "2", "3"}));
  ASSERT_EQ(s.grid_size(), 6u);
  const std::vector<SweepPoint> points = sweep_points(s);
  ASSERT_EQ(points.size(), 6u);
  // The last group varies fastest; zipped axes share their index.
  const SweepPoint& p = points[3];
  EXPECT_EQ(p.id, 3u);
  EXPECT_EQ(p.values, (std::vector<std::pair<std::string, std::string>>{
                          {"chip.cores.0.neuron.threshold", "2"},
                          {"workload.seed", "20"},
                          {"chip.cores.0.timing.scan_cycles_per_index", "2"}}));
  EXPECT_EQ(p.overrides(s).back(), "chip.cores.0.timing.scan_cycles_per_index=2");
}

TEST(SweepSpec, RandomDrawsDistinctPointsFromItsSeed) {
  const std::string axes = R"(axes:
  - {key: chip.cores.0.neuron.threshold, range: {from: 1, to: 100}}
  - {key: workload.seed, range: {from: 1, to: 50}}
)";
  const auto ids = [&](const std::string& strategy) {
    std::vector<uint64_t> out;
    for (const SweepPoint& p : sweep_points(spec_of(axes + strategy))) out.push_back(p.id);
    return out;
  };
  const std::vector<uint64_t> a = ids("strategy: {kind: random, points: 300, seed: 7}\n");
  ASSERT_EQ(a.size(), 300u);
  EXPECT_EQ(std::set<uint64_t>(a.begin(), a.end()).size(), 300u);
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
  EXPECT_LT(a.back(), 5000u);
  EXPECT_EQ(ids("strategy: {kind: random, points: 300, seed: 7}\n"), a);
  EXPECT_NE(ids("strategy: {kind: random, points: 300, seed: 8}\n"), a);
  EXPECT_EQ(ids("strategy: {kind: random, points: 5000, seed: 3}\n").size(), 5000u);  // the whole grid
  // A drawn point is the grid's point of that number.
  const SweepSpec s = spec_of(axes + "strategy: {kind: random, points: 3, seed: 1}\n");
  for (const SweepPoint& p : sweep_points(s)) EXPECT_EQ(p.values, grid_point(s, p.id).values);
}

TEST(SweepSpec, BadSweepFilesGetPositionedErrors) {
  EXPECT_EQ(error_of("axes:\n  - {key: chip.cores.0.neuron.thresold, values: [1]}\n").substr(0, 48),
            "sweep.yaml:3:11: unknown key 'thresold' under 'c");
  EXPECT_NE(error_of("axes:\n  - {key: chip.cores.0.neuron.thresold, values: [1]}\n").find("did you mean 'threshold'"),
            std::string::npos);
  EXPECT_EQ(error_of("axes:\n  - {key: chip.cores.0.neuron.threshold, values: [1, 40000]}\n"),
            "sweep.yaml:3:54: expected an integer in -32768..32767, got '40000'");
  EXPECT_EQ(error_of("axes:\n  - {key: chip.cores.0.rounding.mode, values: [floor, round]}\n"),
            "sweep.yaml:3:55: expected one of floor | stochastic, got 'round'");
  EXPECT_EQ(error_of("axes:\n  - {key: chip.cores.0.neuron.threshold, values: []}\n"),
            "sweep.yaml:3:50: expected a non-empty list of values, got a list");
  EXPECT_EQ(error_of("axes:\n  - {key: workload.seed, range: {from: 5, to: 1}}\n"),
            "sweep.yaml:3:33: range: 'to' (1) is less than 'from' (5): the axis would be empty");
  EXPECT_EQ(error_of("axes:\n  - zip:\n      - {key: workload.seed, values: [1, 2]}\n"
                     "      - {key: chip.cores.0.neuron.threshold, values: [1]}\n"),
            "sweep.yaml:4:7: zipped axes must have equal lengths, got 2, 1");
  EXPECT_EQ(error_of("axes:\n  - {key: chip.cores, values: [1]}\n"),
            "sweep.yaml:3:11: 'chip.cores' is a list, not a key with a value: name one of its keys");
  EXPECT_EQ(error_of("axes:\n  - {key: chip.cores.x.name, values: [a]}\n"),
            "sweep.yaml:3:11: 'chip.cores' is a list: expected an element index and a key after it, e.g. "
            "'chip.cores.0.name'");
  EXPECT_EQ(error_of("axes:\n  - {key: workload.seed.x, values: [1]}\n"),
            "sweep.yaml:3:11: 'workload.seed' takes a value; it has no key 'x'");
  EXPECT_EQ(error_of("axes:\n  - {key: workload.seed, values: [1, 2]}\nstrategy: {kind: random, points: 3}\n"),
            "sweep.yaml:4:11: random: 3 points asked of a grid of 2 (use at most that many, or `strategy: grid`)");
  EXPECT_EQ(error_of("axes:\n  - {key: workload.seed, values: [1, 1]}\n"), "sweep.yaml:3:5: axis 'workload.seed' repeats the value 1");
  EXPECT_EQ(error_of("axes:\n  - zip:\n      - {key: workload.seed, values: [1, 2, 1]}\n"
                     "      - {key: chip.cores.0.neuron.threshold, values: [4, 4, 4]}\n"),
            "sweep.yaml:3:5: zip repeats the combination of its entry 3");
  EXPECT_EQ(error_of("axis: []\n"), "sweep.yaml:2:1: unknown key 'axis' (expected one of: base, set, fidelity, "
                                    "outputs, axes, constraints, objectives, strategy, limits, report) (did you mean "
                                    "'axes'?)");
  // The base with the sweep's `set` must load.
  EXPECT_NE(error_of("set: {workload.timesteps: 0}\naxes:\n  - {key: workload.seed, values: [1]}\n")
                .find("(the sweep's `set` entry 1)"),
            std::string::npos);
}

TEST(SweepSpec, ShippedSweepsAndTheReadmeExampleLoad) {
  const fs::path root = NEUROCHIP_REPO_ROOT;
  size_t shipped = 0;
  for (const auto& entry : fs::directory_iterator(root / "configs" / "sweeps")) {
    if (entry.path().extension() != ".yaml") continue;
    SCOPED_TRACE(entry.path().string());
    EXPECT_GT(load_sweep_file(entry.path().string()).grid_size(), 1u);
    ++shipped;
  }
  EXPECT_GE(shipped, 2u);
  // A file-path key of `set` is relative to the sweep file (this test runs elsewhere).
  const SweepSpec learning = load_sweep_file((root / "configs" / "sweeps" / "reckon_learning.yaml").string());
  EXPECT_NE(std::find(learning.set.begin(), learning.set.end(),
                      "workload.samples.test.file=" + (root / "traces/golden/reckon_rtl/test_inputs.csv").string()),
            learning.set.end());
  std::ifstream in(root / "configs" / "README.md");
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t begin = doc.find("```yaml\n", doc.find("## Sweep files"));
  ASSERT_NE(begin, std::string::npos);
  const size_t end = doc.find("```", begin + 8);
  const SweepSpec s = load_sweep_text(doc.substr(begin + 8, end - begin - 8), "README.md",
                                      (root / "configs" / "sweeps").string());
  EXPECT_EQ(s.grid_size(), 3u * 3 * 5);
  EXPECT_EQ(sweep_points(s).size(), 20u);
}

TEST(SweepSpec, Nsga2NeedsAPopulationOfFoursAndTwoObjectives) {
  const std::string axes = "axes:\n  - {key: workload.seed, range: {from: 1, to: 40}}\n";
  const std::string two = "objectives:\n  - {metric: stats.chip.cycles, goal: minimise}\n"
                          "  - {metric: stats.chip.core0.spikes, goal: maximise}\n";
  const SweepSpec s = spec_of(axes + two + "strategy: {kind: nsga2, population: 12, generations: 3, seed: 9}\n");
  EXPECT_EQ(s.strategy.kind, SweepStrategy::Kind::kNsga2);
  EXPECT_EQ(s.strategy.population, 12u);
  EXPECT_EQ(s.strategy.generations, 3u);
  EXPECT_TRUE(sweep_points(s).empty());  // it chooses its points as it goes
  EXPECT_EQ(error_of(axes + two + "strategy: {kind: nsga2, population: 10, generations: 3}\n"),
            "sweep.yaml:7:37: expected a multiple of 4 in 8..100000, got '10' (NSGA-II pairs its parents)");
  EXPECT_EQ(error_of(axes + "objectives:\n  - {metric: stats.chip.cycles, goal: minimise}\n"
                            "strategy: {kind: nsga2, population: 8, generations: 3}\n"),
            "sweep.yaml:6:11: nsga2 searches for a Pareto front: it needs at least two objectives, got 1");
  EXPECT_EQ(error_of(axes + two + "strategy: {kind: grid, population: 8}\n"),
            "sweep.yaml:7:24: 'population' is only allowed with kind: nsga2");
}

TEST(SweepSpec, SearchObjectivesNegateMaximisedAndPushInfeasiblePointsBack) {
  const SweepSpec s = spec_of(R"(axes:
  - {key: workload.seed, range: {from: 1, to: 40}}
constraints:
  - {metric: stats.chip.cycles, max: 500}
objectives:
  - {metric: stats.chip.cycles, goal: minimise}
  - {metric: stats.chip.core0.spikes, goal: maximise}
)");
  PointResult r;
  r.status = "ok";
  r.metrics = {{"stats.chip.core0.spikes", 7}, {"stats.chip.cycles", 400}};
  EXPECT_EQ(search_objectives(s, r), (std::vector<double>{400, -7}));
  r.metrics = {{"stats.chip.core0.spikes", 7}, {"stats.chip.cycles", 600}};  // breaks the constraint
  EXPECT_EQ(search_objectives(s, r), (std::vector<double>{kInfeasible, kInfeasible}));
  r.metrics = {{"stats.chip.cycles", 400}};  // an objective missing
  EXPECT_EQ(search_objectives(s, r), (std::vector<double>{kInfeasible, kInfeasible}));
  r.metrics = {{"stats.chip.core0.spikes", 7}, {"stats.chip.cycles", 400}};
  r.status = "timeout";
  EXPECT_EQ(search_objectives(s, r), (std::vector<double>{kInfeasible, kInfeasible}));
}

TEST(Pareto, NonDominatedSetsOfConstructedPoints) {
  // Two objectives minimised: (3,3) is dominated by (2,2); the duplicate (2,2) is kept.
  EXPECT_EQ(non_dominated({{1, 5}, {2, 2}, {5, 1}, {3, 3}, {2, 2}}, {false, false}),
            (std::vector<size_t>{0, 1, 2, 4}));
  // Ties in one objective: (1,4) dominates (1,5).
  EXPECT_EQ(non_dominated({{1, 5}, {1, 4}, {0, 9}}, {false, false}), (std::vector<size_t>{1, 2}));
  // One objective: every point at the best value.
  EXPECT_EQ(non_dominated({{3}, {1}, {2}, {1}}, {false}), (std::vector<size_t>{1, 3}));
  EXPECT_EQ(non_dominated({{3}, {1}, {2}, {3}}, {true}), (std::vector<size_t>{0, 3}));
  // Minimise the first, maximise the second.
  EXPECT_EQ(non_dominated({{1, 1}, {2, 5}, {2, 4}, {3, 5}}, {false, true}), (std::vector<size_t>{0, 1}));
  EXPECT_TRUE(non_dominated({}, {false}).empty());
}

PointResult point(uint64_t id, const std::string& status, double cycles) {
  PointResult r;
  r.id = id;
  r.config_hash = "h" + std::to_string(id);
  r.status = status;
  r.values = {{"workload.seed", std::to_string(id)}};
  if (status == "ok") r.metrics = {{"stats.chip.cycles", cycles}, {"stats.chip.time_ns", cycles * 10.5}};
  r.wall_s = 0.1 * static_cast<double>(id);
  return r;
}

TEST(SweepDb, RecordsMergesAndDumpsCanonically) {
  const fs::path dir = fs::temp_directory_path() / ("neurochip_sweepdb_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    SweepDb whole((dir / "whole.sqlite").string()), a((dir / "a.sqlite").string()), b((dir / "b.sqlite").string());
    for (SweepDb* db : {&whole, &a, &b}) db->bind_grid("grid 1");
    for (uint64_t id : {0, 1, 2, 3}) whole.record(point(id, id == 2 ? "crashed" : "ok", 100.0 + id));
    a.record(point(3, "ok", 103));  // another order, split over two shards
    a.record(point(1, "ok", 101));
    b.record(point(2, "crashed", 0));
    b.record(point(0, "ok", 100));
    b.record(point(1, "ok", 101));  // in both shards, identically
    EXPECT_EQ(whole.recorded().at(2), std::make_pair(std::string("h2"), std::string("crashed")));
    SweepDb merged((dir / "merged.sqlite").string());
    EXPECT_EQ(merged.merge_from((dir / "a.sqlite").string()), 2u);
    EXPECT_EQ(merged.merge_from((dir / "b.sqlite").string()), 2u);
    EXPECT_EQ(merged.canonical_dump(), whole.canonical_dump());
    EXPECT_NE(whole.canonical_dump().find("metric stats.chip.time_ns=1081.5"), std::string::npos);
    // Recording a point again replaces it.
    whole.record(point(2, "ok", 102));
    EXPECT_NE(merged.canonical_dump(), whole.canonical_dump());
    // A point recorded differently cannot be merged; another grid cannot be bound.
    EXPECT_THROW(merged.merge_from((dir / "whole.sqlite").string()), IoError);
    EXPECT_THROW(merged.bind_grid("grid 2"), IoError);
  }
  fs::remove_all(dir);
}

TEST(SweepDb, GridTextNamesEveryAxisValueAndOverride) {
  const SweepSpec s = spec_of("set: {workload.timesteps: 9}\naxes:\n  - {key: workload.seed, values: [1, 2]}\n");
  EXPECT_EQ(grid_text(s), "fidelity functional\noutputs stats,config\nset workload.timesteps=9\naxis\n  workload.seed: 1 2\n");
}

}  // namespace
}  // namespace neurochip::sim
