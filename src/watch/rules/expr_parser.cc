// Recursive descent with precedence climbing over the tokens of expr_lexer.h, type-checking
// as it goes so that every error points at the operand that is wrong.
#include <re2/re2.h>

#include <algorithm>
#include <cmath>

#include "watch/rules/expr.h"
#include "watch/rules/expr_lexer.h"

namespace failsafe::watch::rules {
namespace {

using ExprPtr = std::unique_ptr<Expr>;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return out;
}

std::string_view TypeName(ValueType t) {
  switch (t) {
    case ValueType::kScalar: return "scalar";
    case ValueType::kVector: return "instant vector";
    case ValueType::kMatrix: return "range vector";
  }
  return "value";
}

struct FuncSpec {
  std::string_view name;
  Func func;
  std::vector<ValueType> args;
  ValueType result = ValueType::kVector;
};

const std::vector<FuncSpec>& Functions() {
  static const std::vector<FuncSpec> kFuncs = {
      {"avg_over_time", Func::kAvgOverTime, {ValueType::kMatrix}},
      {"min_over_time", Func::kMinOverTime, {ValueType::kMatrix}},
      {"max_over_time", Func::kMaxOverTime, {ValueType::kMatrix}},
      {"sum_over_time", Func::kSumOverTime, {ValueType::kMatrix}},
      {"count_over_time", Func::kCountOverTime, {ValueType::kMatrix}},
      {"rate", Func::kRate, {ValueType::kMatrix}},
      {"increase", Func::kIncrease, {ValueType::kMatrix}},
      {"absent", Func::kAbsent, {ValueType::kVector}},
      {"predict_linear", Func::kPredictLinear, {ValueType::kMatrix, ValueType::kScalar}},
      {"time", Func::kTime, {}, ValueType::kScalar},
  };
  return kFuncs;
}

std::optional<AggOp> AggFromName(std::string_view lower) {
  if (lower == "sum") return AggOp::kSum;
  if (lower == "avg") return AggOp::kAvg;
  if (lower == "min") return AggOp::kMin;
  if (lower == "max") return AggOp::kMax;
  if (lower == "count") return AggOp::kCount;
  return std::nullopt;
}

// PromQL aggregations the subset leaves out: named so the refusal says "not supported"
// rather than "unknown".
bool IsOtherAggregation(std::string_view lower) {
  for (std::string_view a : {"group", "stddev", "stdvar", "topk", "bottomk", "count_values",
                             "quantile", "limitk", "limit_ratio"})
    if (lower == a) return true;
  return false;
}

bool IsKeyword(std::string_view lower) {
  for (std::string_view k : {"and", "or", "unless", "by", "without", "on", "ignoring", "bool",
                             "offset", "group_left", "group_right", "atan2"})
    if (lower == k) return true;
  return false;
}

struct OpInfo {
  BinOp op;
  int prec;
};

class Parser {
 public:
  explicit Parser(std::vector<Token> toks) : toks_(std::move(toks)) {}

  Result<ExprPtr> Run() {
    FS_ASSIGN_OR_RETURN(ExprPtr e, ParseBinary(1));
    if (Cur().kind != Tok::kEnd) return Unexpected("an operator or the end of the expression");
    if (e->type == ValueType::kMatrix)
      return Fail(e->pos,
                  "a rule expression must be an instant vector or a scalar, not a range vector "
                  "(wrap it in a function such as rate or avg_over_time)");
    return e;
  }

 private:
  const Token& Cur() const { return toks_[i_]; }
  const Token& Ahead(size_t n) const { return toks_[std::min(i_ + n, toks_.size() - 1)]; }
  void Next() {
    if (i_ + 1 < toks_.size()) ++i_;
  }
  bool IsIdent(std::string_view lower) const {
    return Cur().kind == Tok::kIdent && Lower(Cur().text) == lower;
  }

