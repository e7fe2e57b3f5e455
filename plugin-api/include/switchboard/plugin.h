/*
 * switchboard/plugin.h — the Switchboard plugin ABI, version 1.
 *
 * This header is the single source of truth for the boundary between the
 * Switchboard host and its plugins (channels and handlers). It is C99 and
 * depends only on <stdint.h> and <stddef.h>, so a plugin can be written in
 * any language that speaks the C calling convention.
 *
 * Rules of the boundary
 *  - A plugin library exports exactly one symbol, sb_plugin_entry_v1. The
 *    major version is part of the symbol name; a host of another major never
 *    finds it.
 *  - Both tables (sb_plugin_v1 from the plugin, sb_host_v1 from the host)
 *    start with struct_size, abi_major, abi_minor. Minor versions only append
 *    fields at the end. A reader uses a field only when it lies inside the
 *    struct_size the other side reported and, for function pointers, when it
 *    is non-NULL (see SB_HAS_FIELD).
 *  - Data crosses as UTF-8 JSON text in non-owning sb_str views that are valid
 *    for the duration of the call only. Copy what you keep.
 *  - No allocation crosses: neither side frees memory the other allocated.
 *  - No C++ exception crosses: every entry point returns an sb_status, and
 *    error text travels through sb_host_v1.set_error, which the host copies.
 *
 * Changing this file: appending a field to a table or a new constant is a
 * minor bump (SB_ABI_MINOR); anything else — reordering, removing, changing a
 * type or meaning — is a major bump with a new entry symbol.
 * tests/abi/ fails when the header changes without one of the two.
 */
#ifndef SWITCHBOARD_PLUGIN_H
#define SWITCHBOARD_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SB_ABI_MAJOR 1
#define SB_ABI_MINOR 1

/* ------------------------------------------------------------------------ */
/* Basic types                                                              */
/* ------------------------------------------------------------------------ */

/* A non-owning view of UTF-8 bytes; not NUL-terminated in general. */
typedef struct sb_str {
  const char* ptr;
  size_t len;
} sb_str;

/* Receives a value the host hands out (kv_get, text_fold): the view is valid
 * during the call only; copy what you keep. */
typedef void (*sb_sink_fn)(void* user, sb_str value);

/* Status codes. Zero is success; every failure is negative. */
typedef int32_t sb_status;
#define SB_OK 0
#define SB_ERR_FAILED (-1)       /* generic failure; details via set_error */
#define SB_ERR_INVALID (-2)      /* the input is malformed (webhook: HTTP 400) */
#define SB_ERR_UNAUTHORIZED (-3) /* signature or token wrong (webhook: HTTP 401) */
#define SB_ERR_RETRY (-4)        /* transient; try again later (send: 429/5xx/timeout) */
#define SB_ERR_PERMANENT (-5)    /* will never succeed; dead-letter it (send) */
#define SB_ERR_UNSUPPORTED (-6)  /* the operation is not offered by this plugin/host */
#define SB_ERR_STATE (-7)        /* not allowed in this context (e.g. reply from on_http) */
#define SB_ERR_NOT_FOUND (-8)    /* the named thing does not exist */

/* Plugin kinds. */
#define SB_KIND_CHANNEL 1 /* brings messages in (submit_inbound), carries replies out (send) */
#define SB_KIND_HANDLER 2 /* one step of a pipeline (on_message) */

/* Plugin flags (sb_plugin_v1.flags). */
#define SB_PLUGIN_THREAD_SAFE 0x1u  /* the host may call one instance from many threads at once */
#define SB_PLUGIN_NON_BLOCKING 0x2u /* calls never block on I/O; the host may run them inline */

/* What a handler asks the pipeline to do after its step. */
#define SB_ACTION_CONTINUE 0 /* run the next step */
#define SB_ACTION_STOP 1     /* this message is dealt with; run no further step */

/* Log levels for sb_host_v1.log. */
#define SB_LOG_DEBUG 0
#define SB_LOG_INFO 1
#define SB_LOG_WARN 2
#define SB_LOG_ERROR 3

/* Priorities for sb_host_v1.assign. */
#define SB_PRIORITY_LOW 0
#define SB_PRIORITY_NORMAL 1
#define SB_PRIORITY_HIGH 2
#define SB_PRIORITY_URGENT 3

/* text_fold forms (1.1). */
#define SB_TEXT_NFC 0         /* Unicode NFC only */
#define SB_TEXT_FOLD 1        /* NFC, lower case, marks removed, đ→d, punctuation → space, spaces collapsed */
#define SB_TEXT_FOLD_EXPAND 2 /* SB_TEXT_FOLD, then shorthand/teencode expanded ("dk" → "dang ky" by context) */

