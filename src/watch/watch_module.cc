#include "watch/watch_module.h"

#include "base/env.h"
#include "base/log.h"
#include "watch/logs/rule_file.h"
#include "watch/logsources/source_metrics.h"
#include "watch/metrics/scrape_manager.h"
#include "watch/metrics/store_metrics.h"
#include "watch/probes/probe_config.h"
#include "watch/probes/probe_samples.h"
#include "watch/probes/prober.h"
#include "watch/probes/scheduler.h"
#include "watch/rules/rule_file.h"

namespace failsafe::watch {
namespace {

Status RuleFileStatus(const rules::RuleFileParse& parse) {
  if (parse.errors.empty()) return Status::Ok();
  std::string message;
  for (const auto& e : parse.errors) message += (message.empty() ? "" : "\n") + e;
  return InvalidArgument(message, "watch.rule_files");
}

Result<std::vector<rules::RuleGroupSpec>> LoadRules(const WatchConfig& config) {
  std::vector<rules::RuleGroupSpec> groups;
  auto take = [&](rules::RuleFileParse parse) -> Status {
    FS_RETURN_STATUS_IF_ERROR(RuleFileStatus(parse));
    for (auto& g : parse.groups) {
      // A group without its own interval follows the watch file's.
      if (g.interval_ms == rules::kDefaultGroupIntervalMs) g.interval_ms = config.interval_ms;
      groups.push_back(std::move(g));
    }
    return Status::Ok();
  };
  if (config.default_host_rules) {
    FS_RETURN_IF_ERROR(take(rules::ParseRuleFile(DefaultHostRules(), "<built-in host rules>")));
  }
  for (const auto& file : config.rule_files) FS_RETURN_IF_ERROR(take(rules::LoadRuleFile(file)));
  return groups;
}

Result<std::vector<probes::ProbeSpec>> LoadProbes(const WatchConfig& config) {
  std::vector<probes::ProbeSpec> specs;
  for (const auto& file : config.probe_files) {
    auto text = Env::Default()->ReadFile(file);
    if (!text)
      return Err(text.error().WithContext("reading the probe file").WithField("watch.probe_files"));
    FS_ASSIGN_OR_RETURN(auto parsed, probes::ParseProbeConfig(*text, file));
    for (auto& p : parsed) specs.push_back(std::move(p));
  }
  return specs;
}

Result<std::vector<logs::LogRule>> LoadLogRules(const WatchConfig& config) {
  std::vector<logs::LogRule> all;
  for (const auto& file : config.log_rule_files) {
    FS_ASSIGN_OR_RETURN(auto rules, logs::ReadRuleFile(file));
    for (auto& r : rules) all.push_back(std::move(r));
  }
  return all;
}

}  // namespace

WatchModule::WatchModule(const Clock& clock, WatchConfig config)
    : clock_(clock),
      config_(std::move(config)),
      store_(MemoryStoreOptions{.retention_ms = config_.retention_ms}) {}

Result<std::unique_ptr<WatchModule>> WatchModule::Create(const Clock& clock,
                                                         metrics::Registry& registry,
                                                         WatchConfig config, AlertPoster poster,
                                                         LogAlertPoster log_poster) {
  FS_ASSIGN_OR_RETURN(auto groups, LoadRules(config));
  FS_ASSIGN_OR_RETURN(auto probe_specs, LoadProbes(config));
  FS_ASSIGN_OR_RETURN(auto log_rules, LoadLogRules(config));
  std::unique_ptr<LogPipeline> log_pipeline;
  if (!log_rules.empty() || !config.log_sources.empty()) {
    FS_ASSIGN_OR_RETURN(log_pipeline, LogPipeline::Create(std::move(log_rules), config.log_sources,
                                                          config.state_dir, std::move(log_poster)));
  }
  std::unique_ptr<WatchModule> m(new WatchModule(clock, std::move(config)));
  RegisterStoreMetrics(registry, m->store_);

  ScrapeManagerOptions scrape_options;
  scrape_options.interval_ms = m->config_.interval_ms;
  scrape_options.host_collector = m->config_.host;
  m->scrapes_ = std::make_unique<ScrapeManager>(m->store_, clock, scrape_options);
  for (const auto& s : m->config_.scrape) m->scrapes_->AddTarget(s.target, s.interval_ms);

  m->rules_ = std::make_unique<RuleRunner>(m->store_, clock, std::move(groups), std::move(poster));
  m->probe_specs_ = std::move(probe_specs);
  m->logs_ = std::move(log_pipeline);
  if (m->logs_) {
    // Counted drops (malformed syslog, cut lines, refused connections) show in /metrics.
    m->log_metrics_ = std::make_unique<SourceMetrics>(registry);
    m->logs_->ForEachSource([&m](const std::string& name, const SourceStats& stats) {
      m->log_metrics_->Add(name, &stats);
    });
  }
  return m;
}

WatchModule::~WatchModule() {
  Stop();
}

Status WatchModule::Start() {
  if (started_) return Status::Ok();
  started_ = true;
  if (logs_) FS_RETURN_STATUS_IF_ERROR(logs_->Start());
  scrapes_->Start();
  if (!probe_specs_.empty()) {
    prober_ = std::make_unique<probes::Prober>();
    probe_scheduler_ = std::make_unique<probes::ProbeScheduler>(
        *prober_, clock_,
        [this](const probes::ProbeReport& report) { probes::WriteProbeSamples(store_, report); });
    probe_scheduler_->Start(probe_specs_);
  }
  rules_->Start();
  log::Info("watch.started", {{"host", config_.host},
                              {"scrape_targets", config_.scrape.size()},
                              {"rules", rules_->rule_count()},
                              {"probes", probe_specs_.size()},
                              {"log_sources", config_.log_sources.size()}});
  return Status::Ok();
}

void WatchModule::Stop() {
  if (!started_) return;
  started_ = false;
  rules_->Stop();
  if (logs_) logs_->Stop();
  if (probe_scheduler_) probe_scheduler_->Stop();
  probe_scheduler_.reset();
  prober_.reset();
  scrapes_->Stop();
}

}  // namespace failsafe::watch
