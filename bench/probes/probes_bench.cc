// Probe benchmarks (issue 5):
//  (a) CPU: N HTTP targets every interval against one local server for a while; the prober's
//      CPU as % of one core (getrusage of this process; the target runs in a child).
//  (b) Peak: HTTP and TCP probes per second of failsafe's prober and of Debian's
//      blackbox_exporter (driven through /probe by wrk) against the same target, and the ratio.
// Usage: bench_probes [--targets 1000] [--interval-s 15] [--cpu-s 60] [--peak-s 10]
//                     [--concurrency 64] [--io-threads 2] [--rounds 2] [--skip-cpu] [--skip-peak]
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <future>
#include <string>
#include <thread>

#include "bench/probes/bench_target.h"
#include "watch/probes/http_probe.h"
#include "watch/probes/prober.h"
#include "watch/probes/scheduler.h"

namespace fp = failsafe::watch::probes;
using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

namespace {

struct Options {
  int targets = 1000;
  int interval_s = 15;
  int cpu_s = 60;
  int peak_s = 10;
  int concurrency = 64;
  int rounds = 2;
  int io_threads = 2;  // Asio threads for TCP probes (HTTP runs on the one curl thread)
  bool cpu = true;
  bool peak = true;
};

Options ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&] { return i + 1 < argc ? std::atoi(argv[++i]) : 0; };
    if (a == "--targets")
      o.targets = next();
    else if (a == "--interval-s")
      o.interval_s = next();
    else if (a == "--cpu-s")
      o.cpu_s = next();
    else if (a == "--peak-s")
      o.peak_s = next();
    else if (a == "--concurrency")
      o.concurrency = next();
    else if (a == "--io-threads")
      o.io_threads = next();
    else if (a == "--rounds")
      o.rounds = next();
    else if (a == "--skip-cpu")
      o.cpu = false;
    else if (a == "--skip-peak")
      o.peak = false;
    else {
      std::fprintf(stderr, "unknown argument %s\n", a.c_str());
      std::exit(2);
    }
  }
  return o;
}

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

fp::ProbeSpec HttpSpec(const std::string& name, uint16_t port) {
  fp::ProbeSpec spec;
  spec.name = name;
  spec.type = fp::ProbeType::kHttp;
  spec.http.url = "http://127.0.0.1:" + std::to_string(port) + "/healthz";
  spec.interval = 15s;
  spec.timeout = 5s;
  return spec;
}

fp::ProbeSpec TcpSpec(uint16_t port) {
  fp::ProbeSpec spec;
  spec.name = "tcp";
  spec.type = fp::ProbeType::kTcp;
  spec.tcp.target = "127.0.0.1:" + std::to_string(port);
  spec.timeout = 5s;
  return spec;
}

void CpuBench(const Options& o, uint16_t port) {
  fp::Prober prober;
  std::atomic<uint64_t> ok{0}, failed{0};
  fp::ProbeScheduler scheduler(
      prober, failsafe::SystemClock::Instance(),
      [&](const fp::ProbeReport& r) { (r.result.success ? ok : failed)++; });
  std::vector<fp::ProbeSpec> specs;
  for (int i = 0; i < o.targets; ++i) {
    fp::ProbeSpec s = HttpSpec("target-" + std::to_string(i), port);
    s.interval = std::chrono::seconds(o.interval_s);
    s.timeout = std::min(s.timeout, s.interval);
    specs.push_back(s);
  }
  const double cpu0 = CpuSeconds();
  const auto t0 = SteadyClock::now();
  scheduler.Start(std::move(specs));
  std::this_thread::sleep_for(std::chrono::seconds(o.cpu_s));
  scheduler.Stop();
  const double wall = std::chrono::duration<double>(SteadyClock::now() - t0).count();
  const double cpu = CpuSeconds() - cpu0;
  std::printf(
      "cpu: %d HTTP targets every %ds for %.0fs: %llu probes ok, %llu failed, prober CPU "
      "%.2f s = %.2f %% of one core\n",
      o.targets, o.interval_s, wall, static_cast<unsigned long long>(ok.load()),
      static_cast<unsigned long long>(failed.load()), cpu, 100.0 * cpu / wall);
}

struct Peak {
  double per_second = 0;
  uint64_t failed = 0;
};

// Keeps `concurrency` attempts in flight for `seconds`, counting the successful ones.
Peak FailsafePeak(const fp::ProbeSpec& spec, int concurrency, int seconds, int io_threads) {
  fp::ProberOptions options;
  options.io_threads = io_threads;
  fp::Prober prober(options);
  std::atomic<bool> running{true};
  std::atomic<uint64_t> ok{0}, failed{0};
  std::atomic<int> in_flight{0};
  std::function<void()> launch = [&] {
    ++in_flight;
    prober.RunOnce(spec, [&](fp::ProbeResult r) {
      (r.success ? ok : failed)++;
      if (running) launch();
      --in_flight;
    });
  };
  const auto t0 = SteadyClock::now();
  for (int i = 0; i < concurrency; ++i) launch();
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  const uint64_t done = ok.load();
  const double wall = std::chrono::duration<double>(SteadyClock::now() - t0).count();
  running = false;
  while (in_flight.load() > 0) std::this_thread::sleep_for(1ms);
  return {static_cast<double>(done) / wall, failed.load()};
}

uint16_t FreePort() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

struct Blackbox {
  pid_t pid = -1;
  uint16_t port = 0;
};

