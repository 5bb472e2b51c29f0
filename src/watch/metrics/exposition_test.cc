#include "watch/metrics/exposition.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

namespace failsafe::watch {
namespace {

const ExpositionOptions kText{};
const ExpositionOptions kOm{.format = ExpositionFormat::kOpenMetrics};

Exposition Parse(std::string_view text, const ExpositionOptions& o = kText) {
  auto r = ParseExposition(text, o);
  EXPECT_TRUE(r.has_value()) << r.error().ToString();
  return r.value_or(Exposition{});
}

std::string ErrorOf(std::string_view text, const ExpositionOptions& o = kText) {
  auto r = ParseExposition(text, o);
  EXPECT_FALSE(r.has_value()) << text;
  return r ? "" : r.error().message();
}

TEST(Exposition, TextFormatSamplesLabelsTypesAndHelp) {
  Exposition e = Parse(
      "# HELP node_load1 1m load average.\n"
      "# TYPE node_load1 gauge\n"
      "node_load1 0.21\n"
      "\n"
      "# a plain comment\n"
      "# TYPE http_requests_total counter\n"
      "http_requests_total{method=\"post\",code=\"200\"} 1027 1395066363000\n"
      "http_requests_total { method = \"get\" , code=\"400\", } 3\t1395066363000\n"
      "  indented_metric 5\r\n");
  ASSERT_EQ(e.samples.size(), 4u);
  EXPECT_EQ(FormatLabels(e.samples[0].labels), "node_load1");
  EXPECT_DOUBLE_EQ(e.samples[0].value, 0.21);
  EXPECT_FALSE(e.samples[0].t_ms.has_value());
  EXPECT_EQ(FormatLabels(e.samples[1].labels),
            "http_requests_total{code=\"200\", method=\"post\"}");
  EXPECT_EQ(e.samples[1].t_ms, 1395066363000);
  EXPECT_EQ(LabelValue(e.samples[2].labels, "method"), "get");
  EXPECT_EQ(e.samples[2].t_ms, 1395066363000);
  EXPECT_EQ(FormatLabels(e.samples[3].labels), "indented_metric");
  ASSERT_EQ(e.families.size(), 2u);
  EXPECT_EQ(e.families[0].help, "1m load average.");
  EXPECT_EQ(e.families[0].type, MetricType::kGauge);
  EXPECT_EQ(e.families[1].type, MetricType::kCounter);
}

TEST(Exposition, EscapesAndSpecialValues) {
  Exposition e = Parse(
      "# HELP m a \\\\ b\\nc \\\"q\n"
      "m{path=\"C:\\\\dir\\\\x\",quote=\"say \\\"hi\\\"\",nl=\"a\\nb\",odd=\"\\t\"} NaN\n"
      "m{k=\"1\"} +Inf\n"
      "m{k=\"2\"} -Inf\n"
      "m{k=\"3\"} 1.5e3\n"
      "m{k=\"4\"} -0.0 -5\n");
  ASSERT_EQ(e.samples.size(), 5u);
  EXPECT_EQ(e.families[0].help, "a \\ b\nc \\\"q");  // \" is no escape in text HELP
  EXPECT_EQ(LabelValue(e.samples[0].labels, "path"), "C:\\dir\\x");
  EXPECT_EQ(LabelValue(e.samples[0].labels, "quote"), "say \"hi\"");
  EXPECT_EQ(LabelValue(e.samples[0].labels, "nl"), "a\nb");
  EXPECT_EQ(LabelValue(e.samples[0].labels, "odd"), "\\t");  // kept as written, like Prometheus
  EXPECT_TRUE(std::isnan(e.samples[0].value));
  EXPECT_EQ(e.samples[1].value, INFINITY);
  EXPECT_EQ(e.samples[2].value, -INFINITY);
  EXPECT_EQ(e.samples[3].value, 1500);
  EXPECT_EQ(e.samples[4].t_ms, -5);
}

TEST(Exposition, HistogramAndSummarySuffixesBelongToTheirFamily) {
  Exposition e = Parse(
      "# TYPE rpc_seconds histogram\n"
      "rpc_seconds_bucket{le=\"0.1\"} 3\n"
      "rpc_seconds_bucket{le=\"+Inf\"} 5\n"
      "rpc_seconds_sum 1.2\n"
      "rpc_seconds_count 5\n"
      "# TYPE gc_seconds summary\n"
      "gc_seconds{quantile=\"0.5\"} 0.01\n"
      "gc_seconds_sum 2\n"
      "gc_seconds_count 7\n");
  EXPECT_EQ(e.samples.size(), 7u);
  EXPECT_EQ(e.families.size(), 2u);  // no families invented for the suffixed names
  EXPECT_NE(ErrorOf("# TYPE h histogram\nh_bucket 1\n").find("le label"), std::string::npos);
  EXPECT_NE(ErrorOf("# TYPE h histogram\nh 1\n").find("h_bucket, _count or _sum"),
            std::string::npos);
  EXPECT_NE(ErrorOf("# TYPE s summary\ns 1\n").find("quantile"), std::string::npos);
}

TEST(Exposition, ErrorsNameLineColumnAndWhatWasExpected) {
  EXPECT_EQ(ErrorOf("ok 1\nm{a=\"1\" b=\"2\"} 1\n"),
            "line 2, column 9: expected ',' or '}' after a label value, found 'b'");
  EXPECT_EQ(
      ErrorOf("m{a=\"1} 1\n"),
      "line 1, column 10: expected '\"' to close the value of label \"a\", found end of line");
  EXPECT_EQ(ErrorOf("m{a=1} 1\n"),
            "line 1, column 5: expected '\"' to open the value of label \"a\", found '1'");
  EXPECT_EQ(ErrorOf("m 12x\n"),
            "line 1, column 3: expected a value (a number, NaN, +Inf or -Inf), found '1'");
  EXPECT_EQ(ErrorOf("m\n"), "line 1, column 2: expected a blank and a value, found end of line");
  EXPECT_EQ(ErrorOf("m 1 1.5\n"),
            "line 1, column 5: expected a timestamp in integer milliseconds or end of line, found "
            "'1'");
  EXPECT_EQ(ErrorOf("m 1 2 3\n"), "line 1, column 7: expected end of line, found '3'");
  EXPECT_EQ(ErrorOf("9m 1\n"), "line 1, column 1: expected a metric name or '#', found '9'");
  EXPECT_EQ(ErrorOf("m{1a=\"x\"} 1\n"),
            "line 1, column 3: expected a label name or '}', found '1'");
  EXPECT_EQ(ErrorOf("# TYPE m countr\n"),
            "line 1, column 10: expected a type: counter, gauge, histogram, summary or untyped, "
            "found 'c'");
  EXPECT_NE(ErrorOf("# TYPE m gauge\n# TYPE m counter\n").find("line 2, column 8: expected one"),
            std::string::npos);
  EXPECT_EQ(ErrorOf("m{a=\"1\",a=\"2\"} 1\n"), "line 1, column 1: duplicate label name \"a\"");
  EXPECT_EQ(ErrorOf("m{a=\"\xff\"} 1\n"),
            "line 1, column 6: expected a UTF-8 value for label \"a\", found byte 0xff");
  auto r = ParseExposition("m{a=1} 1\n", kText);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field(), "1:5");
}

TEST(Exposition, OpenMetrics) {
  Exposition e = Parse(
      "# TYPE acme_http_router_request_seconds summary\n"
      "# UNIT acme_http_router_request_seconds seconds\n"
      "# HELP acme_http_router_request_seconds Latency \\\"quoted\\\".\n"
      "acme_http_router_request_seconds_sum{path=\"/api/v1\",method=\"GET\"} 9036.32\n"
      "acme_http_router_request_seconds_count{path=\"/api/v1\",method=\"GET\"} 807283.0\n"
      "acme_http_router_request_seconds_created{path=\"/api/v1\",method=\"GET\"} 1605281325.0\n"
      "# TYPE foo counter\n"
      "foo_total 17.0 1520879607.789 # {id=\"counter-test\"} 5\n"
      "foo_created 1520872607.123\n"
      "# TYPE h histogram\n"
      "h_bucket{le=\"1\"} 0 # {trace_id=\"KOO5S4vxi0o\"} 0.67\n"
      "h_bucket{le=\"+Inf\"} 1 123.5 # {trace_id=\"x\"} 1.5 123.0\n"
      "h_count 1\n"
      "h_sum 0.67\n"
      "# TYPE cpu info\n"
      "cpu_info{model=\"x\"} 1\n"
      "# TYPE st stateset\n"
      "st{st=\"a\"} 1\n"
      "# EOF\n",
      kOm);
  ASSERT_EQ(e.samples.size(), 9u);
  EXPECT_EQ(e.created_skipped, 2u);
  EXPECT_EQ(e.families[0].unit, "seconds");
  EXPECT_EQ(e.families[0].help, "Latency \"quoted\".");
  EXPECT_EQ(FormatLabels(e.samples[2].labels), "foo_total");
  EXPECT_EQ(e.samples[2].t_ms, 1520879607789);
  EXPECT_EQ(e.samples[4].t_ms, 123500);
  EXPECT_EQ(e.families[3].type, MetricType::kInfo);
}

TEST(Exposition, OpenMetricsIsStrictWhereTheSpecIs) {
  EXPECT_EQ(
      ErrorOf("m 1\n", kOm),
      "line 2, column 1: expected # EOF at the end of an OpenMetrics page, found end of line");
  EXPECT_EQ(ErrorOf("# EOF\nm 1\n", kOm),
            "line 2, column 1: expected nothing after # EOF, found 'm'");
  EXPECT_NE(ErrorOf("m 1\n\n# EOF\n", kOm).find("line 2, column 1: expected a sample"),
            std::string::npos);
  EXPECT_NE(ErrorOf("# random comment\n# EOF\n", kOm).find("# HELP, # TYPE, # UNIT or # EOF"),
            std::string::npos);
  EXPECT_NE(ErrorOf("# TYPE c counter\nc 1\n# EOF\n", kOm).find("c_total"), std::string::npos);
  EXPECT_NE(ErrorOf("m  1\n# EOF\n", kOm).find("column 3"), std::string::npos);
  EXPECT_NE(ErrorOf("m 1 # junk\n# EOF\n", kOm).find("exemplar"), std::string::npos);
  EXPECT_NE(ErrorOf("m{a=\"1\",} 1\n# EOF\n", kOm).find("label name after ','"), std::string::npos);
}

TEST(Exposition, CapKeepsTheFirstSamplesAndCountsTheRest) {
  std::string page;
  for (int i = 0; i < 10; ++i) page += "m{i=\"" + std::to_string(i) + "\"} 1\n";
  Exposition e = Parse(page, {.max_samples = 4});
  EXPECT_EQ(e.samples.size(), 4u);
  EXPECT_EQ(e.samples_dropped, 6u);
}

TEST(Exposition, ContentTypeSelectsTheFormat) {
  EXPECT_EQ(FormatFromContentType("application/openmetrics-text; version=1.0.0; charset=utf-8"),
            ExpositionFormat::kOpenMetrics);
  EXPECT_EQ(FormatFromContentType("text/plain; version=0.0.4"), ExpositionFormat::kPrometheusText);
  EXPECT_EQ(FormatFromContentType(""), ExpositionFormat::kPrometheusText);
}

TEST(Exposition, RealNodeExporterPage) {
  std::ifstream in(std::string(FAILSAFE_METRICS_TESTDATA) + "/node_exporter_1.5.0.prom");
  std::stringstream buf;
  buf << in.rdbuf();
  ASSERT_GT(buf.str().size(), 1000u);
  Exposition e = Parse(buf.str());
  size_t sample_lines = 0;
  std::istringstream lines(buf.str());
  for (std::string line; std::getline(lines, line);) sample_lines += !line.starts_with("#");
  EXPECT_EQ(e.samples.size(), sample_lines);
  size_t cpu = 0;
  for (const ParsedSample& s : e.samples) {
    cpu += LabelValue(s.labels, "__name__") == "node_cpu_seconds_total";
  }
  EXPECT_GT(cpu, 0u);
}

}  // namespace
}  // namespace failsafe::watch
