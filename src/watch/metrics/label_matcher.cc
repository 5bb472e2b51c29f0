// LabelMatcher (series.h): equality and RE2 regex matchers, anchored like Prometheus.
#include <re2/re2.h>

#include "watch/metrics/series.h"

namespace failsafe::watch {

Result<LabelMatcher> LabelMatcher::Make(std::string name, MatchOp op, std::string value) {
  LabelMatcher m;
  if (op == MatchOp::kRegexMatch || op == MatchOp::kRegexNoMatch) {
    RE2::Options options;
    options.set_log_errors(false);
    // Prometheus anchors selector regexes at both ends (`mode=~"idle"` does not match
    // "idle_x") and lets `.` match a newline; FullMatch does the anchoring, so the pattern is
    // compiled as written and a stray `)` cannot escape the anchors.
    options.set_dot_nl(true);
    auto regex = std::make_shared<RE2>(value, options);
    if (!regex->ok()) {
      return Err(
          InvalidArgument("invalid regex for label \"" + name + "\": " + regex->error(), name));
    }
    m.regex_ = std::move(regex);
  }
  m.name_ = std::move(name);
  m.op_ = op;
  m.value_ = std::move(value);
  return m;
}

bool LabelMatcher::Matches(std::string_view label_value) const {
  switch (op_) {
    case MatchOp::kEqual: return label_value == value_;
    case MatchOp::kNotEqual: return label_value != value_;
    case MatchOp::kRegexMatch: return RE2::FullMatch(label_value, *regex_);
    case MatchOp::kRegexNoMatch: return !RE2::FullMatch(label_value, *regex_);
  }
  return false;
}

std::string FormatMatcher(const LabelMatcher& m) {
  static constexpr const char* kOps[] = {"=", "!=", "=~", "!~"};
  std::string out = m.name();
  out += kOps[static_cast<int>(m.op())];
  out += '"';
  AppendEscapedLabelValue(out, m.value());
  out += '"';
  return out;
}

}  // namespace failsafe::watch
