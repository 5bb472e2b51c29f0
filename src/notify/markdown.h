#pragma once
// The small Markdown subset failsafe's messages use (headings, **bold**, [links](url), "- "
// lists, paragraphs) converted per platform. Not a general Markdown engine: anything else
// passes through as text.
#include <string>
#include <string_view>

namespace failsafe::notify {

// HTML for email: escaped text, <h3>/<strong>/<a>/<ul>/<p>.
std::string MarkdownToHtml(std::string_view md);
// Plain text for email's text part: markup removed, links as "text (url)".
std::string MarkdownToText(std::string_view md);
// Slack mrkdwn: *bold*, <url|text>, headings as bold lines; &, <, > escaped.
std::string MarkdownToSlack(std::string_view md);
// Escapes &, <, > (and " for attributes).
std::string HtmlEscape(std::string_view text);
// The longest prefix of `text` of at most `max_bytes` bytes that ends on a UTF-8 boundary.
std::string_view Utf8Prefix(std::string_view text, size_t max_bytes);

}  // namespace failsafe::notify
