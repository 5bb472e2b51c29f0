#include "backup/ops/forget.h"

#include <algorithm>
#include <map>

namespace failsafe::backup {

Result<std::vector<ForgetGroup>> RunForget(Repository& repo, const ForgetOptions& options) {
  FS_RETURN_IF_ERROR(RequireKeepRule(options.policy));
  FS_ASSIGN_OR_RETURN(auto ids, repo.ListSnapshots());
  using Key = std::pair<std::string, std::vector<std::string>>;
  std::map<Key, std::vector<std::pair<Id, Snapshot>>> groups;
  for (const Id& id : ids) {
    FS_ASSIGN_OR_RETURN(auto json, repo.LoadSnapshotJson(id));
    auto snapshot = DecodeSnapshot(json);
    if (!snapshot) return Err(snapshot.error().WithContext("snapshot " + id.Hex()));
    if (!options.host.empty() && snapshot->host != options.host) continue;
    bool tagged = std::all_of(options.tags.begin(), options.tags.end(), [&](const std::string& t) {
      return std::find(snapshot->tags.begin(), snapshot->tags.end(), t) != snapshot->tags.end();
    });
    if (!tagged) continue;
    groups[{snapshot->host, snapshot->paths}].emplace_back(id, std::move(*snapshot));
  }

  std::vector<ForgetGroup> out;
  for (auto& [key, members] : groups) {
    std::vector<SnapshotRef> refs;
    std::map<Id, Snapshot> by_id;
    for (auto& [id, s] : members) {
      refs.push_back({id, std::chrono::sys_time<std::chrono::nanoseconds>(
                              std::chrono::nanoseconds(s.time_ns))});
      by_id.emplace(id, std::move(s));
    }
    FS_ASSIGN_OR_RETURN(auto decision, ApplyRetention(refs, options.policy, options.time_zone));
    ForgetGroup group;
    group.host = key.first;
    group.paths = key.second;
    for (auto& kept : decision.keep) {
      Snapshot s = by_id.at(kept.snapshot.id);
      group.keep.emplace_back(std::move(kept), std::move(s));
    }
    for (const SnapshotRef& ref : decision.remove) {
      if (!options.dry_run) FS_RETURN_IF_ERROR(repo.RemoveSnapshot(ref.id));
      group.remove.emplace_back(ref, by_id.at(ref.id));
    }
    out.push_back(std::move(group));
  }
  return out;
}

}  // namespace failsafe::backup
