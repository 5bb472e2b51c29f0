#include "watch/logs/leading_bytes.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "watch/logs/fail2ban_filter.h"
#include "watch/logs/pattern.h"
#include "watch/logs/regex_syntax.h"

namespace failsafe::watch::logs {
namespace {

std::string Bytes(const std::optional<MatchStart>& start) {
  if (!start) return "not anchored";
  if (start->bytes.all()) return "any";
  std::string out;
  for (int c = 0; c < 256; ++c) {
    if (start->bytes.test(c)) out += static_cast<char>(c);
  }
  return out;
}

std::string Literals(const std::optional<MatchStart>& start) {
  if (!start) return "not anchored";
  std::string out;
  for (const auto& l : start->literals) out += (out.empty() ? "" : "|") + l;
  return out;
}

TEST(AnchoredStart, Literals) {
  EXPECT_EQ(Literals(AnchoredStart(R"(^Failed publickey for (?P<u>\S+))")),
            "Failed publickey for ");
  EXPECT_EQ(Literals(AnchoredStart("^[aA]uth(?:x|y)+z")), "Authx|Authy|authx|authy");
  EXPECT_EQ(Literals(AnchoredStart("^(?P<n>(Connection (?:closed|reset)|Disconnected)) by")),
            "Connection closed by|Connection reset by|Disconnected by");
  EXPECT_EQ(Literals(AnchoredStart(R"(^Received (?P<x>disconnect) from)")),
            "Received disconnect from");
  EXPECT_EQ(Literals(AnchoredStart(R"(^a\.b\x41(?=c)\bcd?e)")), "a.bAc");
  EXPECT_EQ(Literals(AnchoredStart(R"(^ab{2}c|^d)")), "ab|d");
  EXPECT_EQ(Literals(AnchoredStart(R"(^ab(?(x)c|d)e)")), "ab");
  EXPECT_EQ(Literals(AnchoredStart("^ab*c")), "a");
  // A branch whose matches can start with anything: no literal set.
  EXPECT_EQ(Literals(AnchoredStart(R"(^ab|^\d)")), "");
  EXPECT_EQ(Literals(AnchoredStart("^(?:a|b?)c")), "");
  EXPECT_EQ(Literals(AnchoredStart(std::string("^") + std::string(40, 'x'))), std::string(32, 'x'));
}

TEST(AnchoredStart, AnchoredBranchesGroupsClassesAndQuantifiers) {
  EXPECT_EQ(Bytes(AnchoredStart("^Failed x")), "F");
  EXPECT_EQ(Bytes(AnchoredStart("^[aA]uthentication")), "Aa");
  EXPECT_EQ(Bytes(AnchoredStart("^(?:Connection|Disconnected) x|^Accepted")), "ACD");
  EXPECT_EQ(Bytes(AnchoredStart(R"(^(?P<x>error: )?(?:a|b)?c)")), "abce");
  EXPECT_EQ(Bytes(AnchoredStart(R"(\A(?=x)\bx*y{0,2}z)")), "xyz");
  EXPECT_EQ(Bytes(AnchoredStart(R"(^[^\x00-\xfe])")), "\xff");
  EXPECT_EQ(Bytes(AnchoredStart(R"(^\d{2}-)")), "0123456789");
  EXPECT_EQ(Bytes(AnchoredStart(R"(^[]a-c\]])")), "]abc");
  EXPECT_EQ(Bytes(AnchoredStart(R"(^\x41\.)")), "A");
  // Can match the empty string: any byte may start the text.
  EXPECT_EQ(Bytes(AnchoredStart("^a?")), "any");
  EXPECT_EQ(Bytes(AnchoredStart("^.x")), "any");
  // Not anchored in every branch, or constructs it does not follow.
  EXPECT_EQ(Bytes(AnchoredStart("Failed")), "not anchored");
  EXPECT_EQ(Bytes(AnchoredStart("^a|b")), "not anchored");
  EXPECT_EQ(Bytes(AnchoredStart("(?i)^a")), "not anchored");
  EXPECT_EQ(Bytes(AnchoredStart("^(?i:a)")), "not anchored");
  EXPECT_EQ(Bytes(AnchoredStart("^(*COMMIT)a")), "not anchored");
  EXPECT_EQ(Bytes(AnchoredStart("^(?(x)a|b)")), "not anchored");
  EXPECT_EQ(Bytes(AnchoredStart(R"(^a\Q|b\E)")), "not anchored");
  EXPECT_EQ(Bytes(AnchoredStart("^a(?x) |b")), "not anchored");
  // After the first byte is fixed, the rest is only stepped over, brackets and all.
  EXPECT_EQ(Bytes(AnchoredStart(R"(^Fa(?(c)[)|]|\)(?i)|\(x)*+(*COMMIT)|^G)")), "FG");
  EXPECT_EQ(Bytes(AnchoredStart(R"(^\p{L})")), "not anchored");
  EXPECT_EQ(Bytes(AnchoredStart("^(a")), "not anchored");
  EXPECT_EQ(Bytes(AnchoredStart("^a)")), "not anchored");
}

// Every match of every shipped fail2ban failregex, on every suffix of fail2ban's own test
// logs, starts with a byte and a literal AnchoredStart allows.
TEST(AnchoredStart, SupersetOfWhatTheShippedFiltersMatch) {
  const std::filesystem::path filters = FAIL2BAN_FILTER_DIR;
  const std::filesystem::path samples = "/usr/lib/python3/dist-packages/fail2ban/tests/files/logs";
  if (!std::filesystem::exists(filters) || !std::filesystem::exists(samples)) {
    GTEST_SKIP() << "fail2ban or its test logs are not installed";
  }
  size_t checked = 0, anchored = 0, literals = 0;
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
      auto start = AnchoredStart(engine->pattern);
      if (!start) continue;
      ++anchored;
      auto pattern = Pattern::Compile(engine->pattern, engine->needs_backtracking);
      ASSERT_TRUE(pattern) << conf;
      for (const auto& line : lines) {
        for (size_t at = 0; at < line.size(); ++at) {
          const std::string_view text = std::string_view(line).substr(at);
          Groups g;
          if (!(*pattern)->Search(text, &g)) continue;
          ++checked;
          EXPECT_TRUE(start->bytes.test(static_cast<unsigned char>(text[0])))
              << conf << "\n"
              << engine->pattern << "\non: " << text;
          const bool literal = start->literals.empty() ||
                               std::any_of(start->literals.begin(), start->literals.end(),
                                           [&](const auto& l) { return text.rfind(l, 0) == 0; });
          EXPECT_TRUE(literal) << conf << "\n" << engine->pattern << "\non: " << text;
          literals += !start->literals.empty();
        }
      }
    }
  }
  EXPECT_GT(anchored, 100u);
  EXPECT_GT(checked, 1000u);
  EXPECT_GT(literals, 300u);
}

}  // namespace
}  // namespace failsafe::watch::logs
