#pragma once
// Test fixture running a suite once per engine: SQLite in a fresh temp dir, PostgreSQL in a
// fresh database of the shared test server. A missing PostgreSQL fails the test loudly.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "store/store.h"
#include "store/testing/temp_dir.h"

namespace failsafe::store {

class EngineTest : public ::testing::TestWithParam<Engine> {
 protected:
  Engine engine() const { return GetParam(); }
  // A URL to a new, empty database of this engine; fails the test when none can be made.
  std::string NewUrl();
  // Opens a store on a new database (or on `url`), asserting success.
  std::unique_ptr<Store> OpenNew(const StoreOptions& options = {});
  std::unique_ptr<Store> OpenUrl(const std::string& url, const StoreOptions& options = {});

  std::optional<testing::TempDir> dir_;
};


// "Sqlite" / "Postgres" in test names.
std::string EngineParamName(const ::testing::TestParamInfo<Engine>& info);

#define FAILSAFE_INSTANTIATE_ENGINES(suite)                                                        \
  INSTANTIATE_TEST_SUITE_P(                                                                        \
      Engines, suite,                                                                              \
      ::testing::Values(::failsafe::store::Engine::kSqlite, ::failsafe::store::Engine::kPostgres), \
      ::failsafe::store::EngineParamName)

// Asserts that a Status is OK, printing it otherwise; more context may be streamed in.
#define ASSERT_OK(expr)                            \
  switch (0)                                       \
  case 0:                                          \
  default:                                         \
    if (::failsafe::Status s_ = (expr); s_.ok()) { \
    } else                                         \
      GTEST_FAIL() << #expr << ": " << s_.ToString() << " "

}  // namespace failsafe::store
