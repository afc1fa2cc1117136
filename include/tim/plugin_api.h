/*
 * tim/plugin_api.h - the contract between a TIM host and a TIM plugin.
 *
 * Plain C99, usable from C and C++. Nothing C++ crosses this boundary and no exception or
 * longjmp may cross it in either direction: every function a plugin exports catches everything
 * and reports failure through its return value and tim_host_api.set_error.
 *
 * Versioning
 *   TIM_PLUGIN_ABI_MAJOR must be equal on both sides. TIM_PLUGIN_ABI_MINOR only grows: a
 *   minor release appends fields to the end of a struct and never changes what exists.
 *   Every struct starts with `struct_size`; a reader only touches fields that lie within the
 *   size its writer reported, so an older peer's shorter struct stays safe to read.
 *
 * Ownership (names say who owns what)
 *   - `tim_host*`, `tim_http_exchange*`, `tim_command_output*`: opaque handles owned by the host.
 *   - `void* plugin_data` / `user_data`: owned by the plugin; the host only passes it back.
 *   - Strings passed in either direction are (pointer, length) views. A view handed to the
 *     plugin is valid only until the call that produced it returns (for exchange accessors:
 *     until the handler returns). The receiver copies what it keeps. Whoever allocates, frees.
 *   - Strings need not be NUL-terminated unless a parameter says so.
 *
 * Threads
 *   tim_plugin_init and tim_plugin_shutdown run on the host's main thread, never concurrently
 *   with anything else of the same plugin. HTTP handlers run concurrently on the host's worker
 *   threads. A task never overlaps itself, but may overlap handlers and other tasks. Commands
 *   run on the main thread. Host services may be called from any thread unless noted.
 */
#ifndef TIM_PLUGIN_API_H
#define TIM_PLUGIN_API_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TIM_PLUGIN_ABI_MAJOR 1
#define TIM_PLUGIN_ABI_MINOR 1

#define TIM_PLUGIN_STRINGIFY_(x) #x
#define TIM_PLUGIN_STRINGIFY(x) TIM_PLUGIN_STRINGIFY_(x)

/* The build settings that silently change struct layout. Both sides compile this string from
 * the same header; the host refuses a plugin whose fingerprint differs from its own. */
#define TIM_PLUGIN_BUILD_FINGERPRINT \
    "tim-abi-" TIM_PLUGIN_STRINGIFY(TIM_PLUGIN_ABI_MAJOR) ";ptr=" TIM_PLUGIN_STRINGIFY( \
        __SIZEOF_POINTER__) ";size_t=" TIM_PLUGIN_STRINGIFY(__SIZEOF_SIZE_T__) ";order=" \
        TIM_PLUGIN_STRINGIFY(__BYTE_ORDER__)

#if defined(_WIN32)
#define TIM_PLUGIN_EXPORT __declspec(dllexport)
#else
#define TIM_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* ---------------------------------------------------------------------------------------
 * Types
 * ------------------------------------------------------------------------------------- */

/* Result of every fallible call. New codes may be added in a minor version; treat unknown
 * non-zero codes as TIM_ERR_INTERNAL. */
typedef enum tim_status {
    TIM_OK = 0,
    TIM_ERR_INVALID_ARGUMENT = 1, /* a parameter was NULL, empty or malformed */
    TIM_ERR_NOT_FOUND = 2,        /* no such property / header */
    TIM_ERR_BUFFER_TOO_SMALL = 3, /* *out_length holds the size needed */
    TIM_ERR_CONFLICT = 4,         /* the name or path is registered already */
    TIM_ERR_TOO_LARGE = 5,        /* the request body exceeds the host's limit */
    TIM_ERR_IO = 6,               /* the client connection failed or timed out */
    TIM_ERR_STATE = 7,   /* called at a time it is not allowed (e.g. register after init) */
    TIM_ERR_INTERNAL = 8 /* anything else; details went to the log or set_error */
} tim_status;

