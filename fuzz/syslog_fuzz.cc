// Fuzzes the syslog parsers (RFC 3164 and 5424) and the TCP deframer (RFC 6587): any bytes
// give a message or an error naming a byte, never a crash, a hang or an exception; frames
// never exceed the size limit.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "watch/logsources/syslog_framing.h"
#include "watch/logsources/syslog_message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace failsafe::watch;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  static const LocalZone zone = *LocalZone::Find("Asia/Shanghai");
  const SyslogParseOptions options{zone, 1'795'000'000'000};
  auto m = ParseSyslog(input, options);
  if (!m && m.error().message().find("at byte") == std::string::npos) __builtin_trap();
  if (m && m->format == SyslogMessage::Format::kRfc5424 && m->line.size() > input.size() + 8) {
    __builtin_trap();  // the rules' line is a rearrangement of the input, never larger
  }
  constexpr size_t kMax = 256;
  SyslogStreamDeframer deframer(kMax, [&](const SyslogFrame& f) {
    if (f.text.size() > kMax) __builtin_trap();
    (void)ParseSyslog(f.text, options);
  });
  // Two reads split in the middle, as a TCP stream arrives.
  deframer.Feed(input.substr(0, size / 2));
  deframer.Feed(input.substr(size / 2));
  (void)deframer.Flush();
  return 0;
}
