#pragma once
// Parser of the two formats metric endpoints expose: the Prometheus text format 0.0.4 and
// OpenMetrics 1.0. Strict where the formats are (a malformed line fails the whole page, as in
// Prometheus, with its line:column and what was expected), lenient where Prometheus is
// (unknown escapes kept as written, trailing commas and blanks in the text format).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "watch/metrics/series.h"

namespace failsafe::watch {

enum class ExpositionFormat { kPrometheusText, kOpenMetrics };

// The format a Content-Type header announces: OpenMetrics for application/openmetrics-text,
// the text format for anything else (as Prometheus falls back).
ExpositionFormat FormatFromContentType(std::string_view content_type);

enum class MetricType {
  kUnknown,  // "untyped" in the text format
  kCounter,
  kGauge,
  kHistogram,
  kGaugeHistogram,
  kSummary,
  kInfo,
  kStateSet,
};
std::string_view MetricTypeName(MetricType type);

struct MetricFamily {
  std::string name;
  MetricType type = MetricType::kUnknown;
  std::string help;
  std::string unit;  // OpenMetrics only
};

struct ParsedSample {
  Labels labels;  // __name__ included
  double value = 0;
  std::optional<int64_t> t_ms;  // absent: the scraper uses the scrape time
};

struct ExpositionOptions {
  ExpositionFormat format = ExpositionFormat::kPrometheusText;
  // Keep at most this many samples (one per series in a well-formed page); the rest are
  // dropped and counted in samples_dropped. 0: no cap.
  size_t max_samples = 0;
};

struct Exposition {
  std::vector<MetricFamily> families;  // in order of first mention
  std::vector<ParsedSample> samples;
  size_t samples_dropped = 0;  // over max_samples
  size_t created_skipped = 0;  // OpenMetrics _created samples, which Prometheus does not store
};

// Parses a whole page. Errors are InvalidArgument with "line L, column C: expected ..."
// and the field "L:C".
Result<Exposition> ParseExposition(std::string_view text, const ExpositionOptions& options);

}  // namespace failsafe::watch
