// Picks the sender for a channel type.
#include "notify/senders.h"

namespace failsafe::notify {

SendResult SendDingTalk(const SendTarget&, const Outgoing&, int64_t, std::chrono::milliseconds);
SendResult SendFeishu(const SendTarget&, const Outgoing&, int64_t, std::chrono::milliseconds);
SendResult SendWeCom(const SendTarget&, const Outgoing&, int64_t, std::chrono::milliseconds);
SendResult SendSlack(const SendTarget&, const Outgoing&, int64_t, std::chrono::milliseconds);
SendResult SendWebhook(const SendTarget&, const Outgoing&, int64_t, std::chrono::milliseconds);
SendResult SendEmail(const SendTarget&, const Outgoing&, int64_t, std::chrono::milliseconds);

SendResult Send(const SendTarget& target, const Outgoing& out, int64_t now_ms,
                std::chrono::milliseconds timeout) {
  if (target.type == "dingtalk") return SendDingTalk(target, out, now_ms, timeout);
  if (target.type == "feishu") return SendFeishu(target, out, now_ms, timeout);
  if (target.type == "wecom") return SendWeCom(target, out, now_ms, timeout);
  if (target.type == "slack") return SendSlack(target, out, now_ms, timeout);
  if (target.type == "webhook") return SendWebhook(target, out, now_ms, timeout);
  if (target.type == "email") return SendEmail(target, out, now_ms, timeout);
  return {false, "unknown channel type '" + target.type + "'"};
}

}  // namespace failsafe::notify
