#include "watch/probes/testing/test_http_server.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast.hpp>
#include <boost/beast/ssl.hpp>
#include <thread>

namespace failsafe::watch::probes::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct TestHttpServer::Impl {
  TestHandler handler;
  std::shared_ptr<asio::ssl::context> tls;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::vector<std::thread> threads;
  std::atomic<uint64_t> requests{0};

  void Accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec) {
        socket.set_option(tcp::no_delay(true));
        if (tls) {
          auto stream = std::make_shared<beast::ssl_stream<beast::tcp_stream>>(
              beast::tcp_stream(std::move(socket)), *tls);
          stream->next_layer().expires_after(std::chrono::seconds(10));
          stream->async_handshake(asio::ssl::stream_base::server,
                                  [this, stream](beast::error_code hec) {
                                    if (!hec) Serve(stream);
                                  });
        } else {
          auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
          stream->expires_after(std::chrono::seconds(10));
          Serve(stream);
        }
      }
      Accept();
    });
  }

  template <typename Stream>
  void Serve(std::shared_ptr<Stream> stream) {
    struct State {
      beast::flat_buffer buffer;
      http::request<http::string_body> req;
      http::response<http::string_body> res;
      asio::steady_timer timer;
      explicit State(asio::any_io_executor ex) : timer(ex) {}
    };
    auto state = std::make_shared<State>(io.get_executor());
    http::async_read(
        *stream, state->buffer, state->req, [this, stream, state](beast::error_code ec, size_t) {
          if (ec) return;
          ++requests;
          TestRequest req;
          req.method = std::string(state->req.method_string());
          req.target = std::string(state->req.target());
          req.body = state->req.body();
          for (const auto& f : state->req) {
            std::string name(f.name_string());
            for (char& c : name) c = static_cast<char>(std::tolower(c));
            req.headers[name] = std::string(f.value());
          }
          TestResponse answer = handler(req);
          auto& res = state->res;
          res.result(static_cast<unsigned>(answer.status));
          res.version(11);
          for (auto& [n, v] : answer.headers) res.insert(n, v);
          res.body() = std::move(answer.body);
          res.keep_alive(false);
          res.prepare_payload();
          auto write = [stream, state] {
            http::async_write(*stream, state->res,
                              [stream, state](beast::error_code, size_t) { Close(*stream); });
          };
          if (answer.delay.count() > 0) {
            state->timer.expires_after(answer.delay);
            state->timer.async_wait([write](beast::error_code) { write(); });
          } else {
            write();
          }
        });
  }

  static void Close(beast::tcp_stream& s) {
    beast::error_code ec;
    s.socket().shutdown(tcp::socket::shutdown_send, ec);
  }
  static void Close(beast::ssl_stream<beast::tcp_stream>& s) {
    beast::error_code ec;
    s.next_layer().socket().shutdown(tcp::socket::shutdown_send, ec);
  }
};

TestHttpServer::TestHttpServer(TestHandler handler, std::shared_ptr<asio::ssl::context> tls,
                               int threads, bool ipv6)
    : impl_(std::make_unique<Impl>()) {
  impl_->handler = std::move(handler);
  impl_->tls = std::move(tls);
  const tcp::endpoint ep(ipv6 ? asio::ip::make_address("::1") : asio::ip::make_address("127.0.0.1"),
                         0);
  impl_->acceptor.open(ep.protocol());
  impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
  impl_->acceptor.bind(ep);
  impl_->acceptor.listen(4096);
  impl_->Accept();
  for (int i = 0; i < threads; ++i) impl_->threads.emplace_back([this] { impl_->io.run(); });
}

TestHttpServer::~TestHttpServer() {
  impl_->io.stop();
  for (auto& t : impl_->threads) t.join();
}

uint16_t TestHttpServer::port() const {
  return impl_->acceptor.local_endpoint().port();
}

std::string TestHttpServer::Url(const std::string& path) const {
  const auto addr = impl_->acceptor.local_endpoint().address();
  const std::string host = addr.is_v6() ? "[" + addr.to_string() + "]" : addr.to_string();
  return std::string(impl_->tls ? "https://" : "http://") + host + ":" + std::to_string(port()) +
         path;
}

uint64_t TestHttpServer::requests() const {
  return impl_->requests.load();
}

std::shared_ptr<asio::ssl::context> MakeServerTls(const std::string& cert_pem,
                                                  const std::string& key_pem) {
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  ctx->use_certificate_chain(asio::buffer(cert_pem));
  ctx->use_private_key(asio::buffer(key_pem), asio::ssl::context::pem);
  return ctx;
}

}  // namespace failsafe::watch::probes::testing
