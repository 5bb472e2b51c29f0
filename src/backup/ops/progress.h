#pragma once
// Progress of long work (backup, restore, check, copy): counters updated by the workers with
// relaxed atomics and sampled by whoever shows them: the terminal bar of the CLI, the progress
// events of the API and console. Totals come from a counter that runs beside the work, so they
// may still grow while `totals_final` is false.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace failsafe::backup {

struct ProgressSample {
  uint64_t files_done = 0;
  uint64_t files_total = 0;
  uint64_t bytes_done = 0;
  uint64_t bytes_total = 0;
  uint64_t errors = 0;
  bool totals_final = false;
  double elapsed_seconds = 0;

  double BytesPerSecond() const;
  // Seconds left at the current rate; negative when it cannot be estimated yet.
  double EtaSeconds() const;
  double Fraction() const;  // 0..1 of bytes (files when there are no bytes)
};

class Progress {
 public:
  Progress() : start_(std::chrono::steady_clock::now()) {}

  void AddTotal(uint64_t files, uint64_t bytes) {
    files_total_.fetch_add(files, std::memory_order_relaxed);
    bytes_total_.fetch_add(bytes, std::memory_order_relaxed);
  }
  // Replaces the totals with what a counter running beside the work has found so far.
  void SetTotals(uint64_t files, uint64_t bytes) {
    files_total_.store(files, std::memory_order_relaxed);
    bytes_total_.store(bytes, std::memory_order_relaxed);
  }
  void TotalsFinal() { totals_final_.store(true, std::memory_order_release); }
  void AddBytes(uint64_t bytes) { bytes_done_.fetch_add(bytes, std::memory_order_relaxed); }
  void AddFiles(uint64_t files) { files_done_.fetch_add(files, std::memory_order_relaxed); }
  void AddError() { errors_.fetch_add(1, std::memory_order_relaxed); }

  ProgressSample Sample() const;

 private:
  std::chrono::steady_clock::time_point start_;
  std::atomic<uint64_t> files_done_{0}, files_total_{0}, bytes_done_{0}, bytes_total_{0},
      errors_{0};
  std::atomic<bool> totals_final_{false};
};

// "[=====>    ] 48% 1.2 GiB / 2.5 GiB  9,120 / 20,000 files  310 MiB/s  ETA 0:04": one line
// for a terminal of `width` columns (the CLI redraws it with \r).
std::string FormatProgressLine(const ProgressSample& sample, int width);
std::string FormatBytes(uint64_t bytes);  // "1.2 GiB"

}  // namespace failsafe::backup