typedef enum tim_log_level {
    TIM_LOG_TRACE = 0,
    TIM_LOG_DEBUG = 1,
    TIM_LOG_INFO = 2,
    TIM_LOG_WARNING = 3,
    TIM_LOG_ERROR = 4,
    TIM_LOG_FATAL = 5
} tim_log_level;

/* HTTP methods, as a bit mask for route registration. */
enum {
    TIM_HTTP_GET = 1u << 0,
    TIM_HTTP_HEAD = 1u << 1,
    TIM_HTTP_POST = 1u << 2,
    TIM_HTTP_PUT = 1u << 3,
    TIM_HTTP_PATCH = 1u << 4,
    TIM_HTTP_DELETE = 1u << 5,
    TIM_HTTP_OPTIONS = 1u << 6,
    TIM_HTTP_ANY = 0x7Fu
};

/* Opaque handles, owned by the host. */
typedef struct tim_host tim_host;                     /* one per loaded plugin */
typedef struct tim_http_exchange tim_http_exchange;   /* one HTTP request/response */
typedef struct tim_command_output tim_command_output; /* where a command writes its output */

/* Handles one HTTP request. Called on a host worker thread, concurrently with other calls.
 * The exchange is valid until the handler returns. The host buffers the response and sends it
 * after the handler returns TIM_OK. Any other return discards what was written: the host
 * answers 413 for TIM_ERR_TOO_LARGE and a 500 JSON error otherwise. */
typedef tim_status (*tim_http_handler_fn)(void* user_data, tim_http_exchange* exchange);

/* Runs a scheduled task. Called on a host timer thread; never overlaps itself. A non-OK
 * return is logged by the host; the task keeps its schedule. */
typedef tim_status (*tim_task_fn)(void* user_data);

/* Runs an admin command with its arguments (argv[i] are NUL-terminated, valid during the call).
 * Called on the main thread. Output goes through tim_host_api.command_write. TIM_OK means
 * success; anything else makes the host exit non-zero after printing the error. */
typedef tim_status (*tim_command_fn)(void* user_data, int argc, const char* const* argv,
                                     tim_command_output* output);

/* Registers `handle` for every request path equal to `path_prefix` or below it on a segment
 * boundary: "/a/b" matches "/a/b", "/a/b/" and "/a/b/c", never "/a/bc". The longest prefix
 * wins. A request whose method is not in `methods` gets 405 from the host. */
typedef struct tim_http_handler_desc {
    uint32_t struct_size;    /* sizeof(tim_http_handler_desc) as the plugin compiled it */
    const char* path_prefix; /* NUL-terminated, starts with '/'; copied by the host */
    uint32_t methods;        /* bit mask of TIM_HTTP_* */
    tim_http_handler_fn handle;
    void* user_data; /* passed back to handle; must stay valid until shutdown returns */
    /* Since 1.1. The media type of the errors the host answers itself for this route (405,
     * 411, 413, 431, 500, refused framing): their body is always
     * {"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"413","detail":...}.
     * NUL-terminated, copied by the host; NULL (and every 1.0 plugin): "application/json". */
    const char* error_media_type;
} tim_http_handler_desc;

/* Registers a task the host runs first after `first_delay_ms` and then every `interval_ms`
 * after the previous run ends (fixed delay, so runs never overlap). */
typedef struct tim_task_desc {
    uint32_t struct_size;
    const char* name; /* NUL-terminated, unique in the host; copied by the host */
    uint64_t first_delay_ms;
    uint64_t interval_ms; /* > 0 */
    tim_task_fn run;
    void* user_data;
} tim_task_desc;

/* Registers an admin command, run by `timhost --command=NAME [args...]`. */
typedef struct tim_command_desc {
    uint32_t struct_size;
    const char* name;        /* NUL-terminated, unique in the host; copied by the host */
    const char* description; /* NUL-terminated one-liner; copied by the host */
    tim_command_fn run;
    void* user_data;
} tim_command_desc;

