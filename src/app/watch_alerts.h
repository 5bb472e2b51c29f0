#pragma once
// The bridge from the rule runner to the alert intake: every evaluation's firing and resolved
// alerts enter the alerts module as if Prometheus had posted them, so grouping, silences,
// inhibition and routing to incidents treat them the same.
#include "backup/service/alerts.h"
#include "watch/alerts/alerts_module.h"
#include "watch/log_pipeline.h"
#include "watch/rule_runner.h"

namespace failsafe::app {

// `generator_url` is where a person sees the rule (the console's rules page).
watch::AlertPoster AlertPosterInto(watch::alerts::AlertsModule& alerts, std::string generator_url);

// The same for log-rule alerts. A log alert is an event, not a state: it starts at the line
// that fired and, as an alert posted without endsAt, resolves after the routing file's
// resolve_timeout unless the rule fires again.
watch::LogAlertPoster LogAlertPosterInto(watch::alerts::AlertsModule& alerts);

// Backup alerts (failed or missed runs, failed drills) enter the intake under the sender
// "backup". A firing alert is posted without an end and re-posted by the scheduler on every
// tick, so it holds while the condition does; a resolved one is posted with its end now.
backup::service::AlertSink BackupAlertSinkInto(watch::alerts::AlertsModule& alerts,
                                               std::string generator_url);

// The intake's form of one rule alert (exposed for tests).
watch::alerts::Alert FromRuleAlert(const watch::rules::PostableAlert& a,
                                   const std::string& generator_url);
watch::alerts::Alert FromLogAlert(const watch::logs::LogAlert& a);

}  // namespace failsafe::app
