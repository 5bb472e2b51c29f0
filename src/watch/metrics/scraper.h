#pragma once
// Scrapes one Prometheus text / OpenMetrics endpoint into a SampleSink, as Prometheus does:
// the Accept header Prometheus 2.x sends, the target's job and instance labels on every
// series (a series' own job/instance become exported_job/exported_instance), exposed
// timestamps honoured, and the synthetic series up, scrape_duration_seconds,
// scrape_samples_scraped and scrape_samples_post_metric_relabeling written for each scrape.
// A failed fetch or a malformed page stores nothing but up=0 and says why.
#include <cstdint>
#include <string>
#include <vector>

#include "watch/metrics/exposition.h"
#include "watch/metrics/series.h"

namespace failsafe::watch {

// Prometheus 2.42's scrape Accept header (text formats only; no protobuf).
inline constexpr std::string_view kScrapeAcceptHeader =
    "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
    "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

struct ScrapeTarget {
  std::string job{};
  std::string url{};       // http(s)://host:port/metrics
  std::string instance{};  // empty: host:port of the URL
  int64_t timeout_ms = 10'000;
  // At most this many series are kept per scrape; the rest are dropped and counted in
  // scrape_samples_dropped_by_limit (0: no cap). node_exporter exposes 1-3 thousand.
  size_t max_series = 20'000;
  size_t max_body_bytes = 64 << 20;
};

struct ScrapeResult {
  bool up = false;
  std::string error;  // why up is 0: transport, HTTP status, or the parse error's line:column
  double duration_s = 0;
  size_t samples_scraped = 0;  // parsed, before the cap
  size_t samples_stored = 0;
  size_t samples_dropped_by_limit = 0;
  int64_t t_ms = 0;  // the timestamp given to samples without their own
};

// host:port of a URL, the default instance label.
std::string InstanceFromUrl(std::string_view url);

// Writes parsed samples with the target labels added (clashing ones renamed exported_*),
// stamped `t_ms` unless they carry a timestamp. Returns how many were written.
size_t WriteWithTargetLabels(SampleSink& sink, const std::vector<ParsedSample>& samples,
                             const Labels& target_labels, int64_t t_ms);

// Writes up, scrape_duration_seconds, scrape_samples_scraped,
// scrape_samples_post_metric_relabeling and scrape_samples_dropped_by_limit for a scrape.
void WriteScrapeSeries(SampleSink& sink, const Labels& target_labels, const ScrapeResult& r);

// Fetches and stores one scrape. `t_ms` is the scrape's timestamp (the caller's scheduled
// time, so samples of regular scrapes are exactly one interval apart and compress best).
ScrapeResult ScrapeOnce(const ScrapeTarget& target, SampleSink& sink, int64_t t_ms);

}  // namespace failsafe::watch
