#pragma once
// Syslog receivers on Boost.Asio: UDP (one datagram is one message) and TCP (RFC 6587, octet
// counting and newline framing, per message). Each runs on its own thread and hands LogLines
// to a sink on that thread. Messages over the size limit are cut and counted; malformed ones
// are counted and dropped (stats().last_error() says why); TCP connections over the limit are
// refused and counted.
#include <memory>
#include <string>

#include "base/clock.h"
#include "base/result.h"
#include "watch/logsources/source_stats.h"
#include "watch/logsources/syslog_intake.h"

namespace failsafe::watch {

struct SyslogListenerOptions {
  std::string listen = "0.0.0.0:514";  // HOST:PORT, IPv6 as [::]:514; port 0 picks one
  std::string source;                  // LogLine.source; default "syslog-udp" / "syslog-tcp"
  size_t max_message_bytes = 64 * 1024;
  size_t max_connections = 256;       // TCP: more are closed at once
  int idle_timeout_ms = 10 * 60'000;  // TCP: a silent connection is closed after this
  std::string timezone = "UTC";       // for BSD timestamps, which carry no zone
  const Clock* clock = nullptr;       // nullptr: the system clock (for the BSD year)
};

enum class SyslogTransport { kUdp, kTcp };

class SyslogListener {
 public:
  SyslogListener(SyslogTransport transport, SyslogListenerOptions options, LogSink sink);
  ~SyslogListener();  // stops
  SyslogListener(const SyslogListener&) = delete;
  SyslogListener& operator=(const SyslogListener&) = delete;

  // Binds and starts receiving. InvalidArgument for a malformed address or time zone,
  // Unavailable when the address cannot be bound.
  Status Start();
  std::string BoundAddress() const;  // "HOST:PORT" with the real port
  void Stop();                       // idempotent
  const SourceStats& stats() const;
  size_t open_connections() const;  // TCP

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace failsafe::watch
