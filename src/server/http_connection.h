#pragma once
// One client connection of HttpServer (http_server.cc), plain TCP or TLS. Internal to server/.
//
// Why it is written this way (the alert intake's cost per request, bench/alerts/README.md):
// - Requests are parsed from the connection's buffer with the parser directly, not through
//   Beast's composed reads, which post their completion through the event loop once more
//   when the request was already buffered.
// - An answer is one preformatted head plus the body, sent in one gather write. On plain TCP
//   it is tried at once (the socket is non-blocking): a loopback socket takes a small answer
//   whole, so the common case needs no trip through the event loop; only the rest of a
//   partial write waits for the socket.
// - Timeouts are a deadline per connection that the server's sweeper compares with the clock a
//   few times a second (ServerState::sweep_interval), instead of a timer armed and cancelled
//   around every read and write. A connection past its deadline is closed on its own strand.
#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "server/dispatcher.h"
#include "server/http_server.h"
#include "server/response_head.h"

namespace failsafe::server::http_detail {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

inline constexpr size_t kHeaderLimit = 16 * 1024;
inline constexpr auto kLingerTime = std::chrono::milliseconds(2000);
inline constexpr size_t kLingerBytes = 1 << 20;
inline constexpr auto kTlsShutdownTime = std::chrono::milliseconds(1000);
inline constexpr int64_t kNoDeadline = INT64_MAX;

inline int64_t SteadyNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

class ConnectionBase {
 public:
  virtual ~ConnectionBase() = default;
  // Thread-safe: asks the connection, on its own strand, to close if it is idle and not to
  // keep the connection alive after the request it is serving.
  virtual void OnServerStop() = 0;
  // Thread-safe: the sweeper saw the deadline pass; the connection checks again on its strand.
  virtual void OnDeadline() = 0;

