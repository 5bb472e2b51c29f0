#pragma once
// One HTTP POST through libcurl with a total timeout. Thread-safe (one easy handle per call).
#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace failsafe::notify {

struct HttpAnswer {
  int status = 0;     // 0: no answer (see error)
  std::string body;   // at most 64 KiB kept
  std::string error;  // transport error ("timed out after 2000 ms", "connection refused")
};

// `url` is never put into `error` (it may carry a token).
HttpAnswer HttpPost(const std::string& url, const std::string& body,
                    const std::vector<std::pair<std::string, std::string>>& headers,
                    std::chrono::milliseconds timeout);

// "scheme://host[:port]/…": what may be shown of a URL whose path or query holds a secret.
std::string RedactedUrl(const std::string& url);

}  // namespace failsafe::notify
