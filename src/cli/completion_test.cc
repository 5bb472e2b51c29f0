#include "cli/completion.h"

#include <gtest/gtest.h>

namespace failsafe::cli {
namespace {

class CompletionTest : public ::testing::Test {
 protected:
  CompletionTest() : app_("test app", "failsafe") {
    app_.add_option("--server", server_, "server URL");
    auto* user = app_.add_subcommand("user", "Manage users");
    auto* create = user->add_subcommand("create", "Create a user: with a colon");
    create->add_option("--username", server_, "login name");
    user->add_subcommand("list", "List users");
    app_.add_subcommand("version", "Print the version");
  }
  CLI::App app_;
  std::string server_;
};

TEST_F(CompletionTest, BashHasEveryLevelAndWord) {
  std::string s = BashCompletion(app_);
  EXPECT_NE(s.find("complete -F _failsafe failsafe"), std::string::npos) << s;
  EXPECT_NE(s.find("\"failsafe\") words='user version --help -h --server'"), std::string::npos)
      << s;
  EXPECT_NE(s.find("\"failsafe user\") words='create list --help -h --server'"), std::string::npos)
      << s;
  EXPECT_NE(s.find("\"failsafe user create\") words='--help -h --username --server'"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("\"failsafe user\"|\"failsafe version\"|\"failsafe user create\""),
            std::string::npos)
      << s;
}

TEST_F(CompletionTest, ZshHasDescriptionsWithEscapedColons) {
  std::string s = ZshCompletion(app_);
  EXPECT_TRUE(s.starts_with("#compdef failsafe\n"));
  EXPECT_NE(s.find("'create:Create a user: with a colon'"), std::string::npos) << s;
  EXPECT_NE(s.find("'--server:server URL'"), std::string::npos) << s;
  EXPECT_NE(s.find("compdef _failsafe failsafe"), std::string::npos);
}

TEST_F(CompletionTest, QuotesInHelpCannotBreakTheScript) {
  app_.add_subcommand("quote", "it's \"quoted\"");
  std::string s = ZshCompletion(app_);
  EXPECT_NE(s.find("'quote:it'\\''s \"quoted\"'"), std::string::npos) << s;
}

}  // namespace
}  // namespace failsafe::cli
