#include "watch/log_pipeline.h"

#include <boost/json.hpp>
#include <ctime>
#include <filesystem>

#include "base/log.h"
#include "watch/log_state_json.h"
#include "watch/logsources/file_tailer.h"
#include "watch/logsources/syslog_listener.h"

namespace failsafe::watch {

struct LogPipeline::Source {
  LogSourceSpec spec;
  std::unique_ptr<SyslogListener> listener;  // syslog
  std::unique_ptr<FileTailer> tailer;        // file
  SourceStats push_stats;                    // http

  const SourceStats& stats() const {
    return listener ? listener->stats() : tailer ? tailer->stats() : push_stats;
  }
  // What the source reads, as a user would look for it.
  std::string target() const {
    if (listener) {
      std::string bound = listener->BoundAddress();  // the real port once started
      return bound.empty() ? spec.syslog.listen : bound;
    }
    if (tailer) return spec.file.pattern;
    return "/api/v1/logs/" + spec.name;
  }
};

Result<std::unique_ptr<LogPipeline>> LogPipeline::Create(std::vector<logs::LogRule> rules,
                                                         std::vector<LogSourceSpec> sources,
                                                         std::string state_dir,
                                                         LogAlertPoster poster) {
  std::unique_ptr<LogPipeline> p(new LogPipeline());
  logs::EngineOptions options;
  // Syslog dates carry no year: lines read live are from this year.
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  options.year = utc.tm_year + 1900;
  p->rules_ = rules;
  FS_ASSIGN_OR_RETURN(p->engine_, logs::LogRuleEngine::Create(std::move(rules), options));
  p->poster_ = std::move(poster);
  for (auto& spec : sources) {
    auto s = std::make_unique<Source>();
    s->spec = std::move(spec);
    switch (s->spec.type) {
      case LogSourceType::kFile: {
        if (s->spec.file.state_path.empty() && !state_dir.empty()) {
          std::filesystem::create_directories(state_dir);
          s->spec.file.state_path = state_dir + "/" + s->spec.name + ".json";
        }
        s->tailer = std::make_unique<FileTailer>(s->spec.file);
        break;
      }
      case LogSourceType::kSyslogUdp:
      case LogSourceType::kSyslogTcp: {
        auto transport = s->spec.type == LogSourceType::kSyslogUdp ? SyslogTransport::kUdp
                                                                   : SyslogTransport::kTcp;
        LogPipeline* self = p.get();
        s->listener =
            std::make_unique<SyslogListener>(transport, s->spec.syslog, [self](LogLine&& line) {
              std::vector<LogLine> one;
              one.push_back(std::move(line));
              self->Feed(one);
            });
        break;
      }
      case LogSourceType::kHttp: s->spec.http.source = "http:" + s->spec.name; break;
      case LogSourceType::kStdin:
        return Err(InvalidArgument(
            "log source '" + s->spec.name + "': stdin is for `failsafe logs test`, not for serve",
            "log_sources"));
    }
    p->sources_.push_back(std::move(s));
  }
  return p;
}

LogPipeline::~LogPipeline() {
  Stop();
}

Status LogPipeline::Start() {
  bool files = false;
  for (auto& s : sources_) {
    if (s->listener) {
      Status st = s->listener->Start();
      if (!st.ok()) return st.WithContext("log source '" + s->spec.name + "'");
    }
    if (s->tailer) {
      Status st = s->tailer->Open();
      if (!st.ok()) return st.WithContext("log source '" + s->spec.name + "'");
      files = true;
    }
  }
  if (files) tail_thread_ = std::thread([this] { TailLoop(); });
  return Status::Ok();
}

void LogPipeline::Stop() {
  {
    std::lock_guard lock(tail_mu_);
    stopping_ = true;
  }
  tail_cv_.notify_all();
  if (tail_thread_.joinable()) tail_thread_.join();
  for (auto& s : sources_) {
    if (s->listener) s->listener->Stop();
  }
}

void LogPipeline::TailLoop() {
  std::unique_lock lock(tail_mu_);
  while (!stopping_) {
    lock.unlock();
    for (auto& s : sources_) {
      if (!s->tailer) continue;
      auto batch = s->tailer->Poll();
      if (!batch) {
        log::Warn("watch.log_source_failed",
                  {{"source", s->spec.name}, {"error", batch.error().ToString()}});
        continue;
      }
      if (batch->lines.empty()) continue;
      Feed(batch->lines);
      // Only now is the position saved: a crash before this re-reads the batch, never skips.
      Status committed = s->tailer->Commit(*batch, "log rules");
      if (!committed.ok()) {
        log::Warn("watch.log_position_not_saved",
                  {{"source", s->spec.name}, {"error", committed.ToString()}});
      }
    }
    lock.lock();
    tail_cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
  }
}

void LogPipeline::Feed(std::vector<LogLine>& lines) {
  std::vector<logs::LogAlert> alerts;
  {
    std::lock_guard lock(engine_mu_);
    for (const auto& line : lines) engine_->Feed(line, &alerts);
  }
  if (!alerts.empty() && poster_) poster_(std::move(alerts));
}

Result<size_t> LogPipeline::Push(const std::string& source, std::string_view body,
                                 std::string_view content_type) {
  for (auto& s : sources_) {
    if (s->spec.name != source) continue;
    if (s->spec.type != LogSourceType::kHttp) {
      return Err(InvalidArgument("log source '" + source + "' is not an http source", "source"));
    }
    FS_ASSIGN_OR_RETURN(auto lines,
                        DecodePushBody(body, content_type, s->spec.http, s->push_stats));
    Feed(lines);
    return lines.size();
  }
  return Err(Status(ErrorCode::kNotFound, "no http log source named '" + source + "'", "source"));
}

void LogPipeline::ForEachSource(
    const std::function<void(const std::string&, const SourceStats&)>& fn) const {
  for (const auto& s : sources_) fn(s->spec.name, s->stats());
}

boost::json::value LogPipeline::StateJson() const {
  boost::json::array sources;
  for (const auto& s : sources_) sources.push_back(LogSourceJson(s->spec, s->target(), s->stats()));
  std::vector<logs::RuleStats> stats;
  logs::EngineStats engine;
  {
    std::lock_guard lock(engine_mu_);
    stats = engine_->rule_stats();
    engine = engine_->stats();
  }
  boost::json::array rules;
  // The engine keeps the rules in the order it was given them.
  for (size_t i = 0; i < stats.size() && i < rules_.size(); ++i) {
    rules.push_back(LogRuleJson(rules_[i], stats[i]));
  }
  return boost::json::object{{"sources", std::move(sources)},
                             {"rules", std::move(rules)},
                             {"lines", engine.lines},
                             {"dropped", LogDropsJson(engine)}};
}

}  // namespace failsafe::watch
