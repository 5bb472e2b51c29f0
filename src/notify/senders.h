#pragma once
// The channel senders: one file per platform (dingtalk_sender.cc, feishu_sender.cc, ...).
// Each has a pure body builder (unit-tested against independently computed values) and goes
// out through libcurl with a timeout. A sender never logs or returns a URL with its token.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "notify/outbox.h"

namespace failsafe::notify {

// Email settings of an email channel (the SMTP URL is the channel's url).
struct EmailSettings {
  std::string starttls = "required";  // required | optional | off (ignored for smtps://)
  std::string user, password;         // AUTH when user is not empty
  std::string from;                   // "failsafe@example.com" or "Name <addr>"
  std::vector<std::string> to;        // default recipients
  std::string ca_file;                // trust this CA (PEM) instead of the system store
};

// Everything a sender needs about one channel, secrets already opened.
struct SendTarget {
  int64_t channel_id = 0;
  std::string name, type, url, secret;
  EmailSettings email;
};

struct Outgoing {
  Message message;
  std::string idempotency_key;  // sent as Idempotency-Key / the Message-ID's seed
  std::string kind;
  std::optional<int64_t> incident_id;
  std::vector<std::string> email_to;  // extra recipients (email)
};

struct SendResult {
  bool ok = false;
  std::string error;  // the platform's message (or the transport's), never the URL
};

// Sends through the sender for `target.type`.
SendResult Send(const SendTarget& target, const Outgoing& out, int64_t now_ms,
                std::chrono::milliseconds timeout);

// ---- body builders (pure) ----
std::string DingTalkBody(const Message& m);
std::string FeishuBody(const Message& m, const std::string& secret, int64_t now_ms);
std::string WeComBody(const Message& m);
inline constexpr size_t kWeComMarkdownLimit = 4096;  // bytes
std::string SlackBody(const Message& m);
std::string WebhookBody(const Outgoing& out, int64_t now_ms);
// The whole RFC 5322 message (CRLF line ends), multipart/alternative text + HTML.
std::string EmailMessage(const EmailSettings& email, const std::vector<std::string>& to,
                         const Outgoing& out, int64_t now_ms);

// ---- answers: OK or the platform's message ----
// DingTalk / WeCom: {"errcode":0}; Feishu: {"code":0} (or the older {"StatusCode":0}).
SendResult CheckErrcodeAnswer(const std::string& platform, int http_status,
                              const std::string& body);
SendResult CheckFeishuAnswer(int http_status, const std::string& body);

}  // namespace failsafe::notify
