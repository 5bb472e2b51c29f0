#include "backup/backend/testing/scripted_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

namespace failsafe::backup::testing {
namespace {

// The request's Content-Length, so a PUT body is read before answering (0 if none).
size_t RequestBodyLength(const std::string& head) {
  size_t at = 0;
  while ((at = head.find("\r\n", at)) != std::string::npos) {
    at += 2;
    if (strncasecmp(head.c_str() + at, "content-length:", 15) == 0) {
      return std::strtoull(head.c_str() + at + 15, nullptr, 10);
    }
  }
  return 0;
}

}  // namespace

ScriptedHttpServer::ScriptedHttpServer(Respond respond) : respond_(std::move(respond)) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0 || ::listen(fd_, 8) != 0) {
    throw std::runtime_error("ScriptedHttpServer: cannot listen on 127.0.0.1");
  }
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

ScriptedHttpServer::~ScriptedHttpServer() {
  stop_ = true;
  ::shutdown(fd_, SHUT_RDWR);
  ::close(fd_);
  thread_.join();
}

std::vector<std::string> ScriptedHttpServer::heads() const {
  std::lock_guard lock(mu_);
  return heads_;
}

std::string ScriptedHttpServer::Answer(const std::string& status,
                                       const std::vector<std::string>& headers,
                                       const std::string& body) {
  std::string out = "HTTP/1.1 " + status + "\r\n";
  for (const auto& h : headers) out += h + "\r\n";
  return out + "Connection: close\r\n\r\n" + body;
}

void ScriptedHttpServer::Serve() {
  while (!stop_) {
    const int c = ::accept(fd_, nullptr, nullptr);
    if (c < 0) return;
    std::string request;
    char buf[65536];
    size_t end = std::string::npos;
    while ((end = request.find("\r\n\r\n")) == std::string::npos) {
      const ssize_t n = ::read(c, buf, sizeof buf);
      if (n <= 0) break;
      request.append(buf, size_t(n));
    }
    if (end != std::string::npos) {
      const std::string head = request.substr(0, end + 2);
      const size_t body_length = RequestBodyLength(head);
      while (request.size() < end + 4 + body_length) {
        const ssize_t n = ::read(c, buf, sizeof buf);
        if (n <= 0) break;
        request.append(buf, size_t(n));
      }
      {
        std::lock_guard lock(mu_);
        heads_.push_back(head);
      }
      const std::string answer = respond_(head);
      for (size_t sent = 0; sent < answer.size();) {
        const ssize_t n = ::send(c, answer.data() + sent, answer.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += size_t(n);
      }
    }
    ::close(c);
  }
}

}  // namespace failsafe::backup::testing
