#include "watch/logs/fail2ban_filter.h"

#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "watch/logs/ini_file.h"

namespace failsafe::watch::logs {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxIncludeDepth = 10;
constexpr int kMaxInterpolationDepth = 40;
constexpr int kMaxTagReplacements = 2000;
constexpr size_t kMaxValueBytes = 1024 * 1024;

using Options = std::map<std::string, std::string>;

std::optional<std::string> ReadWholeFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<std::string> SplitWords(const std::string& value) {
  std::vector<std::string> words;
  std::istringstream in(value);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// All sections of a filter and what it includes, merged in fail2ban's reading order.
class FilterConfig {
 public:
  explicit FilterConfig(Options init) : init_(std::move(init)) {}

  Status ReadFile(const fs::path& path, bool must_exist, int depth) {
    if (depth > kMaxIncludeDepth)
      return InvalidArgument(path.string() + ": includes nest too deep");
    const std::string key = path.lexically_normal().string();
    if (reading_.count(key)) return InvalidArgument(path.string() + ": includes itself");
    auto text = ReadWholeFile(path);
    if (!text) {
      if (must_exist) return NotFound(path.string() + ": cannot read the filter file");
      return Status::Ok();
    }
    reading_.insert(key);
    Status s = ReadText(*text, path.filename().string(), path.parent_path(), depth);
    reading_.erase(key);
    FS_RETURN_STATUS_IF_ERROR(s);
    // fail2ban reads name.local right after name.conf.
    if (path.extension() == ".conf") {
      fs::path local = path;
      local.replace_extension(".local");
      return ReadFile(local, false, depth + 1);
    }
    return Status::Ok();
  }

  Status ReadText(const std::string& text, const std::string& name, const fs::path& dir,
                  int depth) {
    FS_ASSIGN_OR_RETURN_STATUS(auto sections, ParseIni(text, name));
    std::vector<std::string> before, after;
    for (const auto& section : sections) {
      if (section.name != "INCLUDES") continue;
      for (const auto& opt : section.options) {
        if (opt.name == "before") before = SplitWords(opt.value);
        if (opt.name == "after") after = SplitWords(opt.value);
      }
    }
    for (const auto& file : before)
      FS_RETURN_STATUS_IF_ERROR(ReadFile(dir / file, true, depth + 1));
    for (const auto& section : sections) {
      if (section.name == "INCLUDES") continue;
      auto& target = sections_[section.name];
      for (const auto& opt : section.options) {
        auto it = target.find(opt.name);
        // An override keeps what it replaced reachable as %(known/name)s.
        if (it != target.end()) target["known/" + opt.name] = it->second;
        target[opt.name] = opt.value;
      }
    }
    for (const auto& file : after)
      FS_RETURN_STATUS_IF_ERROR(ReadFile(dir / file, false, depth + 1));
    return Status::Ok();
  }

  // The raw value of `name` as seen from `section`: user options, [Init], the section,
  // [DEFAULT]. "other/name" reads another section.
  std::optional<std::string> Raw(const std::string& section, const std::string& name) const {
    if (auto slash = name.find('/');
        slash != std::string::npos && slash > 0 && name.compare(0, 6, "known/") != 0) {
      return Raw(name.substr(0, slash), name.substr(slash + 1));
    }
    if (name.compare(0, 6, "known/") == 0) {
      // The value before the last override: kept where it was overridden, else the
      // [DEFAULT] one a section's option hides.
      if (auto v = Find(section, name)) return v;
      if (auto v = Find("DEFAULT", name)) return v;
      if (section != "DEFAULT") return Find("DEFAULT", name.substr(6));
      return std::nullopt;
    }
    if (auto it = init_.find(name); it != init_.end()) return it->second;
    for (const char* s : {"Init"}) {
      if (auto v = Find(s, name)) return v;
    }
    if (auto v = Find(section, name)) return v;
    return Find("DEFAULT", name);
  }

  // The value with %(name)s interpolated (ConfigParser's "basic" interpolation, extended
  // with fail2ban's section/name form).
  Result<std::string> Get(const std::string& section, const std::string& name,
                          int depth = 0) const {
    auto raw = Raw(section, name);
    if (!raw) return Err(NotFound("no option '" + name + "'"));
    return Interpolate(section, *raw, name, depth);
  }

  Result<std::string> Interpolate(const std::string& section, const std::string& raw,
                                  const std::string& name, int depth) const {
    if (depth > kMaxInterpolationDepth) {
      return Err(InvalidArgument("interpolation loop through %(" + name + ")s"));
    }
    std::string out;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '%') {
        out += raw[i];
        continue;
      }
      if (i + 1 < raw.size() && raw[i + 1] == '%') {
        out += '%';
        ++i;
        continue;
      }
      if (i + 1 < raw.size() && raw[i + 1] == '(') {
        const size_t close = raw.find(")s", i + 2);
        if (close == std::string::npos) {
          return Err(InvalidArgument("option '" + name + "': unterminated %(...)s"));
        }
        const std::string ref = raw.substr(i + 2, close - i - 2);
        auto value = Get(section, ref, depth + 1);
        if (!value) {
          if (value.error().code() == ErrorCode::kNotFound) {
            return Err(InvalidArgument("option '" + name + "' refers to %(" + ref +
                                       ")s, which is not defined"));
          }
          return value;
        }
        out += *value;
        if (out.size() > kMaxValueBytes)
          return Err(InvalidArgument("option '" + name + "' too long"));
        i = close + 1;
        continue;
      }
      out += '%';  // fail2ban's values hold strftime-like '%' (datepattern); keep them.
    }
    return out;
  }

