#include "server/http_server.h"

#include <openssl/ssl.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <thread>
#include <vector>

#include "base/log.h"
#include "server/http_connection.h"

namespace failsafe::server {
namespace {

using namespace http_detail;  // NOLINT: the connection's own namespace, internal to server/

struct ListenAddress {
  std::string host;
  uint16_t port = 0;
};

Result<ListenAddress> ParseListen(const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) {
    return Err(InvalidArgument("listen address '" + listen + "' is not HOST:PORT", "listen"));
  }
  ListenAddress out;
  out.host = listen.substr(0, colon);
  if (out.host.size() >= 2 && out.host.front() == '[' && out.host.back() == ']') {
    out.host = out.host.substr(1, out.host.size() - 2);
  } else if (out.host.find(':') != std::string::npos) {
    return Err(InvalidArgument("IPv6 listen address must be bracketed, e.g. [::1]:8080", "listen"));
  }
  std::string_view port = std::string_view(listen).substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535) {
    return Err(
        InvalidArgument("listen port '" + std::string(port) + "' is not 0..65535", "listen"));
  }
  out.port = static_cast<uint16_t>(value);
  if (out.host.empty()) out.host = "0.0.0.0";
  return out;
}

std::string FormatEndpoint(const tcp::endpoint& ep) {
  std::string host = ep.address().to_string();
  if (ep.address().is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(ep.port());
}

bool FileReadable(const std::string& path) {
  return std::ifstream(path).good();
}

}  // namespace

struct HttpServer::Impl {
  Impl(HttpServerOptions options, Dispatcher& dispatcher)
      : state(std::make_shared<ServerState>(std::move(options), dispatcher)) {}

  void Accept() {
    acceptor->async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (state->stopping.load() || ec == net::error::operation_aborted) return;
      if (ec) {
        // Out of file descriptors and the like: back off instead of spinning.
        log::Warn("http_accept_failed", {{"error", ec.message()}});
        retry_timer.expires_after(std::chrono::milliseconds(50));
        retry_timer.async_wait([this](beast::error_code) {
          if (!state->stopping.load()) Accept();
        });
        return;
      }
      OnAccepted(std::move(socket));
      Accept();
    });
  }

  void OnAccepted(tcp::socket socket) {
    beast::error_code ec;
    socket.set_option(tcp::no_delay(true), ec);
    auto remote = socket.remote_endpoint(ec);
    std::string remote_addr = ec ? std::string() : remote.address().to_string();
    std::shared_ptr<ConnectionBase> base;
    if (tls) {
      auto c = std::make_shared<Connection<beast::ssl_stream<tcp::socket>>>(
          state, std::move(remote_addr), std::move(socket), *tls);
      Register(c);
      c->Start();
    } else {
      auto c = std::make_shared<Connection<tcp::socket>>(state, std::move(remote_addr),
                                                         std::move(socket));
      Register(c);
      c->Start();
    }
  }

  void Register(const std::shared_ptr<ConnectionBase>& c) {
    std::lock_guard lock(state->mu);
    state->connections.emplace(c.get(), c);
  }

  // Closes connections past their deadline (http_connection.h), every sweep_interval until
  // the io_context stops; also while Stop() waits, so a stalled client cannot hold it up.
  void Sweep() {
    sweep_timer.expires_after(sweep_interval);
    sweep_timer.async_wait([this](beast::error_code ec) {
      if (ec) return;
      const int64_t now = SteadyNowMs();
      std::vector<std::shared_ptr<ConnectionBase>> expired;
      {
        std::lock_guard lock(state->mu);
        for (auto& [ptr, weak] : state->connections) {
          if (ptr->deadline_ms.load(std::memory_order_relaxed) > now) continue;
          if (auto c = weak.lock()) expired.push_back(std::move(c));
        }
      }
      for (auto& c : expired) c->OnDeadline();
      Sweep();
    });
  }

  // Order matters: the io_context is destroyed (with any connection it still holds) before
  // the TLS context those connections use, and after the acceptor and timer built on it.
  std::shared_ptr<ServerState> state;
  std::optional<ssl::context> tls;
  net::io_context ioc;
  // The acceptor, its retry timer and Stop()'s close all run on this strand.
  net::strand<net::io_context::executor_type> accept_strand{net::make_strand(ioc)};
  std::optional<tcp::acceptor> acceptor;
  net::steady_timer retry_timer{accept_strand};
  net::steady_timer sweep_timer{accept_strand};
  // A tenth of the shorter timeout, within 5 ms .. 1 s: deadlines are kept that closely.
  std::chrono::milliseconds sweep_interval{1000};
  std::vector<std::thread> threads;
  std::string bound;

  std::mutex lifecycle_mu;
  std::condition_variable lifecycle_cv;
  bool started = false;
  bool stopped = false;
};

HttpServer::HttpServer(HttpServerOptions options, Dispatcher& dispatcher)
    : impl_(std::make_unique<Impl>(std::move(options), dispatcher)) {}

HttpServer::~HttpServer() {
  Stop();
}