Blackbox StartBlackbox(const std::string& dir) {
  const std::string config = dir + "/blackbox.yml";
  std::ofstream(config) << "modules:\n"
                           "  http_2xx:\n    prober: http\n    timeout: 5s\n"
                           "    http:\n      preferred_ip_protocol: ip4\n"
                           "  tcp_connect:\n    prober: tcp\n    timeout: 5s\n"
                           "    tcp:\n      preferred_ip_protocol: ip4\n";
  Blackbox b;
  b.port = FreePort();
  const std::string listen = "--web.listen-address=127.0.0.1:" + std::to_string(b.port);
  const std::string config_flag = "--config.file=" + config;
  std::fflush(stdout);  // the child's freopen would print what is still buffered
  b.pid = fork();
  if (b.pid == 0) {
    freopen("/dev/null", "w", stdout);
    freopen((dir + "/blackbox.log").c_str(), "w", stderr);
    execl("/usr/bin/prometheus-blackbox-exporter", "prometheus-blackbox-exporter",
          config_flag.c_str(), listen.c_str(), "--log.level=warn", static_cast<char*>(nullptr));
    _exit(127);
  }
  return b;
}

// One /probe through blackbox_exporter, checked with failsafe's own HTTP probe.
bool BlackboxProbeSucceeds(fp::CurlDriver& driver, const std::string& url) {
  fp::HttpRequestSpec req;
  req.url = url;
  req.body_must_match = {*fp::CompileRegex("(?m)^probe_success 1$", "bench")};
  std::promise<bool> done;
  fp::RunHttpProbe(driver, req, 5s, [&](fp::ProbeResult r) { done.set_value(r.success); });
  return done.get_future().get();
}

// wrk's Requests/sec, or -1.
double Wrk(const std::string& url, int concurrency, int seconds, std::string* non2xx) {
  const std::string cmd = "wrk -t2 -c" + std::to_string(concurrency) + " -d" +
                          std::to_string(seconds) + "s '" + url + "' 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return -1;
  char line[512];
  double rps = -1;
  while (fgets(line, sizeof line, p) != nullptr) {
    if (std::strncmp(line, "Requests/sec:", 13) == 0) rps = std::atof(line + 13);
    if (std::strstr(line, "Non-2xx") != nullptr) *non2xx = line;
  }
  pclose(p);
  return rps;
}

void PeakBench(const Options& o, uint16_t port) {
  char tmpl[] = "/tmp/bench_probes_XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  Blackbox bb = StartBlackbox(dir);
  const std::string base = "http://127.0.0.1:" + std::to_string(bb.port) + "/probe?module=";
  const std::string http_url =
      base + "http_2xx&target=http://127.0.0.1:" + std::to_string(port) + "/healthz";
  const std::string tcp_url = base + "tcp_connect&target=127.0.0.1:" + std::to_string(port);
  {
    fp::CurlDriver driver;
    bool up = false;
    for (int i = 0; i < 100 && !up; ++i) {
      std::this_thread::sleep_for(100ms);
      up = BlackboxProbeSucceeds(driver, http_url);
    }
    if (!up || !BlackboxProbeSucceeds(driver, tcp_url)) {
      std::fprintf(stderr, "blackbox_exporter did not probe successfully (log: %s/blackbox.log)\n",
                   dir.c_str());
      kill(bb.pid, SIGTERM);
      return;
    }
  }
  struct Row {
    const char* name;
    fp::ProbeSpec spec;
    std::string url;
  } rows[] = {{"http", HttpSpec("http", port), http_url}, {"tcp", TcpSpec(port), tcp_url}};
  // Rounds alternate who goes first, so neither side always meets the other's TIME_WAIT
  // sockets or a warmer cache; every round is printed.
  for (int round = 0; round < o.rounds; ++round) {
    for (const Row& row : rows) {
      Peak ours;
      double theirs = 0;
      std::string non2xx;
      if (round % 2 == 0) {
        ours = FailsafePeak(row.spec, o.concurrency, o.peak_s, o.io_threads);
        theirs = Wrk(row.url, o.concurrency, o.peak_s, &non2xx);
      } else {
        theirs = Wrk(row.url, o.concurrency, o.peak_s, &non2xx);
        ours = FailsafePeak(row.spec, o.concurrency, o.peak_s, o.io_threads);
      }
      std::printf(
          "round %d peak %-4s: failsafe %8.0f probes/s (%llu failed), blackbox_exporter "
          "0.23 %8.0f probes/s, ratio %.2fx%s%s\n",
          round + 1, row.name, ours.per_second, static_cast<unsigned long long>(ours.failed),
          theirs, theirs > 0 ? ours.per_second / theirs : 0.0,
          non2xx.empty() ? "" : "; wrk: ", non2xx.c_str());
      std::fflush(stdout);
    }
  }
  {
    fp::CurlDriver driver;
    std::printf("blackbox_exporter still probing successfully after the run: %s\n",
                BlackboxProbeSucceeds(driver, http_url) ? "yes" : "NO");
  }
  kill(bb.pid, SIGTERM);
  waitpid(bb.pid, nullptr, 0);
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = ParseArgs(argc, argv);
  const auto target = fp::bench::StartTarget();  // before any thread
  std::printf("target: 127.0.0.1:%u (Beast, one thread, its own process); %u cores\n", target.port,
              std::thread::hardware_concurrency());
  if (o.peak) PeakBench(o, target.port);
  if (o.cpu) CpuBench(o, target.port);
  fp::bench::StopTarget(target);
  return 0;
}
