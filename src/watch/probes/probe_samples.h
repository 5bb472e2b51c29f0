#pragma once
// Probe results as metric samples, named as blackbox_exporter names them so rules written for
// it work unchanged: probe_success, probe_duration_seconds, probe_http_status_code,
// probe_http_duration_seconds{phase}, probe_ssl_earliest_cert_expiry,
// probe_dns_lookup_time_seconds, ... Every sample carries probe="<name>", target="<url or
// host:port>", service="<service>" (when set) and the probe's own labels, so
// `probe_success{service="jira"} == 0` selects the failing probes of Jira.
#include <vector>

#include "watch/metrics/series.h"
#include "watch/probes/probe_result.h"
#include "watch/probes/probe_spec.h"
#include "watch/probes/scheduler.h"

namespace failsafe::watch::probes {

struct ProbeSample {
  Labels labels;  // sorted by name, __name__ included
  double value = 0;
};

// The samples of one result. Fields the probe type does not measure are left out (a TCP
// probe has no probe_http_status_code), as blackbox_exporter does.
std::vector<ProbeSample> ProbeSamples(const ProbeSpec& spec, const ProbeResult& result);

// Appends the report's samples at its time.
void WriteProbeSamples(SampleSink& sink, const ProbeReport& report);

}  // namespace failsafe::watch::probes
