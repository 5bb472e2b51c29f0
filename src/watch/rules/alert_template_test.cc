#include "watch/rules/alert_template.h"

#include <gtest/gtest.h>

#include <cmath>

namespace failsafe::watch::rules {
namespace {

std::string Render(std::string_view text, double value = 0.5) {
  auto t = AlertTemplate::Parse(text);
  if (!t) return "error: " + t.error().message();
  auto labels = MakeLabels({{"instance", "db1:9100"}, {"job", "node"}});
  return t->Render(*labels, value);
}

TEST(AlertTemplate, LabelsAndValue) {
  EXPECT_EQ(Render("CPU on {{ $labels.instance }} ({{$labels.job}})"), "CPU on db1:9100 (node)");
  EXPECT_EQ(Render("{{ .Labels.instance }} = {{ .Value }}"), "db1:9100 = 0.5");
  EXPECT_EQ(Render("missing: [{{ $labels.nope }}]"), "missing: []");
  EXPECT_EQ(Render("{{ $value }}", 90), "90");
  EXPECT_EQ(Render("{{ $value }}", 1234567), "1.234567e+06");  // as Go prints a float64
  EXPECT_EQ(Render("{{ $value }}", 0.00001), "1e-05");
  EXPECT_EQ(Render("no actions"), "no actions");
  EXPECT_EQ(Render("a  {{- $labels.job -}}  b"), "anodeb");
}

TEST(AlertTemplate, Functions) {
  EXPECT_EQ(Render("{{ $value | humanize }}", 1234567), "1.235M");
  EXPECT_EQ(Render("{{ humanize $value }}", 0.0123), "12.3m");
  EXPECT_EQ(Render("{{ $value | humanize1024 }}", 1073741824), "1Gi");
  EXPECT_EQ(Render("{{ $value | humanizePercentage }}", 0.0512), "5.12%");
  EXPECT_EQ(Render("{{ $value | humanizeDuration }}", 93784), "1d 2h 3m 4s");
  EXPECT_EQ(Render("{{ $value | humanizeDuration }}", 0.25), "250ms");
  EXPECT_EQ(Render("{{ printf \"%.1f\" $value }}%", 87.26), "87.3%");
  EXPECT_EQ(Render("{{ $value | printf \"%.0f\" }}", 87.6), "88");
  EXPECT_EQ(Render("{{ $labels.job | toUpper }}"), "NODE");
  EXPECT_EQ(Render("{{ \"X\" | toLower }}"), "x");
  EXPECT_EQ(Render("{{ printf \"%d items, %5.1f%%\" 42 $value }}", 7.25), "42 items,   7.2%");
  EXPECT_EQ(Render("{{ printf \"%999999999f|%s\" $value \"x\" }}"), "%!f(BADWIDTH)|x");
  EXPECT_EQ(Render("{{ printf \"%d\" $value }}", 1e300), "%!d(float64=1e+300)");
  EXPECT_EQ(Render("{{ printf \"%s %s\" \"a\" }}"), "a %!s(MISSING)");
}

TEST(AlertTemplate, HumanizeEdgeCases) {
  EXPECT_EQ(Humanize(0), "0");
  EXPECT_EQ(Humanize(999), "999");
  EXPECT_EQ(Humanize(1000), "1k");
  EXPECT_EQ(Humanize(-2500), "-2.5k");
  EXPECT_EQ(Humanize(std::nan("")), "NaN");
  EXPECT_EQ(Humanize(INFINITY), "+Inf");
  EXPECT_EQ(HumanizeDuration(0), "0s");
  EXPECT_EQ(HumanizeDuration(59.5), "59.5s");
  EXPECT_EQ(HumanizeDuration(3600), "1h 0m 0s");
  EXPECT_EQ(GoFloat(100000), "100000");
  EXPECT_EQ(GoFloat(0.0001), "0.0001");
}

TEST(AlertTemplate, RefusesWhatItDoesNotKnowWithPosition) {
  EXPECT_EQ(Render("x {{ if $value }}y{{ end }}"),
            "error: 1:6: template action 'if' is not supported");
  EXPECT_EQ(Render("{{ $labels }}"), "error: 1:4: name one label: $labels.<name>");
  EXPECT_EQ(Render("line\n {{ $value | sprig }}"),
            "error: 2:14: 'sprig' is not a supported function (humanize, humanize1024, "
            "humanizePercentage, humanizeDuration, printf, toUpper, toLower)");
  EXPECT_EQ(Render("{{ $value"), "error: 1:1: unclosed action: missing '}}'");
  EXPECT_EQ(Render("{{ }}"), "error: 1:3: empty action");
  EXPECT_EQ(Render("{{ humanize }}"), "error: 1:4: 'humanize' takes one argument, got 0");
  EXPECT_EQ(Render("{{ $labels.a-b }}"), "error: 1:4: 'a-b' is not a valid label name");
  EXPECT_EQ(Render("{{ $externalURL }}").substr(0, 44),
            "error: 1:4: unsupported template operand '$e");
}

}  // namespace
}  // namespace failsafe::watch::rules
