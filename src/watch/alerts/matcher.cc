#include "watch/alerts/matcher.h"

#include <re2/re2.h>

namespace failsafe::watch::alerts {

Result<Matcher> Matcher::Make(std::string name, std::string value, bool is_regex, bool is_equal,
                              const std::string& field) {
  if (!ValidLabelName(name)) {
    return Err(
        InvalidArgument("invalid label name '" + name.substr(0, 64) + "' in a matcher", field));
  }
  Matcher m;
  m.name_ = std::move(name);
  m.value_ = std::move(value);
  m.is_regex_ = is_regex;
  m.is_equal_ = is_equal;
  if (is_regex) {
    RE2::Options options;
    options.set_log_errors(false);
    options.set_max_mem(8 << 20);
    auto re = std::make_shared<const RE2>("^(?:" + m.value_ + ")$", options);
    if (!re->ok()) {
      return Err(
          InvalidArgument("invalid regex for label '" + m.name_ + "': " + re->error(), field));
    }
    m.regex_ = std::move(re);
  }
  return m;
}

Result<Matcher> Matcher::Parse(std::string_view text, const std::string& field) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  text = trim(text);
  size_t op = text.find_first_of("=!");
  if (op == std::string_view::npos || op == 0) {
    return Err(InvalidArgument("matcher '" + std::string(text.substr(0, 64)) +
                                   "' must look like name=\"value\" (or !=, =~, !~)",
                               field));
  }
  std::string_view name = trim(text.substr(0, op));
  bool is_equal = true, is_regex = false;
  size_t value_at = 0;
  if (text.substr(op, 2) == "=~") {
    is_regex = true, value_at = op + 2;
  } else if (text.substr(op, 2) == "!~") {
    is_regex = true, is_equal = false, value_at = op + 2;
  } else if (text.substr(op, 2) == "!=") {
    is_equal = false, value_at = op + 2;
  } else if (text[op] == '=') {
    value_at = op + 1;
  } else {
    return Err(InvalidArgument("matcher '" + std::string(text.substr(0, 64)) +
                                   "' has an unknown operator (use =, !=, =~ or !~)",
                               field));
  }
  std::string_view raw = trim(text.substr(value_at));
  std::string value;
  if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"') {
    raw = raw.substr(1, raw.size() - 2);
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\\' && i + 1 < raw.size()) {
        ++i;
        value += raw[i] == 'n' ? '\n' : raw[i];
      } else {
        value += raw[i];
      }
    }
  } else {
    value = std::string(raw);
  }
  return Make(std::string(name), std::move(value), is_regex, is_equal, field);
}

bool Matcher::Matches(const Labels& labels) const {
  const std::string_view v = LabelValue(labels, name_);
  bool hit = regex_ ? RE2::FullMatch(re2::StringPiece(v.data(), v.size()), *regex_) : v == value_;
  return hit == is_equal_;
}

std::string Matcher::ToString() const {
  std::string op = is_regex_ ? (is_equal_ ? "=~" : "!~") : (is_equal_ ? "=" : "!=");
  std::string quoted;
  for (char c : value_) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return name_ + op + "\"" + quoted + "\"";
}

bool MatchesAll(const Matchers& matchers, const Labels& labels) {
  for (const auto& m : matchers) {
    if (!m.Matches(labels)) return false;
  }
  return true;
}

Result<Matchers> ParseMatchers(const std::vector<std::string>& texts, const std::string& field) {
  Matchers out;
  for (size_t i = 0; i < texts.size(); ++i) {
    FS_ASSIGN_OR_RETURN(auto m, Matcher::Parse(texts[i], field + "[" + std::to_string(i) + "]"));
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace failsafe::watch::alerts
