// switchboard/testing/fake_host.hpp — unit-test a plugin without the host.
//
// FakeHost drives a plugin through its real C table (the same trampolines
// and exception barriers the host uses) and records every effect. Link the
// plugin's sources into the test executable and pass its entry function:
//
//   switchboard::testing::FakeHost host(sb_plugin_entry_v1);
//   auto echo = host.create({{"prefix", "> "}});
//   auto run = host.message(echo, {{"text", "hi"}});
//   CHECK(run.replies.at(0)["text"] == "> hi");
//
// Like the host it rejects configs that do not match the descriptor, fills
// defaults, keeps per-conversation state between calls (keyed by
// message.conversation.id), and refuses effects from the wrong context.
// The key-value store (kv_get/kv_set) is shared by all instances of one
// FakeHost, so a second create() sees what the first stored — a restart.
// text_fold answers SB_ERR_UNSUPPORTED unless a test installs a folder.
// Single-threaded except submit_inbound and kv from the instance context,
// which are guarded so channel threads may call them.
#ifndef SWITCHBOARD_TESTING_FAKE_HOST_HPP
#define SWITCHBOARD_TESTING_FAKE_HOST_HPP

#include <switchboard/config_schema.hpp>
#include <switchboard/sdk.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace switchboard::testing {

using sdk::Json;

struct Assignment {
  std::string queue;
  int32_t priority = SB_PRIORITY_NORMAL;
  std::string reason;
};

// Everything one call did.
struct CallResult {
  sb_status status = SB_OK;
  int32_t action = SB_ACTION_CONTINUE;
  std::string error;  // set_error text
  std::vector<std::string> tags;
  Json attributes = Json::object();
  std::optional<std::pair<std::string, double>> intent;
  std::vector<Json> replies;
  std::optional<Assignment> assignment;
  std::optional<std::string> resolved;
  std::vector<Json> submitted;  // submit_inbound from this call
  std::optional<int32_t> http_status;
  std::string http_content_type;
  std::string http_body;
  Json result = Json::object();  // set_result
};

class FakeHost;

namespace detail {
enum class CtxKind { Instance, Message, Http, Send };

// What an sb_ctx points at inside FakeHost.
struct FakeCtx {
  FakeHost* host = nullptr;
  CtxKind kind = CtxKind::Instance;
  CallResult result;
  Json* state = nullptr;
  std::string scratch;    // backs the view state_get returns
  bool creating = false;  // inside create(): kv is not available yet, as in the host
};
}  // namespace detail

// A created plugin instance; destroys it when it goes out of scope.
class Instance {
 public:
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;
  Instance(Instance&& other) noexcept
      : host_(other.host_), instance_(std::exchange(other.instance_, nullptr)), ctx_(std::move(other.ctx_)) {}
  Instance& operator=(Instance&&) = delete;
  ~Instance();

  void* raw() const { return instance_; }
  // The plugin object behind the handle, for tests that poke at it directly
  // (e.g. to make a channel submit from "its own thread").
  template <class T>
  T& as() const {
    return sdk::detail::Trampolines<T>::self(instance_);
  }

 private:
  friend class FakeHost;
  using Ctx = detail::FakeCtx;
  Instance(FakeHost* host, void* instance, std::unique_ptr<Ctx> ctx)
      : host_(host), instance_(instance), ctx_(std::move(ctx)) {}
  FakeHost* host_;
  void* instance_;
  std::unique_ptr<Ctx> ctx_;
};

class FakeHost {
 public:
  explicit FakeHost(sb_plugin_entry_v1_fn entry) {
    plugin_ = entry(&table());
    if (plugin_ == nullptr) throw std::runtime_error("plugin entry returned NULL");
    if (plugin_->abi_major != SB_ABI_MAJOR) throw std::runtime_error("plugin ABI major differs");
  }

  const sb_plugin_v1& plugin() const { return *plugin_; }

