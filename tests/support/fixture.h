#pragma once
// A running server with an admin bearer token, shared by the tests of one suite.
#include <gtest/gtest.h>

#include <memory>

#include "tests/support/http_client.h"
#include "tests/support/process.h"

namespace failsafe::testing {

class ServerFixture : public ::testing::Test {
 protected:
  // Starts one server (SQLite in a temp dir) per test suite.
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  static ServerProcess& server() { return *server_; }
  static const std::string& admin_token() { return admin_token_; }
  // A client authenticated with the admin token.
  HttpClient AdminClient() const;
  HttpClient AnonymousClient() const { return HttpClient(server_->address()); }
  // Creates a user with `role` and returns a client holding that user's own API token.
  static HttpClient ClientForNewUser(const std::string& username, const std::string& role);

  static inline std::unique_ptr<TempDir> dir_;
  static inline std::unique_ptr<ServerProcess> server_;
  static inline std::string admin_token_;
};

inline const char* kAdminPassword = "Correct-Horse-Battery-42";
inline const char* kUserPassword = "Staple-Orbit-Lantern-77";

}  // namespace failsafe::testing
