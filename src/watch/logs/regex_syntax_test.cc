#include "watch/logs/regex_syntax.h"

#include <gtest/gtest.h>

#include "watch/logs/pattern.h"

namespace failsafe::watch::logs {
namespace {

std::unique_ptr<Pattern> Compile(const std::string& python) {
  auto expanded = ExpandTags(python);
  EXPECT_TRUE(expanded) << expanded.error().ToString();
  auto engine = ToEngineSyntax(*expanded);
  EXPECT_TRUE(engine);
  auto p = Pattern::Compile(engine->pattern, engine->needs_backtracking);
  EXPECT_TRUE(p) << p.error().ToString();
  return std::move(*p);
}

std::string Group(const Pattern& p, const Groups& g, const std::string& name) {
  const int i = p.GroupIndex(name);
  return g.Took(i) ? std::string(g.spans[i]) : "<none>";
}

TEST(RegexSyntax, HostTagCapturesIp4Ip6AndDns) {
  auto p = Compile(R"(from <HOST> port)");
  Groups g;
  ASSERT_TRUE(p->Search("Failed password for root from 203.0.113.7 port 22", &g));
  EXPECT_EQ(Group(*p, g, "ip4"), "203.0.113.7");
  ASSERT_TRUE(p->Search("from 2001:db8::1 port 22", &g));
  EXPECT_EQ(Group(*p, g, "ip6"), "2001:db8::1");
  ASSERT_TRUE(p->Search("from bad.example.com port 22", &g));
  EXPECT_EQ(Group(*p, g, "dns"), "bad.example.com");
  EXPECT_FALSE(p->Search("from  port", &g));
}

TEST(RegexSyntax, FailTagsBecomeNamedGroups) {
  auto p = Compile(R"(user <F-USER>\S+</F-USER> id <F-ID/> <F-ALT_USER>\w+</F-ALT_USER>)");
  Groups g;
  ASSERT_TRUE(p->Search("user alice id 42 bob", &g));
  EXPECT_EQ(Group(*p, g, "user"), "alice");
  EXPECT_EQ(Group(*p, g, "fid"), "42");
  EXPECT_EQ(Group(*p, g, "alt_user"), "bob");
  // A closing tag that closes nothing stays literal, like fail2ban.
  EXPECT_EQ(*ExpandTags("a</F-X>"), "a</F-X>");
  EXPECT_FALSE(ExpandTags("a<SKIPLINES>b"));
}

TEST(RegexSyntax, PythonOnlySpellings) {
  auto e = ToEngineSyntax(R"(a{,3}\Z(?#note)[{,]\Z)");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->pattern, R"(a{0,3}\z[{,]\z)");
  EXPECT_FALSE(e->needs_backtracking);
  EXPECT_TRUE(ToEngineSyntax("(?!x)a")->needs_backtracking);
  EXPECT_TRUE(ToEngineSyntax("(?<=x)a")->needs_backtracking);
  EXPECT_TRUE(ToEngineSyntax("(?P<a>x)(?(a)y|z)")->needs_backtracking);
  EXPECT_TRUE(ToEngineSyntax(R"((a)\1)")->needs_backtracking);
  EXPECT_FALSE(ToEngineSyntax(R"([\1])")->needs_backtracking);
}

TEST(RegexSyntax, BacktrackingRegexesRunOnPcre2WithPythonMeaning) {
  auto p = Compile(R"(^Failed (?P<cond_inv>invalid user )?(?P<user>(?(cond_inv)\S+|[^:]+)) from)");
  EXPECT_TRUE(p->backtracking());
  Groups g;
  ASSERT_TRUE(p->Search("Failed invalid user bob from", &g));
  EXPECT_EQ(Group(*p, g, "user"), "bob");
  EXPECT_FALSE(p->Search("Failed x: from", &g));
}

TEST(RegexSyntax, WithoutStartAnchorsIsASuperset) {
  EXPECT_EQ(WithoutStartAnchors(R"(^a|\Ab[^^]c\^)"), R"(a|b[^^]c\^)");
}

TEST(RegexSyntax, RequiredLiteralsForCheapPrefiltering) {
  using V = std::vector<std::string>;
  EXPECT_EQ(RequiredLiterals(R"(^Failed (?:a|\S+) for (?P<u>invalid user )?x)"), V{"Failed "});
  EXPECT_EQ(RequiredLiterals(R"(^(?P<n>(Connection (?:closed|reset)|Disconnected)) by)"),
            (V{"Connection ", "Disconnected"}));
  EXPECT_EQ(RequiredLiterals(R"(abcdex?yz)"), V{"abcde"}) << "x? is optional";
  EXPECT_EQ(RequiredLiterals(R"(abc\.defg+h)"), V{"abc.defg"});
  // A counted quantifier's digits are not text (postfix.conf: "^[A-Z]{4} from ").
  EXPECT_EQ(RequiredLiterals(R"(^[A-Z]{4} from x{2,3}yz)"), V{" from x"});
  EXPECT_EQ(RequiredLiterals(R"(^[A-Z]{4} from [^[]*\[)"), V{" from "});
  EXPECT_EQ(RequiredLiterals(R"(\d+ x|longer)"), V{}) << "a branch without a literal";
  EXPECT_EQ(RequiredLiterals(R"((?i)Failed password)"), V{});
  EXPECT_EQ(RequiredLiterals(R"((?!abcdef)xyz)"), V{}) << "lookarounds require nothing";
  EXPECT_EQ(EscapeLiterals({"a.b", "c d"}), R"(a\x2eb|c d)");
}

TEST(RegexSyntax, PrefixBeforeContent) {
  EXPECT_EQ(PrefixBeforeContent("^<F-MLFID>x</F-MLFID>y<F-CONTENT>.+</F-CONTENT>$"),
            "^<F-MLFID>x</F-MLFID>y");
  EXPECT_EQ(PrefixBeforeContent("^x<F-CONTENT>\\S+</F-CONTENT>$"), "");
  EXPECT_EQ(PrefixBeforeContent("x<F-CONTENT>.+</F-CONTENT>$"), "") << "not anchored";
}

TEST(Pattern, CatastrophicBacktrackingFallsBackToRe2WithTheRightAnswer) {
  auto p = Pattern::Compile("(a+)+b", false);
  ASSERT_TRUE(p);
  const std::string line = std::string(40, 'a') + "X ab";
  Groups g;
  ASSERT_TRUE((*p)->Search(line, &g));  // PCRE2 gives up at the a-run; RE2 finds "ab"
  EXPECT_EQ(g.spans[0], "ab");
  EXPECT_EQ((*p)->limit_hits(), 1u);
  auto backtracking_only = Pattern::Compile("(?=x)?(a+)+b", true);
  ASSERT_TRUE(backtracking_only);
  EXPECT_FALSE((*backtracking_only)->Search(std::string(40, 'a') + "Xb", &g));
  EXPECT_EQ((*backtracking_only)->limit_hits(), 1u) << "counted, not silent";
  // RE2 is compiled when first needed; one it cannot take (over 1000 repeats) leaves the
  // regex to PCRE2 alone.
  auto too_big_for_re2 = Pattern::Compile("(a+)+b{1001}", false);
  ASSERT_TRUE(too_big_for_re2);
  EXPECT_TRUE((*too_big_for_re2)->Search("ab" + std::string(1001, 'b'), &g));
  EXPECT_FALSE((*too_big_for_re2)->Search(std::string(40, 'a') + "X" + std::string(1001, 'b'), &g));
  EXPECT_EQ((*too_big_for_re2)->limit_hits(), 1u);
}

TEST(RegexSyntax, InvalidRegexIsAnError) {
  auto p = Pattern::Compile("a(b", false);
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message().find("missing )"), std::string::npos) << p.error().message();
  EXPECT_FALSE(Pattern::Compile("(?<=a+)b", true));
}

}  // namespace
}  // namespace failsafe::watch::logs
