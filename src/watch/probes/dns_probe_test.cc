#include "watch/probes/dns_probe.h"

#include <gtest/gtest.h>

#include <future>

#include "watch/probes/testing/test_dns_server.h"

namespace failsafe::watch::probes {
namespace {

using namespace std::chrono_literals;

class DnsProbeTest : public ::testing::Test {
 protected:
  ProbeResult Probe(const DnsSpec& spec, std::chrono::milliseconds timeout = 2s) {
    std::promise<ProbeResult> done;
    prober_.Run(spec, timeout, [&](ProbeResult r) { done.set_value(std::move(r)); });
    return done.get_future().get();
  }
  DnsSpec Spec(std::string name) {
    DnsSpec spec;
    spec.query_name = std::move(name);
    spec.server = server_.Address();
    return spec;
  }

  testing::TestDnsServer server_{{{"jira.example.test", {"192.0.2.10", "192.0.2.11"}}}};
  boost::asio::thread_pool pool_{2};
  DnsProber prober_{pool_};
};

TEST_F(DnsProbeTest, ResolvesAgainstTheGivenServer) {
  DnsSpec spec = Spec("jira.example.test");
  spec.answer_must_match = {*CompileRegex(R"(^192\.0\.2\.11$)", "t")};
  ProbeResult r = Probe(spec);
  EXPECT_TRUE(r.success) << r.error;
  EXPECT_EQ(r.dns_answer_count, 2);
  ASSERT_TRUE(r.dns_lookup_seconds.has_value());
  EXPECT_GT(*r.dns_lookup_seconds, 0);
}

TEST_F(DnsProbeTest, ExpectedAnswerMissingFails) {
  DnsSpec spec = Spec("jira.example.test");
  spec.answer_must_match = {*CompileRegex(R"(^10\.)", "t")};
  EXPECT_EQ(Probe(spec).error, "no answer matches /^10\\./");
}

TEST_F(DnsProbeTest, UnknownNameIsNxdomain) {
  ProbeResult r = Probe(Spec("erp.example.test"));
  EXPECT_FALSE(r.success);
  EXPECT_EQ(r.error, "NXDOMAIN");
}

TEST_F(DnsProbeTest, NoRecordOfTheTypeFailsUnlessAllowed) {
  DnsSpec spec = Spec("jira.example.test");
  spec.record_type = "MX";
  EXPECT_EQ(Probe(spec).error, "no MX record");
  spec.fail_if_no_answer = false;
  EXPECT_TRUE(Probe(spec).success);
}

TEST_F(DnsProbeTest, SilentServerTimesOut) {
  ProbeResult r = Probe(Spec("silent.example.test"), 300ms);
  EXPECT_FALSE(r.success);
  EXPECT_EQ(r.error, "timed out");
  EXPECT_LT(*r.dns_lookup_seconds, 1.5);
}

TEST(DnsProbe, UnsupportedTypeIsNamed) {
  EXPECT_TRUE(IsSupportedRecordType("AAAA"));
  EXPECT_FALSE(IsSupportedRecordType("SRV"));
}

}  // namespace
}  // namespace failsafe::watch::probes
