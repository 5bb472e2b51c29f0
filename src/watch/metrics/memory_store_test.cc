#include "watch/metrics/memory_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <random>
#include <thread>

namespace failsafe::watch {
namespace {

constexpr int64_t kT0 = 1'700'000'000'000;

Labels L(std::vector<Label> in) {
  return MakeLabels(std::move(in)).value();
}

LabelMatcher M(std::string name, MatchOp op, std::string value) {
  return LabelMatcher::Make(std::move(name), op, std::move(value)).value();
}

Labels Cpu(int cpu, std::string mode) {
  return L({{"__name__", "node_cpu_seconds_total"},
            {"cpu", std::to_string(cpu)},
            {"mode", std::move(mode)},
            {"instance", "a:9100"}});
}

TEST(MemoryStore, AppendsAndSelectsByMatchers) {
  MemoryStore store;
  for (int i = 0; i < 10; ++i) {
    for (int cpu = 0; cpu < 4; ++cpu) {
      store.Append(Cpu(cpu, "idle"), {kT0 + i * 15'000, 100.0 * i + cpu});
      store.Append(Cpu(cpu, "user"), {kT0 + i * 15'000, 10.0 * i});
    }
    store.Append(L({{"__name__", "up"}, {"instance", "a:9100"}}), {kT0 + i * 15'000, 1});
  }
  std::vector<LabelMatcher> idle = {M("__name__", MatchOp::kEqual, "node_cpu_seconds_total"),
                                    M("mode", MatchOp::kEqual, "idle")};
  auto got = store.Select(idle, kT0, kT0 + 1'000'000);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(LabelValue(got[0].labels, "cpu"), "0");  // sorted by labels
  ASSERT_EQ(got[2].samples.size(), 10u);
  EXPECT_EQ(got[2].samples[3], (Sample{kT0 + 45'000, 302.0}));

  // Range bounds are inclusive; series without samples in range are left out.
  got = store.Select(idle, kT0 + 15'000, kT0 + 30'000);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].samples.size(), 2u);
  EXPECT_TRUE(store.Select(idle, kT0 + 200'000, kT0 + 300'000).empty());

  std::vector<LabelMatcher> not_idle = {M("__name__", MatchOp::kRegexMatch, "node_cpu.*"),
                                        M("mode", MatchOp::kNotEqual, "idle"),
                                        M("cpu", MatchOp::kRegexNoMatch, "0|1")};
  got = store.Select(not_idle, kT0, kT0 + 1'000'000);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(LabelValue(got[0].labels, "mode"), "user");
  EXPECT_EQ(LabelValue(got[1].labels, "cpu"), "3");

  // A matcher for an absent label with an empty value matches every series lacking it.
  std::vector<LabelMatcher> no_cpu = {M("cpu", MatchOp::kEqual, "")};
  got = store.Select(no_cpu, kT0, kT0 + 1'000'000);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(LabelValue(got[0].labels, "__name__"), "up");

  EXPECT_EQ(store.LabelValues("mode"), (std::vector<std::string>{"idle", "user"}));
  EXPECT_EQ(store.Stats().series, 9u);
  EXPECT_EQ(store.Stats().samples_appended, 90u);
}

TEST(MemoryStore, IndexAgreesWithAFullScan) {
  MemoryStore store({.shards = 4});
  std::mt19937 rng(7);
  std::vector<Labels> all;
  for (int i = 0; i < 500; ++i) {
    Labels l = L({{"__name__", "m" + std::to_string(rng() % 5)},
                  {"job", "j" + std::to_string(rng() % 7)},
                  {"opt", rng() % 3 == 0 ? "" : "o" + std::to_string(rng() % 4)}});
    store.Append(l, {kT0 + i, 1.0});
    all.push_back(l);
  }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  const std::vector<std::vector<LabelMatcher>> selectors = {
      {M("__name__", MatchOp::kEqual, "m1"), M("job", MatchOp::kEqual, "j2")},
      {M("job", MatchOp::kRegexMatch, "j[1-3]"), M("opt", MatchOp::kNotEqual, "o1")},
      {M("opt", MatchOp::kRegexMatch, "o1|")},
      {M("opt", MatchOp::kRegexNoMatch, "o.*")},
      {M("__name__", MatchOp::kEqual, "absent")},
  };
  for (const auto& sel : selectors) {
    size_t want = std::count_if(all.begin(), all.end(), [&](const Labels& l) {
      return std::all_of(sel.begin(), sel.end(),
                         [&](const LabelMatcher& m) { return m.Matches(l); });
    });
    EXPECT_EQ(store.Select(sel, kT0, kT0 + 1000).size(), want) << FormatMatcher(sel[0]);
  }
}

TEST(MemoryStore, OutOfOrderAndDuplicateSamplesAreDroppedAndCounted) {
  MemoryStore store;
  Labels l = L({{"__name__", "x"}});
  store.Append(l, {kT0 + 1000, 1});
  store.Append(l, {kT0 + 500, 2});
  store.Append(l, {kT0 + 1000, 3});
  store.Append(l, {kT0 + 2000, 4});
  MemoryStoreStats st = store.Stats();
  EXPECT_EQ(st.out_of_order_dropped, 1u);
  EXPECT_EQ(st.duplicate_dropped, 1u);
  EXPECT_EQ(st.samples_appended, 2u);
  std::vector<LabelMatcher> sel = {M("__name__", MatchOp::kEqual, "x")};
  auto got = store.Select(sel, 0, kT0 + 5000);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].samples, (std::vector<Sample>{{kT0 + 1000, 1}, {kT0 + 2000, 4}}));
}

TEST(MemoryStore, RetentionTrimsOldChunksAndExpiresStaleSeries) {
  MemoryStore store({.retention_ms = 3600'000, .samples_per_chunk = 10, .shards = 2});
  Labels live = L({{"__name__", "live"}});
  Labels stale = L({{"__name__", "stale"}, {"job", "gone"}});
  for (int i = 0; i < 100; ++i) store.Append(stale, {kT0 + i * 15'000LL, 1});
  for (int i = 0; i < 2000; ++i) store.Append(live, {kT0 + i * 15'000LL, double(i)});
  const int64_t now = kT0 + 1999 * 15'000LL;
  std::vector<LabelMatcher> sel_live = {M("__name__", MatchOp::kEqual, "live")};
  auto got = store.Select(sel_live, 0, now);
  ASSERT_EQ(got.size(), 1u);
  // Trimmed a chunk at a time: at least the retention is kept, at most one chunk more.
  EXPECT_LE(got[0].samples.front().t_ms, now - 3600'000);
  EXPECT_GT(got[0].samples.front().t_ms, now - 3600'000 - 20 * 15'000);

  store.Maintain(now);
  EXPECT_EQ(store.Stats().series, 1u);
  EXPECT_EQ(store.Stats().series_expired, 1u);
  EXPECT_TRUE(store.LabelValues("job").empty());
  got = store.Select(sel_live, 0, now);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_GE(got[0].samples.front().t_ms, now - 3600'000 - 10 * 15'000);

  // The freed slot is reused and the index stays right.
  Labels fresh = L({{"__name__", "fresh"}});
  store.Append(fresh, {now + 1, 5});
  std::vector<LabelMatcher> sel_fresh = {M("__name__", MatchOp::kEqual, "fresh")};
  ASSERT_EQ(store.Select(sel_fresh, 0, now + 1).size(), 1u);
  std::vector<LabelMatcher> sel_stale = {M("__name__", MatchOp::kEqual, "stale")};
  EXPECT_TRUE(store.Select(sel_stale, 0, now + 1).empty());
}

TEST(MemoryStore, SeriesCapRefusesNewSeriesAndCounts) {
  MemoryStore store({.max_series = 3});
  for (int i = 0; i < 5; ++i) store.Append(L({{"__name__", "s" + std::to_string(i)}}), {kT0, 1});
  store.Append(L({{"__name__", "s0"}}), {kT0 + 1, 1});  // existing series still take samples
  MemoryStoreStats st = store.Stats();
  EXPECT_EQ(st.series, 3u);
  EXPECT_EQ(st.series_cap_dropped, 2u);
  EXPECT_EQ(st.samples_appended, 4u);
}

TEST(MemoryStore, ConcurrentAppendsAndSelects) {
  MemoryStore store({.samples_per_chunk = 16, .shards = 8});
  constexpr int kWriters = 4, kSeriesPerWriter = 50, kSamples = 200;
  std::atomic<bool> done{false};
  std::thread reader([&] {
    std::vector<LabelMatcher> sel = {M("__name__", MatchOp::kEqual, "c")};
    while (!done) {
      for (const SeriesSamples& s : store.Select(sel, 0, kT0 + kSamples * 1000)) {
        for (size_t i = 1; i < s.samples.size(); ++i) {
          ASSERT_LT(s.samples[i - 1].t_ms, s.samples[i].t_ms);
        }
      }
    }
  });
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kSamples; ++i) {
        for (int s = 0; s < kSeriesPerWriter; ++s) {
          store.Append(L({{"__name__", "c"}, {"w", std::to_string(w)}, {"s", std::to_string(s)}}),
                       {kT0 + i * 1000LL, double(i)});
        }
      }
    });
  }
  for (auto& t : writers) t.join();
  done = true;
  reader.join();
  std::vector<LabelMatcher> sel = {M("__name__", MatchOp::kEqual, "c")};
  auto got = store.Select(sel, 0, kT0 + kSamples * 1000);
  ASSERT_EQ(got.size(), size_t{kWriters * kSeriesPerWriter});
  for (const auto& s : got) EXPECT_EQ(s.samples.size(), size_t{kSamples});
}

TEST(MemoryStore, RegexSelectorsSeeLabelValuesThatAppearLater) {
  MemoryStore store({.shards = 4});
  std::vector<LabelMatcher> sel = {M("__name__", MatchOp::kEqual, "probe_success"),
                                   M("instance", MatchOp::kRegexMatch, "host-1.*")};
  auto add = [&](const std::string& instance, int64_t t) {
    store.Append(L({{"__name__", "probe_success"}, {"instance", instance}}), {t, 1});
  };
  for (int i = 0; i < 30; ++i) add("host-" + std::to_string(i), kT0);
  EXPECT_EQ(store.Select(sel, kT0, kT0).size(), 11u);  // host-1, host-10 .. host-19
  add("host-100", kT0 + 1000);
  EXPECT_EQ(store.Select(sel, kT0, kT0 + 1000).size(), 12u);
  // Expired series leave the selection and their values with them.
  store.Maintain(kT0 + 1000 + store.options().retention_ms);
  EXPECT_EQ(store.Select(sel, kT0, kT0 + 1000).size(), 1u);
  add("host-1", kT0 + 2000 + store.options().retention_ms);
  EXPECT_EQ(store.Select(sel, 0, kT0 + 2000 + store.options().retention_ms).size(), 2u);
}

// A querier with only Select, so that Visit is SeriesQuerier's default.
class SelectOnly final : public SeriesQuerier {
 public:
  explicit SelectOnly(const MemoryStore& store) : store_(store) {}
  std::vector<SeriesSamples> Select(std::span<const LabelMatcher> matchers, int64_t start_ms,
                                    int64_t end_ms) const override {
    return store_.Select(matchers, start_ms, end_ms);
  }

 private:
  const MemoryStore& store_;
};

TEST(MemoryStore, VisitSeesWhatSelectReturnsWithoutCopying) {
  MemoryStore store({.samples_per_chunk = 50, .shards = 8});
  std::mt19937 rng(3);
  for (int step = 0; step < 200; ++step) {
    for (int i = 0; i < 300; ++i) {
      if (rng() % 10 == 0) continue;  // gaps
      store.Append(L({{"__name__", "m" + std::to_string(i % 3)},
                      {"id", "i" + std::to_string(i)},
                      {"job", "j" + std::to_string(i % 7)}}),
                   {kT0 + step * 15'000LL, static_cast<double>(rng() % 1000) / 10});
    }
  }
  const std::vector<std::vector<LabelMatcher>> selectors = {
      {M("__name__", MatchOp::kEqual, "m1")},
      // A regex accepting more values than the name's candidates is checked per series; one
      // accepting a few narrows through the postings; either way the same series.
      {M("__name__", MatchOp::kEqual, "m1"), M("id", MatchOp::kRegexMatch, "i1.*")},
      {M("__name__", MatchOp::kEqual, "m1"), M("id", MatchOp::kRegexMatch, "i1|i10|i100")},
      {M("id", MatchOp::kRegexMatch, "i2.*"), M("job", MatchOp::kRegexNoMatch, "j1|j2")},
      {M("job", MatchOp::kNotEqual, "j3"), M("__name__", MatchOp::kRegexMatch, "m[02]")},
  };
  const int64_t end = kT0 + 199 * 15'000LL;
  for (const auto& sel : selectors) {
    for (int64_t range : {15'000LL, 300'000LL, 3600'000LL}) {
      const auto selected = store.Select(sel, end - range + 1, end);
      std::map<Labels, std::vector<Sample>> visited, newest, default_newest;
      store.Visit(sel, end - range + 1, end, {}, [&](const Labels& l, std::span<const Sample> s) {
        visited[l].assign(s.begin(), s.end());
      });
      store.Visit(sel, end - range + 1, end, {.newest_only = true},
                  [&](const Labels& l, std::span<const Sample> s) {
                    newest[l].assign(s.begin(), s.end());
                  });
      SelectOnly(store).Visit(sel, end - range + 1, end, {.newest_only = true},
                              [&](const Labels& l, std::span<const Sample> s) {
                                default_newest[l].assign(s.begin(), s.end());
                              });
      EXPECT_EQ(default_newest, newest);
      ASSERT_FALSE(selected.empty()) << FormatMatcher(sel.back());
      ASSERT_EQ(visited.size(), selected.size()) << FormatMatcher(sel.back());
      ASSERT_EQ(newest.size(), selected.size()) << FormatMatcher(sel.back());
      for (const SeriesSamples& s : selected) {
        EXPECT_TRUE(std::all_of(sel.begin(), sel.end(),
                                [&](const LabelMatcher& m) { return m.Matches(s.labels); }));
        EXPECT_EQ(visited[s.labels], s.samples);
        EXPECT_EQ(newest[s.labels], std::vector<Sample>{s.samples.back()});
      }
    }
  }
}

}  // namespace
}  // namespace failsafe::watch
