/* A well-behaved C plugin that exercises every host service: routes, a task, a command.
 * Built twice: as a plugin of this header's ABI, and with TIM_TEST_ABI_1_0 as a plugin built
 * against ABI 1.0 (shorter handler descriptions, none of the 1.1 services). */
#define _POSIX_C_SOURCE 200809L
#include <tim/plugin_api.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static tim_host* g_host;
static const tim_host_api* g_api;
static atomic_int g_task_running;
static atomic_int g_task_runs;

static void log_text(tim_log_level level, const char* text) {
    g_api->log(g_host, level, text, strlen(text));
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void write_text(tim_http_exchange* ex, const char* text) {
    g_api->response_write(ex, text, strlen(text));
}

static void write_view(tim_http_exchange* ex, const char* data, size_t length) {
    g_api->response_write(ex, data, length);
}

/* GET/POST /echo: answers "method|query|x-test header|body". */
static tim_status handle_echo(void* user_data, tim_http_exchange* ex) {
    (void)user_data;
    const char* data;
    size_t length;
    char buffer[4096];
    size_t got = 0;

    g_api->response_set_header(ex, "Content-Type", 12, "text/plain", 10);
#ifndef TIM_TEST_ABI_1_0
    if (g_api->request_client_address(ex, &data, &length) == TIM_OK) {
        g_api->response_set_header(ex, "X-Client-Address", 16, data, length);
    }
    if (g_api->request_origin(ex, &data, &length) == TIM_OK) {
        g_api->response_set_header(ex, "X-Origin", 8, data, length);
    }
#endif
    g_api->request_method(ex, &data, &length);
    write_view(ex, data, length);
    write_text(ex, "|");
    g_api->request_query(ex, &data, &length);
    write_view(ex, data, length);
    write_text(ex, "|");
    if (g_api->request_header(ex, "x-test", 6, &data, &length) == TIM_OK) {
        write_view(ex, data, length);
    }
    write_text(ex, "|");
    for (;;) {
        tim_status status = g_api->request_body_read(ex, buffer, sizeof buffer, &got);
        if (status != TIM_OK) {
            return status;
        }
        if (got == 0) {
            break;
        }
        write_view(ex, buffer, got);
    }
    return TIM_OK;
}

/* The number the query string is ("?250"), 0 when it is none. */
static long query_number(tim_http_exchange* ex) {
    const char* query;
    size_t length;
    char digits[16] = {0};
    g_api->request_query(ex, &query, &length);
    memcpy(digits, query, length < 15 ? length : 15);
    return atol(digits);
}

/* GET /echo/slow?MS: answers after MS milliseconds. */
static tim_status handle_slow(void* user_data, tim_http_exchange* ex) {
    (void)user_data;
    sleep_ms(query_number(ex));
    write_text(ex, "slow done");
    return TIM_OK;
}

/* GET /echo/header?N: answers with a header "X-Long" of N bytes (at most 1 MiB). */
static tim_status handle_header(void* user_data, tim_http_exchange* ex) {
    (void)user_data;
    size_t size = (size_t)query_number(ex);
    size = size < 1024 * 1024 ? size : 1024 * 1024;
    char* value = malloc(size + 1);
    if (value == NULL) {
        return TIM_ERR_INTERNAL;
    }
    memset(value, 'h', size);
    g_api->response_set_header(ex, "X-Long", 6, value, size);
    free(value);
    write_text(ex, "header set");
    return TIM_OK;
}

/* /echo/fail: reports failure without a response. */
static tim_status handle_fail(void* user_data, tim_http_exchange* ex) {
    (void)user_data;
    write_text(ex, "half a response that must never be sent");
    return TIM_ERR_INTERNAL;
}

/* Runs longer than its interval, so an overlapping schedule would be seen. */
static tim_status run_tick(void* user_data) {
    (void)user_data;
    char line[64];
    if (atomic_fetch_add(&g_task_running, 1) != 0) {
        log_text(TIM_LOG_ERROR, "echo.tick OVERLAP");
    }
    sleep_ms(150);
    snprintf(line, sizeof line, "echo.tick run %d", atomic_fetch_add(&g_task_runs, 1) + 1);
    log_text(TIM_LOG_INFO, line);
    atomic_fetch_sub(&g_task_running, 1);
    return TIM_OK;
}

/* echo.args A B C: prints "A,B,C"; fails when the first argument is "fail". */
static tim_status run_args(void* user_data, int argc, const char* const* argv,
                           tim_command_output* out) {
    (void)user_data;
    if (argc > 0 && strcmp(argv[0], "fail") == 0) {
        return TIM_ERR_INVALID_ARGUMENT;
    }
    for (int i = 0; i < argc; ++i) {
        if (i > 0) {
            g_api->command_write(out, ",", 1);
        }
        g_api->command_write(out, argv[i], strlen(argv[i]));
    }
    g_api->command_write(out, "\n", 1);
    return TIM_OK;
}

#ifdef TIM_TEST_ABI_1_0
/* What a plugin built against ABI 1.0 reports and registers. */
TIM_PLUGIN_EXPORT uint32_t tim_plugin_abi_version(void) {
    return (uint32_t)(TIM_PLUGIN_ABI_MAJOR << 16);
}
TIM_PLUGIN_EXPORT const char* tim_plugin_build_fingerprint(void) {
    return TIM_PLUGIN_BUILD_FINGERPRINT;
}
#define HANDLER_DESC_SIZE offsetof(tim_http_handler_desc, error_media_type)
/* Beyond HANDLER_DESC_SIZE: the host must not read it, so it is set to what a 1.0 plugin's
 * memory might hold there. */
#define ERROR_MEDIA_TYPE , "garbage/beyond-struct-size"
#else
TIM_PLUGIN_DECLARE_ABI()
#define HANDLER_DESC_SIZE sizeof(tim_http_handler_desc)
#define ERROR_MEDIA_TYPE , "application/scim+json"
#endif

TIM_PLUGIN_EXPORT tim_status tim_plugin_init(tim_host* host, const tim_host_api* api,
                                             void** out_plugin_data) {
    if (api->abi_major != TIM_PLUGIN_ABI_MAJOR) {
        return TIM_ERR_STATE;
    }
    g_host = host;
    g_api = api;
    tim_http_handler_desc echo = {HANDLER_DESC_SIZE, "/echo", TIM_HTTP_GET | TIM_HTTP_POST,
                                  handle_echo, NULL ERROR_MEDIA_TYPE};
    tim_http_handler_desc slow = {HANDLER_DESC_SIZE, "/echo/slow", TIM_HTTP_GET, handle_slow,
                                  NULL ERROR_MEDIA_TYPE};
    tim_http_handler_desc fail = {HANDLER_DESC_SIZE, "/echo/fail", TIM_HTTP_GET, handle_fail,
                                  NULL ERROR_MEDIA_TYPE};
    tim_http_handler_desc header = {HANDLER_DESC_SIZE, "/echo/header", TIM_HTTP_GET, handle_header,
                                    NULL ERROR_MEDIA_TYPE};
    tim_task_desc tick = {sizeof tick, "echo.tick", 50, 20, run_tick, NULL};
    tim_command_desc args = {sizeof args, "echo.args", "prints its arguments", run_args, NULL};
    if (api->register_http_handler(host, &echo) != TIM_OK ||
        api->register_http_handler(host, &slow) != TIM_OK ||
        api->register_http_handler(host, &fail) != TIM_OK ||
        api->register_http_handler(host, &header) != TIM_OK ||
        api->register_task(host, &tick) != TIM_OK || api->register_command(host, &args) != TIM_OK) {
        return TIM_ERR_INTERNAL;
    }
    *out_plugin_data = NULL;
    return TIM_OK;
}

TIM_PLUGIN_EXPORT void tim_plugin_shutdown(void* plugin_data) {
    (void)plugin_data;
    log_text(TIM_LOG_INFO, "echo plugin shut down");
}
