// One scrape: fetch with libcurl, parse, label, store (scraper.h).
#include "watch/metrics/scraper.h"

#include <curl/curl.h>

#include <chrono>
#include <memory>
#include <mutex>

namespace failsafe::watch {
namespace {

struct Body {
  std::string text{};
  size_t limit = 0;
  bool too_large = false;
};

size_t CollectBody(char* data, size_t size, size_t n, void* user) {
  auto* body = static_cast<Body*>(user);
  if (body->text.size() + size * n > body->limit) {
    body->too_large = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  body->text.append(data, size * n);
  return size * n;
}

struct Fetched {
  std::string body;
  std::string content_type;
  std::string error;
};

Fetched Fetch(const ScrapeTarget& target) {
  static std::once_flag curl_ready;
  std::call_once(curl_ready, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  Fetched out;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) {
    out.error = "libcurl initialisation failed";
    return out;
  }
  const std::string accept = "Accept: " + std::string(kScrapeAcceptHeader);
  const std::string timeout_header =
      "X-Prometheus-Scrape-Timeout-Seconds: " + std::to_string(target.timeout_ms / 1000.0);
  curl_slist* headers = curl_slist_append(nullptr, accept.c_str());
  headers = curl_slist_append(headers, timeout_header.c_str());
  headers = curl_slist_append(headers, "User-Agent: failsafe-scraper");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> hold(headers, curl_slist_free_all);
  Body body{.limit = target.max_body_bytes};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, target.url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "gzip");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, CollectBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(target.timeout_ms));
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);  // as Prometheus's follow_redirects
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    out.error = body.too_large
                    ? "body larger than " + std::to_string(target.max_body_bytes) + " bytes"
                : rc == CURLE_OPERATION_TIMEDOUT
                    ? "timed out after " + std::to_string(target.timeout_ms) + " ms"
                    : std::string(curl_easy_strerror(rc));
    return out;
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) {
    out.error = "HTTP status " + std::to_string(status);
    return out;
  }
  const char* content_type = nullptr;
  curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &content_type);
  if (content_type != nullptr) out.content_type = content_type;
  out.body = std::move(body.text);
  return out;
}

}  // namespace

std::string InstanceFromUrl(std::string_view url) {
  const size_t scheme = url.find("://");
  std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  const size_t at = rest.rfind('@');  // user:password@ never goes into a label
  return std::string(at == std::string_view::npos ? rest : rest.substr(at + 1));
}

static void AppendSynthetic(SampleSink& sink, const Labels& target_labels, std::string_view name,
                            double value, int64_t t_ms) {
  Labels labels = target_labels;
  labels.push_back({std::string(kMetricNameLabel), std::string(name)});
  auto made = MakeLabels(std::move(labels));
  if (made) sink.Append(*made, {t_ms, value});
}

void WriteScrapeSeries(SampleSink& sink, const Labels& target_labels, const ScrapeResult& r) {
  AppendSynthetic(sink, target_labels, "up", r.up ? 1 : 0, r.t_ms);
  AppendSynthetic(sink, target_labels, "scrape_duration_seconds", r.duration_s, r.t_ms);
  AppendSynthetic(sink, target_labels, "scrape_samples_scraped",
                  static_cast<double>(r.samples_scraped), r.t_ms);
  AppendSynthetic(sink, target_labels, "scrape_samples_post_metric_relabeling",
                  static_cast<double>(r.samples_stored), r.t_ms);
  AppendSynthetic(sink, target_labels, "scrape_samples_dropped_by_limit",
                  static_cast<double>(r.samples_dropped_by_limit), r.t_ms);
}

size_t WriteWithTargetLabels(SampleSink& sink, const std::vector<ParsedSample>& samples,
                             const Labels& target_labels, int64_t t_ms) {
  size_t written = 0;
  for (const ParsedSample& s : samples) {
    std::vector<Label> labels;
    labels.reserve(s.labels.size() + target_labels.size());
    for (const Label& l : s.labels) {
      const bool clashes = !LabelValue(target_labels, l.name).empty();
      labels.push_back({clashes ? "exported_" + l.name : l.name, l.value});
    }
    labels.insert(labels.end(), target_labels.begin(), target_labels.end());
    auto made = MakeLabels(std::move(labels));
    if (!made) continue;  // an exported_x clashing with a real exported_x: as Prometheus, skip
    sink.Append(*made, {s.t_ms.value_or(t_ms), s.value});
    ++written;
  }
  return written;
}

ScrapeResult ScrapeOnce(const ScrapeTarget& target, SampleSink& sink, int64_t t_ms) {
  ScrapeResult result;
  result.t_ms = t_ms;
  const Labels target_labels =
      MakeLabels(
          {{"job", target.job},
           {"instance", target.instance.empty() ? InstanceFromUrl(target.url) : target.instance}})
          .value_or(Labels{});
  const auto start = std::chrono::steady_clock::now();
  Fetched fetched = Fetch(target);
  if (fetched.error.empty()) {
    ExpositionOptions options{.format = FormatFromContentType(fetched.content_type),
                              .max_samples = target.max_series};
    auto parsed = ParseExposition(fetched.body, options);
    if (!parsed) {
      fetched.error = parsed.error().message();
    } else {
      result.samples_scraped = parsed->samples.size() + parsed->samples_dropped;
      result.samples_dropped_by_limit = parsed->samples_dropped;
      result.samples_stored = WriteWithTargetLabels(sink, parsed->samples, target_labels, t_ms);
      result.up = true;
    }
  }
  result.error = std::move(fetched.error);
  result.duration_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  WriteScrapeSeries(sink, target_labels, result);
  return result;
}

}  // namespace failsafe::watch
