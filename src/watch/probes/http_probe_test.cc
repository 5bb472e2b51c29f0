#include "watch/probes/http_probe.h"

#include <gtest/gtest.h>

#include <ctime>
#include <fstream>
#include <future>

#include "watch/probes/testing/self_signed.h"
#include "watch/probes/testing/test_http_server.h"

namespace failsafe::watch::probes {
namespace {

using testing::TestHttpServer;
using testing::TestRequest;
using testing::TestResponse;
using namespace std::chrono_literals;

ProbeResult Probe(CurlDriver& driver, const HttpRequestSpec& spec,
                  std::chrono::milliseconds timeout = 5s) {
  std::promise<ProbeResult> done;
  RunHttpProbe(driver, spec, timeout, [&](ProbeResult r) { done.set_value(std::move(r)); });
  return done.get_future().get();
}

Regex Re(const std::string& p) {
  return *CompileRegex(p, "test");
}

TestResponse Route(const TestRequest& req) {
  if (req.target == "/ok") return {200, {{"Content-Type", "text/plain"}}, "all systems go"};
  if (req.target == "/down") return {503, {}, "maintenance"};
  if (req.target == "/moved") return {302, {{"Location", "/ok"}}, ""};
  if (req.target == "/to-ftp") return {302, {{"Location", "ftp://127.0.0.1/"}}, ""};
  if (req.target == "/slow") return {200, {}, "late", 2000ms};
  if (req.target == "/echo") {
    std::string seen = req.method + " " + req.body +
                       " x-team=" + (req.headers.count("x-team") ? req.headers.at("x-team") : "");
    return {200, {}, seen};
  }
  return {404, {}, "no"};
}

class HttpProbeTest : public ::testing::Test {
 protected:
  TestHttpServer server_{Route};
  CurlDriver driver_;
};

TEST_F(HttpProbeTest, HealthyPageSucceedsWithPhases) {
  HttpRequestSpec spec;
  spec.url = server_.Url("/ok");
  spec.body_must_match = {Re("systems go")};
  ProbeResult r = Probe(driver_, spec);
  EXPECT_TRUE(r.success) << r.error;
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.content_length, 14);
  ASSERT_TRUE(r.http_phases.has_value());
  EXPECT_GT(r.duration_seconds, 0);
  EXPECT_EQ(r.http_phases->tls, 0);
  const auto& p = *r.http_phases;
  EXPECT_NEAR(p.resolve + p.connect + p.tls + p.processing + p.transfer, r.duration_seconds, 1e-3);
  EXPECT_FALSE(r.ssl_earliest_cert_expiry.has_value());
}

TEST_F(HttpProbeTest, StatusOutsideValidCodesFails) {
  HttpRequestSpec spec;
  spec.url = server_.Url("/down");
  ProbeResult r = Probe(driver_, spec);
  EXPECT_FALSE(r.success);
  EXPECT_EQ(r.http_status, 503);
  EXPECT_EQ(r.error, "status 503 not in 2xx");
  spec.valid_status_codes = {200, 503};
  EXPECT_TRUE(Probe(driver_, spec).success);
}

TEST_F(HttpProbeTest, BodyMatchers) {
  HttpRequestSpec spec;
  spec.url = server_.Url("/ok");
  spec.body_must_match = {Re("^all"), Re("nothing like this")};
  ProbeResult r = Probe(driver_, spec);
  EXPECT_FALSE(r.success);
  EXPECT_EQ(r.error, "body does not match /nothing like this/");
  spec.body_must_match = {};
  spec.body_must_not_match = {Re("go$")};
  EXPECT_EQ(Probe(driver_, spec).error, "body matches /go$/");
}

TEST_F(HttpProbeTest, RedirectsFollowedOrNot) {
  HttpRequestSpec spec;
  spec.url = server_.Url("/moved");
  ProbeResult followed = Probe(driver_, spec);
  EXPECT_TRUE(followed.success) << followed.error;
  EXPECT_EQ(followed.http_status, 200);
  EXPECT_EQ(followed.redirects, 1);
  spec.follow_redirects = false;
  ProbeResult kept = Probe(driver_, spec);
  EXPECT_FALSE(kept.success);
  EXPECT_EQ(kept.http_status, 302);
}

TEST_F(HttpProbeTest, RedirectsLeaveHttpOnlyAsAFailure) {
  HttpRequestSpec spec;
  spec.url = server_.Url("/to-ftp");
  ProbeResult r = Probe(driver_, spec);
  EXPECT_FALSE(r.success);
  EXPECT_NE(r.error.find("\"ftp\" not supported"), std::string::npos) << r.error;
}

TEST_F(HttpProbeTest, MethodHeadersAndBodyAreSent) {
  HttpRequestSpec spec;
  spec.url = server_.Url("/echo");
  spec.method = "POST";
  spec.body = "ping";
  spec.headers = {{"X-Team", "ops"}};
  spec.body_must_match = {Re("^POST ping x-team=ops$")};
  ProbeResult r = Probe(driver_, spec);
  EXPECT_TRUE(r.success) << r.error;
}

TEST_F(HttpProbeTest, TimeoutFails) {
  HttpRequestSpec spec;
  spec.url = server_.Url("/slow");
  ProbeResult r = Probe(driver_, spec, 300ms);
  EXPECT_FALSE(r.success);
  EXPECT_NE(r.error.find("timed out"), std::string::npos) << r.error;
  EXPECT_LT(r.duration_seconds, 1.5);
}

TEST_F(HttpProbeTest, ConnectionRefusedFails) {
  uint16_t closed_port;
  {
    TestHttpServer gone(Route);
    closed_port = gone.port();
  }
  HttpRequestSpec spec;
  spec.url = "http://127.0.0.1:" + std::to_string(closed_port) + "/";
  ProbeResult r = Probe(driver_, spec);
  EXPECT_FALSE(r.success);
  EXPECT_EQ(r.http_status, 0);
  EXPECT_FALSE(r.error.empty());
}

TEST_F(HttpProbeTest, EachProbeIsANewConnection) {
  HttpRequestSpec spec;
  spec.url = server_.Url("/ok");
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Probe(driver_, spec).success);
  EXPECT_EQ(server_.requests(), 5u);
}

