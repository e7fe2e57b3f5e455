/*
 * Compiles plugin.h as strict C99 (-std=c99 -pedantic -Wall -Wextra -Werror)
 * and uses it the way a plugin written in plain C would, so the build breaks
 * when the header stops being C99 or stops being usable without C++.
 */
#include <switchboard/plugin.h>

static const sb_host_v1* host_table = NULL;

static const sb_config_field_v1 fields[] = {
    {"greeting", SB_FIELD_STRING, SB_FIELD_REQUIRED, NULL, "Text to reply with"},
    {"token", SB_FIELD_STRING, SB_FIELD_REQUIRED | SB_FIELD_SECRET, NULL, "API token"},
    {"paths", SB_FIELD_PATH_ARRAY, 0, "[]", "Files to read"},
};

static sb_status c_create(sb_ctx* instance_ctx, sb_str config_json, void** out_instance) {
  (void)config_json;
  if (SB_HAS_FIELD(host_table, sb_host_v1, log) && host_table->log != NULL) {
    sb_str message = {"created", 7};
    host_table->log(instance_ctx, SB_LOG_INFO, message);
  }
  *out_instance = (void*)&fields[0];
  return SB_OK;
}

static void c_destroy(void* instance) { (void)instance; }

static sb_status c_on_message(void* instance, sb_ctx* call, sb_str message_json, int32_t* out_action) {
  static const char reply[] = "{\"text\": \"ok\"}";
  sb_str outbound;
  sb_status status;
  (void)instance;
  (void)message_json;
  outbound.ptr = reply;
  outbound.len = sizeof reply - 1;
  if (!SB_HAS_FIELD(host_table, sb_host_v1, reply) || host_table->reply == NULL) return SB_ERR_UNSUPPORTED;
  status = host_table->reply(call, outbound);
  *out_action = status == SB_OK ? SB_ACTION_STOP : SB_ACTION_CONTINUE;
  return status;
}

static const sb_plugin_v1 table = {
    sizeof(sb_plugin_v1),
    SB_ABI_MAJOR,
    SB_ABI_MINOR,
    "c99_check",
    "1.0.0",
    "A handler written in C99",
    SB_KIND_HANDLER,
    SB_PLUGIN_THREAD_SAFE | SB_PLUGIN_NON_BLOCKING,
    fields,
    sizeof fields / sizeof fields[0],
    sizeof(sb_config_field_v1),
    c_create,
    NULL,
    NULL,
    c_destroy,
    c_on_message,
    NULL,
    NULL,
    NULL,
};

/* Not exported: this object is never linked into a plugin, only compiled. */
const sb_plugin_v1* sb_abi_c99_entry(const sb_host_v1* host);
const sb_plugin_v1* sb_abi_c99_entry(const sb_host_v1* host) {
  sb_plugin_entry_v1_fn entry = sb_abi_c99_entry;
  (void)entry;
  if (host == NULL || host->abi_major != SB_ABI_MAJOR) return NULL;
  if (!SB_HAS_FIELD(host, sb_host_v1, set_result)) return NULL;
  host_table = host;
  return &table;
}
