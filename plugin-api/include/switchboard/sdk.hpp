// switchboard/sdk.hpp — header-only C++17 SDK over the C ABI in plugin.h.
//
// A plugin is a class derived from sdk::Handler or sdk::Channel with a
// constructor (sdk::InstanceContext, const sdk::Json& config) and four static
// members describing it; SWITCHBOARD_PLUGIN(Class) exports the entry symbol.
// Every trampoline is an exception barrier: a C++ exception never crosses the
// boundary, it becomes an sb_status plus the exception's text (set_error).
//
//   class Echo : public switchboard::sdk::Handler {
//    public:
//     static constexpr const char* kName = "echo";
//     static constexpr const char* kVersion = "1.0.0";
//     static constexpr const char* kDescription = "Replies with what it got";
//     static constexpr std::array kFields{switchboard::sdk::field(
//         "prefix", SB_FIELD_STRING, 0, "\"\"", "Text put before the echo")};
//     Echo(switchboard::sdk::InstanceContext, const switchboard::sdk::Json& config)
//         : prefix_(config.at("prefix").get<std::string>()) {}
//     switchboard::sdk::Action on_message(switchboard::sdk::MessageCall& call,
//                                         const switchboard::sdk::Json& message) override {
//       call.reply_text(prefix_ + message.value("text", ""));
//       return switchboard::sdk::Action::Continue;
//     }
//    private:
//     std::string prefix_;
//   };
//   SWITCHBOARD_PLUGIN(Echo)
#ifndef SWITCHBOARD_SDK_HPP
#define SWITCHBOARD_SDK_HPP

#include <switchboard/plugin.h>

#include <array>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#if defined(_WIN32)
#define SB_PLUGIN_EXPORT __declspec(dllexport)
#else
#define SB_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

namespace switchboard::sdk {

using Json = nlohmann::json;

inline sb_str to_sb(std::string_view s) noexcept { return sb_str{s.data(), s.size()}; }
inline std::string_view view(sb_str s) noexcept {
  return s.ptr == nullptr ? std::string_view() : std::string_view(s.ptr, s.len);
}

// A config field descriptor, usable in a constexpr std::array.
constexpr sb_config_field_v1 field(const char* name, int32_t type, uint32_t flags, const char* default_json,
                                   const char* description) {
  return sb_config_field_v1{name, type, flags, default_json, description};
}

// The descriptor at index i, honouring the stride the plugin was compiled with.
inline const sb_config_field_v1& field_at(const sb_plugin_v1& plugin, uint32_t i) {
  auto base = reinterpret_cast<const unsigned char*>(plugin.config_fields);
  return *reinterpret_cast<const sb_config_field_v1*>(base + std::size_t{i} * plugin.config_field_size);
}

inline const char* field_type_name(int32_t type) {
  switch (type) {
    case SB_FIELD_STRING: return "string";
    case SB_FIELD_INTEGER: return "integer";
    case SB_FIELD_NUMBER: return "number";
    case SB_FIELD_BOOLEAN: return "boolean";
    case SB_FIELD_STRING_ARRAY: return "array of strings";
    case SB_FIELD_ARRAY: return "array";
    case SB_FIELD_OBJECT: return "object";
    case SB_FIELD_PATH: return "path";
    case SB_FIELD_PATH_ARRAY: return "array of paths";
    default: return "unknown";
  }
}

inline const char* status_name(sb_status status) {
  switch (status) {
    case SB_OK: return "ok";
    case SB_ERR_FAILED: return "failed";
    case SB_ERR_INVALID: return "invalid";
    case SB_ERR_UNAUTHORIZED: return "unauthorized";
    case SB_ERR_RETRY: return "retry";
    case SB_ERR_PERMANENT: return "permanent";
    case SB_ERR_UNSUPPORTED: return "unsupported";
    case SB_ERR_STATE: return "wrong context";
    case SB_ERR_NOT_FOUND: return "not found";
    default: return "unknown status";
  }
}

// An error a plugin throws to fail the current call with a specific status.
class Error : public std::runtime_error {
 public:
  Error(sb_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
  sb_status status() const noexcept { return status_; }

 private:
  sb_status status_;
};

// Thrown from a constructor when the (already schema-checked) config makes no sense.
class ConfigError : public Error {
 public:
  explicit ConfigError(const std::string& message) : Error(SB_ERR_INVALID, message) {}
};

enum class Action : int32_t { Continue = SB_ACTION_CONTINUE, Stop = SB_ACTION_STOP };
enum class LogLevel : int32_t { Debug = SB_LOG_DEBUG, Info = SB_LOG_INFO, Warn = SB_LOG_WARN, Error = SB_LOG_ERROR };
enum class Priority : int32_t {
  Low = SB_PRIORITY_LOW,
  Normal = SB_PRIORITY_NORMAL,
  High = SB_PRIORITY_HIGH,
  Urgent = SB_PRIORITY_URGENT
};

// True when the host table offers function member `fn` (inside its struct_size and set).
#define SB_HOST_HAS(host, fn) ((host) != nullptr && SB_HAS_FIELD(host, sb_host_v1, fn) && (host)->fn != nullptr)

// A host context: logging, plus the error channel. Base of every call wrapper.
class Context {
 public:
  Context(const sb_host_v1* host, sb_ctx* ctx) noexcept : host_(host), ctx_(ctx) {}