  static Status Error(Pos p, const std::string& msg) {
    return InvalidArgument(std::to_string(p.line) + ":" + std::to_string(p.col) + ": " + msg);
  }
  static tl::unexpected<Status> Fail(Pos p, const std::string& msg) { return Err(Error(p, msg)); }
  tl::unexpected<Status> Unexpected(std::string_view wanted) const {
    std::string got = Cur().kind == Tok::kEnd ? "end of input"
                      : Cur().kind == Tok::kString
                          ? "string"
                          : std::string(TokName(Cur().kind)) +
                                (Cur().kind == Tok::kIdent || Cur().kind == Tok::kNumber ||
                                         Cur().kind == Tok::kDuration
                                     ? " '" + Cur().text + "'"
                                     : "");
    return Fail(Cur().pos, "unexpected " + got + ", expected " + std::string(wanted));
  }
  Status Expect(Tok kind, std::string_view wanted) {
    if (Cur().kind != kind) return Unexpected(wanted).value();
    Next();
    return Status::Ok();
  }

  std::optional<OpInfo> CurrentOp() const {
    switch (Cur().kind) {
      case Tok::kAdd: return OpInfo{BinOp::kAdd, 4};
      case Tok::kSub: return OpInfo{BinOp::kSub, 4};
      case Tok::kMul: return OpInfo{BinOp::kMul, 5};
      case Tok::kDiv: return OpInfo{BinOp::kDiv, 5};
      case Tok::kEqlEql: return OpInfo{BinOp::kEq, 3};
      case Tok::kNeq: return OpInfo{BinOp::kNe, 3};
      case Tok::kGt: return OpInfo{BinOp::kGt, 3};
      case Tok::kLt: return OpInfo{BinOp::kLt, 3};
      case Tok::kGte: return OpInfo{BinOp::kGe, 3};
      case Tok::kLte: return OpInfo{BinOp::kLe, 3};
      case Tok::kIdent: {
        std::string w = Lower(Cur().text);
        if (w == "and") return OpInfo{BinOp::kAnd, 2};
        if (w == "unless") return OpInfo{BinOp::kUnless, 2};
        if (w == "or") return OpInfo{BinOp::kOr, 1};
        return std::nullopt;
      }
      default: return std::nullopt;
    }
  }

  Result<ExprPtr> ParseBinary(int min_prec) {
    FS_ASSIGN_OR_RETURN(ExprPtr lhs, ParseUnary());
    while (true) {
      if (Cur().kind == Tok::kMod || Cur().kind == Tok::kPow)
        return Fail(Cur().pos, "operator " + std::string(TokName(Cur().kind)) +
                                   " is not supported (use + - * /)");
      if (Cur().kind == Tok::kIdent && Lower(Cur().text) == "atan2")
        return Fail(Cur().pos, "operator 'atan2' is not supported");
      auto info = CurrentOp();
      if (!info || info->prec < min_prec) return lhs;
      const Pos op_pos = Cur().pos;
      Next();
      auto node = std::make_unique<Expr>();
      node->kind = Expr::Kind::kBinary;
      node->op = info->op;
      node->pos = lhs->pos;
      FS_RETURN_IF_ERROR(ParseModifiers(*node, op_pos));
      FS_ASSIGN_OR_RETURN(ExprPtr rhs, ParseBinary(info->prec + 1));
      node->args.push_back(std::move(lhs));
      node->args.push_back(std::move(rhs));
      FS_ASSIGN_OR_RETURN(lhs, CheckBinary(std::move(node), op_pos));
      FS_RETURN_IF_ERROR(SetDepth(*lhs));
    }
  }

  Status ParseModifiers(Expr& node, Pos op_pos) {
    if (IsIdent("bool")) {
      if (!IsComparison(node.op))
        return Error(Cur().pos, "bool modifier is only allowed on comparison operators");
      node.return_bool = true;
      Next();
    }
    if (IsIdent("on") || IsIdent("ignoring")) {
      node.matching.kind =
          IsIdent("on") ? VectorMatching::Kind::kOn : VectorMatching::Kind::kIgnoring;
      Next();
      FS_ASSIGN_OR_RETURN_STATUS(node.matching.labels, ParseLabelList());
    }
    if (IsIdent("group_left") || IsIdent("group_right"))
      return Error(Cur().pos, "'" + Cur().text +
                                  "' (many-to-one matching) is not supported; only one-to-one "
                                  "vector matching is");
    (void)op_pos;
    return Status::Ok();
  }

