#include "tests/support/sse_client.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace failsafe::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct EventStreamReader::Conn {
  net::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
};

EventStreamReader::EventStreamReader(std::string host_port, std::string bearer,
                                     std::string last_event_id)
    : conn_(std::make_unique<Conn>()) {
  const auto colon = host_port.rfind(':');
  beast::error_code ec;
  tcp::resolver resolver(conn_->ioc);
  auto endpoints = resolver.resolve(host_port.substr(0, colon), host_port.substr(colon + 1), ec);
  if (!ec) conn_->stream.connect(endpoints, ec);
  if (ec) return;
  http::request<http::empty_body> req{http::verb::get, "/api/v1/events", 11};
  req.set(http::field::host, host_port);
  req.set(http::field::accept, "text/event-stream");
  req.set(http::field::authorization, "Bearer " + bearer);
  if (!last_event_id.empty()) req.set("Last-Event-ID", last_event_id);
  conn_->stream.expires_after(std::chrono::seconds(10));
  http::write(conn_->stream, req, ec);
  if (ec) return;
  http::response_parser<http::empty_body> parser;
  http::read_header(conn_->stream, conn_->buffer, parser, ec);
  if (ec) return;
  status_ = static_cast<int>(parser.get().result_int());
  // What followed the header in the same read is the start of the body.
  text_.assign(static_cast<const char*>(conn_->buffer.data().data()), conn_->buffer.size());
  conn_->buffer.consume(conn_->buffer.size());
}

EventStreamReader::~EventStreamReader() = default;

bool EventStreamReader::ReadSome(std::chrono::steady_clock::time_point deadline) {
  if (ended_ || status_ == 0) return false;
  const auto left = deadline - std::chrono::steady_clock::now();
  if (left <= std::chrono::milliseconds(0)) return false;
  conn_->stream.expires_after(std::chrono::duration_cast<std::chrono::milliseconds>(left));
  char data[4096];
  beast::error_code ec;
  const size_t n = conn_->stream.read_some(net::buffer(data), ec);
  text_.append(data, n);
  if (ec == net::error::eof) ended_ = true;
  return !ec;
}

bool EventStreamReader::WaitFor(const std::string& needle, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (text_.find(needle) == std::string::npos) {
    if (!ReadSome(deadline)) return text_.find(needle) != std::string::npos;
  }
  return true;
}

bool EventStreamReader::WaitForEnd(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!ended_) {
    if (!ReadSome(deadline)) break;
  }
  return ended_;
}

}  // namespace failsafe::testing
