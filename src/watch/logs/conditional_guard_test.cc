#include "watch/logs/conditional_guard.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "watch/logs/fail2ban_filter.h"
#include "watch/logs/pattern.h"
#include "watch/logs/regex_syntax.h"

namespace failsafe::watch::logs {
namespace {

std::string Engine(const std::string& python) {
  auto expanded = ExpandTags(python);
  EXPECT_TRUE(expanded) << expanded.error().ToString();
  return ToEngineSyntax(*expanded)->pattern;
}

// Every group of both patterns' answers, for comparing them.
std::string Answer(const Pattern& p, std::string_view text) {
  Groups g;
  if (!p.Search(text, &g)) return "no match";
  std::string out = "match";
  for (const auto& name : p.GroupNames()) {
    const int i = p.GroupIndex(name);
    out += " " + name + "=" + (g.Took(i) ? std::string(g.spans[i]) : "<unset>");
  }
  out += " whole=" + std::string(g.spans[0]);
  return out;
}

// The guarded and the plain pattern give the same answer on every line.
void ExpectSameAnswers(const std::string& regex, const std::vector<std::string>& lines,
                       bool has_guard = true) {
  auto guarded = Pattern::Compile(regex, true, true);
  auto plain = Pattern::Compile(regex, true, false);
  ASSERT_TRUE(guarded && plain) << regex;
  EXPECT_EQ((*guarded)->guards() > 0, has_guard) << regex;
  for (const auto& line : lines) {
    EXPECT_EQ(Answer(**guarded, line), Answer(**plain, line)) << regex << "\non: " << line;
  }
}

TEST(ConditionalGuard, FindsTheSshdFailedGuard) {
  const std::string re =
      Engine(R"(^Failed \S+ for (?P<cond_inv>invalid user )?<F-USER>(?P<cond_user>\S+)|)"
             R"((?(cond_inv)(?:(?! from ).)*?|[^:]+)</F-USER> from <HOST>(?: ssh\d*)?)"
             R"((?(cond_user): |(?:(?:(?! from ).)*)$))");
  auto guards = FindConditionalGuards(re);
  ASSERT_EQ(guards.size(), 1u);
  EXPECT_EQ(guards[0].group, "cond_user");
  EXPECT_EQ(guards[0].literals, std::vector<std::string>{": "});
  EXPECT_EQ(re.substr(guards[0].body_begin, guards[0].body_end - guards[0].body_begin), R"(\S+)");
  EXPECT_NE(WithGroupsFailed(re, guards).find("(?P<cond_user>(*FAIL))"), std::string::npos);
  // cond_inv's conditional sits inside the user group: not every match passes through it.
  EXPECT_TRUE(GuardHolds(guards[0], "Failed password for root from 192.0.2.1 port 22 ssh2"));
  EXPECT_FALSE(GuardHolds(guards[0], "Failed password for root from 192.0.2.1: x"));
}

TEST(ConditionalGuard, RefusesWhatTheArgumentDoesNotCover) {
  // The conditional may be skipped: optional, inside a group, or in one top-level branch.
  EXPECT_TRUE(FindConditionalGuards("(?P<g>a)?b(?(g)X|Y)?").empty());
  EXPECT_TRUE(FindConditionalGuards("(?P<g>a)?b(?:(?(g)X|Y))").empty());
  EXPECT_TRUE(FindConditionalGuards("(?P<g>a)?b(?(g)X|Y)|c").empty());
  // The group commits to its first way of matching, or is called as a subroutine.
  EXPECT_TRUE(FindConditionalGuards("(?>(?P<g>a)|a)(?(g)X|)").empty());
  EXPECT_TRUE(FindConditionalGuards("(?:(?P<g>a)|a)++(?(g)X|)").empty());
  EXPECT_TRUE(FindConditionalGuards("(?=(?P<g>a))a(?(g)X|)").empty());
  EXPECT_TRUE(FindConditionalGuards("(?P<g>a)?(?&g)(?(g)X|)").empty());
  EXPECT_TRUE(FindConditionalGuards(R"((?P<g>a)?\g<g>(?(g)X|))").empty());
  EXPECT_TRUE(FindConditionalGuards("(?P<g>a)?(*COMMIT)(?(g)X|)").empty());
  EXPECT_TRUE(FindConditionalGuards("(?i)(?P<g>a)?(?(g)X|)").empty());
  // The group comes after the conditional; YES needs no literal; numbered condition.
  EXPECT_TRUE(FindConditionalGuards("(?(g)X|Y)(?P<g>a)").empty());
  EXPECT_TRUE(FindConditionalGuards(R"((?P<g>a)?(?(g)\d|Y))").empty());
  EXPECT_TRUE(FindConditionalGuards("(a)?(?(1)X|Y)").empty());
  // The plain case, in each condition spelling.
  EXPECT_EQ(FindConditionalGuards("(?P<g>a)?b(?(g)XY|Z)").size(), 1u);
  EXPECT_EQ(FindConditionalGuards("(?<g>a)?b(?(<g>)XY|Z)").size(), 1u);
  EXPECT_EQ(FindConditionalGuards("(?'g'a)?b(?('g')XY)").size(), 1u);
}

TEST(ConditionalGuard, SameAnswersOnHandWrittenCases) {
  // With 'X' absent the g path always fails: the guarded form must find the same match.
  const std::vector<std::string> lines = {"ab", "abX", "aab", "b", "aXb", "abY", "", "aaaa"};
  ExpectSameAnswers("(?P<g>a)?b(?(g)X|)", lines);
  ExpectSameAnswers("(?:(?P<g>a+)|(?P<h>a))b(?(g)X|Y?)", lines);
  ExpectSameAnswers("^(?P<u>(?P<g>a)|a*)b(?(g)X|(?:(?!X).)*$)", lines);
}

TEST(ConditionalGuard, SameAnswersAsTheUnguardedSshdFilter) {
  const std::string sshd = std::string(FAIL2BAN_FILTER_DIR) + "/sshd.conf";
  if (!std::filesystem::exists(sshd)) GTEST_SKIP() << "fail2ban is not installed";
  auto filter = ReadFail2banFilter(sshd);
  ASSERT_TRUE(filter) << filter.error().ToString();
  // Shapes around the conditional: with and without ": ", invalid users, odd user names,
  // IPv6, host names, ports, suffixes, " from " inside the user name.
  const std::vector<std::string> lines = {
      "Failed password for root from 192.0.2.1 port 22 ssh2",
      "Failed password for invalid user admin from 192.0.2.1 port 2222 ssh2",
      "Failed password for invalid user admin from 2001:db8::1 port 2222 ssh2",
      "Failed publickey for root from 192.0.2.1 port 22 ssh2: RSA SHA256:abc",
      "Failed publickey for invalid user git from 192.0.2.1 port 22 ssh2: ED25519 SHA256:x",
      "Failed password for invalid user from 192.0.2.1 port 22 ssh2",
      "Failed password for invalid user a from b from 192.0.2.1 port 22 ssh2",
      "Failed password for a from b from 192.0.2.1 port 22 ssh2",
      "Failed password for root from host.example.com port 22 ssh2",
      "Failed password for root from 192.0.2.1 on eth0 port 22",
      "Failed password for root from 192.0.2.1",
      "Failed none for invalid user  from 192.0.2.1 port 22 ssh2",
      "Failed keyboard-interactive/pam for root from 192.0.2.1 port 22 ssh2 [preauth]",
      "Failed password for root from 192.0.2.1 port 22 ssh2 x: y",
      "Failed password for user:x from 192.0.2.1 port 22 ssh2",
      "Failed password for invalid user user:x from 192.0.2.1 port 22 ssh2",
      "Failed password for root from [::ffff:192.0.2.1] port 22 ssh2",
      "Failed password for root from 192.0.2.1 port 22 ssh2 from 198.51.100.1",
      "Accepted password for root from 192.0.2.1 port 22 ssh2",
  };
  size_t guarded = 0;
  for (const auto& failregex : filter->failregex) {
    const std::string re = Engine(failregex);
    const size_t guards = FindConditionalGuards(re).size();
    guarded += guards;
    ExpectSameAnswers(re, lines, guards > 0);
  }
  EXPECT_GE(guarded, 1u);  // the "Failed ..." regexes
}

}  // namespace
}  // namespace failsafe::watch::logs
