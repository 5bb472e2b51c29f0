#include "watch/logsources/stdin_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <thread>
#include <vector>

namespace failsafe::watch {
namespace {

TEST(StdinReader, ReadsAPipeToItsEndWithTheCaps) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  std::thread writer([w = fds[1]] {
    const std::string data = "first\n" + std::string(100, 'x') + "\nbin\xFF\nlast no newline";
    for (char c : data) ASSERT_EQ(write(w, &c, 1), 1);  // byte by byte: lines span reads
    close(w);
  });
  std::vector<LogLine> got;
  SourceStats stats;
  StdinOptions options;
  options.fd = fds[0];
  options.max_line_bytes = 10;
  Status s = ReadLines(
      options, [&](LogLine&& l) { got.push_back(std::move(l)); }, stats);
  writer.join();
  close(fds[0]);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].text, "first");
  EXPECT_EQ(got[0].source, "stdin");
  EXPECT_EQ(got[1].text, std::string(10, 'x'));
  EXPECT_EQ(got[2].text, "bin\xEF\xBF\xBD");
  EXPECT_EQ(got[3].text, "last no ne");
  EXPECT_EQ(stats.lines, 4u);
  EXPECT_EQ(stats.truncated, 2u);
  EXPECT_EQ(stats.invalid_utf8, 1u);
}

TEST(StdinReader, ReadErrorIsReported) {
  SourceStats stats;
  StdinOptions options;
  options.fd = -1;
  Status s = ReadLines(
      options, [](LogLine&&) {}, stats);
  EXPECT_EQ(s.code(), ErrorCode::kInternal);
}

}  // namespace
}  // namespace failsafe::watch
