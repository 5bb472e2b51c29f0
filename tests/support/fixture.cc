#include "tests/support/fixture.h"

#include <boost/json.hpp>

namespace failsafe::testing {

void ServerFixture::SetUpTestSuite() {
  dir_ = std::make_unique<TempDir>();
  ServerOptions options;
  options.data_dir = dir_->path() + "/data";
  options.admin_password = kAdminPassword;
  server_ = std::make_unique<ServerProcess>(options);
  ASSERT_TRUE(server_->Start()) << server_->log();
  HttpClient client(server_->address());
  auto login = client.Login("admin", kAdminPassword);
  ASSERT_EQ(login.status, 200) << login.body;
  admin_token_ = client.CreateToken("suite-admin", "admin");
  ASSERT_FALSE(admin_token_.empty());
}

void ServerFixture::TearDownTestSuite() {
  if (server_) server_->Terminate();
  server_.reset();
  dir_.reset();
}

HttpClient ServerFixture::AdminClient() const {
  HttpClient c(server_->address());
  c.SetBearer(admin_token_);
  return c;
}

HttpClient ServerFixture::ClientForNewUser(const std::string& username, const std::string& role) {
  HttpClient admin(server_->address());
  admin.SetBearer(admin_token_);
  boost::json::object body{{"username", username}, {"password", kUserPassword}, {"role", role}};
  auto created = admin.Post("/api/v1/users", boost::json::serialize(body));
  EXPECT_EQ(created.status, 201) << created.body;
  HttpClient user(server_->address());
  auto login = user.Login(username, kUserPassword);
  EXPECT_EQ(login.status, 200) << login.body;
  std::string token = user.CreateToken(username + "-token", role);
  EXPECT_FALSE(token.empty());
  HttpClient out(server_->address());
  out.SetBearer(token);
  return out;
}

}  // namespace failsafe::testing
