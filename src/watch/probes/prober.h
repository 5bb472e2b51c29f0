#pragma once
// Prober: the engine every probe type runs on. HTTP and multi-step checks share one libcurl
// multi driver thread; TCP probes run on Asio threads; DNS probes on a small c-ares pool.
// One Prober serves a whole process; it is thread-safe.
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "watch/probes/curl_driver.h"
#include "watch/probes/dns_probe.h"
#include "watch/probes/probe_result.h"
#include "watch/probes/probe_spec.h"
#include "watch/probes/tcp_probe.h"

namespace failsafe::watch::probes {

struct ProberOptions {
  int io_threads = 1;   // Asio threads: TCP probes and the scheduler's timers
  int dns_threads = 4;  // DNS attempts in flight at once
  size_t max_http_in_flight = 1024;
};

class Prober {
 public:
  explicit Prober(ProberOptions options = {});
  ~Prober();  // waits for its threads; callbacks of attempts still running may not be called
  Prober(const Prober&) = delete;
  Prober& operator=(const Prober&) = delete;

  // One attempt (no retries) with spec.timeout. `done` runs on one of the prober's threads and
  // must not block.
  void RunOnce(const ProbeSpec& spec, std::function<void(ProbeResult)> done);

  boost::asio::io_context& io() { return io_; }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::vector<std::thread> io_threads_;
  boost::asio::thread_pool dns_pool_;
  CurlDriver curl_;
  TcpProber tcp_{io_};
  DnsProber dns_{dns_pool_};
};

}  // namespace failsafe::watch::probes