/* ---------------------------------------------------------------------------------------
 * Host services: a table the host fills and passes to tim_plugin_init. It stays valid
 * until tim_plugin_shutdown returns. Each function may be called from any thread unless
 * noted, never throws and never retains the caller's pointers.
 * ------------------------------------------------------------------------------------- */
typedef struct tim_host_api {
    uint32_t struct_size; /* sizeof(tim_host_api) as the host compiled it */
    uint32_t abi_major;   /* TIM_PLUGIN_ABI_MAJOR of the host */
    uint32_t abi_minor;   /* TIM_PLUGIN_ABI_MINOR of the host */

    /* -- configuration (tim.properties) -- */

    /* Copies the value of property `key` into `buffer` (not NUL-terminated) and stores its
     * length in *out_length. TIM_ERR_NOT_FOUND if the key is not set; TIM_ERR_BUFFER_TOO_SMALL
     * (with *out_length = length needed, buffer untouched) if it does not fit. */
    tim_status (*get_property)(tim_host* host, const char* key, size_t key_length, char* buffer,
                               size_t buffer_size, size_t* out_length);

    /* -- logging -- */

    /* Logs one message. The host copies it. Never fails. */
    void (*log)(tim_host* host, tim_log_level level, const char* message, size_t length);
    /* Non-zero if a message at `level` would be written, so the plugin can skip formatting. */
    int (*log_enabled)(tim_host* host, tim_log_level level);

    /* -- registration: only during tim_plugin_init (TIM_ERR_STATE otherwise) -- */

    tim_status (*register_http_handler)(tim_host* host, const tim_http_handler_desc* desc);
    tim_status (*register_task)(tim_host* host, const tim_task_desc* desc);
    tim_status (*register_command)(tim_host* host, const tim_command_desc* desc);

    /* Records why tim_plugin_init failed; the host prints it with the plugin's name. The host
     * copies the message; the last call wins. Main thread only. */
    void (*set_error)(tim_host* host, const char* message, size_t length);

    /* -- HTTP exchange: only from inside the handler that received `exchange` -- */

    /* Request method (e.g. "GET"). The view stays valid until the handler returns. */
    tim_status (*request_method)(tim_http_exchange* exchange, const char** out_data,
                                 size_t* out_length);
    /* Request path as received, percent-encoded, without the query. */
    tim_status (*request_path)(tim_http_exchange* exchange, const char** out_data,
                               size_t* out_length);
    /* Raw query string without '?', possibly empty (never NOT_FOUND). */
    tim_status (*request_query)(tim_http_exchange* exchange, const char** out_data,
                                size_t* out_length);
    /* First value of header `name` (case-insensitive). TIM_ERR_NOT_FOUND if absent. */
    tim_status (*request_header)(tim_http_exchange* exchange, const char* name, size_t name_length,
                                 const char** out_data, size_t* out_length);
    /* Reads up to `buffer_size` body bytes; *out_read == 0 means the body is complete.
     * TIM_ERR_TOO_LARGE once the body exceeds the host's limit (answer 413, or return it from
     * the handler and the host answers 413); TIM_ERR_IO if the client failed, timed out or
     * closed before sending the whole body. Nothing reads the body before the handler asks:
     * check credentials first. A body not read to its end (refused, too large, broken) is
     * never read by the host either: it answers and closes the connection. */
    tim_status (*request_body_read)(tim_http_exchange* exchange, char* buffer, size_t buffer_size,
                                    size_t* out_read);
    /* Sets the response status (100..599; default 200). */
    tim_status (*response_set_status)(tim_http_exchange* exchange, int status);
    /* Sets (replaces) a response header. Content-Length is the host's. */
    tim_status (*response_set_header)(tim_http_exchange* exchange, const char* name,
                                      size_t name_length, const char* value, size_t value_length);
    /* Appends to the response body. The host copies the bytes. */
    tim_status (*response_write)(tim_http_exchange* exchange, const char* data, size_t length);

    /* -- commands: only from inside the command that received `output` -- */

    /* Appends to the command's standard output. The host copies the bytes. */
    tim_status (*command_write)(tim_command_output* output, const char* data, size_t length);

    /* -- since 1.1 (check struct_size before calling): HTTP exchange, as above -- */

    /* The client's IP address: the peer's, or, when the peer is one of the host's trusted
     * proxies, the nearest address its X-Forwarded-For names that is not a trusted proxy. */
    tim_status (*request_client_address)(tim_http_exchange* exchange, const char** out_data,
                                         size_t* out_length);
    /* "scheme://authority" the client addressed, for absolute URLs: https on a TLS
     * connection, else http, and the Host header when it is a valid authority, else the
     * listener's address. X-Forwarded-Proto and X-Forwarded-Host count only from a trusted
     * proxy. */
    tim_status (*request_origin)(tim_http_exchange* exchange, const char** out_data,
                                 size_t* out_length);
} tim_host_api;

