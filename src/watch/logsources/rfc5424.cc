// RFC 5424: "<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]", strictly.
#include "watch/logsources/syslog_message.h"

namespace failsafe::watch {
namespace {

Status Bad(std::string what, size_t pos, std::string field) {
  return InvalidArgument("syslog: " + what + " at byte " + std::to_string(pos), std::move(field));
}

bool PrintUsAscii(char c) {
  return c >= 33 && c <= 126;
}

// A cursor over the input that keeps byte positions for errors.
struct Cursor {
  std::string_view in;
  size_t pos;
  bool AtEnd() const { return pos >= in.size(); }
  char Peek() const { return in[pos]; }
};

// A header field: 1..max_len PRINTUSASCII, then one space. "-" is NILVALUE (empty result).
Result<std::string> HeaderField(Cursor& c, size_t max_len, const char* field) {
  const size_t start = c.pos;
  while (!c.AtEnd() && c.Peek() != ' ') {
    if (!PrintUsAscii(c.Peek())) {
      return Err(Bad(std::string(field) + ": character outside printable ASCII", c.pos, field));
    }
    ++c.pos;
  }
  const size_t len = c.pos - start;
  if (len == 0) return Err(Bad(std::string(field) + ": empty", start, field));
  if (len > max_len) {
    return Err(Bad(std::string(field) + ": longer than " + std::to_string(max_len) + " bytes",
                   start, field));
  }
  if (c.AtEnd()) return Err(Bad("message ends after " + std::string(field), c.pos, field));
  ++c.pos;  // the space
  std::string_view v = c.in.substr(start, len);
  return v == "-" ? std::string() : std::string(v);
}

// SD-NAME: 1..32 PRINTUSASCII except '=', ' ', ']', '"'.
Result<std::string> SdName(Cursor& c, const char* field) {
  const size_t start = c.pos;
  while (!c.AtEnd() && PrintUsAscii(c.Peek()) && c.Peek() != '=' && c.Peek() != ']' &&
         c.Peek() != '"') {
    ++c.pos;
  }
  const size_t len = c.pos - start;
  if (len == 0 || len > 32) {
    return Err(Bad(std::string(field) + ": expected a name of 1 to 32 characters", start, field));
  }
  return std::string(c.in.substr(start, len));
}

Result<std::vector<SdElement>> StructuredData(Cursor& c) {
  std::vector<SdElement> out;
  if (!c.AtEnd() && c.Peek() == '-') {
    ++c.pos;
    return out;
  }
  if (c.AtEnd() || c.Peek() != '[') {
    return Err(Bad("STRUCTURED-DATA: expected '-' or '['", c.pos, "structured_data"));
  }
  while (!c.AtEnd() && c.Peek() == '[') {
    ++c.pos;
    SdElement element;
    FS_ASSIGN_OR_RETURN(element.id, SdName(c, "SD-ID"));
    while (!c.AtEnd() && c.Peek() == ' ') {
      ++c.pos;
      SdParam param;
      FS_ASSIGN_OR_RETURN(param.name, SdName(c, "PARAM-NAME"));
      if (c.AtEnd() || c.Peek() != '=')
        return Err(Bad("SD-PARAM: expected '='", c.pos, "structured_data"));
      ++c.pos;
      if (c.AtEnd() || c.Peek() != '"') {
        return Err(Bad("SD-PARAM: expected '\"' to open the value", c.pos, "structured_data"));
      }
      ++c.pos;
      // PARAM-VALUE: UTF-8 where '"', '\' and ']' are escaped with '\'; a backslash before any
      // other character is kept as is (RFC 5424 6.3.3).
      bool closed = false;
      while (!c.AtEnd()) {
        const char ch = c.Peek();
        if (ch == '\\' && c.pos + 1 < c.in.size() &&
            (c.in[c.pos + 1] == '"' || c.in[c.pos + 1] == '\\' || c.in[c.pos + 1] == ']')) {
          param.value.push_back(c.in[c.pos + 1]);
          c.pos += 2;
        } else if (ch == '"') {
          ++c.pos;
          closed = true;
          break;
        } else {
          param.value.push_back(ch);
          ++c.pos;
        }
      }
      if (!closed)
        return Err(Bad("SD-PARAM: value not closed with '\"'", c.pos, "structured_data"));
      element.params.push_back(std::move(param));
    }
    if (c.AtEnd() || c.Peek() != ']') {
      return Err(Bad("SD-ELEMENT: expected ']' or a parameter", c.pos, "structured_data"));
    }
    ++c.pos;
    out.push_back(std::move(element));
  }
  return out;
}

}  // namespace

Result<SyslogMessage> ParseRfc5424(std::string_view input, size_t body, SyslogMessage msg) {
  Cursor c{input, body};
  // TIMESTAMP: NILVALUE or RFC 3339 with a zone.
  if (!c.AtEnd() && c.Peek() == '-') {
    ++c.pos;
  } else {
    size_t consumed = 0;
    auto t = ParseRfc3339Prefix(input.substr(c.pos), &consumed);
    if (!t) {
      return Err(t.error().WithContext("syslog: TIMESTAMP at byte " + std::to_string(c.pos)));
    }
    msg.time_ms = *t;
    c.pos += consumed;
  }
  const std::string_view timestamp_text = input.substr(body, c.pos - body);
  if (c.AtEnd() || c.Peek() != ' ')
    return Err(Bad("expected a space after TIMESTAMP", c.pos, "timestamp"));
  ++c.pos;
  FS_ASSIGN_OR_RETURN(msg.host, HeaderField(c, 255, "HOSTNAME"));
  FS_ASSIGN_OR_RETURN(msg.app, HeaderField(c, 48, "APP-NAME"));
  FS_ASSIGN_OR_RETURN(msg.procid, HeaderField(c, 128, "PROCID"));
  FS_ASSIGN_OR_RETURN(msg.msgid, HeaderField(c, 32, "MSGID"));
  FS_ASSIGN_OR_RETURN(msg.structured_data, StructuredData(c));
  if (!c.AtEnd()) {
    if (c.Peek() != ' ') return Err(Bad("expected a space before MSG", c.pos, "message"));
    ++c.pos;
  }
  std::string_view text = input.substr(std::min(c.pos, input.size()));
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  msg.message = std::string(text);

  // The line the rules see: "TIMESTAMP HOST APP[PROCID]: MSG", leaving out NILVALUE fields.
  std::string& line = msg.line;
  line.reserve(timestamp_text.size() + msg.host.size() + msg.app.size() + text.size() + 16);
  if (timestamp_text != "-") line.append(timestamp_text).push_back(' ');
  if (!msg.host.empty()) line.append(msg.host).push_back(' ');
  if (!msg.app.empty()) {
    line.append(msg.app);
    if (!msg.procid.empty()) line.append("[").append(msg.procid).append("]");
    line.append(": ");
  }
  line.append(text);
  return msg;
}

}  // namespace failsafe::watch
