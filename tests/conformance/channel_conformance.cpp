// Conformance of the real channel plugins (the built .so files, loaded with
// Boost.DLL and driven through FakeHost) against the shared fixture samples
// and their signature vectors: ../shared/fixtures/{zalo,messenger}. Run by
// .ci/run through scripts/conformance.sh, never by ctest: the fixtures live
// outside the repository and are never copied into it.
//
//   channel_conformance <fixtures dir> <plugin dir>
//
// Prints one line per check; exits 1 when any check fails.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <switchboard/testing/fake_host.hpp>

#include <boost/dll/shared_library.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace fs = std::filesystem;
using switchboard::testing::CallResult;
using switchboard::testing::FakeHost;
using Json = switchboard::sdk::Json;

namespace {

int failures = 0;
int checks = 0;

void check(bool ok, const std::string& what) {
  ++checks;
  if (!ok) ++failures;
  std::cout << (ok ? "ok   " : "FAIL ") << what << "\n";
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string hex(const unsigned char* bytes, unsigned n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < n; ++i) out += std::string{digits[bytes[i] >> 4], digits[bytes[i] & 0xF]};
  return out;
}

std::string sha256(const std::string& data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return hex(digest, SHA256_DIGEST_LENGTH);
}

std::string hmac256(const std::string& key, const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), digest, &length);
  return hex(digest, length);
}

std::string text_of(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

class Plugin {
 public:
  explicit Plugin(const fs::path& file)
      : library_(file.string()), entry_(library_.get<const sb_plugin_v1*(const sb_host_v1*)>(SB_PLUGIN_ENTRY_V1)) {}
  sb_plugin_entry_v1_fn entry() const { return entry_; }

 private:
  boost::dll::shared_library library_;
  sb_plugin_entry_v1_fn entry_;
};

// ---- Zalo OA

Json zalo_config(const std::string& app_id, const std::string& secret) {
  return {{"app_id", app_id},
          {"oa_id", ""},
          {"oa_secret_key", secret},
          {"app_secret", "conformance-app-secret"},
          {"access_token", "unused"},
          {"refresh_token", "unused"},
          {"api_base", "http://127.0.0.1:9"},
          {"oauth_base", "http://127.0.0.1:9"},
          {"fetch_profile", false}};
}

void zalo_vectors(const Plugin& plugin, const fs::path& dir) {
  Json vectors = Json::parse(read_file(dir / "signature_vectors.json"));
  for (const Json& v : vectors.at("vectors")) {
    std::string id = text_of(v, "id");
    std::string body =
        v.contains("body_file") ? read_file(dir / v["body_file"].get<std::string>()) : text_of(v, "body");
    FakeHost host(plugin.entry());
    auto ch = host.create(zalo_config(text_of(v, "app_id"), text_of(v, "oa_secret_key")));
    CallResult good = host.http(ch, "POST", body, {{"x-zevent-signature", text_of(v, "expected_header")}});
    Json parsed = Json::parse(body);
    bool same_text =
        good.submitted.size() == 1 && good.submitted[0].value("text", "") == parsed["message"].value("text", "");
    check(good.http_status == 200 && same_text && good.submitted[0]["id"] == parsed["message"]["msg_id"] &&
              good.submitted[0]["sender"]["id"] == parsed["sender"]["id"],
          "zalo " + id + ": expected_header accepted, one message event with the body's ids and text");
    CallResult bare = host.http(ch, "POST", body, {{"x-zevent-signature", text_of(v, "expected_mac")}});
    check(bare.http_status == 200 && bare.submitted.size() == 1, "zalo " + id + ": bare hex mac accepted");
    CallResult wrong = host.http(ch, "POST", body, {{"x-zevent-signature", "mac=" + text_of(v, "wrong_secret_mac")}});
    check(wrong.http_status == 401 && wrong.submitted.empty(), "zalo " + id + ": wrong-secret mac refused (401)");
    check(sha256(text_of(v, "app_id") + body + text_of(v, "timestamp") + text_of(v, "oa_secret_key")) ==
              text_of(v, "expected_mac"),
          "zalo " + id + ": vector matches the formula over the raw body bytes");
  }
}

// What a sample must become, by its event_name.
std::string expected_type(const Json& body) {
  std::string name = text_of(body, "event_name");
  if (name.rfind("user_send_", 0) == 0) return "message";
  if (name.rfind("oa_send_", 0) == 0) return body["sender"].contains("admin_id") ? "agent_message" : "";
  if (name == "follow") return "follow";
  if (name == "unfollow" || name == "user_submit_info" || name == "user_click_chatnow") {
    return "contact_update";
  }
  if (name == "user_received_message" || name == "user_seen_message") return "receipt";
  return "";
}

void zalo_samples(const Plugin& plugin, const fs::path& dir) {
  const std::string secret = "conformance-oa-secret";
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string file = entry.path().filename().string();
    if (entry.path().extension() != ".json" || file == "signature_vectors.json") continue;
    std::string body = read_file(entry.path());
    Json parsed = Json::parse(body);
    std::string app_id = text_of(parsed, "app_id");
    FakeHost host(plugin.entry());
    auto ch = host.create(zalo_config(app_id, secret));
    std::string header = "mac=" + sha256(app_id + body + text_of(parsed, "timestamp") + secret);
    CallResult r = host.http(ch, "POST", body, {{"x-zevent-signature", header}});
    std::string want = expected_type(parsed);
    bool ok = r.http_status == 200 &&
              (want.empty() ? r.submitted.empty() : r.submitted.size() == 1 && r.submitted[0]["type"] == want);
    std::string got = r.submitted.empty() ? "nothing" : r.submitted[0].dump();
    check(ok, "zalo " + file + ": 200 and " + (want.empty() ? "nothing" : want) + " (got " + got + ")");
    if (want == "message" || want == "agent_message") {
      check(r.submitted[0]["id"] == parsed["message"]["msg_id"], "zalo " + file + ": id is message.msg_id, a string");
    }
    if (file.find("submit_info") != std::string::npos && !r.submitted.empty()) {
      check(r.submitted[0]["sender"]["phone"] == parsed["info"]["phone"], "zalo " + file + ": phone carried");
    }
    CallResult forged = host.http(ch, "POST", body, {{"x-zevent-signature", "mac=" + std::string(64, 'a')}});
    check(forged.http_status == 401 && forged.submitted.empty(), "zalo " + file + ": forged signature refused (401)");
  }
}

