#include "tests/support/receivers.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "base/encoding.h"
#include "tests/support/http_client.h"

namespace failsafe::testing {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::string StripWhitespace(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
  }
  return out;
}

std::string DecodeQuotedPrintable(const std::string& s, bool underscore_is_space) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '=' && i + 1 < s.size() && (s[i + 1] == '\r' || s[i + 1] == '\n')) {
      i += (s[i + 1] == '\r' && i + 2 < s.size() && s[i + 2] == '\n') ? 2 : 1;  // soft break
    } else if (c == '=' && i + 2 < s.size()) {
      auto hex = HexDecode(s.substr(i + 1, 2));
      if (hex) {
        out += *hex;
        i += 2;
      } else {
        out += c;
      }
    } else if (c == '_' && underscore_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

// Splits "headers\r\n\r\nbody" into lower-cased unfolded headers and the body.
std::map<std::string, std::string> SplitHeaders(const std::string& raw, std::string* body) {
  std::map<std::string, std::string> headers;
  size_t end = raw.find("\r\n\r\n");
  size_t sep = 4;
  if (end == std::string::npos) {
    end = raw.find("\n\n");
    sep = 2;
  }
  const std::string head = raw.substr(0, end == std::string::npos ? raw.size() : end);
  *body = end == std::string::npos ? "" : raw.substr(end + sep);
  std::string name, value;
  std::istringstream in(head);
  std::string line;
  auto flush = [&] {
    if (!name.empty()) headers[Lower(name)] = Trim(value);
    name.clear();
    value.clear();
  };
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      value += line;  // folded continuation
      continue;
    }
    flush();
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    name = line.substr(0, colon);
    value = line.substr(colon + 1);
  }
  flush();
  return headers;
}

std::string HeaderParam(const std::string& header, const std::string& param) {
  const std::string lower = Lower(header);
  size_t at = lower.find(param + "=");
  if (at == std::string::npos) return "";
  std::string v = header.substr(at + param.size() + 1);
  if (!v.empty() && v[0] == '"') {
    size_t close = v.find('"', 1);
    return v.substr(1, close == std::string::npos ? std::string::npos : close - 1);
  }
  size_t stop = v.find_first_of("; \t\r\n");
  return v.substr(0, stop);
}

std::string DecodeBody(const std::map<std::string, std::string>& headers, const std::string& b) {
  auto it = headers.find("content-transfer-encoding");
  const std::string cte = it == headers.end() ? "" : Lower(it->second);
  if (cte == "base64") return Base64Decode(StripWhitespace(b)).value_or("<bad base64>");
  if (cte == "quoted-printable") return DecodeQuotedPrintable(b, false);
  return b;
}

void CollectParts(const std::string& raw, ReceivedEmail& email, int depth) {
  std::string body;
  auto headers = SplitHeaders(raw, &body);
  auto ct_it = headers.find("content-type");
  const std::string ct = ct_it == headers.end() ? "text/plain" : ct_it->second;
  const std::string type = Lower(ct.substr(0, ct.find(';')));
  if (type.rfind("multipart/", 0) == 0 && depth < 5) {
    const std::string boundary = "--" + HeaderParam(ct, "boundary");
    size_t pos = body.find(boundary);
    while (pos != std::string::npos) {
      pos += boundary.size();
      if (body.compare(pos, 2, "--") == 0) break;
      size_t next = body.find(boundary, pos);
      std::string part =
          body.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
      if (part.rfind("\r\n", 0) == 0) part = part.substr(2);
      CollectParts(part, email, depth + 1);
      pos = next;
    }
    return;
  }
  if (type == "text/html") {
    email.html_body = DecodeBody(headers, body);
  } else if (type == "text/plain") {
    email.text_body = DecodeBody(headers, body);
  }
}

}  // namespace

// ---- ReceiverProcess ----

ReceiverProcess::~ReceiverProcess() {
  Stop();
}