  void log(LogLevel level, std::string_view message) const noexcept {
    if (SB_HOST_HAS(host_, log)) host_->log(ctx_, static_cast<int32_t>(level), to_sb(message));
  }
  void debug(std::string_view m) const noexcept { log(LogLevel::Debug, m); }
  void info(std::string_view m) const noexcept { log(LogLevel::Info, m); }
  void warn(std::string_view m) const noexcept { log(LogLevel::Warn, m); }
  void error(std::string_view m) const noexcept { log(LogLevel::Error, m); }

  const sb_host_v1* host() const noexcept { return host_; }
  sb_ctx* raw() const noexcept { return ctx_; }

  // Durable per-instance key-value (ABI 1.1); nullopt when unset. Durable
  // when kv_set/kv_erase return. Throws Error(SB_ERR_UNSUPPORTED) on a 1.0 host.
  std::optional<std::string> kv_get(std::string_view key) const {
    require(SB_HOST_HAS(host_, kv_get), "kv_get");
    std::optional<std::string> value;
    sb_status status = host_->kv_get(ctx_, to_sb(key), &copy_into, &value);
    if (status == SB_ERR_NOT_FOUND) return std::nullopt;
    check(status, "kv_get");
    return value ? value : std::string();
  }
  void kv_set(std::string_view key, std::string_view value) const {
    require(SB_HOST_HAS(host_, kv_set), "kv_set");
    check(host_->kv_set(ctx_, to_sb(key), to_sb(value)), "kv_set");
  }
  void kv_erase(std::string_view key) const {
    require(SB_HOST_HAS(host_, kv_delete), "kv_delete");
    check(host_->kv_delete(ctx_, to_sb(key)), "kv_delete");
  }

  // The host's text normalisation (ABI 1.1), form one of SB_TEXT_*.
  std::string fold(std::string_view text, int32_t form = SB_TEXT_FOLD) const {
    require(SB_HOST_HAS(host_, text_fold), "text_fold");
    std::optional<std::string> out;
    check(host_->text_fold(ctx_, to_sb(text), form, &copy_into, &out), "text_fold");
    return out ? *out : std::string();
  }

