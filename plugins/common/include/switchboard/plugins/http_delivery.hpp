// Outbound HTTP for channel plugins: POST a JSON body and classify the answer
// the way the outbox needs it — delivered, retry later (429, 5xx, timeouts,
// connection failures; honouring Retry-After) or permanent (other 4xx).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

namespace switchboard::plugins {

struct HttpTarget {
  std::string origin;  // scheme://host[:port]
  std::string path;    // /path?query, "/" when empty
};

// Splits an http(s) URL; false when it is not one.
bool parse_http_url(const std::string& url, HttpTarget& out);

enum class Delivery { Delivered, Retry, Permanent };

struct HttpOutcome {
  Delivery delivery = Delivery::Retry;
  int status = 0;               // HTTP status; 0 when no response arrived
  int64_t retry_after_ms = -1;  // from Retry-After seconds, -1 when absent
  std::string body;             // response body (truncated to 4 KiB)
  std::string error;            // transport error, when status is 0
};

struct HttpPostOptions {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds read_timeout{10000};
};

// POSTs body as application/json with the given extra headers.
HttpOutcome post_json(const HttpTarget& target, const std::map<std::string, std::string>& headers,
                      const std::string& body, const HttpPostOptions& options = {});

// POSTs body with the given content type (e.g. a form) and extra headers.
HttpOutcome post_body(const HttpTarget& target, const std::map<std::string, std::string>& headers,
                      const std::string& body, const std::string& content_type, const HttpPostOptions& options = {});

// GETs target.path (with its query) with the given extra headers.
HttpOutcome get(const HttpTarget& target, const std::map<std::string, std::string>& headers,
                const HttpPostOptions& options = {});

}  // namespace switchboard::plugins

namespace httplib {
class Result;
}

namespace switchboard::plugins {

// What one cpp-httplib answer (or its absence) means for the outbox.
HttpOutcome outcome_of(const httplib::Result& result);

// Classifies a status code: 2xx delivered, 408/429/5xx retry, else permanent.
Delivery classify_status(int status);

}  // namespace switchboard::plugins
