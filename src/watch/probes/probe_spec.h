#pragma once
// What to probe and how: the in-memory form of one entry of a probe config file
// (probe_config.h parses it). Regexes are compiled once, when the spec is built, so a probe
// never fails at run time on a bad pattern. Specs are immutable after parsing and shared
// between the scheduler and in-flight probes (copy or share_ptr, never mutate).
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"

namespace re2 {
class RE2;
}

namespace failsafe::watch::probes {

using Regex = std::shared_ptr<const re2::RE2>;
// Compiles an RE2 pattern; the error names `field` and RE2's reason.
Result<Regex> CompileRegex(const std::string& pattern, const std::string& field);

enum class ProbeType { kHttp, kTcp, kDns, kHttpSteps };
std::string_view ProbeTypeName(ProbeType type);

// Which address family to connect over. kAny lets the resolver's order decide.
enum class IpProtocol { kAny, kIp4, kIp6 };

struct TlsOptions {
  bool insecure_skip_verify = false;  // accept any certificate (still report its expiry)
  std::string ca_file;                // PEM bundle to verify against; empty: the system's
  std::string server_name;            // SNI and name to verify; empty: the target host
};

struct HttpRequestSpec {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::vector<int> valid_status_codes;  // empty: any 2xx
  std::vector<Regex> body_must_match;
  std::vector<Regex> body_must_not_match;
  bool follow_redirects = true;
  int max_redirects = 10;
  bool fail_if_not_ssl = false;
  IpProtocol ip_protocol = IpProtocol::kAny;
  TlsOptions tls;
};

// A value taken from one step's answer for the next steps' {{name}}.
struct Extraction {
  enum class From { kJsonPointer, kRegex, kHeader };
  std::string name;
  From from = From::kJsonPointer;
  std::string expression;  // "/data/token", a regex with one capture group, a header name
  Regex regex;             // set when from == kRegex
};

struct HttpStep {
  std::string name;
  HttpRequestSpec request;  // url, headers and body may hold {{name}} references
  std::vector<Extraction> extract;
};

struct TcpSpec {
  std::string target;  // host:port ([v6]:port)
  bool tls = false;
  TlsOptions tls_options;
  std::string send;  // written after connecting (and the handshake), when not empty
  Regex expect;      // the reply must match before the timeout, when set
  IpProtocol ip_protocol = IpProtocol::kAny;
};

struct DnsSpec {
  std::string query_name;
  std::string record_type = "A";         // A, AAAA, CNAME, MX, TXT, NS, SOA
  std::string server;                    // "ip[:port]"; empty: the system's resolvers
  std::vector<Regex> answer_must_match;  // every regex must match at least one answer
  bool fail_if_no_answer = true;
};

struct ProbeSpec {
  std::string name;
  ProbeType type = ProbeType::kHttp;
  std::chrono::milliseconds interval{15'000};
  std::chrono::milliseconds timeout{10'000};
  int retries = 0;  // extra attempts before a failure is reported
  std::chrono::milliseconds retry_delay{1'000};
  std::string service;
  std::vector<std::pair<std::string, std::string>> labels;

  HttpRequestSpec http;         // kHttp
  std::vector<HttpStep> steps;  // kHttpSteps
  TcpSpec tcp;                  // kTcp
  DnsSpec dns;                  // kDns

  // What the probe is pointed at, for the `target` label: the URL, host:port or name.
  std::string Target() const;
};

}  // namespace failsafe::watch::probes
