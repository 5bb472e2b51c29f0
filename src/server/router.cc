#include "server/router.h"

#include <algorithm>
#include <stdexcept>
#include <string_view>

namespace failsafe::server {
namespace {

// "/a/b/" -> ["a", "b", ""]; "/" -> [""]. Views into `path`.
void SplitPath(std::string_view path, std::vector<std::string_view>& out) {
  out.clear();
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
}

template <typename Segments>
bool Matches(const Segments& segs, const std::vector<std::string_view>& parts) {
  if (segs.size() != parts.size()) return false;
  for (size_t k = 0; k < segs.size(); ++k) {
    if (segs[k].param ? parts[k].empty() : segs[k].text != parts[k]) return false;
  }
  return true;
}

}  // namespace

void Router::Add(Route route) {
  if (route.pattern.empty() || route.pattern.front() != '/') {
    throw std::logic_error("route pattern must start with '/': " + route.pattern);
  }
  for (const auto& r : routes_) {
    if (r.method == route.method && r.pattern == route.pattern) {
      throw std::logic_error("duplicate route " + route.method + " " + route.pattern);
    }
  }
  std::vector<std::string_view> parts;
  SplitPath(route.pattern, parts);
  std::vector<Segment> segments;
  for (std::string_view p : parts) {
    Segment s;
    if (!p.empty() && p.front() == '{') {
      if (p.size() < 3 || p.back() != '}') {
        throw std::logic_error("malformed parameter segment in " + route.pattern);
      }
      s.param = true;
      s.text = std::string(p.substr(1, p.size() - 2));
    } else {
      s.text = std::string(p);
    }
    segments.push_back(std::move(s));
  }
  const bool literal =
      std::none_of(segments.begin(), segments.end(), [](const Segment& s) { return s.param; });
  if (literal) literal_[route.pattern].push_back(routes_.size());
  routes_.push_back(std::move(route));
  compiled_.push_back(std::move(segments));
}

Match Router::Find(const std::string& method, const std::string& path) const {
  Match m;
  if (auto it = literal_.find(path); it != literal_.end()) {
    for (size_t i : it->second) {
      if (routes_[i].method != method) continue;
      m.route = &routes_[i];
      m.path_known = true;
      return m;
    }
  }
  thread_local std::vector<std::string_view> parts;
  SplitPath(path, parts);
  const std::vector<Segment>* best_segments = nullptr;
  for (size_t i = 0; i < routes_.size(); ++i) {
    const auto& segs = compiled_[i];
    if (!Matches(segs, parts)) continue;
    if (routes_[i].method != method) {
      m.path_known = true;
      continue;
    }
    if (best_segments != nullptr) {
      // Prefer the route whose first differing segment is a literal.
      bool better = false;
      for (size_t k = 0; k < segs.size(); ++k) {
        if (segs[k].param != (*best_segments)[k].param) {
          better = !segs[k].param;
          break;
        }
      }
      if (!better) continue;
    }
    m.route = &routes_[i];
    best_segments = &segs;
  }
  if (m.route != nullptr) {
    m.path_known = true;
    for (size_t k = 0; k < best_segments->size(); ++k) {
      if ((*best_segments)[k].param) m.params[(*best_segments)[k].text] = std::string(parts[k]);
    }
  }
  return m;
}

std::vector<std::string> Router::AllowedMethods(const std::string& path) const {
  std::vector<std::string> out;
  std::vector<std::string_view> parts;
  SplitPath(path, parts);
  for (size_t i = 0; i < routes_.size(); ++i) {
    if (Matches(compiled_[i], parts) &&
        std::find(out.begin(), out.end(), routes_[i].method) == out.end()) {
      out.push_back(routes_[i].method);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace failsafe::server