TEST_F(HttpProbeTest, ManyProbesInFlightAtOnce) {
  // 200 probes of a page that answers after 2 s finish in about 2 s, not 400 s: the driver
  // multiplexes them.
  HttpRequestSpec spec;
  spec.url = server_.Url("/slow");
  std::atomic<int> ok{0};
  std::promise<void> all;
  std::atomic<int> left{200};
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 200; ++i) {
    RunHttpProbe(driver_, spec, 5s, [&](ProbeResult r) {
      if (r.success) ++ok;
      if (--left == 0) all.set_value();
    });
  }
  all.get_future().wait();
  EXPECT_EQ(ok.load(), 200);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
}

TEST(HttpsProbe, ReportsCertificateExpiryAndTlsVersion) {
  auto cert = testing::MakeSelfSigned(30);
  TestHttpServer server(Route, testing::MakeServerTls(cert.cert_pem, cert.key_pem));
  CurlDriver driver;
  HttpRequestSpec spec;
  spec.url = server.Url("/ok");
  spec.fail_if_not_ssl = true;

  // Not trusted by default.
  ProbeResult untrusted = Probe(driver, spec);
  EXPECT_FALSE(untrusted.success);
  EXPECT_NE(untrusted.error.find("certificate"), std::string::npos) << untrusted.error;

  // Trusted through ca_file: verified, with the expiry and version read from the handshake.
  const std::string ca = ::testing::TempDir() + "/probe_ca.pem";
  std::ofstream(ca) << cert.cert_pem;
  spec.tls.ca_file = ca;
  ProbeResult r = Probe(driver, spec);
  EXPECT_TRUE(r.success) << r.error;
  ASSERT_TRUE(r.ssl_earliest_cert_expiry.has_value());
  EXPECT_EQ(*r.ssl_earliest_cert_expiry, cert.not_after_unix);
  const auto days = CertExpiryDays(r, std::time(nullptr));
  ASSERT_TRUE(days.has_value());
  EXPECT_TRUE(*days == 29 || *days == 30) << *days;  // 30 days from a second ago
  EXPECT_EQ(r.tls_version, "TLSv1.3");
  EXPECT_GT(r.http_phases->tls, 0);

  // insecure_skip_verify accepts it and still reports the expiry.
  spec.tls.ca_file.clear();
  spec.tls.insecure_skip_verify = true;
  ProbeResult insecure = Probe(driver, spec);
  EXPECT_TRUE(insecure.success) << insecure.error;
  EXPECT_EQ(insecure.ssl_earliest_cert_expiry, cert.not_after_unix);
}

TEST(HttpProbeIp, Ipv6PreferenceReachesAnIpv6OnlyServer) {
  TestHttpServer server(Route, nullptr, 1, /*ipv6=*/true);
  CurlDriver driver;
  HttpRequestSpec spec;
  spec.url = "http://localhost:" + std::to_string(server.port()) + "/ok";
  spec.ip_protocol = IpProtocol::kIp6;
  ProbeResult v6 = Probe(driver, spec);
  EXPECT_TRUE(v6.success) << v6.error;
  spec.ip_protocol = IpProtocol::kIp4;
  EXPECT_FALSE(Probe(driver, spec).success);
}

}  // namespace
}  // namespace failsafe::watch::probes
