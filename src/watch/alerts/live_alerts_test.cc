// LiveAlerts: dedupe by fingerprint, merge of re-sends, resolution by endsAt, garbage
// collection; and the fingerprint itself.
#include "watch/alerts/live_alerts.h"

#include <gtest/gtest.h>

namespace failsafe::watch::alerts {
namespace {

Alert MakeAlert(Labels labels, int64_t starts, int64_t ends, bool given = true) {
  Alert a;
  a.labels = SortedLabels(std::move(labels));
  a.starts_at = starts;
  a.ends_at = ends;
  a.ends_at_given = given;
  a.fingerprint = AlertFingerprint(a.labels);
  return a;
}

TEST(Fingerprint, DependsOnTheLabelSetOnly) {
  Labels a = SortedLabels({{"b", "2"}, {"a", "1"}});
  Labels b = SortedLabels({{"a", "1"}, {"b", "2"}});
  EXPECT_EQ(AlertFingerprint(a), AlertFingerprint(b));
  EXPECT_NE(AlertFingerprint(a), AlertFingerprint(SortedLabels({{"a", "1"}, {"b", "3"}})));
  // Separators keep {ab=c} apart from {a=bc}.
  EXPECT_NE(AlertFingerprint({{"ab", "c"}}), AlertFingerprint({{"a", "bc"}}));
  EXPECT_EQ(FingerprintHex(0xabcULL), "0000000000000abc");
}

TEST(LiveAlerts, ResendsAreDeduplicated) {
  LiveAlerts live;
  EXPECT_EQ(live.Upsert(MakeAlert({{"alertname", "x"}}, 100, 1000, false), 100), Change::kFiring);
  EXPECT_EQ(live.Upsert(MakeAlert({{"alertname", "x"}}, 200, 1200, false), 200),
            Change::kUnchanged);
  EXPECT_EQ(live.size(), 1u);
  auto a = live.Get(AlertFingerprint({{"alertname", "x"}}));
  ASSERT_TRUE(a);
  EXPECT_EQ(a->starts_at, 100);  // earliest start kept
  EXPECT_EQ(a->ends_at, 1200);   // newest end taken
}

TEST(LiveAlerts, ResolvedByEndsAtAndFiringAgain) {
  LiveAlerts live;
  Labels l = {{"alertname", "x"}};
  Labels changed;
  EXPECT_EQ(live.Upsert(MakeAlert(l, 100, 10'000, false), 100, &changed), Change::kFiring);
  EXPECT_EQ(changed, l);
  EXPECT_EQ(live.Upsert(MakeAlert(l, 100, 500), 600), Change::kResolved);
  EXPECT_TRUE(live.Get(AlertFingerprint(l))->Resolved(600));
  // A new occurrence starting after the end replaces the old one.
  EXPECT_EQ(live.Upsert(MakeAlert(l, 700, 20'000, false), 700), Change::kFiring);
  EXPECT_EQ(live.Get(AlertFingerprint(l))->starts_at, 700);
}

TEST(LiveAlerts, AStatedEndIsNotPushedBackByAGuessedOne) {
  LiveAlerts live;
  Labels l = {{"alertname", "x"}};
  live.Upsert(MakeAlert(l, 100, 500, true), 200);
  live.Upsert(MakeAlert(l, 100, 9'000, false), 300);
  EXPECT_EQ(live.Get(AlertFingerprint(l))->ends_at, 9'000);  // later guess extends (still firing)
}

TEST(LiveAlerts, GarbageCollectionForgetsLongResolved) {
  LiveAlerts live;
  live.Upsert(MakeAlert({{"a", "1"}}, 0, 100), 0);
  live.Upsert(MakeAlert({{"a", "2"}}, 0, 10'000), 0);
  EXPECT_EQ(live.CollectGarbage(5'000), 1u);
  EXPECT_EQ(live.size(), 1u);
}

}  // namespace
}  // namespace failsafe::watch::alerts
