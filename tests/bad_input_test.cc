// Hostile and broken requests against the real server: every one gets a 4xx in the error
// shape, never a 5xx, a crash or a hang.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>

#include "tests/support/fixture.h"

namespace failsafe::testing {
namespace {

class BadInput : public ServerFixture {
 protected:
  static void ExpectErrorShape(const HttpResult& r, int status, const std::string& what) {
    EXPECT_EQ(r.status, status) << what << ": " << r.body;
    auto v = r.Json();
    ASSERT_TRUE(v.is_object()) << what << ": " << r.body;
    ASSERT_TRUE(v.as_object().contains("error")) << what;
    auto& err = v.at("error").as_object();
    EXPECT_TRUE(err.at("code").is_string()) << what;
    EXPECT_TRUE(err.at("message").is_string()) << what;
  }

  // Sends raw bytes and returns the status line's code (0 if the server closed silently).
  int RawStatus(const std::string& bytes) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    auto colon = server().address().rfind(':');
    addr.sin_port = htons(static_cast<uint16_t>(std::stoi(server().address().substr(colon + 1))));
    ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return -1;
    ssize_t w = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    (void)w;
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buf[512] = {};
    ssize_t n = ::recv(fd, buf, sizeof buf - 1, 0);
    ::close(fd);
    if (n < 12) return 0;
    return std::atoi(buf + 9);
  }
};

TEST_F(BadInput, MalformedJsonWrongTypesAndUnknownFields) {
  HttpClient admin = AdminClient();
  ExpectErrorShape(admin.Post("/api/v1/users", "{\"username\": "), 400, "truncated JSON");
  ExpectErrorShape(admin.Post("/api/v1/users", "[1,2,3]"), 400, "array body");
  ExpectErrorShape(
      admin.Post("/api/v1/users", R"({"username": 42, "password": "x", "role": "viewer"})"), 400,
      "wrong type");
  auto unknown = admin.Post(
      "/api/v1/users",
      R"({"username":"u1","password":"Staple-Orbit-Lantern-77","role":"viewer","rolee":"admin"})");
  ExpectErrorShape(unknown, 400, "unknown field");
  EXPECT_EQ(unknown.Json().at("error").at("field"), "rolee");
  ExpectErrorShape(
      admin.Post("/api/v1/users",
                 R"({"username":"u2","password":"Staple-Orbit-Lantern-77","role":"emperor"})"),
      400, "bad enum");
  ExpectErrorShape(admin.Post("/api/v1/users", "\"\xff\xfe\""), 400, "bad UTF-8");
  ExpectErrorShape(admin.Post("/api/v1/users", "{}", "text/plain"), 415, "wrong content type");
}

TEST_F(BadInput, OversizeBodiesGet413) {
  HttpClient admin = AdminClient();
  std::string huge = "{\"name\":\"" + std::string(2 << 20, 'a') + "\"}";
  auto r = admin.Post("/api/v1/tokens", huge);
  ExpectErrorShape(r, 413, "2 MiB body");
}

TEST_F(BadInput, PathTraversalAndOddPaths) {
  HttpClient anon = AnonymousClient();
  for (std::string path :
       {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/assets/..%2f..%2fetc%2fpasswd",
        "/api/v1/users/%00", "/api/v1/users/..%2f..%2f", "/%ff%fe"}) {
    auto r = anon.Get(path);
    EXPECT_GE(r.status, 400) << path;
    EXPECT_LT(r.status, 500) << path << " " << r.body;
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << path;
  }
  HttpClient admin = AdminClient();
  // {id} takes an id or a username; an unknown one is a 404 that names it.
  auto by_name = admin.Get("/api/v1/users/not-a-number");
  ExpectErrorShape(by_name, 404, "unknown username");
  EXPECT_NE(by_name.body.find("not-a-number"), std::string::npos);
  ExpectErrorShape(admin.Get("/api/v1/users/999999999"), 404, "missing user");
  ExpectErrorShape(admin.Get("/api/v1/nothing-here"), 404, "unknown route");
  ExpectErrorShape(admin.Send("PUT", "/api/v1/users", ""), 405, "wrong method");
  ExpectErrorShape(admin.Get("/api/v1/users?limit=-5"), 400, "bad limit");
  ExpectErrorShape(admin.Get("/api/v1/users?cursor=%%%"), 400, "bad cursor");
}

TEST_F(BadInput, GarbageOnTheWireGets400AndTheServerStaysUp) {
  EXPECT_EQ(RawStatus("GARBAGE\r\n\r\n"), 400);
  EXPECT_EQ(RawStatus("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"), 400);
  EXPECT_EQ(RawStatus(std::string("GET /\0 HTTP/1.1\r\n\r\n", 20)), 400);
  std::string big_header =
      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(100'000, 'a') + "\r\n\r\n";
  int big = RawStatus(big_header);
  EXPECT_TRUE(big == 431 || big == 400 || big == 0) << big;
  HttpClient anon = AnonymousClient();
  EXPECT_EQ(anon.Get("/healthz").status, 200);
}

}  // namespace
}  // namespace failsafe::testing
