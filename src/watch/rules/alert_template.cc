#include "watch/rules/alert_template.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <variant>

#include "watch/rules/expr_lexer.h"

namespace failsafe::watch::rules {
namespace {

// C's %.4g, but spelled the way Go spells NaN and infinities.
std::string G4(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return fmt::format("{:.4g}", v);
}

enum class Fn {
  kHumanize,
  kHumanize1024,
  kHumanizePercentage,
  kHumanizeDuration,
  kPrintf,
  kToUpper,
  kToLower
};

struct Operand {
  enum class Kind { kLabel, kValue, kString, kNumber } kind = Kind::kValue;
  std::string text;  // label name or string literal
  double number = 0;
};

struct Command {
  bool is_function = false;
  Fn fn = Fn::kHumanize;
  std::vector<Operand> args;  // an operand command has exactly one
};

using Datum = std::variant<std::string, double>;

std::string ToText(const Datum& d) {
  if (const auto* s = std::get_if<std::string>(&d)) return *s;
  return GoFloat(std::get<double>(d));
}

double ToNumber(const Datum& d) {
  if (const auto* v = std::get_if<double>(&d)) return *v;
  const std::string& s = std::get<std::string>(d);
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  return end && *end == '\0' && !s.empty() ? v : std::nan("");
}

// printf with the verbs rule annotations use: %s %d %f %g %e %v %% with flags, width and
// precision. Anything else prints Go's %!verb marker, like Go does.
std::string Printf(const std::string& format, const std::vector<Datum>& args) {
  std::string out;
  size_t next = 0;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') {
      out += format[i];
      continue;
    }
    size_t j = i + 1;
    while (j < format.size() && std::string_view("-+ #0").find(format[j]) != std::string::npos) ++j;
    // Width and precision of at most two digits each: a template must not be able to make one
    // annotation megabytes long.
    size_t width_digits = 0, precision_digits = 0;
    while (j < format.size() && format[j] >= '0' && format[j] <= '9') ++j, ++width_digits;
    if (j < format.size() && format[j] == '.') {
      ++j;
      while (j < format.size() && format[j] >= '0' && format[j] <= '9') ++j, ++precision_digits;
    }
    if (j >= format.size()) {
      out += "%!(NOVERB)";
      break;
    }
    const char verb = format[j];
    const std::string spec = format.substr(i, j - i);
    i = j;
    if (width_digits > 2 || precision_digits > 2) {
      out += std::string("%!") + verb + "(BADWIDTH)";
      ++next;
      continue;
    }
    if (verb == '%') {
      out += '%';
      continue;
    }
    if (next >= args.size()) {
      out += std::string("%!") + verb + "(MISSING)";
      continue;
    }
    const Datum& a = args[next++];
    char buf[512];
    switch (verb) {
      case 'd': {
        const double v = ToNumber(a);
        // Outside long long's range the conversion would be undefined; Go prints such a
        // float with %d as a marker too.
        if (!(std::fabs(v) < 9.2e18)) {
          out += "%!d(float64=" + GoFloat(v) + ")";
          break;
        }
        std::snprintf(buf, sizeof buf, (spec + "lld").c_str(), static_cast<long long>(v));
        out += buf;
        break;
      }
      case 'f':
      case 'g':
      case 'e':
        if (std::isfinite(ToNumber(a))) {
          std::snprintf(buf, sizeof buf, (spec + verb).c_str(), ToNumber(a));
          out += buf;
        } else {
          out += G4(ToNumber(a));
        }
        break;
      case 's':
      case 'v': {
        const std::string s = ToText(a);
        std::snprintf(buf, sizeof buf, (spec + "s").c_str(), s.c_str());
        out += buf;
        break;
      }
      default: out += std::string("%!") + verb + "(" + ToText(a) + ")";
    }
  }
  return out;
}

}  // namespace

struct AlertTemplate::Part {
  std::string literal;
  std::vector<Command> pipeline;  // empty: a literal
};

std::string GoFloat(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  // Go's %v: shortest digits, exponent form when the exponent is < -4 or >= 6 (Go's
  // strconv uses precision 6 for that decision when printing the shortest digits).
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string e(buf, ec == std::errc() ? end : buf);
  const size_t at = e.find('e');
  const int exp = at == std::string::npos ? 0 : std::atoi(e.c_str() + at + 1);
  if (exp < -4 || exp >= 6) {
    // Go writes at least two exponent digits: 1e-05, 1.5e+06.
    std::string mantissa = e.substr(0, at), digits = e.substr(at + 2);
    if (digits.size() < 2) digits = "0" + digits;
    return mantissa + "e" + (exp < 0 ? "-" : "+") + digits;
  }
  return fmt::format("{}", v);
}

