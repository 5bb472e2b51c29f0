#include "watch/probes/http_steps.h"

#include <gtest/gtest.h>

#include <future>

#include "watch/probes/step_values.h"
#include "watch/probes/testing/test_http_server.h"

namespace failsafe::watch::probes {
namespace {

using namespace std::chrono_literals;
using testing::TestRequest;
using testing::TestResponse;

// A project tool in miniature: log in for a session cookie and a token, then list the tasks
// of a project with both.
TestResponse ProjectTool(const TestRequest& req) {
  if (req.method == "POST" && req.target == "/login") {
    if (req.body != R"({"user":"ops","password":"s3cret"})") return {401, {}, "bad login"};
    return {200,
            {{"Set-Cookie", "session=abc123; Path=/"}, {"X-Project", "OPS"}},
            R"({"data":{"token":"t-42","ttl":300}})"};
  }
  if (req.method == "POST" && req.target == "/login-token-only")
    return {200, {{"X-Project", "OPS"}}, R"({"data":{"token":"t-42","ttl":300}})"};
  if (req.target == "/rest/api/tasks?project=OPS") {
    const auto cookie = req.headers.count("cookie") ? req.headers.at("cookie") : "";
    const auto auth = req.headers.count("authorization") ? req.headers.at("authorization") : "";
    if (cookie.find("session=abc123") == std::string::npos || auth != "Bearer t-42")
      return {403, {}, "who are you"};
    return {200, {}, R"({"tasks":[{"key":"OPS-1"},{"key":"OPS-2"}]})"};
  }
  return {404, {}, ""};
}

class HttpStepsTest : public ::testing::Test {
 protected:
  ProbeResult Run(const std::vector<HttpStep>& steps) {
    std::promise<ProbeResult> done;
    RunHttpSteps(driver_, steps, 5s, [&](ProbeResult r) { done.set_value(std::move(r)); });
    return done.get_future().get();
  }

  std::vector<HttpStep> LoginThenTasks(std::string password) {
    HttpStep login;
    login.name = "login";
    login.request.method = "POST";
    login.request.url = server_.Url("/login");
    login.request.body = R"({"user":"ops","password":")" + password + R"("})";
    login.extract = {{"token", Extraction::From::kJsonPointer, "/data/token", nullptr},
                     {"project", Extraction::From::kHeader, "x-project", nullptr}};
    HttpStep tasks;
    tasks.name = "task-list";
    tasks.request.url = server_.Url("/rest/api/tasks?project={{project}}");
    tasks.request.headers = {{"Authorization", "Bearer {{ token }}"}};
    tasks.request.body_must_match = {*CompileRegex("OPS-1", "t")};
    tasks.extract = {{"first", Extraction::From::kRegex, R"re("key":"([^"]+)")re",
                      *CompileRegex(R"re("key":"([^"]+)")re", "t")}};
    return {login, tasks};
  }

  testing::TestHttpServer server_{ProjectTool};
  CurlDriver driver_;
};

TEST_F(HttpStepsTest, LogsInAndCarriesTokenHeaderAndCookie) {
  ProbeResult r = Run(LoginThenTasks("s3cret"));
  EXPECT_TRUE(r.success) << r.error;
  EXPECT_EQ(r.http_status, 200);
  EXPECT_TRUE(r.failed_step.empty());
  EXPECT_EQ(server_.requests(), 2u);
}

TEST_F(HttpStepsTest, FailureNamesTheStep) {
  ProbeResult r = Run(LoginThenTasks("wrong"));
  EXPECT_FALSE(r.success);
  EXPECT_EQ(r.failed_step, "login");
  EXPECT_EQ(r.error, "step login: status 401 not in 2xx");
  EXPECT_EQ(r.http_status, 401);
}

TEST_F(HttpStepsTest, MissingValueFailsTheExtractingStep) {
  auto steps = LoginThenTasks("s3cret");
  steps[0].extract[0].expression = "/data/missing";
  ProbeResult r = Run(steps);
  EXPECT_EQ(r.failed_step, "login");
  EXPECT_EQ(r.error,
            "step login: extracting token: JSON pointer /data/missing not found in the body");
}

TEST_F(HttpStepsTest, WithoutTheCookieTheSecondStepFails) {
  // The same token from a login that sets no session cookie is not enough for the task list:
  // step 2 passes above only because the cookie from step 1 went with it.
  auto steps = LoginThenTasks("s3cret");
  steps[0].request.url = server_.Url("/login-token-only");
  ProbeResult r = Run(steps);
  EXPECT_EQ(r.failed_step, "task-list");
  EXPECT_EQ(r.error, "step task-list: status 403 not in 2xx");
}

TEST(StepValues, ReferencesAndSubstitution) {
  auto names = ReferencedNames("/a/{{x}}/{{ y_2 }}", "url");
  ASSERT_TRUE(names.has_value());
  EXPECT_EQ(*names, (std::vector<std::string>{"x", "y_2"}));
  EXPECT_EQ(Substitute("/a/{{x}}/{{ y_2 }}", {{"x", "1"}, {"y_2", "two"}}), "/a/1/two");
  EXPECT_EQ(ReferencedNames("{{x", "url").error().message(), "unterminated '{{' at offset 0");
  EXPECT_EQ(ReferencedNames("{{a-b}}", "url").error().field(), "url");
}

}  // namespace
}  // namespace failsafe::watch::probes
