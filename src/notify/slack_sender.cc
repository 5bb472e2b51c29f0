// Slack incoming webhook: blocks (header, mrkdwn section, buttons) with a text fallback.
#include <boost/json.hpp>

#include "notify/http_post.h"
#include "notify/markdown.h"
#include "notify/senders.h"

namespace failsafe::notify {

std::string SlackBody(const Message& m) {
  std::string section = MarkdownToSlack(m.markdown);
  if (m.mention_all) section += "\n<!channel>";
  boost::json::array blocks;
  blocks.push_back({{"type", "header"}, {"text", {{"type", "plain_text"}, {"text", m.title}}}});
  if (!section.empty()) {
    blocks.push_back({{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", section}}}});
  }
  if (!m.links.empty()) {
    boost::json::array buttons;
    for (const Link& l : m.links) {
      buttons.push_back({{"type", "button"},
                         {"text", {{"type", "plain_text"}, {"text", l.title}}},
                         {"url", l.url}});
    }
    blocks.push_back({{"type", "actions"}, {"elements", std::move(buttons)}});
  }
  boost::json::object body{{"text", m.title}, {"blocks", std::move(blocks)}};
  return boost::json::serialize(body);
}

SendResult SendSlack(const SendTarget& t, const Outgoing& out, int64_t /*now_ms*/,
                     std::chrono::milliseconds timeout) {
  HttpAnswer a =
      HttpPost(t.url, SlackBody(out.message), {{"Idempotency-Key", out.idempotency_key}}, timeout);
  if (a.status == 0) return {false, "slack: " + a.error};
  if (a.status >= 300) {
    return {false,
            "slack answered HTTP " + std::to_string(a.status) + ": " + a.body.substr(0, 300)};
  }
  return {true, ""};
}

}  // namespace failsafe::notify
