#pragma once
// One regex, confirmed and its groups extracted on a line Hyperscan flagged.
// Two engines, same (Perl, leftmost-first) semantics:
//   - PCRE2 with its JIT runs first: on short log lines it is about twice as fast as RE2
//     (measured on bench/logs: 0.5 s against 1.0 s of CPU for 2M lines), and it runs what RE2
//     cannot (lookaround, conditionals, backreferences: fail2ban's sshd filter has all three);
//   - its backtracking is capped (a match limit); when a line hits the cap, RE2 (linear time)
//     answers instead, so a hostile line costs bounded time and still gets the right answer.
//     RE2 compiles the regex when first needed (most runs never hit the cap). A regex RE2
//     cannot run has no fallback: the line counts as no match, and the hit is counted
//     (limit_hits), never silent.
// Both work on bytes (Latin-1): binary junk and invalid UTF-8 are just bytes.
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
  // `use_guards`: PCRE2 skips branches a conditional guard proves hopeless on the line
  // (conditional_guard.h); off only to check that the answers are the same.
  static Result<std::unique_ptr<Pattern>> Compile(const std::string& regex, bool needs_backtracking,
                                                  bool use_guards = true);
  virtual ~Pattern() = default;

  // Searches `text` (unanchored unless the regex anchors); fills `groups` when it matches.
  virtual bool Search(std::string_view text, Groups* groups) const = 0;
  // Matches at the start of `text` only; on success sets `end` to where the match ends. No
  // groups: the cheapest question (RE2 answers it with its DFA alone).
  virtual bool MatchPrefix(std::string_view text, size_t* end) const = 0;
  // The index of the named group, or -1.
  virtual int GroupIndex(const std::string& name) const = 0;
  virtual std::vector<std::string> GroupNames() const = 0;
  virtual bool backtracking() const = 0;       // true: no RE2 form (lookaround, ...)
  virtual size_t guards() const { return 0; }  // conditional guards in use (Explain)

  // Lines where PCRE2 hit its match limit: answered by RE2, or (no RE2 form) not matched.
  uint64_t limit_hits() const { return limit_hits_; }

 protected:
  mutable uint64_t limit_hits_ = 0;
};

}  // namespace failsafe::watch::logs
