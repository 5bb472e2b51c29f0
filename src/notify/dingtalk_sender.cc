// DingTalk custom robot: markdown (with @mentions) or actionCard (buttons), signed URL.
#include <boost/json.hpp>

#include "notify/http_post.h"
#include "notify/senders.h"
#include "notify/signing.h"

namespace failsafe::notify {

// An actionCard shows buttons but cannot @mention anyone; a message that mentions people is
// sent as markdown with its links inline, so the mention (what wakes someone) wins.
std::string DingTalkBody(const Message& m) {
  const bool mentions =
      m.mention_all || !m.mention_mobiles.empty() || !m.mention_dingtalk_ids.empty();
  std::string text = "### " + m.title + "\n\n" + m.markdown;
  boost::json::object body;
  if (!m.links.empty() && !mentions) {
    boost::json::array btns;
    for (const Link& l : m.links) btns.push_back({{"title", l.title}, {"actionURL", l.url}});
    body["msgtype"] = "actionCard";
    body["actionCard"] = {
        {"title", m.title}, {"text", text}, {"btnOrientation", "0"}, {"btns", std::move(btns)}};
    return boost::json::serialize(body);
  }
  if (!m.links.empty()) {
    text += "\n\n";
    for (const Link& l : m.links) text += "[" + l.title + "](" + l.url + ")  ";
  }
  // DingTalk highlights a mention only when "@mobile" / "@userid" also appears in the text.
  std::string at_line;
  boost::json::array mobiles, ids;
  for (const auto& p : m.mention_mobiles) {
    mobiles.emplace_back(p);
    at_line += "@" + p + " ";
  }
  for (const auto& u : m.mention_dingtalk_ids) {
    ids.emplace_back(u);
    at_line += "@" + u + " ";
  }
  if (!at_line.empty()) text += "\n\n" + at_line;
  body["msgtype"] = "markdown";
  body["markdown"] = {{"title", m.title}, {"text", text}};
  body["at"] = {
      {"atMobiles", std::move(mobiles)}, {"atUserIds", std::move(ids)}, {"isAtAll", m.mention_all}};
  return boost::json::serialize(body);
}

SendResult SendDingTalk(const SendTarget& t, const Outgoing& out, int64_t now_ms,
                        std::chrono::milliseconds timeout) {
  const std::string url = t.secret.empty() ? t.url : DingTalkSignedUrl(t.url, t.secret, now_ms);
  HttpAnswer a =
      HttpPost(url, DingTalkBody(out.message), {{"Idempotency-Key", out.idempotency_key}}, timeout);
  if (a.status == 0) return {false, "dingtalk: " + a.error};
  return CheckErrcodeAnswer("dingtalk", a.status, a.body);
}

}  // namespace failsafe::notify