  Result<ExprPtr> CheckBinary(ExprPtr node, Pos op_pos) {
    const Expr& l = *node->args[0];
    const Expr& r = *node->args[1];
    // Built by appending: GCC 12's -Wrestrict misfires on "'" + std::string(...) at -O2.
    std::string name = "'";
    name += BinOpName(node->op);
    name += "'";
    if (l.type == ValueType::kMatrix || r.type == ValueType::kMatrix) {
      const Expr& bad = l.type == ValueType::kMatrix ? l : r;
      return Fail(bad.pos, "operator " + name +
                               " needs an instant vector or a scalar, not a range "
                               "vector");
    }
    const bool scalars = l.type == ValueType::kScalar && r.type == ValueType::kScalar;
    if (IsSetOp(node->op) && (l.type == ValueType::kScalar || r.type == ValueType::kScalar))
      return Fail(op_pos, "set operator " + name + " needs instant vectors on both sides");
    if (node->matching.kind != VectorMatching::Kind::kDefault &&
        (l.type == ValueType::kScalar || r.type == ValueType::kScalar))
      return Fail(op_pos, "on/ignoring is only allowed between two instant vectors");
    if (scalars && IsComparison(node->op) && !node->return_bool)
      return Fail(op_pos, "comparisons between two scalars must use the bool modifier");
    if (scalars && (l.kind != Expr::Kind::kNumber || r.kind != Expr::Kind::kNumber)) {
      node->type = ValueType::kScalar;  // time() is known only when evaluated
      return node;
    }
    if (scalars) {
      auto folded = std::make_unique<Expr>();
      folded->kind = Expr::Kind::kNumber;
      folded->pos = node->pos;
      folded->number = ScalarBinOp(node->op, l.number, r.number);
      return folded;
    }
    node->type = ValueType::kVector;
    return node;
  }

  Result<ExprPtr> ParseUnary() {
    // Every recursion goes through here, so this bounds the parser's stack. The bound is
    // looser than the tree's: parentheses nest without adding tree depth, and FormatExpr's
    // canonical text (which must parse back) adds up to two levels per tree level.
    if (++nesting_ > 3 * kMaxExprDepth) return Fail(Cur().pos, "expression nested too deeply");
    auto result = ParseUnaryInner();
    --nesting_;
    if (result) FS_RETURN_IF_ERROR(SetDepth(**result));
    return result;
  }

  // Bounds the finished tree too: a long chain `a + a + ... + a` nests without recursing.
  static Status SetDepth(Expr& e) {
    int deepest = 0;
    for (const auto& a : e.args) deepest = std::max(deepest, a->depth);
    e.depth = deepest + 1;
    if (e.depth > kMaxExprDepth)
      return Error(e.pos,
                   "expression nested too deeply (limit " + std::to_string(kMaxExprDepth) + ")");
    return Status::Ok();
  }

  Result<ExprPtr> ParseUnaryInner() {
    if (Cur().kind == Tok::kSub || Cur().kind == Tok::kAdd) {
      const bool negate = Cur().kind == Tok::kSub;
      const Pos pos = Cur().pos;
      Next();
      FS_ASSIGN_OR_RETURN(ExprPtr operand, ParseUnary());
      if (!negate) return operand;
      if (operand->type == ValueType::kMatrix)
        return Fail(operand->pos, "unary '-' needs an instant vector or a scalar");
      if (operand->kind == Expr::Kind::kNumber) {
        operand->number = -operand->number;
        operand->pos = pos;
        return operand;
      }
      auto node = std::make_unique<Expr>();
      node->kind = Expr::Kind::kNegate;
      node->pos = pos;
      node->type = operand->type;
      node->args.push_back(std::move(operand));
      return node;
    }
    FS_ASSIGN_OR_RETURN(ExprPtr e, ParsePrimary());
    FS_RETURN_IF_ERROR(RefuseSuffixes(*e));
    return e;
  }

  // What may follow a value in PromQL but not in the subset.
  Status RefuseSuffixes(const Expr& e) {
    if (IsIdent("offset")) return Error(Cur().pos, "the offset modifier is not supported");
    if (Cur().kind == Tok::kAt) return Error(Cur().pos, "the @ modifier is not supported");
    if (Cur().kind == Tok::kLBracket) {
      if (e.kind == Expr::Kind::kSelector && e.type == ValueType::kMatrix)
        return Error(Cur().pos, "subqueries are not supported");
      return Error(Cur().pos,
                   "a range [...] may only follow a metric selector (subqueries are not "
                   "supported)");
    }
    return Status::Ok();
  }

