#include "backup/service/policy.h"

#include <yaml-cpp/yaml.h>

#include "base/cron.h"
#include "watch/probes/yaml_fields.h"

namespace failsafe::backup::service {
namespace {

using watch::probes::YamlFields;

bool ValidName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '-' && c != '_' && c != '.'))) return false;
  }
  return true;
}

bool KnownMedia(const std::string& media) {
  for (const char* m : kMediaKinds) {
    if (media == m) return true;
  }
  return false;
}

void CheckCron(YamlFields& f, const std::string& key, const std::string& text,
               const std::string& time_zone) {
  if (text.empty() || f.failed()) return;
  auto parsed = CronSchedule::Parse(text, time_zone);
  if (!parsed) f.Fail(key, parsed.error().message());
}

Source ReadSource(const std::string& file, const YAML::Node& node, const std::string& path,
                  Status& error) {
  YamlFields f(file, node, path);
  Source s;
  s.kind = f.String("kind", true);
  if (s.kind == "paths") {
    s.paths = f.Strings("paths");
    s.excludes = f.Strings("excludes");
    if (s.paths.empty() && !f.failed()) f.Fail("paths", "a paths source needs at least one path");
    for (const auto& p : s.paths) {
      if (p.empty() || p[0] != '/') f.Fail("paths", "paths must be absolute, got \"" + p + "\"");
    }
  } else if (s.kind == "command") {
    s.command = f.Strings("command");
    s.filename = f.String("filename", false, "");
    if (s.command.empty() && !f.failed()) f.Fail("command", "a command source needs argv");
    if (s.filename.empty() && !s.command.empty()) {
      const std::string& argv0 = s.command[0];
      s.filename = argv0.substr(argv0.rfind('/') + 1) + ".out";
    }
    if (s.filename.find('/') != std::string::npos || s.filename == "." || s.filename == "..") {
      f.Fail("filename", "must be a plain file name");
    }
  } else if (s.kind == "sqlite") {
    s.path = f.String("path", true);
    if (!s.path.empty() && s.path[0] != '/') f.Fail("path", "must be an absolute path");
  } else if (s.kind == "store") {
    // failsafe's own store: nothing more to say.
  } else if (!f.failed()) {
    f.Fail("kind", "must be one of paths, command, sqlite, store; got \"" + s.kind + "\"");
  }
  error = f.Finish();
  return s;
}

Destination ReadDestination(const std::string& file, const YAML::Node& node,
                            const std::string& path, Status& error) {
  YamlFields f(file, node, path);
  Destination d;
  d.url = f.String("url", true);
  d.media = f.String("media", true);
  if (!d.media.empty() && !KnownMedia(d.media)) {
    f.Fail("media",
           "must be one of disk, nas, removable, tape, sftp, object-storage, cloud; got \"" +
               d.media + "\"");
  }
  d.offsite = f.Bool("offsite", false);
  d.init = f.Bool("init", false);
  d.sftp_identity_file = f.String("sftp_identity_file");
  d.sftp_known_hosts = f.String("sftp_known_hosts");
  d.sftp_accept_fingerprint = f.String("sftp_accept_fingerprint");
  d.secrets.password = f.String("password");
  d.secrets.key_file = f.String("key_file");
  d.secrets.s3_access_key_id = f.String("s3_access_key_id");
  d.secrets.s3_secret_access_key = f.String("s3_secret_access_key");
  d.secrets.sftp_identity_passphrase = f.String("sftp_identity_passphrase");
  error = f.Finish();
  return d;
}

Status ReadRetention(const std::string& file, const YAML::Node& node, RetentionPolicy& out) {
  YamlFields f(file, node, "retention");
  constexpr int kMax = 100000;
  out.last = f.Int("keep_last", 0, 0, kMax);
  out.hourly = f.Int("keep_hourly", 0, 0, kMax);
  out.daily = f.Int("keep_daily", 0, 0, kMax);
  out.weekly = f.Int("keep_weekly", 0, 0, kMax);
  out.monthly = f.Int("keep_monthly", 0, 0, kMax);
  out.yearly = f.Int("keep_yearly", 0, 0, kMax);
  if (!f.failed() && out.KeepsNothing()) {
    f.FailAt(node, "retention", "keeps nothing: give at least one keep_* rule");
  }
  return f.Finish();
}

