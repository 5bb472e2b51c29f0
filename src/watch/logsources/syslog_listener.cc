#include "watch/logsources/syslog_listener.h"

#include <sys/socket.h>

#include <atomic>
#include <boost/asio.hpp>
#include <charconv>
#include <set>
#include <thread>

#include "watch/logsources/syslog_framing.h"

namespace failsafe::watch {

namespace net = boost::asio;
using udp = net::ip::udp;
using tcp = net::ip::tcp;

namespace {

constexpr size_t kReadBuffer = 64 * 1024;
constexpr int kUdpReceiveBuffer = 8 << 20;  // absorbs bursts while the parser catches up
constexpr size_t kBatch = 32;               // datagrams per recvmmsg(2)
constexpr int kBatchesPerWake = 16;         // then yield to the other handlers

Result<net::ip::address> ParseHostPort(const std::string& listen, uint16_t* port) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos) {
    return Err(InvalidArgument("listen address '" + listen + "' is not HOST:PORT", "listen"));
  }
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) host = "0.0.0.0";
  const std::string_view p = std::string_view(listen).substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  if (p.empty() || ec != std::errc() || end != p.data() + p.size() || value > 65535) {
    return Err(InvalidArgument("listen port '" + std::string(p) + "' is not 0..65535", "listen"));
  }
  boost::system::error_code aec;
  auto address = net::ip::make_address(host, aec);
  if (aec) return Err(InvalidArgument("listen host '" + host + "' is not an IP address", "listen"));
  *port = static_cast<uint16_t>(value);
  return address;
}

}  // namespace

struct SyslogListener::Impl {
  SyslogTransport transport;
  SyslogListenerOptions options;
  LogSink sink;
  std::unique_ptr<SyslogIntake> intake;
  SourceStats empty_stats;
  net::io_context io{1};
  std::optional<udp::socket> udp_socket;
  std::optional<tcp::acceptor> acceptor;
  std::string bound;
  std::thread thread;
  std::atomic<bool> stopped{false};
  std::atomic<size_t> connections{0};

  // UDP ------------------------------------------------------------------------------------
  std::vector<char> datagram;  // kBatch buffers of max_message_bytes + 1

  // Waits until the socket is readable, then drains it without blocking, kBatch datagrams per
  // recvmmsg(2): one wake-up per burst and one system call per batch rather than per datagram.
  std::vector<mmsghdr> headers;
  std::vector<iovec> iovecs;

  void PrepareBatch() {
    datagram.resize(kBatch * (options.max_message_bytes + 1));
    headers.assign(kBatch, mmsghdr{});
    iovecs.resize(kBatch);
    for (size_t i = 0; i < kBatch; ++i) {
      // A datagram larger than the limit arrives cut to limit + 1 bytes: cut and flagged.
      iovecs[i] = {datagram.data() + i * (options.max_message_bytes + 1),
                   options.max_message_bytes + 1};
      headers[i].msg_hdr.msg_iov = &iovecs[i];
      headers[i].msg_hdr.msg_iovlen = 1;
    }
  }

  void ReceiveNext() {
    udp_socket->async_wait(udp::socket::wait_read, [this](boost::system::error_code ec) {
      if (ec == net::error::operation_aborted || stopped) return;
      for (int round = 0; round < kBatchesPerWake; ++round) {
        const int got = recvmmsg(udp_socket->native_handle(), headers.data(),
                                 static_cast<unsigned>(kBatch), MSG_DONTWAIT, nullptr);
        if (got <= 0) break;  // EAGAIN: drained; other errors (ICMP): wait again
        for (int i = 0; i < got; ++i) {
          const size_t n = headers[i].msg_len;
          const bool cut = n > options.max_message_bytes;
          intake->Handle(std::string_view(static_cast<const char*>(iovecs[i].iov_base),
                                          cut ? options.max_message_bytes : n),
                         cut);
        }
        if (static_cast<size_t>(got) < kBatch) break;
      }
      ReceiveNext();
    });
  }

