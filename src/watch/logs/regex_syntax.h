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

}  // namespace failsafe::watch::logs