/* ---------------------------------------------------------------------------------------
 * Plugin entry points: exported with these names (manifest.json may name them).
 * ------------------------------------------------------------------------------------- */

/* Returns the ABI the plugin was built for: (major << 16) | minor. Called before init;
 * must not touch anything else. */
typedef uint32_t (*tim_plugin_abi_version_fn)(void);

/* Returns TIM_PLUGIN_BUILD_FINGERPRINT as the plugin compiled it (static storage). */
typedef const char* (*tim_plugin_build_fingerprint_fn)(void);

/* Initialises the plugin: checks the host's ABI (major equal, minor at least what it needs),
 * reads configuration, opens its resources and registers its handlers, tasks and commands.
 * On success stores the plugin's state in *out_plugin_data and returns TIM_OK. On failure it
 * calls set_error with a message an operator can act on, releases everything it acquired and
 * returns non-OK; the host then neither routes to it nor calls shutdown.
 * `host` and `api` stay valid until shutdown returns. Main thread. */
typedef tim_status (*tim_plugin_init_fn)(tim_host* host, const tim_host_api* api,
                                         void** out_plugin_data);

/* Shuts the plugin down. The host calls it once, after it has stopped routing, waited for
 * in-flight handlers and stopped the plugin's tasks. The plugin releases everything; the host
 * may keep the library mapped (never rely on unloading). Main thread. */
typedef void (*tim_plugin_shutdown_fn)(void* plugin_data);

#define TIM_PLUGIN_ABI_VERSION_SYMBOL "tim_plugin_abi_version"
#define TIM_PLUGIN_BUILD_FINGERPRINT_SYMBOL "tim_plugin_build_fingerprint"
#define TIM_PLUGIN_INIT_SYMBOL "tim_plugin_init"
#define TIM_PLUGIN_SHUTDOWN_SYMBOL "tim_plugin_shutdown"

#define TIM_PLUGIN_ABI_VERSION ((uint32_t)((TIM_PLUGIN_ABI_MAJOR << 16) | TIM_PLUGIN_ABI_MINOR))

#ifdef __cplusplus
#define TIM_PLUGIN_EXTERN_C extern "C"
#else
#define TIM_PLUGIN_EXTERN_C
#endif

/* Defines tim_plugin_abi_version and tim_plugin_build_fingerprint for the ABI of this header.
 * Use it once, at file scope, in one source file of the plugin. */
#define TIM_PLUGIN_DECLARE_ABI()                                                           \
    TIM_PLUGIN_EXTERN_C TIM_PLUGIN_EXPORT uint32_t tim_plugin_abi_version(void) {          \
        return TIM_PLUGIN_ABI_VERSION;                                                     \
    }                                                                                      \
    TIM_PLUGIN_EXTERN_C TIM_PLUGIN_EXPORT const char* tim_plugin_build_fingerprint(void) { \
        return TIM_PLUGIN_BUILD_FINGERPRINT;                                               \
    }

#ifdef __cplusplus
}
#endif

#endif /* TIM_PLUGIN_API_H */
