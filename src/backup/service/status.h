#pragma once
// Per service: the last good backup and its age against the RPO, the last verified restore
// drill against the RTO, and the 3-2-1 report (copies = destinations holding a recent
// snapshot, kinds of media among them, how many offsite; what is missing for 3-2-1).
// "Recent" is within the RPO when the service has one, else within 7 days.
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "auth/secret_box.h"
#include "backup/service/policy.h"
#include "store/store.h"

namespace failsafe::backup::service {

struct CopyState {
  std::string url, media;
  bool offsite = false;
  bool recent = false;  // holds a snapshot newer than the recency window
};

struct ThreeTwoOne {
  int copies = 0, media_kinds = 0, offsite = 0;
  std::vector<std::string> media;    // kinds among the recent copies, sorted
  std::vector<std::string> missing;  // "copies: 2 of 3", ... ; empty when 3-2-1 holds
  bool ok() const { return missing.empty(); }
};

ThreeTwoOne AssessThreeTwoOne(const std::vector<CopyState>& copies);

// Every service that has a backup policy, by key. `service`: only that one (empty: all).
Result<boost::json::array> ServiceStatuses(store::Tx& tx, const auth::SecretBox& box,
                                           int64_t now_ms, const std::string& service = {});

}  // namespace failsafe::backup::service
