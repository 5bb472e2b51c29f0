#pragma once
// Label matchers as Alertmanager has them (silences, inhibition rules, routes, API filters):
// name, value, isRegex, isEqual. Regexes are RE2, anchored at both ends; a missing label
// matches as the empty string. Copies share the compiled regex; thread-safe once made.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "watch/alerts/alert.h"

namespace re2 {
class RE2;
}

namespace failsafe::watch::alerts {

class Matcher {
 public:
  // kInvalidArgument (field: `field`) for an invalid label name or a regex that does not
  // compile.
  static Result<Matcher> Make(std::string name, std::string value, bool is_regex, bool is_equal,
                              const std::string& field = "matchers");
  // Parses `name="value"`, `name!=value`, `name=~"re"`, `name!~"re"` (the value quoted or
  // bare), the form amtool's filters and the routing file use. Errors name `field`.
  static Result<Matcher> Parse(std::string_view text, const std::string& field = "matcher");

  const std::string& name() const { return name_; }
  const std::string& value() const { return value_; }
  bool is_regex() const { return is_regex_; }
  bool is_equal() const { return is_equal_; }
  bool Matches(const Labels& labels) const;
  // `name="value"` text (the operator and the value quoted).
  std::string ToString() const;

 private:
  std::string name_, value_;
  bool is_regex_ = false;
  bool is_equal_ = true;
  std::shared_ptr<const re2::RE2> regex_;
};

using Matchers = std::vector<Matcher>;

// True when every matcher matches (an empty list matches everything).
bool MatchesAll(const Matchers& matchers, const Labels& labels);
// Parses a list of matcher strings; errors name `field[i]`.
Result<Matchers> ParseMatchers(const std::vector<std::string>& texts, const std::string& field);

}  // namespace failsafe::watch::alerts
