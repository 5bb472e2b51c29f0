#include "watch/probes/probe_samples.h"

namespace failsafe::watch::probes {
namespace {

// blackbox_exporter's spelling of the TLS version label: "TLS 1.3".
std::string BlackboxTlsVersion(const std::string& openssl_name) {
  if (openssl_name.starts_with("TLSv")) return "TLS " + openssl_name.substr(4);
  return openssl_name;
}

class SampleBuilder {
 public:
  SampleBuilder(const ProbeSpec& spec, std::vector<ProbeSample>& out) : out_(out) {
    // The config check keeps user labels valid and clear of these names.
    base_.push_back({"probe", spec.name});
    // `instance`, as a Prometheus scrape of blackbox_exporter labels the target, so rules and
    // dashboards written for that setup work unchanged.
    base_.push_back({"instance", spec.Target()});
    if (!spec.service.empty()) base_.push_back({"service", spec.service});
    for (const auto& [name, value] : spec.labels) {
      if (!value.empty()) base_.push_back({name, value});
    }
  }

  void Add(std::string_view metric, double value, std::vector<Label> extra = {}) {
    std::vector<Label> labels = base_;
    labels.push_back({std::string(kMetricNameLabel), std::string(metric)});
    for (auto& l : extra) labels.push_back(std::move(l));
    // Only a spec built in code (not through the config check) can carry a bad label name;
    // its samples are left out rather than stored under a broken identity.
    auto made = MakeLabels(std::move(labels));
    if (made) out_.push_back({std::move(*made), value});
  }

 private:
  std::vector<ProbeSample>& out_;
  Labels base_;
};

}  // namespace

std::vector<ProbeSample> ProbeSamples(const ProbeSpec& spec, const ProbeResult& r) {
  std::vector<ProbeSample> out;
  SampleBuilder b(spec, out);
  b.Add("probe_success", r.success ? 1 : 0);
  b.Add("probe_duration_seconds", r.duration_seconds);
  if (spec.type == ProbeType::kHttp || spec.type == ProbeType::kHttpSteps) {
    b.Add("probe_http_status_code", r.http_status);
    b.Add("probe_http_redirects", r.redirects);
    b.Add("probe_http_content_length", static_cast<double>(r.content_length));
    b.Add("probe_http_ssl", r.tls_version.empty() ? 0 : 1);
    if (r.http_phases) {
      b.Add("probe_http_duration_seconds", r.http_phases->resolve, {{"phase", "resolve"}});
      b.Add("probe_http_duration_seconds", r.http_phases->connect, {{"phase", "connect"}});
      b.Add("probe_http_duration_seconds", r.http_phases->tls, {{"phase", "tls"}});
      b.Add("probe_http_duration_seconds", r.http_phases->processing, {{"phase", "processing"}});
      b.Add("probe_http_duration_seconds", r.http_phases->transfer, {{"phase", "transfer"}});
    }
  }
  if (r.ssl_earliest_cert_expiry)
    b.Add("probe_ssl_earliest_cert_expiry", static_cast<double>(*r.ssl_earliest_cert_expiry));
  if (!r.tls_version.empty())
    b.Add("probe_tls_version_info", 1, {{"version", BlackboxTlsVersion(r.tls_version)}});
  if (spec.type == ProbeType::kDns) {
    if (r.dns_lookup_seconds) b.Add("probe_dns_lookup_time_seconds", *r.dns_lookup_seconds);
    b.Add("probe_dns_answer_rrs", r.dns_answer_count);
  }
  return out;
}

void WriteProbeSamples(SampleSink& sink, const ProbeReport& report) {
  for (const ProbeSample& s : ProbeSamples(*report.spec, report.result))
    sink.Append(s.labels, Sample{report.t_ms, s.value});
}

}  // namespace failsafe::watch::probes
