#include "watch/rules/expr_lexer.h"

#include <cstdlib>
#include <limits>

#include "base/duration.h"

namespace failsafe::watch::rules {
namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsHex(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool IsAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsIdentChar(char c) {
  return IsAlpha(c) || IsDigit(c) || c == ':';
}

int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> out;
    while (true) {
      SkipSpaceAndComments();
      Token tok;
      tok.pos = pos_;
      if (i_ >= text_.size()) {
        out.push_back(std::move(tok));
        return out;
      }
      FS_RETURN_IF_ERROR(Next(tok));
      out.push_back(std::move(tok));
    }
  }

 private:
  Status Error(Pos at, const std::string& msg) const {
    return InvalidArgument(std::to_string(at.line) + ":" + std::to_string(at.col) + ": " + msg);
  }

  char Peek(size_t ahead = 0) const { return i_ + ahead < text_.size() ? text_[i_ + ahead] : '\0'; }
  void Advance() {
    if (text_[i_] == '\n') {
      ++pos_.line;
      pos_.col = 1;
    } else {
      ++pos_.col;
    }
    ++i_;
  }

  void SkipSpaceAndComments() {
    while (i_ < text_.size()) {
      char c = text_[i_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        Advance();
      } else if (c == '#') {
        while (i_ < text_.size() && text_[i_] != '\n') Advance();
      } else {
        break;
      }
    }
  }

  Status Next(Token& tok) {
    const size_t start = i_;
    const char c = Peek();
    if (IsDigit(c) || (c == '.' && IsDigit(Peek(1)))) return Number(tok);
    if (IsAlpha(c) || (c == ':' && (IsAlpha(Peek(1)) || Peek(1) == ':'))) {
      while (i_ < text_.size() && IsIdentChar(text_[i_])) Advance();
      tok.text = std::string(text_.substr(start, i_ - start));
      std::string lower;
      for (char ch : tok.text) lower += static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
      if (lower == "inf" || lower == "nan") {
        tok.kind = Tok::kNumber;
        tok.number = lower == "inf" ? std::numeric_limits<double>::infinity()
                                    : std::numeric_limits<double>::quiet_NaN();
      } else {
        tok.kind = Tok::kIdent;
      }
      return Status::Ok();
    }
    if (c == '"' || c == '\'' || c == '`') return String(tok);
    struct Op {
      std::string_view text;
      Tok kind;
    };
    static constexpr Op kOps[] = {
        {"==", Tok::kEqlEql},  {"!=", Tok::kNeq},      {">=", Tok::kGte},     {"<=", Tok::kLte},
        {"=~", Tok::kRegexEq}, {"!~", Tok::kRegexNeq}, {"(", Tok::kLParen},   {")", Tok::kRParen},
        {"{", Tok::kLBrace},   {"}", Tok::kRBrace},    {"[", Tok::kLBracket}, {"]", Tok::kRBracket},
        {",", Tok::kComma},    {":", Tok::kColon},     {"@", Tok::kAt},       {"+", Tok::kAdd},
        {"-", Tok::kSub},      {"*", Tok::kMul},       {"/", Tok::kDiv},      {"%", Tok::kMod},
        {"^", Tok::kPow},      {">", Tok::kGt},        {"<", Tok::kLt},       {"=", Tok::kAssign},
    };
    for (const Op& op : kOps) {
      if (text_.substr(i_, op.text.size()) == op.text) {
        for (size_t k = 0; k < op.text.size(); ++k) Advance();
        tok.kind = op.kind;
        tok.text = std::string(op.text);
        return Status::Ok();
      }
    }
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F)
      return Error(pos_, "unexpected byte 0x" + ToHex(static_cast<unsigned char>(c)));
    return Error(pos_, std::string("unexpected character '") + c + "'");
  }

  static std::string ToHex(unsigned v) {
    const char* digits = "0123456789abcdef";
    return {digits[v >> 4], digits[v & 15]};
  }

  Status Number(Token& tok) {
    const size_t start = i_;
    bool plain_integer = true;
    if (Peek() == '0' && (Peek(1) == 'x' || Peek(1) == 'X') && IsHex(Peek(2))) {
      Advance();
      Advance();
      while (IsHex(Peek())) Advance();
    } else {
      while (IsDigit(Peek())) Advance();
      if (Peek() == '.') {
        plain_integer = false;
        Advance();
        while (IsDigit(Peek())) Advance();
      }
      const bool exp_digits =
          IsDigit(Peek(1)) || ((Peek(1) == '+' || Peek(1) == '-') && IsDigit(Peek(2)));
      if ((Peek() == 'e' || Peek() == 'E') && exp_digits) {
        plain_integer = false;
        Advance();
        if (Peek() == '+' || Peek() == '-') Advance();
        while (IsDigit(Peek())) Advance();
      }
    }
    if (plain_integer && IsAlpha(Peek())) {
      // A duration: digits and unit letters run together, "5m", "1h30m".
      while (IsDigit(Peek()) || (Peek() >= 'a' && Peek() <= 'z')) Advance();
      tok.kind = Tok::kDuration;
      tok.text = std::string(text_.substr(start, i_ - start));
      auto d = ParseDuration(tok.text);
      if (!d) return Error(tok.pos, d.error().message());
      tok.duration_ms = d->count();
      return Status::Ok();
    }
    if (IsIdentChar(Peek())) return Error(pos_, "unexpected character after number");
    tok.kind = Tok::kNumber;
    tok.text = std::string(text_.substr(start, i_ - start));
    tok.number = std::strtod(tok.text.c_str(), nullptr);
    return Status::Ok();
  }

  Status String(Token& tok) {
    const char quote = Peek();
    tok.kind = Tok::kString;
    Advance();
    while (true) {
      if (i_ >= text_.size()) return Error(tok.pos, "unterminated string");
      const char c = Peek();
      if (c == quote) {
        Advance();
        return Status::Ok();
      }
      if (quote == '`') {
        tok.text += c;
        Advance();
        continue;
      }
      if (c == '\n') return Error(tok.pos, "unterminated string (newline inside quotes)");
      if (c != '\\') {
        tok.text += c;
        Advance();
        continue;
      }
      const Pos escape_pos = pos_;
      Advance();
      if (i_ >= text_.size()) return Error(tok.pos, "unterminated string");
      const char e = Peek();
      Advance();
      switch (e) {
        case 'a': tok.text += '\a'; break;
        case 'b': tok.text += '\b'; break;
        case 'f': tok.text += '\f'; break;
        case 'n': tok.text += '\n'; break;
        case 'r': tok.text += '\r'; break;
        case 't': tok.text += '\t'; break;
        case 'v': tok.text += '\v'; break;
        case '\\': tok.text += '\\'; break;
        case '\'': tok.text += '\''; break;
        case '"': tok.text += '"'; break;
        case 'x':
        case 'u':
        case 'U': {
          const int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          uint32_t v = 0;
          for (int k = 0; k < digits; ++k) {
            if (!IsHex(Peek())) return Error(escape_pos, "invalid escape: expected hex digits");
            v = v * 16 + HexValue(Peek());
            Advance();
          }
          if (e == 'x') {
            tok.text += static_cast<char>(v);
          } else {
            if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
              return Error(escape_pos, "invalid escape: not a Unicode code point");
            AppendUtf8(tok.text, v);
          }
          break;
        }
        default:
          if (e >= '0' && e <= '7') {
            uint32_t v = e - '0';
            for (int k = 0; k < 2; ++k) {
              if (Peek() < '0' || Peek() > '7') return Error(escape_pos, "invalid octal escape");
              v = v * 8 + (Peek() - '0');
              Advance();
            }
            if (v > 255) return Error(escape_pos, "invalid octal escape");
            tok.text += static_cast<char>(v);
            break;
          }
          return Error(escape_pos, "unknown escape sequence in string");
      }
    }
  }

  std::string_view text_;
  size_t i_ = 0;
  Pos pos_;
};

}  // namespace

