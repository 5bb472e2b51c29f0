#include "server/http_server.h"

#include <openssl/ssl.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "base/log.h"

namespace failsafe::server {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

constexpr size_t kHeaderLimit = 16 * 1024;
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr size_t kLingerBytes = 1 << 20;
constexpr auto kTlsShutdownTime = std::chrono::seconds(1);

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

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

class ConnectionBase {
 public:
  virtual ~ConnectionBase() = default;
  // Thread-safe: asks the connection, on its own strand, to close if it is idle and not to
  // keep the connection alive after the request it is serving.
  virtual void OnServerStop() = 0;
};

}  // namespace

// State shared by the server and its connections; connections keep it alive.
struct ServerState {
  ServerState(HttpServerOptions o, Dispatcher& d) : options(std::move(o)), dispatcher(d) {}
  HttpServerOptions options;
  Dispatcher& dispatcher;
  std::atomic<bool> stopping{false};
  std::mutex mu;
  std::condition_variable cv;  // signalled when a connection ends
  std::unordered_map<ConnectionBase*, std::weak_ptr<ConnectionBase>> connections;
};

namespace {

// One client connection; Stream is beast::tcp_stream or beast::ssl_stream<beast::tcp_stream>.
// All its handlers run on one strand, so it needs no locks of its own.
template <class Stream>
class Connection : public ConnectionBase, public std::enable_shared_from_this<Connection<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  template <class... Args>
  Connection(std::shared_ptr<ServerState> state, std::string remote, Args&&... args)
      : state_(std::move(state)),
        remote_(std::move(remote)),
        stream_(std::forward<Args>(args)...) {}

  ~Connection() override {
    if (events_) events_->Abandon();
    std::lock_guard lock(state_->mu);
    state_->connections.erase(this);
    state_->cv.notify_all();
  }

  // Called from the acceptor's strand: hop onto this connection's strand before touching it.
  void Start() {
    net::dispatch(Lowest().get_executor(), [self = this->shared_from_this()] { self->Begin(); });
  }

  void OnServerStop() override {
    net::post(Lowest().get_executor(), [self = this->shared_from_this()] {
      if (self->phase_ == State::kIdle) self->CloseNow();
      // A stream ends once what is queued is written (PumpStream sees it closed).
      if (self->phase_ == State::kStreaming) self->events_->Close();
    });
  }

 private:
  enum class State { kIdle, kReading, kHandling, kWriting, kStreaming, kClosing };

