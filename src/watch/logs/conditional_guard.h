#pragma once
// Conditional guards: making a backtracking regex skip work it can prove is wasted.
//
// fail2ban's sshd "Failed ..." regex reads
//   ... (?P<user>(?P<cond_user>\S+)|...) from <HOST>... (?(cond_user): |...)
// On the usual line ("... port 22 ssh2", no ": "), PCRE2 first takes the cond_user branch,
// matches the host, the port and the ssh2 suffix, reaches the conditional, finds no ": " and
// backtracks through every way the host and port could have matched before trying the other
// branch: three quarters of the regex's time on such lines.
//
// A guard is a conditional (?(name)YES|NO) that every match passes through (it sits in the
// regex's top-level sequence, unquantified, with no top-level '|') whose YES branch needs one
// of a set of literals. On a text holding none of them, no match can have set group `name`
// (once set, a group stays set, and the conditional then demands YES). So the regex with that
// group's body replaced by (*FAIL) finds exactly the same match, with the same groups: only
// the paths that were bound to fail are gone, and PCRE2 tries the rest in the same order.
// This holds only when the group is not inside anything that commits to its first way of
// matching (atomic groups, lookarounds, possessive quantifiers, backtracking verbs) and the
// regex does not call groups as subroutines: FindConditionalGuards refuses those regexes.
#include <string>
#include <string_view>
#include <vector>

namespace failsafe::watch::logs {

struct ConditionalGuard {
  std::string group;      // the named group the conditional tests
  size_t body_begin = 0;  // that group's body in the regex: [body_begin, body_end)
  size_t body_end = 0;
  std::vector<std::string> literals;  // YES needs one of these
};

// The guards of `regex` (engine syntax, regex_syntax.h), in the order the groups appear.
// Empty for regexes with constructs the argument above does not cover.
std::vector<ConditionalGuard> FindConditionalGuards(const std::string& regex);

// `regex` with the bodies of the guarded groups replaced by (*FAIL). `guards` must come from
// FindConditionalGuards(regex) and keep its order.
std::string WithGroupsFailed(const std::string& regex, const std::vector<ConditionalGuard>& guards);

// Whether `text` holds none of the guard's literals (so the guarded group may be failed).
bool GuardHolds(const ConditionalGuard& guard, std::string_view text);

}  // namespace failsafe::watch::logs