  Result<ExprPtr> ParsePrimary() {
    const Token& t = Cur();
    switch (t.kind) {
      case Tok::kNumber: {
        auto e = std::make_unique<Expr>();
        e->kind = Expr::Kind::kNumber;
        e->pos = t.pos;
        e->number = t.number;
        Next();
        return e;
      }
      case Tok::kDuration:
        return Fail(t.pos, "a duration such as '" + t.text + "' is only allowed inside [...]");
      case Tok::kString: return Fail(t.pos, "strings are not supported as values");
      case Tok::kLParen: {
        Next();
        FS_ASSIGN_OR_RETURN(ExprPtr inner, ParseBinary(1));
        FS_RETURN_IF_ERROR(Expect(Tok::kRParen, "')'"));
        return inner;
      }
      case Tok::kLBrace: return ParseSelector(t.pos, "");
      case Tok::kIdent: return ParseIdentifier();
      default: return Unexpected("a number, a metric selector, a function or '('");
    }
  }

  Result<ExprPtr> ParseIdentifier() {
    const Token t = Cur();
    const std::string lower = Lower(t.text);
    if (auto agg = AggFromName(lower);
        agg && (Ahead(1).kind == Tok::kLParen ||
                (Ahead(1).kind == Tok::kIdent &&
                 (Lower(Ahead(1).text) == "by" || Lower(Ahead(1).text) == "without")))) {
      return ParseAggregate(*agg);
    }
    if (IsOtherAggregation(lower))
      return Fail(t.pos, "aggregation '" + t.text +
                             "' is not supported (supported: sum, avg, min, max, count)");
    if (IsKeyword(lower)) return Fail(t.pos, "unexpected keyword '" + t.text + "'");
    if (Ahead(1).kind == Tok::kLParen) return ParseCall();
    Next();
    return ParseSelector(t.pos, t.text);
  }

  Result<ExprPtr> ParseCall() {
    const Token name = Cur();
    const FuncSpec* spec = nullptr;
    for (const FuncSpec& f : Functions())
      if (f.name == name.text) spec = &f;
    if (!spec)
      return Fail(name.pos, "unknown or unsupported function '" + name.text +
                                "' (supported: avg_over_time, min_over_time, max_over_time, "
                                "sum_over_time, count_over_time, rate, increase, absent, "
                                "predict_linear, time)");
    Next();  // name
    Next();  // (
    auto e = std::make_unique<Expr>();
    e->kind = Expr::Kind::kCall;
    e->pos = name.pos;
    e->func = spec->func;
    e->type = spec->result;
    if (Cur().kind != Tok::kRParen) {
      while (true) {
        FS_ASSIGN_OR_RETURN(ExprPtr arg, ParseBinary(1));
        e->args.push_back(std::move(arg));
        if (Cur().kind != Tok::kComma) break;
        Next();
      }
    }
    FS_RETURN_IF_ERROR(Expect(Tok::kRParen, "',' or ')'"));
    if (e->args.size() != spec->args.size())
      return Fail(name.pos, "function '" + name.text + "' takes " +
                                std::to_string(spec->args.size()) + " argument(s), got " +
                                std::to_string(e->args.size()));
    for (size_t k = 0; k < spec->args.size(); ++k) {
      if (e->args[k]->type != spec->args[k])
        return Fail(e->args[k]->pos, "argument " + std::to_string(k + 1) + " of '" + name.text +
                                         "' must be a " + std::string(TypeName(spec->args[k])) +
                                         ", got a " + std::string(TypeName(e->args[k]->type)));
    }
    return e;
  }

