// Email over SMTP with libcurl: STARTTLS (required / optional / off) or smtps://, AUTH,
// multipart/alternative text + HTML, subjects in RFC 2047 encoded-words.
#include <curl/curl.h>

#include <algorithm>
#include <ctime>
#include <memory>

#include "auth/digest.h"
#include "base/encoding.h"
#include "notify/email.h"
#include "notify/markdown.h"
#include "notify/senders.h"

namespace failsafe::notify {
namespace {

bool PlainAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7f;
  });
}

// Base64 in lines of 76 characters (RFC 2045).
std::string Base64Lines(std::string_view bytes) {
  const std::string b64 = Base64Encode(bytes);
  std::string out;
  for (size_t i = 0; i < b64.size(); i += 76) out += b64.substr(i, 76) + "\r\n";
  return out;
}

std::string HeaderSafe(std::string_view s) {
  std::string out;
  for (char c : s) out += (c == '\r' || c == '\n') ? ' ' : c;
  return out;
}

struct Upload {
  const std::string* data;
  size_t pos = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t n, void* user) {
  auto* up = static_cast<Upload*>(user);
  const size_t room = size * n;
  const size_t left = up->data->size() - up->pos;
  const size_t take = std::min(room, left);
  std::copy_n(up->data->data() + up->pos, take, buffer);
  up->pos += take;
  return take;
}

}  // namespace

std::string EncodeHeaderValue(std::string_view text) {
  if (PlainAscii(text)) return std::string(text);
  // 45 raw bytes -> 60 Base64 characters -> 72 with "=?UTF-8?B?" and "?=" (limit 75).
  std::string out;
  std::string_view rest = text;
  while (!rest.empty()) {
    std::string_view chunk = Utf8Prefix(rest, 45);
    if (chunk.empty()) chunk = rest.substr(0, 1);  // invalid UTF-8: still make progress
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64Encode(chunk) + "?=";
    rest.remove_prefix(chunk.size());
  }
  return out;
}

std::string MessageIdFor(std::string_view idempotency_key) {
  return "<" + auth::Sha256Hex(idempotency_key).substr(0, 32) + "@failsafe>";
}

std::string BareAddress(std::string_view mailbox) {
  const size_t open = mailbox.rfind('<');
  const size_t close = mailbox.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
    return std::string(mailbox.substr(open + 1, close - open - 1));
  }
  return std::string(mailbox);
}

std::string Rfc5322Date(int64_t unix_ms) {
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const time_t t = static_cast<time_t>(unix_ms / 1000);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[64];
  snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday], tm.tm_mday,
           kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string EmailMessage(const EmailSettings& email, const std::vector<std::string>& to,
                         const Outgoing& out, int64_t now_ms) {
  const Message& m = out.message;
  std::string md = m.markdown;
  if (!m.links.empty()) {
    md += "\n";
    for (const Link& l : m.links) md += "\n- [" + l.title + "](" + l.url + ")";
  }
  const std::string message_id = MessageIdFor(out.idempotency_key);
  const std::string boundary = "failsafe-" + auth::Sha256Hex(message_id).substr(0, 24);
  std::string to_line;
  for (const auto& r : to) to_line += (to_line.empty() ? "" : ", ") + HeaderSafe(r);
  std::string msg;
  msg += "Date: " + Rfc5322Date(now_ms) + "\r\n";
  msg += "From: " + HeaderSafe(email.from) + "\r\n";
  msg += "To: " + to_line + "\r\n";
  msg += "Subject: " + EncodeHeaderValue(HeaderSafe(m.title)) + "\r\n";
  msg += "Message-ID: " + message_id + "\r\n";
  msg += "MIME-Version: 1.0\r\n";
  msg += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n";
  msg += "\r\n";
  msg += "--" + boundary + "\r\n";
  msg += "Content-Type: text/plain; charset=UTF-8\r\n";
  msg += "Content-Transfer-Encoding: base64\r\n\r\n";
  msg += Base64Lines(m.title + "\n\n" + MarkdownToText(md));
  msg += "--" + boundary + "\r\n";
  msg += "Content-Type: text/html; charset=UTF-8\r\n";
  msg += "Content-Transfer-Encoding: base64\r\n\r\n";
  const std::string lang = m.language == "zh-CN" ? "zh-CN" : "en";
  msg += Base64Lines("<!DOCTYPE html>\n<html lang=\"" + lang +
                     "\"><head><meta charset=\"utf-8\"><title>" + HtmlEscape(m.title) +
                     "</title></head><body>\n<h2>" + HtmlEscape(m.title) + "</h2>\n" +
                     MarkdownToHtml(md) + "</body></html>\n");
  msg += "--" + boundary + "--\r\n";
  return msg;
}

SendResult SendEmail(const SendTarget& t, const Outgoing& out, int64_t now_ms,
                     std::chrono::milliseconds timeout) {
  std::vector<std::string> to = t.email.to;
  for (const auto& r : out.email_to) {
    if (std::find(to.begin(), to.end(), r) == to.end()) to.push_back(r);
  }
  if (to.empty()) return {false, "email: no recipients (set the channel's \"to\")"};
  if (t.email.from.empty()) return {false, "email: the channel has no \"from\" address"};
  const std::string data = EmailMessage(t.email, to, out, now_ms);

  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return {false, "email: libcurl initialisation failed"};
  CURL* c = curl.get();
  curl_slist* rcpt = nullptr;
  for (const auto& r : to) rcpt = curl_slist_append(rcpt, ("<" + BareAddress(r) + ">").c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> hold(rcpt, curl_slist_free_all);
  const std::string from = "<" + BareAddress(t.email.from) + ">";
  Upload upload{&data};
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_URL, t.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  if (t.url.rfind("smtps://", 0) != 0) {
    const long use_ssl = t.email.starttls == "off"        ? CURLUSESSL_NONE
                         : t.email.starttls == "optional" ? CURLUSESSL_TRY
                                                          : CURLUSESSL_ALL;
    curl_easy_setopt(c, CURLOPT_USE_SSL, use_ssl);
  }
  if (!t.email.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, t.email.ca_file.c_str());
  if (!t.email.user.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, t.email.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, t.email.password.c_str());
  }
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  const CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK) return {true, ""};
  if (rc == CURLE_OPERATION_TIMEDOUT) {
    return {false, "email: timed out after " + std::to_string(timeout.count()) + " ms"};
  }
  if (rc == CURLE_COULDNT_CONNECT) return {false, "email: connection refused"};
  std::string detail = error[0] != '\0' ? error : curl_easy_strerror(rc);
  return {false, "email: " + detail};
}

}  // namespace failsafe::notify