  // Validates config like the host, then creates and starts the instance.
  // Throws std::runtime_error with the schema issue or the plugin's error.
  Instance create(Json config = Json::object()) {
    auto issues = sdk::apply_config_schema(*plugin_, config);
    if (!issues.empty()) throw std::runtime_error("config " + issues.front().path + ": " + issues.front().message);
    auto ctx = std::make_unique<Instance::Ctx>();
    ctx->host = this;
    ctx->kind = Kind::Instance;
    ctx->creating = true;
    std::string text = config.dump();
    void* raw = nullptr;
    sb_status status = plugin_->create(reinterpret_cast<sb_ctx*>(ctx.get()), sdk::to_sb(text), &raw);
    ctx->creating = false;
    if (status != SB_OK) throw std::runtime_error("create failed: " + ctx->result.error);
    if (plugin_->start != nullptr && plugin_->start(raw) != SB_OK) {
      plugin_->destroy(raw);
      throw std::runtime_error("start failed: " + ctx->result.error);
    }
    return Instance(this, raw, std::move(ctx));
  }

  // Runs on_message; state persists per message.conversation.id.
  CallResult message(Instance& inst, const Json& message) {
    Call call(this, Kind::Message);
    auto id = message.find("conversation") != message.end() && message["conversation"].is_object()
                  ? message["conversation"].value("id", Json("default"))
                  : Json("default");
    call.state = &state_[id.is_string() ? id.get<std::string>() : id.dump()];
    std::string text = message.dump();
    call.result.status = plugin_->on_message(inst.raw(), call.ctx(), sdk::to_sb(text), &call.result.action);
    return std::move(call.result);
  }

  // Runs on_http with the given request parts.
  CallResult http(Instance& inst, std::string_view method, std::string_view body, const Json& headers = Json::object(),
                  std::string_view query = {}) {
    Call call(this, Kind::Http);
    std::string headers_text = headers.dump();
    sb_http_request_v1 req{};
    req.struct_size = sizeof(req);
    req.method = sdk::to_sb(method);
    req.path = sdk::to_sb("");
    req.query = sdk::to_sb(query);
    req.headers_json = sdk::to_sb(headers_text);
    req.body = sdk::to_sb(body);
    req.remote_addr = sdk::to_sb("127.0.0.1");
    call.result.status = plugin_->on_http(inst.raw(), call.ctx(), &req);
    return std::move(call.result);
  }

  // Runs send.
  CallResult send(Instance& inst, const Json& outbound) {
    Call call(this, Kind::Send);
    std::string text = outbound.dump();
    call.result.status = plugin_->send(inst.raw(), call.ctx(), sdk::to_sb(text));
    return std::move(call.result);
  }

  // Runs may_send (the outbox's "may I send now" check).
  CallResult may_send(Instance& inst, const Json& outbound) {
    Call call(this, Kind::Send);
    std::string text = outbound.dump();
    call.result.status =
        plugin_->may_send == nullptr ? SB_OK : plugin_->may_send(inst.raw(), call.ctx(), sdk::to_sb(text));
    return std::move(call.result);
  }