Status HttpServer::Start() {
  Impl& m = *impl_;
  std::lock_guard lifecycle(m.lifecycle_mu);
  if (m.started) return FailedPrecondition("server already started");
  const HttpServerOptions& o = m.state->options;
  FS_ASSIGN_OR_RETURN_STATUS(ListenAddress addr, ParseListen(o.listen));

  if (!o.tls_cert_file.empty() || !o.tls_key_file.empty()) {
    if (o.tls_cert_file.empty() || o.tls_key_file.empty()) {
      return InvalidArgument("TLS needs both a certificate and a key file", "tls");
    }
    for (const auto* f : {&o.tls_cert_file, &o.tls_key_file}) {
      if (!FileReadable(*f)) return InvalidArgument("cannot read TLS file " + *f, "tls");
    }
    m.tls.emplace(ssl::context::tls_server);
    m.tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                       ssl::context::single_dh_use);
    SSL_CTX_set_min_proto_version(m.tls->native_handle(), TLS1_2_VERSION);
    beast::error_code ec;
    m.tls->use_certificate_chain_file(o.tls_cert_file, ec);
    if (ec) {
      return InvalidArgument("bad TLS certificate " + o.tls_cert_file + ": " + ec.message(), "tls");
    }
    m.tls->use_private_key_file(o.tls_key_file, ssl::context::pem, ec);
    if (ec) return InvalidArgument("bad TLS key " + o.tls_key_file + ": " + ec.message(), "tls");
  }

  beast::error_code ec;
  tcp::endpoint endpoint;
  auto address = net::ip::make_address(addr.host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, addr.port);
  } else {
    tcp::resolver resolver(m.ioc);
    auto results = resolver.resolve(addr.host, std::to_string(addr.port), ec);
    if (ec || results.empty()) {
      return InvalidArgument("cannot resolve listen host '" + addr.host + "'", "listen");
    }
    endpoint = results.begin()->endpoint();
  }

  m.acceptor.emplace(m.accept_strand);
  m.acceptor->open(endpoint.protocol(), ec);
  if (!ec) m.acceptor->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) m.acceptor->bind(endpoint, ec);
  if (!ec) m.acceptor->listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    m.acceptor.reset();
    return Unavailable("cannot listen on " + o.listen + ": " + ec.message());
  }
  m.bound = FormatEndpoint(m.acceptor->local_endpoint());

  int n = o.threads > 0 ? o.threads
                        : std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
  m.sweep_interval =
      std::clamp(std::chrono::milliseconds(std::min(o.header_timeout_ms, o.idle_timeout_ms) / 10),
                 std::chrono::milliseconds(5), std::chrono::milliseconds(1000));
  net::post(m.accept_strand, [&m] {
    m.Accept();
    m.Sweep();
  });
  for (int i = 0; i < n; ++i) {
    m.threads.emplace_back([&m] {
      for (;;) {
        try {
          m.ioc.run();
          return;
        } catch (const std::exception& e) {
          // Handlers catch their own errors; this is a bug, but one client must not stop all.
          log::Error("http_io_exception", {{"what", e.what()}});
        }
      }
    });
  }
  m.started = true;
  log::Info("http_listening", {{"address", m.bound}, {"tls", m.tls.has_value()}, {"threads", n}});
  return Status::Ok();
}

std::string HttpServer::BoundAddress() const {
  return impl_->bound;
}

void HttpServer::Stop() {
  Impl& m = *impl_;
  std::unique_lock lifecycle(m.lifecycle_mu);
  if (m.stopped) return;
  if (!m.started) {
    m.stopped = true;
    m.lifecycle_cv.notify_all();
    return;
  }
  m.state->stopping = true;
  // The acceptor belongs to its strand; close it there.
  net::post(m.accept_strand, [&m] {
    beast::error_code ec;
    m.acceptor->close(ec);
    m.retry_timer.cancel();
  });

  std::vector<std::shared_ptr<ConnectionBase>> live;
  {
    std::lock_guard lock(m.state->mu);
    for (auto& [ptr, weak] : m.state->connections) {
      if (auto c = weak.lock()) live.push_back(std::move(c));
    }
  }
  for (auto& c : live) c->OnServerStop();
  live.clear();  // our references must not keep connections alive while we wait

  {
    std::unique_lock lock(m.state->mu);
    auto deadline = std::chrono::steady_clock::now() +
                    std::chrono::milliseconds(m.state->options.shutdown_grace_ms);
    m.state->cv.wait_until(lock, deadline, [&m] { return m.state->connections.empty(); });
    if (!m.state->connections.empty()) {
      log::Warn("http_stop_grace_expired", {{"open_connections", m.state->connections.size()}});
    }
  }
  m.ioc.stop();
  for (auto& t : m.threads) t.join();
  m.threads.clear();
  m.stopped = true;
  m.lifecycle_cv.notify_all();
  log::Info("http_stopped", {{"address", m.bound}});
}

void HttpServer::Wait() {
  std::unique_lock lifecycle(impl_->lifecycle_mu);
  impl_->lifecycle_cv.wait(lifecycle, [this] { return impl_->stopped; });
}

}  // namespace failsafe::server
