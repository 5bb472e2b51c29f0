#include "watch/probes/tcp_probe.h"

#include <re2/re2.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

#include "watch/probes/host_port.h"
#include "watch/probes/tls_info.h"

namespace failsafe::watch::probes {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr size_t kMaxReply = 64 * 1024;

// One attempt, kept alive by the handlers that hold it. Every handler runs on the attempt's
// strand, so the state needs no lock.
class TcpAttempt : public std::enable_shared_from_this<TcpAttempt> {
 public:
  TcpAttempt(asio::io_context& io, TcpSpec spec, std::shared_ptr<asio::ssl::context> tls,
             std::function<void(ProbeResult)> done)
      : strand_(asio::make_strand(io)),
        socket_(strand_),
        resolver_(strand_),
        timer_(strand_),
        spec_(std::move(spec)),
        tls_context_(std::move(tls)),
        done_(std::move(done)) {}

  void Start(std::chrono::milliseconds timeout) {
    start_ = Clock::now();
    asio::dispatch(strand_, [self = shared_from_this(), timeout] { self->Begin(timeout); });
  }

 private:
  void Begin(std::chrono::milliseconds timeout) {
    auto target = ParseHostPort(spec_.target, "target");
    if (!target) return Fail(target.error().message());
    timer_.expires_after(timeout);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec) return;
      self->timed_out_ = true;
      boost::system::error_code ignored;
      self->socket_.close(ignored);
      self->resolver_.cancel();
    });
    host_ = target->host;
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(host_, ec);
    if (!ec) {  // an address needs no lookup
      Connect({tcp::endpoint(address, target->port)});
      return;
    }
    resolver_.async_resolve(
        host_, std::to_string(target->port),
        [self = shared_from_this()](boost::system::error_code rec, tcp::resolver::results_type rs) {
          if (rec) return self->Fail(self->Why("resolving", rec));
          std::vector<tcp::endpoint> endpoints;
          for (const auto& entry : rs) {
            const auto& ep = entry.endpoint();
            if (self->spec_.ip_protocol == IpProtocol::kIp4 && !ep.address().is_v4()) continue;
            if (self->spec_.ip_protocol == IpProtocol::kIp6 && !ep.address().is_v6()) continue;
            endpoints.push_back(ep);
          }
          if (endpoints.empty()) return self->Fail("no address of the wanted IP family");
          self->Connect(std::move(endpoints));
        });
  }

  void Connect(std::vector<tcp::endpoint> endpoints) {
    asio::async_connect(socket_, endpoints,
                        [self = shared_from_this()](boost::system::error_code ec, tcp::endpoint) {
                          if (ec) return self->Fail(self->Why("connecting", ec));
                          if (self->spec_.tls) return self->Handshake();
                          self->Send();
                        });
  }

  void Handshake() {
    tls_.emplace(socket_, *tls_context_);
    const std::string& name =
        spec_.tls_options.server_name.empty() ? host_ : spec_.tls_options.server_name;
    SSL_set_tlsext_host_name(tls_->native_handle(), name.c_str());
    if (!spec_.tls_options.insecure_skip_verify) {
      tls_->set_verify_mode(asio::ssl::verify_peer);
      tls_->set_verify_callback(asio::ssl::host_name_verification(name));
    }
    tls_->async_handshake(asio::ssl::stream_base::client,
                          [self = shared_from_this()](boost::system::error_code ec) {
                            if (ec) return self->Fail(self->Why("TLS handshake", ec));
                            self->tls_info_ = ReadTlsInfo(self->tls_->native_handle());
                            self->Send();
                          });
  }

  void Send() {
    if (spec_.send.empty()) return Expect();
    auto on_sent = [self = shared_from_this()](boost::system::error_code ec, size_t) {
      if (ec) return self->Fail(self->Why("sending", ec));
      self->Expect();
    };
    if (tls_) {
      asio::async_write(*tls_, asio::buffer(spec_.send), std::move(on_sent));
    } else {
      asio::async_write(socket_, asio::buffer(spec_.send), std::move(on_sent));
    }
  }

  void Expect() {
    if (!spec_.expect) return Succeed();
    auto on_read = [self = shared_from_this()](boost::system::error_code ec, size_t n) {
      self->reply_.append(self->chunk_.data(), n);
      if (RE2::PartialMatch(self->reply_, *self->spec_.expect)) return self->Succeed();
      if (ec) return self->Fail(self->Why("reading the reply", ec));
      if (self->reply_.size() >= kMaxReply)
        return self->Fail("no match in the first 64 KiB of the reply");
      self->Expect();
    };
    if (tls_) {
      tls_->async_read_some(asio::buffer(chunk_), std::move(on_read));
    } else {
      socket_.async_read_some(asio::buffer(chunk_), std::move(on_read));
    }
  }

  std::string Why(const char* stage, const boost::system::error_code& ec) const {
    if (timed_out_) return std::string("timed out while ") + stage;
    if (ec == asio::error::eof && stage == std::string("reading the reply"))
      return "the peer closed before the reply matched /" + spec_.expect->pattern() + "/";
    return std::string(stage) + ": " + ec.message();
  }

  void Succeed() { Report(true, {}); }
  void Fail(std::string error) { Report(false, std::move(error)); }

  void Report(bool success, std::string error) {
    if (reported_) return;
    reported_ = true;
    timer_.cancel();
    boost::system::error_code ignored;
    socket_.close(ignored);
    ProbeResult r;
    r.success = success;
    r.error = std::move(error);
    r.duration_seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    if (tls_info_) {
      r.tls_version = tls_info_->version;
      r.ssl_earliest_cert_expiry = tls_info_->earliest_cert_expiry;
    }
    done_(std::move(r));
  }

  asio::strand<asio::io_context::executor_type> strand_;
  tcp::socket socket_;
  tcp::resolver resolver_;
  asio::steady_timer timer_;
  TcpSpec spec_;
  std::shared_ptr<asio::ssl::context> tls_context_;
  std::optional<asio::ssl::stream<tcp::socket&>> tls_;
  std::optional<TlsInfo> tls_info_;
  std::function<void(ProbeResult)> done_;
  std::string host_;
  std::string reply_;
  std::array<char, 4096> chunk_{};
  Clock::time_point start_;
  bool timed_out_ = false;
  bool reported_ = false;
};

}  // namespace

std::shared_ptr<asio::ssl::context> TcpProber::TlsContext(const TlsOptions& options) {
  std::lock_guard lock(mu_);
  auto& ctx = tls_contexts_[{options.insecure_skip_verify, options.ca_file}];
  if (!ctx) {
    ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
    boost::system::error_code ec;
    if (!options.ca_file.empty()) {
      ctx->load_verify_file(options.ca_file, ec);
    } else {
      ctx->set_default_verify_paths(ec);
    }
    // A CA file that cannot be read leaves the context without trust: handshakes then fail
    // with a verification error that says so.
  }
  return ctx;
}

void TcpProber::Run(const TcpSpec& spec, std::chrono::milliseconds timeout,
                    std::function<void(ProbeResult)> done) {
  std::shared_ptr<asio::ssl::context> tls = spec.tls ? TlsContext(spec.tls_options) : nullptr;
  auto attempt = std::make_shared<TcpAttempt>(io_, spec, std::move(tls), std::move(done));
  attempt->Start(timeout);
}

}  // namespace failsafe::watch::probes
