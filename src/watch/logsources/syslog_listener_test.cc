// The syslog listeners against real senders: util-linux `logger` over UDP and TCP (both
// framings), and hand-built bytes for what logger never sends.
#include "watch/logsources/syslog_listener.h"

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <condition_variable>
#include <fstream>
#include <thread>

#include "watch/logsources/test_programs.h"

namespace failsafe::watch {
namespace {

namespace net = boost::asio;

class Collector {
 public:
  LogSink Sink() {
    return [this](LogLine&& l) {
      std::lock_guard lock(mu_);
      lines_.push_back(std::move(l));
      cv_.notify_all();
    };
  }
  // Waits until `n` lines have arrived (or 10 s); returns a copy.
  std::vector<LogLine> WaitFor(size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(10), [&] { return lines_.size() >= n; });
    return lines_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<LogLine> lines_;
};

int RunLogger(std::vector<std::string> args) {
  args.insert(args.begin(), "logger");
  return testing::RunProgram(std::move(args));
}

std::string Port(const SyslogListener& l) {
  const std::string a = l.BoundAddress();
  return a.substr(a.rfind(':') + 1);
}

SyslogListenerOptions Local() {
  SyslogListenerOptions o;
  o.listen = "127.0.0.1:0";
  return o;
}

// A started listener on 127.0.0.1:0 delivering to `got`.
std::unique_ptr<SyslogListener> Started(SyslogTransport t, SyslogListenerOptions o,
                                        Collector& got) {
  auto l = std::make_unique<SyslogListener>(t, std::move(o), got.Sink());
  EXPECT_TRUE(l->Start().ok());
  return l;
}

net::ip::tcp::endpoint TcpEndpoint(const SyslogListener& l) {
  return {net::ip::make_address("127.0.0.1"), static_cast<uint16_t>(std::stoi(Port(l)))};
}

bool WaitUntil(const std::function<bool()>& done) {
  for (int i = 0; i < 1000 && !done(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return done();
}

TEST(SyslogUdp, LoggerRfc5424AndRfc3164) {
  Collector got;
  auto started = Started(SyslogTransport::kUdp, Local(), got);
  SyslogListener& l = *started;
  const int64_t before = SystemClock::Instance().NowMillis();
  ASSERT_EQ(RunLogger({"--rfc5424", "-n", "127.0.0.1", "-P", Port(l), "-d", "-t", "myapp",
                       "--msgid", "M1", "--sd-id", "ex@32473", "--sd-param", "k=\"v\"",
                       "Failed password for root from 203.0.113.7"}),
            0);
  ASSERT_EQ(
      RunLogger({"--rfc3164", "-n", "127.0.0.1", "-P", Port(l), "-d", "-t", "old", "bsd says hi"}),
      0);
  auto lines = got.WaitFor(2);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].source, "syslog-udp");
  EXPECT_EQ(lines[0].app, "myapp");
  EXPECT_FALSE(lines[0].host.empty());
  EXPECT_NE(lines[0].text.find("myapp"), std::string::npos) << lines[0].text;
  EXPECT_TRUE(lines[0].text.ends_with(": Failed password for root from 203.0.113.7"))
      << lines[0].text;
  ASSERT_TRUE(lines[0].time_ms);
  EXPECT_NEAR(static_cast<double>(*lines[0].time_ms), static_cast<double>(before), 5000);
  EXPECT_EQ(lines[1].app, "old");
  EXPECT_TRUE(lines[1].text.ends_with("old: bsd says hi")) << lines[1].text;
  ASSERT_TRUE(lines[1].time_ms);  // the BSD timestamp, year inferred (second precision)
  EXPECT_NEAR(static_cast<double>(*lines[1].time_ms), static_cast<double>(before), 5000);
  EXPECT_EQ(l.stats().lines, 2u);
}

TEST(SyslogUdp, GarbageAndOversizeAreCounted) {
  Collector got;
  SyslogListenerOptions o = Local();
  o.max_message_bytes = 64;
  auto started = Started(SyslogTransport::kUdp, o, got);
  SyslogListener& l = *started;
  net::io_context io;
  net::ip::udp::socket s(io, net::ip::udp::v4());
  const net::ip::udp::endpoint to(net::ip::make_address("127.0.0.1"),
                                  static_cast<uint16_t>(std::stoi(Port(l))));
  s.send_to(net::buffer(std::string("\x00\x01\xFF garbage", 11)), to);
  s.send_to(net::buffer(std::string("<13>1 - h app - - - ") + std::string(200, 'y')), to);
  s.send_to(net::buffer(std::string("<13>Nov 22 06:46:35 h app: bin\xFF")), to);
  auto lines = got.WaitFor(2);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].text, "h app: " + std::string(64 - 20, 'y'));
  EXPECT_EQ(lines[1].text, "Nov 22 06:46:35 h app: bin\xEF\xBF\xBD");
  EXPECT_TRUE(WaitUntil([&] { return l.stats().malformed == 1; }));
  EXPECT_EQ(l.stats().truncated, 1u);
  EXPECT_EQ(l.stats().invalid_utf8, 1u);
  EXPECT_NE(l.stats().last_error().find("not a syslog message"), std::string::npos);
}