/* ------------------------------------------------------------------------ */
/* Config field descriptors                                                 */
/* ------------------------------------------------------------------------ */

/* JSON types a config field may hold. */
#define SB_FIELD_STRING 1
#define SB_FIELD_INTEGER 2
#define SB_FIELD_NUMBER 3 /* integer or floating point */
#define SB_FIELD_BOOLEAN 4
#define SB_FIELD_STRING_ARRAY 5
#define SB_FIELD_ARRAY 6      /* array of anything; the plugin validates items */
#define SB_FIELD_OBJECT 7     /* object; the plugin validates members */
#define SB_FIELD_PATH 8       /* string; the host resolves it against the config file's folder */
#define SB_FIELD_PATH_ARRAY 9 /* array of strings, each resolved like SB_FIELD_PATH */

/* Field flags (sb_config_field_v1.flags). */
#define SB_FIELD_REQUIRED 0x1u /* the key must be present */
#define SB_FIELD_SECRET 0x2u   /* must come from the environment (${VAR}); never printed */

/*
 * One config key of a plugin instance. The host validates every instance's
 * config block against these: types, required keys, unknown keys rejected,
 * defaults filled in before create() sees the config. Arrays of descriptors
 * are walked with sb_plugin_v1.config_field_size as the stride, so this
 * struct too may grow in a later minor version.
 */
typedef struct sb_config_field_v1 {
  const char* name;         /* key in the config object; NUL-terminated */
  int32_t type;             /* SB_FIELD_* */
  uint32_t flags;           /* SB_FIELD_REQUIRED | SB_FIELD_SECRET */
  const char* default_json; /* JSON text of the default, or NULL for none */
  const char* description;  /* one sentence for `switchboard plugins` and docs */
} sb_config_field_v1;

/* ------------------------------------------------------------------------ */
/* Host API: what a plugin may ask of the host                              */
/* ------------------------------------------------------------------------ */

/*
 * An opaque context the host passes to a plugin. There are two kinds:
 *  - the instance context, given to create() and valid until destroy()
 *    returns; a channel keeps it to submit inbound events from its own
 *    threads;
 *  - a call context, given to on_message/on_http/send and valid only until
 *    that call returns.
 * Each host function says which kind it accepts; the wrong kind yields
 * SB_ERR_STATE.
 */
typedef struct sb_ctx sb_ctx;

/* An HTTP request delivered to a channel (webhook). Views valid for the call. */
typedef struct sb_http_request_v1 {
  uint32_t struct_size;
  uint32_t reserved;
  sb_str method;       /* "GET", "POST" … */
  sb_str path;         /* path below /webhooks/{inbox}, "" or "/…" */
  sb_str query;        /* raw query string without '?' */
  sb_str headers_json; /* JSON object: lower-case header name -> string value */
  sb_str body;         /* raw body bytes exactly as received (sign over these) */
  sb_str remote_addr;  /* peer address as text */
} sb_http_request_v1;

