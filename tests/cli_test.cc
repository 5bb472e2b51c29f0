// The command line against a real server: the forms scripts depend on, exit codes, JSON
// output, and the forensic `audit verify` reading the store directly.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/json.hpp>

#include "tests/support/http_client.h"
#include "tests/support/process.h"

namespace failsafe::testing {
namespace {

constexpr const char* kPassword = "Correct-Horse-Battery-42";

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(OptionsFor(dir_.path() + "/data"));
    ASSERT_TRUE(server_->Start()) << server_->log();
    HttpClient c(server_->address());
    ASSERT_EQ(c.Login("admin", kPassword).status, 200);
    token_ = c.CreateToken("cli-test", "admin");
    ASSERT_FALSE(token_.empty());
  }
  CommandResult Run(std::vector<std::string> args, const std::string& stdin_text = "") {
    return RunCommand(FailsafeBinary(), args,
                      {{"FAILSAFE_SERVER", server_->url()}, {"FAILSAFE_TOKEN", token_}},
                      stdin_text);
  }
  std::string data() const { return dir_.path() + "/data"; }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::string token_;
};

TEST_F(Cli, VersionHelpAndUsageErrors) {
  auto v = Run({"version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_NE(v.out.find("failsafe"), std::string::npos);
  auto help = Run({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* cmd : {"serve", "user", "token", "audit", "config", "version"}) {
    EXPECT_NE(help.out.find(cmd), std::string::npos) << cmd;
  }
  EXPECT_EQ(Run({"no-such-command"}).exit_code, 2);
  EXPECT_EQ(Run({"user", "create", "--role"}).exit_code, 2);
  auto completion = Run({"completion", "bash"});
  EXPECT_EQ(completion.exit_code, 0);
  EXPECT_NE(completion.out.find("token"), std::string::npos);
}

TEST_F(Cli, LoginPrintsATokenForTheShell) {
  auto r = RunCommand(FailsafeBinary(),
                      {"login", "-u", "admin", "--password-stdin", "--server", server_->url(),
                       "--name", "laptop", "--expires-in", "1d"},
                      {}, std::string(kPassword) + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto pos = r.out.find("export FAILSAFE_TOKEN=");
  ASSERT_NE(pos, std::string::npos) << r.out;
  std::string token = r.out.substr(pos + 22);
  token = token.substr(0, token.find('\n'));
  EXPECT_EQ(token.rfind("fst_", 0), 0u) << token;
  HttpClient shell(server_->address());
  shell.SetBearer(token);
  EXPECT_EQ(shell.Get("/api/v1/me").status, 200);

  auto wrong = RunCommand(FailsafeBinary(),
                          {"login", "-u", "admin", "--password-stdin", "--server", server_->url()},
                          {}, "Not-The-Password-123\n");
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_EQ(wrong.out.find("FAILSAFE_TOKEN"), std::string::npos);
  EXPECT_NE(wrong.err.find("failsafe:"), std::string::npos) << wrong.err;
}

TEST_F(Cli, UserCreateListDisable) {
  auto created =
      Run({"user", "create", "--username", "wang.wei", "--role", "responder", "--password-stdin"},
          "Staple-Orbit-Lantern-77\n");
  ASSERT_EQ(created.exit_code, 0) << created.err;

  auto json = Run({"user", "list", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto v = boost::json::parse(json.out);
  bool found = false;
  for (auto& u : v.as_array()) found |= u.at("username") == "wang.wei";
  EXPECT_TRUE(found) << json.out;

  auto table = Run({"user", "list"});
  EXPECT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("wang.wei"), std::string::npos);
  EXPECT_NE(table.out.find("responder"), std::string::npos);

  HttpClient c(server_->address());
  EXPECT_EQ(c.Login("wang.wei", "Staple-Orbit-Lantern-77").status, 200);
  EXPECT_EQ(Run({"user", "disable", "wang.wei"}).exit_code, 0);
  HttpClient c2(server_->address());
  EXPECT_EQ(c2.Login("wang.wei", "Staple-Orbit-Lantern-77").status, 401);
}

TEST_F(Cli, TokenCreateListRevoke) {
  auto created = Run({"token", "create", "--name", "grafana", "--role", "viewer", "--expires-in",
                      "30d", "--json"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  auto v = boost::json::parse(created.out);
  std::string token(v.at("token").as_string());
  int64_t id = v.at("id").to_number<int64_t>();

  auto list = Run({"token", "list", "--all"});
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_NE(list.out.find("grafana"), std::string::npos);
  EXPECT_EQ(list.out.find(token), std::string::npos);

  HttpClient bot(server_->address());
  bot.SetBearer(token);
  EXPECT_EQ(bot.Get("/api/v1/me").status, 200);
  EXPECT_EQ(Run({"token", "revoke", std::to_string(id)}).exit_code, 0);
  EXPECT_EQ(bot.Get("/api/v1/me").status, 401);
}

TEST_F(Cli, ErrorsAreClearAndExitOne) {
  auto bad_role = Run(
      {"user", "create", "--username", "x1", "--role", "viewer", "--password-stdin"}, "short\n");
  EXPECT_EQ(bad_role.exit_code, 1);
  EXPECT_NE(bad_role.err.find("password"), std::string::npos) << bad_role.err;

  auto down = RunCommand(FailsafeBinary(), {"user", "list"},
                         {{"FAILSAFE_SERVER", "http://127.0.0.1:1"}, {"FAILSAFE_TOKEN", token_}});
  EXPECT_EQ(down.exit_code, 1);
  EXPECT_NE(down.err.find("127.0.0.1:1"), std::string::npos) << down.err;

  auto no_token =
      RunCommand(FailsafeBinary(), {"user", "list"}, {{"FAILSAFE_SERVER", server_->url()}});
  EXPECT_EQ(no_token.exit_code, 1);
}

TEST_F(Cli, AuditListAndForensicVerify) {
  ASSERT_EQ(Run({"user", "create", "--username", "li.na", "--role", "viewer", "--password-stdin"},
                "Staple-Orbit-Lantern-77\n")
                .exit_code,
            0);
  auto list = Run({"audit", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("user.create"), std::string::npos);
  ASSERT_EQ(server_->Terminate(), 0);

  auto ok = Run({"audit", "verify", "--data", data()});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;

  // Alter one entry behind failsafe's back: verify must fail and name it.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((data() + "/failsafe.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto altered = Run({"audit", "verify", "--data", data()});
  EXPECT_EQ(altered.exit_code, 1);
  EXPECT_NE((altered.out + altered.err).find("2"), std::string::npos) << altered.out << altered.err;

  // Put it back and remove a later entry instead.
  ASSERT_EQ(sqlite3_open((data() + "/failsafe.db").c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "UPDATE audit_log SET actor = 'admin' WHERE seq = 2", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  auto restored = Run({"audit", "verify", "--data", data()});
  ASSERT_EQ(restored.exit_code, 0) << restored.out << restored.err;
  ASSERT_EQ(sqlite3_open((data() + "/failsafe.db").c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "DELETE FROM audit_log WHERE seq = 3", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  auto removed = Run({"audit", "verify", "--data", data()});
  EXPECT_EQ(removed.exit_code, 1);
  EXPECT_NE((removed.out + removed.err).find("3"), std::string::npos) << removed.out << removed.err;
}

}  // namespace
}  // namespace failsafe::testing
