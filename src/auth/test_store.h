#pragma once
// Test-only: a real SQLite store in a fresh temp directory with the auth schema applied.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "auth/auth_module.h"
#include "store/migrations.h"
#include "store/store.h"

namespace failsafe::auth::testing {

class TestStore {
 public:
  TestStore() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "auth_test_XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    auto s = store::OpenStore("sqlite:" + dir_ + "/failsafe.db");
    if (!s) throw std::runtime_error(s.error().ToString());
    store_ = std::move(*s);
    auto migrations = Migrations();
    Status st = store::Migrate(*store_, migrations);
    if (!st.ok()) throw std::runtime_error(st.ToString());
  }
  ~TestStore() {
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TestStore(const TestStore&) = delete;
  TestStore& operator=(const TestStore&) = delete;

  store::Store& store() { return *store_; }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  std::unique_ptr<store::Store> store_;
};

}  // namespace failsafe::auth::testing