  Result<ExprPtr> ParseAggregate(AggOp op) {
    auto e = std::make_unique<Expr>();
    e->kind = Expr::Kind::kAggregate;
    e->pos = Cur().pos;
    e->agg = op;
    e->type = ValueType::kVector;
    Next();
    bool grouped = false;
    if (IsIdent("by") || IsIdent("without")) {
      e->without = IsIdent("without");
      Next();
      FS_ASSIGN_OR_RETURN(e->grouping, ParseLabelList());
      grouped = true;
    }
    const Pos open = Cur().pos;
    FS_RETURN_IF_ERROR(Expect(Tok::kLParen, "'('"));
    if (Cur().kind == Tok::kRParen)
      return Fail(open, "aggregation '" + std::string(AggOpName(op)) + "' needs an argument");
    FS_ASSIGN_OR_RETURN(ExprPtr arg, ParseBinary(1));
    if (Cur().kind == Tok::kComma)
      return Fail(Cur().pos, "aggregation '" + std::string(AggOpName(op)) + "' takes one argument");
    FS_RETURN_IF_ERROR(Expect(Tok::kRParen, "')'"));
    if (IsIdent("by") || IsIdent("without")) {
      if (grouped) return Fail(Cur().pos, "by/without given twice in one aggregation");
      e->without = IsIdent("without");
      Next();
      FS_ASSIGN_OR_RETURN(e->grouping, ParseLabelList());
    }
    if (arg->type != ValueType::kVector)
      return Fail(arg->pos, "aggregation '" + std::string(AggOpName(op)) +
                                "' needs an instant vector, got a " +
                                std::string(TypeName(arg->type)));
    e->args.push_back(std::move(arg));
    return e;
  }

  Result<std::vector<std::string>> ParseLabelList() {
    FS_RETURN_IF_ERROR(Expect(Tok::kLParen, "'(' and a list of label names"));
    std::vector<std::string> labels;
    while (Cur().kind != Tok::kRParen) {
      if (Cur().kind != Tok::kIdent || !IsValidLabelName(Cur().text))
        return Unexpected("a label name");
      labels.push_back(Cur().text);
      Next();
      if (Cur().kind == Tok::kComma) {
        Next();
      } else if (Cur().kind != Tok::kRParen) {
        return Unexpected("',' or ')'");
      }
    }
    Next();
    return labels;
  }

  Result<ExprPtr> ParseSelector(Pos pos, const std::string& name) {
    auto e = std::make_unique<Expr>();
    e->kind = Expr::Kind::kSelector;
    e->pos = pos;
    e->type = ValueType::kVector;
    if (!name.empty())
      e->matchers.push_back({std::string(kMetricNameLabel), MatchOp::kEqual, name});
    if (Cur().kind == Tok::kLBrace) {
      Next();
      while (Cur().kind != Tok::kRBrace) {
        FS_RETURN_IF_ERROR(ParseMatcher(*e, !name.empty()));
        if (Cur().kind == Tok::kComma) {
          Next();
        } else if (Cur().kind != Tok::kRBrace) {
          return Unexpected("',' or '}'");
        }
      }
      Next();
    }
    bool selective = false;
    for (const MatcherSpec& m : e->matchers) selective = selective || !MatchesEmpty(m);
    if (!selective)
      return Fail(pos,
                  "a selector needs a metric name or at least one matcher that does not "
                  "match the empty string");
    if (Cur().kind == Tok::kLBracket) {
      Next();
      if (Cur().kind != Tok::kDuration) return Unexpected("a duration such as 5m");
      const Token d = Cur();
      Next();
      if (Cur().kind == Tok::kColon) return Fail(Cur().pos, "subqueries are not supported");
      FS_RETURN_IF_ERROR(Expect(Tok::kRBracket, "']'"));
      if (d.duration_ms <= 0) return Fail(d.pos, "a range must be longer than zero");
      e->range_ms = d.duration_ms;
      e->type = ValueType::kMatrix;
    }
    return e;
  }