  // fail2ban's substituteRecursiveTags: <name> naming an option is replaced by its value,
  // innermost first, until nothing changes; other tags stay.
  Result<std::string> ResolveTags(std::string value, const std::string& owner) const {
    int replacements = 0;
    size_t pos = 0;
    while (pos < value.size()) {
      const size_t open = value.find('<', pos);
      if (open == std::string::npos) break;
      size_t end = open + 1;
      while (end < value.size() && value[end] != '>' && value[end] != '<' && value[end] != ' ')
        ++end;
      if (end >= value.size() || value[end] != '>' || end == open + 1) {
        pos = open + 1;
        continue;
      }
      const std::string tag = value.substr(open + 1, end - open - 1);
      if (tag == owner) {
        return Err(
            InvalidArgument("option '" + owner + "' refers to itself through <" + tag + ">"));
      }
      auto repl = Get("Definition", tag);
      if (!repl) {
        if (repl.error().code() != ErrorCode::kNotFound) return repl;
        pos = open + 1;  // not an option: <HOST>, <F-USER>, ...
        continue;
      }
      if (++replacements > kMaxTagReplacements) {
        return Err(InvalidArgument("option '" + owner + "': tags refer to each other in a loop (<" +
                                   tag + ">)"));
      }
      const std::string needle = "<" + tag + ">";
      for (size_t at = value.find(needle); at != std::string::npos;
           at = value.find(needle, at + repl->size())) {
        value.replace(at, needle.size(), *repl);
      }
      if (value.size() > kMaxValueBytes)
        return Err(InvalidArgument("option '" + owner + "' too long"));
      pos = 0;  // the replacement may complete an enclosing tag (<lt_<logtype>/x>)
    }
    return value;
  }

  Result<std::string> Definition(const std::string& name) const {
    auto v = Get("Definition", name);
    if (!v) return v;
    return ResolveTags(*v, name);
  }

  bool Has(const std::string& name) const { return Raw("Definition", name).has_value(); }

 private:
  std::optional<std::string> Find(const std::string& section, const std::string& name) const {
    auto s = sections_.find(section);
    if (s == sections_.end()) return std::nullopt;
    auto o = s->second.find(name);
    if (o == s->second.end()) return std::nullopt;
    return o->second;
  }

  Options init_;
  std::map<std::string, Options> sections_;
  std::set<std::string> reading_;
};

std::vector<std::string> SplitLines(const std::string& value) {
  std::vector<std::string> out;
  std::istringstream in(value);
  for (std::string line; std::getline(in, line);) {
    size_t b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos) continue;
    size_t e = line.find_last_not_of(" \t\r");
    out.push_back(line.substr(b, e - b + 1));
  }
  return out;
}

Result<Fail2banFilter> Build(const FilterConfig& config, const std::string& name) {
  auto fail = [&](const Status& s) { return Err(s.WithContext(name)); };
  Fail2banFilter filter;
  filter.path = name;
  if (!config.Has("failregex")) return fail(InvalidArgument("[Definition] has no failregex"));
  for (const char* opt : {"failregex", "ignoreregex", "prefregex", "datepattern", "maxlines"}) {
    if (!config.Has(opt)) continue;
    auto value = config.Definition(opt);
    if (!value) return fail(value.error());
    const std::string o = opt;
    if (o == "failregex") filter.failregex = SplitLines(*value);
    if (o == "ignoreregex") filter.ignoreregex = SplitLines(*value);
    if (o == "prefregex")
      filter.prefregex = SplitLines(*value).empty() ? "" : SplitLines(*value)[0];
    if (o == "datepattern") {
      auto lines = SplitLines(*value);
      filter.datepattern = lines.empty() ? "" : lines[0];
    }
    if (o == "maxlines" && SplitLines(*value) != std::vector<std::string>{"1"} &&
        !SplitLines(*value).empty()) {
      return fail(InvalidArgument("maxlines = " + *value +
                                  ": multi-line filters are not supported (one line at a time)"));
    }
  }
  if (filter.failregex.empty()) return fail(InvalidArgument("failregex is empty"));
  return filter;
}

}  // namespace

Result<Fail2banFilter> ReadFail2banFilter(const std::string& path, const Options& init) {
  FilterConfig config(init);
  FS_RETURN_IF_ERROR(config.ReadFile(fs::path(path), true, 0));
  return Build(config, path);
}

Result<Fail2banFilter> ParseFail2banFilter(const std::string& text, const std::string& name,
                                           const std::string& dir, const Options& init) {
  FilterConfig config(init);
  FS_RETURN_IF_ERROR(config.ReadText(text, name, fs::path(dir), 0));
  return Build(config, name);
}

Result<std::pair<std::string, Options>> SplitFilterSpec(const std::string& spec) {
  const size_t open = spec.find('[');
  if (open == std::string::npos) return std::make_pair(spec, Options{});
  if (spec.back() != ']') return Err(InvalidArgument("filter '" + spec + "': missing ']'"));
  Options options;
  std::string body = spec.substr(open + 1, spec.size() - open - 2);
  std::istringstream in(body);
  for (std::string item; std::getline(in, item, ',');) {
    const size_t eq = item.find('=');
    if (eq == std::string::npos) {
      return Err(InvalidArgument("filter '" + spec + "': option '" + item + "' has no '='"));
    }
    auto trim = [](std::string s) {
      s.erase(0, s.find_first_not_of(" \t\"'"));
      s.erase(s.find_last_not_of(" \t\"'") + 1);
      return s;
    };
    options[trim(item.substr(0, eq))] = trim(item.substr(eq + 1));
  }
  return std::make_pair(spec.substr(0, open), options);
}

}  // namespace failsafe::watch::logs
