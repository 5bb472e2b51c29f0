#include "cli/api_client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>
#include <vector>

namespace failsafe::cli {
namespace {

// A tiny HTTP/1.1 responder on 127.0.0.1: answers each connection with the next canned reply
// (or stays silent when the reply is "SILENT") and records the requests it saw.
class Responder {
 public:
  explicit Responder(std::vector<std::string> replies) : replies_(std::move(replies)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    EXPECT_EQ(::listen(fd_, 8), 0);
    socklen_t len = sizeof(addr);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~Responder() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::vector<std::string>& requests() const { return requests_; }

 private:
  void Serve() {
    for (const std::string& reply : replies_) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      requests_.push_back(ReadRequest(c));
      if (reply == "SILENT") {
        ::usleep(1'500'000);
      } else {
        ::send(c, reply.data(), reply.size(), MSG_NOSIGNAL);
      }
      ::close(c);
    }
  }
  static std::string ReadRequest(int c) {
    std::string text;
    char buf[4096];
    size_t need = std::string::npos;
    while (need == std::string::npos || text.size() < need) {
      ssize_t n = ::recv(c, buf, sizeof(buf), 0);
      if (n <= 0) break;
      text.append(buf, static_cast<size_t>(n));
      size_t end = text.find("\r\n\r\n");
      if (end != std::string::npos && need == std::string::npos) {
        size_t length = 0;
        size_t at = text.find("Content-Length: ");
        if (at != std::string::npos && at < end) length = std::stoul(text.substr(at + 16));
        need = end + 4 + length;
      }
    }
    return text;
  }