  Status ParseMatcher(Expr& e, bool has_name) {
    const Token label = Cur();
    const bool word = label.kind == Tok::kIdent ||
                      (label.kind == Tok::kNumber && !label.text.empty() &&
                       !(label.text[0] >= '0' && label.text[0] <= '9') && label.text[0] != '.');
    if (!word || !IsValidLabelName(label.text)) return Unexpected("a label name").value();
    Next();
    MatcherSpec m;
    m.name = label.text;
    switch (Cur().kind) {
      case Tok::kAssign: m.op = MatchOp::kEqual; break;
      case Tok::kNeq: m.op = MatchOp::kNotEqual; break;
      case Tok::kRegexEq: m.op = MatchOp::kRegexMatch; break;
      case Tok::kRegexNeq: m.op = MatchOp::kRegexNoMatch; break;
      case Tok::kEqlEql: return Error(Cur().pos, "use '=' in a label matcher, not '=='");
      default: return Unexpected("one of = != =~ !~").value();
    }
    Next();
    if (Cur().kind != Tok::kString) return Unexpected("a quoted label value").value();
    m.value = Cur().text;
    const Pos value_pos = Cur().pos;
    Next();
    if (m.name == kMetricNameLabel && has_name)
      return Error(label.pos, "the metric name is given twice (before the braces and as __name__)");
    if (m.op == MatchOp::kRegexMatch || m.op == MatchOp::kRegexNoMatch) {
      RE2 re(m.value, RE2::Quiet);  // unanchored here so the error quotes what was written
      if (!re.ok()) return Error(value_pos, "invalid regular expression: " + re.error());
    }
    e.matchers.push_back(std::move(m));
    return Status::Ok();
  }

  static bool MatchesEmpty(const MatcherSpec& m) {
    switch (m.op) {
      case MatchOp::kEqual: return m.value.empty();
      case MatchOp::kNotEqual: return !m.value.empty();
      case MatchOp::kRegexMatch:
      case MatchOp::kRegexNoMatch: {
        RE2 re("^(?:" + m.value + ")$", RE2::Quiet);
        const bool matches = re.ok() && RE2::FullMatch("", re);
        return m.op == MatchOp::kRegexMatch ? matches : !matches;
      }
    }
    return true;
  }

  std::vector<Token> toks_;
  size_t i_ = 0;
  int nesting_ = 0;
};

}  // namespace

bool IsComparison(BinOp op) {
  return op == BinOp::kEq || op == BinOp::kNe || op == BinOp::kGt || op == BinOp::kLt ||
         op == BinOp::kGe || op == BinOp::kLe;
}
double ScalarBinOp(BinOp op, double a, double b) {
  switch (op) {
    case BinOp::kAdd: return a + b;
    case BinOp::kSub: return a - b;
    case BinOp::kMul: return a * b;
    case BinOp::kDiv: return a / b;
    case BinOp::kEq: return a == b ? 1 : 0;
    case BinOp::kNe: return a != b ? 1 : 0;
    case BinOp::kGt: return a > b ? 1 : 0;
    case BinOp::kLt: return a < b ? 1 : 0;
    case BinOp::kGe: return a >= b ? 1 : 0;
    case BinOp::kLe: return a <= b ? 1 : 0;
    default: return 0;  // the parser refuses set operators between scalars
  }
}

bool IsSetOp(BinOp op) {
  return op == BinOp::kAnd || op == BinOp::kOr || op == BinOp::kUnless;
}

std::string_view BinOpName(BinOp op) {
  switch (op) {
    case BinOp::kAdd: return "+";
    case BinOp::kSub: return "-";
    case BinOp::kMul: return "*";
    case BinOp::kDiv: return "/";
    case BinOp::kEq: return "==";
    case BinOp::kNe: return "!=";
    case BinOp::kGt: return ">";
    case BinOp::kLt: return "<";
    case BinOp::kGe: return ">=";
    case BinOp::kLe: return "<=";
    case BinOp::kAnd: return "and";
    case BinOp::kOr: return "or";
    case BinOp::kUnless: return "unless";
  }
  return "?";
}

std::string_view FuncName(Func f) {
  for (const FuncSpec& s : Functions())
    if (s.func == f) return s.name;
  return "?";
}

std::string_view AggOpName(AggOp op) {
  switch (op) {
    case AggOp::kSum: return "sum";
    case AggOp::kAvg: return "avg";
    case AggOp::kMin: return "min";
    case AggOp::kMax: return "max";
    case AggOp::kCount: return "count";
  }
  return "?";
}

Result<std::unique_ptr<Expr>> ParseExpr(std::string_view text) {
  FS_ASSIGN_OR_RETURN(std::vector<Token> toks, Lex(text));
  return Parser(std::move(toks)).Run();
}

}  // namespace failsafe::watch::rules
