// The key-value part of sb_ctx: the same for every kind of context, because
// the values belong to the instance, not to the call.
#include "plugins/host_context.hpp"

#include <string>

sb_status sb_ctx::kv_get(std::string_view key, sb_sink_fn sink, void* user) {
  if (kv_ == nullptr || kv_->store == nullptr) return SB_ERR_STATE;
  if (sink == nullptr) return SB_ERR_INVALID;
  auto value = kv_->store->get(kv_->scope, std::string(key));
  if (!value) return SB_ERR_NOT_FOUND;
  sink(user, sb_str{value->data(), value->size()});
  return SB_OK;
}

sb_status sb_ctx::kv_set(std::string_view key, std::string_view value) {
  if (kv_ == nullptr || kv_->store == nullptr) return SB_ERR_STATE;
  if (key.empty()) return SB_ERR_INVALID;
  kv_->store->put(kv_->scope, std::string(key), std::string(value));
  return SB_OK;
}

sb_status sb_ctx::kv_delete(std::string_view key) {
  if (kv_ == nullptr || kv_->store == nullptr) return SB_ERR_STATE;
  kv_->store->erase(kv_->scope, std::string(key));
  return SB_OK;
}
