// Senders: bodies and signatures, compared with values computed independently (Python's
// hmac/base64 for the signing vectors), and the email pieces (RFC 2047, Message-ID).
#include "notify/senders.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "base/encoding.h"
#include "notify/email.h"
#include "notify/http_post.h"
#include "notify/markdown.h"
#include "notify/signing.h"

namespace failsafe::notify {
namespace {

namespace bj = boost::json;

bj::object ParseObj(const std::string& s) {
  return bj::parse(s).as_object();
}

Message Page() {
  Message m;
  m.title = "P1: Jira unavailable";
  m.markdown = "**Jira** is down.\n- switch to the Excel sheet";
  m.links = {{"Acknowledge", "https://fs.example/ack/abc"},
             {"Open incident", "https://fs.example/i/1"}};
  return m;
}

// Vectors from: base64.b64encode(hmac.new(secret, msg, sha256).digest()) in Python.
TEST(Signing, DingTalkMatchesIndependentValue) {
  EXPECT_EQ(DingTalkSign("SECabc123", 1700000000000),
            "N5P09a4+p1AMJIJWnIvQd2Yxw9+fu/oEBnPrjCcsLXk=");
  EXPECT_EQ(DingTalkSignedUrl("https://oapi.dingtalk.com/robot/send?access_token=T", "SECabc123",
                              1700000000000),
            "https://oapi.dingtalk.com/robot/send?access_token=T&timestamp=1700000000000"
            "&sign=N5P09a4%2Bp1AMJIJWnIvQd2Yxw9%2Bfu%2FoEBnPrjCcsLXk%3D");
}

TEST(Signing, FeishuMatchesIndependentValue) {
  EXPECT_EQ(FeishuSign("fs-secret", 1700000000), "ognpFOmraex6LA29Ao14dsiNmmjE3YO4x5e/SX8n9Bw=");
}

TEST(Signing, WebhookMatchesIndependentValue) {
  EXPECT_EQ(WebhookSignature("wh-secret", "1700000000", R"({"a":1})"),
            "sha256=e59f8e7d9630ff9ac5544c3de6cd03ae5a56ff5e44b05b1ccc00213397f01f43");
}

TEST(DingTalk, LinksWithoutMentionsMakeAnActionCard) {
  auto body = ParseObj(DingTalkBody(Page()));
  EXPECT_EQ(body.at("msgtype").as_string(), "actionCard");
  const auto& card = body.at("actionCard").as_object();
  EXPECT_EQ(card.at("title").as_string(), "P1: Jira unavailable");
  ASSERT_EQ(card.at("btns").as_array().size(), 2u);
  EXPECT_EQ(card.at("btns").as_array()[0].at("actionURL").as_string(),
            "https://fs.example/ack/abc");
}

TEST(DingTalk, MentionsMakeMarkdownWithAtAndTheMobileInTheText) {
  Message m = Page();
  m.mention_mobiles = {"13800000000"};
  m.mention_dingtalk_ids = {"user123"};
  auto body = ParseObj(DingTalkBody(m));
  EXPECT_EQ(body.at("msgtype").as_string(), "markdown");
  const std::string text(body.at("markdown").at("text").as_string());
  EXPECT_NE(text.find("@13800000000"), std::string::npos);
  EXPECT_NE(text.find("[Acknowledge](https://fs.example/ack/abc)"), std::string::npos);
  EXPECT_EQ(body.at("at").at("atMobiles").as_array()[0].as_string(), "13800000000");
  EXPECT_EQ(body.at("at").at("atUserIds").as_array()[0].as_string(), "user123");
  EXPECT_FALSE(body.at("at").at("isAtAll").as_bool());
}

TEST(Feishu, SignedCardWithButtons) {
  auto body = ParseObj(FeishuBody(Page(), "fs-secret", 1700000000123));
  EXPECT_EQ(body.at("timestamp").as_string(), "1700000000");
  EXPECT_EQ(body.at("sign").as_string(), "ognpFOmraex6LA29Ao14dsiNmmjE3YO4x5e/SX8n9Bw=");
  EXPECT_EQ(body.at("msg_type").as_string(), "interactive");
  const auto& elements = body.at("card").at("elements").as_array();
  ASSERT_EQ(elements.size(), 2u);
  EXPECT_EQ(elements[1].at("actions").as_array()[1].at("url").as_string(),
            "https://fs.example/i/1");
}

TEST(Feishu, PostWithMentionsWhenNoLinks) {
  Message m;
  m.title = "更新";
  m.markdown = "line one\nline two";
  m.language = "zh-CN";
  m.mention_feishu_ids = {"ou_1"};
  auto body = ParseObj(FeishuBody(m, "", 0));
  EXPECT_FALSE(body.contains("sign"));
  EXPECT_EQ(body.at("msg_type").as_string(), "post");
  const auto& post = body.at("content").at("post").at("zh_cn").as_object();
  EXPECT_EQ(post.at("title").as_string(), "更新");
  const auto& lines = post.at("content").as_array();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[2].as_array()[0].at("user_id").as_string(), "ou_1");
}

TEST(WeCom, MarkdownWithMentions) {
  Message m = Page();
  m.mention_wecom_ids = {"zhangsan"};
  auto body = ParseObj(WeComBody(m));
  EXPECT_EQ(body.at("msgtype").as_string(), "markdown");
  const std::string content(body.at("markdown").at("content").as_string());
  EXPECT_NE(content.find("<@zhangsan>"), std::string::npos);
  EXPECT_NE(content.find("**P1: Jira unavailable**"), std::string::npos);
}

TEST(WeCom, TruncatesAtTheByteLimitOnACharacterBoundaryAndKeepsLinks) {
  Message m = Page();
  m.language = "zh-CN";
  m.mention_wecom_ids = {"lisi"};
  for (int i = 0; i < 3000; ++i) m.markdown += "故";  // 3 bytes each: 9000 bytes
  const std::string content(ParseObj(WeComBody(m)).at("markdown").at("content").as_string());
  EXPECT_LE(content.size(), kWeComMarkdownLimit);
  EXPECT_NE(content.find("已截断"), std::string::npos);
  EXPECT_NE(content.find("<@lisi>"), std::string::npos);
  EXPECT_NE(content.find("https://fs.example/ack/abc"), std::string::npos);
  // Valid UTF-8 throughout: Boost.JSON serialised it, and re-parsing keeps it.
  EXPECT_EQ(std::string(Utf8Prefix(content, content.size())), content);
}

TEST(Slack, BlocksHeaderSectionButtons) {
  auto body = ParseObj(SlackBody(Page()));
  EXPECT_EQ(body.at("text").as_string(), "P1: Jira unavailable");
  const auto& blocks = body.at("blocks").as_array();
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_EQ(blocks[1].at("text").at("text").as_string(),
            "*Jira* is down.\n• switch to the Excel sheet");
  EXPECT_EQ(blocks[2].at("elements").as_array()[0].at("url").as_string(),
            "https://fs.example/ack/abc");
}

TEST(Webhook, BodyCarriesKeyKindAndIncident) {
  Outgoing out;
  out.message = Page();
  out.idempotency_key = "k1:3";
  out.kind = "page";
  out.incident_id = 42;
  auto body = ParseObj(WebhookBody(out, 1700000000000));
  EXPECT_EQ(body.at("idempotency_key").as_string(), "k1:3");
  EXPECT_EQ(body.at("incident_id").as_int64(), 42);
  EXPECT_EQ(body.at("links").as_array().size(), 2u);
}

TEST(Answers, ErrcodeAndCode) {
  EXPECT_TRUE(CheckErrcodeAnswer("dingtalk", 200, R"({"errcode":0,"errmsg":"ok"})").ok);
  auto bad = CheckErrcodeAnswer("dingtalk", 200, R"({"errcode":310000,"errmsg":"sign not match"})");
  EXPECT_FALSE(bad.ok);
  EXPECT_NE(bad.error.find("sign not match"), std::string::npos);
  EXPECT_FALSE(CheckErrcodeAnswer("wecom", 500, "oops").ok);
  EXPECT_TRUE(CheckFeishuAnswer(200, R"({"code":0,"msg":"success"})").ok);
  EXPECT_TRUE(CheckFeishuAnswer(200, R"({"StatusCode":0,"StatusMessage":"success"})").ok);
  auto f = CheckFeishuAnswer(200, R"({"code":19021,"msg":"sign match fail"})");
  EXPECT_FALSE(f.ok);
  EXPECT_NE(f.error.find("19021"), std::string::npos);
}

TEST(Email, Rfc2047SubjectRoundTripsAndWordsStayShort) {
  const std::string subject = "数据库故障：Jira 不可用";
  EXPECT_EQ(EncodeHeaderValue(subject), "=?UTF-8?B?5pWw5o2u5bqT5pWF6Zqc77yaSmlyYSDkuI3lj6/nlKg=?=");
  std::string longer;
  for (int i = 0; i < 40; ++i) longer += "应急";
  const std::string enc = EncodeHeaderValue(longer);
  std::string decoded;
  size_t pos = 0;
  while ((pos = enc.find("=?UTF-8?B?", pos)) != std::string::npos) {
    const size_t end = enc.find("?=", pos + 10);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end + 2 - pos, 75u);
    auto part = Base64Decode(enc.substr(pos + 10, end - pos - 10));
    ASSERT_TRUE(part.has_value());
    decoded += *part;  // each word holds whole characters
    pos = end + 2;
  }
  EXPECT_EQ(decoded, longer);
  EXPECT_EQ(EncodeHeaderValue("plain ascii"), "plain ascii");
}

