#pragma once
// The DNS probe: one query with c-ares, against the system's resolvers or a given server,
// judged on its answer. c-ares 1.18 (Debian 12) has no event thread, so each attempt runs its
// own small poll loop on a worker of `pool`; at most the pool's size are in flight at once.
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "watch/probes/probe_result.h"
#include "watch/probes/probe_spec.h"

namespace failsafe::watch::probes {

// The record types the probe understands.
bool IsSupportedRecordType(std::string_view type);

class DnsProber {
 public:
  explicit DnsProber(boost::asio::thread_pool& pool) : pool_(pool) {}

  // Runs one attempt; `done` runs on a pool thread. Thread-safe.
  void Run(const DnsSpec& spec, std::chrono::milliseconds timeout,
           std::function<void(ProbeResult)> done);

 private:
  boost::asio::thread_pool& pool_;
};

// The answers as text ("192.0.2.1", "10 mail.example.com", TXT strings), or why none.
struct DnsAnswer {
  bool ok = false;
  std::string error;
  std::vector<std::string> records;
  double lookup_seconds = 0;
};
DnsAnswer ResolveOnce(const DnsSpec& spec, std::chrono::milliseconds timeout);

}  // namespace failsafe::watch::probes
