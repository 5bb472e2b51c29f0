#include "watch/logs/line_reader.h"

#include <gtest/gtest.h>

#include <vector>

namespace failsafe::watch::logs {
namespace {

std::vector<std::string> Read(const std::string& data, size_t max) {
  std::FILE* f = fmemopen(const_cast<char*>(data.data()), data.size(), "rb");
  std::vector<std::string> lines;
  auto n = ReadLines(f, max, [&](std::string_view l) { lines.emplace_back(l); });
  std::fclose(f);
  EXPECT_TRUE(n);
  EXPECT_EQ(*n, lines.size());
  return lines;
}

TEST(LineReader, SplitsLinesDropsCrAndKeepsTheLastUnterminatedOne) {
  EXPECT_EQ(Read("a\r\nb\n\nc", 100), (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(Read("", 100), std::vector<std::string>{});
}

TEST(LineReader, OverLongLinesAreCutAndTheirRestSkipped) {
  const std::string huge(5'000'000, 'x');
  auto lines = Read("a\n" + huge + "\nb\n", 1000);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1].size(), 1001u);  // one byte over: the engine counts it as too long
  EXPECT_EQ(lines[2], "b");
}

TEST(LineReader, MissingFile) {
  EXPECT_FALSE(ReadLinesFromPath("/nonexistent/x.log", 10, {}));
}

}  // namespace
}  // namespace failsafe::watch::logs
