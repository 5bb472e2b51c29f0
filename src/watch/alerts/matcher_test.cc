#include "watch/alerts/matcher.h"

#include <gtest/gtest.h>

#include "base/json.h"
#include "watch/alerts/muting.h"
#include "watch/alerts/silences.h"

namespace failsafe::watch::alerts {
namespace {

TEST(Matcher, ParsesTheFourOperators) {
  Labels l = SortedLabels({{"service", "jira"}, {"severity", "P3"}});
  EXPECT_TRUE(Matcher::Parse(R"(service="jira")")->Matches(l));
  EXPECT_TRUE(Matcher::Parse("service=jira")->Matches(l));
  EXPECT_FALSE(Matcher::Parse(R"(service!="jira")")->Matches(l));
  EXPECT_TRUE(Matcher::Parse(R"(severity=~"P3|P4")")->Matches(l));
  EXPECT_FALSE(Matcher::Parse(R"(severity=~"P")")->Matches(l));  // anchored
  EXPECT_TRUE(Matcher::Parse(R"(severity!~"P1|P2")")->Matches(l));
  EXPECT_TRUE(Matcher::Parse(R"(missing="")")->Matches(l));
  EXPECT_EQ(Matcher::Parse(R"(a=~"x\"y")")->value(), "x\"y");
}

TEST(Matcher, BadInputIsRefusedWithTheField) {
  auto r = Matcher::Parse(R"(severity=~"(")", "matchers[2]");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field(), "matchers[2]");
  EXPECT_FALSE(Matcher::Parse("justtext"));
  EXPECT_FALSE(Matcher::Parse(R"(1x="a")"));
}

TEST(Silence, ValidatesLikeAlertmanager) {
  const int64_t now = 1'800'000'000'000;
  auto ok = SilenceFromJson(*json::Parse(R"({"matchers":[{"name":"service","value":"jira",
    "isRegex":false}],"startsAt":"2020-01-01T00:00:00Z","endsAt":"2030-01-01T00:00:00Z",
    "createdBy":"alice","comment":"upgrade"})"),
                            now);
  ASSERT_TRUE(ok) << ok.error().ToString();
  EXPECT_EQ(ok->starts_at, now);  // a start in the past means now
  EXPECT_EQ(ok->State(now), "active");
  EXPECT_TRUE(ok->Mutes({{"service", "jira"}}, now));
  EXPECT_FALSE(ok->Mutes({{"service", "erp"}}, now));

  auto everything = SilenceFromJson(*json::Parse(R"({"matchers":[{"name":"a","value":".*",
    "isRegex":true}],"startsAt":"2029-01-01T00:00:00Z","endsAt":"2030-01-01T00:00:00Z",
    "createdBy":"a","comment":"c"})"),
                                    now);
  ASSERT_FALSE(everything);
  EXPECT_EQ(everything.error().field(), "matchers");
  auto no_comment = SilenceFromJson(*json::Parse(R"({"matchers":[{"name":"a","value":"b",
    "isRegex":false}],"startsAt":"2029-01-01T00:00:00Z","endsAt":"2030-01-01T00:00:00Z",
    "createdBy":"a"})"),
                                    now);
  ASSERT_FALSE(no_comment);
  EXPECT_EQ(no_comment.error().field(), "comment");
  auto past = SilenceFromJson(*json::Parse(R"({"matchers":[{"name":"a","value":"b",
    "isRegex":false}],"startsAt":"2020-01-01T00:00:00Z","endsAt":"2021-01-01T00:00:00Z",
    "createdBy":"a","comment":"c"})"),
                              now);
  ASSERT_FALSE(past);
  EXPECT_EQ(past.error().field(), "endsAt");
  EXPECT_EQ(NewUuid().size(), 36u);
  EXPECT_NE(NewUuid(), NewUuid());
}

TEST(Inhibition, AP1OnAServiceMutesItsP3s) {
  std::vector<InhibitRule> rules(1);
  rules[0].source = *ParseMatchers({R"(severity="P1")"}, "s");
  rules[0].target = *ParseMatchers({R"(severity="P3")"}, "t");
  rules[0].equal = {"service"};
  LiveAlerts live;
  auto add = [&](Labels l) {
    Alert a;
    a.labels = SortedLabels(std::move(l));
    a.fingerprint = AlertFingerprint(a.labels);
    a.ends_at = 10'000;
    live.Upsert(a, 0);
    return a;
  };
  add({{"alertname", "Down"}, {"service", "jira"}, {"severity", "P1"}});
  Alert jira_p3 = add({{"alertname", "Slow"}, {"service", "jira"}, {"severity", "P3"}});
  Alert erp_p3 = add({{"alertname", "Slow"}, {"service", "erp"}, {"severity", "P3"}});
  Inhibitor inhibitor(rules, live, 0);
  EXPECT_EQ(inhibitor.InhibitedBy(jira_p3).size(), 1u);
  EXPECT_TRUE(inhibitor.InhibitedBy(erp_p3).empty());
}

}  // namespace
}  // namespace failsafe::watch::alerts
