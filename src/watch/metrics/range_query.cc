// Range queries in Prometheus's query_range shape (range_query.h).
#include "watch/metrics/range_query.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace failsafe::watch {
namespace {

void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned char>(c));
          out += buf;
        } else {
          out += c;  // label values are valid UTF-8 (the parser checks)
        }
    }
  }
  out += '"';
}

}  // namespace

Status CheckRangeQuery(const RangeQuery& q) {
  if (q.step_ms <= 0) {
    return InvalidArgument(
        "zero or negative query resolution step widths are not accepted. Try a positive "
        "integer",
        "step");
  }
  if (q.end_ms < q.start_ms)
    return InvalidArgument("end timestamp must not be before start time", "end");
  if ((q.end_ms - q.start_ms) / q.step_ms + 1 > kMaxPointsPerSeries) {
    return InvalidArgument(
        "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the "
        "query resolution (?step=XX)",
        "step");
  }
  return Status::Ok();
}

std::vector<SeriesSamples> EvaluateAtSteps(const std::vector<SeriesSamples>& selected,
                                           const RangeQuery& q) {
  std::vector<SeriesSamples> out;
  if (!CheckRangeQuery(q).ok()) return out;
  for (const SeriesSamples& s : selected) {
    SeriesSamples points;
    size_t next = 0;  // first sample after the current step
    for (int64_t t = q.start_ms; t <= q.end_ms; t += q.step_ms) {
      while (next < s.samples.size() && s.samples[next].t_ms <= t) ++next;
      if (next == 0) continue;
      const Sample& latest = s.samples[next - 1];
      if (latest.t_ms > t - q.lookback_ms) points.samples.push_back({t, latest.value});
    }
    if (points.samples.empty()) continue;
    points.labels = s.labels;
    out.push_back(std::move(points));
  }
  return out;
}

std::string FormatPromTimestamp(int64_t t_ms) {
  std::string out;
  if (t_ms < 0) {
    out += '-';
    t_ms = -t_ms;
  }
  out += std::to_string(t_ms / 1000);
  int64_t frac = t_ms % 1000;
  if (frac != 0) {
    char buf[8];
    std::snprintf(buf, sizeof(buf), ".%03d", static_cast<int>(frac));
    std::string f(buf);
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  return out;
}

std::string FormatPromValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[400];  // fixed notation of DBL_MAX needs 309 digits
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::fixed);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

std::string MatrixJson(const std::vector<SeriesSamples>& series) {
  std::string out = R"({"status":"success","data":{"resultType":"matrix","result":[)";
  for (size_t i = 0; i < series.size(); ++i) {
    if (i > 0) out += ',';
    out += R"({"metric":{)";
    for (size_t l = 0; l < series[i].labels.size(); ++l) {
      if (l > 0) out += ',';
      AppendJsonString(out, series[i].labels[l].name);
      out += ':';
      AppendJsonString(out, series[i].labels[l].value);
    }
    out += R"(},"values":[)";
    for (size_t p = 0; p < series[i].samples.size(); ++p) {
      if (p > 0) out += ',';
      out += '[';
      out += FormatPromTimestamp(series[i].samples[p].t_ms);
      out += ",\"";
      out += FormatPromValue(series[i].samples[p].value);
      out += "\"]";
    }
    out += "]}";
  }
  out += "]}}";
  return out;
}

std::string ApiErrorJson(std::string_view error_type, std::string_view message) {
  std::string out = R"({"status":"error","errorType":)";
  AppendJsonString(out, error_type);
  out += R"(,"error":)";
  AppendJsonString(out, message);
  out += '}';
  return out;
}

}  // namespace failsafe::watch
