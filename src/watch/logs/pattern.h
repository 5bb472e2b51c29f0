#pragma once
// One regex, confirmed and its groups extracted on a line Hyperscan flagged. RE2 runs it when
// it can (linear time); regexes that need a backtracking engine (lookaround, conditionals,
// backreferences: fail2ban's sshd filter has all three) run on PCRE2 with its JIT and a match
// limit, so a hostile line costs bounded time. Both work on bytes (Latin-1), so binary junk
// and invalid UTF-8 are just bytes.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace failsafe::watch::logs {

// The span of each group of one match (index 0: the whole match). A group that did not take
// part is {nullptr, 0}.
struct Groups {
  std::vector<std::string_view> spans;
  bool Took(int index) const {
    return index >= 0 && static_cast<size_t>(index) < spans.size() && spans[index].data();
  }
};

class Pattern {
 public:
  // `regex` in engine syntax (regex_syntax.h). Errors carry the engine's message.
  static Result<std::unique_ptr<Pattern>> Compile(const std::string& regex,
                                                  bool needs_backtracking);
  virtual ~Pattern() = default;

  // Searches `text` (unanchored unless the regex anchors); fills `groups` when it matches.
  virtual bool Search(std::string_view text, Groups* groups) const = 0;
  // Matches at the start of `text` only; on success sets `end` to where the match ends. No
  // groups: the cheapest question (RE2 answers it with its DFA alone).
  virtual bool MatchPrefix(std::string_view text, size_t* end) const = 0;
  // The index of the named group, or -1.
  virtual int GroupIndex(const std::string& name) const = 0;
  virtual std::vector<std::string> GroupNames() const = 0;
  virtual bool backtracking() const = 0;
};

}  // namespace failsafe::watch::logs
