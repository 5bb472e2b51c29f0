// Syslog intake benchmark: the same generated RFC 3164 messages sent over UDP and over one TCP
// connection (octet counting) to failsafe's listeners and to rsyslogd (when installed), both
// writing each message to a file, on 127.0.0.1 in the same run. Prints messages/s and ratios.
// Usage: watch_logsources_bench [MESSAGES] [RSYSLOGD]   (defaults 200000, /usr/sbin/rsyslogd)
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "watch/logsources/syslog_listener.h"

extern char** environ;

namespace {

namespace net = boost::asio;
using Clock = std::chrono::steady_clock;
using failsafe::watch::LogLine;
using failsafe::watch::SyslogListener;
using failsafe::watch::SyslogListenerOptions;
using failsafe::watch::SyslogTransport;

std::vector<std::string> Messages(size_t n) {
  std::vector<std::string> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    out.push_back("<38>Nov 22 06:46:" + std::to_string(10 + i % 50) + " web" +
                  std::to_string(i % 7) + " sshd[" + std::to_string(1000 + i % 3000) +
                  "]: Failed password for invalid user u" + std::to_string(i % 997) +
                  " from 203.0.113." + std::to_string(i % 250) + " port " +
                  std::to_string(20000 + i % 40000) + " ssh2");
  }
  return out;
}

