// Integration tests for notify: the real server, the real CLI and real local receivers (an HTTP
// robot receiver that checks DingTalk/Feishu/webhook signatures, an aiosmtpd SMTP server).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <set>
#include <thread>

#include "tests/support/http_client.h"
#include "tests/support/process.h"
#include "tests/support/receivers.h"

namespace failsafe::testing {
namespace {

namespace bj = boost::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr const char* kPassword = "Correct-Horse-Battery-42";

// A server with short notification timings (a config file), restartable on the same data.
class NotifyServer {
 public:
  NotifyServer() {
    const std::string config = dir_.path() + "/failsafe.yaml";
    std::ofstream(config) << "notify:\n  retry_initial: 300ms\n  retry_max: 2s\n"
                             "  send_timeout: 1500ms\n  max_attempts: 5\n";
    ServerOptions options = OptionsFor(dir_.path() + "/data");
    options.admin_password = kPassword;
    options.extra_args = {"--config", config};
    server_ = std::make_unique<ServerProcess>(options);
  }

  bool Start() {
    if (!server_->Start()) return false;
    if (token_.empty()) {
      HttpClient c(server_->address());
      if (c.Login("admin", kPassword).status != 200) return false;
      token_ = c.CreateToken("notify-test", "admin");
    }
    return !token_.empty();
  }
  ServerProcess& process() { return *server_; }
  HttpClient Admin() {
    HttpClient c(server_->address());
    c.SetBearer(token_);
    return c;
  }
  CommandResult Cli(std::vector<std::string> args) {
    return RunCommand(FailsafeBinary(), args,
                      {{"FAILSAFE_SERVER", server_->url()}, {"FAILSAFE_TOKEN", token_}});
  }
  // The outbox rows as the API lists them.
  bj::array Notifications(const std::string& query = "") {
    auto r = Admin().Get("/api/v1/notifications?limit=500" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    const bj::value json = r.Json();
    return json.is_object() ? json.at("items").as_array() : bj::array{};
  }
  // Waits until no row is pending or sending.
  bool WaitSettled(milliseconds deadline) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < until) {
      bool busy = false;
      for (const auto& n : Notifications()) {
        const auto& state = n.at("state").as_string();
        busy = busy || state == "pending" || state == "sending";
      }
      if (!busy) return true;
      std::this_thread::sleep_for(milliseconds(100));
    }
    return false;
  }

 private:
  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::string token_;
};

int64_t AddChannelViaApi(NotifyServer& s, const bj::object& body) {
  auto r = s.Admin().Post("/api/v1/channels", bj::serialize(body));
  EXPECT_EQ(r.status, 201) << r.body;
  return r.status == 201 ? r.Json().at("id").to_number<int64_t>() : 0;
}

std::vector<int64_t> Post(NotifyServer& s, const bj::object& body) {
  auto r = s.Admin().Post("/api/v1/notifications", bj::serialize(body));
  EXPECT_EQ(r.status, 202) << r.body;
  std::vector<int64_t> ids;
  if (r.status == 202) {
    const bj::value json = r.Json();  // kept alive: the loop reads into it
    for (const auto& v : json.at("ids").as_array()) ids.push_back(v.to_number<int64_t>());
  }
  return ids;
}

class NotifyIntegration : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.Start()) << server_.process().log(); }
  NotifyServer server_;
};

