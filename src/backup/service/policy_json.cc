#include "backup/service/policy_json.h"

namespace failsafe::backup::service {
namespace bj = boost::json;
namespace {

bj::array Strings(const std::vector<std::string>& v) {
  bj::array out;
  for (const auto& s : v) out.emplace_back(s);
  return out;
}

bj::object SourceJson(const Source& s) {
  bj::object o{{"kind", s.kind}};
  if (s.kind == "paths") {
    o["paths"] = Strings(s.paths);
    if (!s.excludes.empty()) o["excludes"] = Strings(s.excludes);
  } else if (s.kind == "command") {
    o["command"] = Strings(s.command);
    o["filename"] = s.filename;
  } else if (s.kind == "sqlite") {
    o["path"] = s.path;
  }
  return o;
}

bj::object DestinationJson(const Destination& d) {
  bj::object o{{"url", d.url}, {"media", d.media}, {"offsite", d.offsite}, {"init", d.init}};
  if (!d.sftp_identity_file.empty()) o["sftp_identity_file"] = d.sftp_identity_file;
  if (!d.sftp_known_hosts.empty()) o["sftp_known_hosts"] = d.sftp_known_hosts;
  if (!d.sftp_accept_fingerprint.empty()) o["sftp_accept_fingerprint"] = d.sftp_accept_fingerprint;
  return o;
}

bj::object RetentionJson(const RetentionPolicy& r) {
  bj::object o;
  auto put = [&o](const char* key, int v) {
    if (v > 0) o[key] = v;
  };
  put("keep_last", r.last);
  put("keep_hourly", r.hourly);
  put("keep_daily", r.daily);
  put("keep_weekly", r.weekly);
  put("keep_monthly", r.monthly);
  put("keep_yearly", r.yearly);
  return o;
}

}  // namespace

bj::object SpecJson(const Policy& p) {
  bj::array sources, dests;
  for (const auto& s : p.sources) sources.push_back(SourceJson(s));
  for (const auto& d : p.destinations) dests.push_back(DestinationJson(d));
  bj::object o{{"name", p.name},
               {"service", p.service},
               {"sources", std::move(sources)},
               {"schedule", p.schedule},
               {"time_zone", p.time_zone},
               {"retention", RetentionJson(p.retention)},
               {"destinations", std::move(dests)},
               {"enabled", p.enabled}};
  if (!p.full_schedule.empty()) o["full_schedule"] = p.full_schedule;
  if (!p.drill_schedule.empty()) o["drill_schedule"] = p.drill_schedule;
  return o;
}

bj::object ApiJson(const Policy& p) {
  bj::object o = SpecJson(p);
  o["id"] = p.id;
  o["created_at"] = p.created_at;
  o["updated_at"] = p.updated_at;
  bj::array& dests = o["destinations"].as_array();
  for (size_t i = 0; i < dests.size() && i < p.destinations.size(); ++i) {
    const DestinationSecrets& s = p.destinations[i].secrets;
    bj::object set{{"password", !s.password.empty()},
                   {"key_file", !s.key_file.empty()},
                   {"s3_access_key_id", !s.s3_access_key_id.empty()},
                   {"s3_secret_access_key", !s.s3_secret_access_key.empty()},
                   {"sftp_identity_passphrase", !s.sftp_identity_passphrase.empty()}};
    dests[i].as_object()["secrets_set"] = std::move(set);
  }
  return o;
}

bj::object RunJson(const RunRecord& r) {
  return {{"id", r.id},
          {"policy", r.policy_name},
          {"service", r.service_key},
          {"destination", r.destination},
          {"trigger", r.trigger},
          {"full", r.full},
          {"scheduled_for", r.scheduled_for},
          {"snapshot_id", r.snapshot_id},
          {"started_at", r.started_at},
          {"duration_ms", r.duration_ms},
          {"bytes_read", r.bytes_read},
          {"data_added", r.data_added},
          {"files", r.files},
          {"error_count", r.error_count},
          {"errors", r.errors},
          {"retention", r.retention},
          {"status", r.status}};
}

bj::object DrillJson(const DrillRecord& d) {
  bj::object o{{"id", d.id},
               {"policy", d.policy_name},
               {"service", d.service_key},
               {"destination", d.destination},
               {"trigger", d.trigger},
               {"snapshot_id", d.snapshot_id},
               {"started_at", d.started_at},
               {"duration_ms", d.duration_ms},
               {"restored_bytes", d.restored_bytes},
               {"verified_bytes", d.verified_bytes},
               {"snapshot_bytes", d.snapshot_bytes},
               {"files", d.files},
               {"projected_ms", d.projected_ms},
               {"rto_ms", d.rto_ms},
               {"status", d.status},
               {"detail", d.detail}};
  o["margin_ms"] = d.margin_ms ? bj::value(*d.margin_ms) : bj::value(nullptr);
  return o;
}

std::string SecretsJson(const Policy& p) {
  bj::object all;
  for (const auto& d : p.destinations) {
    const DestinationSecrets& s = d.secrets;
    all[d.url] = bj::object{{"password", s.password},
                            {"key_file", s.key_file},
                            {"s3_access_key_id", s.s3_access_key_id},
                            {"s3_secret_access_key", s.s3_secret_access_key},
                            {"sftp_identity_passphrase", s.sftp_identity_passphrase}};
  }
  return bj::serialize(all);
}

Status ApplySecretsJson(const std::string& text, Policy& p) {
  if (text.empty()) return Status::Ok();
  boost::system::error_code ec;
  bj::value v = bj::parse(text, ec);
  if (ec || !v.is_object()) return DataLoss("stored destination secrets are not readable");
  auto str = [](const bj::object& o, const char* key) -> std::string {
    const bj::value* field = o.if_contains(key);
    return field && field->is_string() ? std::string(field->as_string()) : std::string();
  };
  for (auto& d : p.destinations) {
    const bj::value* entry = v.as_object().if_contains(d.url);
    if (entry == nullptr || !entry->is_object()) continue;
    const bj::object& o = entry->as_object();
    d.secrets.password = str(o, "password");
    d.secrets.key_file = str(o, "key_file");
    d.secrets.s3_access_key_id = str(o, "s3_access_key_id");
    d.secrets.s3_secret_access_key = str(o, "s3_secret_access_key");
    d.secrets.sftp_identity_passphrase = str(o, "sftp_identity_passphrase");
  }
  return Status::Ok();
}

}  // namespace failsafe::backup::service
