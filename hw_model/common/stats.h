// Registered statistics (gem5 ADD_STAT style): every stat has a dotted name, a unit and a
// description, lives in a StatGroup tree, and is written by the runner, never printed by a model.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace neurochip::hw {

/// A monotonically increasing event counter.
class Counter {
 public:
  Counter& operator++() { ++value_; return *this; }
  Counter& operator+=(uint64_t n) { value_ += n; return *this; }
  uint64_t value() const { return value_; }
  void reset() { value_ = 0; }

 private:
  uint64_t value_ = 0;
};

/// Running summary of a sampled quantity (count, sum, min, max).
class Distribution {
 public:
  void sample(uint64_t v);
  uint64_t count() const { return count_; }
  uint64_t sum() const { return sum_; }
  uint64_t min() const { return count_ ? min_ : 0; }
  uint64_t max() const { return max_; }

 private:
  uint64_t count_ = 0, sum_ = 0, min_ = 0, max_ = 0;
};

/// One registered statistic as seen by writers.
struct StatView {
  std::string name;         ///< full dotted path, e.g. "chip.core0.prop.cycles"
  std::string unit;         ///< "cycles", "events", "words", ...
  std::string description;
  std::vector<std::pair<std::string, double>> values;  ///< ("value", v) or distribution fields
};

/// A named group of statistics with child groups.
class StatGroup {
 public:
  explicit StatGroup(std::string name, StatGroup* parent = nullptr);
  StatGroup(const StatGroup&) = delete;
  StatGroup& operator=(const StatGroup&) = delete;

  Counter& add_counter(const std::string& name, const std::string& unit, const std::string& desc);
  Distribution& add_distribution(const std::string& name, const std::string& unit,
                                 const std::string& desc);
  void add_formula(const std::string& name, const std::string& unit, const std::string& desc,
                   std::function<double()> formula);

  const std::string& name() const { return name_; }
  std::string path() const;
  /// All stats of this group and its children, depth-first in registration order.
  std::vector<StatView> collect() const;
  /// Value of a counter registered directly in this group; throws std::out_of_range if absent.
  uint64_t counter(const std::string& name) const;

 private:
  struct Entry {
    std::string name, unit, description;
    Counter* counter = nullptr;
    Distribution* distribution = nullptr;
    std::function<double()> formula;
  };
  void collect_into(std::vector<StatView>& out) const;

  std::string name_;
  StatGroup* parent_;
  std::vector<StatGroup*> children_;
  std::deque<Counter> counters_;
  std::deque<Distribution> distributions_;
  std::vector<Entry> entries_;
};

}  // namespace neurochip::hw
