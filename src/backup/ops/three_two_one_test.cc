#include "backup/ops/three_two_one.h"

#include <gtest/gtest.h>

namespace failsafe::backup {
namespace {

constexpr int64_t kHourNs = 3'600'000'000'000;
constexpr int64_t kNow = 1'000'000 * kHourNs;

RepoFacts Repo(std::string location, MediaKind media, bool offsite,
               std::vector<SnapshotFact> snapshots) {
  RepoFacts r;
  r.location = std::move(location);
  r.media = media;
  r.offsite = offsite;
  r.snapshots = std::move(snapshots);
  return r;
}

SnapshotFact Erp(int64_t hours_ago) {
  return {"erp-01", {"/srv/erp"}, kNow - hours_ago * kHourNs};
}

TEST(ThreeTwoOne, MetWithLocalAndOffsiteObjectStorage) {
  auto report =
      Evaluate321({Repo("/backup/erp", MediaKind::kLocalDisk, false, {Erp(2)}),
                   Repo("s3://s3.example:9000/b/erp", MediaKind::kObjectStorage, true, {Erp(3)})},
                  Rule321{}, kNow);
  ASSERT_EQ(report.sources.size(), 1u);
  const SourceReport& s = report.sources[0];
  EXPECT_EQ(s.host, "erp-01");
  EXPECT_EQ(s.copies, 3);  // the original and two backups
  EXPECT_EQ(s.media_kinds, 2);
  EXPECT_EQ(s.offsite, 1);
  EXPECT_EQ(s.newest_ns, kNow - 2 * kHourNs);
  EXPECT_TRUE(s.missing.empty()) << s.missing[0];
  EXPECT_TRUE(report.ok());
}

TEST(ThreeTwoOne, NamesEachShortfall) {
  auto report =
      Evaluate321({Repo("/backup/erp", MediaKind::kLocalDisk, false, {Erp(1)})}, Rule321{}, kNow);
  ASSERT_EQ(report.sources.size(), 1u);
  const auto& missing = report.sources[0].missing;
  ASSERT_EQ(missing.size(), 3u);
  EXPECT_EQ(missing[0], "1 more copy needed (2 copies counting the original, the rule asks 3)");
  EXPECT_EQ(missing[1], "1 more kind of media needed (copies are on local disk)");
  EXPECT_EQ(missing[2], "1 more offsite copy needed");
  EXPECT_FALSE(report.ok());
}

TEST(ThreeTwoOne, OldCopiesDoNotCount) {
  auto report =
      Evaluate321({Repo("/backup/erp", MediaKind::kLocalDisk, false, {Erp(1)}),
                   Repo("sftp://b@vault/erp", MediaKind::kRemoteServer, true, {Erp(24 * 30)})},
                  Rule321{}, kNow);
  const SourceReport& s = report.sources[0];
  EXPECT_EQ(s.copies, 2);
  EXPECT_EQ(s.offsite, 0);
  EXPECT_EQ(s.stale, std::vector<std::string>{"sftp://b@vault/erp"});
  EXPECT_FALSE(s.ok());
}

TEST(ThreeTwoOne, SourcesAreHostAndPathsInAnyOrder) {
  SnapshotFact a{"h", {"/b", "/a"}, kNow};
  SnapshotFact b{"h", {"/a", "/b"}, kNow};
  SnapshotFact other{"h2", {"/a", "/b"}, kNow};
  Rule321 rule;
  rule.count_original = false;
  rule.copies = 2;
  rule.media = 1;
  rule.offsite = 0;
  auto report = Evaluate321({Repo("r1", MediaKind::kLocalDisk, false, {a, other}),
                             Repo("r2", MediaKind::kLocalDisk, false, {b})},
                            rule, kNow);
  ASSERT_EQ(report.sources.size(), 2u);
  EXPECT_EQ(report.sources[0].host, "h");
  EXPECT_EQ(report.sources[0].copies, 2);
  EXPECT_TRUE(report.sources[0].ok());
  EXPECT_EQ(report.sources[1].host, "h2");
  EXPECT_EQ(report.sources[1].copies, 1);
  EXPECT_FALSE(report.sources[1].ok());
}

TEST(ThreeTwoOne, AnUnreadableRepositoryIsNamedAndFailsTheReport) {
  RepoFacts broken = Repo("s3://x/b", MediaKind::kObjectStorage, true, {Erp(1)});
  broken.error = "wrong password";
  auto report = Evaluate321({Repo("/a", MediaKind::kLocalDisk, false, {Erp(1)}),
                             Repo("sftp://v/a", MediaKind::kRemoteServer, true, {Erp(1)}), broken},
                            Rule321{}, kNow);
  EXPECT_TRUE(report.sources[0].ok());
  EXPECT_EQ(report.unreadable, std::vector<std::string>{"s3://x/b: wrong password"});
  EXPECT_FALSE(report.ok());
}

}  // namespace
}  // namespace failsafe::backup