  // TCP ------------------------------------------------------------------------------------
  struct Session : std::enable_shared_from_this<Session> {
    Impl& owner;
    tcp::socket socket;
    net::steady_timer idle;
    SyslogStreamDeframer deframer;
    std::array<char, kReadBuffer> buf{};
    Session(Impl& o, tcp::socket s)
        : owner(o),
          socket(std::move(s)),
          idle(socket.get_executor()),
          deframer(o.options.max_message_bytes,
                   [this](const SyslogFrame& f) { owner.intake->Handle(f.text, f.truncated); }) {}
    void Start() {
      ArmIdle();
      Read();
    }
    void ArmIdle() {
      idle.expires_after(std::chrono::milliseconds(owner.options.idle_timeout_ms));
      idle.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (!ec) self->Close();  // silent too long
      });
    }
    void Read() {
      socket.async_read_some(
          net::buffer(buf), [self = shared_from_this()](boost::system::error_code ec, size_t n) {
            if (n > 0) self->deframer.Feed(std::string_view(self->buf.data(), n));
            if (ec) {
              if (!self->deframer.Flush()) {
                self->owner.intake->stats().malformed.fetch_add(1);
                self->owner.intake->stats().SetLastError(
                    "syslog-tcp: connection closed inside an octet-counted message");
              }
              self->Close();
              return;
            }
            self->ArmIdle();
            self->Read();
          });
    }
    void Close() {
      if (!socket.is_open()) return;
      boost::system::error_code ignored;
      socket.close(ignored);
      idle.cancel();
      owner.sessions.erase(shared_from_this());
      owner.connections = owner.sessions.size();
    }
  };
  std::set<std::shared_ptr<Session>> sessions;

  void AcceptNext() {
    acceptor->async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || stopped) return;
      if (!ec) {
        if (sessions.size() >= options.max_connections) {
          intake->stats().rejected_connections.fetch_add(1);
          boost::system::error_code ignored;
          socket.close(ignored);
        } else {
          auto s = std::make_shared<Session>(*this, std::move(socket));
          sessions.insert(s);
          connections = sessions.size();
          s->Start();
        }
      }
      AcceptNext();
    });
  }

  Status Bind() {
    uint16_t port = 0;
    FS_ASSIGN_OR_RETURN_STATUS(net::ip::address address, ParseHostPort(options.listen, &port));
    boost::system::error_code ec;
    if (transport == SyslogTransport::kUdp) {
      udp_socket.emplace(io);
      const udp::endpoint ep(address, port);
      udp_socket->open(ep.protocol(), ec);
      if (!ec) {
        udp_socket->set_option(net::socket_base::reuse_address(true), ec);
        boost::system::error_code ignored;  // the kernel may cap it; not fatal
        udp_socket->set_option(net::socket_base::receive_buffer_size(kUdpReceiveBuffer), ignored);
        udp_socket->bind(ep, ec);
        if (!ec) udp_socket->non_blocking(true, ec);
      }
      if (ec) return Unavailable("cannot bind syslog UDP " + options.listen + ": " + ec.message());
      const auto local = udp_socket->local_endpoint();
      bound = (local.address().is_v6() ? "[" + local.address().to_string() + "]"
                                       : local.address().to_string()) +
              ":" + std::to_string(local.port());
      PrepareBatch();
      ReceiveNext();
    } else {
      acceptor.emplace(io);
      const tcp::endpoint ep(address, port);
      acceptor->open(ep.protocol(), ec);
      if (!ec) acceptor->set_option(net::socket_base::reuse_address(true), ec);
      if (!ec) acceptor->bind(ep, ec);
      if (!ec) acceptor->listen(net::socket_base::max_listen_connections, ec);
      if (ec) return Unavailable("cannot bind syslog TCP " + options.listen + ": " + ec.message());
      const auto local = acceptor->local_endpoint();
      bound = (local.address().is_v6() ? "[" + local.address().to_string() + "]"
                                       : local.address().to_string()) +
              ":" + std::to_string(local.port());
      AcceptNext();
    }
    return Status::Ok();
  }
};

SyslogListener::SyslogListener(SyslogTransport transport, SyslogListenerOptions options,
                               LogSink sink)
    : impl_(std::make_unique<Impl>()) {
  impl_->transport = transport;
  impl_->options = std::move(options);
  impl_->sink = std::move(sink);
  if (impl_->options.source.empty()) {
    impl_->options.source = transport == SyslogTransport::kUdp ? "syslog-udp" : "syslog-tcp";
  }
}

SyslogListener::~SyslogListener() {
  Stop();
}

Status SyslogListener::Start() {
  Impl& m = *impl_;
  FS_ASSIGN_OR_RETURN_STATUS(LocalZone zone, LocalZone::Find(m.options.timezone));
  const Clock& clock = m.options.clock ? *m.options.clock : SystemClock::Instance();
  m.intake = std::make_unique<SyslogIntake>(m.options.source, std::move(zone), clock, m.sink);
  FS_RETURN_STATUS_IF_ERROR(m.Bind());
  m.thread = std::thread([&m] { m.io.run(); });
  return Status::Ok();
}

std::string SyslogListener::BoundAddress() const {
  return impl_->bound;
}

void SyslogListener::Stop() {
  Impl& m = *impl_;
  if (m.stopped.exchange(true)) return;
  net::post(m.io, [&m] {
    boost::system::error_code ignored;
    if (m.udp_socket) m.udp_socket->close(ignored);
    if (m.acceptor) m.acceptor->close(ignored);
    for (auto s : std::set(m.sessions)) s->Close();
  });
  if (m.thread.joinable()) m.thread.join();
}

const SourceStats& SyslogListener::stats() const {
  return impl_->intake ? impl_->intake->stats() : impl_->empty_stats;
}

size_t SyslogListener::open_connections() const {
  return impl_->connections;
}

}  // namespace failsafe::watch
