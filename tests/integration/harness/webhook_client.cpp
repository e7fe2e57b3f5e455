#include "harness/webhook_client.hpp"

#include <nlohmann/json.hpp>

#include "harness/signature.hpp"

namespace switchboard::integration {

namespace {

HttpAnswer answer_of(const httplib::Result& result) {
  if (!result) return {};
  return {result->status, result->body};
}

}  // namespace

std::string WebhookMessage::body() const {
  return nlohmann::json{{"message_id", message_id}, {"user", {{"id", user_id}, {"name", user_name}}}, {"text", text}}
      .dump();
}

WebhookClient::WebhookClient(int port, std::string secret) : secret_(std::move(secret)), client_("127.0.0.1", port) {
  client_.set_keep_alive(true);
  client_.set_connection_timeout(5, 0);
  client_.set_read_timeout(10, 0);
  client_.set_write_timeout(10, 0);
}

HttpAnswer WebhookClient::post(const std::string& inbox, const std::string& body) {
  return post_signed_as(inbox, body, signature_header(secret_, body));
}

HttpAnswer WebhookClient::post_signed_as(const std::string& inbox, const std::string& body,
                                         const std::optional<std::string>& signature) {
  httplib::Headers headers;
  if (signature) headers.emplace("X-Switchboard-Signature", *signature);
  return answer_of(client_.Post(("/webhooks/" + inbox).c_str(), headers, body, "application/json"));
}

HttpAnswer WebhookClient::get(const std::string& path) { return answer_of(client_.Get(path.c_str())); }

}  // namespace switchboard::integration
