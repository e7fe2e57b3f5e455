#include "http/relay.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "http/http_errors.hpp"
#include "log/logger.hpp"

namespace switchboard::http {

namespace net = boost::asio;
using boost::system::error_code;

void Relay::start(Socket client, std::string already_read, FrontContext& context) {
  auto relay = std::make_shared<Relay>(std::move(client), std::move(already_read), context);
  std::weak_ptr<Relay> weak = relay;
  relay->live_.emplace(context.relays, [weak] {
    if (auto self = weak.lock()) net::post(self->client_.get_executor(), [self] { self->close(); });
  });
  relay->connect();
}

Relay::Relay(Socket client, std::string already_read, FrontContext& context)
    : client_(std::move(client)),
      backend_(client_.get_executor()),
      already_read_(std::move(already_read)),
      context_(context) {}

void Relay::connect() {
  net::ip::tcp::endpoint route_server(net::ip::address_v4::loopback(), context_.route_port);
  backend_.async_connect(route_server, [self = shared_from_this()](error_code error) {
    if (error) return self->unavailable("cannot reach the route server: " + error.message());
    error_code ignored;
    self->backend_.set_option(net::ip::tcp::no_delay(true), ignored);
    net::async_write(self->backend_, net::buffer(self->already_read_), [self](error_code error, std::size_t) {
      if (error) return self->close();
      std::string().swap(self->already_read_);
      self->copy(self->client_, self->backend_, self->up_, true);
      self->copy(self->backend_, self->client_, self->down_, false);
    });
  });
}

void Relay::copy(Socket& from, Socket& to, Pipe& pipe, bool upstream) {
  from.async_read_some(net::buffer(pipe.buffer),
                       [self = shared_from_this(), &from, &to, &pipe, upstream](error_code error, std::size_t size) {
                         if (error) {
                           // The client stopped sending: let the route server finish its answer.
                           // The route server closed: the connection is over.
                           if (upstream && error == net::error::eof) {
                             error_code ignored;
                             self->backend_.shutdown(Socket::shutdown_send, ignored);
                             return;
                           }
                           return self->close();
                         }
                         net::async_write(to, net::buffer(pipe.buffer.data(), size),
                                          [self, &from, &to, &pipe, upstream](error_code error, std::size_t) {
                                            if (error) return self->close();
                                            self->copy(from, to, pipe, upstream);
                                          });
                       });
}

void Relay::unavailable(const std::string& why) {
  log::error("http", "relayed request refused with 503: " + why);
  context_.metrics.http_requests(503).inc();
  auto answer = std::make_shared<std::string>();
  std::string body = error_json("service unavailable; retry");
  *answer = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: " +
            std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  net::async_write(client_, net::buffer(*answer),
                   [self = shared_from_this(), answer](error_code, std::size_t) { self->close(); });
}

void Relay::close() {
  error_code ignored;
  client_.shutdown(Socket::shutdown_both, ignored);
  client_.close(ignored);
  backend_.close(ignored);
}

}  // namespace switchboard::http
