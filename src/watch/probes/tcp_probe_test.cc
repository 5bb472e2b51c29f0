#include "watch/probes/tcp_probe.h"

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <fstream>
#include <future>
#include <thread>

#include "watch/probes/testing/self_signed.h"
#include "watch/probes/testing/test_http_server.h"

namespace failsafe::watch::probes {
namespace {

using namespace std::chrono_literals;
using testing::TestHttpServer;
using testing::TestResponse;

TestResponse Hello(const testing::TestRequest&) {
  return {200, {}, "hello from the service"};
}

class TcpProbeTest : public ::testing::Test {
 protected:
  TcpProbeTest() : work_(io_.get_executor()), thread_([this] { io_.run(); }) {}
  ~TcpProbeTest() override {
    work_.reset();
    thread_.join();
  }

  ProbeResult Probe(const TcpSpec& spec, std::chrono::milliseconds timeout = 5s) {
    std::promise<ProbeResult> done;
    prober_.Run(spec, timeout, [&](ProbeResult r) { done.set_value(std::move(r)); });
    return done.get_future().get();
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
  TcpProber prober_{io_};
};

TEST_F(TcpProbeTest, ConnectsToAListeningPort) {
  TestHttpServer server(Hello);
  TcpSpec spec;
  spec.target = "127.0.0.1:" + std::to_string(server.port());
  ProbeResult r = Probe(spec);
  EXPECT_TRUE(r.success) << r.error;
  EXPECT_GT(r.duration_seconds, 0);
}

TEST_F(TcpProbeTest, RefusedPortFails) {
  uint16_t port;
  {
    TestHttpServer gone(Hello);
    port = gone.port();
  }
  TcpSpec spec;
  spec.target = "127.0.0.1:" + std::to_string(port);
  ProbeResult r = Probe(spec);
  EXPECT_FALSE(r.success);
  EXPECT_NE(r.error.find("connecting"), std::string::npos) << r.error;
}

TEST_F(TcpProbeTest, SendsAndExpectsAReply) {
  TestHttpServer server(Hello);
  TcpSpec spec;
  spec.target = "localhost:" + std::to_string(server.port());
  spec.ip_protocol = IpProtocol::kIp4;
  spec.send = "GET / HTTP/1.0\r\n\r\n";
  spec.expect = *CompileRegex("hello from", "expect");
  ProbeResult r = Probe(spec);
  EXPECT_TRUE(r.success) << r.error;

  spec.expect = *CompileRegex("goodbye", "expect");
  ProbeResult wrong = Probe(spec);
  EXPECT_FALSE(wrong.success);
  EXPECT_EQ(wrong.error, "the peer closed before the reply matched /goodbye/");
}

TEST_F(TcpProbeTest, TimesOutWhenTheReplyNeverComes) {
  TestHttpServer server(Hello);  // waits for a request we never finish
  TcpSpec spec;
  spec.target = "127.0.0.1:" + std::to_string(server.port());
  spec.expect = *CompileRegex("anything", "expect");
  ProbeResult r = Probe(spec, 300ms);
  EXPECT_FALSE(r.success);
  EXPECT_EQ(r.error, "timed out while reading the reply");
  EXPECT_LT(r.duration_seconds, 2);
}

TEST_F(TcpProbeTest, TlsReportsTheCertificate) {
  auto cert = testing::MakeSelfSigned(10);
  TestHttpServer server(Hello, testing::MakeServerTls(cert.cert_pem, cert.key_pem));
  TcpSpec spec;
  spec.target = "127.0.0.1:" + std::to_string(server.port());
  spec.tls = true;
  ProbeResult untrusted = Probe(spec);
  EXPECT_FALSE(untrusted.success);
  EXPECT_NE(untrusted.error.find("TLS handshake"), std::string::npos) << untrusted.error;

  const std::string ca = ::testing::TempDir() + "/tcp_probe_ca.pem";
  std::ofstream(ca) << cert.cert_pem;
  spec.tls_options.ca_file = ca;
  spec.send = "GET / HTTP/1.0\r\n\r\n";
  spec.expect = *CompileRegex("hello", "expect");
  ProbeResult r = Probe(spec);
  EXPECT_TRUE(r.success) << r.error;
  EXPECT_EQ(r.ssl_earliest_cert_expiry, cert.not_after_unix);
  EXPECT_EQ(r.tls_version, "TLSv1.3");
}

}  // namespace
}  // namespace failsafe::watch::probes