typedef struct sb_host_v1 {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;

  /* Writes one log line attributed to the plugin instance. Any context; any thread. */
  void (*log)(sb_ctx* ctx, int32_t level, sb_str message);

  /* Records the error text for the current failing call (or create()); the
   * host copies it. Any context; the last call before returning wins. */
  void (*set_error)(sb_ctx* ctx, sb_str message);

  /* Handlers, call context of on_message. Effects are buffered per step and
   * applied only when the step returns SB_OK. */

  /* Adds a tag to the conversation (idempotent). */
  sb_status (*tag)(sb_ctx* call, sb_str tag);

  /* Sets a conversation attribute; value is JSON text (e.g. "\"vi\"", "0.8"). */
  sb_status (*set_attribute)(sb_ctx* call, sb_str key, sb_str value_json);

  /* Declares the message's intent and its score in [0, 1]. */
  sb_status (*set_intent)(sb_ctx* call, sb_str name, double score);

  /* Queues a reply to the customer. outbound_json: {"text": "…"} plus optional
   * "attachments", "quick_replies", "quote_message_id". The host decides
   * whether it may be sent (one controller, send windows) and records why not. */
  sb_status (*reply)(sb_ctx* call, sb_str outbound_json);

  /* Hands the conversation to a human queue (department id), SB_PRIORITY_*. */
  sb_status (*assign)(sb_ctx* call, sb_str queue, int32_t priority, sb_str reason);

  /* Marks the conversation resolved. */
  sb_status (*resolve)(sb_ctx* call, sb_str reason);

  /* Per-conversation, per-instance state (e.g. "already greeted"). get points
   * *out at host memory valid until the call returns; SB_ERR_NOT_FOUND when
   * unset. set stores JSON text; it commits with the rest of the run. */
  sb_status (*state_get)(sb_ctx* call, sb_str key, sb_str* out_value_json);
  sb_status (*state_set)(sb_ctx* call, sb_str key, sb_str value_json);

  /* Channels. */

  /* Hands one inbound event to the host. event_json: {"id": channel message
   * id, "type": "message"|…, "sender": {"id", "name"?}, "text"?, …}. From
   * on_http's call context the host commits it before the HTTP response is
   * sent; from the instance context (own threads) it commits before returning.
   * Returns SB_OK for new and duplicate events alike. */
  sb_status (*submit_inbound)(sb_ctx* ctx, sb_str event_json);

  /* Sets the HTTP response of on_http. Without it the host answers 200 on
   * SB_OK and maps failures (SB_ERR_INVALID 400, SB_ERR_UNAUTHORIZED 401, else 500). */
  sb_status (*http_respond)(sb_ctx* call, int32_t status, sb_str content_type, sb_str body);

  /* Reports the outcome details of send(): {"message_id": "…"} on success,
   * {"retry_after_ms": N} with SB_ERR_RETRY, {"code": "…"} with failures. */
  sb_status (*set_result)(sb_ctx* call, sb_str result_json);

  /* ---- 1.1 ------------------------------------------------------------ */

  /* Durable key-value store of this plugin instance: OAuth token pairs, an
   * IMAP UID cursor, anything that must survive restarts and reloads. Keys
   * are scoped to the instance (its inbox, or its pipeline step). Any context,
   * any thread, from start() on (create() gets SB_ERR_STATE). kv_set and
   * kv_delete are durable when they return (one commit each): meant for state
   * that must not be lost, not for per-message data (use state_set).
   * kv_get calls sink once with the value, valid during that call only;
   * SB_ERR_NOT_FOUND when unset. Values are UTF-8 text, JSON by convention. */
  sb_status (*kv_get)(sb_ctx* ctx, sb_str key, sb_sink_fn sink, void* user);
  sb_status (*kv_set)(sb_ctx* ctx, sb_str key, sb_str value);
  sb_status (*kv_delete)(sb_ctx* ctx, sb_str key);

  /* The host's text normalisation (the same the host uses everywhere), one of
   * SB_TEXT_*: NFC; folded (lower case, marks removed, đ→d, punctuation and
   * whitespace collapsed); folded with shorthand/teencode expanded. Any
   * context; sink is called once with the result. SB_ERR_INVALID when text is
   * not UTF-8. */
  sb_status (*text_fold)(sb_ctx* ctx, sb_str text, int32_t form, sb_sink_fn sink, void* user);

  /* Minor versions append functions here. */
} sb_host_v1;

/* ------------------------------------------------------------------------ */
/* Plugin table: what the plugin offers                                     */
/* ------------------------------------------------------------------------ */

typedef struct sb_plugin_v1 {
  uint32_t struct_size; /* sizeof(sb_plugin_v1) as the plugin was compiled */
  uint16_t abi_major;   /* SB_ABI_MAJOR */
  uint16_t abi_minor;   /* SB_ABI_MINOR */

  const char* name;        /* unique, [a-z0-9_]+, e.g. "zalo_oa" */
  const char* version;     /* the plugin's own version, e.g. "1.2.0" */
  const char* description; /* one line */
  int32_t kind;            /* SB_KIND_* */
  uint32_t flags;          /* SB_PLUGIN_* */

  const sb_config_field_v1* config_fields; /* may be NULL when count is 0 */
  uint32_t config_field_count;
  uint32_t config_field_size; /* sizeof(sb_config_field_v1) as compiled: the stride */

  /* Lifecycle: create -> start -> (calls)* -> stop -> destroy. */

  /* Makes an instance from its validated config (defaults filled in). On
   * failure calls set_error(instance_ctx, …) and returns non-zero. */
  sb_status (*create)(sb_ctx* instance_ctx, sb_str config_json, void** out_instance);
  /* Starts background work (threads, connections). May be NULL. */
  sb_status (*start)(void* instance);
  /* Stops background work; no call is in flight or will follow. May be NULL. */
  void (*stop)(void* instance);
  /* Frees the instance. Called exactly once per successful create. */
  void (*destroy)(void* instance);

  /* Handlers: one pipeline step for one message. message_json carries the
   * message, contact, conversation and what earlier steps decided (tags,
   * attributes, intent). Sets *out_action to SB_ACTION_*. */
  sb_status (*on_message)(void* instance, sb_ctx* call, sb_str message_json, int32_t* out_action);

  /* Channels: a webhook request for this instance's inbox. */
  sb_status (*on_http)(void* instance, sb_ctx* call, const sb_http_request_v1* request);

  /* Channels: delivers one outbound message. outbound_json carries
   * "idempotency_key" (stable across retries), "recipient", "text", …
   * Returns SB_OK, SB_ERR_RETRY or SB_ERR_PERMANENT (+ set_result/set_error). */
  sb_status (*send)(void* instance, sb_ctx* call, sb_str outbound_json);

  /* Channels, optional (NULL = always yes): may this outbound message be sent
   * now? Called by the outbox right before send() with the same JSON, which
   * also carries "last_inbound_at" (ms since epoch of the customer's last
   * message). SB_OK: send. SB_ERR_PERMANENT: never (e.g. the platform's reply
   * window closed); the reason via set_error, a code via set_result
   * {"code": …}; the host records it as blocked. SB_ERR_RETRY: not yet, with
   * set_result {"retry_after_ms": N}. The host API calls of send() apply.
   * SB_OK may report the window via set_result {"free_until": ms,
   * "closes_at": ms, "billable": bool}; the host also calls may_send with
   * "probe": true and empty text to show agents the window before they reply,
   * so it must not have side effects. */
  sb_status (*may_send)(void* instance, sb_ctx* call, sb_str outbound_json);

  /* Minor versions append fields here. */
} sb_plugin_v1;