TEST_F(NotifyIntegration, ChannelAddAndTestForEveryRobotTypeThroughTheCli) {
  RobotReceiver robots(
      {{"/dingtalk/ops", "SEC-ding"}, {"/feishu/ops", "SEC-feishu"}, {"/webhook/ops", "SEC-hook"}});
  ASSERT_TRUE(robots.Start()) << robots.log();
  struct Case {
    std::string type, url, secret;
  };
  const std::vector<Case> cases = {
      {"dingtalk", robots.Url("/dingtalk/ops?access_token=TOKEN-D"), "SEC-ding"},
      {"feishu", robots.Url("/feishu/ops"), "SEC-feishu"},
      {"wecom", robots.Url("/wecom/ops?key=KEY-W"), ""},
      {"slack", robots.Url("/slack/ops"), ""},
      {"webhook", robots.Url("/webhook/ops"), "SEC-hook"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args = {"channel", "add",           "--type", c.type,
                                     "--name",  c.type + "-ops", "--url",  c.url};
    if (!c.secret.empty()) args.insert(args.end(), {"--secret", c.secret});
    auto added = server_.Cli(args);
    ASSERT_EQ(added.exit_code, 0) << c.type << ": " << added.err;
    EXPECT_EQ(added.out.find("TOKEN-D"), std::string::npos) << "URL tokens are never shown";
    auto tested = server_.Cli({"channel", "test", c.type + "-ops"});
    EXPECT_EQ(tested.exit_code, 0) << c.type << ": " << tested.err << tested.out;
    ASSERT_TRUE(robots.WaitForCount(1, seconds(5), "/" + c.type + "/ops")) << c.type;
  }
  // What arrived is each platform's format (and the signatures were checked on arrival).
  auto ding = robots.Received("/dingtalk/ops")[0];
  EXPECT_EQ(ding.at("body").at("msgtype").as_string(), "actionCard");
  EXPECT_FALSE(ding.at("idempotency_key").as_string().empty());
  auto feishu = robots.Received("/feishu/ops")[0];
  EXPECT_FALSE(feishu.at("body").at("sign").as_string().empty());
  auto hook = robots.Received("/webhook/ops")[0];
  EXPECT_EQ(std::string(hook.at("headers").at("X-Failsafe-Signature").as_string()).substr(0, 7),
            "sha256=");

  // A wrong secret: the platform refuses, and the CLI says why.
  auto wrong =
      server_.Cli({"channel", "add", "--type", "dingtalk", "--name", "wrong-secret", "--url",
                   robots.Url("/dingtalk/ops?access_token=T"), "--secret", "not-the-secret"});
  ASSERT_EQ(wrong.exit_code, 0) << wrong.err;
  auto refused = server_.Cli({"channel", "test", "wrong-secret"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("310000"), std::string::npos) << refused.err;

  auto list = server_.Cli({"channel", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(list.out.find("TOKEN-D"), std::string::npos);
  EXPECT_EQ(list.out.find("SEC-ding"), std::string::npos);
  EXPECT_EQ(bj::parse(list.out).as_array().size(), 6u);
  auto show = server_.Cli({"channel", "show", "dingtalk-ops"});
  EXPECT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("rate limit  20/min"), std::string::npos) << show.out;
  auto removed = server_.Cli({"channel", "remove", "wrong-secret"});
  EXPECT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_EQ(server_.Cli({"channel", "show", "wrong-secret"}).exit_code, 1);
}

TEST_F(NotifyIntegration, EmailChannelOverStarttlsWithAuthAndAChineseSubject) {
  SmtpReceiverOptions options;
  options.starttls = true;
  options.require_starttls = true;
  options.user = "mailer";
  options.password = "mail-pass";
  SmtpReceiver smtp(options);
  ASSERT_TRUE(smtp.Start()) << smtp.log();
  auto added = server_.Cli({"channel",
                            "add",
                            "--type",
                            "email",
                            "--name",
                            "mail",
                            "--url",
                            smtp.Url(),
                            "--smtp-user",
                            "mailer",
                            "--smtp-password",
                            "mail-pass",
                            "--from",
                            "failsafe <alerts@example.com>",
                            "--to",
                            "oncall@example.com",
                            "--starttls",
                            "required",
                            "--smtp-ca-file",
                            smtp.cert_path()});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  auto tested = server_.Cli(
      {"channel", "test", "mail", "--language", "zh-CN", "--title", "数据库故障：Jira 不可用"});
  ASSERT_EQ(tested.exit_code, 0) << tested.err;
  ASSERT_TRUE(smtp.WaitForCount(1, seconds(5)));
  const ReceivedEmail mail = smtp.Messages()[0];
  EXPECT_TRUE(mail.tls);
  EXPECT_EQ(mail.auth_login, "mailer");
  EXPECT_EQ(mail.mail_from, "alerts@example.com");
  ASSERT_EQ(mail.rcpt_tos.size(), 1u);
  EXPECT_EQ(mail.headers.at("subject").rfind("=?UTF-8?B?", 0), 0u) << mail.headers.at("subject");
  EXPECT_EQ(DecodeEncodedWords(mail.headers.at("subject")), "数据库故障：Jira 不可用");
  EXPECT_NE(mail.headers.at("content-type").find("multipart/alternative"), std::string::npos);
  EXPECT_NE(mail.text_body.find("mail"), std::string::npos);
  EXPECT_NE(mail.html_body.find("<strong>mail</strong>"), std::string::npos);
  EXPECT_FALSE(mail.headers.at("message-id").empty());

  // A wrong password is a failure with the server's answer, not a hang.
  auto wrong = server_.Cli({"channel", "add", "--type", "email", "--name", "mail-wrong", "--url",
                            smtp.Url(), "--smtp-user", "mailer", "--smtp-password", "nope",
                            "--from", "alerts@example.com", "--to", "oncall@example.com",
                            "--smtp-ca-file", smtp.cert_path()});
  ASSERT_EQ(wrong.exit_code, 0) << wrong.err;
  auto refused = server_.Cli({"channel", "test", "mail-wrong"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("email:"), std::string::npos) << refused.err;
  EXPECT_EQ(smtp.Messages().size(), 1u);
}

TEST_F(NotifyIntegration, FailuresAreRetriedUntilDeliveredAndShownOnTheApi) {
  RobotReceiver robots(std::map<std::string, std::string>{{"/dingtalk/retry", "SEC"}});
  ASSERT_TRUE(robots.Start()) << robots.log();
  ASSERT_TRUE(robots.Control(R"({"fail":2})"));
  const int64_t ch =
      AddChannelViaApi(server_, {{"name", "retry"},
                                 {"type", "dingtalk"},
                                 {"url", robots.Url("/dingtalk/retry?access_token=T")},
                                 {"secret", "SEC"}});
  auto ids = Post(server_, {{"title", "P2 ERP slow"},
                            {"markdown", "ERP answers in 20 s"},
                            {"channel_ids", bj::array{ch}},
                            {"idempotency_key", "retry-1"}});
  ASSERT_EQ(ids.size(), 1u);
  ASSERT_TRUE(robots.WaitForCount(1, seconds(15), "/dingtalk/retry"));
  ASSERT_TRUE(server_.WaitSettled(seconds(5)));
  auto row = server_.Admin().Get("/api/v1/notifications/" + std::to_string(ids[0])).Json();
  EXPECT_EQ(row.at("state").as_string(), "delivered");
  EXPECT_EQ(row.at("attempts").to_number<int64_t>(), 3);
  EXPECT_EQ(robots.Counters().at("rejected").to_number<int64_t>(), 2);
  const std::string metrics = server_.Admin().Get("/metrics").body;
  EXPECT_NE(metrics.find(R"(failsafe_notify_sends_total{type="dingtalk",outcome="failed"} 2)"),
            std::string::npos)
      << metrics.substr(0, 2000);

  // Past max_attempts (5) a notification fails, stays visible, and can be retried by API.
  ASSERT_TRUE(robots.Control(R"({"fail":5})"));
  auto failing = Post(server_, {{"title", "will fail"}, {"channel_ids", bj::array{ch}}});
  ASSERT_EQ(failing.size(), 1u);
  ASSERT_TRUE(server_.WaitSettled(seconds(20)));
  auto failed = server_.Notifications("&state=failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_NE(failed[0].at("last_error").as_string().find("errcode"), std::string::npos);
  auto retried =
      server_.Admin().Post("/api/v1/notifications/" + std::to_string(failing[0]) + "/retry", "");
  EXPECT_EQ(retried.status, 200) << retried.body;
  ASSERT_TRUE(robots.WaitForCount(2, seconds(10), "/dingtalk/retry"));
  EXPECT_EQ(
      server_.Admin().Post("/api/v1/notifications/" + std::to_string(ids[0]) + "/retry", "").status,
      409);
}

// Each message is sent as soon as it is queued, even when the robot's previous send has only
// just finished: the worker must not take the finishing lane for a busy one and fall back to
// its 5 s poll (seen by bench/incidents as a p99 of 5 s).
TEST_F(NotifyIntegration, BackToBackMessagesToOneRobotGoOutWithoutWaitingForThePoll) {
  RobotReceiver robots(std::map<std::string, std::string>{{"/dingtalk/fast", "SEC"}});
  ASSERT_TRUE(robots.Start()) << robots.log();
  const int64_t ch =
      AddChannelViaApi(server_, {{"name", "fast"},
                                 {"type", "dingtalk"},
                                 {"url", robots.Url("/dingtalk/fast?access_token=T")},
                                 {"secret", "SEC"},
                                 {"rate_limit", bj::object{{"per_minute", 0}, {"per_second", 0}}}});
  // The receiver holds each answer open a little, so the next message is queued while the
  // previous send is still running: the case that used to wait for the poll.
  ASSERT_TRUE(robots.Control(R"({"hold_ms":40,"count":1000})"));
  for (int i = 1; i <= 60; ++i) {
    ASSERT_EQ(
        Post(server_, {{"title", "message " + std::to_string(i)}, {"channel_ids", bj::array{ch}}})
            .size(),
        1u);
    ASSERT_TRUE(robots.WaitForCount(i, seconds(2), "/dingtalk/fast"))
        << "message " << i << " took longer than 2 s";
  }
}

TEST_F(NotifyIntegration, AHangingWebhookTimesOutAndIsRetriedOnce) {
  RobotReceiver robots;
  ASSERT_TRUE(robots.Start()) << robots.log();
  ASSERT_TRUE(robots.Control(R"({"hang_ms":4000,"count":1})"));
  const int64_t ch = AddChannelViaApi(
      server_, {{"name", "hook"}, {"type", "webhook"}, {"url", robots.Url("/webhook/hang")}});
  auto ids = Post(server_, {{"title", "hang"}, {"channel_ids", bj::array{ch}}});
  ASSERT_EQ(ids.size(), 1u);
  ASSERT_TRUE(robots.WaitForCount(1, seconds(10), "/webhook/hang"));
  ASSERT_TRUE(server_.WaitSettled(seconds(5)));
  auto row = server_.Admin().Get("/api/v1/notifications/" + std::to_string(ids[0])).Json();
  EXPECT_EQ(row.at("state").as_string(), "delivered");
  EXPECT_GE(row.at("attempts").to_number<int64_t>(), 2);
  // The hung request finally lands too, with the same key: recorded once.
  std::this_thread::sleep_for(seconds(3));
  EXPECT_EQ(robots.Received("/webhook/hang").size(), 1u);
}

TEST_F(NotifyIntegration, AStormToARateLimitedRobotArrivesAsAtMostTwentyWithNothingLost) {
  RobotReceiver robots;
  ASSERT_TRUE(robots.Start()) << robots.log();
  const int64_t ch =
      AddChannelViaApi(server_, {{"name", "storm"},
                                 {"type", "dingtalk"},
                                 {"url", robots.Url("/dingtalk/storm?access_token=T")}});
  std::set<std::string> titles;
  for (int i = 0; i < 50; ++i) {
    const std::string title = "alert-" + std::to_string(i) + "-end";
    titles.insert(title);
    ASSERT_EQ(Post(server_, {{"title", title}, {"channel_ids", bj::array{ch}}}).size(), 1u);
  }
  ASSERT_TRUE(server_.WaitSettled(seconds(20)));
  auto got = robots.Received("/dingtalk/storm");
  EXPECT_LE(got.size(), 20u);
  std::string all;
  for (const auto& m : got) all += bj::serialize(m.at("body"));
  for (const auto& t : titles) EXPECT_NE(all.find(t), std::string::npos) << t << " was lost";
  EXPECT_NE(all.find("more notifications"), std::string::npos);
  EXPECT_FALSE(server_.Notifications("&state=folded").empty());
}

TEST_F(NotifyIntegration, Kill9WhileTheReceiverHoldsADeliveryOpenNeitherLosesNorDuplicates) {
  RobotReceiver robots;
  ASSERT_TRUE(robots.Start()) << robots.log();
  // The receiver records the message, then holds its answer: the server has sent but not yet
  // recorded the delivery when it dies.
  ASSERT_TRUE(robots.Control(R"({"hold_ms":10000,"count":1})"));
  const int64_t ch = AddChannelViaApi(
      server_, {{"name", "held"}, {"type", "webhook"}, {"url", robots.Url("/webhook/held")}});
  auto ids = Post(server_, {{"title", "held delivery"},
                            {"idempotency_key", "kill9-key"},
                            {"channel_ids", bj::array{ch}}});
  ASSERT_EQ(ids.size(), 1u);
  ASSERT_TRUE(robots.WaitForCount(1, seconds(10), "/webhook/held"));
  server_.process().Kill9();
  ASSERT_TRUE(server_.Start()) << server_.process().log();
  ASSERT_TRUE(server_.WaitSettled(seconds(15)));
  auto row = server_.Admin().Get("/api/v1/notifications/" + std::to_string(ids[0])).Json();
  EXPECT_EQ(row.at("state").as_string(), "delivered");
  EXPECT_EQ(robots.Received("/webhook/held").size(), 1u);
  auto counters = robots.Counters();
  EXPECT_EQ(counters.at("accepted").to_number<int64_t>(), 1);
  EXPECT_GE(counters.at("duplicates").to_number<int64_t>(), 1)
      << "the restart re-sent with the same key";
}

TEST_F(NotifyIntegration, BadChannelInputIsA400NamingTheField) {
  HttpClient admin = server_.Admin();
  auto r = admin.Post("/api/v1/channels", R"({"name":"x","type":"pager","url":"https://e"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("type"), std::string::npos);
  r = admin.Post("/api/v1/channels", R"({"name":"x","type":"email","url":"https://e"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("smtp://"), std::string::npos);
  r = admin.Post("/api/v1/channels",
                 R"({"name":"x","type":"slack","url":"https://e","scope":{"severities":["P9"]}})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("scope.severities"), std::string::npos);
  r = admin.Post("/api/v1/channels", R"({"name":"x","type":"slack","url":"https://e","bogus":1})");
  EXPECT_EQ(r.status, 400);
  auto ok = admin.Post("/api/v1/channels", R"({"name":"dup","type":"slack","url":"https://e/x"})");
  EXPECT_EQ(ok.status, 201) << ok.body;
  auto dup = admin.Post("/api/v1/channels", R"({"name":"dup","type":"slack","url":"https://e/y"})");
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(admin.Get("/api/v1/notifications?state=bogus").status, 400);
}

}  // namespace
}  // namespace failsafe::testing