Result<Policy> ParseDocument(const std::string& file, const YAML::Node& root) {
  YamlFields f(file, root, "");
  Policy p;
  p.name = f.String("name", true);
  if (!p.name.empty() && !ValidName(p.name)) {
    f.Fail("name", "must be 1-64 of a-z 0-9 . _ - starting with a letter or digit");
  }
  p.service = f.String("service", true);
  p.time_zone = f.String("time_zone", false, "UTC");
  p.schedule = f.String("schedule", true);
  p.full_schedule = f.String("full_schedule");
  p.drill_schedule = f.String("drill_schedule");
  p.enabled = f.Bool("enabled", true);
  if (!f.failed() && !CronSchedule::Parse("@daily", p.time_zone)) {
    f.Fail("time_zone", "unknown time zone \"" + p.time_zone + "\" (an IANA name: Asia/Shanghai)");
  }
  CheckCron(f, "schedule", p.schedule, p.time_zone);
  CheckCron(f, "full_schedule", p.full_schedule, p.time_zone);
  CheckCron(f, "drill_schedule", p.drill_schedule, p.time_zone);

  YAML::Node sources = f.Node("sources");
  if (!f.failed()) {
    if (!sources.IsDefined() || !sources.IsSequence() || sources.size() == 0) {
      f.Fail("sources", "a list of at least one source is required");
    } else {
      for (size_t i = 0; i < sources.size() && !f.failed(); ++i) {
        Status e;
        p.sources.push_back(ReadSource(file, sources[i], "sources[" + std::to_string(i) + "]", e));
        f.Adopt(e);
      }
    }
  }
  YAML::Node dests = f.Node("destinations");
  if (!f.failed()) {
    if (!dests.IsDefined() || !dests.IsSequence() || dests.size() == 0) {
      f.Fail("destinations", "a list of at least one destination is required");
    } else {
      for (size_t i = 0; i < dests.size() && !f.failed(); ++i) {
        Status e;
        const std::string path = "destinations[" + std::to_string(i) + "]";
        Destination d = ReadDestination(file, dests[i], path, e);
        f.Adopt(e);
        for (const auto& other : p.destinations) {
          if (other.url == d.url) f.FailAt(dests[i], path + ".url", "listed twice: " + d.url);
        }
        p.destinations.push_back(std::move(d));
      }
    }
  }
  YAML::Node retention = f.Node("retention");
  if (!f.failed()) {
    if (!retention.IsDefined()) {
      f.Fail("retention", "required (keep_last, keep_daily, keep_weekly, ...)");
    } else {
      f.Adopt(ReadRetention(file, retention, p.retention));
    }
  }
  FS_RETURN_IF_ERROR(f.Finish());
  return p;
}

}  // namespace

bool DestinationSecrets::empty() const {
  return password.empty() && key_file.empty() && s3_access_key_id.empty() &&
         s3_secret_access_key.empty() && sftp_identity_passphrase.empty();
}

void DestinationSecrets::FillFrom(const DestinationSecrets& other) {
  for (auto [mine, theirs] :
       {std::pair{&password, &other.password}, std::pair{&key_file, &other.key_file},
        std::pair{&s3_access_key_id, &other.s3_access_key_id},
        std::pair{&s3_secret_access_key, &other.s3_secret_access_key},
        std::pair{&sftp_identity_passphrase, &other.sftp_identity_passphrase}}) {
    if (mine->empty()) *mine = *theirs;
  }
}

Result<Policy> ParsePolicy(const std::string& text, const std::string& source_name) {
  if (text.size() > (1 << 20)) return Err(InvalidArgument(source_name + ": larger than 1 MiB"));
  try {
    YAML::Node root = YAML::Load(text);
    return ParseDocument(source_name, root);
  } catch (const YAML::Exception& e) {
    return Err(InvalidArgument(source_name + ":" + std::to_string(e.mark.line + 1) + ":" +
                               std::to_string(e.mark.column + 1) + ": " + e.msg));
  }
}

std::string PolicyTag(const std::string& policy_name) {
  return "failsafe-policy=" + policy_name;
}

}  // namespace failsafe::backup::service