 protected:
  // Turns a failed host call into an exception, which the barrier reports.
  static void check(sb_status status, const char* what) {
    if (status != SB_OK) throw Error(status, std::string("host refused ") + what + ": " + status_name(status));
  }
  void require(bool offered, const char* what) const {
    if (!offered) throw Error(SB_ERR_UNSUPPORTED, std::string("host does not offer ") + what);
  }
  // Calls a host function that may be absent (NULL) in a stripped-down host.
  template <class Fn, class... Args>
  void invoke(Fn fn, const char* what, Args... args) const {
    require(fn != nullptr, what);
    check(fn(ctx_, args...), what);
  }

  const sb_host_v1* host_;
  sb_ctx* ctx_;

 private:
  static void copy_into(void* user, sb_str value) noexcept {
    try {
      static_cast<std::optional<std::string>*>(user)->emplace(view(value));
    } catch (...) {  // out of memory: leave it unset; the caller sees no value
    }
  }
};

// The instance context: kept by the plugin for its whole life. Channels submit
// inbound events through it from their own threads (IMAP IDLE, polling).
class InstanceContext : public Context {
 public:
  using Context::Context;
  void submit_inbound(const Json& event) const {
    std::string text = event.dump();
    invoke(host_->submit_inbound, "submit_inbound", to_sb(text));
  }
};

// The context of one on_message call: the effects a handler may have.
class MessageCall : public Context {
 public:
  using Context::Context;

  void tag(std::string_view tag) { invoke(host_->tag, "tag", to_sb(tag)); }
  void set_attribute(std::string_view key, const Json& value) {
    std::string text = value.dump();
    invoke(host_->set_attribute, "set_attribute", to_sb(key), to_sb(text));
  }
  void set_intent(std::string_view name, double score) { invoke(host_->set_intent, "set_intent", to_sb(name), score); }
  void reply(const Json& outbound) {
    std::string text = outbound.dump();
    invoke(host_->reply, "reply", to_sb(text));
  }
  void reply_text(std::string_view text) { reply(Json{{"text", text}}); }
  void assign(std::string_view queue, Priority priority, std::string_view reason) {
    invoke(host_->assign, "assign", to_sb(queue), static_cast<int32_t>(priority), to_sb(reason));
  }
  void resolve(std::string_view reason) { invoke(host_->resolve, "resolve", to_sb(reason)); }

