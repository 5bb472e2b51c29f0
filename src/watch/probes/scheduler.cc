#include "watch/probes/scheduler.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <future>
#include <thread>

namespace failsafe::watch::probes {

namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;

// One probe's timers and state. Everything here is touched only on `strand`.
struct ProbeScheduler::Slot {
  explicit Slot(asio::io_context& io)
      : strand(asio::make_strand(io)), tick(strand), retry(strand) {}
  asio::strand<asio::io_context::executor_type> strand;
  asio::steady_timer tick;
  asio::steady_timer retry;
  std::shared_ptr<const ProbeSpec> spec;
  SteadyClock::time_point due;
  bool running = false;  // an attempt or its retries are under way
  bool stopped = false;
};

std::chrono::milliseconds StartOffset(const std::string& name, std::chrono::milliseconds interval) {
  // FNV-1a: stable across runs and platforms, unlike std::hash.
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : name) h = (h ^ c) * 1099511628211ull;
  const auto span = static_cast<uint64_t>(std::max<int64_t>(1, interval.count()));
  return std::chrono::milliseconds(static_cast<int64_t>(h % span));
}

ProbeScheduler::ProbeScheduler(Prober& prober, const Clock& clock, ReportSink sink,
                               bool spread_start)
    : prober_(prober), clock_(clock), sink_(std::move(sink)), spread_start_(spread_start) {}

ProbeScheduler::~ProbeScheduler() {
  Stop();
}

void ProbeScheduler::Start(std::vector<ProbeSpec> specs) {
  Stop();
  const auto now = SteadyClock::now();
  for (auto& spec : specs) {
    auto slot = std::make_shared<Slot>(prober_.io());
    slot->due = now + (spread_start_ ? StartOffset(spec.name, spec.interval)
                                     : std::chrono::milliseconds(0));
    slot->spec = std::make_shared<const ProbeSpec>(std::move(spec));
    slots_.push_back(slot);
    asio::post(slot->strand, [this, slot] { Arm(slot); });
  }
}

void ProbeScheduler::Stop() {
  for (auto& slot : slots_) {
    std::promise<void> stopped;
    asio::post(slot->strand, [&stopped, slot] {
      slot->stopped = true;
      slot->tick.cancel();
      slot->retry.cancel();
      stopped.set_value();
    });
    stopped.get_future().wait();
  }
  slots_.clear();
  while (active_.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void ProbeScheduler::Arm(const std::shared_ptr<Slot>& slot) {
  slot->tick.expires_at(slot->due);
  slot->tick.async_wait([this, slot](boost::system::error_code ec) {
    if (ec || slot->stopped) return;
    Tick(slot);
  });
}

void ProbeScheduler::Tick(const std::shared_ptr<Slot>& slot) {
  // The next run is due one interval after this one was due, not after it ran: no drift. After
  // a stall (a suspended machine) the missed runs are dropped, not fired in a burst.
  slot->due += slot->spec->interval;
  const auto now = SteadyClock::now();
  if (slot->due < now) slot->due = now + slot->spec->interval;
  Arm(slot);
  if (slot->running) {
    ++skipped_;
    return;
  }
  slot->running = true;
  Attempt(slot, 1);
}

void ProbeScheduler::Attempt(const std::shared_ptr<Slot>& slot, int attempt) {
  ++active_;
  prober_.RunOnce(*slot->spec, [this, slot, attempt](ProbeResult result) {
    asio::post(slot->strand, [this, slot, attempt, result = std::move(result)]() mutable {
      if (slot->stopped) {
        slot->running = false;
      } else if (!result.success && attempt <= slot->spec->retries) {
        ++active_;
        slot->retry.expires_after(slot->spec->retry_delay);
        slot->retry.async_wait([this, slot, attempt](boost::system::error_code ec) {
          if (!ec && !slot->stopped) Attempt(slot, attempt + 1);
          if (ec || slot->stopped) slot->running = false;
          --active_;
        });
      } else {
        result.attempts = attempt;
        slot->running = false;
        Report(slot, std::move(result));
      }
      --active_;
    });
  });
}

void ProbeScheduler::Report(const std::shared_ptr<Slot>& slot, ProbeResult result) {
  ProbeReport report{slot->spec, std::move(result), clock_.NowMillis()};
  {
    std::lock_guard lock(latest_mu_);
    latest_[slot->spec->name] = report;
  }
  if (sink_) sink_(report);
}

std::vector<ProbeReport> ProbeScheduler::Latest() const {
  std::lock_guard lock(latest_mu_);
  std::vector<ProbeReport> out;
  for (const auto& [name, report] : latest_) out.push_back(report);
  return out;
}

}  // namespace failsafe::watch::probes