Result<std::vector<Token>> Lex(std::string_view text) {
  return Lexer(text).Run();
}

std::string_view TokName(Tok t) {
  switch (t) {
    case Tok::kEnd: return "end of input";
    case Tok::kIdent: return "identifier";
    case Tok::kNumber: return "number";
    case Tok::kDuration: return "duration";
    case Tok::kString: return "string";
    case Tok::kLParen: return "'('";
    case Tok::kRParen: return "')'";
    case Tok::kLBrace: return "'{'";
    case Tok::kRBrace: return "'}'";
    case Tok::kLBracket: return "'['";
    case Tok::kRBracket: return "']'";
    case Tok::kComma: return "','";
    case Tok::kColon: return "':'";
    case Tok::kAt: return "'@'";
    case Tok::kAdd: return "'+'";
    case Tok::kSub: return "'-'";
    case Tok::kMul: return "'*'";
    case Tok::kDiv: return "'/'";
    case Tok::kMod: return "'%'";
    case Tok::kPow: return "'^'";
    case Tok::kEqlEql: return "'=='";
    case Tok::kNeq: return "'!='";
    case Tok::kGt: return "'>'";
    case Tok::kLt: return "'<'";
    case Tok::kGte: return "'>='";
    case Tok::kLte: return "'<='";
    case Tok::kAssign: return "'='";
    case Tok::kRegexEq: return "'=~'";
    case Tok::kRegexNeq: return "'!~'";
  }
  return "token";
}

}  // namespace failsafe::watch::rules
