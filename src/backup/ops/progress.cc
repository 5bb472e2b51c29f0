#include "backup/ops/progress.h"

#include <algorithm>
#include <cstdio>

namespace failsafe::backup {

double ProgressSample::BytesPerSecond() const {
  return elapsed_seconds > 0 ? static_cast<double>(bytes_done) / elapsed_seconds : 0;
}

double ProgressSample::EtaSeconds() const {
  double rate = BytesPerSecond();
  if (!totals_final || rate <= 0 || elapsed_seconds < 1) return -1;
  return static_cast<double>(bytes_total > bytes_done ? bytes_total - bytes_done : 0) / rate;
}

double ProgressSample::Fraction() const {
  if (bytes_total > 0)
    return std::min(1.0, static_cast<double>(bytes_done) / static_cast<double>(bytes_total));
  if (files_total > 0)
    return std::min(1.0, static_cast<double>(files_done) / static_cast<double>(files_total));
  return 0;
}

ProgressSample Progress::Sample() const {
  ProgressSample s;
  s.files_done = files_done_.load(std::memory_order_relaxed);
  s.files_total = files_total_.load(std::memory_order_relaxed);
  s.bytes_done = bytes_done_.load(std::memory_order_relaxed);
  s.bytes_total = bytes_total_.load(std::memory_order_relaxed);
  s.errors = errors_.load(std::memory_order_relaxed);
  s.totals_final = totals_final_.load(std::memory_order_acquire);
  s.elapsed_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  return s;
}

std::string FormatBytes(uint64_t bytes) {
  static const char* const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 5) {
    value /= 1024;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, unit == 0 ? "%.0f %s" : "%.1f %s", value, kUnits[unit]);
  return buf;
}

namespace {

std::string FormatDuration(double seconds) {
  auto s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  }
  return buf;
}

}  // namespace

std::string FormatProgressLine(const ProgressSample& s, int width) {
  char counts[160];
  double eta = s.EtaSeconds();
  std::snprintf(counts, sizeof counts, " %3.0f%% %s / %s%s  %llu / %llu files  %s/s  ETA %s",
                s.Fraction() * 100, FormatBytes(s.bytes_done).c_str(),
                FormatBytes(s.bytes_total).c_str(), s.totals_final ? "" : "+",
                static_cast<unsigned long long>(s.files_done),
                static_cast<unsigned long long>(s.files_total),
                FormatBytes(static_cast<uint64_t>(s.BytesPerSecond())).c_str(),
                eta < 0 ? "--:--" : FormatDuration(eta).c_str());
  std::string tail = counts;
  if (s.errors > 0) tail += "  " + std::to_string(s.errors) + " errors";
  int bar = std::max(0, width - static_cast<int>(tail.size()) - 2);
  bar = std::min(bar, 40);
  std::string line;
  if (bar >= 10) {
    int filled = static_cast<int>(s.Fraction() * bar);
    line = "[" + std::string(static_cast<size_t>(filled), '=') +
           (filled < bar ? ">" + std::string(static_cast<size_t>(bar - filled - 1), ' ') : "") +
           "]";
  }
  line += tail;
  if (width > 0 && static_cast<int>(line.size()) > width) line.resize(static_cast<size_t>(width));
  return line;
}

}  // namespace failsafe::backup
