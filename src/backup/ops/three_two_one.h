#pragma once
// The 3-2-1 rule (3-2-1 备份原则): at least three copies of the data, on two kinds of media,
// one of them offsite. Evaluate321 judges it per source (host + paths, as snapshots name
// them) over what a set of repositories holds; the CLI (`backup report-321`) and the server's
// policies feed it facts they gathered and show its verdict. It does no I/O, so the server can
// call it with facts it cached.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "backup/backend/backend.h"

namespace failsafe::backup {

struct Rule321 {
  int copies = 3;   // copies of the data, counting the original when count_original
  int media = 2;    // distinct MediaKind among the repositories holding a recent copy
  int offsite = 1;  // repositories marked offsite holding a recent copy
  // The live data is the first of the three copies, as the rule is usually read; false for
  // sources whose original is gone or untrusted (count backup copies only).
  bool count_original = true;
  // A copy older than this does not count: an old copy of changing data is not a copy of it.
  std::chrono::hours max_age{48};
};

// One snapshot as far as the report cares: which source, when.
struct SnapshotFact {
  std::string host;
  std::vector<std::string> paths;
  int64_t time_ns = 0;
};

// What one repository holds. A repository that could not be read has `error` set and counts
// for nothing (the report names it).
struct RepoFacts {
  std::string location;  // Backend::Location(): no credentials
  MediaKind media = MediaKind::kLocalDisk;
  bool offsite = false;
  std::string error;
  std::vector<SnapshotFact> snapshots;
};

struct SourceReport {
  std::string host;
  std::vector<std::string> paths;
  int copies = 0;  // including the original when the rule counts it
  int media_kinds = 0;
  int offsite = 0;
  int64_t newest_ns = 0;             // the newest snapshot of this source in any repository
  std::vector<std::string> holders;  // locations with a recent copy
  std::vector<std::string> stale;    // locations whose newest copy is too old to count
  std::vector<std::string> missing;  // what the rule still needs, one line each; empty: met
  bool ok() const { return missing.empty(); }
};

struct Report321 {
  std::vector<SourceReport> sources;    // by host, then paths
  std::vector<std::string> unreadable;  // "LOCATION: error"
  bool ok() const;  // every source met the rule and every repository was readable
};

Report321 Evaluate321(const std::vector<RepoFacts>& repos, const Rule321& rule, int64_t now_ns);

}  // namespace failsafe::backup
