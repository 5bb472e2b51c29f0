// Policy files: what is accepted, and that every mistake names its line, column and field.
#include "backup/service/policy.h"

#include <gtest/gtest.h>

#include "backup/service/alerts.h"
#include "backup/service/due.h"
#include "backup/service/policy_json.h"
#include "backup/service/status.h"

namespace failsafe::backup::service {
namespace {

constexpr const char* kGood = R"(name: erp-db
service: erp
schedule: "0 2 * * *"
full_schedule: "0 3 * * sun"
drill_schedule: "0 4 1 * *"
time_zone: Asia/Shanghai
sources:
  - kind: paths
    paths: [/srv/erp]
    excludes: ["*.tmp"]
  - kind: command
    command: [pg_dump, -Fc, erp]
  - kind: sqlite
    path: /var/lib/erp/cache.db
  - kind: store
retention: {keep_daily: 7, keep_weekly: 4}
destinations:
  - url: /backup/erp
    media: disk
    password: s3cret
  - url: s3://10.0.0.5:9000/backups/erp
    media: object-storage
    offsite: true
    password: other
    s3_access_key_id: AK
    s3_secret_access_key: SK
)";

TEST(PolicyParse, ReadsEveryField) {
  auto p = ParsePolicy(kGood);
  ASSERT_TRUE(p) << p.error().ToString();
  EXPECT_EQ(p->name, "erp-db");
  EXPECT_EQ(p->time_zone, "Asia/Shanghai");
  ASSERT_EQ(p->sources.size(), 4u);
  EXPECT_EQ(p->sources[0].excludes, std::vector<std::string>{"*.tmp"});
  EXPECT_EQ(p->sources[1].filename, "pg_dump.out");
  EXPECT_EQ(p->sources[3].kind, "store");
  EXPECT_EQ(p->retention.daily, 7);
  EXPECT_EQ(p->retention.weekly, 4);
  ASSERT_EQ(p->destinations.size(), 2u);
  EXPECT_TRUE(p->destinations[1].offsite);
  EXPECT_EQ(p->destinations[1].secrets.s3_secret_access_key, "SK");
  EXPECT_TRUE(p->enabled);
}

TEST(PolicyParse, SpecJsonReadsBackTheSamePolicyWithoutSecrets) {
  auto p = ParsePolicy(kGood);
  ASSERT_TRUE(p);
  const std::string json = boost::json::serialize(SpecJson(*p));
  EXPECT_EQ(json.find("s3cret"), std::string::npos);
  EXPECT_EQ(json.find("SK"), std::string::npos);
  auto again = ParsePolicy(json, "stored");
  ASSERT_TRUE(again) << again.error().ToString();
  EXPECT_EQ(boost::json::serialize(SpecJson(*again)), json);
  EXPECT_TRUE(again->destinations[0].secrets.empty());
  // The secrets travel separately and come back by URL.
  ASSERT_TRUE(ApplySecretsJson(SecretsJson(*p), *again).ok());
  EXPECT_EQ(again->destinations[0].secrets.password, "s3cret");
  EXPECT_EQ(again->destinations[1].secrets.s3_access_key_id, "AK");
  // The API view says which secrets are set, never what they are.
  const std::string api = boost::json::serialize(ApiJson(*again));
  EXPECT_EQ(api.find("s3cret"), std::string::npos);
  EXPECT_NE(api.find("\"secrets_set\""), std::string::npos);
}

struct BadCase {
  const char* text;
  const char* field;
  const char* message_part;
};

TEST(PolicyParse, ErrorsNameLineColumnAndField) {
  const BadCase cases[] = {
      {"name: a\nservice: s\nschedule: '61 * * * *'\nsources: [{kind: store}]\n"
       "retention: {keep_last: 1}\ndestinations: [{url: /b, media: disk}]\n",
       "schedule", ":3:"},
      {"name: a\nservice: s\nschedule: '@daily'\nsources: [{kind: tape}]\n"
       "retention: {keep_last: 1}\ndestinations: [{url: /b, media: disk}]\n",
       "sources[0].kind", "paths, command"},
      {"name: a\nservice: s\nschedule: '@daily'\nsources: [{kind: store}]\n"
       "retention: {}\ndestinations: [{url: /b, media: disk}]\n",
       "retention", "keeps nothing"},
      {"name: a\nservice: s\nschedule: '@daily'\nsources: [{kind: store}]\n"
       "retention: {keep_last: 1}\ndestinations: [{url: /b, media: floppy}]\n",
       "destinations[0].media", "floppy"},
      {"name: a\nservice: s\nschedule: '@daily'\nsources: [{kind: store}]\n"
       "retention: {keep_last: 1}\ndestinations: [{url: /b, media: disk, colour: red}]\n",
       "destinations[0].colour", "unknown"},
      {"name: A B\nservice: s\nschedule: '@daily'\nsources: [{kind: store}]\n"
       "retention: {keep_last: 1}\ndestinations: [{url: /b, media: disk}]\n",
       "name", "a-z"},
      {"name: a\nservice: s\nschedule: '@daily'\nsources: [{kind: paths, paths: [rel]}]\n"
       "retention: {keep_last: 1}\ndestinations: [{url: /b, media: disk}]\n",
       "sources[0].paths", "absolute"},
      {"name: a\nservice: s\nschedule: '@daily'\ntime_zone: Mars/Olympus\n"
       "sources: [{kind: store}]\nretention: {keep_last: 1}\n"
       "destinations: [{url: /b, media: disk}]\n",
       "time_zone", "Mars/Olympus"},
  };
  for (const auto& c : cases) {
    auto p = ParsePolicy(c.text, "p.yaml");
    ASSERT_FALSE(p) << c.text;
    EXPECT_EQ(p.error().field(), c.field) << p.error().ToString();
    EXPECT_NE(p.error().message().find(c.message_part), std::string::npos) << p.error().ToString();
    EXPECT_EQ(p.error().message().rfind("p.yaml:", 0), 0u) << p.error().ToString();
  }
}

TEST(PolicyParse, BrokenYamlIsAnErrorWithPosition) {
  auto p = ParsePolicy("name: [unclosed\n", "p.yaml");
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message().find("p.yaml:"), std::string::npos);
  EXPECT_FALSE(ParsePolicy("- just\n- a list\n"));
  EXPECT_FALSE(ParsePolicy(""));
}

