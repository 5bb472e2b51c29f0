#include "watch/logs/leading_bytes.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "watch/logs/fail2ban_filter.h"
#include "watch/logs/pattern.h"
#include "watch/logs/regex_syntax.h"

namespace failsafe::watch::logs {
namespace {

std::string Bytes(const std::optional<ByteSet>& set) {
  if (!set) return "not anchored";
  if (set->all()) return "any";
  std::string out;
  for (int c = 0; c < 256; ++c) {
    if (set->test(c)) out += static_cast<char>(c);
  }
  return out;
}

TEST(LeadingBytes, AnchoredBranchesGroupsClassesAndQuantifiers) {
  EXPECT_EQ(Bytes(LeadingBytes("^Failed x")), "F");
  EXPECT_EQ(Bytes(LeadingBytes("^[aA]uthentication")), "Aa");
  EXPECT_EQ(Bytes(LeadingBytes("^(?:Connection|Disconnected) x|^Accepted")), "ACD");
  EXPECT_EQ(Bytes(LeadingBytes(R"(^(?P<x>error: )?(?:a|b)?c)")), "abce");
  EXPECT_EQ(Bytes(LeadingBytes(R"(\A(?=x)\bx*y{0,2}z)")), "xyz");
  EXPECT_EQ(Bytes(LeadingBytes(R"(^[^\x00-\xfe])")), "\xff");
  EXPECT_EQ(Bytes(LeadingBytes(R"(^\d{2}-)")), "0123456789");
  EXPECT_EQ(Bytes(LeadingBytes(R"(^[]a-c\]])")), "]abc");
  EXPECT_EQ(Bytes(LeadingBytes(R"(^\x41\.)")), "A");
  // Can match the empty string: any byte may start the text.
  EXPECT_EQ(Bytes(LeadingBytes("^a?")), "any");
  EXPECT_EQ(Bytes(LeadingBytes("^.x")), "any");
  // Not anchored in every branch, or constructs it does not follow.
  EXPECT_EQ(Bytes(LeadingBytes("Failed")), "not anchored");
  EXPECT_EQ(Bytes(LeadingBytes("^a|b")), "not anchored");
  EXPECT_EQ(Bytes(LeadingBytes("(?i)^a")), "not anchored");
  EXPECT_EQ(Bytes(LeadingBytes("^(?i:a)")), "not anchored");
  EXPECT_EQ(Bytes(LeadingBytes("^(*COMMIT)a")), "not anchored");
  EXPECT_EQ(Bytes(LeadingBytes("^(?(x)a|b)")), "not anchored");
  EXPECT_EQ(Bytes(LeadingBytes(R"(^a\Q|b\E)")), "not anchored");
  EXPECT_EQ(Bytes(LeadingBytes("^a(?x) |b")), "not anchored");
  // After the first byte is fixed, the rest is only stepped over, brackets and all.
  EXPECT_EQ(Bytes(LeadingBytes(R"(^Fa(?(c)[)|]|\)(?i)|\(x)*+(*COMMIT)|^G)")), "FG");
  EXPECT_EQ(Bytes(LeadingBytes(R"(^\p{L})")), "not anchored");
  EXPECT_EQ(Bytes(LeadingBytes("^(a")), "not anchored");
  EXPECT_EQ(Bytes(LeadingBytes("^a)")), "not anchored");
}

// Every match of every shipped fail2ban failregex, on every suffix of fail2ban's own test
// logs, starts with a byte LeadingBytes allows.
TEST(LeadingBytes, SupersetOfWhatTheShippedFiltersMatch) {
  const std::filesystem::path filters = FAIL2BAN_FILTER_DIR;
  const std::filesystem::path samples = "/usr/lib/python3/dist-packages/fail2ban/tests/files/logs";
  if (!std::filesystem::exists(filters) || !std::filesystem::exists(samples)) {
    GTEST_SKIP() << "fail2ban or its test logs are not installed";
  }
  size_t checked = 0, anchored = 0;
  for (const auto& entry : std::filesystem::directory_iterator(samples)) {
    const auto conf = filters / (entry.path().filename().string() + ".conf");
    if (!entry.is_regular_file() || !std::filesystem::exists(conf)) continue;
    auto filter = ReadFail2banFilter(conf.string());
    if (!filter) continue;  // multi-line filters
    std::vector<std::string> lines;
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line[0] != '#') lines.push_back(line);
    }
    for (const auto& failregex : filter->failregex) {
      auto expanded = ExpandTags(failregex);
      if (!expanded) continue;
      auto engine = ToEngineSyntax(*expanded);
      auto set = LeadingBytes(engine->pattern);
      if (!set) continue;
      ++anchored;
      auto pattern = Pattern::Compile(engine->pattern, engine->needs_backtracking);
      ASSERT_TRUE(pattern) << conf;
      for (const auto& line : lines) {
        for (size_t at = 0; at < line.size(); ++at) {
          const std::string_view text = std::string_view(line).substr(at);
          Groups g;
          if (!(*pattern)->Search(text, &g)) continue;
          ++checked;
          EXPECT_TRUE(set->test(static_cast<unsigned char>(text[0])))
              << conf << "\n"
              << engine->pattern << "\non: " << text;
        }
      }
    }
  }
  EXPECT_GT(anchored, 100u);
  EXPECT_GT(checked, 1000u);
}

}  // namespace
}  // namespace failsafe::watch::logs
