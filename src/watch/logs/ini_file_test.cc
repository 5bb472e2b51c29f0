#include "watch/logs/ini_file.h"

#include <gtest/gtest.h>

namespace failsafe::watch::logs {
namespace {

TEST(IniFile, SectionsOptionsAndContinuations) {
  auto ini = ParseIni(
      "# comment\n[INCLUDES]\nbefore = common.conf\n\n[Definition]\nfailregex = ^a\n"
      "            ^b <HOST>\n; more\nignoreregex =\nmode: normal\n",
      "f.conf");
  ASSERT_TRUE(ini) << ini.error().ToString();
  ASSERT_EQ(ini->size(), 2u);
  EXPECT_EQ((*ini)[0].name, "INCLUDES");
  EXPECT_EQ((*ini)[0].options[0].value, "common.conf");
  const auto& def = (*ini)[1];
  ASSERT_EQ(def.options.size(), 3u);
  EXPECT_EQ(def.options[0].value, "^a\n^b <HOST>");
  EXPECT_EQ(def.options[1].name, "ignoreregex");
  EXPECT_EQ(def.options[1].value, "");
  EXPECT_EQ(def.options[2].name, "mode");
  EXPECT_EQ(def.options[2].value, "normal");
  EXPECT_EQ(def.options[2].line, 10);
}

TEST(IniFile, ErrorsNameTheLine) {
  auto no_section = ParseIni("a = b\n", "f.conf");
  ASSERT_FALSE(no_section);
  EXPECT_NE(no_section.error().message().find("f.conf:1:"), std::string::npos);
  auto garbage = ParseIni("[x]\nnot an option\n", "f.conf");
  ASSERT_FALSE(garbage);
  EXPECT_NE(garbage.error().message().find("f.conf:2:"), std::string::npos);
  EXPECT_FALSE(ParseIni("[x\n", "f.conf"));
}

}  // namespace
}  // namespace failsafe::watch::logs
