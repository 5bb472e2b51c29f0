#pragma once
// A backup policy: what one service backs up (sources), when (cron schedules for ordinary runs,
// full runs and restore drills), how long snapshots are kept (retention) and where they go
// (destinations). Read from YAML or JSON (JSON is YAML) with errors naming line:column and
// the field; secrets in destinations are plaintext here and sealed by the store.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backup/ops/retention.h"
#include "base/result.h"

namespace failsafe::backup::service {

// What a run reads. kind: paths | command | sqlite | store.
struct Source {
  std::string kind;
  std::vector<std::string> paths;     // paths: files and directories
  std::vector<std::string> excludes;  // paths: patterns as `backup run --exclude`
  std::vector<std::string> command;   // command: argv; its stdout is saved as `filename`
  std::string filename;               // command: the name the output is stored under
  std::string path;                   // sqlite: the database file, copied online
};

// The secrets of a destination: never returned by the API nor logged; sealed at rest.
struct DestinationSecrets {
  std::string password;                  // the repository password
  std::string key_file;                  // or a key file (a path on the server)
  std::string s3_access_key_id;          // s3://
  std::string s3_secret_access_key;      // s3://
  std::string sftp_identity_passphrase;  // sftp:// with an encrypted identity file
  bool empty() const;
  // Keeps the values `other` has where this one has none (an apply that omits secrets keeps
  // the stored ones for the same URL).
  void FillFrom(const DestinationSecrets& other);
};

struct Destination {
  std::string url;    // a path, sftp://user@host/path or s3://host:port/bucket/prefix
  std::string media;  // one of kMediaKinds
  bool offsite = false;
  bool init = false;  // create the repository at the first run when it is missing
  std::string sftp_identity_file;
  std::string sftp_known_hosts;
  std::string sftp_accept_fingerprint;
  DestinationSecrets secrets;
};

inline constexpr const char* kMediaKinds[] = {"disk",           "nas",  "removable", "tape", "sftp",
                                              "object-storage", "cloud"};

struct Policy {
  int64_t id = 0;
  std::string name;     // [a-z0-9][a-z0-9._-]*, unique
  std::string service;  // catalog service key
  std::vector<Source> sources;
  std::string schedule;        // cron
  std::string full_schedule;   // cron, may be empty: runs with --full
  std::string drill_schedule;  // cron, may be empty: no scheduled drills
  std::string time_zone = "UTC";
  RetentionPolicy retention;
  std::vector<Destination> destinations;
  bool enabled = true;
  int64_t created_at = 0, updated_at = 0;
};

// Parses one policy. `source_name` prefixes error messages ("policy.yaml:4:3: ...").
// Validates names, kinds, cron texts with the time zone, media kinds, and that there is at
// least one source and one destination.
Result<Policy> ParsePolicy(const std::string& text, const std::string& source_name = "policy");

// The snapshot tag that marks a policy's snapshots (retention and drills use it).
std::string PolicyTag(const std::string& policy_name);

}  // namespace failsafe::backup::service
