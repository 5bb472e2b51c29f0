#include "watch/probes/testing/test_dns_server.h"

#include <boost/asio.hpp>
#include <thread>

namespace failsafe::watch::probes::testing {

namespace asio = boost::asio;
using udp = asio::ip::udp;

struct TestDnsServer::Impl {
  std::map<std::string, std::vector<std::string>> records;
  asio::io_context io;
  udp::socket socket{io, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  std::array<unsigned char, 512> buf{};
  udp::endpoint peer;
  std::thread thread;

  void Receive() {
    socket.async_receive_from(asio::buffer(buf), peer,
                              [this](boost::system::error_code ec, size_t n) {
                                if (ec == asio::error::operation_aborted) return;
                                if (!ec) Answer(n);
                                Receive();
                              });
  }

  // Reads the question name; returns the offset just past QTYPE/QCLASS, or 0 when malformed.
  size_t ReadQuestion(size_t n, std::string& name, uint16_t& qtype) const {
    size_t i = 12;
    while (i < n && buf[i] != 0) {
      const size_t len = buf[i];
      if (len > 63 || i + 1 + len > n) return 0;
      if (!name.empty()) name += '.';
      for (size_t k = 0; k < len; ++k) name += static_cast<char>(std::tolower(buf[i + 1 + k]));
      i += 1 + len;
    }
    if (i + 5 > n) return 0;
    qtype = static_cast<uint16_t>(buf[i + 1] << 8 | buf[i + 2]);
    return i + 5;
  }

  void Answer(size_t n) {
    if (n < 12) return;
    std::string name;
    uint16_t qtype = 0;
    const size_t end = ReadQuestion(n, name, qtype);
    if (end == 0 || name.starts_with("silent.")) return;
    std::vector<unsigned char> out(buf.begin(), buf.begin() + static_cast<long>(end));
    out[2] = 0x84;  // response, authoritative
    out[3] = 0x00;
    out[6] = out[7] = out[8] = out[9] = out[10] = out[11] = 0;
    auto it = records.find(name);
    if (it == records.end()) {
      out[3] = 0x03;  // NXDOMAIN
    } else if (qtype == 1) {
      out[7] = static_cast<unsigned char>(it->second.size());
      for (const auto& ip : it->second) {
        const auto bytes = asio::ip::make_address_v4(ip).to_bytes();
        const unsigned char rr[] = {0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4};
        out.insert(out.end(), std::begin(rr), std::end(rr));
        out.insert(out.end(), bytes.begin(), bytes.end());
      }
    }
    boost::system::error_code ignored;
    socket.send_to(asio::buffer(out), peer, 0, ignored);
  }
};

TestDnsServer::TestDnsServer(std::map<std::string, std::vector<std::string>> a_records)
    : impl_(std::make_unique<Impl>()) {
  impl_->records = std::move(a_records);
  impl_->Receive();
  impl_->thread = std::thread([this] { impl_->io.run(); });
}

TestDnsServer::~TestDnsServer() {
  impl_->io.stop();
  impl_->thread.join();
}

uint16_t TestDnsServer::port() const {
  return impl_->socket.local_endpoint().port();
}

}  // namespace failsafe::watch::probes::testing
