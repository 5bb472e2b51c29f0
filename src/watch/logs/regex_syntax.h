#pragma once
// From the regex a user or a fail2ban filter writes (Python `re` syntax with fail2ban's tags)
// to what the engines take:
//   - ExpandTags: <HOST> <ADDR> <IP4> <IP6> <DNS> <CIDR> <SUBNET> <F-ID/> <F-PORT/> and
//     <F-NAME>...</F-NAME> become fail2ban's own regexes and named groups (host parts are
//     the groups ip4, ip6 and dns; <F-USER> is the group `user`).
//   - ToEngineSyntax: Python-only spellings made portable ({,n}, \Z, (?#...)), and whether the
//     regex needs a backtracking engine (lookaround, conditionals, backreferences).
//   - WithoutStartAnchors: a superset of the regex (every ^ and \A dropped) for prefiltering a
//     whole line with a regex meant for part of it.
#include <string>
#include <vector>

#include "base/result.h"

namespace failsafe::watch::logs {

// Errors name the tag (<SKIPLINES> and multi-line tags are refused).
Result<std::string> ExpandTags(const std::string& regex);

struct EngineRegex {
  std::string pattern;
  bool needs_backtracking = false;  // RE2 cannot run it; PCRE2 does
};
Result<EngineRegex> ToEngineSyntax(const std::string& python_regex);

std::string WithoutStartAnchors(const std::string& regex);

// Literal byte strings at least one of which every match of `regex` (engine syntax) contains,
// each at least `min_length` long: runs outside classes, inside groups every match passes
// through, one per branch of an alternation. Empty when there is no such set (or the regex
// changes case sensitivity). A cheap Hyperscan prefilter for regexes confirmed anyway.
std::vector<std::string> RequiredLiterals(const std::string& regex, size_t min_length = 4);

// The literals as one Hyperscan/PCRE expression matching any of them exactly.
std::string EscapeLiterals(const std::vector<std::string>& literals);

// For a fail2ban prefregex "PREFIX<F-CONTENT>.+</F-CONTENT>$" (what the shipped filters use):
// PREFIX, so the content start is the end of PREFIX's match and no capture is needed.
// Empty when the prefregex has another shape.
std::string PrefixBeforeContent(const std::string& prefregex);

}  // namespace failsafe::watch::logs