bool ReceiverProcess::Start(const std::string& script, std::vector<std::string> args,
                            int timeout_ms) {
  const std::string port_file = dir_.path() + "/port";
  const std::string script_path = std::string(FAILSAFE_TESTS_DIR) + "/support/" + script;
  std::vector<std::string> argv = {"/usr/bin/python3", script_path, "--port-file", port_file};
  argv.insert(argv.end(), args.begin(), args.end());
  const std::string log_path = dir_.path() + "/receiver.log";
  pid_ = fork();
  if (pid_ == 0) {
    int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    std::vector<char*> cargv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    execv(cargv[0], cargv.data());
    _exit(127);
  }
  if (pid_ < 0) return false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (fs::exists(port_file)) {
      port_ = std::atoi(ReadFile(port_file).c_str());
      if (port_ > 0) return true;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

void ReceiverProcess::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  for (int i = 0; i < 200; ++i) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string ReceiverProcess::log() const {
  return ReadFile(dir_.path() + "/receiver.log");
}

// ---- RobotReceiver ----

RobotReceiver::RobotReceiver(std::map<std::string, std::string> secrets)
    : secrets_(std::move(secrets)) {}

bool RobotReceiver::Start(int timeout_ms) {
  std::vector<std::string> args = {"--record", process_.dir() + "/received.jsonl"};
  for (const auto& [path, secret] : secrets_) {
    args.push_back("--secret");
    args.push_back(path + "=" + secret);
  }
  return process_.Start("robot_receiver.py", std::move(args), timeout_ms);
}

std::string RobotReceiver::Url(const std::string& path_and_query) const {
  return "http://127.0.0.1:" + std::to_string(port()) + path_and_query;
}

bool RobotReceiver::Control(const std::string& json) {
  HttpClient client("127.0.0.1:" + std::to_string(port()));
  return client.Post("/_control", json).status == 200;
}

boost::json::object RobotReceiver::Counters() {
  HttpClient client("127.0.0.1:" + std::to_string(port()));
  auto v = client.Get("/_control").Json();
  return v.is_object() ? v.as_object() : boost::json::object{};
}

std::vector<boost::json::object> RobotReceiver::Received(const std::string& path) const {
  std::vector<boost::json::object> out;
  std::istringstream in(ReadFile(process_.dir() + "/received.jsonl"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    boost::system::error_code ec;
    auto v = boost::json::parse(line, ec);
    if (ec || !v.is_object()) continue;  // a line being written
    if (!path.empty() && v.as_object().at("path").as_string() != path) continue;
    out.push_back(v.as_object());
  }
  return out;
}

bool RobotReceiver::WaitForCount(size_t n, std::chrono::milliseconds deadline,
                                 const std::string& path) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (true) {
    if (Received(path).size() >= n) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
}

// ---- SmtpReceiver ----

SmtpReceiver::SmtpReceiver(SmtpReceiverOptions options) : options_(std::move(options)) {}

bool SmtpReceiver::Start(int timeout_ms) {
  std::vector<std::string> args = {"--dir", process_.dir() + "/mail"};
  if (options_.starttls) {
    const std::string cert = process_.dir() + "/cert.pem", key = process_.dir() + "/key.pem";
    auto made =
        RunCommand("/usr/bin/openssl", {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                                        key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
                                        "-addext", "subjectAltName=IP:127.0.0.1"});
    if (made.exit_code != 0) return false;
    args.insert(args.end(), {"--cert", cert, "--key", key});
    if (options_.require_starttls) args.push_back("--require-starttls");
  }
  if (!options_.user.empty()) {
    args.insert(args.end(), {"--user", options_.user, "--password", options_.password});
  }
  return process_.Start("smtp_receiver.py", std::move(args), timeout_ms);
}

std::string SmtpReceiver::Url() const {
  return "smtp://127.0.0.1:" + std::to_string(port());
}

std::vector<ReceivedEmail> SmtpReceiver::Messages() const {
  std::vector<ReceivedEmail> out;
  const std::string dir = process_.dir() + "/mail";
  for (int n = 1;; ++n) {
    const std::string base = dir + "/" + std::to_string(n);
    if (!fs::exists(base + ".json")) break;
    ReceivedEmail email = ParseEmail(ReadFile(base + ".eml"));
    boost::system::error_code ec;
    auto meta = boost::json::parse(ReadFile(base + ".json"), ec);
    if (!ec && meta.is_object()) {
      const auto& m = meta.as_object();
      if (m.at("mail_from").is_string()) email.mail_from = m.at("mail_from").as_string().c_str();
      for (const auto& r : m.at("rcpt_tos").as_array()) email.rcpt_tos.emplace_back(r.as_string());
      if (m.at("auth_login").is_string()) email.auth_login = m.at("auth_login").as_string().c_str();
      email.tls = m.at("tls").as_bool();
    }
    out.push_back(std::move(email));
  }
  return out;
}

bool SmtpReceiver::WaitForCount(size_t n, std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (true) {
    if (Messages().size() >= n) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
}

// ---- parsing ----

ReceivedEmail ParseEmail(const std::string& raw) {
  ReceivedEmail email;
  email.raw = raw;
  std::string body;
  email.headers = SplitHeaders(raw, &body);
  CollectParts(raw, email, 0);
  return email;
}

std::string DecodeEncodedWords(const std::string& value) {
  std::string out;
  size_t pos = 0;
  bool last_was_word = false;
  while (pos < value.size()) {
    size_t start = value.find("=?", pos);
    if (start == std::string::npos) {
      out += value.substr(pos);
      break;
    }
    std::string between = value.substr(pos, start - pos);
    // Whitespace between two encoded words is not part of the text (RFC 2047 section 6.2).
    if (!(last_was_word && Trim(between).empty())) out += between;
    size_t q1 = value.find('?', start + 2);
    size_t q2 = q1 == std::string::npos ? q1 : value.find('?', q1 + 1);
    size_t end = q2 == std::string::npos ? q2 : value.find("?=", q2 + 1);
    if (end == std::string::npos) {
      out += value.substr(start);
      break;
    }
    const char enc = static_cast<char>(std::toupper(static_cast<unsigned char>(value[q1 + 1])));
    const std::string text = value.substr(q2 + 1, end - q2 - 1);
    out += enc == 'B' ? Base64Decode(text).value_or(text) : DecodeQuotedPrintable(text, true);
    pos = end + 2;
    last_was_word = true;
  }
  return out;
}

}  // namespace failsafe::testing