TEST(Due, NothingBeforeTheFirstTime) {
  auto cron = CronSchedule::Parse("0 * * * *");
  ASSERT_TRUE(cron);
  const int64_t base = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
  EXPECT_FALSE(CheckDue(*cron, std::nullopt, base, base + 59 * 60'000, 120'000).due);
  DueCheck on_time = CheckDue(*cron, std::nullopt, base, base + 3600'000 + 5'000, 120'000);
  EXPECT_TRUE(on_time.due);
  EXPECT_FALSE(on_time.missed);
  EXPECT_EQ(on_time.due_at, base + 3600'000);
}

TEST(Due, TimesPassedWhileDownAreMissed) {
  auto cron = CronSchedule::Parse("0 * * * *");
  ASSERT_TRUE(cron);
  const int64_t base = 1'767'225'600'000;
  // Down from 00:30 to 03:10: 01:00, 02:00 and 03:00 passed; 03:00 is 10 min late.
  DueCheck d = CheckDue(*cron, base, base, base + 3 * 3600'000 + 600'000, 120'000);
  EXPECT_TRUE(d.due);
  EXPECT_TRUE(d.missed);
  EXPECT_EQ(d.missed_count, 3);
  EXPECT_EQ(d.first_missed, base + 3600'000);
  EXPECT_EQ(d.due_at, base + 3 * 3600'000);
}

TEST(Alerts, SeverityFollowsTierAndFiresOnlyForBadRuns) {
  auto p = ParsePolicy(kGood);
  ASSERT_TRUE(p);
  RunRecord ok, failed;
  ok.destination = "/backup/erp";
  ok.status = kRunOk;
  failed.destination = "s3://10.0.0.5:9000/backups/erp";
  failed.status = kRunFailed;
  failed.errors = "connection refused";
  auto alerts = PolicyAlerts(*p, "critical", {ok, failed}, std::nullopt);
  int firing = 0;
  for (const auto& a : alerts) {
    if (!a.firing) continue;
    ++firing;
    EXPECT_EQ(a.labels[0].first, "alertname");
    EXPECT_EQ(a.labels[0].second, "BackupFailed");
    bool p1 = false, dest = false;
    for (const auto& [n, v] : a.labels) {
      p1 |= n == "severity" && v == "P1";
      dest |= n == "destination" && v == failed.destination;
    }
    EXPECT_TRUE(p1);
    EXPECT_TRUE(dest);
  }
  EXPECT_EQ(firing, 1);
  EXPECT_EQ(SeverityForTier("low"), "P4");
  EXPECT_EQ(SeverityForTier("high"), "P2");
}

TEST(ThreeTwoOneReport, CountsOnlyRecentCopiesAndNamesWhatIsMissing) {
  ThreeTwoOne t = AssessThreeTwoOne({{"/a", "disk", false, true},
                                     {"/b", "disk", false, true},
                                     {"s3://x/y", "object-storage", true, false}});
  EXPECT_EQ(t.copies, 2);
  EXPECT_EQ(t.media_kinds, 1);
  EXPECT_EQ(t.offsite, 0);
  EXPECT_EQ(t.missing.size(), 3u);
  ThreeTwoOne full = AssessThreeTwoOne({{"/a", "disk", false, true},
                                        {"/b", "nas", false, true},
                                        {"s3://x/y", "object-storage", true, true}});
  EXPECT_TRUE(full.ok());
  EXPECT_EQ(full.media_kinds, 3);
}

}  // namespace
}  // namespace failsafe::backup::service
