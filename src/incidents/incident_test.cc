#include "incidents/incident.h"

#include <gtest/gtest.h>

namespace failsafe::incidents {
namespace {

using Words = std::vector<std::string>;

TEST(SearchWordsTest, SplitsAtAnyWhitespaceAndTheFullWidthSpace) {
  EXPECT_EQ(SearchWords("jira  slow"), (Words{"jira", "slow"}));
  EXPECT_EQ(SearchWords("\t jira\nslow \r"), (Words{"jira", "slow"}));
  EXPECT_EQ(SearchWords("数据库\xE3\x80\x80宕机"), (Words{"数据库", "宕机"}));
  EXPECT_EQ(SearchWords("100%"), (Words{"100%"}));
}

TEST(SearchWordsTest, BlankTextHasNoWords) {
  EXPECT_TRUE(SearchWords("").empty());
  EXPECT_TRUE(SearchWords("   \xE3\x80\x80 ").empty());
}

}  // namespace
}  // namespace failsafe::incidents
