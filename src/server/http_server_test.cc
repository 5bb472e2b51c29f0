#include "server/http_server.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

namespace failsafe::server {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

class NobodyAuthenticator : public Authenticator {
 public:
  Result<std::optional<Principal>> Authenticate(const Request&) override {
    return std::optional<Principal>();
  }
  bool CsrfValid(const Request&, const Principal&) override { return false; }
};
class AllowAll : public Authorizer {
 public:
  bool Allowed(const std::string&, const std::string&) const override { return true; }
};

Route Public(std::string method, std::string pattern, Handler h) {
  Route r;
  r.method = std::move(method);
  r.pattern = std::move(pattern);
  r.handler = std::move(h);
  return r;
}

using RawResponse = http::response<http::string_body>;

class HttpServerTest : public ::testing::Test {
 protected:
  HttpServerTest() {
    router_.Add(Public("GET", "/api/v1/ping", [](Request& r) -> Result<Response> {
      return Response::Json(boost::json::object{{"pong", true}, {"tls", r.tls}});
    }));
    router_.Add(Public("POST", "/api/v1/echo",
                       [](Request& r) -> Result<Response> { return Response::Text(r.body); }));
    router_.Add(Public("GET", "/api/v1/slow", [this](Request&) -> Result<Response> {
      slow_started_.set_value();
      std::this_thread::sleep_for(700ms);
      return Response::Text(std::string(100000, 'x'));
    }));
  }
  ~HttpServerTest() override {
    if (server_) server_->Stop();
  }

