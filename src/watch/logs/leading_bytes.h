#pragma once
// What a regex's matches start with (bytes, literals), for regexes anchored at the start of
// the text.
//
// fail2ban filters cut each line into a prefix (date, host, daemon) and its content, and
// anchor every failregex at the content's start (`^Failed ...`, `^Invalid user ...`). Once
// the prefix is matched, the content's first byte already rules out most regexes: a table
// from that byte to the regexes that can start with it replaces a Hyperscan scan of the
// whole line (engine.h), which costs more than the prefix match and the few regex calls the
// table leaves; the literals every match starts with ("Failed publickey for invalid user ")
// then spare most of those calls.
//
// The answer is a superset (constructs it does not follow count as "any byte"), never a
// subset: a regex is only skipped when it cannot match.
#include <bitset>
#include <optional>
#include <string>
#include <vector>

namespace failsafe::watch::logs {

using ByteSet = std::bitset<256>;

struct MatchStart {
  ByteSet bytes;  // all bytes when the regex can match the empty string
  // Every match starts with one of these; empty when no such set is known (at most 16).
  std::vector<std::string> literals;
};

// For `regex` in engine syntax (regex_syntax.h), when every top-level branch starts with ^
// or \A. nullopt when a branch is not anchored so, or the regex uses verbs, inline flags or
// other constructs this does not follow before its first byte is fixed.
std::optional<MatchStart> AnchoredStart(const std::string& regex);

}  // namespace failsafe::watch::logs
