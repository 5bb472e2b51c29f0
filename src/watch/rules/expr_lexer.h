#pragma once
// Tokens of the rule expression language, with their 1-based line:column. The lexer knows
// PromQL's full token set (offset, @, ^, %, ...) so that the parser can refuse what the subset
// leaves out by name, rather than failing on a character it did not expect.
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "watch/rules/expr.h"

namespace failsafe::watch::rules {

enum class Tok {
  kEnd,
  kIdent,     // metric, label, function names and keywords (and, by, offset, ...)
  kNumber,    // 42, 1.5e3, 0x1f, Inf, NaN
  kDuration,  // 5m, 1h30m
  kString,    // "..." '...' `...`, value already unescaped
  kLParen,
  kRParen,
  kLBrace,
  kRBrace,
  kLBracket,
  kRBracket,
  kComma,
  kColon,
  kAt,
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kPow,
  kEqlEql,  // ==
  kNeq,     // !=
  kGt,
  kLt,
  kGte,
  kLte,
  kAssign,    // = (in matchers)
  kRegexEq,   // =~
  kRegexNeq,  // !~
};

struct Token {
  Tok kind = Tok::kEnd;
  Pos pos;
  std::string text;         // the source text; for kString the unescaped value
  double number = 0;        // kNumber
  int64_t duration_ms = 0;  // kDuration
};

// Splits `text` into tokens ending with kEnd, or fails with "line:col: message".
Result<std::vector<Token>> Lex(std::string_view text);

std::string_view TokName(Tok t);

}  // namespace failsafe::watch::rules
