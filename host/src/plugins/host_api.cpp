// Trampolines from the C host table into sb_ctx's virtuals. A null context
// or an exception inside the host becomes a status code: nothing unwinds
// through plugin frames.
#include "plugins/host_api.hpp"

#include <switchboard/sdk.hpp>

#include <exception>
#include <string_view>

#include "log/logger.hpp"
#include "plugins/host_context.hpp"
#include "text/folding.hpp"
#include "text/text_folder.hpp"

namespace switchboard::plugins {
namespace {

using sdk::view;

template <class F>
sb_status guarded(sb_ctx* ctx, F&& body) noexcept {
  if (ctx == nullptr) return SB_ERR_STATE;
  try {
    return body(*ctx);
  } catch (const std::exception& e) {
    log::error("host", std::string("host API failed: ") + e.what());
    return SB_ERR_FAILED;
  } catch (...) {
    return SB_ERR_FAILED;
  }
}

void host_log(sb_ctx* ctx, int32_t level, sb_str message) {
  if (ctx == nullptr) {
    log::write(log::Level::Warn, "plugin", view(message));
    return;
  }
  guarded(ctx, [&](sb_ctx& c) {
    c.log(level, view(message));
    return SB_OK;
  });
}

void host_set_error(sb_ctx* ctx, sb_str message) {
  guarded(ctx, [&](sb_ctx& c) {
    c.set_error(view(message));
    return SB_OK;
  });
}

sb_status host_tag(sb_ctx* ctx, sb_str tag) {
  return guarded(ctx, [&](sb_ctx& c) { return c.tag(view(tag)); });
}
sb_status host_set_attribute(sb_ctx* ctx, sb_str key, sb_str value) {
  return guarded(ctx, [&](sb_ctx& c) { return c.set_attribute(view(key), view(value)); });
}
sb_status host_set_intent(sb_ctx* ctx, sb_str name, double score) {
  return guarded(ctx, [&](sb_ctx& c) { return c.set_intent(view(name), score); });
}
sb_status host_reply(sb_ctx* ctx, sb_str outbound) {
  return guarded(ctx, [&](sb_ctx& c) { return c.reply(view(outbound)); });
}
sb_status host_assign(sb_ctx* ctx, sb_str queue, int32_t priority, sb_str reason) {
  return guarded(ctx, [&](sb_ctx& c) { return c.assign(view(queue), priority, view(reason)); });
}
sb_status host_resolve(sb_ctx* ctx, sb_str reason) {
  return guarded(ctx, [&](sb_ctx& c) { return c.resolve(view(reason)); });
}
sb_status host_state_get(sb_ctx* ctx, sb_str key, sb_str* out) {
  if (out == nullptr) return SB_ERR_INVALID;
  return guarded(ctx, [&](sb_ctx& c) { return c.state_get(view(key), out); });
}
sb_status host_state_set(sb_ctx* ctx, sb_str key, sb_str value) {
  return guarded(ctx, [&](sb_ctx& c) { return c.state_set(view(key), view(value)); });
}
sb_status host_submit_inbound(sb_ctx* ctx, sb_str event) {
  return guarded(ctx, [&](sb_ctx& c) { return c.submit_inbound(view(event)); });
}
sb_status host_http_respond(sb_ctx* ctx, int32_t status, sb_str content_type, sb_str body) {
  return guarded(ctx, [&](sb_ctx& c) { return c.http_respond(status, view(content_type), view(body)); });
}
sb_status host_set_result(sb_ctx* ctx, sb_str result) {
  return guarded(ctx, [&](sb_ctx& c) { return c.set_result(view(result)); });
}

sb_status host_kv_get(sb_ctx* ctx, sb_str key, sb_sink_fn sink, void* user) {
  return guarded(ctx, [&](sb_ctx& c) { return c.kv_get(view(key), sink, user); });
}
sb_status host_kv_set(sb_ctx* ctx, sb_str key, sb_str value) {
  return guarded(ctx, [&](sb_ctx& c) { return c.kv_set(view(key), view(value)); });
}
sb_status host_kv_delete(sb_ctx* ctx, sb_str key) {
  return guarded(ctx, [&](sb_ctx& c) { return c.kv_delete(view(key)); });
}

// Needs no context state, but a context: the ABI says "any context".
sb_status host_text_fold(sb_ctx* ctx, sb_str text, int32_t form, sb_sink_fn sink, void* user) {
  if (sink == nullptr) return SB_ERR_INVALID;
  return guarded(ctx, [&](sb_ctx& c) {
    std::shared_ptr<const text::TextFolder> folder = text_folder();
    std::string own;
    const std::string* out = &own;
    try {
      if (text::FoldMemo* memo = c.fold_memo()) {
        out = &memo->fold(*folder, view(text), form);
      } else {
        own = (*folder)(view(text), form);
      }
    } catch (const text::InvalidUtf8&) {
      return SB_ERR_INVALID;
    } catch (const text::UnsupportedForm&) {
      return SB_ERR_UNSUPPORTED;
    }
    sink(user, sb_str{out->data(), out->size()});
    return SB_OK;
  });
}

sb_host_v1 make_table() {
  sb_host_v1 t{};
  t.struct_size = sizeof(sb_host_v1);
  t.abi_major = SB_ABI_MAJOR;
  t.abi_minor = SB_ABI_MINOR;
  t.log = &host_log;
  t.set_error = &host_set_error;
  t.tag = &host_tag;
  t.set_attribute = &host_set_attribute;
  t.set_intent = &host_set_intent;
  t.reply = &host_reply;
  t.assign = &host_assign;
  t.resolve = &host_resolve;
  t.state_get = &host_state_get;
  t.state_set = &host_state_set;
  t.submit_inbound = &host_submit_inbound;
  t.http_respond = &host_http_respond;
  t.set_result = &host_set_result;
  t.kv_get = &host_kv_get;
  t.kv_set = &host_kv_set;
  t.kv_delete = &host_kv_delete;
  t.text_fold = &host_text_fold;
  return t;
}

// Process-wide because text_fold takes no instance: every config of one
// process shares its shorthand table. atomic_load/store keep a swap safe.
std::shared_ptr<const text::TextFolder>& folder_slot() {
  static std::shared_ptr<const text::TextFolder> slot = std::make_shared<const text::TextFolder>();
  return slot;
}

}  // namespace

void install_text_folder(std::shared_ptr<const text::TextFolder> folder) {
  std::atomic_store(&folder_slot(), std::move(folder));
}

std::shared_ptr<const text::TextFolder> text_folder() { return std::atomic_load(&folder_slot()); }

const sb_host_v1& host_api() {
  static const sb_host_v1 table = make_table();
  return table;
}

}  // namespace switchboard::plugins
