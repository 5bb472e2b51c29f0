#include "backup/service/live_events.h"

#include "backup/service/policy_json.h"

namespace failsafe::backup::service {
namespace bj = boost::json;
namespace {

// failed > incomplete > ok: a job is as good as its worst destination.
int Badness(const std::string& status) {
  if (status == kRunFailed) return 2;
  if (status == kRunIncomplete) return 1;
  return 0;
}

}  // namespace

bj::object RunningJobJson(const RunningJob& r) {
  bj::object o{{"policy", r.policy},
               {"service", r.service},
               {"kind", r.kind},
               {"phase", r.phase},
               {"destination", r.destination},
               {"destination_index", r.destination_index},
               {"destinations", r.destinations},
               {"trigger", r.trigger},
               {"started_at", r.started_at}};
  if (r.has_progress) {
    const ProgressSample& p = r.progress;
    o["progress"] =
        bj::object{{"files_done", p.files_done},   {"files_total", p.files_total},
                   {"bytes_done", p.bytes_done},   {"bytes_total", p.bytes_total},
                   {"errors", p.errors},           {"totals_final", p.totals_final},
                   {"fraction", p.Fraction()},     {"bytes_per_second", p.BytesPerSecond()},
                   {"eta_seconds", p.EtaSeconds()}};
  } else {
    o["progress"] = nullptr;
  }
  return o;
}

std::string ProgressEventData(const RunningJob& job) {
  return bj::serialize(RunningJobJson(job));
}

std::string RunFinishedEventData(const std::string& policy, const std::string& service,
                                 const std::vector<RunRecord>& runs) {
  bj::array items;
  std::string status = kRunOk;
  for (const auto& r : runs) {
    items.push_back(RunJson(r));
    if (Badness(r.status) > Badness(status)) status = r.status;
  }
  if (runs.empty()) status = kRunFailed;  // a policy without destinations saved nothing
  bj::object o{{"policy", policy},
               {"service", service},
               {"kind", "backup"},
               {"status", status},
               {"runs", std::move(items)}};
  return bj::serialize(o);
}

std::string DrillFinishedEventData(const DrillRecord& drill) {
  bj::object o = DrillJson(drill);
  o["kind"] = "drill";
  return bj::serialize(o);
}

bool ProgressThrottle::Admit(TimePoint now) {
  if (sent_any_ && now - last_ < interval_) return false;
  sent_any_ = true;
  last_ = now;
  return true;
}

}  // namespace failsafe::backup::service
