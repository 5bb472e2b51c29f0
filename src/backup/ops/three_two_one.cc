#include "backup/ops/three_two_one.h"

#include <algorithm>
#include <map>
#include <set>

namespace failsafe::backup {
namespace {

std::string Plural(int n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

bool Report321::ok() const {
  if (!unreadable.empty()) return false;
  return std::all_of(sources.begin(), sources.end(), [](const auto& s) { return s.ok(); });
}

Report321 Evaluate321(const std::vector<RepoFacts>& repos, const Rule321& rule, int64_t now_ns) {
  using Key = std::pair<std::string, std::vector<std::string>>;
  struct Holding {
    int64_t newest_ns = 0;
  };
  // source -> repository index -> its newest snapshot there
  std::map<Key, std::map<size_t, Holding>> held;
  Report321 report;
  for (size_t r = 0; r < repos.size(); ++r) {
    if (!repos[r].error.empty()) {
      report.unreadable.push_back(repos[r].location + ": " + repos[r].error);
      continue;
    }
    for (const SnapshotFact& s : repos[r].snapshots) {
      std::vector<std::string> paths = s.paths;
      std::sort(paths.begin(), paths.end());
      Holding& h = held[{s.host, paths}][r];
      h.newest_ns = std::max(h.newest_ns, s.time_ns);
    }
  }
  const int64_t max_age_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(rule.max_age).count();
  for (const auto& [key, by_repo] : held) {
    SourceReport out;
    out.host = key.first;
    out.paths = key.second;
    std::set<MediaKind> media;
    int backups = 0;
    for (const auto& [r, h] : by_repo) {
      out.newest_ns = std::max(out.newest_ns, h.newest_ns);
      if (now_ns - h.newest_ns > max_age_ns) {
        out.stale.push_back(repos[r].location);
        continue;
      }
      ++backups;
      out.holders.push_back(repos[r].location);
      media.insert(repos[r].media);
      if (repos[r].offsite) ++out.offsite;
    }
    out.copies = backups + (rule.count_original ? 1 : 0);
    out.media_kinds = static_cast<int>(media.size());
    if (out.copies < rule.copies)
      out.missing.push_back(Plural(rule.copies - out.copies, "more copy", "more copies") +
                            " needed (" + Plural(out.copies, "copy", "copies") +
                            (rule.count_original ? " counting the original" : "") +
                            ", the rule asks " + std::to_string(rule.copies) + ")");
    if (out.media_kinds < rule.media) {
      std::string have;
      for (MediaKind m : media) have += (have.empty() ? "" : ", ") + std::string(NameOf(m));
      out.missing.push_back(Plural(rule.media - out.media_kinds, "more kind", "more kinds") +
                            " of media needed (copies are on " + (have.empty() ? "nothing" : have) +
                            ")");
    }
    if (out.offsite < rule.offsite)
      out.missing.push_back(
          Plural(rule.offsite - out.offsite, "more offsite copy", "more offsite copies") +
          " needed");
    report.sources.push_back(std::move(out));
  }
  return report;
}

}  // namespace failsafe::backup