  void Begin() {
    if constexpr (kTls) {
      Lowest().expires_after(HeaderTimeout());
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->CloseNow();
                                self->ReadNext(true);
                              });
    } else {
      ReadNext(true);
    }
  }

  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }
  std::chrono::milliseconds HeaderTimeout() const {
    return std::chrono::milliseconds(state_->options.header_timeout_ms);
  }
  std::chrono::milliseconds IdleTimeout() const {
    return std::chrono::milliseconds(state_->options.idle_timeout_ms);
  }

  // Waits for the first byte of the next request under the idle (or, for a new connection,
  // header) timeout; the header itself then gets header_timeout, so a client that dribbles
  // a header byte by byte is cut off.
  void ReadNext(bool first) {
    phase_ = State::kIdle;
    if (state_->stopping.load()) return CloseNow();
    if (buffer_.size() > 0) return ReadHeader();
    Lowest().expires_after(first ? HeaderTimeout() : IdleTimeout());
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = this->shared_from_this()](beast::error_code ec, size_t n) {
                              if (ec) return self->CloseNow();
                              self->buffer_.commit(n);
                              self->ReadHeader();
                            });
  }

  void ReadHeader() {
    phase_ = State::kReading;
    Lowest().expires_after(HeaderTimeout());
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(state_->options.body_limit_bytes);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    if (parser_->is_done()) return OnRequest();
    // Body: allowed the idle timeout, since a large upload on a slow link is legitimate.
    Lowest().expires_after(IdleTimeout());
    auto& req = parser_->get();
    auto expect = req[http::field::expect];
    if (beast::iequals(expect, "100-continue")) {
      continue_.emplace(http::status::continue_, req.version());
      http::async_write(stream_, *continue_,
                        [self = this->shared_from_this()](beast::error_code wec, size_t) {
                          if (wec) return self->CloseNow();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->OnReadError(ec);
                       self->OnRequest();
                     });
  }

  void OnReadError(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      return WriteErrorAndClose({ErrorCode::kPayloadTooLarge,
                                 "request body exceeds the limit of " +
                                     std::to_string(state_->options.body_limit_bytes) + " bytes"});
    }
    if (ec == http::error::header_limit) {
      return WriteErrorAndClose(InvalidArgument("request header exceeds 16 KiB"));
    }
    if (ec.category() == http::make_error_code(http::error::end_of_stream).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
      return WriteErrorAndClose(InvalidArgument("malformed HTTP request: " + ec.message()));
    }
    // EOF, reset, timeout (a slow or silent client), cancellation by Stop().
    CloseNow();
  }

  void OnRequest() {
    phase_ = State::kHandling;
    Lowest().expires_never();
    auto& req = parser_->get();
    Request request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    for (const auto& field : req) {
      std::string name = LowerAscii(field.name_string());
      auto [it, inserted] = request.headers.try_emplace(std::move(name), field.value());
      if (!inserted) {
        it->second += ", ";
        it->second += field.value();
      }
    }
    request.body = std::move(req.body());
    request.remote_addr = remote_;
    request.tls = kTls;
    const bool head = req.method() == http::verb::head;
    keep_alive_ = req.keep_alive();
    const unsigned version = req.version();

    Response response = state_->dispatcher.Handle(request);
    if (state_->stopping.load()) keep_alive_ = false;
    if (response.stream) {
      if (!head && !state_->stopping.load()) return StartStream(std::move(response), version);
      response.stream->Abandon();
      response.stream.reset();
    }
    Write(std::move(response), version, head);
  }

  // A streamed answer: the header, then each batch of the EventStream's chunks as one HTTP
  // chunk, as they come. The connection is not reused afterwards. A client that went away is
  // noticed at the next write (the producers send keep-alive comments).
  void StartStream(Response response, unsigned version) {
    phase_ = State::kStreaming;
    events_ = std::move(response.stream);
    auto header = std::make_shared<http::response<http::empty_body>>();
    header->version(version);
    header->result(static_cast<unsigned>(response.status));
    header->set(http::field::server, "failsafe");
    header->set(http::field::content_type, response.content_type);
    for (auto& [name, value] : response.headers) header->insert(name, value);
    header->keep_alive(false);
    header->chunked(true);
    auto serializer = std::make_shared<http::response_serializer<http::empty_body>>(*header);
    Lowest().expires_after(IdleTimeout());
    http::async_write_header(
        stream_, *serializer,
        [self = this->shared_from_this(), header, serializer](beast::error_code ec, size_t) {
          if (ec) return self->EndStream(false);
          self->Lowest().expires_never();
          // While it waits for events no read or write is pending, so the stream's callback
          // is what keeps the connection alive. EndStream breaks the cycle (Abandon drops it).
          self->events_->SetReadyCallback(
              [self] { net::post(self->Lowest().get_executor(), [self] { self->PumpStream(); }); });
        });
  }

  void PumpStream() {
    if (phase_ != State::kStreaming || stream_writing_) return;
    switch (events_->Take(stream_chunk_)) {
      case EventStream::Next::kEmpty: return;
      case EventStream::Next::kEnded: return EndStream(true);
      case EventStream::Next::kData: break;
    }
    stream_writing_ = true;
    Lowest().expires_after(IdleTimeout());  // a client that stops reading is dropped
    net::async_write(stream_, http::make_chunk(net::buffer(stream_chunk_)),
                     [self = this->shared_from_this()](beast::error_code ec, size_t) {
                       self->stream_writing_ = false;
                       if (ec) return self->EndStream(false);
                       self->Lowest().expires_never();
                       self->PumpStream();
                     });
  }

  void EndStream(bool graceful) {
    if (phase_ != State::kStreaming) return;
    phase_ = State::kClosing;
    events_->Abandon();
    if (!graceful) return CloseNow();
    Lowest().expires_after(IdleTimeout());
    net::async_write(stream_, http::make_chunk_last(),
                     [self = this->shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->CloseNow();
                       self->CloseGracefully();
                     });
  }

  void Write(Response response, unsigned version, bool head) {
    phase_ = State::kWriting;
    res_ = {};
    res_.version(version);
    res_.result(static_cast<unsigned>(response.status));
    res_.set(http::field::server, "failsafe");
    if (!response.content_type.empty()) res_.set(http::field::content_type, response.content_type);
    for (auto& [name, value] : response.headers) res_.insert(name, value);
    res_.keep_alive(keep_alive_);
    if (head) {
      res_.content_length(response.body.size());
    } else {
      res_.body() = std::move(response.body);
      res_.prepare_payload();
    }
    // A client that stops reading gets the idle timeout, then is dropped.
    Lowest().expires_after(IdleTimeout());
    http::async_write(stream_, res_,
                      [self = this->shared_from_this()](beast::error_code ec, size_t) {
                        if (ec) return self->CloseNow();
                        if (self->closing_after_write_) return self->Linger();
                        if (!self->keep_alive_) return self->CloseGracefully();
                        self->ReadNext(false);
                      });
  }

  // For protocol errors: answer in the error shape, then close without reading further.
  void WriteErrorAndClose(const Status& status) {
    keep_alive_ = false;
    closing_after_write_ = true;
    Response r = Response::Error(status);
    ApplySecurityHeaders(r, "");
    unsigned version = parser_ && parser_->is_header_done() ? parser_->get().version() : 11;
    Write(std::move(r), version, false);
  }

  void CloseGracefully() {
    phase_ = State::kClosing;
    if constexpr (kTls) {
      Lowest().expires_after(kTlsShutdownTime);
      stream_.async_shutdown(
          [self = this->shared_from_this()](beast::error_code) { self->CloseNow(); });
    } else {
      beast::error_code ec;
      Lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
      CloseNow();
    }
  }

  // After an error answer the client may still be sending (an oversized body): closing with
  // unread data makes the kernel send RST, which can destroy our answer before the client
  // reads it. So stop sending, then read and discard for a short while before closing.
  void Linger() {
    phase_ = State::kClosing;
    if constexpr (kTls) {
      return CloseGracefully();
    } else {
      beast::error_code ec;
      Lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
      Lowest().expires_after(kLingerTime);
      Drain();
    }
  }

  void Drain() {
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(8192),
                            [self = this->shared_from_this()](beast::error_code ec, size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > kLingerBytes) return self->CloseNow();
                              self->Drain();
                            });
  }

  void CloseNow() {
    phase_ = State::kClosing;
    beast::error_code ec;
    Lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
    Lowest().close();
  }

  std::shared_ptr<ServerState> state_;
  std::string remote_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  http::response<http::string_body> res_;
  State phase_ = State::kIdle;
  std::shared_ptr<EventStream> events_;  // set while streaming
  std::string stream_chunk_;             // the chunk being written
  bool stream_writing_ = false;
  bool keep_alive_ = false;
  bool closing_after_write_ = false;
  size_t drained_ = 0;
};

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
      auto c = std::make_shared<Connection<beast::ssl_stream<beast::tcp_stream>>>(
          state, std::move(remote_addr), std::move(socket), *tls);
      Register(c);
      c->Start();
    } else {
      auto c = std::make_shared<Connection<beast::tcp_stream>>(state, std::move(remote_addr),
                                                               std::move(socket));
      Register(c);
      c->Start();
    }
  }

  void Register(const std::shared_ptr<ConnectionBase>& c) {
    std::lock_guard lock(state->mu);
    state->connections.emplace(c.get(), c);
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
  net::post(m.accept_strand, [&m] { m.Accept(); });
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