  // Per-conversation state of this instance; nullopt when unset.
  std::optional<Json> state(std::string_view key) const {
    require(host_->state_get != nullptr, "state_get");
    sb_str out{nullptr, 0};
    sb_status status = host_->state_get(ctx_, to_sb(key), &out);
    if (status == SB_ERR_NOT_FOUND) return std::nullopt;
    check(status, "state_get");
    return Json::parse(view(out));
  }
  void set_state(std::string_view key, const Json& value) {
    std::string text = value.dump();
    invoke(host_->state_set, "state_set", to_sb(key), to_sb(text));
  }
};

// A webhook request as a channel sees it.
struct HttpRequest {
  std::string_view method;
  std::string_view path;
  std::string_view query;
  std::string_view body;  // raw bytes: verify signatures over exactly these
  std::string_view remote_addr;
  Json headers;  // lower-case names

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it != headers.end() && it->is_string() ? it->get<std::string>() : std::string();
  }
};

// The context of one on_http call.
class HttpCall : public Context {
 public:
  using Context::Context;
  void submit_inbound(const Json& event) {
    std::string text = event.dump();
    invoke(host_->submit_inbound, "submit_inbound", to_sb(text));
  }
  void respond(int status, std::string_view content_type, std::string_view body) {
    invoke(host_->http_respond, "http_respond", static_cast<int32_t>(status), to_sb(content_type), to_sb(body));
  }
};

// The context of one send call.
class SendCall : public Context {
 public:
  using Context::Context;
  void set_result(const Json& result) {
    std::string text = result.dump();
    invoke(host_->set_result, "set_result", to_sb(text));
  }
};

// Base of every plugin class. start/stop bracket background work.
class Plugin {
 public:
  virtual ~Plugin() = default;
  virtual void start() {}
  virtual void stop() {}
};

class Handler : public Plugin {
 public:
  virtual Action on_message(MessageCall& call, const Json& message) = 0;
};

class Channel : public Plugin {
 public:
  // Webhook; channels without one (email) keep the default.
  virtual void on_http(HttpCall& call, const HttpRequest& request) {
    (void)call;
    (void)request;
    throw Error(SB_ERR_UNSUPPORTED, "this channel takes no webhooks");
  }
  // Throw Error(SB_ERR_RETRY, …) for transient and Error(SB_ERR_PERMANENT, …)
  // for permanent failures.
  virtual void send(SendCall& call, const Json& outbound) = 0;
  // Right before send(): throw Error(SB_ERR_PERMANENT, reason) when the
  // platform would refuse it now (reply window closed), Error(SB_ERR_RETRY, …)
  // with set_result({"retry_after_ms": N}) for "not yet". Default: allowed.
  virtual void may_send(SendCall& call, const Json& outbound) {
    (void)call;
    (void)outbound;
  }
};

namespace detail {

inline void report(const sb_host_v1* host, sb_ctx* ctx, const char* message) noexcept {
  if (!SB_HOST_HAS(host, set_error)) return;
  std::string_view text(message == nullptr ? "" : message);
  host->set_error(ctx, to_sb(text));
}

// The exception barrier every trampoline goes through.
template <class F>
sb_status barrier(const sb_host_v1* host, sb_ctx* ctx, F&& body) noexcept {
  try {
    body();
    return SB_OK;
  } catch (const Error& e) {
    report(host, ctx, e.what());
    return e.status();
  } catch (const Json::exception& e) {
    report(host, ctx, e.what());
    return SB_ERR_INVALID;
  } catch (const std::exception& e) {
    report(host, ctx, e.what());
    return SB_ERR_FAILED;
  } catch (...) {
    report(host, ctx, "unknown exception");
    return SB_ERR_FAILED;
  }
}

template <class T, class = void>
struct flags_of {
  static constexpr uint32_t value = 0;
};
template <class T>
struct flags_of<T, std::void_t<decltype(T::kFlags)>> {
  static constexpr uint32_t value = T::kFlags;
};

template <class T>
struct Trampolines {
  static_assert(std::is_base_of_v<Handler, T> != std::is_base_of_v<Channel, T>,
                "a plugin class derives from exactly one of sdk::Handler and sdk::Channel");

  // One host per process; the last entry() call sets it (FakeHost and the
  // host both pass a table with static storage).
  static inline const sb_host_v1* host = nullptr;

  // What the host's opaque instance pointer really is: the plugin object and
  // its instance context, so start/stop/destroy can report errors too.
  struct Holder {
    sb_ctx* ctx;
    std::unique_ptr<T> plugin;
  };
  static Holder& holder(void* instance) { return *static_cast<Holder*>(instance); }
  static T& self(void* instance) { return *holder(instance).plugin; }
  static void require_arg(const void* p, const char* what) {
    if (p == nullptr) throw Error(SB_ERR_INVALID, std::string(what) + " is NULL");
  }