TEST(Email, MessageIsMultipartWithStableMessageId) {
  EmailSettings s;
  s.from = "failsafe <alerts@example.com>";
  Outgoing out;
  out.message = Page();
  out.idempotency_key = "page:1:3";
  const std::string msg = EmailMessage(s, {"oncall@example.com"}, out, 1700000000000);
  EXPECT_NE(msg.find("Message-ID: " + MessageIdFor("page:1:3") + "\r\n"), std::string::npos);
  EXPECT_NE(msg.find("Content-Type: multipart/alternative;"), std::string::npos);
  EXPECT_NE(msg.find("Content-Type: text/plain; charset=UTF-8"), std::string::npos);
  EXPECT_NE(msg.find("Content-Type: text/html; charset=UTF-8"), std::string::npos);
  EXPECT_NE(msg.find("Date: Tue, 14 Nov 2023 22:13:20 +0000"), std::string::npos);
  EXPECT_EQ(MessageIdFor("page:1:3"), MessageIdFor("page:1:3"));
  EXPECT_NE(MessageIdFor("page:1:3"), MessageIdFor("page:1:4"));
  EXPECT_EQ(BareAddress("failsafe <alerts@example.com>"), "alerts@example.com");
}

TEST(Markdown, HtmlEscapesAndLinks) {
  const std::string html = MarkdownToHtml("# Title\n**bold** <x>\n- [a](https://e/?q=1&r=2)");
  EXPECT_NE(html.find("<h3>Title</h3>"), std::string::npos);
  EXPECT_NE(html.find("<strong>bold</strong> &lt;x&gt;"), std::string::npos);
  EXPECT_NE(html.find("<li><a href=\"https://e/?q=1&amp;r=2\">a</a></li>"), std::string::npos);
  EXPECT_EQ(MarkdownToText("[a](u) **b**"), "a (u) b\n");
}

TEST(HttpPost, RefusedConnectionIsAFailureWithoutTheUrl) {
  // Port 1 on loopback: nothing listens there.
  HttpAnswer a = HttpPost("http://127.0.0.1:1/robot/send?access_token=SECRET-TOKEN", "{}", {},
                          std::chrono::milliseconds(2000));
  EXPECT_EQ(a.status, 0);
  EXPECT_EQ(a.error.find("SECRET-TOKEN"), std::string::npos);
  EXPECT_FALSE(a.error.empty());
  EXPECT_EQ(RedactedUrl("https://oapi.dingtalk.com/robot/send?access_token=SECRET"),
            "https://oapi.dingtalk.com/…");
  EXPECT_EQ(RedactedUrl("smtp://user:pw@mail.example.com:587"), "smtp://mail.example.com:587/…");
}

}  // namespace
}  // namespace failsafe::notify
