// cpp-httplib does the HTTP; this file decides what an answer means for the
// outbox. post_json() opens one connection per call; HttpClientPool
// (http_client_pool.hpp) keeps connections open for senders that post to
// one origin again and again.
#include "switchboard/plugins/http_delivery.hpp"

#include <httplib.h>

#include <cstdlib>

namespace switchboard::plugins {

bool parse_http_url(const std::string& url, HttpTarget& out) {
  std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return false;
  std::string scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return false;
  std::size_t path_start = url.find('/', scheme_end + 3);
  out.origin = url.substr(0, path_start);
  out.path = path_start == std::string::npos ? "/" : url.substr(path_start);
  return out.origin.size() > scheme_end + 3;
}

Delivery classify_status(int status) {
  if (status >= 200 && status < 300) return Delivery::Delivered;
  if (status == 408 || status == 429 || status >= 500) return Delivery::Retry;
  return Delivery::Permanent;
}

namespace {

void configure(httplib::Client& client, const HttpPostOptions& options) {
  client.set_connection_timeout(std::chrono::duration_cast<std::chrono::microseconds>(options.connect_timeout));
  client.set_read_timeout(std::chrono::duration_cast<std::chrono::microseconds>(options.read_timeout));
  client.set_write_timeout(std::chrono::duration_cast<std::chrono::microseconds>(options.read_timeout));
}

}  // namespace

HttpOutcome outcome_of(const httplib::Result& result) {
  HttpOutcome outcome;
  if (!result) {
    outcome.error = httplib::to_string(result.error());
    return outcome;  // no answer: transient by definition
  }
  outcome.status = result->status;
  outcome.delivery = classify_status(result->status);
  outcome.body = result->body.substr(0, 4096);
  std::string retry_after = result->get_header_value("Retry-After");
  if (!retry_after.empty() && retry_after.find_first_not_of("0123456789") == std::string::npos) {
    outcome.retry_after_ms = std::strtoll(retry_after.c_str(), nullptr, 10) * 1000;
  }
  return outcome;
}

HttpOutcome post_json(const HttpTarget& target, const std::map<std::string, std::string>& headers,
                      const std::string& body, const HttpPostOptions& options) {
  return post_body(target, headers, body, "application/json", options);
}

HttpOutcome post_body(const HttpTarget& target, const std::map<std::string, std::string>& headers,
                      const std::string& body, const std::string& content_type, const HttpPostOptions& options) {
  httplib::Client client(target.origin);
  configure(client, options);
  httplib::Headers extra(headers.begin(), headers.end());
  return outcome_of(client.Post(target.path, extra, body, content_type));
}

HttpOutcome get(const HttpTarget& target, const std::map<std::string, std::string>& headers,
                const HttpPostOptions& options) {
  httplib::Client client(target.origin);
  configure(client, options);
  httplib::Headers extra(headers.begin(), headers.end());
  return outcome_of(client.Get(target.path, extra));
}

}  // namespace switchboard::plugins