std::string Humanize(double v) {
  if (v == 0 || std::isnan(v) || std::isinf(v)) return G4(v);
  std::string prefix;
  if (std::fabs(v) >= 1) {
    for (const char* p : {"k", "M", "G", "T", "P", "E", "Z", "Y"}) {
      if (std::fabs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
  } else {
    for (const char* p : {"m", "u", "n", "p", "f", "a", "z", "y"}) {
      if (std::fabs(v) >= 1) break;
      prefix = p;
      v *= 1000;
    }
  }
  return G4(v) + prefix;
}

std::string Humanize1024(double v) {
  if (std::fabs(v) <= 1 || std::isnan(v) || std::isinf(v)) return G4(v);
  std::string prefix;
  for (const char* p : {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"}) {
    if (std::fabs(v) < 1024) break;
    prefix = p;
    v /= 1024;
  }
  return G4(v) + prefix;
}

std::string HumanizePercentage(double v) {
  return G4(v * 100) + "%";
}

std::string HumanizeDuration(double v) {
  if (std::isnan(v) || std::isinf(v)) return G4(v);
  if (v == 0) return "0s";
  if (std::fabs(v) >= 1) {
    const std::string sign = v < 0 ? "-" : "";
    v = std::fabs(v);
    const auto total = static_cast<long long>(v);
    const long long seconds = total % 60, minutes = (total / 60) % 60, hours = (total / 3600) % 24,
                    days = total / 86400;
    if (days != 0) return fmt::format("{}{}d {}h {}m {}s", sign, days, hours, minutes, seconds);
    if (hours != 0) return fmt::format("{}{}h {}m {}s", sign, hours, minutes, seconds);
    if (minutes != 0) return fmt::format("{}{}m {}s", sign, minutes, seconds);
    return sign + G4(v) + "s";
  }
  std::string prefix;
  for (const char* p : {"m", "u", "n", "p", "f", "a", "z", "y"}) {
    if (std::fabs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return G4(v) + prefix + "s";
}

namespace {

bool IsActionKeyword(std::string_view word) {
  for (std::string_view kw : {"if", "else", "end", "range", "with", "define", "template", "block",
                              "break", "continue", "nil"})
    if (word == kw) return true;
  return false;
}

class TemplateParser {
 public:
  explicit TemplateParser(std::string_view text) : text_(text) {}

  Result<std::vector<AlertTemplate::Part>> Run() {
    std::vector<AlertTemplate::Part> parts;
    size_t i = 0;
    bool trim_next_text = false;
    while (i <= text_.size()) {
      const size_t open = text_.find("{{", i);
      std::string literal(text_.substr(i, open == std::string_view::npos ? text_.npos : open - i));
      if (trim_next_text) literal.erase(0, literal.find_first_not_of(" \t\r\n"));
      if (open == std::string_view::npos) {
        if (!literal.empty()) parts.push_back({literal, {}});
        break;
      }
      size_t body = open + 2;
      if (body < text_.size() && text_[body] == '-' && body + 1 < text_.size() &&
          (text_[body + 1] == ' ' || text_[body + 1] == '\t' || text_[body + 1] == '\n')) {
        const size_t keep = literal.find_last_not_of(" \t\r\n");
        literal.erase(keep == std::string::npos ? 0 : keep + 1);
        ++body;
      }
      if (!literal.empty()) parts.push_back({literal, {}});
      const size_t close = text_.find("}}", body);
      if (close == std::string_view::npos) return Fail(open, "unclosed action: missing '}}'");
      size_t end = close;
      trim_next_text = false;
      if (end > body && text_[end - 1] == '-' && end - 1 > body &&
          (text_[end - 2] == ' ' || text_[end - 2] == '\t' || text_[end - 2] == '\n')) {
        trim_next_text = true;
        --end;
      }
      FS_ASSIGN_OR_RETURN(auto pipeline, ParseAction(body, text_.substr(body, end - body)));
      parts.push_back({"", std::move(pipeline)});
      i = close + 2;
    }
    return parts;
  }

 private:
  Pos PosOf(size_t offset) const {
    Pos p;
    for (size_t k = 0; k < offset && k < text_.size(); ++k) {
      if (text_[k] == '\n') {
        ++p.line;
        p.col = 1;
      } else {
        ++p.col;
      }
    }
    return p;
  }
  tl::unexpected<Status> Fail(size_t offset, const std::string& msg) const {
    const Pos p = PosOf(offset);
    return Err(InvalidArgument(std::to_string(p.line) + ":" + std::to_string(p.col) + ": " + msg));
  }

  // One action's pipeline, lexed with the expression lexer (its identifiers, strings and
  // numbers are Go's closely enough); `$` and `.` are taken apart here first.
  Result<std::vector<Command>> ParseAction(size_t offset, std::string_view action) {
    std::vector<std::vector<std::string_view>> commands(1);
    std::vector<std::vector<size_t>> offsets(1);
    size_t k = 0;
    while (k < action.size()) {
      const char c = action[k];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++k;
      } else if (c == '|') {
        if (commands.back().empty()) return Fail(offset + k, "empty command before '|'");
        commands.emplace_back();
        offsets.emplace_back();
        ++k;
      } else if (c == '"' || c == '`') {
        size_t e = k + 1;
        while (e < action.size() && action[e] != c) e += (action[e] == '\\' && c == '"') ? 2 : 1;
        if (e >= action.size()) return Fail(offset + k, "unterminated string");
        commands.back().push_back(action.substr(k, e + 1 - k));
        offsets.back().push_back(offset + k);
        k = e + 1;
      } else {
        size_t e = k;
        while (e < action.size() && std::string_view(" \t\r\n|\"`").find(action[e]) == action.npos)
          ++e;
        commands.back().push_back(action.substr(k, e - k));
        offsets.back().push_back(offset + k);
        k = e;
      }
    }
    if (commands.back().empty())
      return Fail(offset, commands.size() == 1 ? "empty action" : "empty command after '|'");
    std::vector<Command> out;
    for (size_t c = 0; c < commands.size(); ++c) {
      FS_ASSIGN_OR_RETURN(Command cmd, ParseCommand(commands[c], offsets[c], c > 0));
      out.push_back(std::move(cmd));
    }
    return out;
  }

  Result<Command> ParseCommand(const std::vector<std::string_view>& words,
                               const std::vector<size_t>& offsets, bool piped) {
    Command cmd;
    static const std::pair<std::string_view, Fn> kFns[] = {
        {"humanize", Fn::kHumanize},
        {"humanize1024", Fn::kHumanize1024},
        {"humanizePercentage", Fn::kHumanizePercentage},
        {"humanizeDuration", Fn::kHumanizeDuration},
        {"printf", Fn::kPrintf},
        {"toUpper", Fn::kToUpper},
        {"toLower", Fn::kToLower},
    };
    size_t first_arg = 0;
    for (auto [name, fn] : kFns) {
      if (words[0] == name) {
        cmd.is_function = true;
        cmd.fn = fn;
        first_arg = 1;
      }
    }
    const char lead = words[0][0];
    if (!cmd.is_function && ((lead >= 'a' && lead <= 'z') || (lead >= 'A' && lead <= 'Z')) &&
        !IsActionKeyword(words[0]))
      return Fail(offsets[0], "'" + std::string(words[0]) +
                                  "' is not a supported function (humanize, humanize1024, "
                                  "humanizePercentage, humanizeDuration, printf, toUpper, "
                                  "toLower)");
    for (size_t w = first_arg; w < words.size(); ++w) {
      FS_ASSIGN_OR_RETURN(Operand op, ParseOperand(words[w], offsets[w]));
      cmd.args.push_back(std::move(op));
    }
    const size_t given = cmd.args.size() + (piped ? 1 : 0);
    if (!cmd.is_function) {
      if (piped || words.size() != 1)
        return Fail(offsets[0], "'" + std::string(words[0]) +
                                    "' is not a supported function (humanize, humanize1024, "
                                    "humanizePercentage, humanizeDuration, printf, toUpper, "
                                    "toLower)");
    } else if (cmd.fn == Fn::kPrintf) {
      if (cmd.args.empty() || cmd.args[0].kind != Operand::Kind::kString)
        return Fail(offsets[0], "printf needs a quoted format string first");
    } else if (given != 1) {
      return Fail(offsets[0], "'" + std::string(words[0]) + "' takes one argument, got " +
                                  std::to_string(given));
    }
    return cmd;
  }

  Result<Operand> ParseOperand(std::string_view word, size_t offset) {
    Operand op;
    for (std::string_view prefix : {"$labels.", ".Labels."}) {
      if (word.starts_with(prefix)) {
        op.kind = Operand::Kind::kLabel;
        op.text = std::string(word.substr(prefix.size()));
        if (!IsValidLabelName(op.text))
          return Fail(offset, "'" + op.text + "' is not a valid label name");
        return op;
      }
    }
    if (word == "$value" || word == ".Value") return op;
    if (word == "$labels" || word == ".Labels")
      return Fail(offset, "name one label: $labels.<name>");
    if (word[0] == '"' || word[0] == '`' || (word[0] >= '0' && word[0] <= '9') || word[0] == '-') {
      auto toks = Lex(word);
      if (toks && toks->size() == 2 &&
          ((*toks)[0].kind == Tok::kString || (*toks)[0].kind == Tok::kNumber)) {
        op.kind = (*toks)[0].kind == Tok::kString ? Operand::Kind::kString : Operand::Kind::kNumber;
        op.text = (*toks)[0].text;
        op.number = (*toks)[0].number;
        return op;
      }
      if (word[0] == '-' && word.size() > 1 && word[1] != '-') {
        auto n = ParseOperand(word.substr(1), offset + 1);
        if (n && n->kind == Operand::Kind::kNumber) {
          n->number = -n->number;
          return n;
        }
      }
      return Fail(offset, "invalid literal '" + std::string(word) + "'");
    }
    if (IsActionKeyword(word))
      return Fail(offset, "template action '" + std::string(word) + "' is not supported");
    return Fail(offset, "unsupported template operand '" + std::string(word) +
                            "' (use $labels.<name>, $value, a string or a number)");
  }

  std::string_view text_;
};

Datum Eval(const Operand& op, const Labels& labels, double value) {
  switch (op.kind) {
    case Operand::Kind::kLabel: return std::string(LabelValue(labels, op.text));
    case Operand::Kind::kValue: return value;
    case Operand::Kind::kString: return op.text;
    case Operand::Kind::kNumber: return op.number;
  }
  return std::string();
}

Datum Apply(const Command& cmd, const Labels& labels, double value,
            const std::optional<Datum>& piped) {
  std::vector<Datum> args;
  for (const Operand& op : cmd.args) args.push_back(Eval(op, labels, value));
  if (piped) args.push_back(*piped);
  if (!cmd.is_function) return args[0];
  switch (cmd.fn) {
    case Fn::kHumanize: return Humanize(ToNumber(args[0]));
    case Fn::kHumanize1024: return Humanize1024(ToNumber(args[0]));
    case Fn::kHumanizePercentage: return HumanizePercentage(ToNumber(args[0]));
    case Fn::kHumanizeDuration: return HumanizeDuration(ToNumber(args[0]));
    case Fn::kPrintf: {
      const std::string format = std::get<std::string>(args[0]);
      args.erase(args.begin());
      return Printf(format, args);
    }
    case Fn::kToUpper:
    case Fn::kToLower: {
      std::string s = ToText(args[0]);
      for (char& c : s) {
        if (cmd.fn == Fn::kToUpper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
        if (cmd.fn == Fn::kToLower && c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      }
      return s;
    }
  }
  return std::string();
}

}  // namespace

Result<AlertTemplate> AlertTemplate::Parse(std::string_view text) {
  FS_ASSIGN_OR_RETURN(auto parts, TemplateParser(text).Run());
  AlertTemplate t;
  t.parts_ = std::make_shared<const std::vector<Part>>(std::move(parts));
  return t;
}

bool AlertTemplate::is_constant() const {
  for (const Part& p : *parts_)
    if (!p.pipeline.empty()) return false;
  return true;
}

std::string AlertTemplate::Render(const Labels& labels, double value) const {
  std::string out;
  for (const Part& p : *parts_) {
    if (p.pipeline.empty()) {
      out += p.literal;
      continue;
    }
    std::optional<Datum> piped;
    for (const Command& cmd : p.pipeline) piped = Apply(cmd, labels, value, piped);
    out += ToText(*piped);
  }
  return out;
}

}  // namespace failsafe::watch::rules