  void StartServer(HttpServerOptions o) {
    o.listen = o.listen == HttpServerOptions().listen ? "127.0.0.1:0" : o.listen;
    server_ = std::make_unique<HttpServer>(o, dispatcher_);
    Status st = server_->Start();
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  uint16_t Port() const {
    std::string a = server_->BoundAddress();
    return static_cast<uint16_t>(std::stoi(a.substr(a.rfind(':') + 1)));
  }
  tcp::socket Connect() {
    tcp::socket s(ioc_);
    s.connect({net::ip::make_address("127.0.0.1"), Port()});
    return s;
  }
  static void Send(tcp::socket& s, std::string_view raw) { net::write(s, net::buffer(raw)); }
  static RawResponse Read(tcp::socket& s, beast::flat_buffer& buf) {
    RawResponse res;
    http::read(s, buf, res);
    return res;
  }
  // True when the server has closed the connection (EOF or reset) within `limit`.
  static bool ClosedWithin(tcp::socket& s, std::chrono::milliseconds limit) {
    struct timeval tv {};
    tv.tv_sec = limit.count() / 1000;
    tv.tv_usec = (limit.count() % 1000) * 1000;
    setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char c;
    for (;;) {
      ssize_t n = ::recv(s.native_handle(), &c, 1, 0);
      if (n == 0) return true;
      if (n < 0) return errno == ECONNRESET;
    }
  }
  static boost::json::value ErrorOf(const RawResponse& r) {
    return boost::json::parse(r.body()).at("error");
  }

  net::io_context ioc_;
  Router router_;
  NobodyAuthenticator authn_;
  AllowAll authz_;
  metrics::Registry registry_;
  Dispatcher dispatcher_{router_, authn_, authz_, registry_};
  std::promise<void> slow_started_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, PortZeroReportsRealPort) {
  StartServer({});
  EXPECT_TRUE(server_->BoundAddress().starts_with("127.0.0.1:"));
  EXPECT_NE(Port(), 0);
  tcp::socket s = Connect();
  Send(s, "GET /api/v1/ping HTTP/1.1\r\nHost: x\r\n\r\n");
  beast::flat_buffer buf;
  RawResponse r = Read(s, buf);
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), R"({"pong":true,"tls":false})");
  EXPECT_EQ(r[http::field::server], "failsafe");
  EXPECT_EQ(r["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(r[http::field::cache_control], "no-store");
}

TEST_F(HttpServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  StartServer({});
  tcp::socket s = Connect();
  beast::flat_buffer buf;
  Send(s, "GET /api/v1/ping HTTP/1.1\r\nHost: x\r\n\r\n");
  RawResponse a = Read(s, buf);
  EXPECT_EQ(a.result_int(), 200);
  EXPECT_TRUE(a.keep_alive());
  Send(s, "POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
  RawResponse b = Read(s, buf);
  EXPECT_EQ(b.result_int(), 200);
  EXPECT_EQ(b.body(), "hello");
  // Pipelined: both requests in one write.
  Send(s,
       "GET /api/v1/ping HTTP/1.1\r\nHost: x\r\n\r\n"
       "GET /api/v1/nothing HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(Read(s, buf).result_int(), 200);
  EXPECT_EQ(Read(s, buf).result_int(), 404);
}

TEST_F(HttpServerTest, BodyInPiecesAndAnAnswerLargerThanTheSocketTakesAtOnce) {
  StartServer({});
  tcp::socket s = Connect();
  const std::string body(300000, 'b');
  Send(s, "POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: " +
              std::to_string(body.size()) + "\r\n\r\n");
  std::this_thread::sleep_for(50ms);  // the header alone first, then the body in two parts
  Send(s, std::string_view(body).substr(0, 1000));
  std::this_thread::sleep_for(50ms);
  Send(s, std::string_view(body).substr(1000));
  std::this_thread::sleep_for(100ms);  // the answer waits in part for the client to read
  beast::flat_buffer buf;
  RawResponse r = Read(s, buf);
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), body);
  Send(s, "GET /api/v1/ping HTTP/1.1\r\nHost: x\r\n\r\n");  // and the connection goes on
  EXPECT_EQ(Read(s, buf).result_int(), 200);
}

TEST_F(HttpServerTest, HeadHasLengthButNoBody) {
  StartServer({});
  tcp::socket s = Connect();
  Send(s,
       "HEAD /api/v1/ping HTTP/1.1\r\nHost: x\r\n\r\nGET /api/v1/ping HTTP/1.1\r\nHost: x\r\n\r\n");
  beast::flat_buffer buf;
  http::response_parser<http::string_body> head;
  head.skip(true);  // a HEAD answer has no body whatever Content-Length says
  http::read(s, buf, head);
  EXPECT_EQ(head.get().result_int(), 200);
  EXPECT_EQ(std::string(head.get()[http::field::content_length]), "25");
  EXPECT_EQ(Read(s, buf).body(), R"({"pong":true,"tls":false})");  // framing intact
}

TEST_F(HttpServerTest, BodyOverLimitIs413ThenClose) {
  HttpServerOptions o;
  o.body_limit_bytes = 1024;
  StartServer(o);
  tcp::socket s = Connect();
  std::string body(4096, 'a');
  Send(s, "POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4096\r\n\r\n" + body);
  beast::flat_buffer buf;
  RawResponse r = Read(s, buf);
  EXPECT_EQ(r.result_int(), 413);
  EXPECT_EQ(ErrorOf(r).at("code").as_string(), "payload_too_large");
  EXPECT_FALSE(r.keep_alive());
  EXPECT_TRUE(ClosedWithin(s, 3000ms));

  // Chunked bodies are counted too.
  tcp::socket c = Connect();
  std::string chunked =
      "POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 4; ++i) chunked += "200\r\n" + std::string(512, 'b') + "\r\n";
  chunked += "0\r\n\r\n";
  Send(c, chunked);
  beast::flat_buffer buf2;
  EXPECT_EQ(Read(c, buf2).result_int(), 413);
}

TEST_F(HttpServerTest, MalformedRequestIs400ThenClose) {
  StartServer({});
  for (std::string_view bad : {std::string_view("BAD REQUEST LINE\r\n\r\n"),
                               std::string_view("GET /x HTTP/1.1\r\nNo colon here\r\n\r\n"),
                               std::string_view("GET /x HTTP/1.1\r\nContent-Length: -5\r\n\r\n")}) {
    tcp::socket s = Connect();
    Send(s, bad);
    beast::flat_buffer buf;
    RawResponse r = Read(s, buf);
    EXPECT_EQ(r.result_int(), 400) << bad;
    EXPECT_EQ(ErrorOf(r).at("code").as_string(), "invalid_argument");
    EXPECT_TRUE(ClosedWithin(s, 3000ms));
  }
  // A percent-encoding error in the target is the dispatcher's 400, and keeps the connection.
  tcp::socket s = Connect();
  Send(s, "GET /api/%zz HTTP/1.1\r\nHost: x\r\n\r\n");
  beast::flat_buffer buf;
  EXPECT_EQ(Read(s, buf).result_int(), 400);
}

TEST_F(HttpServerTest, OversizedHeaderIs400) {
  StartServer({});
  tcp::socket s = Connect();
  Send(s, "GET /api/v1/ping HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'h') + "\r\n\r\n");
  beast::flat_buffer buf;
  EXPECT_EQ(Read(s, buf).result_int(), 400);
}

TEST_F(HttpServerTest, HeaderTimeoutCutsSlowClient) {
  HttpServerOptions o;
  o.header_timeout_ms = 300;
  o.idle_timeout_ms = 5000;
  StartServer(o);
  tcp::socket s = Connect();
  Send(s, "GET /api/v1/ping HTTP/1.1\r\nHost: x\r\n");
  auto start = std::chrono::steady_clock::now();
  bool cut = false;
  // Slowloris: one header line every 100 ms, never finishing.
  for (int i = 0; i < 30 && !cut; ++i) {
    beast::error_code ec;
    net::write(s, net::buffer(std::string("X-Drip-") + std::to_string(i) + ": 1\r\n"), ec);
    if (ec) cut = true;
    std::this_thread::sleep_for(100ms);
  }
  if (!cut) cut = ClosedWithin(s, 100ms);
  EXPECT_TRUE(cut);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2500ms);

  // A connection that never sends anything is dropped too.
  tcp::socket silent = Connect();
  EXPECT_TRUE(ClosedWithin(silent, 2000ms));
}

TEST_F(HttpServerTest, IdleTimeoutClosesKeepAlive) {
  HttpServerOptions o;
  o.idle_timeout_ms = 300;
  StartServer(o);
  tcp::socket s = Connect();
  Send(s, "GET /api/v1/ping HTTP/1.1\r\nHost: x\r\n\r\n");
  beast::flat_buffer buf;
  EXPECT_EQ(Read(s, buf).result_int(), 200);
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(ClosedWithin(s, 3000ms));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2000ms);
}

TEST_F(HttpServerTest, ExpectContinue) {
  StartServer({});
  tcp::socket s = Connect();
  Send(
      s,
      "POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
  beast::flat_buffer buf;
  http::response_parser<http::empty_body> p;
  http::read_header(s, buf, p);
  EXPECT_EQ(p.get().result_int(), 100);
  Send(s, "abc");
  RawResponse r = Read(s, buf);
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), "abc");
}

