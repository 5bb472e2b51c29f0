#pragma once
// Exclude patterns for backups, in the style of restic's --exclude:
//   *.tmp            any entry whose name matches (a pattern without '/' matches a name)
//   cache/*.bin      a run of path components anywhere in the path
//   /srv/erp/tmp     anchored at the root of the path: that path only
//   **/node_modules  ** matches any number of components (zero included)
//   build/           a trailing '/' matches directories only
//   !keep.tmp        negation: the last pattern that matches an entry decides
// Components match with fnmatch(3) (*, ?, [a-z]); a '*' never crosses a '/'. The walker asks
// about every entry on its way down and does not descend into an excluded directory, so a
// negation cannot bring back something below an excluded directory (as in .gitignore).
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace failsafe::backup::archive {

class ExcludeSet {
 public:
  ExcludeSet() = default;
  // Fails on an empty pattern (or one that is only "!" or "/"), naming its position.
  static Result<ExcludeSet> Parse(const std::vector<std::string>& patterns);

  // `path` is the entry's path as walked (absolute for anchored patterns to mean anything),
  // its last component the entry's name.
  bool Excluded(std::string_view path, bool is_dir) const;
  bool empty() const { return patterns_.empty(); }

 private:
  struct Pattern {
    std::vector<std::string> parts;  // components; "**" is its own part
    bool anchored = false;
    bool dir_only = false;
    bool negated = false;
    bool name_only = false;  // one part, not anchored, no "**": only the name is matched
  };
  static bool MatchFrom(const Pattern& p, size_t pi, const std::vector<std::string>& parts,
                        size_t ci);
  static bool Matches(const Pattern& p, const std::vector<std::string>& parts);

  std::vector<Pattern> patterns_;
  bool any_multi_part_ = false;  // some pattern needs the whole path split
};

}  // namespace failsafe::backup::archive
