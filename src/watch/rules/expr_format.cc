// FormatExpr: the canonical text of a tree, used in error messages, `rules check` output and
// the fuzzer's round trip. Binary operands are parenthesised whenever they are themselves
// operators, so the output never depends on precedence.
#include <fmt/format.h>

#include <cctype>
#include <cmath>

#include "base/duration.h"
#include "watch/rules/expr.h"

namespace failsafe::watch::rules {
namespace {

std::string Quote(std::string_view v) {
  std::string out = "\"";
  for (char c : v) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
          out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

bool IsMetricName(std::string_view s) {
  if (!IsValidMetricName(s)) return false;
  // The lexer starts a name with ':' only before a letter, '_' or ':' (else "[5m:1m]" breaks).
  if (s[0] == ':' && (s.size() < 2 || !(std::isalpha(static_cast<unsigned char>(s[1])) ||
                                        s[1] == '_' || s[1] == ':')))
    return false;
  // Names the lexer reads as something else must stay inside the braces.
  std::string lower(s);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  for (std::string_view k :
       {"inf",          "nan",      "and",      "or",         "unless", "by",
        "without",      "on",       "ignoring", "bool",       "offset", "group_left",
        "group_right",  "atan2",    "sum",      "avg",        "min",    "max",
        "count",        "group",    "stddev",   "stdvar",     "topk",   "bottomk",
        "count_values", "quantile", "limitk",   "limit_ratio"})
    if (lower == k) return false;
  return true;
}

std::string_view OpText(MatchOp op) {
  switch (op) {
    case MatchOp::kEqual: return "=";
    case MatchOp::kNotEqual: return "!=";
    case MatchOp::kRegexMatch: return "=~";
    case MatchOp::kRegexNoMatch: return "!~";
  }
  return "=";
}

std::string LabelList(const std::vector<std::string>& labels) {
  return "(" + fmt::format("{}", fmt::join(labels, ", ")) + ")";
}

std::string Operand(const Expr& e) {
  const std::string s = FormatExpr(e);
  // NaN prints without a sign, so a NaN with its sign bit set (0/0 on x86) needs no parens.
  const bool negative_number =
      e.kind == Expr::Kind::kNumber && std::signbit(e.number) && !std::isnan(e.number);
  return e.kind == Expr::Kind::kBinary || negative_number ? "(" + s + ")" : s;
}

}  // namespace

std::string FormatExpr(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::kNumber:
      if (std::isnan(e.number)) return "NaN";
      if (std::isinf(e.number)) return e.number > 0 ? "Inf" : "-Inf";
      return fmt::format("{}", e.number);
    case Expr::Kind::kSelector: {
      std::string out;
      size_t first = 0;
      if (!e.matchers.empty() && e.matchers[0].name == kMetricNameLabel &&
          e.matchers[0].op == MatchOp::kEqual && IsMetricName(e.matchers[0].value)) {
        out = e.matchers[0].value;
        first = 1;
      }
      if (first < e.matchers.size() || out.empty()) {
        out += "{";
        for (size_t i = first; i < e.matchers.size(); ++i) {
          if (i > first) out += ", ";
          out += e.matchers[i].name + std::string(OpText(e.matchers[i].op)) +
                 Quote(e.matchers[i].value);
        }
        out += "}";
      }
      if (e.range_ms > 0) out += "[" + FormatDuration(std::chrono::milliseconds(e.range_ms)) + "]";
      return out;
    }
    case Expr::Kind::kCall: {
      std::vector<std::string> args;
      for (const auto& a : e.args) args.push_back(FormatExpr(*a));
      return std::string(FuncName(e.func)) + "(" + fmt::format("{}", fmt::join(args, ", ")) + ")";
    }
    case Expr::Kind::kAggregate: {
      std::string out(AggOpName(e.agg));
      if (e.without || !e.grouping.empty())
        out += (e.without ? " without " : " by ") + LabelList(e.grouping) + " ";
      return out + "(" + FormatExpr(*e.args[0]) + ")";
    }
    case Expr::Kind::kBinary: {
      std::string op(BinOpName(e.op));
      if (e.return_bool) op += " bool";
      if (e.matching.kind != VectorMatching::Kind::kDefault)
        op += (e.matching.kind == VectorMatching::Kind::kOn ? " on" : " ignoring") +
              LabelList(e.matching.labels);
      return Operand(*e.args[0]) + " " + op + " " + Operand(*e.args[1]);
    }
    case Expr::Kind::kNegate: return "-(" + FormatExpr(*e.args[0]) + ")";
  }
  return "";
}

}  // namespace failsafe::watch::rules