TEST_F(HttpServerTest, GracefulStopFinishesInFlightRequest) {
  HttpServerOptions o;
  o.shutdown_grace_ms = 5000;
  StartServer(o);
  tcp::socket idle = Connect();  // an idle keep-alive connection must not delay Stop
  Send(idle, "GET /api/v1/ping HTTP/1.1\r\nHost: x\r\n\r\n");
  beast::flat_buffer idle_buf;
  EXPECT_EQ(Read(idle, idle_buf).result_int(), 200);

  auto started = slow_started_.get_future();
  auto client = std::async(std::launch::async, [this] {
    tcp::socket s = Connect();
    Send(s, "GET /api/v1/slow HTTP/1.1\r\nHost: x\r\n\r\n");
    beast::flat_buffer buf;
    return Read(s, buf);
  });
  ASSERT_EQ(started.wait_for(5s), std::future_status::ready);
  auto stop_begin = std::chrono::steady_clock::now();
  server_->Stop();
  auto stop_took = std::chrono::steady_clock::now() - stop_begin;
  RawResponse r = client.get();
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body().size(), 100000u);
  EXPECT_FALSE(r.keep_alive());  // stopping: no more requests on this connection
  EXPECT_LT(stop_took, 3s);
  EXPECT_TRUE(ClosedWithin(idle, 1000ms));
  // No longer accepting.
  tcp::socket late(ioc_);
  beast::error_code ec;
  late.connect({net::ip::make_address("127.0.0.1"), Port()}, ec);
  EXPECT_TRUE(ec);
  server_->Stop();  // idempotent
  server_->Wait();  // returns at once after Stop
}

