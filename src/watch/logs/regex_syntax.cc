#include "watch/logs/regex_syntax.h"

#include <map>
#include <set>

namespace failsafe::watch::logs {
namespace {

// fail2ban 1.0's host regexes (server/failregex.py, server/ipdns.py). The IPv6 one ends in
// `(?<=:):` there; every alternative before it ends in ':', so the lookbehind always holds
// and a plain ':' is the same language without lookbehind.
constexpr const char* kIp4 = R"((?:::f{4,6}:)?(?P<ip4>(?:\d{1,3}\.){3}\d{1,3}))";
constexpr const char* kIp6 = R"((?P<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))";
constexpr const char* kDns = R"((?P<dns>[\w\-.^_]*\w))";
constexpr const char* kCidr = R"((?P<cidr>\d+))";

std::string Addr() {
  return std::string(R"(\[?(?:)") + kIp4 + "|" + kIp6 + R"()\]?)";
}

const std::map<std::string, std::string>& StaticTags() {
  static const std::map<std::string, std::string> tags = {
      {"HOST", "(?:" + Addr() + "|" + kDns + ")"},
      {"ADDR", Addr()},
      {"F-ADDR/", Addr()},
      {"IP4", kIp4},
      {"F-IP4/", kIp4},
      {"IP6", kIp6},
      {"F-IP6/", kIp6},
      {"DNS", kDns},
      {"F-DNS/", kDns},
      {"CIDR", kCidr},
      {"F-CIDR/", kCidr},
      {"SUBNET", std::string(R"(\[?(?:)") + kIp4 + "|" + kIp6 + ")(?:/" + kCidr + R"()?\]?)"},
      {"F-SUBNET/", std::string(R"(\[?(?:)") + kIp4 + "|" + kIp6 + ")(?:/" + kCidr + R"()?\]?)"},
      {"F-ID/", R"((?P<fid>\S+))"},
      {"F-PORT/", R"((?P<fport>\w+))"},
  };
  return tags;
}

bool IsTagChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

std::string GroupName(std::string tag) {
  for (auto& c : tag) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (tag == "id") return "fid";
  if (tag == "port") return "fport";
  return tag;
}

}  // namespace

Result<std::string> ExpandTags(const std::string& regex) {
  std::string out;
  std::set<std::string> open_tags;
  size_t i = 0;
  while (i < regex.size()) {
    if (regex[i] == '\\' && i + 1 < regex.size()) {
      out.append(regex, i, 2);
      i += 2;
      continue;
    }
    if (regex[i] != '<') {
      out += regex[i++];
      continue;
    }
    // fail2ban's FTAG_CRE: </?[\w\-]+/?>
    size_t j = i + 1;
    const bool closing = j < regex.size() && regex[j] == '/';
    if (closing) ++j;
    const size_t name_start = j;
    while (j < regex.size() && IsTagChar(regex[j])) ++j;
    const bool self_closing = j < regex.size() && regex[j] == '/';
    if (self_closing) ++j;
    if (j >= regex.size() || regex[j] != '>' || name_start == j - (self_closing ? 1 : 0)) {
      out += regex[i++];
      continue;
    }
    const std::string name = regex.substr(name_start, j - name_start - (self_closing ? 1 : 0));
    const std::string whole = regex.substr(i, j + 1 - i);
    const std::string inner = regex.substr(i + 1, j - i - 1);  // "HOST", "F-ID/", "/F-USER"
    i = j + 1;
    if (inner == "SKIPLINES") {
      return Err(InvalidArgument("<SKIPLINES>: multi-line regexes are not supported"));
    }
    if (auto it = StaticTags().find(inner); it != StaticTags().end()) {
      out += it->second;
      continue;
    }
    if (name.size() > 2 && name.compare(0, 2, "F-") == 0 && !self_closing) {
      const std::string group = name.substr(2);
      bool upper = std::all_of(group.begin(), group.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      });
      if (upper) {
        if (closing) {
          if (open_tags.count(group)) {
            out += ")";
            continue;
          }
          out += whole;  // closes nothing: fail2ban keeps it literally
          continue;
        }
        open_tags.insert(group);
        std::string g = GroupName(group);
        for (auto& c : g) {
          if (c == '-') c = '_';
        }
        out += "(?P<" + g + ">";
        continue;
      }
    }
    out += whole;  // not a tag fail2ban knows: literal text, as in fail2ban
  }
  return out;
}

Result<EngineRegex> ToEngineSyntax(const std::string& re) {
  EngineRegex out;
  bool in_class = false;
  for (size_t i = 0; i < re.size(); ++i) {
    const char c = re[i];
    if (c == '\\' && i + 1 < re.size()) {
      const char n = re[i + 1];
      if (!in_class && n == 'Z') {
        out.pattern += "\\z";  // Python's \Z is the very end, RE2's \z
      } else {
        if (!in_class && n >= '1' && n <= '9') out.needs_backtracking = true;  // backreference
        out.pattern += c;
        out.pattern += n;
      }
      ++i;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      out.pattern += c;
      continue;
    }
    if (c == '[') {
      in_class = true;
      out.pattern += c;
      // A ']' right after '[' or '[^' is a literal member.
      if (i + 1 < re.size() && re[i + 1] == '^') out.pattern += re[++i];
      if (i + 1 < re.size() && re[i + 1] == ']') out.pattern += re[++i];
      continue;
    }
    if (c == '(' && i + 2 < re.size() && re[i + 1] == '?') {
      const char k = re[i + 2];
      if (k == '#') {  // a comment group: dropped
        const size_t close = re.find(')', i);
        if (close == std::string::npos) return Err(InvalidArgument("unterminated (?#...) comment"));
        i = close;
        continue;
      }
      if (k == '=' || k == '!' || k == '(') out.needs_backtracking = true;
      if (k == '<' && i + 3 < re.size() && (re[i + 3] == '=' || re[i + 3] == '!')) {
        out.needs_backtracking = true;
      }
      if (k == 'P' && i + 3 < re.size() && re[i + 3] == '=') out.needs_backtracking = true;
    }
    if (c == '{' && i + 1 < re.size() && re[i + 1] == ',') {
      out.pattern += "{0";  // Python's {,n} is {0,n}
      continue;
    }
    out.pattern += c;
  }
  return out;
}

std::string WithoutStartAnchors(const std::string& re) {
  std::string out;
  bool in_class = false;
  for (size_t i = 0; i < re.size(); ++i) {
    const char c = re[i];
    if (c == '\\' && i + 1 < re.size()) {
      if (!in_class && re[i + 1] == 'A') {
        ++i;
        continue;
      }
      out += c;
      out += re[++i];
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      out += c;
      continue;
    }
    if (c == '[') {
      in_class = true;
      out += c;
      if (i + 1 < re.size() && re[i + 1] == '^') out += re[++i];
      if (i + 1 < re.size() && re[i + 1] == ']') out += re[++i];
      continue;
    }
    if (c == '^') continue;
    out += c;
  }
  return out;
}

}  // namespace failsafe::watch::logs
