#include "watch/logs/conditional_guard.h"

#include <algorithm>
#include <cctype>

#include "watch/logs/regex_syntax.h"

namespace failsafe::watch::logs {
namespace {

constexpr size_t kMaxGuards = 3;  // a regex compiles 2^guards - 1 variants

enum class Kind { kPlain, kCapture, kLookaround, kAtomic, kConditional };

struct Node {
  Kind kind = Kind::kPlain;
  size_t open = 0, body = 0, close = 0;  // '(', the body's first byte, ')'
  std::string name;  // the capture's name; the conditional's group ("" for other conditions)
  int parent = -1;
  size_t first_bar = std::string::npos;  // its first '|' outside nested groups
  bool quantified = false;
  bool possessive = false;
};

bool WordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// A name from `at` up to `end_char`; npos when malformed.
size_t ReadName(const std::string& re, size_t at, char end_char, std::string* name) {
  size_t j = at;
  while (j < re.size() && WordChar(re[j])) ++j;
  if (j == at || j >= re.size() || re[j] != end_char) return std::string::npos;
  *name = re.substr(at, j - at);
  return j + 1;
}

// Where a quantifier starting at `at` ends (at itself when there is none).
size_t QuantifierEnd(const std::string& re, size_t at) {
  if (at >= re.size()) return at;
  if (re[at] == '?' || re[at] == '*' || re[at] == '+') return at + 1;
  if (re[at] != '{') return at;
  size_t j = at + 1;
  const size_t digits = j;
  while (j < re.size() && std::isdigit(static_cast<unsigned char>(re[j]))) ++j;
  if (j == digits) return at;  // "{" not followed by a count is a literal brace
  if (j < re.size() && re[j] == ',') {
    ++j;
    while (j < re.size() && std::isdigit(static_cast<unsigned char>(re[j]))) ++j;
  }
  return j < re.size() && re[j] == '}' ? j + 1 : at;
}

// Fills `node` from the group head at re[i] == '('. False for heads the guard argument does
// not cover (verbs, flags, subroutine calls, backreference groups, branch reset, comments).
bool ReadHead(const std::string& re, size_t i, Node* node) {
  node->open = i;
  auto at = [&](size_t k) { return i + k < re.size() ? re[i + k] : '\0'; };
  if (at(1) == '*') return false;
  if (at(1) != '?') {
    node->kind = Kind::kCapture;
    node->body = i + 1;
    return true;
  }
  const char k = at(2);
  if (k == ':') {
    node->kind = Kind::kPlain;
    node->body = i + 3;
  } else if (k == '=' || k == '!') {
    node->kind = Kind::kLookaround;
    node->body = i + 3;
  } else if (k == '<' && (at(3) == '=' || at(3) == '!')) {
    node->kind = Kind::kLookaround;
    node->body = i + 4;
  } else if (k == '>') {
    node->kind = Kind::kAtomic;
    node->body = i + 3;
  } else if (k == 'P' && at(3) == '<') {
    node->kind = Kind::kCapture;
    node->body = ReadName(re, i + 4, '>', &node->name);
  } else if (k == '<' || k == '\'') {
    node->kind = Kind::kCapture;
    node->body = ReadName(re, i + 3, k == '<' ? '>' : '\'', &node->name);
  } else if (k == '(') {
    node->kind = Kind::kConditional;
    const char c = at(3);
    if (c == '?' || c == '*') {
      node->body = i + 3;  // an assertion condition: parsed as the first child group
    } else {
      std::string name;
      size_t end = std::string::npos;
      if (c == '<' || c == '\'') {
        end = ReadName(re, i + 4, c == '<' ? '>' : '\'', &name);
        if (end == std::string::npos || end >= re.size() || re[end] != ')') return false;
        ++end;
      } else {
        end = ReadName(re, i + 3, ')', &name);
      }
      if (end == std::string::npos) return false;
      // Numbered groups, recursion (R, R1) and DEFINE are other conditions.
      const bool named =
          !std::isdigit(static_cast<unsigned char>(name[0])) && name[0] != 'R' && name != "DEFINE";
      node->name = named ? name : "";
      node->body = end;
    }
  } else {
    return false;
  }
  return node->body != std::string::npos;
}

// The group tree of `re`. False when the regex has what the guard argument does not cover.
bool ParseGroups(const std::string& re, std::vector<Node>* nodes, bool* top_level_bar) {
  std::vector<int> open;
  bool in_class = false;
  *top_level_bar = false;
  for (size_t i = 0; i < re.size(); ++i) {
    const char c = re[i];
    if (c == '\\') {
      const char n = i + 1 < re.size() ? re[i + 1] : '\0';
      // \Q..\E hides structure; \g<name> and \g'name' call a group as a subroutine.
      if (n == 'Q' || (n == 'g' && i + 2 < re.size() && (re[i + 2] == '<' || re[i + 2] == '\'')))
        return false;
      ++i;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      continue;
    }
    if (c == '[') {
      in_class = true;
      if (i + 1 < re.size() && re[i + 1] == '^') ++i;
      if (i + 1 < re.size() && re[i + 1] == ']') ++i;
      continue;
    }
    if (c == '|') {
      if (open.empty()) {
        *top_level_bar = true;
      } else if ((*nodes)[open.back()].first_bar == std::string::npos) {
        (*nodes)[open.back()].first_bar = i;
      }
    }
    if (c == '(') {
      Node node;
      if (!ReadHead(re, i, &node)) return false;
      node.parent = open.empty() ? -1 : open.back();
      open.push_back(static_cast<int>(nodes->size()));
      nodes->push_back(node);
      i = node.body - 1;
      continue;
    }
    if (c == ')') {
      if (open.empty()) return false;
      Node& node = (*nodes)[open.back()];
      open.pop_back();
      node.close = i;
      const size_t q = QuantifierEnd(re, i + 1);
      node.quantified = q != i + 1;
      node.possessive = node.quantified && q < re.size() && re[q] == '+';
    }
  }
  return open.empty() && !in_class;
}

// The group's enclosing groups (and the group) all let the matcher go back into them.
bool FreelyBacktracked(const std::vector<Node>& nodes, int g) {
  for (int n = g; n >= 0; n = nodes[n].parent) {
    const Kind k = nodes[n].kind;
    if ((k != Kind::kPlain && k != Kind::kCapture) || nodes[n].possessive) return false;
  }
  return true;
}

}  // namespace

std::vector<ConditionalGuard> FindConditionalGuards(const std::string& regex) {
  std::vector<Node> nodes;
  bool top_level_bar = false;
  if (!ParseGroups(regex, &nodes, &top_level_bar) || top_level_bar) return {};
  std::vector<ConditionalGuard> guards;
  for (int c = 0; c < static_cast<int>(nodes.size()); ++c) {
    const Node& cond = nodes[c];
    if (cond.kind != Kind::kConditional || cond.parent != -1 || cond.quantified ||
        cond.name.empty()) {
      continue;
    }
    int group = -1, count = 0;
    for (int g = 0; g < static_cast<int>(nodes.size()); ++g) {
      if (nodes[g].kind == Kind::kCapture && nodes[g].name == cond.name) {
        group = g;
        ++count;
      }
    }
    if (count != 1 || nodes[group].close > cond.open || !FreelyBacktracked(nodes, group)) continue;
    const size_t yes_end = std::min(cond.first_bar, cond.close);
    auto literals = RequiredLiterals(regex.substr(cond.body, yes_end - cond.body), 1);
    if (literals.empty()) continue;
    const Node& g = nodes[group];
    const bool overlaps = std::any_of(guards.begin(), guards.end(), [&](const auto& other) {
      return other.group == g.name || (g.body < other.body_end && other.body_begin < g.close);
    });
    if (overlaps) continue;
    guards.push_back({g.name, g.body, g.close, std::move(literals)});
    if (guards.size() == kMaxGuards) break;
  }
  std::sort(guards.begin(), guards.end(),
            [](const auto& a, const auto& b) { return a.body_begin < b.body_begin; });
  return guards;
}

std::string WithGroupsFailed(const std::string& regex,
                             const std::vector<ConditionalGuard>& guards) {
  std::string out;
  size_t at = 0;
  for (const auto& g : guards) {
    out.append(regex, at, g.body_begin - at);
    out += "(*FAIL)";
    at = g.body_end;
  }
  out.append(regex, at, std::string::npos);
  return out;
}

bool GuardHolds(const ConditionalGuard& guard, std::string_view text) {
  for (const auto& literal : guard.literals) {
    if (text.find(literal) != std::string_view::npos) return false;
  }
  return true;
}

}  // namespace failsafe::watch::logs