  static sb_status create(sb_ctx* ictx, sb_str config, void** out) {
    return barrier(host, ictx, [&] {
      require_arg(out, "out_instance");
      Json parsed = Json::parse(view(config));
      auto made = std::make_unique<Holder>(Holder{ictx, std::make_unique<T>(InstanceContext(host, ictx), parsed)});
      *out = made.release();  // owned by the host until destroy()
    });
  }
  static sb_status start(void* instance) {
    return barrier(host, holder(instance).ctx, [&] { self(instance).start(); });
  }
  static void stop(void* instance) {
    barrier(host, holder(instance).ctx, [&] { self(instance).stop(); });
  }
  static void destroy(void* instance) {
    barrier(host, holder(instance).ctx, [&] { std::unique_ptr<Holder> owned(&holder(instance)); });
  }
  static sb_status on_message(void* instance, sb_ctx* call, sb_str message, int32_t* action) {
    return barrier(host, call, [&] {
      if constexpr (std::is_base_of_v<Handler, T>) {
        require_arg(action, "out_action");
        MessageCall wrapped(host, call);
        *action = static_cast<int32_t>(self(instance).on_message(wrapped, Json::parse(view(message))));
      }
    });
  }
  static sb_status on_http(void* instance, sb_ctx* call, const sb_http_request_v1* request) {
    return barrier(host, call, [&] {
      if constexpr (std::is_base_of_v<Channel, T>) {
        require_arg(request, "request");
        if (request->struct_size < sizeof(sb_http_request_v1)) throw Error(SB_ERR_INVALID, "request table too small");
        HttpRequest req{view(request->method), view(request->path),        view(request->query),
                        view(request->body),   view(request->remote_addr), Json::object()};
        std::string_view headers = view(request->headers_json);
        if (!headers.empty()) req.headers = Json::parse(headers);
        HttpCall wrapped(host, call);
        self(instance).on_http(wrapped, req);
      }
    });
  }
  static sb_status send(void* instance, sb_ctx* call, sb_str outbound) {
    return barrier(host, call, [&] {
      if constexpr (std::is_base_of_v<Channel, T>) {
        SendCall wrapped(host, call);
        self(instance).send(wrapped, Json::parse(view(outbound)));
      }
    });
  }

  static sb_status may_send(void* instance, sb_ctx* call, sb_str outbound) {
    return barrier(host, call, [&] {
      if constexpr (std::is_base_of_v<Channel, T>) {
        SendCall wrapped(host, call);
        self(instance).may_send(wrapped, Json::parse(view(outbound)));
      }
    });
  }

  static sb_plugin_v1 table() {
    constexpr bool is_handler = std::is_base_of_v<Handler, T>;
    sb_plugin_v1 t{};
    t.struct_size = sizeof(sb_plugin_v1);
    t.abi_major = SB_ABI_MAJOR;
    t.abi_minor = SB_ABI_MINOR;
    t.name = T::kName;
    t.version = T::kVersion;
    t.description = T::kDescription;
    t.kind = is_handler ? SB_KIND_HANDLER : SB_KIND_CHANNEL;
    t.flags = flags_of<T>::value;
    t.config_fields = T::kFields.empty() ? nullptr : T::kFields.data();
    t.config_field_count = static_cast<uint32_t>(T::kFields.size());
    t.config_field_size = sizeof(sb_config_field_v1);
    t.create = &create;
    t.start = &start;
    t.stop = &stop;
    t.destroy = &destroy;
    t.on_message = is_handler ? &on_message : nullptr;
    t.on_http = is_handler ? nullptr : &on_http;
    t.send = is_handler ? nullptr : &send;
    t.may_send = is_handler ? nullptr : &may_send;
    return t;
  }
};

// Smallest host table this SDK can work with: all of ABI 1.0.
constexpr std::size_t kMinHostSize = offsetof(sb_host_v1, set_result) + sizeof(void*);

template <class T>
const sb_plugin_v1* entry(const sb_host_v1* host) noexcept {
  if (host == nullptr || host->abi_major != SB_ABI_MAJOR || host->struct_size < kMinHostSize) return nullptr;
  Trampolines<T>::host = host;
  static const sb_plugin_v1 table = Trampolines<T>::table();
  return &table;
}

}  // namespace detail
}  // namespace switchboard::sdk

// Exports the entry symbol for plugin class T. Use once per library.
#define SWITCHBOARD_PLUGIN(T)                                                                  \
  extern "C" SB_PLUGIN_EXPORT const sb_plugin_v1* sb_plugin_entry_v1(const sb_host_v1* host) { \
    return ::switchboard::sdk::detail::entry<T>(host);                                         \
  }

#endif  // SWITCHBOARD_SDK_HPP
