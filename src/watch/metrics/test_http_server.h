#pragma once
// Test helper: a tiny HTTP/1.0 server on 127.0.0.1 answering every request with one canned
// response (status, content type, body, optional delay), recording the last request.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>

namespace failsafe::watch {

class CannedServer {
 public:
  CannedServer() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    socklen_t len = sizeof(addr);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    listen(fd_, 8);
    thread_ = std::thread([this] { Serve(); });
  }
  ~CannedServer() {
    stop_ = true;
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  void Respond(int status, std::string content_type, std::string body, int delay_ms = 0) {
    std::lock_guard lock(mu_);
    status_ = status;
    content_type_ = std::move(content_type);
    body_ = std::move(body);
    delay_ms_ = delay_ms;
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/metrics"; }
  std::string last_request() {
    std::lock_guard lock(mu_);
    return request_;
  }

 private:
  void Serve() {
    while (!stop_) {
      const int c = accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      std::string req;
      char buf[4096];
      while (req.find("\r\n\r\n") == std::string::npos) {
        const ssize_t n = read(c, buf, sizeof(buf));
        if (n <= 0) break;
        req.append(buf, n);
      }
      std::string response;
      int delay = 0;
      {
        std::lock_guard lock(mu_);
        request_ = req;
        delay = delay_ms_;
        response = "HTTP/1.0 " + std::to_string(status_) + " X\r\nContent-Type: " + content_type_ +
                   "\r\nContent-Length: " + std::to_string(body_.size()) + "\r\n\r\n" + body_;
      }
      if (delay > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay));
      (void)!write(c, response.data(), response.size());
      close(c);
    }
  }
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mu_;
  int status_ = 200;
  std::string content_type_ = "text/plain; version=0.0.4";
  std::string body_;
  int delay_ms_ = 0;
  std::string request_;
};

}  // namespace failsafe::watch
