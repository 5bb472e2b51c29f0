// Markdown and HTML renderers of an export Document (export_document.h).
#include <string_view>

#include "postmortems/export_document.h"

namespace failsafe::postmortems {
namespace {

bool StartsLikeBlockMarkup(std::string_view line) {
  if (line.empty()) return false;
  const char c = line[0];
  if (c == '-' || c == '+' || c == '=') return true;
  size_t digits = 0;
  while (digits < line.size() && line[digits] >= '0' && line[digits] <= '9') ++digits;
  return digits > 0 && digits < line.size() && (line[digits] == '.' || line[digits] == ')');
}

void AppendEscapedLine(std::string& out, std::string_view line, bool at_line_start) {
  if (at_line_start && StartsLikeBlockMarkup(line)) out += '\\';
  for (char c : line) {
    switch (c) {
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '<':
      case '>':
      case '|':
      case '#':
      case '~':
      case '&':
      case '!':
        out += '\\';
        out += c;
        break;
      case '\r': break;
      default: out += c;
    }
  }
}

void AppendMarkdownBlock(std::string& out, const Block& b) {
  switch (b.kind) {
    case Block::Kind::kParagraph: out += EscapeMarkdown(b.text) + "\n\n"; break;
    case Block::Kind::kSubheading:
      out += "### " + EscapeMarkdown(b.text, MdContext::kLine) + "\n\n";
      break;
    case Block::Kind::kList:
    case Block::Kind::kOrderedList: {
      int n = 0;
      for (const auto& item : b.items) {
        out += b.kind == Block::Kind::kList ? "- " : std::to_string(++n) + ". ";
        out += EscapeMarkdown(item, MdContext::kLine) + "\n";
      }
      out += "\n";
      break;
    }
    case Block::Kind::kTable: {
      std::string rule = "|";
      out += "|";
      for (const auto& h : b.headers) {
        out += " " + EscapeMarkdown(h, MdContext::kTableCell) + " |";
        rule += " --- |";
      }
      out += "\n" + rule + "\n";
      for (const auto& row : b.rows) {
        out += "|";
        for (size_t i = 0; i < b.headers.size(); ++i) {
          const std::string cell =
              i < row.size() ? EscapeMarkdown(row[i], MdContext::kTableCell) : "";
          out += " " + (cell.empty() ? std::string(" ") : cell) + " |";
        }
        out += "\n";
      }
      out += "\n";
      break;
    }
  }
}

void AppendHtmlBlock(std::string& out, const Block& b) {
  switch (b.kind) {
    case Block::Kind::kParagraph: {
      std::string text = EscapeHtml(b.text);
      std::string with_breaks;
      for (char c : text) with_breaks += c == '\n' ? std::string("<br>\n") : std::string(1, c);
      out += "<p>" + with_breaks + "</p>\n";
      break;
    }
    case Block::Kind::kSubheading: out += "<h3>" + EscapeHtml(b.text) + "</h3>\n"; break;
    case Block::Kind::kList:
    case Block::Kind::kOrderedList: {
      const char* tag = b.kind == Block::Kind::kList ? "ul" : "ol";
      out += std::string("<") + tag + ">\n";
      for (const auto& item : b.items) out += "<li>" + EscapeHtml(item) + "</li>\n";
      out += std::string("</") + tag + ">\n";
      break;
    }
    case Block::Kind::kTable:
      out += "<table>\n<thead><tr>";
      for (const auto& h : b.headers) out += "<th>" + EscapeHtml(h) + "</th>";
      out += "</tr></thead>\n<tbody>\n";
      for (const auto& row : b.rows) {
        out += "<tr>";
        for (size_t i = 0; i < b.headers.size(); ++i) {
          out += "<td>" + (i < row.size() ? EscapeHtml(row[i]) : std::string()) + "</td>";
        }
        out += "</tr>\n";
      }
      out += "</tbody>\n</table>\n";
      break;
  }
}

}  // namespace

std::string EscapeMarkdown(std::string_view text, MdContext context) {
  const bool fold = context != MdContext::kParagraph;
  std::string out;
  out.reserve(text.size() + 8);
  size_t start = 0;
  bool first = true;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    if (!first) out += fold ? " " : "  \n";
    AppendEscapedLine(out, text.substr(start, end - start),
                      context == MdContext::kParagraph || (context == MdContext::kLine && first));
    first = false;
    start = end + 1;
  }
  return out;
}

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string RenderMarkdown(const Document& doc) {
  std::string out = "# " + EscapeMarkdown(doc.title, MdContext::kLine) + "\n\n";
  for (const auto& [label, value] : doc.facts) {
    out += "- **" + EscapeMarkdown(label, MdContext::kLine) +
           "**: " + EscapeMarkdown(value, MdContext::kLine) + "\n";
  }
  out += "\n";
  for (const auto& section : doc.sections) {
    out += "## " + EscapeMarkdown(section.heading, MdContext::kLine) + "\n\n";
    for (const auto& b : section.blocks) AppendMarkdownBlock(out, b);
  }
  while (out.size() > 1 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') {
    out.pop_back();
  }
  return out;
}

std::string RenderHtml(const Document& doc) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"" + std::string(LangTag(doc.lang)) +
                    "\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + EscapeHtml(doc.title) +
                    "</title>\n<style>body{font-family:system-ui,\"Noto Sans CJK SC\",sans-serif;"
                    "max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:"
                    "collapse}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;"
                    "vertical-align:top}</style>\n</head>\n<body>\n";
  out += "<h1>" + EscapeHtml(doc.title) + "</h1>\n<dl>\n";
  for (const auto& [label, value] : doc.facts) {
    out += "<dt>" + EscapeHtml(label) + "</dt><dd>" + EscapeHtml(value) + "</dd>\n";
  }
  out += "</dl>\n";
  for (const auto& section : doc.sections) {
    out += "<section>\n<h2>" + EscapeHtml(section.heading) + "</h2>\n";
    for (const auto& b : section.blocks) AppendHtmlBlock(out, b);
    out += "</section>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace failsafe::postmortems
