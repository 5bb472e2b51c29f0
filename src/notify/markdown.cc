#include "notify/markdown.h"

#include <functional>
#include <sstream>
#include <vector>

namespace failsafe::notify {
namespace {

std::vector<std::string> Lines(std::string_view md) {
  std::vector<std::string> out;
  std::string line;
  for (char c : md) {
    if (c == '\n') {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      out.push_back(line);
      line.clear();
    } else {
      line += c;
    }
  }
  if (!line.empty()) out.push_back(line);
  return out;
}

// Rewrites the inline markup of one line: `text` is escaped by `esc`; bold and links are
// written by `bold(inner)` and `link(text, url)`.
std::string Inline(std::string_view s, const std::function<std::string(std::string_view)>& esc,
                   const std::function<std::string(const std::string&)>& bold,
                   const std::function<std::string(const std::string&, const std::string&)>& link) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    if (s.compare(i, 2, "**") == 0) {
      const size_t close = s.find("**", i + 2);
      if (close != std::string_view::npos) {
        out += bold(esc(s.substr(i + 2, close - i - 2)));
        i = close + 2;
        continue;
      }
    }
    if (s[i] == '[') {
      const size_t mid = s.find("](", i);
      const size_t close = mid == std::string_view::npos ? mid : s.find(')', mid + 2);
      if (close != std::string_view::npos) {
        out += link(std::string(s.substr(i + 1, mid - i - 1)),
                    std::string(s.substr(mid + 2, close - mid - 2)));
        i = close + 1;
        continue;
      }
    }
    const size_t next = s.find_first_of("*[", i + 1);
    const size_t end = next == std::string_view::npos ? s.size() : next;
    out += esc(s.substr(i, end - i));
    i = end;
  }
  return out;
}

std::string_view StripHeading(std::string_view line, bool* heading) {
  size_t n = 0;
  while (n < line.size() && line[n] == '#') ++n;
  *heading = n > 0 && n < line.size() && line[n] == ' ';
  return *heading ? line.substr(n + 1) : line;
}

bool IsListItem(std::string_view line) {
  return line.size() > 2 && (line[0] == '-' || line[0] == '*') && line[1] == ' ';
}

std::string Identity(std::string_view s) {
  return std::string(s);
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string_view Utf8Prefix(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  // Back up over continuation bytes (10xxxxxx) to the start of the cut character.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

std::string MarkdownToHtml(std::string_view md) {
  std::string out;
  bool in_list = false, in_para = false;
  auto bold = [](const std::string& s) { return "<strong>" + s + "</strong>"; };
  auto link = [](const std::string& t, const std::string& u) {
    return "<a href=\"" + HtmlEscape(u) + "\">" + HtmlEscape(t) + "</a>";
  };
  auto close_blocks = [&] {
    if (in_list) out += "</ul>\n";
    if (in_para) out += "</p>\n";
    in_list = in_para = false;
  };
  for (const std::string& raw : Lines(md)) {
    bool heading = false;
    std::string_view line = StripHeading(raw, &heading);
    if (raw.empty()) {
      close_blocks();
    } else if (heading) {
      close_blocks();
      out += "<h3>" + Inline(line, HtmlEscape, bold, link) + "</h3>\n";
    } else if (IsListItem(raw)) {
      if (in_para) out += "</p>\n";
      in_para = false;
      if (!in_list) out += "<ul>\n";
      in_list = true;
      out += "<li>" + Inline(line.substr(2), HtmlEscape, bold, link) + "</li>\n";
    } else {
      if (in_list) out += "</ul>\n";
      in_list = false;
      out += in_para ? "<br>\n" : "<p>";
      in_para = true;
      out += Inline(line, HtmlEscape, bold, link);
    }
  }
  close_blocks();
  return out;
}

std::string MarkdownToText(std::string_view md) {
  std::string out;
  auto bold = [](const std::string& s) { return s; };
  auto link = [](const std::string& t, const std::string& u) { return t + " (" + u + ")"; };
  for (const std::string& raw : Lines(md)) {
    bool heading = false;
    std::string_view line = StripHeading(raw, &heading);
    out += Inline(line, Identity, bold, link) + "\n";
  }
  return out;
}

std::string MarkdownToSlack(std::string_view md) {
  auto esc = [](std::string_view s) {
    std::string o;
    for (char c : s) {
      if (c == '&')
        o += "&amp;";
      else if (c == '<')
        o += "&lt;";
      else if (c == '>')
        o += "&gt;";
      else
        o += c;
    }
    return o;
  };
  auto bold = [](const std::string& s) { return "*" + s + "*"; };
  auto link = [&](const std::string& t, const std::string& u) {
    return "<" + u + "|" + esc(t) + ">";
  };
  std::string out;
  for (const std::string& raw : Lines(md)) {
    bool heading = false;
    std::string_view line = StripHeading(raw, &heading);
    std::string text = Inline(line, esc, bold, link);
    if (IsListItem(raw)) text = "• " + Inline(line.substr(2), esc, bold, link);
    out += (heading ? "*" + text + "*" : text) + "\n";
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace failsafe::notify
