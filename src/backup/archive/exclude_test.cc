#include "backup/archive/exclude.h"

#include <gtest/gtest.h>

namespace failsafe::backup::archive {
namespace {

ExcludeSet Set(std::vector<std::string> patterns) {
  auto set = ExcludeSet::Parse(patterns);
  EXPECT_TRUE(set.has_value()) << set.error().ToString();
  return set ? *set : ExcludeSet{};
}

TEST(Exclude, NamePatternsMatchTheLastComponentAnywhere) {
  ExcludeSet s = Set({"*.tmp", "core"});
  EXPECT_TRUE(s.Excluded("/srv/a.tmp", false));
  EXPECT_TRUE(s.Excluded("/srv/deep/er/x.tmp", false));
  EXPECT_TRUE(s.Excluded("/srv/core", true));
  EXPECT_TRUE(s.Excluded("/srv/.hidden.tmp", false));  // '*' matches a leading dot too
  EXPECT_FALSE(s.Excluded("/srv/a.tmp.keep", false));
  EXPECT_FALSE(s.Excluded("/srv/tmp", false));
  EXPECT_FALSE(s.Excluded("/srv/core.d", true));
}

TEST(Exclude, AnchoredPatternsMatchFromTheRoot) {
  ExcludeSet s = Set({"/srv/erp/tmp"});
  EXPECT_TRUE(s.Excluded("/srv/erp/tmp", true));
  EXPECT_FALSE(s.Excluded("/other/srv/erp/tmp", true));
  EXPECT_FALSE(s.Excluded("/srv/erp", true));
  EXPECT_FALSE(s.Excluded("/srv/erp/tmp2", true));
}

TEST(Exclude, MultiComponentPatternsFloat) {
  ExcludeSet s = Set({"cache/*.bin"});
  EXPECT_TRUE(s.Excluded("/home/u/cache/a.bin", false));
  EXPECT_FALSE(s.Excluded("/home/u/cache/sub/a.bin", false));  // '*' does not cross '/'
  EXPECT_FALSE(s.Excluded("/home/u/a.bin", false));
}

TEST(Exclude, DoubleStarMatchesAnyDepth) {
  ExcludeSet s = Set({"**/node_modules", "/srv/**/*.log"});
  EXPECT_TRUE(s.Excluded("/a/b/c/node_modules", true));
  EXPECT_TRUE(s.Excluded("/node_modules", true));
  EXPECT_TRUE(s.Excluded("/srv/x.log", false));  // ** matches zero components
  EXPECT_TRUE(s.Excluded("/srv/a/b/x.log", false));
  EXPECT_FALSE(s.Excluded("/var/x.log", false));
}

TEST(Exclude, TrailingSlashMeansDirectoriesOnly) {
  ExcludeSet s = Set({"build/"});
  EXPECT_TRUE(s.Excluded("/src/build", true));
  EXPECT_FALSE(s.Excluded("/src/build", false));
}

TEST(Exclude, TheLastMatchingPatternDecides) {
  ExcludeSet s = Set({"*.log", "!important.log"});
  EXPECT_TRUE(s.Excluded("/var/a.log", false));
  EXPECT_FALSE(s.Excluded("/var/important.log", false));
  ExcludeSet reversed = Set({"!important.log", "*.log"});
  EXPECT_TRUE(reversed.Excluded("/var/important.log", false));
}

TEST(Exclude, NonUtf8NamesAndBrackets) {
  ExcludeSet s = Set({"caf\xe9*", "[ab].txt"});
  EXPECT_TRUE(s.Excluded("/x/caf\xe9-menu", false));
  EXPECT_TRUE(s.Excluded("/x/a.txt", false));
  EXPECT_FALSE(s.Excluded("/x/c.txt", false));
}

TEST(Exclude, EmptyPatternsAreErrorsNamingTheirPosition) {
  for (const char* bad : {"", "!", "/", "!/"}) {
    auto r = ExcludeSet::Parse({"*.tmp", bad});
    ASSERT_FALSE(r.has_value()) << "accepted '" << bad << "'";
    EXPECT_NE(r.error().message().find("exclude pattern 2"), std::string::npos);
  }
  EXPECT_TRUE(ExcludeSet::Parse({}).has_value());
  EXPECT_TRUE(ExcludeSet{}.empty());
  EXPECT_FALSE(ExcludeSet{}.Excluded("/a", false));
}

}  // namespace
}  // namespace failsafe::backup::archive
