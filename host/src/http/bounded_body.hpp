// A Beast body for webhook requests: keeps the bytes up to a limit and only
// counts what comes after. A body a little over the limit is still read off
// the connection, so the client gets a clean 413 on a connection that stays
// in step; the parser's own body_limit (set higher) cuts off the rest.
#pragma once

#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

namespace switchboard::http {

struct BoundedBody {
  struct value_type {
    std::string data;  // the body while it fits; cleared once over
    std::size_t limit = 0;
    std::uint64_t received = 0;
    bool over() const { return received > limit; }
  };

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(boost::beast::http::header<isRequest, Fields>&, value_type& body) : body_(body) {}

    void init(const boost::optional<std::uint64_t>& length, boost::beast::error_code& ec) {
      if (length && *length <= body_.limit) body_.data.reserve(static_cast<std::size_t>(*length));
      ec = {};
    }

    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::beast::error_code& ec) {
      std::size_t taken = 0;
      for (auto buffer : boost::beast::buffers_range_ref(buffers)) {
        taken += buffer.size();
        body_.received += buffer.size();
        if (!body_.over()) body_.data.append(static_cast<const char*>(buffer.data()), buffer.size());
      }
      if (body_.over() && !body_.data.empty()) std::string().swap(body_.data);
      ec = {};
      return taken;
    }

    void finish(boost::beast::error_code& ec) { ec = {}; }

   private:
    value_type& body_;
  };
};

}  // namespace switchboard::http
