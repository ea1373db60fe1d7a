// StatGroup registry implementation (see stats.h).
#include "common/stats.h"

#include <algorithm>
#include <stdexcept>

namespace neurochip::hw {

void Distribution::sample(uint64_t v) {
  if (count_ == 0 || v < min_) min_ = v;
  max_ = std::max(max_, v);
  sum_ += v;
  ++count_;
}

StatGroup::StatGroup(std::string name, StatGroup* parent) : name_(std::move(name)), parent_(parent) {
  if (parent_) parent_->children_.push_back(this);
}

Counter& StatGroup::add_counter(const std::string& name, const std::string& unit,
                                const std::string& desc) {
  counters_.emplace_back();
  entries_.push_back({name, unit, desc, &counters_.back(), nullptr, {}});
  return counters_.back();
}

Distribution& StatGroup::add_distribution(const std::string& name, const std::string& unit,
                                          const std::string& desc) {
  distributions_.emplace_back();
  entries_.push_back({name, unit, desc, nullptr, &distributions_.back(), {}});
  return distributions_.back();
}

void StatGroup::add_formula(const std::string& name, const std::string& unit,
                            const std::string& desc, std::function<double()> formula) {
  entries_.push_back({name, unit, desc, nullptr, nullptr, std::move(formula)});
}

std::string StatGroup::path() const { return parent_ ? parent_->path() + "." + name_ : name_; }

std::vector<StatView> StatGroup::collect() const {
  std::vector<StatView> out;
  collect_into(out);
  return out;
}

void StatGroup::collect_into(std::vector<StatView>& out) const {
  const std::string prefix = path() + ".";
  for (const Entry& e : entries_) {
    StatView v{prefix + e.name, e.unit, e.description, {}};
    if (e.counter) {
      v.values.emplace_back("value", static_cast<double>(e.counter->value()));
    } else if (e.distribution) {
      const Distribution& d = *e.distribution;
      v.values = {{"count", static_cast<double>(d.count())},
                  {"sum", static_cast<double>(d.sum())},
                  {"min", static_cast<double>(d.min())},
                  {"max", static_cast<double>(d.max())},
                  {"mean", d.count() ? static_cast<double>(d.sum()) / d.count() : 0.0}};
    } else {
      v.values.emplace_back("value", e.formula());
    }
    out.push_back(std::move(v));
  }
  for (const StatGroup* c : children_) c->collect_into(out);
}

uint64_t StatGroup::counter(const std::string& name) const {
  for (const Entry& e : entries_)
    if (e.counter && e.name == name) return e.counter->value();
  throw std::out_of_range("no counter '" + name + "' in stat group " + path());
}

}  // namespace neurochip::hw
