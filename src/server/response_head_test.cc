#include "server/response_head.h"

#include <gtest/gtest.h>

#include <boost/beast/http.hpp>
#include <sstream>

namespace failsafe::server {
namespace {

namespace http = boost::beast::http;

// What the server wrote with Beast's serializer before it wrote heads itself.
std::string BeastBytes(const Response& response, unsigned version, bool keep_alive, bool head) {
  http::response<http::string_body> res;
  res.version(version);
  res.result(static_cast<unsigned>(response.status));
  res.set(http::field::server, "failsafe");
  if (!response.content_type.empty()) res.set(http::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) res.insert(name, value);
  res.keep_alive(keep_alive);
  if (head) {
    res.content_length(response.body.size());
  } else {
    res.body() = response.body;
    res.prepare_payload();
  }
  std::ostringstream os;
  os << res;
  return os.str();
}

std::string OurBytes(const Response& response, unsigned version, bool keep_alive, bool head) {
  std::string out;
  if (WriteResponseHead(out, response, version, keep_alive, head)) out += response.body;
  return out;
}

std::vector<Response> Answers() {
  std::vector<Response> out;
  Response json = Response::JsonText(R"({"ok":true})");
  json.headers = {{"Set-Cookie", "fs_session=abc; HttpOnly"}, {"X-Frame-Options", "DENY"}};
  out.push_back(json);
  out.push_back(Response::Text("", "application/json", 200));
  out.push_back(Response::Error(NotFound("no route for /x")));
  Response none = Response::NoContent();
  none.headers = {{"Cache-Control", "no-store"}};
  out.push_back(none);
  out.push_back(Response::Text("plain", "", 201));
  Response odd = Response::Text("x", "text/plain", 299);
  out.push_back(odd);
  Response big = Response::Text(std::string(100000, 'y'));
  out.push_back(big);
  Response moved = Response::Text("", "", 304);
  out.push_back(moved);
  return out;
}

TEST(ResponseHeadTest, SameBytesAsBeast) {
  for (const Response& r : Answers()) {
    for (unsigned version : {10u, 11u}) {
      for (bool keep_alive : {false, true}) {
        for (bool head : {false, true}) {
          EXPECT_EQ(OurBytes(r, version, keep_alive, head),
                    BeastBytes(r, version, keep_alive, head))
              << "status " << r.status << " version " << version << " keep_alive " << keep_alive
              << " head " << head;
        }
      }
    }
  }
}

TEST(ResponseHeadTest, BodylessAnswersSendNoBody) {
  std::string head;
  Response none = Response::NoContent();
  none.body = "ignored";
  EXPECT_FALSE(WriteResponseHead(head, none, 11, true, false));
  EXPECT_NE(head.find("Content-Length: 0\r\n"), std::string::npos);
  EXPECT_FALSE(WriteResponseHead(head, Response::Text("abc"), 11, true, true));
  EXPECT_NE(head.find("Content-Length: 3\r\n"), std::string::npos);
  EXPECT_TRUE(WriteResponseHead(head, Response::Text("abc"), 11, true, false));
}

TEST(ResponseHeadTest, LineBreaksInHeadersCannotAddHeaders) {
  Response r = Response::Text("x");
  r.headers = {{"Content-Disposition", "attachment; filename=\"a\r\nSet-Cookie: evil=1\""}};
  std::string head;
  WriteResponseHead(head, r, 11, true, false);
  EXPECT_EQ(head.find("\r\nSet-Cookie"), std::string::npos);
  EXPECT_NE(head.find("filename=\"aSet-Cookie: evil=1\"\r\n"), std::string::npos);
}

}  // namespace
}  // namespace failsafe::server
