#pragma once
// A tiny authoritative DNS responder over UDP on 127.0.0.1 for probe tests: A records from a
// map, NXDOMAIN for other names, and silence for names starting with "silent." (timeouts).
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace failsafe::watch::probes::testing {

class TestDnsServer {
 public:
  // `a_records`: lower-case name without the trailing dot -> IPv4 addresses.
  explicit TestDnsServer(std::map<std::string, std::vector<std::string>> a_records);
  ~TestDnsServer();
  uint16_t port() const;
  std::string Address() const { return "127.0.0.1:" + std::to_string(port()); }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace failsafe::watch::probes::testing
