#pragma once
// RFC 6587 framing of syslog over TCP. Each message is either octet-counted ("LEN SP MSG", LEN
// without leading zeros) or newline-terminated; senders may mix the two on one connection, so
// the choice is made per message by its first byte (a digit 1-9 means octet counting, as
// rsyslog does). Messages over the limit are cut to it and flagged, the rest skipped; memory
// stays bounded whatever the peer sends.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace failsafe::watch {

struct SyslogFrame {
  std::string_view text;  // valid only during the callback
  bool truncated = false;
};

class SyslogStreamDeframer {
 public:
  using Emit = std::function<void(const SyslogFrame&)>;
  SyslogStreamDeframer(size_t max_message_bytes, Emit emit)
      : max_(max_message_bytes == 0 ? 1 : max_message_bytes), emit_(std::move(emit)) {}

  void Feed(std::string_view data);
  // At the end of the stream: a last newline-framed message without its newline is whole.
  // Returns false when an octet-counted message was cut off by the end (it is dropped).
  bool Flush();

 private:
  enum class State { kStart, kLength, kOctets, kLine };
  void EmitBuffer();
  size_t max_;
  Emit emit_;
  State state_ = State::kStart;
  std::string buf_;
  std::string length_digits_;
  size_t remaining_ = 0;  // kOctets: bytes of the message still to come
  bool truncated_ = false;
};

}  // namespace failsafe::watch
