// The host's side of the opaque sb_ctx the C ABI hands to plugins.
//
// sb_ctx is a small class hierarchy: every host-API function forwards to a
// virtual here, and each kind of context (instance, one pipeline step, one
// webhook, one send) overrides what it allows. Everything else answers
// SB_ERR_STATE, so "reply from on_http" is refused in one place.
#pragma once

#include <switchboard/plugin.h>

#include <string>
#include <string_view>

#include "plugins/key_value.hpp"
#include "text/fold_memo.hpp"

struct sb_ctx {
  virtual ~sb_ctx() = default;

  // Any context.
  virtual void log(int32_t level, std::string_view message) = 0;
  virtual void set_error(std::string_view message) { error_ = std::string(message); }

  // Pipeline step context.
  virtual sb_status tag(std::string_view) { return SB_ERR_STATE; }
  virtual sb_status set_attribute(std::string_view, std::string_view) { return SB_ERR_STATE; }
  virtual sb_status set_intent(std::string_view, double) { return SB_ERR_STATE; }
  virtual sb_status reply(std::string_view) { return SB_ERR_STATE; }
  virtual sb_status assign(std::string_view, int32_t, std::string_view) { return SB_ERR_STATE; }
  virtual sb_status resolve(std::string_view) { return SB_ERR_STATE; }
  virtual sb_status state_get(std::string_view, sb_str*) { return SB_ERR_STATE; }
  virtual sb_status state_set(std::string_view, std::string_view) { return SB_ERR_STATE; }

  // Channel contexts.
  virtual sb_status submit_inbound(std::string_view) { return SB_ERR_STATE; }
  virtual sb_status http_respond(int32_t, std::string_view, std::string_view) { return SB_ERR_STATE; }
  virtual sb_status set_result(std::string_view) { return SB_ERR_STATE; }

  // Any context of an instance bound to a key-value store (PluginInstance
  // binds it before each call, and its own context from start() on).
  sb_status kv_get(std::string_view key, sb_sink_fn sink, void* user);
  sb_status kv_set(std::string_view key, std::string_view value);
  sb_status kv_delete(std::string_view key);
  void bind_key_value(const switchboard::plugins::KeyValueScope* kv) { kv_ = kv; }

  // text_fold answers from this memo when one is bound (a pipeline run binds
  // one to every step, so the steps of a message fold its text once).
  void bind_fold_memo(switchboard::text::FoldMemo* memo) { fold_memo_ = memo; }
  switchboard::text::FoldMemo* fold_memo() const { return fold_memo_; }

  // The last set_error text; empty when none.
  const std::string& error() const { return error_; }
  void clear_error() { error_.clear(); }

 private:
  std::string error_;
  const switchboard::plugins::KeyValueScope* kv_ = nullptr;
  switchboard::text::FoldMemo* fold_memo_ = nullptr;
};
