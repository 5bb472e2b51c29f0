// How the platforms say "accepted": shared by the DingTalk, WeCom and Feishu senders.
#include <boost/json.hpp>

#include "notify/senders.h"

namespace failsafe::notify {
namespace {

std::string Shorten(const std::string& s) {
  return s.size() > 300 ? s.substr(0, 300) + "…" : s;
}

int64_t IntField(const boost::json::object& o, const char* key, bool* found) {
  const boost::json::value* v = o.if_contains(key);
  *found = v != nullptr && (v->is_int64() || v->is_uint64());
  if (!*found) return 0;
  return v->is_int64() ? v->as_int64() : static_cast<int64_t>(v->as_uint64());
}

std::string StringField(const boost::json::object& o, const char* key) {
  const boost::json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : "";
}

}  // namespace

SendResult CheckErrcodeAnswer(const std::string& platform, int http_status,
                              const std::string& body) {
  if (http_status >= 300) {
    return {false,
            platform + " answered HTTP " + std::to_string(http_status) + ": " + Shorten(body)};
  }
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (ec || !v.is_object())
    return {false, platform + " answered a non-JSON body: " + Shorten(body)};
  bool found = false;
  const int64_t code = IntField(v.as_object(), "errcode", &found);
  if (!found) return {false, platform + " answered without errcode: " + Shorten(body)};
  if (code != 0) {
    return {false, platform + " errcode " + std::to_string(code) + ": " +
                       StringField(v.as_object(), "errmsg")};
  }
  return {true, ""};
}

SendResult CheckFeishuAnswer(int http_status, const std::string& body) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) {
    return {false, "feishu answered HTTP " + std::to_string(http_status) + ": " + Shorten(body)};
  }
  const auto& o = v.as_object();
  bool found = false;
  int64_t code = IntField(o, "code", &found);
  std::string msg = StringField(o, "msg");
  if (!found) {
    code = IntField(o, "StatusCode", &found);
    msg = StringField(o, "StatusMessage");
  }
  if (!found) return {false, "feishu answered without code: " + Shorten(body)};
  if (code != 0) return {false, "feishu code " + std::to_string(code) + ": " + msg};
  if (http_status >= 300) return {false, "feishu answered HTTP " + std::to_string(http_status)};
  return {true, ""};
}

}  // namespace failsafe::notify
