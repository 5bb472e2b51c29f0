#pragma once
// The TCP probe: connect (optionally TLS), optionally send a line and wait for a reply that
// matches a regex. Runs on an Asio io_context; many attempts share its threads.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "watch/probes/probe_result.h"
#include "watch/probes/probe_spec.h"

namespace failsafe::watch::probes {

class TcpProber {
 public:
  explicit TcpProber(boost::asio::io_context& io) : io_(io) {}

  // Runs one attempt; `done` runs on one of the io_context's threads. Thread-safe.
  void Run(const TcpSpec& spec, std::chrono::milliseconds timeout,
           std::function<void(ProbeResult)> done);

 private:
  // Client TLS contexts are costly to build (the CA bundle is read), so one per option set.
  std::shared_ptr<boost::asio::ssl::context> TlsContext(const TlsOptions& options);

  boost::asio::io_context& io_;
  std::mutex mu_;
  std::map<std::pair<bool, std::string>, std::shared_ptr<boost::asio::ssl::context>> tls_contexts_;
};

}  // namespace failsafe::watch::probes
