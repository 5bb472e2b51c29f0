#pragma once
// The bytes a regex's matches can start with, for regexes anchored at the start of the text.
//
// fail2ban filters cut each line into a prefix (date, host, daemon) and its content, and
// anchor every failregex at the content's start (`^Failed ...`, `^Invalid user ...`). Once
// the prefix is matched, the content's first byte already rules out most regexes: a table
// from that byte to the regexes that can start with it replaces a Hyperscan scan of the
// whole line (engine.h), which costs more than the prefix match and the few regex calls the
// table leaves.
//
// The answer is a superset (constructs it does not follow count as "any byte"), never a
// subset: a regex is only skipped when it cannot match.
#include <bitset>
#include <optional>
#include <string>

namespace failsafe::watch::logs {

using ByteSet = std::bitset<256>;

// For `regex` in engine syntax (regex_syntax.h): the bytes its matches can start with, when
// every top-level branch starts with ^ or \A. nullopt when a branch is not anchored so, or
// the regex uses verbs, inline flags or other constructs this does not follow. A regex that
// can match the empty string may start anywhere: all bytes.
std::optional<ByteSet> LeadingBytes(const std::string& regex);

}  // namespace failsafe::watch::logs