  // Events channels submitted from their own threads (instance context).
  std::vector<Json> submitted() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return background_submitted_;
  }
  std::vector<std::string> logs() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return logs_;
  }

  // The durable key-value store as the plugin left it; tests may seed it too.
  std::map<std::string, std::string> kv() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return kv_;
  }
  void kv_put(const std::string& key, const std::string& value) {
    std::lock_guard<std::mutex> lock(mutex_);
    kv_[key] = value;
  }

  // Installs the text_fold implementation (e.g. the host's folder, linked into the test).
  using TextFolder = std::function<std::string(std::string_view text, int32_t form)>;
  void set_text_folder(TextFolder folder) { folder_ = std::move(folder); }

 private:
  friend class Instance;
  using Kind = detail::CtxKind;
  using CtxBase = detail::FakeCtx;

  struct Call : CtxBase {
    Call(FakeHost* h, Kind k) {
      host = h;
      kind = k;
    }
    sb_ctx* ctx() { return reinterpret_cast<sb_ctx*>(static_cast<CtxBase*>(this)); }
  };

  static CtxBase* from(sb_ctx* ctx) { return reinterpret_cast<CtxBase*>(ctx); }
  static std::string str(sb_str s) { return std::string(sdk::view(s)); }
  static bool is(sb_ctx* ctx, Kind kind) { return ctx != nullptr && from(ctx)->kind == kind; }

  static const sb_host_v1& table() {
    static const sb_host_v1 t = [] {
      sb_host_v1 h{};
      h.struct_size = sizeof(sb_host_v1);
      h.abi_major = SB_ABI_MAJOR;
      h.abi_minor = SB_ABI_MINOR;
      h.log = &log;
      h.set_error = &set_error;
      h.tag = &tag;
      h.set_attribute = &set_attribute;
      h.set_intent = &set_intent;
      h.reply = &reply;
      h.assign = &assign;
      h.resolve = &resolve;
      h.state_get = &state_get;
      h.state_set = &state_set;
      h.submit_inbound = &submit_inbound;
      h.http_respond = &http_respond;
      h.set_result = &set_result;
      h.kv_get = &kv_get;
      h.kv_set = &kv_set;
      h.kv_delete = &kv_delete;
      h.text_fold = &text_fold;
      return h;
    }();
    return t;
  }

  static void log(sb_ctx* ctx, int32_t level, sb_str message) {
    static const char* names[] = {"debug", "info", "warn", "error"};
    std::string line = std::string(level >= 0 && level <= 3 ? names[level] : "?") + ": " + str(message);
    if (ctx == nullptr) return;
    FakeHost* host = from(ctx)->host;
    std::lock_guard<std::mutex> lock(host->mutex_);
    host->logs_.push_back(line);
  }
  static void set_error(sb_ctx* ctx, sb_str message) {
    if (ctx != nullptr) from(ctx)->result.error = str(message);
  }
  static sb_status tag(sb_ctx* ctx, sb_str tag) {
    if (!is(ctx, Kind::Message)) return SB_ERR_STATE;
    auto& tags = from(ctx)->result.tags;
    if (std::find(tags.begin(), tags.end(), str(tag)) == tags.end()) tags.push_back(str(tag));
    return SB_OK;
  }
  static sb_status set_attribute(sb_ctx* ctx, sb_str key, sb_str value) {
    if (!is(ctx, Kind::Message)) return SB_ERR_STATE;
    Json parsed = Json::parse(sdk::view(value), nullptr, false);
    if (parsed.is_discarded()) return SB_ERR_INVALID;
    from(ctx)->result.attributes[str(key)] = std::move(parsed);
    return SB_OK;
  }
  static sb_status set_intent(sb_ctx* ctx, sb_str name, double score) {
    if (!is(ctx, Kind::Message)) return SB_ERR_STATE;
    if (!(score >= 0.0 && score <= 1.0)) return SB_ERR_INVALID;
    from(ctx)->result.intent = std::make_pair(str(name), score);
    return SB_OK;
  }
  static sb_status reply(sb_ctx* ctx, sb_str outbound) {
    if (!is(ctx, Kind::Message)) return SB_ERR_STATE;
    Json parsed = Json::parse(sdk::view(outbound), nullptr, false);
    if (!parsed.is_object()) return SB_ERR_INVALID;
    from(ctx)->result.replies.push_back(std::move(parsed));
    return SB_OK;
  }
  static sb_status assign(sb_ctx* ctx, sb_str queue, int32_t priority, sb_str reason) {
    if (!is(ctx, Kind::Message)) return SB_ERR_STATE;
    if (priority < SB_PRIORITY_LOW || priority > SB_PRIORITY_URGENT || queue.len == 0) return SB_ERR_INVALID;
    from(ctx)->result.assignment = Assignment{str(queue), priority, str(reason)};
    return SB_OK;
  }
  static sb_status resolve(sb_ctx* ctx, sb_str reason) {
    if (!is(ctx, Kind::Message)) return SB_ERR_STATE;
    from(ctx)->result.resolved = str(reason);
    return SB_OK;
  }
  static sb_status state_get(sb_ctx* ctx, sb_str key, sb_str* out) {
    if (!is(ctx, Kind::Message) || out == nullptr) return SB_ERR_STATE;
    CtxBase* c = from(ctx);
    auto it = c->state->find(str(key));
    if (it == c->state->end()) return SB_ERR_NOT_FOUND;
    c->scratch = it->dump();
    *out = sdk::to_sb(c->scratch);
    return SB_OK;
  }
  static sb_status state_set(sb_ctx* ctx, sb_str key, sb_str value) {
    if (!is(ctx, Kind::Message)) return SB_ERR_STATE;
    Json parsed = Json::parse(sdk::view(value), nullptr, false);
    if (parsed.is_discarded()) return SB_ERR_INVALID;
    (*from(ctx)->state)[str(key)] = std::move(parsed);
    return SB_OK;
  }
  static sb_status submit_inbound(sb_ctx* ctx, sb_str event) {
    if (!is(ctx, Kind::Http) && !is(ctx, Kind::Instance)) return SB_ERR_STATE;
    Json parsed = Json::parse(sdk::view(event), nullptr, false);
    if (!parsed.is_object()) return SB_ERR_INVALID;
    CtxBase* c = from(ctx);
    if (c->kind == Kind::Http) {
      c->result.submitted.push_back(std::move(parsed));
      return SB_OK;
    }
    std::lock_guard<std::mutex> lock(c->host->mutex_);
    c->host->background_submitted_.push_back(std::move(parsed));
    return SB_OK;
  }
  static sb_status http_respond(sb_ctx* ctx, int32_t status, sb_str content_type, sb_str body) {
    if (!is(ctx, Kind::Http)) return SB_ERR_STATE;
    if (status < 100 || status > 599) return SB_ERR_INVALID;
    CtxBase* c = from(ctx);
    c->result.http_status = status;
    c->result.http_content_type = str(content_type);
    c->result.http_body = str(body);
    return SB_OK;
  }
  static sb_status set_result(sb_ctx* ctx, sb_str result) {
    if (!is(ctx, Kind::Send)) return SB_ERR_STATE;
    Json parsed = Json::parse(sdk::view(result), nullptr, false);
    if (!parsed.is_object()) return SB_ERR_INVALID;
    from(ctx)->result.result = std::move(parsed);
    return SB_OK;
  }

  static sb_status kv_get(sb_ctx* ctx, sb_str key, sb_sink_fn sink, void* user) {
    if (ctx == nullptr || from(ctx)->creating || sink == nullptr) return SB_ERR_STATE;
    FakeHost* host = from(ctx)->host;
    std::string value;
    {
      std::lock_guard<std::mutex> lock(host->mutex_);
      auto it = host->kv_.find(str(key));
      if (it == host->kv_.end()) return SB_ERR_NOT_FOUND;
      value = it->second;
    }
    sink(user, sdk::to_sb(value));
    return SB_OK;
  }
  static sb_status kv_set(sb_ctx* ctx, sb_str key, sb_str value) {
    if (ctx == nullptr || from(ctx)->creating) return SB_ERR_STATE;
    if (key.len == 0) return SB_ERR_INVALID;
    FakeHost* host = from(ctx)->host;
    std::lock_guard<std::mutex> lock(host->mutex_);
    host->kv_[str(key)] = str(value);
    return SB_OK;
  }
  static sb_status kv_delete(sb_ctx* ctx, sb_str key) {
    if (ctx == nullptr || from(ctx)->creating) return SB_ERR_STATE;
    FakeHost* host = from(ctx)->host;
    std::lock_guard<std::mutex> lock(host->mutex_);
    host->kv_.erase(str(key));
    return SB_OK;
  }
  static sb_status text_fold(sb_ctx* ctx, sb_str text, int32_t form, sb_sink_fn sink, void* user) {
    if (ctx == nullptr || sink == nullptr) return SB_ERR_STATE;
    FakeHost* host = from(ctx)->host;
    if (!host->folder_) return SB_ERR_UNSUPPORTED;
    std::string out = host->folder_(sdk::view(text), form);
    sink(user, sdk::to_sb(out));
    return SB_OK;
  }

  const sb_plugin_v1* plugin_ = nullptr;
  std::map<std::string, Json> state_;
  std::map<std::string, std::string> kv_;
  TextFolder folder_;
  mutable std::mutex mutex_;
  std::vector<Json> background_submitted_;
  std::vector<std::string> logs_;
};

inline Instance::~Instance() {
  if (instance_ == nullptr) return;
  if (host_->plugin_->stop != nullptr) host_->plugin_->stop(instance_);
  host_->plugin_->destroy(instance_);
}

}  // namespace switchboard::testing

#endif  // SWITCHBOARD_TESTING_FAKE_HOST_HPP
