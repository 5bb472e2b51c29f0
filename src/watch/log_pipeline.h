#pragma once
// LogPipeline: the log sources `serve` runs (files, syslog over UDP and TCP, lines pushed over
// HTTP) feeding one LogRuleEngine; the alerts its rules fire go to the poster (the alert
// intake). Sources run on their own threads; the engine is not thread-safe, so lines enter it
// one at a time under a lock (one pass per line is microseconds: bench/logs).
// A file's read position is committed only after its lines went through the engine, so a
// restart neither skips nor repeats lines (logsources/file_tailer.h).
#include <boost/json/value.hpp>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "base/result.h"
#include "watch/logs/engine.h"
#include "watch/logsources/log_source_config.h"

namespace failsafe::watch {

using LogAlertPoster = std::function<void(std::vector<logs::LogAlert>)>;

class LogPipeline {
 public:
  // `state_dir` holds each file source's saved position (<state_dir>/<name>.json).
  static Result<std::unique_ptr<LogPipeline>> Create(std::vector<logs::LogRule> rules,
                                                     std::vector<LogSourceSpec> sources,
                                                     std::string state_dir, LogAlertPoster poster);
  ~LogPipeline();  // Stop()
  LogPipeline(const LogPipeline&) = delete;
  LogPipeline& operator=(const LogPipeline&) = delete;

  // Binds the syslog listeners (an address in use fails the start) and starts tailing files.
  Status Start();
  void Stop();

  // Lines pushed over HTTP to the `http` source `source`. NotFound for an unknown source;
  // the body's errors as DecodePushBody gives them. Returns the lines accepted.
  Result<size_t> Push(const std::string& source, std::string_view body,
                      std::string_view content_type);

  // For the console's logs page (log_pipeline_json.cc):
  // {"sources": [{name, type, target, stats: {lines, bytes, truncated, invalid_utf8, malformed,
  //               rejected_connections, restarts, last_error}}],
  //  "rules": [{name, kind, severity, match, ignore, filter, threshold, rate, matched, ignored,
  //             nofail, no_key, alerts, keys, keys_evicted, keys_expired, last_match,
  //             last_alert}],
  //  "lines": N, "dropped": {truncated, binary, no_time, scan_errors, limit_hits}}
  boost::json::value StateJson() const;
  bool empty() const { return sources_.empty(); }
  // Each source's counters, for /metrics (logsources/source_metrics.h). The stats live as
  // long as the pipeline.
  void ForEachSource(const std::function<void(const std::string&, const SourceStats&)>& fn) const;

 private:
  struct Source;
  LogPipeline() = default;
  void Feed(std::vector<LogLine>& lines);
  void TailLoop();

  std::unique_ptr<logs::LogRuleEngine> engine_;
  std::vector<logs::LogRule> rules_;  // as written, in the engine's order, for StateJson
  mutable std::mutex engine_mu_;
  LogAlertPoster poster_;
  std::vector<std::unique_ptr<Source>> sources_;
  std::mutex tail_mu_;
  std::condition_variable tail_cv_;
  bool stopping_ = false;
  std::thread tail_thread_;
};

}  // namespace failsafe::watch
