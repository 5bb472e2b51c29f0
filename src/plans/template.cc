#include "plans/template.h"

namespace failsafe::plans {
namespace {

bool IsNameStart(char c) {
  return (c >= 'a' && c <= 'z') || c == '_';
}
bool IsNameChar(char c) {
  return IsNameStart(c) || (c >= '0' && c <= '9');
}

// A dotted lower-case name: word(.word)*, each word [a-z_][a-z0-9_]*.
bool IsValidName(std::string_view name) {
  if (name.empty()) return false;
  bool at_word_start = true;
  for (char c : name) {
    if (c == '.') {
      if (at_word_start) return false;
      at_word_start = true;
    } else if (at_word_start ? IsNameStart(c) : IsNameChar(c)) {
      at_word_start = false;
    } else {
      return false;
    }
  }
  return !at_word_start;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// One piece of a template: literal text or a placeholder. Scanning is shared by CheckTemplate
// and RenderTemplate so both agree on what the syntax is.
struct Token {
  enum Kind { kText, kVariable, kError } kind;
  std::string_view text;  // literal text, the variable name, or the error message
  size_t offset;          // where the piece starts in the template
};

// Calls `emit(Token)` for each piece; stops at the first error (emitting it).
template <typename Emit>
void Scan(std::string_view t, Emit&& emit) {
  size_t i = 0;
  size_t text_start = 0;
  while (i < t.size()) {
    if (t[i] == '\\' && t.substr(i + 1, 2) == "{{") {
      // Escaped: emit the text before the backslash, then "{{" as text.
      if (i > text_start)
        emit(Token{Token::kText, t.substr(text_start, i - text_start), text_start});
      emit(Token{Token::kText, t.substr(i + 1, 2), i + 1});
      i += 3;
      text_start = i;
      continue;
    }
    if (t.substr(i, 2) != "{{") {
      ++i;
      continue;
    }
    if (i > text_start) emit(Token{Token::kText, t.substr(text_start, i - text_start), text_start});
    const size_t close = t.find("}}", i + 2);
    const size_t newline = t.find('\n', i + 2);
    if (close == std::string_view::npos || (newline != std::string_view::npos && newline < close)) {
      emit(Token{Token::kError,
                 "unterminated '{{' (close it with '}}', or write \\{{ for a literal)", i});
      return;
    }
    const std::string_view name = Trim(t.substr(i + 2, close - i - 2));
    if (!IsValidName(name)) {
      emit(Token{Token::kError, name, i});
      return;
    }
    emit(Token{Token::kVariable, name, i});
    i = close + 2;
    text_start = i;
  }
  if (text_start < t.size()) emit(Token{Token::kText, t.substr(text_start), text_start});
}

}  // namespace

const std::set<std::string>& KnownTemplateVariables() {
  static const std::set<std::string> kKnown = {
      "incident.id",
      "incident.title",
      "incident.severity",
      "incident.severity_name",
      "incident.status",
      "incident.services",
      "incident.url",
      "incident.started_at",
      "incident.commander",
      "plan.key",
      "plan.title",
      "plan.version",
      "eta",
      "message",
      "now",
      "fallback.tool",
      "fallback.location",
      "status_page.url",
  };
  return kKnown;
}

Status CheckTemplate(std::string_view text, size_t* error_offset) {
  Status result;
  bool failed = false;
  Scan(text, [&](const Token& tok) {
    if (failed) return;
    if (tok.kind == Token::kError) {
      failed = true;
      if (tok.text.substr(0, 12) == "unterminated") {
        result = InvalidArgument(std::string(tok.text));
      } else {
        result =
            InvalidArgument("malformed template variable '{{" + std::string(tok.text) +
                            "}}' (names are dotted lower-case words, e.g. {{incident.title}})");
      }
    } else if (tok.kind == Token::kVariable &&
               !KnownTemplateVariables().contains(std::string(tok.text))) {
      failed = true;
      std::string known;
      for (const auto& k : KnownTemplateVariables()) known += (known.empty() ? "" : ", ") + k;
      result = InvalidArgument("unknown template variable '" + std::string(tok.text) +
                               "' (known: " + known + ")");
    }
    if (failed && error_offset != nullptr) *error_offset = tok.offset;
  });
  return result;
}

std::string RenderTemplate(std::string_view text, const TemplateVars& vars) {
  std::string out;
  out.reserve(text.size() + 64);
  size_t consumed = 0;  // bytes of `text` accounted for by emitted tokens
  bool error = false;
  Scan(text, [&](const Token& tok) {
    if (error) return;
    switch (tok.kind) {
      case Token::kText: out.append(tok.text); break;
      case Token::kVariable: {
        auto it = vars.find(std::string(tok.text));
        if (it != vars.end()) out.append(it->second);
        break;
      }
      case Token::kError:
        // Bad syntax: keep the rest literally, so nothing the author wrote is lost.
        error = true;
        consumed = tok.offset;
        return;
    }
  });
  if (error) out.append(text.substr(consumed));
  return out;
}

}  // namespace failsafe::plans
