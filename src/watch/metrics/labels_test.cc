#include <gtest/gtest.h>

#include "watch/metrics/series.h"

namespace failsafe::watch {
namespace {

Labels L(std::vector<Label> in) {
  auto r = MakeLabels(std::move(in));
  EXPECT_TRUE(r.has_value()) << r.error().ToString();
  return r.value_or(Labels{});
}

TEST(MakeLabels, SortsAndDropsEmptyValues) {
  Labels l = L({{"job", "node"}, {"__name__", "up"}, {"env", ""}, {"instance", "a:1"}});
  ASSERT_EQ(l.size(), 3u);
  EXPECT_EQ(l[0].name, "__name__");
  EXPECT_EQ(l[1].name, "instance");
  EXPECT_EQ(l[2].name, "job");
}

TEST(MakeLabels, RejectsDuplicateAndInvalidNamesNamingTheLabel) {
  auto dup = MakeLabels({{"job", "a"}, {"job", "b"}});
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().field(), "job");
  EXPECT_NE(dup.error().message().find("duplicate"), std::string::npos);

  auto bad = MakeLabels({{"1abc", "x"}});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().field(), "1abc");
  EXPECT_FALSE(MakeLabels({{"a-b", "x"}}).has_value());
  EXPECT_FALSE(MakeLabels({{"", "x"}}).has_value());
  // A duplicate whose second value is empty is just an absent label.
  EXPECT_TRUE(MakeLabels({{"job", "a"}, {"job", ""}}).has_value());
}

TEST(LabelNames, ValidityRules) {
  EXPECT_TRUE(IsValidLabelName("_x9"));
  EXPECT_FALSE(IsValidLabelName("a:b"));
  EXPECT_TRUE(IsValidMetricName("job:http_requests:rate5m"));
  EXPECT_FALSE(IsValidMetricName("9lives"));
  EXPECT_FALSE(IsValidMetricName(""));
}

TEST(LabelValue, MissingIsEmpty) {
  Labels l = L({{"job", "node"}});
  EXPECT_EQ(LabelValue(l, "job"), "node");
  EXPECT_EQ(LabelValue(l, "instance"), "");
}

TEST(Fingerprint, StableAndSeparatesNameFromValue) {
  Labels a = L({{"__name__", "up"}, {"job", "node"}});
  Labels b = L({{"job", "node"}, {"__name__", "up"}});
  EXPECT_EQ(Fingerprint(a), Fingerprint(b));
  EXPECT_NE(Fingerprint(L({{"a", "bc"}})), Fingerprint(L({{"ab", "c"}})));
  EXPECT_NE(Fingerprint(L({{"a", "b"}, {"c", "d"}})), Fingerprint(L({{"a", "bc"}, {"d", "x"}})));
  // Pinned: fingerprints leave the process (alert payloads), so they must not change.
  EXPECT_EQ(Fingerprint(Labels{}), 14695981039346656037ull);
  EXPECT_EQ(Fingerprint(a), Fingerprint(L({{"__name__", "up"}, {"job", "node"}})));
}

TEST(FormatLabels, PrometheusStyle) {
  EXPECT_EQ(FormatLabels(L({{"__name__", "up"}, {"job", "node"}})), "up{job=\"node\"}");
  EXPECT_EQ(FormatLabels(L({{"__name__", "up"}})), "up");
  EXPECT_EQ(FormatLabels(L({{"b", "x\"y"}, {"a", "1\\\n"}})), "{a=\"1\\\\\\n\", b=\"x\\\"y\"}");
  EXPECT_EQ(FormatLabels(Labels{}), "{}");
}

LabelMatcher M(std::string name, MatchOp op, std::string value) {
  auto m = LabelMatcher::Make(std::move(name), op, std::move(value));
  EXPECT_TRUE(m.has_value()) << m.error().ToString();
  return *m;
}

TEST(LabelMatcher, EqualityOps) {
  EXPECT_TRUE(M("job", MatchOp::kEqual, "node").Matches("node"));
  EXPECT_FALSE(M("job", MatchOp::kEqual, "node").Matches("node2"));
  EXPECT_TRUE(M("job", MatchOp::kNotEqual, "node").Matches("x"));
  EXPECT_FALSE(M("job", MatchOp::kNotEqual, "node").Matches("node"));
}

TEST(LabelMatcher, RegexIsFullyAnchored) {
  LabelMatcher m = M("mode", MatchOp::kRegexMatch, "idle|iowait");
  EXPECT_TRUE(m.Matches("idle"));
  EXPECT_TRUE(m.Matches("iowait"));
  EXPECT_FALSE(m.Matches("idle_x"));
  EXPECT_FALSE(m.Matches("xiowait"));
  LabelMatcher n = M("mode", MatchOp::kRegexNoMatch, "idle|iowait");
  EXPECT_FALSE(n.Matches("idle"));
  EXPECT_TRUE(n.Matches("user"));
  EXPECT_TRUE(M("x", MatchOp::kRegexMatch, "a.b").Matches("a\nb"));
}

TEST(LabelMatcher, MissingLabelMatchesAsEmpty) {
  Labels l = L({{"job", "node"}});
  EXPECT_TRUE(M("env", MatchOp::kEqual, "").Matches(l));
  EXPECT_FALSE(M("env", MatchOp::kNotEqual, "").Matches(l));
  EXPECT_TRUE(M("env", MatchOp::kRegexMatch, "prod|").Matches(l));
  EXPECT_TRUE(M("env", MatchOp::kNotEqual, "prod").Matches(l));
}

TEST(LabelMatcher, BadRegexIsRefusedWithTheLabel) {
  auto m = LabelMatcher::Make("job", MatchOp::kRegexMatch, "a(b");
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.error().field(), "job");
  EXPECT_NE(m.error().message().find("missing )"), std::string::npos) << m.error().message();
  // Cannot break out of the anchors with an unbalanced parenthesis.
  EXPECT_FALSE(LabelMatcher::Make("job", MatchOp::kRegexMatch, "a)|(b").has_value());
}

TEST(FormatMatcher, AsWritten) {
  EXPECT_EQ(FormatMatcher(M("mode", MatchOp::kRegexNoMatch, "idle|\"x\"")),
            "mode!~\"idle|\\\"x\\\"\"");
}

}  // namespace
}  // namespace failsafe::watch
