#include "watch/probes/probe_spec.h"

#include <re2/re2.h>

namespace failsafe::watch::probes {

Result<Regex> CompileRegex(const std::string& pattern, const std::string& field) {
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<const re2::RE2>(pattern, options);
  if (!re->ok()) return Err(InvalidArgument("invalid regex: " + re->error(), field));
  return Regex(std::move(re));
}

std::string_view ProbeTypeName(ProbeType type) {
  switch (type) {
    case ProbeType::kHttp: return "http";
    case ProbeType::kTcp: return "tcp";
    case ProbeType::kDns: return "dns";
    case ProbeType::kHttpSteps: return "http_steps";
  }
  return "http";
}

std::string ProbeSpec::Target() const {
  switch (type) {
    case ProbeType::kHttp: return http.url;
    case ProbeType::kTcp: return tcp.target;
    case ProbeType::kDns: return dns.query_name;
    case ProbeType::kHttpSteps: return steps.empty() ? std::string() : steps.front().request.url;
  }
  return {};
}

}  // namespace failsafe::watch::probes