TEST_F(HttpServerTest, StartFailures) {
  for (const char* bad : {"nonsense", "127.0.0.1:99999", "127.0.0.1:http", "::1:80"}) {
    HttpServerOptions o;
    o.listen = bad;
    HttpServer s(o, dispatcher_);
    EXPECT_EQ(s.Start().code(), ErrorCode::kInvalidArgument) << bad;
  }
  StartServer({});
  HttpServerOptions taken;
  taken.listen = server_->BoundAddress();
  HttpServer second(taken, dispatcher_);
  EXPECT_EQ(second.Start().code(), ErrorCode::kUnavailable);

  HttpServerOptions tls;
  tls.listen = "127.0.0.1:0";
  tls.tls_cert_file = "/nonexistent/cert.pem";
  tls.tls_key_file = "/nonexistent/key.pem";
  HttpServer third(tls, dispatcher_);
  EXPECT_EQ(third.Start().code(), ErrorCode::kInvalidArgument);
}

TEST_F(HttpServerTest, Ipv6Loopback) {
  HttpServerOptions o;
  o.listen = "[::1]:0";
  server_ = std::make_unique<HttpServer>(o, dispatcher_);
  Status st = server_->Start();
  if (st.code() == ErrorCode::kUnavailable) GTEST_SKIP() << "no IPv6 here: " << st.ToString();
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_TRUE(server_->BoundAddress().starts_with("[::1]:"));
  tcp::socket s(ioc_);
  s.connect({net::ip::make_address("::1"), Port()});
  Send(s, "GET /api/v1/ping HTTP/1.1\r\nHost: x\r\n\r\n");
  beast::flat_buffer buf;
  EXPECT_EQ(Read(s, buf).result_int(), 200);
}

class HttpsServerTest : public HttpServerTest {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "fs-tls-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    cert_ = dir_ + "/cert.pem";
    key_ = dir_ + "/key.pem";
    std::string cmd =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
        "-subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 -keyout " +
        key_ + " -out " + cert_ + " 2>/dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "openssl CLI failed";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_, cert_, key_;
};

TEST_F(HttpsServerTest, ServesOverTls12Plus) {
  HttpServerOptions o;
  o.tls_cert_file = cert_;
  o.tls_key_file = key_;
  StartServer(o);

  ssl::context ctx(ssl::context::tls_client);
  ctx.load_verify_file(cert_);
  ctx.set_verify_mode(ssl::verify_peer);
  beast::ssl_stream<tcp::socket> stream(ioc_, ctx);
  stream.next_layer().connect({net::ip::make_address("127.0.0.1"), Port()});
  stream.handshake(ssl::stream_base::client);
  EXPECT_GE(SSL_version(stream.native_handle()), TLS1_2_VERSION);

  for (int i = 0; i < 2; ++i) {  // keep-alive over TLS
    http::request<http::empty_body> req{http::verb::get, "/api/v1/ping", 11};
    req.set(http::field::host, "localhost");
    http::write(stream, req);
    beast::flat_buffer buf;
    RawResponse res;
    http::read(stream, buf, res);
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res.body(), R"({"pong":true,"tls":true})");
  }

  // A plaintext request to the TLS port gets no HTTP answer.
  tcp::socket plain = Connect();
  Send(plain, "GET /api/v1/ping HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(ClosedWithin(plain, 3000ms));
}

TEST_F(HttpsServerTest, OldProtocolsRefused) {
  HttpServerOptions o;
  o.tls_cert_file = cert_;
  o.tls_key_file = key_;
  StartServer(o);
  ssl::context ctx(ssl::context::tls_client);
  SSL_CTX_set_security_level(ctx.native_handle(), 0);
  SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_VERSION);
  SSL_CTX_set_max_proto_version(ctx.native_handle(), TLS1_1_VERSION);
  beast::ssl_stream<tcp::socket> stream(ioc_, ctx);
  stream.next_layer().connect({net::ip::make_address("127.0.0.1"), Port()});
  beast::error_code ec;
  stream.handshake(ssl::stream_base::client, ec);
  EXPECT_TRUE(ec);
}

}  // namespace
}  // namespace failsafe::server