TEST(SyslogTcp, LoggerOctetCountingAndNewlineFraming) {
  Collector got;
  auto started = Started(SyslogTransport::kTcp, Local(), got);
  SyslogListener& l = *started;
  char tmpl[] = "/tmp/fs-logger-XXXXXX";
  const int fd = mkstemp(tmpl);
  ASSERT_GE(fd, 0);
  close(fd);
  {
    std::ofstream f(tmpl);
    for (int i = 0; i < 50; ++i) f << "message number " << i << "\n";
  }
  ASSERT_EQ(RunLogger({"--rfc5424", "-n", "127.0.0.1", "-P", Port(l), "--tcp", "--octet-count",
                       "-t", "counted", "-f", tmpl}),
            0);
  ASSERT_EQ(RunLogger({"--rfc3164", "-n", "127.0.0.1", "-P", Port(l), "--tcp", "-t", "lines", "-f",
                       tmpl}),
            0);
  unlink(tmpl);
  auto lines = got.WaitFor(100);
  ASSERT_EQ(lines.size(), 100u);
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(lines[i].app, "counted");
    EXPECT_TRUE(lines[i].text.ends_with("counted: message number " + std::to_string(i)))
        << lines[i].text;
    EXPECT_EQ(lines[50 + i].app, "lines");
    EXPECT_TRUE(lines[50 + i].text.ends_with("lines: message number " + std::to_string(i)))
        << lines[50 + i].text;
  }
  EXPECT_EQ(l.stats().malformed, 0u);
  EXPECT_EQ(lines[0].source, "syslog-tcp");
}

TEST(SyslogTcp, HandBuiltStreamSplitAcrossWritesWithGarbage) {
  Collector got;
  auto started = Started(SyslogTransport::kTcp, Local(), got);
  SyslogListener& l = *started;
  net::io_context io;
  net::ip::tcp::socket s(io);
  s.connect(TcpEndpoint(l));
  const std::string stream =
      "28 <13>1 - h a - - - counted ok"
      "<13>Nov 22 06:46:35 h b: newline ok\n"
      "<999>garbage\n"
      "<14>2026-11-22T06:46:35Z h c: iso ok\n";
  for (char c : stream) {  // one byte per write: frames span reads
    net::write(s, net::buffer(&c, 1));
  }
  s.close();
  auto lines = got.WaitFor(3);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].text, "h a: counted ok");
  EXPECT_EQ(lines[1].text, "Nov 22 06:46:35 h b: newline ok");
  EXPECT_EQ(lines[2].text, "2026-11-22T06:46:35Z h c: iso ok");
  EXPECT_TRUE(WaitUntil([&] { return l.stats().malformed == 1; }));
  EXPECT_NE(l.stats().last_error().find("PRI"), std::string::npos) << l.stats().last_error();
}

TEST(SyslogTcp, ConnectionLimit) {
  Collector got;
  SyslogListenerOptions o = Local();
  o.max_connections = 2;
  auto started = Started(SyslogTransport::kTcp, o, got);
  SyslogListener& l = *started;
  net::io_context io;
  const net::ip::tcp::endpoint to = TcpEndpoint(l);
  net::ip::tcp::socket a(io), b(io), c(io);
  a.connect(to);
  b.connect(to);
  ASSERT_TRUE(WaitUntil([&] { return l.open_connections() == 2; }));
  c.connect(to);
  char byte;
  boost::system::error_code ec;
  c.read_some(net::buffer(&byte, 1), ec);  // closed by the listener
  EXPECT_EQ(ec, net::error::eof);
  EXPECT_TRUE(WaitUntil([&] { return l.stats().rejected_connections == 1; }));
  net::write(a, net::buffer(std::string("<13>1 - h a - - - still served\n")));
  EXPECT_EQ(got.WaitFor(1).size(), 1u);
  a.close();
  EXPECT_TRUE(WaitUntil([&] { return l.open_connections() == 1; }));
}

TEST(SyslogTcp, SilentConnectionsAreClosed) {
  Collector got;
  SyslogListenerOptions o = Local();
  o.idle_timeout_ms = 100;
  auto started = Started(SyslogTransport::kTcp, o, got);
  SyslogListener& l = *started;
  net::io_context io;
  net::ip::tcp::socket s(io);
  s.connect(TcpEndpoint(l));
  net::write(s, net::buffer(std::string("<13>1 - h a - - - before the silence\n")));
  char byte;
  boost::system::error_code ec;
  const auto start = std::chrono::steady_clock::now();
  s.read_some(net::buffer(&byte, 1), ec);  // returns when the listener closes it
  EXPECT_EQ(ec, net::error::eof);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(got.WaitFor(1).size(), 1u);
  EXPECT_TRUE(WaitUntil([&] { return l.open_connections() == 0; }));
}

TEST(SyslogListenerConfig, BadAddressZoneAndBusyPort) {
  Collector got;
  SyslogListenerOptions bad = Local();
  bad.listen = "localhost";
  EXPECT_EQ(SyslogListener(SyslogTransport::kUdp, bad, got.Sink()).Start().code(),
            ErrorCode::kInvalidArgument);
  bad.listen = "127.0.0.1:70000";
  EXPECT_EQ(SyslogListener(SyslogTransport::kTcp, bad, got.Sink()).Start().code(),
            ErrorCode::kInvalidArgument);
  SyslogListenerOptions zone = Local();
  zone.timezone = "Nowhere/Special";
  Status zs = SyslogListener(SyslogTransport::kUdp, zone, got.Sink()).Start();
  EXPECT_EQ(zs.field(), "timezone") << zs.ToString();
  SyslogListener first(SyslogTransport::kTcp, Local(), got.Sink());
  ASSERT_TRUE(first.Start().ok());
  SyslogListenerOptions same = Local();
  same.listen = first.BoundAddress();
  EXPECT_EQ(SyslogListener(SyslogTransport::kTcp, same, got.Sink()).Start().code(),
            ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace failsafe::watch