// ---- Messenger

Json messenger_config(const std::string& secret, const std::string& page_id) {
  return {{"app_id", "conformance-app"}, {"app_secret", secret}, {"page_access_token", "unused"},
          {"verify_token", "unused"},    {"page_id", page_id},   {"graph_api_base", "http://127.0.0.1:9"}};
}

void messenger_vectors(const Plugin& plugin, const fs::path& dir) {
  Json vectors = Json::parse(read_file(dir / "signature_vectors.json"));
  for (const Json& v : vectors.at("vectors")) {
    std::string id = text_of(v, "id");
    std::string signature = text_of(v, "x_hub_signature_256");
    if (signature.empty()) continue;
    std::string body =
        v.contains("body_file") ? read_file(dir / v["body_file"].get<std::string>()) : text_of(v, "body");
    FakeHost host(plugin.entry());
    auto ch = host.create(messenger_config(text_of(v, "app_secret"), ""));
    CallResult good = host.http(ch, "POST", body, {{"x-hub-signature-256", signature}});
    check(good.http_status != 403, "messenger " + id + ": X-Hub-Signature-256 accepted (HTTP " +
                                       std::to_string(good.http_status.value_or(0)) + ")");
    check("sha256=" + hmac256(text_of(v, "app_secret"), body) == signature,
          "messenger " + id + ": vector matches HMAC-SHA256 over the raw body bytes");
    std::string wrong = text_of(v, "decoded_utf8_body_sha256_WRONG");
    if (!wrong.empty()) {
      CallResult refused = host.http(ch, "POST", body, {{"x-hub-signature-256", wrong}});
      check(refused.http_status == 403 && refused.submitted.empty(),
            "messenger " + id + ": digest of the re-serialised body refused (403)");
    }
  }
}

std::size_t messaging_items(const Json& body) {
  std::size_t n = 0;
  for (const Json& entry : body.value("entry", Json::array())) {
    n += entry.value("messaging", Json::array()).size() + entry.value("standby", Json::array()).size();
  }
  return n;
}

void messenger_samples(const Plugin& plugin, const fs::path& dir) {
  const std::string secret = "conformance-app-secret";
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string file = entry.path().filename().string();
    if (entry.path().extension() != ".json" || file == "signature_vectors.json") continue;
    std::string body = read_file(entry.path());
    Json parsed = Json::parse(body);
    // page_id "" serves every Page: a batch may carry entries of several.
    FakeHost host(plugin.entry());
    auto ch = host.create(messenger_config(secret, ""));
    CallResult r = host.http(ch, "POST", body, {{"x-hub-signature-256", "sha256=" + hmac256(secret, body)}});
    std::size_t items = messaging_items(parsed);
    check(r.http_status == 200 && r.submitted.size() == items, "messenger " + file + ": 200 and " +
                                                                   std::to_string(items) + " event(s) (got " +
                                                                   std::to_string(r.submitted.size()) + ")");
    bool ids = true;
    for (const Json& e : r.submitted) ids = ids && e["id"].is_string() && !e["id"].get<std::string>().empty();
    check(ids, "messenger " + file + ": every event has a string dedup id");
    CallResult forged = host.http(ch, "POST", body, {{"x-hub-signature-256", "sha256=" + std::string(64, 'a')}});
    check(forged.http_status == 403 && forged.submitted.empty(), "messenger " + file + ": forged signature refused");
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: channel_conformance <fixtures dir> <plugin dir>\n";
    return 2;
  }
  fs::path fixtures = argv[1];
  fs::path plugins = argv[2];
  try {
    Plugin zalo(plugins / "zalo_oa.so");
    Plugin messenger(plugins / "messenger.so");
    zalo_vectors(zalo, fixtures / "zalo");
    zalo_samples(zalo, fixtures / "zalo");
    messenger_vectors(messenger, fixtures / "messenger");
    messenger_samples(messenger, fixtures / "messenger");
  } catch (const std::exception& e) {
    std::cout << "FAIL conformance aborted: " << e.what() << "\n";
    return 1;
  }
  std::cout << checks - failures << " of " << checks << " conformance checks passed\n";
  return failures == 0 ? 0 : 1;
}
