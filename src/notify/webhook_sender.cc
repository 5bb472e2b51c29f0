// Generic webhook: failsafe's own JSON body, signed with
// X-Failsafe-Signature: sha256=hex(HMAC-SHA256(secret, timestamp + "." + body)).
#include <boost/json.hpp>

#include "base/clock.h"
#include "notify/http_post.h"
#include "notify/senders.h"
#include "notify/signing.h"

namespace failsafe::notify {

std::string WebhookBody(const Outgoing& out, int64_t now_ms) {
  const Message& m = out.message;
  boost::json::array links;
  for (const Link& l : m.links) links.push_back({{"title", l.title}, {"url", l.url}});
  boost::json::object body{{"idempotency_key", out.idempotency_key},
                           {"kind", out.kind},
                           {"title", m.title},
                           {"markdown", m.markdown},
                           {"language", m.language},
                           {"links", std::move(links)},
                           {"sent_at", FormatRfc3339(now_ms)}};
  if (out.incident_id) {
    body["incident_id"] = *out.incident_id;
  } else {
    body["incident_id"] = nullptr;
  }
  return boost::json::serialize(body);
}

SendResult SendWebhook(const SendTarget& t, const Outgoing& out, int64_t now_ms,
                       std::chrono::milliseconds timeout) {
  const std::string body = WebhookBody(out, now_ms);
  std::vector<std::pair<std::string, std::string>> headers = {
      {"Idempotency-Key", out.idempotency_key}};
  const std::string ts = std::to_string(now_ms / 1000);
  headers.emplace_back("X-Failsafe-Timestamp", ts);
  if (!t.secret.empty()) {
    headers.emplace_back("X-Failsafe-Signature", WebhookSignature(t.secret, ts, body));
  }
  HttpAnswer a = HttpPost(t.url, body, headers, timeout);
  if (a.status == 0) return {false, "webhook: " + a.error};
  if (a.status >= 300) {
    return {false,
            "webhook answered HTTP " + std::to_string(a.status) + ": " + a.body.substr(0, 300)};
  }
  return {true, ""};
}

}  // namespace failsafe::notify