uint16_t FreePort(bool udp) {
  net::io_context io;
  if (udp) {
    net::ip::udp::socket s(io, {net::ip::make_address("127.0.0.1"), 0});
    return s.local_endpoint().port();
  }
  net::ip::tcp::acceptor a(io, {net::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

struct Result {
  size_t received = 0;
  double seconds = 0;
  double rate() const { return seconds > 0 ? received / seconds : 0; }
};

// Sends everything, then waits until `count()` stops growing (250 ms of quiet) or reaches
// the total. Elapsed time ends at the last observed growth.
Result Measure(const std::function<void()>& send, const std::function<size_t()>& count,
               size_t total) {
  const auto start = Clock::now();
  std::thread sender(send);
  size_t last = 0;
  auto last_growth = Clock::now();
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    const size_t now = count();
    if (now != last) last = now, last_growth = Clock::now();
    if (now >= total) break;
    if (Clock::now() - last_growth > std::chrono::milliseconds(250) &&
        Clock::now() - start > std::chrono::milliseconds(500)) {
      break;
    }
    if (Clock::now() - start > std::chrono::seconds(20)) break;
  }
  sender.join();
  return {last, std::chrono::duration<double>(last_growth - start).count()};
}

// UDP has no flow control: a sender faster than the receiver only measures the kernel
// dropping datagrams. So the sender keeps at most kInFlight messages unreceived (waiting up
// to 20 ms, then counting the rest as lost), which measures how fast the receiver parses.
constexpr size_t kUdpBatch = 256, kInFlight = 1024;

void SendUdp(uint16_t port, const std::vector<std::string>& msgs,
             const std::function<size_t()>& received) {
  net::io_context io;
  net::ip::udp::socket s(io, net::ip::udp::v4());
  const net::ip::udp::endpoint to(net::ip::make_address("127.0.0.1"), port);
  for (size_t i = 0; i < msgs.size(); ++i) {
    s.send_to(net::buffer(msgs[i]), to);
    if ((i + 1) % kUdpBatch != 0) continue;
    const auto give_up = Clock::now() + std::chrono::milliseconds(20);
    while (received() + kInFlight < i + 1 && Clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
  }
}

void SendTcp(uint16_t port, const std::vector<std::string>& msgs) {
  net::io_context io;
  net::ip::tcp::socket s(io);
  s.connect({net::ip::make_address("127.0.0.1"), port});
  std::string buf;
  for (const auto& m : msgs) {
    buf += std::to_string(m.size()) + " " + m;
    if (buf.size() > 64 * 1024) net::write(s, net::buffer(buf)), buf.clear();
  }
  net::write(s, net::buffer(buf));
}

// Newlines in a file that another process appends to, counted incrementally.
class LineCounter {
 public:
  explicit LineCounter(std::string path) : path_(std::move(path)) {}
  size_t Count() {  // called by the sender and the measuring thread
    std::lock_guard lock(mu_);
    std::ifstream f(path_, std::ios::binary);
    f.seekg(static_cast<std::streamoff>(offset_));
    char buf[1 << 16];
    while (f.read(buf, sizeof buf) || f.gcount() > 0) {
      for (std::streamsize i = 0; i < f.gcount(); ++i) lines_ += buf[i] == '\n';
      offset_ += static_cast<size_t>(f.gcount());
      if (!f) break;
    }
    return lines_;
  }

 private:
  std::mutex mu_;
  std::string path_;
  size_t offset_ = 0, lines_ = 0;
};

constexpr int kRounds = 3;

Result Median(std::vector<Result> runs) {
  std::sort(runs.begin(), runs.end(),
            [](const Result& a, const Result& b) { return a.rate() < b.rate(); });
  return runs[runs.size() / 2];
}

void Print(const char* what, const Result& r, size_t total) {
  std::printf("%-14s %9.0f msg/s  median run: %zu of %zu received in %.2f s\n", what, r.rate(),
              r.received, total, r.seconds);
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::stoul(argv[1]) : 200'000;
  const std::string rsyslogd = argc > 2 ? argv[2] : "/usr/sbin/rsyslogd";
  const auto msgs = Messages(n);
  const std::string dir =
      std::filesystem::temp_directory_path() / ("fs-syslog-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);

  // failsafe: both listeners, a sink that writes each line to a file as rsyslog's omfile does.
  FILE* out = std::fopen((dir + "/failsafe.log").c_str(), "w");
  std::vector<char> iobuf(1 << 20);
  std::setvbuf(out, iobuf.data(), _IOFBF, iobuf.size());
  std::atomic<size_t> ours{0};
  auto sink = [&](LogLine&& l) {
    std::fwrite(l.text.data(), 1, l.text.size(), out);
    std::fputc('\n', out);
    ours.fetch_add(1, std::memory_order_relaxed);
  };
  SyslogListenerOptions o;
  o.listen = "127.0.0.1:0";
  SyslogListener udp(SyslogTransport::kUdp, o, sink), tcp(SyslogTransport::kTcp, o, sink);
  if (!udp.Start().ok() || !tcp.Start().ok()) return 1;
  const auto port = [](const SyslogListener& l) {
    const std::string a = l.BoundAddress();
    return static_cast<uint16_t>(std::stoi(a.substr(a.rfind(':') + 1)));
  };
  const auto count_ours = [&] { return ours.load(); };
  const auto avg_bytes = [&] {
    size_t b = 0;
    for (auto& m : msgs) b += m.size();
    return b / n;
  }();
  std::printf("messages: %zu per run, RFC 3164, %zu bytes each on average, %d rounds\n", n,
              avg_bytes, kRounds);

  // rsyslogd with its own config in the temporary directory, on free high ports.
  pid_t pid = -1;
  std::unique_ptr<LineCounter> counter;
  uint16_t rudp = 0, rtcp = 0;
  if (access(rsyslogd.c_str(), X_OK) != 0) {
    std::printf("rsyslogd not found at %s (apt-get install rsyslog): failsafe alone\n",
                rsyslogd.c_str());
  } else {
    rudp = FreePort(true), rtcp = FreePort(false);
    {
      std::ofstream conf(dir + "/rsyslog.conf");
      conf << "global(workDirectory=\"" << dir << "\")\n"
           << "module(load=\"imudp\")\nmodule(load=\"imtcp\")\n"
           << "input(type=\"imudp\" address=\"127.0.0.1\" port=\"" << rudp << "\")\n"
           << "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" << rtcp << "\")\n"
           << "action(type=\"omfile\" file=\"" << dir << "/rsyslog.log\" "
           << "template=\"RSYSLOG_TraditionalFileFormat\")\n";
    }
    std::vector<std::string> args = {
        rsyslogd, "-n", "-f", dir + "/rsyslog.conf", "-i", dir + "/rsyslog.pid"};
    std::vector<char*> argv_c;
    for (auto& a : args) argv_c.push_back(a.data());
    argv_c.push_back(nullptr);
    if (posix_spawn(&pid, argv_c[0], nullptr, nullptr, argv_c.data(), environ) != 0) return 1;
    counter = std::make_unique<LineCounter>(dir + "/rsyslog.log");
    // Ready when a probe message comes through.
    for (int i = 0; i < 200 && counter->Count() == 0; ++i) {
      try {
        SendTcp(rtcp, {"<13>Nov 22 06:46:35 h probe: ready"});
      } catch (const std::exception&) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (counter->Count() == 0) {
      std::printf("rsyslogd did not come up\n");
      kill(pid, SIGKILL);
      return 1;
    }
  }

  // Rounds alternate between the two so the machine's other load hits both alike.
  std::vector<Result> ours_udp, ours_tcp, their_udp, their_tcp;
  size_t offset = 0;
  const auto count_theirs = [&] { return counter->Count() - offset; };
  for (int round = 0; round < kRounds; ++round) {
    ours = 0;
    ours_udp.push_back(Measure([&] { SendUdp(port(udp), msgs, count_ours); }, count_ours, n));
    ours = 0;
    ours_tcp.push_back(Measure([&] { SendTcp(port(tcp), msgs); }, count_ours, n));
    if (!counter) continue;
    offset = counter->Count();
    their_udp.push_back(Measure([&] { SendUdp(rudp, msgs, count_theirs); }, count_theirs, n));
    offset = counter->Count();
    their_tcp.push_back(Measure([&] { SendTcp(rtcp, msgs); }, count_theirs, n));
  }
  udp.Stop();
  tcp.Stop();
  std::fclose(out);
  if (pid > 0) {
    kill(pid, SIGTERM);
    waitpid(pid, nullptr, 0);
  }
  const Result ou = Median(ours_udp), ot = Median(ours_tcp);
  Print("failsafe UDP", ou, n);
  Print("failsafe TCP", ot, n);
  if (counter) {
    const Result tu = Median(their_udp), tt = Median(their_tcp);
    Print("rsyslogd UDP", tu, n);
    Print("rsyslogd TCP", tt, n);
    std::printf("ratio (failsafe/rsyslogd, medians): UDP %.2fx   TCP %.2fx\n",
                tu.rate() > 0 ? ou.rate() / tu.rate() : 0,
                tt.rate() > 0 ? ot.rate() / tt.rate() : 0);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
