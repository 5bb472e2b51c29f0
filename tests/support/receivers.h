#pragma once
// Real local receivers for notification tests: the chat-robot/webhook HTTP receiver
// (robot_receiver.py) and an SMTP server (smtp_receiver.py, Debian's python3-aiosmtpd), each
// run with /usr/bin/python3 on a random port in its own TempDir.
#include <sys/types.h>

#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace failsafe::testing {

// A python receiver process: started on 127.0.0.1:0, its port read from a port file.
class ReceiverProcess {
 public:
  ReceiverProcess() = default;
  ~ReceiverProcess();  // stops it
  ReceiverProcess(const ReceiverProcess&) = delete;
  ReceiverProcess& operator=(const ReceiverProcess&) = delete;

  // Starts `script` (under tests/support) with `args` plus --port-file; false (see log())
  // when it does not report its port within `timeout_ms`.
  bool Start(const std::string& script, std::vector<std::string> args, int timeout_ms);
  void Stop();  // SIGTERM then wait; safe to call twice
  int port() const { return port_; }
  const std::string& dir() const { return dir_.path(); }
  std::string log() const;  // its stdout + stderr

 private:
  TempDir dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// The chat-robot / webhook receiver. Paths: /dingtalk/NAME, /feishu/NAME, /wecom/NAME,
// /slack/NAME, /webhook/NAME (see robot_receiver.py for what each checks and answers).
class RobotReceiver {
 public:
  // `secrets`: path ("/dingtalk/ops") -> signing secret the receiver verifies.
  explicit RobotReceiver(std::map<std::string, std::string> secrets = {});
  bool Start(int timeout_ms = 15'000);
  void Stop() { process_.Stop(); }
  int port() const { return process_.port(); }
  std::string log() const { return process_.log(); }

  // "http://127.0.0.1:PORT" + path_and_query.
  std::string Url(const std::string& path_and_query) const;
  // POSTs a behaviour change to /_control, e.g. R"({"fail":3})"; false when it was refused.
  bool Control(const std::string& json);
  // The counters: requests, accepted, duplicates, rejected.
  boost::json::object Counters();
  // Every accepted message (one per idempotency key per path), in arrival order; only those
  // on `path` when it is not empty. Each: path, kind, idempotency_key, received_at_ms,
  // query, headers, body.
  std::vector<boost::json::object> Received(const std::string& path = "") const;
  // Waits until at least `n` messages were accepted (on `path`, if given); false on timeout.
  bool WaitForCount(size_t n, std::chrono::milliseconds deadline, const std::string& path = "");

 private:
  std::map<std::string, std::string> secrets_;
  ReceiverProcess process_;
};

// One email as the SMTP receiver saved it, with its MIME parts decoded.
struct ReceivedEmail {
  std::string raw;  // the DATA as received
  std::string mail_from;
  std::vector<std::string> rcpt_tos;
  std::optional<std::string> auth_login;       // who authenticated, if anyone
  bool tls = false;                            // the session had switched to TLS
  std::map<std::string, std::string> headers;  // lower-cased names, unfolded, raw values
  std::string text_body, html_body;            // decoded text/plain and text/html parts
};

struct SmtpReceiverOptions {
  bool starttls = false;          // offer STARTTLS with a fresh self-signed certificate
  bool require_starttls = false;  // refuse MAIL before STARTTLS
  std::string user, password;     // non-empty user: AUTH required
};

class SmtpReceiver {
 public:
  explicit SmtpReceiver(SmtpReceiverOptions options = {});
  bool Start(int timeout_ms = 15'000);
  void Stop() { process_.Stop(); }
  int port() const { return process_.port(); }
  std::string log() const { return process_.log(); }
  // "smtp://127.0.0.1:PORT"
  std::string Url() const;
  // The self-signed certificate (PEM, subjectAltName IP:127.0.0.1) when starttls is on: a
  // client trusting it verifies the server.
  std::string cert_path() const { return process_.dir() + "/cert.pem"; }
  std::vector<ReceivedEmail> Messages() const;
  bool WaitForCount(size_t n, std::chrono::milliseconds deadline);

 private:
  SmtpReceiverOptions options_;
  ReceiverProcess process_;
};

// Parses a raw RFC 5322 message (headers, multipart/alternative, base64 / quoted-printable).
ReceivedEmail ParseEmail(const std::string& raw);
// Decodes RFC 2047 encoded-words (=?UTF-8?B?...?= and =?UTF-8?Q?...?=) in a header value.
std::string DecodeEncodedWords(const std::string& value);

}  // namespace failsafe::testing