/* The one exported symbol. Returns a table with static storage duration, or
 * NULL if the plugin cannot work with this host (it may log why first). */
typedef const sb_plugin_v1* (*sb_plugin_entry_v1_fn)(const sb_host_v1* host);
const sb_plugin_v1* sb_plugin_entry_v1(const sb_host_v1* host);
#define SB_PLUGIN_ENTRY_V1 "sb_plugin_entry_v1"

/* True when table t (a pointer) reports a struct_size that contains member m. */
#define SB_HAS_FIELD(t, type, m) ((t)->struct_size >= offsetof(type, m) + sizeof(((type*)0)->m))

/* ------------------------------------------------------------------------ */
/* Frozen layout (LP64). A failure here means the ABI changed shape.        */
/* ------------------------------------------------------------------------ */

#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
#define SB_LAYOUT_CHECK_(name, cond) typedef char sb_layout_check_##name[(cond) ? 1 : -1]
SB_LAYOUT_CHECK_(str_size, sizeof(sb_str) == 16);
SB_LAYOUT_CHECK_(field_size, sizeof(sb_config_field_v1) == 32);
SB_LAYOUT_CHECK_(field_default, offsetof(sb_config_field_v1, default_json) == 16);
SB_LAYOUT_CHECK_(request_size, sizeof(sb_http_request_v1) == 104);
SB_LAYOUT_CHECK_(request_body, offsetof(sb_http_request_v1, body) == 72);
SB_LAYOUT_CHECK_(host_size, sizeof(sb_host_v1) == 8 + 17 * 8);
SB_LAYOUT_CHECK_(host_log, offsetof(sb_host_v1, log) == 8);
SB_LAYOUT_CHECK_(host_submit, offsetof(sb_host_v1, submit_inbound) == 8 + 10 * 8);
SB_LAYOUT_CHECK_(host_set_result, offsetof(sb_host_v1, set_result) == 8 + 12 * 8);
SB_LAYOUT_CHECK_(host_kv_get, offsetof(sb_host_v1, kv_get) == 8 + 13 * 8);
SB_LAYOUT_CHECK_(host_text_fold, offsetof(sb_host_v1, text_fold) == 8 + 16 * 8);
SB_LAYOUT_CHECK_(plugin_size, sizeof(sb_plugin_v1) == 120);
SB_LAYOUT_CHECK_(plugin_name, offsetof(sb_plugin_v1, name) == 8);
SB_LAYOUT_CHECK_(plugin_kind, offsetof(sb_plugin_v1, kind) == 32);
SB_LAYOUT_CHECK_(plugin_fields, offsetof(sb_plugin_v1, config_fields) == 40);
SB_LAYOUT_CHECK_(plugin_create, offsetof(sb_plugin_v1, create) == 56);
SB_LAYOUT_CHECK_(plugin_send, offsetof(sb_plugin_v1, send) == 104);
SB_LAYOUT_CHECK_(plugin_may_send, offsetof(sb_plugin_v1, may_send) == 112);
#undef SB_LAYOUT_CHECK_
#endif

#ifdef __cplusplus
}
#endif

#endif /* SWITCHBOARD_PLUGIN_H */
