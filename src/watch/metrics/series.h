#pragma once
// The data model shared by everything that produces or reads metric samples: label sets,
// label matchers, samples, and the read interface rules and charts query through.
// Producers (scrapes, the host collector, probes, rule results) write through SampleSink;
// readers (the rule evaluator, range queries) read through SeriesQuerier. The in-memory
// store (memory_store.h) implements both.
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace re2 {
class RE2;
}

namespace failsafe::watch {

inline constexpr std::string_view kMetricNameLabel = "__name__";

struct Label {
  std::string name;
  std::string value;
  friend bool operator==(const Label&, const Label&) = default;
  friend auto operator<=>(const Label&, const Label&) = default;
};

// A series identity: labels sorted by name, names unique, empty values dropped (as Prometheus
// treats an empty label value as an absent label). Build one with MakeLabels.
using Labels = std::vector<Label>;

// Sorts, drops empty values and rejects duplicate or invalid names (field: the label name).
Result<Labels> MakeLabels(std::vector<Label> labels);
// The value of `name`, or empty when absent.
std::string_view LabelValue(const Labels& labels, std::string_view name);
// A stable 64-bit hash of the sorted label set (the series and alert fingerprint).
uint64_t Fingerprint(const Labels& labels);
// `{a="1", b="x\"y"}` with the metric name in front when present: `up{job="node"}`.
std::string FormatLabels(const Labels& labels);
// [a-zA-Z_][a-zA-Z0-9_]*, the rule for label names.
bool IsValidLabelName(std::string_view name);
// [a-zA-Z_:][a-zA-Z0-9_:]*, the rule for metric names.
bool IsValidMetricName(std::string_view name);
// Appends `value` with \\, \" and \n escaped, as inside a quoted label value.
void AppendEscapedLabelValue(std::string& out, std::string_view value);

enum class MatchOp { kEqual, kNotEqual, kRegexMatch, kRegexNoMatch };

// One label matcher of a selector (`job="node"`, `mode!~"idle|iowait"`). Regexes are RE2,
// anchored at both ends as in Prometheus. A missing label matches as the empty string.
class LabelMatcher {
 public:
  // Fails with the regex's error when `op` is a regex op and `value` does not compile.
  static Result<LabelMatcher> Make(std::string name, MatchOp op, std::string value);

  const std::string& name() const { return name_; }
  MatchOp op() const { return op_; }
  const std::string& value() const { return value_; }
  bool Matches(std::string_view label_value) const;
  bool Matches(const Labels& labels) const { return Matches(LabelValue(labels, name_)); }

 private:
  std::string name_;
  MatchOp op_ = MatchOp::kEqual;
  std::string value_;
  std::shared_ptr<const re2::RE2> regex_;  // shared: matchers are copied into plans
};

// `mode!~"idle|iowait"`, the matcher as written in a selector.
std::string FormatMatcher(const LabelMatcher& m);

struct Sample {
  int64_t t_ms = 0;  // Unix milliseconds
  double value = 0;
  friend bool operator==(const Sample&, const Sample&) = default;
};

struct SeriesSamples {
  Labels labels;
  std::vector<Sample> samples;  // oldest first
};

// Where samples go. Append is safe to call from several threads.
class SampleSink {
 public:
  virtual ~SampleSink() = default;
  // Samples older than the series' newest sample are dropped and counted, not an error.
  virtual void Append(const Labels& labels, Sample sample) = 0;
};

// What a reader needs of a selection, so that the store can skip work.
struct SelectHints {
  // Only each series' newest sample in the range is wanted (instant selectors): the store may
  // leave the older ones out.
  bool newest_only = false;
};

// Called once per selected series. `labels` and `samples` live only during the call.
using SeriesVisitor = std::function<void(const Labels& labels, std::span<const Sample> samples)>;

// How samples are read.
class SeriesQuerier {
 public:
  virtual ~SeriesQuerier() = default;
  // Every series matching all `matchers`, with its samples in [start_ms, end_ms], oldest
  // first, the series sorted by labels. Series without samples in the range are left out.
  virtual std::vector<SeriesSamples> Select(std::span<const LabelMatcher> matchers,
                                            int64_t start_ms, int64_t end_ms) const = 0;
  // The same selection without copying labels or samples and in no particular order: for
  // readers that reduce each series to a value (the rule evaluator). `visit` must not call
  // back into this querier (the store may hold a lock). This default goes through Select.
  virtual void Visit(std::span<const LabelMatcher> matchers, int64_t start_ms, int64_t end_ms,
                     const SelectHints& hints, const SeriesVisitor& visit) const;
};

}  // namespace failsafe::watch
