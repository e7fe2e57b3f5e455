// Hands a client connection over to the RouteServer: connects to it on
// loopback, sends the bytes the front already read (the request head it
// re-serialised, and whatever followed), then copies bytes both ways until
// either side is done. The front never parses what passes here, so server-sent
// events, keep-alive and pipelining behave exactly as the route server makes
// them. The client's address is not passed on (the routes behind do not use it).
#pragma once

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <optional>
#include <string>

#include "http/front_context.hpp"

namespace switchboard::http {

class Relay : public std::enable_shared_from_this<Relay> {
 public:
  // `client`'s executor must be a strand; the relay runs on it.
  static void start(boost::asio::ip::tcp::socket client, std::string already_read, FrontContext& context);

  Relay(boost::asio::ip::tcp::socket client, std::string already_read, FrontContext& context);

 private:
  using Socket = boost::asio::ip::tcp::socket;
  struct Pipe {
    std::array<char, 16 * 1024> buffer;
  };

  void connect();
  void copy(Socket& from, Socket& to, Pipe& pipe, bool upstream);
  void unavailable(const std::string& why);
  void close();

  Socket client_;
  Socket backend_;
  std::string already_read_;
  FrontContext& context_;
  Pipe up_;                             // client -> route server
  Pipe down_;                           // route server -> client
  std::optional<LiveSet::Entry> live_;  // from start() on, when a weak pointer to it exists
};

}  // namespace switchboard::http
