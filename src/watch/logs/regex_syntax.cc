#include "watch/logs/regex_syntax.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <vector>

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

namespace {

// The end of the group or class starting at `i` (its closing byte), or npos.
size_t SkipGroup(const std::string& re, size_t i) {
  int depth = 0;
  bool in_class = false;
  for (; i < re.size(); ++i) {
    const char d = re[i];
    if (d == '\\') {
      ++i;
      continue;
    }
    if (in_class) {
      if (d == ']') {
        in_class = false;
        if (depth == 0) return i;
      }
      continue;
    }
    if (d == '[') {
      in_class = true;
      if (i + 1 < re.size() && re[i + 1] == '^') ++i;
      if (i + 1 < re.size() && re[i + 1] == ']') ++i;
      continue;
    }
    if (d == '(') ++depth;
    if (d == ')' && --depth == 0) return i;
  }
  return std::string::npos;
}

// Splits at the top-level '|'.
std::vector<std::string> Branches(const std::string& re) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i < re.size(); ++i) {
    if (re[i] == '\\') {
      ++i;
    } else if (re[i] == '(' || re[i] == '[') {
      i = SkipGroup(re, i);
      if (i == std::string::npos) return {};
    } else if (re[i] == '|') {
      out.push_back(re.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(re.substr(start));
  return out;
}

size_t Shortest(const std::vector<std::string>& set) {
  size_t n = SIZE_MAX;
  for (const auto& s : set) n = std::min(n, s.size());
  return set.empty() ? 0 : n;
}

std::vector<std::string> LiteralsOf(const std::string& re, int depth);

// One branch (no top-level '|'): the best set among its literal runs and mandatory groups.
std::vector<std::string> BranchLiterals(const std::string& re, int depth) {
  std::vector<std::string> best;
  std::string run;
  auto offer = [&](std::vector<std::string> set) {
    if (Shortest(set) > Shortest(best)) best = std::move(set);
  };
  auto flush = [&] {
    if (!run.empty()) offer({run});
    run.clear();
  };
  auto optional_at = [&](size_t at) {
    return at < re.size() &&
           (re[at] == '?' || re[at] == '*' ||
            (re[at] == '{' && at + 1 < re.size() && (re[at + 1] == '0' || re[at + 1] == ',')));
  };
  auto quantifier_at = [&](size_t at) {
    return at < re.size() && (re[at] == '?' || re[at] == '*' || re[at] == '+' || re[at] == '{');
  };
  auto after_byte = [&](size_t next) {
    if (!quantifier_at(next)) return;
    if (optional_at(next)) run.pop_back();
    flush();
  };
  for (size_t i = 0; i < re.size(); ++i) {
    const char c = re[i];
    if (c == '(' || c == '[') {
      flush();
      const size_t close = SkipGroup(re, i);
      if (close == std::string::npos) return {};
      if (c == '(' && !optional_at(close + 1) && depth < 8) {
        // A group every match goes through: its own literals count (not lookarounds,
        // conditionals or flag groups, which do not consume what they name).
        std::string inner = re.substr(i + 1, close - i - 1);
        bool plain = true;
        if (!inner.empty() && inner[0] == '?') {
          if (inner.rfind("?:", 0) == 0) {
            inner = inner.substr(2);
          } else if (inner.rfind("?P<", 0) == 0 && inner.find('>') != std::string::npos) {
            inner = inner.substr(inner.find('>') + 1);
          } else {
            plain = false;
          }
        }
        if (plain) offer(LiteralsOf(inner, depth + 1));
      }
      i = close;
      if (quantifier_at(i + 1)) flush();
      continue;
    }
    if (c == '\\' && i + 1 < re.size()) {
      const char n = re[++i];
      if (std::isalnum(static_cast<unsigned char>(n))) {
        flush();  // \d \s \b \x.. : not a plain byte
        continue;
      }
      run += n;
      after_byte(i + 1);
      continue;
    }
    if (c == '.' || c == '^' || c == '$' || c == ')' || quantifier_at(i)) {
      flush();
      // A counted quantifier's digits are not literal bytes.
      if (c == '{') {
        size_t j = i + 1;
        while (j < re.size() && (std::isdigit(static_cast<unsigned char>(re[j])) || re[j] == ','))
          ++j;
        if (j < re.size() && re[j] == '}') i = j;
      }
      continue;
    }
    run += c;
    after_byte(i + 1);
  }
  flush();
  return best;
}

// A set of literals at least one of which every match contains; empty when there is none.
std::vector<std::string> LiteralsOf(const std::string& re, int depth) {
  std::vector<std::string> all;
  for (const auto& branch : Branches(re)) {
    auto set = BranchLiterals(branch, depth);
    if (set.empty()) return {};
    all.insert(all.end(), set.begin(), set.end());
  }
  return all;
}

}  // namespace

std::vector<std::string> RequiredLiterals(const std::string& re, size_t min_length) {
  if (re.find("(?i") != std::string::npos) return {};
  auto set = LiteralsOf(re, 0);
  if (Shortest(set) < min_length || set.size() > 16) return {};
  std::sort(set.begin(), set.end());
  set.erase(std::unique(set.begin(), set.end()), set.end());
  return set;
}

std::string EscapeLiterals(const std::vector<std::string>& literals) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (const auto& literal : literals) {
    if (!out.empty()) out += '|';
    for (unsigned char c : literal) {
      if (std::isalnum(c) || c == ' ') {
        out += static_cast<char>(c);
      } else {
        out += "\\x";
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
    }
  }
  return out;
}

std::string PrefixBeforeContent(const std::string& prefregex) {
  const std::string tail = "<F-CONTENT>.+</F-CONTENT>$";
  if (prefregex.size() < tail.size() ||
      prefregex.compare(prefregex.size() - tail.size(), tail.size(), tail) != 0) {
    return "";
  }
  std::string prefix = prefregex.substr(0, prefregex.size() - tail.size());
  if (prefix.empty() || prefix[0] != '^' || prefix.find("F-CONTENT") != std::string::npos)
    return "";
  return prefix;
}

}  // namespace failsafe::watch::logs
