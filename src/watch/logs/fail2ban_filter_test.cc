#include "watch/logs/fail2ban_filter.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace failsafe::watch::logs {
namespace {

namespace fs = std::filesystem;

class Fail2banFilterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("f2b-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  fs::path dir_;
};

TEST_F(Fail2banFilterTest, IncludesInterpolationTagsAndLocalOverrides) {
  Write("common.conf",
        "[INCLUDES]\nafter = common.local\n[DEFAULT]\n_daemon = \\S*\n"
        "__prefix_line = <lt_<logtype>/__prefix_line>\nlogtype = file\n"
        "[lt_file]\n__prefix_line = \\s*<_daemon>:\\s+\n");
  const std::string path =
      Write("app.conf",
            "[INCLUDES]\nbefore = common.conf\n[DEFAULT]\n_daemon = app\n"
            "[Definition]\nprefregex = ^%(__prefix_line)s<F-CONTENT>.+</F-CONTENT>$\n"
            "failregex = ^bad login from <HOST>$\n"
            "            <extra-<mode>>\n"
            "            %(tail)s 100%%\n"
            "extra-normal =\nextra-aggressive = ^probe from <HOST>\n"
            "mode = normal\ntail = ^done\nignoreregex = \ndatepattern = {^LN-BEG}\n");
  auto f = ReadFail2banFilter(path);
  ASSERT_TRUE(f) << f.error().ToString();
  EXPECT_EQ(f->prefregex, R"(^\s*app:\s+<F-CONTENT>.+</F-CONTENT>$)");
  ASSERT_EQ(f->failregex.size(), 2u);
  EXPECT_EQ(f->failregex[0], "^bad login from <HOST>$");
  EXPECT_EQ(f->failregex[1], "^done 100%");
  EXPECT_TRUE(f->ignoreregex.empty());
  EXPECT_EQ(f->datepattern, "{^LN-BEG}");

  auto aggressive = ReadFail2banFilter(path, {{"mode", "aggressive"}});
  ASSERT_TRUE(aggressive);
  ASSERT_EQ(aggressive->failregex.size(), 3u);
  EXPECT_EQ(aggressive->failregex[1], "^probe from <HOST>");

  Write("app.local", "[Definition]\nfailregex = ^local <HOST>\n");
  auto local = ReadFail2banFilter(path);
  ASSERT_TRUE(local);
  ASSERT_EQ(local->failregex.size(), 1u);
  EXPECT_EQ(local->failregex[0], "^local <HOST>");
}

TEST_F(Fail2banFilterTest, LoopsAndMissingPartsAreClearErrors) {
  auto loop = ParseFail2banFilter("[Definition]\na = %(b)s\nb = %(a)s\nfailregex = %(a)s\n", "x",
                                  dir_.string());
  ASSERT_FALSE(loop);
  EXPECT_NE(loop.error().message().find("loop"), std::string::npos) << loop.error().message();
  auto tag_loop =
      ParseFail2banFilter("[Definition]\na = <b>\nb = <a>\nfailregex = <a>\n", "x", dir_.string());
  ASSERT_FALSE(tag_loop);
  auto undefined = ParseFail2banFilter("[Definition]\nfailregex = %(nope)s\n", "x", dir_.string());
  ASSERT_FALSE(undefined);
  EXPECT_NE(undefined.error().message().find("nope"), std::string::npos);
  EXPECT_FALSE(ParseFail2banFilter("[Definition]\nignoreregex = x\n", "x", dir_.string()));
  auto missing = ParseFail2banFilter(
      "[INCLUDES]\nbefore = nothere.conf\n[Definition]\nfailregex = a\n", "x", dir_.string());
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("nothere.conf"), std::string::npos);
  auto multi =
      ParseFail2banFilter("[Definition]\nfailregex = a\nmaxlines = 3\n", "x", dir_.string());
  ASSERT_FALSE(multi);
  EXPECT_NE(multi.error().message().find("multi-line"), std::string::npos);
  Write("self.conf", "[INCLUDES]\nbefore = self.conf\n[Definition]\nfailregex = a\n");
  EXPECT_FALSE(ReadFail2banFilter((dir_ / "self.conf").string()));
}

TEST_F(Fail2banFilterTest, FilterSpecs) {
  auto spec = SplitFilterSpec("sshd[mode=aggressive, publickey=any]");
  ASSERT_TRUE(spec);
  EXPECT_EQ(spec->first, "sshd");
  EXPECT_EQ(spec->second.at("mode"), "aggressive");
  EXPECT_EQ(spec->second.at("publickey"), "any");
  EXPECT_FALSE(SplitFilterSpec("sshd[mode"));
}

// Every filter fail2ban ships that reads one line at a time loads without error.
TEST(Fail2banShippedFilters, AllSingleLineFiltersLoad) {
  const fs::path dir = FAIL2BAN_FILTER_DIR;
  if (!fs::exists(dir / "sshd.conf")) GTEST_SKIP() << "fail2ban is not installed";
  auto sshd = ReadFail2banFilter((dir / "sshd.conf").string());
  ASSERT_TRUE(sshd) << sshd.error().ToString();
  EXPECT_GE(sshd->failregex.size(), 15u);
  EXPECT_NE(sshd->prefregex.find("<F-CONTENT>"), std::string::npos);
  EXPECT_EQ(sshd->prefregex.find("%("), std::string::npos);
  int loaded = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".conf") continue;
    // *-common.conf are included by other filters and use options those define.
    if (entry.path().stem().string().find("common") != std::string::npos) continue;
    auto f = ReadFail2banFilter(entry.path().string());
    if (f) {
      ++loaded;
      continue;
    }
    // The only acceptable refusals name what is unsupported.
    const std::string& m = f.error().message();
    EXPECT_TRUE(m.find("multi-line") != std::string::npos ||
                m.find("no failregex") != std::string::npos ||
                m.find("failregex is empty") != std::string::npos)
        << entry.path() << ": " << m;
  }
  EXPECT_GT(loaded, 60);
}

}  // namespace
}  // namespace failsafe::watch::logs
