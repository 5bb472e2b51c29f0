// Feishu / Lark custom bot: post (rich text with @mentions) or an interactive card with
// buttons; `timestamp` + `sign` in the body when the bot has a signing secret.
#include <boost/json.hpp>

#include "notify/http_post.h"
#include "notify/markdown.h"
#include "notify/senders.h"
#include "notify/signing.h"

namespace failsafe::notify {
namespace {

boost::json::array PostLines(const Message& m) {
  boost::json::array lines;
  std::string text = MarkdownToText(m.markdown);
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    boost::json::array line;
    line.push_back({{"tag", "text"}, {"text", text.substr(start, end - start)}});
    lines.push_back(std::move(line));
    start = end + 1;
  }
  boost::json::array at;
  for (const auto& id : m.mention_feishu_ids) at.push_back({{"tag", "at"}, {"user_id", id}});
  if (m.mention_all) at.push_back({{"tag", "at"}, {"user_id", "all"}});
  if (!at.empty()) lines.push_back(std::move(at));
  return lines;
}

}  // namespace

std::string FeishuBody(const Message& m, const std::string& secret, int64_t now_ms) {
  boost::json::object body;
  if (!secret.empty()) {
    const int64_t ts = now_ms / 1000;
    body["timestamp"] = std::to_string(ts);
    body["sign"] = FeishuSign(secret, ts);
  }
  if (m.links.empty()) {
    const char* lang = m.language == "zh-CN" ? "zh_cn" : "en_us";
    body["msg_type"] = "post";
    boost::json::object post;
    post[lang] = {{"title", m.title}, {"content", PostLines(m)}};
    body["content"] = {{"post", std::move(post)}};
    return boost::json::serialize(body);
  }
  std::string md = m.markdown;
  std::string at;
  for (const auto& id : m.mention_feishu_ids) at += "<at id=" + id + "></at> ";
  if (m.mention_all) at += "<at id=all></at>";
  if (!at.empty()) md += "\n" + at;
  boost::json::array actions;
  for (const Link& l : m.links) {
    actions.push_back({{"tag", "button"},
                       {"text", {{"tag", "plain_text"}, {"content", l.title}}},
                       {"type", actions.empty() ? "primary" : "default"},
                       {"url", l.url}});
  }
  boost::json::array elements;
  elements.push_back({{"tag", "markdown"}, {"content", md}});
  elements.push_back({{"tag", "action"}, {"actions", std::move(actions)}});
  body["msg_type"] = "interactive";
  body["card"] = {
      {"config", {{"wide_screen_mode", true}}},
      {"header", {{"title", {{"tag", "plain_text"}, {"content", m.title}}}, {"template", "red"}}},
      {"elements", std::move(elements)}};
  return boost::json::serialize(body);
}

SendResult SendFeishu(const SendTarget& t, const Outgoing& out, int64_t now_ms,
                      std::chrono::milliseconds timeout) {
  HttpAnswer a = HttpPost(t.url, FeishuBody(out.message, t.secret, now_ms),
                          {{"Idempotency-Key", out.idempotency_key}}, timeout);
  if (a.status == 0) return {false, "feishu: " + a.error};
  return CheckFeishuAnswer(a.status, a.body);
}

}  // namespace failsafe::notify
