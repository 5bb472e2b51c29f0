#include "backup/archive/exclude.h"

#include <fnmatch.h>

namespace failsafe::backup::archive {
namespace {

std::vector<std::string> SplitComponents(std::string_view path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) parts.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

bool Fnmatch(const std::string& pattern, const std::string& name) {
  return ::fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
}

}  // namespace

Result<ExcludeSet> ExcludeSet::Parse(const std::vector<std::string>& patterns) {
  ExcludeSet set;
  for (size_t i = 0; i < patterns.size(); ++i) {
    std::string_view text = patterns[i];
    Pattern p;
    if (!text.empty() && text[0] == '!') {
      p.negated = true;
      text.remove_prefix(1);
    }
    p.anchored = !text.empty() && text[0] == '/';
    p.dir_only = text.size() > 1 && text.back() == '/';
    for (std::string& part : SplitComponents(text)) {
      // Consecutive "**" mean the same as one and would only slow matching down.
      if (part == "**" && !p.parts.empty() && p.parts.back() == "**") continue;
      p.parts.push_back(std::move(part));
    }
    if (p.parts.empty()) {
      return Err(InvalidArgument(
          "exclude pattern " + std::to_string(i + 1) + " ('" + patterns[i] + "') matches nothing",
          "exclude"));
    }
    p.name_only = !p.anchored && p.parts.size() == 1 && p.parts[0] != "**";
    if (!p.name_only) set.any_multi_part_ = true;
    set.patterns_.push_back(std::move(p));
  }
  return set;
}

bool ExcludeSet::MatchFrom(const Pattern& p, size_t pi, const std::vector<std::string>& parts,
                           size_t ci) {
  for (; pi < p.parts.size(); ++pi, ++ci) {
    if (p.parts[pi] == "**") {
      for (size_t skip = ci; skip <= parts.size(); ++skip) {
        if (MatchFrom(p, pi + 1, parts, skip)) return true;
      }
      return false;
    }
    if (ci == parts.size() || !Fnmatch(p.parts[pi], parts[ci])) return false;
  }
  return ci == parts.size();  // the pattern must end at the entry itself
}

bool ExcludeSet::Matches(const Pattern& p, const std::vector<std::string>& parts) {
  if (p.anchored) return MatchFrom(p, 0, parts, 0);
  for (size_t start = 0; start < parts.size(); ++start) {
    if (MatchFrom(p, 0, parts, start)) return true;
  }
  return false;
}

bool ExcludeSet::Excluded(std::string_view path, bool is_dir) const {
  if (patterns_.empty()) return false;
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  const size_t slash = path.rfind('/');
  const std::string name(slash == std::string_view::npos ? path : path.substr(slash + 1));
  std::vector<std::string> parts;
  if (any_multi_part_) parts = SplitComponents(path);
  // The last pattern that matches decides, so look from the end.
  for (auto it = patterns_.rbegin(); it != patterns_.rend(); ++it) {
    if (it->dir_only && !is_dir) continue;
    const bool match = it->name_only ? Fnmatch(it->parts[0], name) : Matches(*it, parts);
    if (match) return !it->negated;
  }
  return false;
}

}  // namespace failsafe::backup::archive
