// WeCom (企业微信) group robot: markdown with <@userid> mentions, at most 4096 bytes.
#include <boost/json.hpp>

#include "notify/http_post.h"
#include "notify/markdown.h"
#include "notify/senders.h"

namespace failsafe::notify {

std::string WeComBody(const Message& m) {
  std::string content = "**" + m.title + "**\n" + m.markdown;
  std::string tail;
  for (const Link& l : m.links) tail += "[" + l.title + "](" + l.url + ")  ";
  if (!tail.empty()) tail = "\n" + tail;
  for (const auto& id : m.mention_wecom_ids) tail += "\n<@" + id + ">";
  // The links and mentions matter most (they wake someone and let them act): keep them and
  // cut the body, saying so, when the whole would not fit.
  if (content.size() + tail.size() > kWeComMarkdownLimit) {
    const std::string note =
        m.language == "zh-CN" ? "\n…（内容过长，已截断）" : "\n… (truncated: see failsafe)";
    const size_t room = kWeComMarkdownLimit > tail.size() + note.size()
                            ? kWeComMarkdownLimit - tail.size() - note.size()
                            : 0;
    content = std::string(Utf8Prefix(content, room)) + note;
    if (content.size() + tail.size() > kWeComMarkdownLimit) {
      tail = std::string(Utf8Prefix(tail, kWeComMarkdownLimit - content.size()));
    }
  }
  boost::json::object body{{"msgtype", "markdown"}, {"markdown", {{"content", content + tail}}}};
  return boost::json::serialize(body);
}

SendResult SendWeCom(const SendTarget& t, const Outgoing& out, int64_t /*now_ms*/,
                     std::chrono::milliseconds timeout) {
  HttpAnswer a =
      HttpPost(t.url, WeComBody(out.message), {{"Idempotency-Key", out.idempotency_key}}, timeout);
  if (a.status == 0) return {false, "wecom: " + a.error};
  return CheckErrcodeAnswer("wecom", a.status, a.body);
}

}  // namespace failsafe::notify
