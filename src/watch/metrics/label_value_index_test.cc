#include "watch/metrics/label_value_index.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace failsafe::watch {
namespace {

Labels Host(const std::string& instance) {
  return MakeLabels({{"__name__", "up"}, {"instance", instance}}).value();
}

LabelMatcher M(std::string name, MatchOp op, std::string value) {
  return LabelMatcher::Make(std::move(name), op, std::move(value)).value();
}

std::vector<std::string> Sorted(const ValueSet& values) {
  std::vector<std::string> out(values.begin(), values.end());
  std::sort(out.begin(), out.end());
  return out;
}

using Strings = std::vector<std::string>;

TEST(LabelValueIndex, ARegexRunsOncePerValueUntilTheLabelsValuesChange) {
  LabelValueIndex index;
  index.Add(Host("host-0"));
  index.Add(Host("host-1"));
  index.Add(Host("host-10"));
  const LabelMatcher m = M("instance", MatchOp::kRegexMatch, "host-1.*");
  EXPECT_EQ(Sorted(*index.Accepted(m)), (Strings{"host-1", "host-10"}));
  EXPECT_EQ(Sorted(*index.Accepted(m)), (Strings{"host-1", "host-10"}));
  // The same regex in another rule's matcher is the same question: asked once.
  EXPECT_EQ(Sorted(*index.Accepted(M("instance", MatchOp::kRegexMatch, "host-1.*"))),
            (Strings{"host-1", "host-10"}));
  EXPECT_EQ(index.matcher_runs(), 1u);

  // Another series with a value already known, or a new value of another label: still valid.
  index.Add(MakeLabels({{"__name__", "probe_success"}, {"instance", "host-1"}}).value());
  index.Add(MakeLabels({{"__name__", "up"}, {"job", "node"}}).value());
  EXPECT_EQ(Sorted(*index.Accepted(m)), (Strings{"host-1", "host-10"}));
  EXPECT_EQ(index.matcher_runs(), 1u);

  // A new value of the label is matched on the next question.
  const auto before = index.Accepted(m);
  index.Add(Host("host-11"));
  EXPECT_EQ(Sorted(*index.Accepted(m)), (Strings{"host-1", "host-10", "host-11"}));
  EXPECT_EQ(index.matcher_runs(), 2u);
  EXPECT_EQ(Sorted(*before), (Strings{"host-1", "host-10"}));  // handed-out sets do not change

  // A value gone with its last series is gone from the answer too.
  index.Remove(Host("host-10"));
  EXPECT_EQ(Sorted(*index.Accepted(m)), (Strings{"host-1", "host-11"}));
  index.Remove(Host("host-1"));  // host-1 still has probe_success
  EXPECT_EQ(Sorted(*index.Accepted(m)), (Strings{"host-1", "host-11"}));
  EXPECT_EQ(index.matcher_runs(), 3u);
}

TEST(LabelValueIndex, ALabelDroppedAndAddedAgainIsMatchedAfresh) {
  LabelValueIndex index;
  const LabelMatcher m = M("instance", MatchOp::kRegexMatch, "a.*");
  index.Add(Host("a1"));
  EXPECT_EQ(Sorted(*index.Accepted(m)), (Strings{"a1"}));
  index.Remove(Host("a1"));
  EXPECT_TRUE(index.Accepted(m)->empty());
  EXPECT_TRUE(index.Values("instance").empty());
  index.Add(Host("a2"));
  EXPECT_EQ(Sorted(*index.Accepted(m)), (Strings{"a2"}));
  EXPECT_EQ(index.Values("instance"), (Strings{"a2"}));
}

TEST(LabelValueIndex, NegativeRegexesAcceptTheOtherValues) {
  LabelValueIndex index;
  for (const char* h : {"a", "b", "c"}) index.Add(Host(h));
  EXPECT_EQ(Sorted(*index.Accepted(M("instance", MatchOp::kRegexNoMatch, "a|b"))), (Strings{"c"}));
  EXPECT_EQ(Sorted(*index.Accepted(M("instance", MatchOp::kRegexMatch, "a|b"))),
            (Strings{"a", "b"}));
  EXPECT_TRUE(index.Accepted(M("absent", MatchOp::kRegexMatch, ".*"))->empty());
}

}  // namespace
}  // namespace failsafe::watch