  // Steady-clock milliseconds after which the connection is closed; kNoDeadline while a
  // request is being handled or an event stream waits for events. Written on the
  // connection's strand, read by the sweeper.
  std::atomic<int64_t> deadline_ms{kNoDeadline};
};

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

// Stream is tcp::socket or beast::ssl_stream<tcp::socket>. All its handlers run on one
// strand (the socket's executor), so it needs no locks of its own.
template <class Stream>
class Connection : public ConnectionBase, public std::enable_shared_from_this<Connection<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, tcp::socket>;

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
    net::dispatch(Socket().get_executor(), [self = this->shared_from_this()] { self->Begin(); });
  }

  void OnServerStop() override {
    net::post(Socket().get_executor(), [self = this->shared_from_this()] {
      if (self->phase_ == State::kIdle) self->CloseNow();
      // A stream ends once what is queued is written (PumpStream sees it closed).
      if (self->phase_ == State::kStreaming) self->events_->Close();
    });
  }

  void OnDeadline() override {
    net::post(Socket().get_executor(), [self = this->shared_from_this()] {
      if (SteadyNowMs() < self->deadline_ms.load(std::memory_order_relaxed)) return;  // renewed
      // A slow or silent client: what a timed-out read or write did before.
      if (self->phase_ == State::kStreaming) return self->EndStream(false);
      self->CloseNow();
    });
  }

 private:
  enum class State { kIdle, kReading, kHandling, kWriting, kStreaming, kClosing };

  tcp::socket& Socket() { return beast::get_lowest_layer(stream_); }
  std::chrono::milliseconds HeaderTimeout() const {
    return std::chrono::milliseconds(state_->options.header_timeout_ms);
  }
  std::chrono::milliseconds IdleTimeout() const {
    return std::chrono::milliseconds(state_->options.idle_timeout_ms);
  }
  void SetDeadline(std::chrono::milliseconds after) {
    deadline_ms.store(SteadyNowMs() + after.count(), std::memory_order_relaxed);
  }
  void ClearDeadline() { deadline_ms.store(kNoDeadline, std::memory_order_relaxed); }

  void Begin() {
    if constexpr (kTls) {
      SetDeadline(HeaderTimeout());
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->CloseNow();
                                self->ReadNext(true);
                              });
    } else {
      beast::error_code ec;
      Socket().non_blocking(true, ec);  // for the immediate write in Write()
      if (ec) return CloseNow();
      ReadNext(true);
    }
  }

  // Waits for the first byte of the next request under the idle (or, for a new connection,
  // header) timeout; the header itself then gets header_timeout from its first byte, so a
  // client that dribbles a header byte by byte is cut off.
  void ReadNext(bool first) {
    phase_ = State::kIdle;
    if (state_->stopping.load()) return CloseNow();
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(state_->options.body_limit_bytes);
    if (buffer_.size() > 0) {
      phase_ = State::kReading;
      SetDeadline(HeaderTimeout());
      return Parse();
    }
    SetDeadline(first ? HeaderTimeout() : IdleTimeout());
    ReadSome();
  }

  void ReadSome() {
    // As Beast's reads size them: what the buffer has room for, at least 512 bytes, at most 64 KiB.
    const size_t room = buffer_.capacity() - buffer_.size();
    const size_t size = std::min<size_t>(std::max<size_t>(512, room), 65536);
    stream_.async_read_some(buffer_.prepare(size),
                            [self = this->shared_from_this()](beast::error_code ec, size_t n) {
                              self->buffer_.commit(n);
                              // EOF, reset, a deadline or Stop() closing the socket: nothing to
                              // answer.
                              if (ec || self->phase_ == State::kClosing) return self->CloseNow();
                              if (self->phase_ == State::kIdle) {
                                self->phase_ = State::kReading;
                                self->SetDeadline(self->HeaderTimeout());
                              }
                              self->Parse();
                            });
  }

  // Feeds the buffer to the parser until the request is complete or more bytes are needed.
  void Parse() {
    for (;;) {
      if (buffer_.size() == 0) return ReadSome();
      const bool header_was_done = parser_->is_header_done();
      beast::error_code ec;
      const size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec == http::error::need_more) return ReadSome();
      if (ec) return OnParseError(ec);
      if (parser_->is_done()) return OnRequest();
      if (!header_was_done && parser_->is_header_done()) {
        // The body is allowed the idle timeout, since a large upload on a slow link is
        // legitimate; it is parsed in as few steps as the bytes allow.
        SetDeadline(IdleTimeout());
        parser_->eager(true);
        if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
          return WriteContinue();
        }
      } else if (used == 0) {
        return ReadSome();  // no progress without more bytes
      }
    }
  }

  void WriteContinue() {
    static const std::string k11 = "HTTP/1.1 100 Continue\r\n\r\n";
    static const std::string k10 = "HTTP/1.0 100 Continue\r\n\r\n";
    const std::string& text = parser_->get().version() == 10 ? k10 : k11;
    net::async_write(stream_, net::buffer(text),
                     [self = this->shared_from_this()](beast::error_code ec, size_t) {
                       if (ec || self->phase_ == State::kClosing) return self->CloseNow();
                       self->Parse();
                     });
  }

  void OnParseError(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      return WriteErrorAndClose({ErrorCode::kPayloadTooLarge,
                                 "request body exceeds the limit of " +
                                     std::to_string(state_->options.body_limit_bytes) + " bytes"});
    }
    if (ec == http::error::header_limit) {
      return WriteErrorAndClose(InvalidArgument("request header exceeds 16 KiB"));
    }
    WriteErrorAndClose(InvalidArgument("malformed HTTP request: " + ec.message()));
  }

  void OnRequest() {
    phase_ = State::kHandling;
    ClearDeadline();
    auto& req = parser_->get();
    Request request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    for (const auto& field : req) {
      std::string_view raw = field.name_string();
      std::string name(raw.size(), '\0');
      std::transform(raw.begin(), raw.end(), name.begin(), [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;  // no locale call
      });
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
    SetDeadline(IdleTimeout());
    http::async_write_header(
        stream_, *serializer,
        [self = this->shared_from_this(), header, serializer](beast::error_code ec, size_t) {
          if (ec) return self->EndStream(false);
          self->ClearDeadline();
          // While it waits for events no read or write is pending, so the stream's callback
          // is what keeps the connection alive. EndStream breaks the cycle (Abandon drops it).
          self->events_->SetReadyCallback(
              [self] { net::post(self->Socket().get_executor(), [self] { self->PumpStream(); }); });
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
    SetDeadline(IdleTimeout());  // a client that stops reading is dropped
    net::async_write(stream_, http::make_chunk(net::buffer(stream_chunk_)),
                     [self = this->shared_from_this()](beast::error_code ec, size_t) {
                       self->stream_writing_ = false;
                       if (ec) return self->EndStream(false);
                       self->ClearDeadline();
                       self->PumpStream();
                     });
  }

  void EndStream(bool graceful) {
    if (phase_ != State::kStreaming) return;
    phase_ = State::kClosing;
    events_->Abandon();
    if (!graceful) return CloseNow();
    SetDeadline(IdleTimeout());
    net::async_write(stream_, http::make_chunk_last(),
                     [self = this->shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->CloseNow();
                       self->CloseGracefully();
                     });
  }

  void Write(Response response, unsigned version, bool head) {
    phase_ = State::kWriting;
    const bool with_body = WriteResponseHead(head_, response, version, keep_alive_, head);
    body_ = with_body ? std::move(response.body) : std::string();
    std::array<net::const_buffer, 2> buffers{net::buffer(head_), net::buffer(body_)};
    size_t written = 0;
    if constexpr (!kTls) {
      beast::error_code ec;
      written = Socket().write_some(buffers, ec);
      if (ec && ec != net::error::would_block && ec != net::error::try_again) return CloseNow();
      if (written == head_.size() + body_.size()) return AfterWrite(true);
    }
    // The rest waits for the socket; a client that stops reading gets the idle timeout.
    SetDeadline(IdleTimeout());
    if (written < head_.size()) {
      buffers[0] = net::buffer(head_) + written;
    } else {
      buffers[0] = net::const_buffer();
      buffers[1] = net::buffer(body_) + (written - head_.size());
    }
    net::async_write(stream_, buffers,
                     [self = this->shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->CloseNow();
                       self->AfterWrite(false);
                     });
  }

  void AfterWrite(bool inline_write) {
    if (closing_after_write_) return Linger();
    if (!keep_alive_) return CloseGracefully();
    if (inline_write && buffer_.size() > 0) {
      // A pipelined request is already here: serve it from the event loop, so that a client
      // sending many at once does not deepen this call stack with each one.
      phase_ = State::kIdle;
      return net::post(Socket().get_executor(),
                       [self = this->shared_from_this()] { self->ReadNext(false); });
    }
    ReadNext(false);
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
      SetDeadline(kTlsShutdownTime);
      stream_.async_shutdown(
          [self = this->shared_from_this()](beast::error_code) { self->CloseNow(); });
    } else {
      beast::error_code ec;
      Socket().shutdown(tcp::socket::shutdown_send, ec);
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
      Socket().shutdown(tcp::socket::shutdown_send, ec);
      SetDeadline(kLingerTime);
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
    ClearDeadline();
    beast::error_code ec;
    Socket().shutdown(tcp::socket::shutdown_both, ec);
    Socket().close(ec);
  }

  std::shared_ptr<ServerState> state_;
  std::string remote_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string head_;  // the answer being written: head and body
  std::string body_;
  State phase_ = State::kIdle;
  std::shared_ptr<EventStream> events_;  // set while streaming
  std::string stream_chunk_;             // the chunk being written
  bool stream_writing_ = false;
  bool keep_alive_ = false;
  bool closing_after_write_ = false;
  size_t drained_ = 0;
};

}  // namespace failsafe::server::http_detail
