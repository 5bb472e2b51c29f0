#include "base/metrics.h"

#include <charconv>
#include <cmath>
#include <functional>

namespace failsafe::metrics {
namespace {

void AtomicAdd(std::atomic<double>& a, double by) {
  double cur = a.load(std::memory_order_relaxed);
  while (!a.compare_exchange_weak(cur, cur + by, std::memory_order_relaxed)) {
  }
}

std::string FormatValue(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  return std::string(buf, end);
}

std::string LabelText(const std::vector<std::string>& names, const std::vector<std::string>& values,
                      const std::string& extra_name = {}, const std::string& extra_value = {}) {
  if (names.empty() && extra_name.empty()) return {};
  std::string out = "{";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out += ',';
    out += names[i] + "=\"" + EscapeLabelValue(values[i]) + "\"";
  }
  if (!extra_name.empty()) {
    if (!names.empty()) out += ',';
    out += extra_name + "=\"" + extra_value + "\"";
  }
  out += '}';
  return out;
}

}  // namespace

void Counter::Inc(double by) {
  AtomicAdd(value_, by);
}
void Gauge::Add(double by) {
  AtomicAdd(value_, by);
}

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)), buckets_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i] = 0;
}

void Histogram::Observe(double v) {
  size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  AtomicAdd(sum_, v);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<uint64_t> Histogram::CumulativeCounts() const {
  std::vector<uint64_t> out(bounds_.size() + 1);
  uint64_t acc = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    acc += buckets_[i].load(std::memory_order_relaxed);
    out[i] = acc;
  }
  return out;
}

std::vector<double> LatencyBuckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

template <typename T>
T& Family<T>::With(const std::vector<std::string>& values) {
  {
    std::shared_lock lock(mu_);
    auto it = children_.find(values);
    if (it != children_.end()) return *it->second;
  }
  std::unique_lock lock(mu_);
  auto& slot = children_[values];
  if (!slot) {
    if constexpr (std::is_same_v<T, Histogram>) {
      slot = std::make_unique<Histogram>(bounds_);
    } else {
      slot = std::make_unique<T>();
    }
  }
  return *slot;
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

Family<Counter>& Registry::AddCounter(const std::string& name, const std::string& help,
                                      std::vector<std::string> labels) {
  std::lock_guard lock(mu_);
  auto e = std::make_unique<Entry>();
  e->name = name;
  e->help = help;
  e->type = Type::kCounter;
  e->counter = std::make_unique<Family<Counter>>(std::move(labels));
  auto& ref = *e->counter;
  entries_.push_back(std::move(e));
  return ref;
}

Family<Gauge>& Registry::AddGauge(const std::string& name, const std::string& help,
                                  std::vector<std::string> labels) {
  std::lock_guard lock(mu_);
  auto e = std::make_unique<Entry>();
  e->name = name;
  e->help = help;
  e->type = Type::kGauge;
  e->gauge = std::make_unique<Family<Gauge>>(std::move(labels));
  auto& ref = *e->gauge;
  entries_.push_back(std::move(e));
  return ref;
}

Family<Histogram>& Registry::AddHistogram(const std::string& name, const std::string& help,
                                          std::vector<std::string> labels,
                                          std::vector<double> bounds) {
  std::lock_guard lock(mu_);
  auto e = std::make_unique<Entry>();
  e->name = name;
  e->help = help;
  e->type = Type::kHistogram;
  e->histogram = std::make_unique<Family<Histogram>>(std::move(labels), std::move(bounds));
  auto& ref = *e->histogram;
  entries_.push_back(std::move(e));
  return ref;
}

void Registry::AddCollector(std::function<void()> refresh) {
  std::lock_guard lock(mu_);
  collectors_.push_back(std::move(refresh));
}

std::string Registry::RenderText() const {
  std::lock_guard lock(mu_);
  for (const auto& c : collectors_) c();
  std::string out;
  for (const auto& e : entries_) {
    out += "# HELP " + e->name + " " + e->help + "\n";
    switch (e->type) {
      case Type::kCounter:
        out += "# TYPE " + e->name + " counter\n";
        e->counter->ForEach([&](const std::vector<std::string>& values, const Counter& c) {
          out += e->name + LabelText(e->counter->label_names(), values) + " " +
                 FormatValue(c.Value()) + "\n";
        });
        break;
      case Type::kGauge:
        out += "# TYPE " + e->name + " gauge\n";
        e->gauge->ForEach([&](const std::vector<std::string>& values, const Gauge& g) {
          out += e->name + LabelText(e->gauge->label_names(), values) + " " +
                 FormatValue(g.Value()) + "\n";
        });
        break;
      case Type::kHistogram:
        out += "# TYPE " + e->name + " histogram\n";
        e->histogram->ForEach([&](const std::vector<std::string>& values, const Histogram& h) {
          const auto& names = e->histogram->label_names();
          auto counts = h.CumulativeCounts();
          for (size_t i = 0; i < counts.size(); ++i) {
            std::string le = i < h.bounds().size() ? FormatValue(h.bounds()[i]) : "+Inf";
            out += e->name + "_bucket" + LabelText(names, values, "le", le) + " " +
                   std::to_string(counts[i]) + "\n";
          }
          out += e->name + "_sum" + LabelText(names, values) + " " + FormatValue(h.Sum()) + "\n";
          out += e->name + "_count" + LabelText(names, values) + " " + std::to_string(h.Count()) +
                 "\n";
        });
        break;
    }
  }
  return out;
}

std::string EscapeLabelValue(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

}  // namespace failsafe::metrics
