#pragma once
// The export of a postmortem as a neutral document (headings, facts, paragraphs, lists,
// tables of plain text), rendered to Markdown or HTML. Every string in a Document is plain
// text: the renderers escape it, so nothing a user typed can become markup.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "postmortems/labels.h"
#include "postmortems/review.h"

namespace failsafe::postmortems {

struct Block {
  enum class Kind { kParagraph, kList, kOrderedList, kTable, kSubheading };
  Kind kind = Kind::kParagraph;
  std::string text;                            // paragraph, subheading
  std::vector<std::string> items;              // lists
  std::vector<std::string> headers;            // table
  std::vector<std::vector<std::string>> rows;  // table
};

struct Section {
  std::string heading;
  std::vector<Block> blocks;
};

struct Document {
  Lang lang = Lang::kEn;
  std::string title;
  std::vector<std::pair<std::string, std::string>> facts;  // label -> value, under the title
  std::vector<Section> sections;
};

// The whole postmortem in `lang`; `now` is printed as the generation time.
Document BuildDocument(const PostmortemView& view, Lang lang, int64_t now);

std::string RenderMarkdown(const Document& doc);
// A complete HTML5 page (UTF-8, lang attribute, small inline style).
std::string RenderHtml(const Document& doc);

// Escaping, exposed for tests.
std::string EscapeHtml(std::string_view text);
// Where escaped Markdown text goes: a paragraph keeps its line breaks; a single line (list
// item, heading) and a table cell fold them to spaces; block markup at the start of a line
// ("- ", "1. ") only matters outside table cells.
enum class MdContext { kParagraph, kLine, kTableCell };
// Backslash-escapes Markdown punctuation so the text renders literally.
std::string EscapeMarkdown(std::string_view text, MdContext context = MdContext::kParagraph);

}  // namespace failsafe::postmortems
