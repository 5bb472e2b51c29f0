#include "base/env.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

namespace failsafe {
namespace {

void ExerciseEnv(Env& env, const std::string& dir) {
  ASSERT_TRUE(env.CreateDirs(dir).ok());
  std::string path = dir + "/key";
  EXPECT_FALSE(env.FileExists(path));
  auto missing = env.ReadFile(path);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  ASSERT_TRUE(env.WriteFileAtomic(path, "first", 0600).ok());
  ASSERT_TRUE(env.WriteFileAtomic(path, "second", 0600).ok());
  EXPECT_EQ(*env.ReadFile(path), "second");
  ASSERT_TRUE(env.RemoveFile(path).ok());
  EXPECT_FALSE(env.FileExists(path));
}

TEST(Env, MemEnvBehavesLikeAFileSystem) {
  auto env = NewMemEnv();
  ExerciseEnv(*env, "/mem");
}

TEST(Env, PosixEnvWritesAtomicallyWithMode) {
  auto dir = std::filesystem::temp_directory_path() / ("fs-env-" + std::to_string(::getpid()));
  ExerciseEnv(*Env::Default(), dir.string());
  std::string path = (dir / "secret").string();
  ASSERT_TRUE(Env::Default()->WriteFileAtomic(path, "k", 0600).ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // No temporary files are left behind.
  int entries = 0;
  for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(dir)) ++entries;
  EXPECT_EQ(entries, 1);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace failsafe
