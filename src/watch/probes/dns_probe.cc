#include "watch/probes/dns_probe.h"

#include <ares.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <re2/re2.h>

#include <boost/asio/post.hpp>
#include <mutex>

namespace failsafe::watch::probes {
namespace {

using Clock = std::chrono::steady_clock;

int RecordTypeCode(std::string_view type) {
  if (type == "A") return 1;
  if (type == "NS") return 2;
  if (type == "MX") return 15;
  if (type == "TXT") return 16;
  if (type == "AAAA") return 28;
  return 0;
}

void InitAresOnce() {
  static std::once_flag once;
  std::call_once(once, [] { ares_library_init(ARES_LIB_INIT_ALL); });
}

struct Query {
  bool finished = false;
  int status = ARES_SUCCESS;
  std::string reply;
};

void OnReply(void* arg, int status, int, unsigned char* abuf, int alen) {
  auto* q = static_cast<Query*>(arg);
  q->finished = true;
  q->status = status;
  if (abuf != nullptr && alen > 0) q->reply.assign(reinterpret_cast<char*>(abuf), alen);
}

std::string ParseRecords(std::string_view type, const std::string& reply,
                         std::vector<std::string>& out) {
  const auto* buf = reinterpret_cast<const unsigned char*>(reply.data());
  const int len = static_cast<int>(reply.size());
  int status = ARES_SUCCESS;
  if (type == "A" || type == "AAAA") {
    hostent* host = nullptr;
    status = type == "A" ? ares_parse_a_reply(buf, len, &host, nullptr, nullptr)
                         : ares_parse_aaaa_reply(buf, len, &host, nullptr, nullptr);
    if (status == ARES_SUCCESS) {
      char text[INET6_ADDRSTRLEN];
      for (char** a = host->h_addr_list; *a != nullptr; ++a) {
        if (inet_ntop(host->h_addrtype, *a, text, sizeof text) != nullptr) out.emplace_back(text);
      }
      ares_free_hostent(host);
    }
  } else if (type == "NS") {
    hostent* host = nullptr;
    status = ares_parse_ns_reply(buf, len, &host);
    if (status == ARES_SUCCESS) {
      for (char** a = host->h_aliases; *a != nullptr; ++a) out.emplace_back(*a);
      ares_free_hostent(host);
    }
  } else if (type == "MX") {
    ares_mx_reply* mx = nullptr;
    status = ares_parse_mx_reply(buf, len, &mx);
    for (auto* m = mx; status == ARES_SUCCESS && m != nullptr; m = m->next)
      out.push_back(std::to_string(m->priority) + " " + m->host);
    if (mx != nullptr) ares_free_data(mx);
  } else if (type == "TXT") {
    ares_txt_reply* txt = nullptr;
    status = ares_parse_txt_reply(buf, len, &txt);
    for (auto* t = txt; status == ARES_SUCCESS && t != nullptr; t = t->next)
      out.emplace_back(reinterpret_cast<const char*>(t->txt), t->length);
    if (txt != nullptr) ares_free_data(txt);
  }
  if (status == ARES_ENODATA) return {};
  return status == ARES_SUCCESS ? std::string()
                                : std::string("bad answer: ") + ares_strerror(status);
}

}  // namespace

bool IsSupportedRecordType(std::string_view type) {
  return RecordTypeCode(type) != 0;
}

DnsAnswer ResolveOnce(const DnsSpec& spec, std::chrono::milliseconds timeout) {
  InitAresOnce();
  DnsAnswer answer;
  const int type = RecordTypeCode(spec.record_type);
  if (type == 0) {
    answer.error = "unsupported record type " + spec.record_type;
    return answer;
  }
  ares_options options{};
  options.timeout = static_cast<int>(timeout.count());
  options.tries = 1;
  ares_channel channel = nullptr;
  if (ares_init_options(&channel, &options, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES) != ARES_SUCCESS) {
    answer.error = "c-ares could not start";
    return answer;
  }
  if (!spec.server.empty() &&
      ares_set_servers_ports_csv(channel, spec.server.c_str()) != ARES_SUCCESS) {
    ares_destroy(channel);
    answer.error = "bad DNS server address \"" + spec.server + "\"";
    return answer;
  }

  const auto start = Clock::now();
  const auto deadline = start + timeout;
  Query query;
  ares_query(channel, spec.query_name.c_str(), /*C_IN=*/1, type, &OnReply, &query);
  while (!query.finished) {
    ares_socket_t socks[ARES_GETSOCK_MAXNUM];
    const int bits = ares_getsock(channel, socks, ARES_GETSOCK_MAXNUM);
    pollfd fds[ARES_GETSOCK_MAXNUM];
    nfds_t n = 0;
    for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
      short events = 0;
      if (ARES_GETSOCK_READABLE(bits, i)) events |= POLLIN;
      if (ARES_GETSOCK_WRITABLE(bits, i)) events |= POLLOUT;
      if (events != 0) fds[n++] = {socks[i], events, 0};
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    poll(fds, n, static_cast<int>(std::min<int64_t>(left.count(), 50)));
    for (nfds_t i = 0; i < n; ++i) {
      const bool readable = (fds[i].revents & (POLLIN | POLLERR | POLLHUP)) != 0;
      const bool writable = (fds[i].revents & POLLOUT) != 0;
      ares_process_fd(channel, readable ? fds[i].fd : ARES_SOCKET_BAD,
                      writable ? fds[i].fd : ARES_SOCKET_BAD);
    }
    ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);  // timeouts and retries
  }
  answer.lookup_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  ares_destroy(channel);  // cancels a query still running (its callback sees ARES_EDESTRUCTION)

  if (!query.finished || query.status == ARES_ETIMEOUT || query.status == ARES_EDESTRUCTION) {
    answer.error = "timed out";
  } else if (query.status == ARES_ENOTFOUND) {
    answer.error = "NXDOMAIN";
  } else if (query.status == ARES_ENODATA) {
    answer.ok = true;  // the name exists but has no record of this type
  } else if (query.status != ARES_SUCCESS) {
    answer.error = ares_strerror(query.status);
  } else {
    answer.error = ParseRecords(spec.record_type, query.reply, answer.records);
    answer.ok = answer.error.empty();
  }
  return answer;
}

void DnsProber::Run(const DnsSpec& spec, std::chrono::milliseconds timeout,
                    std::function<void(ProbeResult)> done) {
  boost::asio::post(pool_, [spec, timeout, done = std::move(done)] {
    const DnsAnswer answer = ResolveOnce(spec, timeout);
    ProbeResult r;
    r.duration_seconds = answer.lookup_seconds;
    r.dns_lookup_seconds = answer.lookup_seconds;
    r.dns_answer_count = static_cast<int>(answer.records.size());
    if (!answer.ok) {
      r.error = answer.error;
    } else if (answer.records.empty() && spec.fail_if_no_answer) {
      r.error = "no " + spec.record_type + " record";
    } else {
      r.success = true;
      for (const auto& re : spec.answer_must_match) {
        bool any = false;
        for (const auto& rec : answer.records) any = any || RE2::PartialMatch(rec, *re);
        if (!any) {
          r.success = false;
          r.error = "no answer matches /" + re->pattern() + "/";
          break;
        }
      }
    }
    done(std::move(r));
  });
}

}  // namespace failsafe::watch::probes