  std::vector<std::string> replies_;
  std::vector<std::string> requests_;
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

std::string Reply(int status, const std::string& body,
                  const std::string& type = "application/json") {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: " + type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
         body;
}

ApiClient Client(const std::string& url, const std::string& token = "fst_test") {
  ApiClientOptions o;
  o.server = url + "/";
  o.token = token;
  o.timeout = std::chrono::milliseconds(800);
  return ApiClient(o);
}

TEST(ApiClientTest, SendsBearerTokenAndJsonBody) {
  Responder r({Reply(201, R"({"id":7,"username":"li"})")});
  auto v = Client(r.url()).Post("/api/v1/users", boost::json::object{{"username", "li"}});
  ASSERT_TRUE(v) << v.error().ToString();
  EXPECT_EQ(v->at("id").as_int64(), 7);
  ASSERT_EQ(r.requests().size(), 1u);
  const std::string& req = r.requests()[0];
  EXPECT_TRUE(req.starts_with("POST /api/v1/users HTTP/1.1\r\n")) << req;
  EXPECT_NE(req.find("Authorization: Bearer fst_test\r\n"), std::string::npos) << req;
  EXPECT_NE(req.find("Content-Type: application/json\r\n"), std::string::npos) << req;
  EXPECT_TRUE(req.ends_with("\r\n\r\n{\"username\":\"li\"}")) << req;
}

TEST(ApiClientTest, NoContentGivesNull) {
  Responder r({"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"});
  auto v = Client(r.url()).Delete("/api/v1/tokens/3");
  ASSERT_TRUE(v) << v.error().ToString();
  EXPECT_TRUE(v->is_null());
  EXPECT_TRUE(r.requests()[0].starts_with("DELETE /api/v1/tokens/3 HTTP/1.1"));
}

TEST(ApiClientTest, ErrorShapeBecomesStatusWithField) {
  Responder r({Reply(
      409,
      R"({"error":{"code":"already_exists","message":"username is taken","field":"username"}})")});
  auto v = Client(r.url()).Post("/api/v1/users", boost::json::object{});
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(v.error().message(), "username is taken");
  EXPECT_EQ(v.error().field(), "username");
}

TEST(ApiClientTest, UnauthenticatedWithoutTokenHintsAtToken) {
  Responder r(
      {Reply(401, R"({"error":{"code":"unauthenticated","message":"authentication required"}})")});
  auto v = Client(r.url(), "").Get("/api/v1/users");
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code(), ErrorCode::kUnauthenticated);
  EXPECT_NE(v.error().message().find("FAILSAFE_TOKEN"), std::string::npos) << v.error().message();
  EXPECT_EQ(r.requests()[0].find("Authorization"), std::string::npos);
}

TEST(ApiClientTest, NonJsonErrorIsMappedFromStatus) {
  Responder r({Reply(502, "<html>bad gateway</html>", "text/html")});
  auto v = Client(r.url()).Get("/api/v1/users");
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(v.error().message().find("502"), std::string::npos);
}

TEST(ApiClientTest, NonJsonSuccessIsAClearError) {
  Responder r({Reply(200, "<html>hello</html>", "text/html")});
  auto v = Client(r.url()).Get("/api/v1/users");
  ASSERT_FALSE(v);
  EXPECT_NE(v.error().message().find("not JSON"), std::string::npos);
}

TEST(ApiClientTest, ConnectionRefusedNamesTheServer) {
  int port;
  {
    Responder r({});  // bind a port, then free it: nothing listens there afterwards
    port = std::stoi(r.url().substr(r.url().rfind(':') + 1));
  }
  std::string url = "http://127.0.0.1:" + std::to_string(port);
  auto v = Client(url).Get("/healthz");
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(v.error().message().find("cannot connect to the failsafe server at " + url),
            std::string::npos)
      << v.error().message();
}

TEST(ApiClientTest, TimeoutIsDeadlineExceeded) {
  Responder r({"SILENT"});
  auto v = Client(r.url()).Get("/slow");
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code(), ErrorCode::kDeadlineExceeded);
  EXPECT_NE(v.error().message().find("did not answer"), std::string::npos);
}

TEST(ApiClientTest, BadServerUrlIsInvalidArgument) {
  auto v = Client("localhost:8080").Get("/healthz");
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(v.error().field(), "--server");
}

TEST(ApiClientTest, GetItemsFollowsCursors) {
  Responder r({Reply(200, R"({"items":[{"id":1},{"id":2}],"next_cursor":"abc+/"})"),
               Reply(200, R"({"items":[{"id":3}],"next_cursor":null})")});
  auto items = Client(r.url()).GetItems("/api/v1/users?limit=2");
  ASSERT_TRUE(items) << items.error().ToString();
  ASSERT_EQ(items->size(), 3u);
  EXPECT_EQ(items->at(2).at("id").as_int64(), 3);
  ASSERT_EQ(r.requests().size(), 2u);
  EXPECT_TRUE(r.requests()[1].starts_with("GET /api/v1/users?limit=2&cursor=abc%2B%2F HTTP/1.1"))
      << r.requests()[1];
}

TEST(ApiClientTest, GetItemsStopsAtMax) {
  Responder r({Reply(200, R"({"items":[{"id":1},{"id":2}],"next_cursor":"x"})")});
  auto items = Client(r.url()).GetItems("/api/v1/audit", 1);
  ASSERT_TRUE(items);
  EXPECT_EQ(items->size(), 1u);
  EXPECT_EQ(r.requests().size(), 1u);
}

TEST(StatusFromErrorReplyTest, UnknownCodeIsInternalAndMessageKept) {
  Status s = StatusFromErrorReply(500, R"({"error":{"code":"weird","message":"m"}})", true);
  EXPECT_EQ(s.code(), ErrorCode::kInternal);
  EXPECT_EQ(s.message(), "m");
  s = StatusFromErrorReply(429, "", true);
  EXPECT_EQ(s.code(), ErrorCode::kTooManyRequests);
}

TEST(UrlEncodeTest, EncodesReserved) {
  EXPECT_EQ(UrlEncode("user.create"), "user.create");
  EXPECT_EQ(UrlEncode("a b&c=d/李"), "a%20b%26c%3Dd%2F%E6%9D%8E");
}

}  // namespace
}  // namespace failsafe::cli
