// The C functions behind tim_host_api. Each one validates its arguments, never throws and
// never keeps the caller's pointers.
#include "HostHandles.h"

#include <Poco/Message.h>
#include <Poco/String.h>

#include <algorithm>
#include <cstring>

namespace timhost {
namespace {

Poco::Message::Priority toPriority(tim_log_level level) {
    switch (level) {
        case TIM_LOG_TRACE:
            return Poco::Message::PRIO_TRACE;
        case TIM_LOG_DEBUG:
            return Poco::Message::PRIO_DEBUG;
        case TIM_LOG_INFO:
            return Poco::Message::PRIO_INFORMATION;
        case TIM_LOG_WARNING:
            return Poco::Message::PRIO_WARNING;
        case TIM_LOG_ERROR:
            return Poco::Message::PRIO_ERROR;
        case TIM_LOG_FATAL:
            return Poco::Message::PRIO_FATAL;
    }
    return Poco::Message::PRIO_ERROR;
}

template <typename Fn>
tim_status guarded(Fn&& fn) noexcept {
    try {
        return fn();
    } catch (...) {
        return TIM_ERR_INTERNAL;
    }
}

tim_status getProperty(tim_host* host, const char* key, size_t keyLength, char* buffer,
                       size_t bufferSize, size_t* outLength) {
    if (host == nullptr || key == nullptr || keyLength == 0 || outLength == nullptr) {
        return TIM_ERR_INVALID_ARGUMENT;
    }
    return guarded([&] {
        const std::string name(key, keyLength);
        if (!host->config->hasProperty(name)) {
            return TIM_ERR_NOT_FOUND;
        }
        const std::string value = host->config->getString(name);
        *outLength = value.size();
        if (value.size() > bufferSize || (buffer == nullptr && !value.empty())) {
            return TIM_ERR_BUFFER_TOO_SMALL;
        }
        std::memcpy(buffer, value.data(), value.size());
        return TIM_OK;
    });
}

void log(tim_host* host, tim_log_level level, const char* message, size_t length) {
    if (host == nullptr || message == nullptr) {
        return;
    }
    guarded([&] {
        const auto priority = toPriority(level);
        if (host->logger->is(priority)) {
            host->logger->log(
                Poco::Message(host->logger->name(), std::string(message, length), priority));
        }
        return TIM_OK;
    });
}

int logEnabled(tim_host* host, tim_log_level level) {
    return host != nullptr && host->logger->is(toPriority(level)) ? 1 : 0;
}

// Copies the caller's struct into a zero-filled one of the host's size, so an older plugin's
// shorter struct reads as "not set" for the fields it does not know.
template <typename Desc>
bool readDesc(const Desc* desc, Desc& out) {
    if (desc == nullptr || desc->struct_size < sizeof(std::uint32_t)) {
        return false;
    }
    std::memset(&out, 0, sizeof out);
    std::memcpy(&out, desc, std::min<std::size_t>(desc->struct_size, sizeof out));
    return true;
}

// Validates a registration descriptor and hands the host-sized copy to `add`.
template <typename Desc, typename Add>
tim_status registerDesc(tim_host* host, const Desc* desc, Add&& add) {
    if (host == nullptr) {
        return TIM_ERR_INVALID_ARGUMENT;
    }
    if (!host->registrationOpen) {
        return TIM_ERR_STATE;
    }
    return guarded([&] {
        Desc d;
        return readDesc(desc, d) ? add(d) : TIM_ERR_INVALID_ARGUMENT;
    });
}

tim_status registerHttpHandler(tim_host* host, const tim_http_handler_desc* desc) {
    return registerDesc(host, desc, [host](const tim_http_handler_desc& d) {
        return d.path_prefix == nullptr
                   ? TIM_ERR_INVALID_ARGUMENT
                   : host->registry->addRoute(
                         Route{host->pluginName, d.path_prefix, d.methods, d.handle, d.user_data,
                               d.error_media_type ? d.error_media_type : "application/json"});
    });
}

tim_status registerTask(tim_host* host, const tim_task_desc* desc) {
    return registerDesc(host, desc, [host](const tim_task_desc& d) {
        return d.name == nullptr
                   ? TIM_ERR_INVALID_ARGUMENT
                   : host->registry->addTask(Task{host->pluginName, d.name, d.first_delay_ms,
                                                  d.interval_ms, d.run, d.user_data});
    });
}

tim_status registerCommand(tim_host* host, const tim_command_desc* desc) {
    return registerDesc(host, desc, [host](const tim_command_desc& d) {
        return d.name == nullptr ? TIM_ERR_INVALID_ARGUMENT
                                 : host->registry->addCommand(Command{
                                       host->pluginName, d.name, d.description ? d.description : "",
                                       d.run, d.user_data});
    });
}

void setError(tim_host* host, const char* message, size_t length) {
    if (host == nullptr || message == nullptr) {
        return;
    }
    guarded([&] {
        host->error.assign(message, length);
        return TIM_OK;
    });
}

tim_status view(const std::string& value, const char** outData, size_t* outLength) {
    if (outData == nullptr || outLength == nullptr) {
        return TIM_ERR_INVALID_ARGUMENT;
    }
    *outData = value.data();
    *outLength = value.size();
    return TIM_OK;
}

tim_status requestMethod(tim_http_exchange* ex, const char** outData, size_t* outLength) {
    return ex ? view(ex->request.head.getMethod(), outData, outLength) : TIM_ERR_INVALID_ARGUMENT;
}

tim_status requestPath(tim_http_exchange* ex, const char** outData, size_t* outLength) {
    return ex ? view(ex->path, outData, outLength) : TIM_ERR_INVALID_ARGUMENT;
}

tim_status requestQuery(tim_http_exchange* ex, const char** outData, size_t* outLength) {
    return ex ? view(ex->query, outData, outLength) : TIM_ERR_INVALID_ARGUMENT;
}

tim_status requestClientAddress(tim_http_exchange* ex, const char** outData, size_t* outLength) {
    return ex ? view(ex->client.address, outData, outLength) : TIM_ERR_INVALID_ARGUMENT;
}

tim_status requestOrigin(tim_http_exchange* ex, const char** outData, size_t* outLength) {
    return ex ? view(ex->client.origin, outData, outLength) : TIM_ERR_INVALID_ARGUMENT;
}

tim_status requestHeader(tim_http_exchange* ex, const char* name, size_t nameLength,
                         const char** outData, size_t* outLength) {
    if (ex == nullptr || name == nullptr) {
        return TIM_ERR_INVALID_ARGUMENT;
    }
    return guarded([&] {
        const auto it = ex->request.head.find(std::string(name, nameLength));
        if (it == ex->request.head.end()) {
            return TIM_ERR_NOT_FOUND;
        }
        return view(it->second, outData, outLength);
    });
}

tim_status requestBodyRead(tim_http_exchange* ex, char* buffer, size_t bufferSize,
                           size_t* outRead) {
    if (ex == nullptr || outRead == nullptr || (buffer == nullptr && bufferSize > 0)) {
        return TIM_ERR_INVALID_ARGUMENT;
    }
    *outRead = 0;
    if (ex->bodyTooLarge) {
        return TIM_ERR_TOO_LARGE;
    }
    if (ex->bodyComplete || bufferSize == 0) {
        return TIM_OK;
    }
    if (ex->bodyIncomplete) {
        return TIM_ERR_IO;
    }
    return guarded([&] {
        if (ex->request.body == nullptr) {
            ex->bodyComplete = true;  // a head without a body
            return TIM_OK;
        }
        std::size_t got = 0;
        if (ex->request.body->read(buffer, bufferSize, got) != TIM_OK) {
            ex->bodyIncomplete = true;  // never acted on
            return TIM_ERR_IO;
        }
        if (got == 0) {
            ex->bodyComplete = true;
            return TIM_OK;
        }
        ex->bodyBytesRead += got;
        if (ex->bodyBytesRead > ex->maxBodyBytes) {
            ex->bodyTooLarge = true;
            return TIM_ERR_TOO_LARGE;
        }
        *outRead = got;
        return TIM_OK;
    });
}

tim_status responseSetStatus(tim_http_exchange* ex, int status) {
    if (ex == nullptr || status < 100 || status > 599) {
        return TIM_ERR_INVALID_ARGUMENT;
    }
    ex->status = status;
    return TIM_OK;
}

bool validHeaderText(const char* data, size_t length) {
    return std::none_of(data, data + length,
                        [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

tim_status responseSetHeader(tim_http_exchange* ex, const char* name, size_t nameLength,
                             const char* value, size_t valueLength) {
    if (ex == nullptr || name == nullptr || nameLength == 0 || value == nullptr ||
        !validHeaderText(name, nameLength) || !validHeaderText(value, valueLength)) {
        return TIM_ERR_INVALID_ARGUMENT;
    }
    return guarded([&] {
        std::string headerName(name, nameLength);
        if (Poco::icompare(headerName, "Content-Length") == 0) {
            return TIM_ERR_INVALID_ARGUMENT;
        }
        for (auto& header : ex->headers) {
            if (Poco::icompare(header.first, headerName) == 0) {
                header.second.assign(value, valueLength);
                return TIM_OK;
            }
        }
        ex->headers.emplace_back(std::move(headerName), std::string(value, valueLength));
        return TIM_OK;
    });
}

tim_status responseWrite(tim_http_exchange* ex, const char* data, size_t length) {
    if (ex == nullptr || (data == nullptr && length > 0)) {
        return TIM_ERR_INVALID_ARGUMENT;
    }
    return guarded([&] {
        ex->body.append(data, length);
        return TIM_OK;
    });
}

tim_status commandWrite(tim_command_output* output, const char* data, size_t length) {
    if (output == nullptr || (data == nullptr && length > 0)) {
        return TIM_ERR_INVALID_ARGUMENT;
    }
    return guarded([&] {
        output->out.write(data, static_cast<std::streamsize>(length));
        return output->out ? TIM_OK : TIM_ERR_IO;
    });
}

const tim_host_api kHostApi = {
    sizeof(tim_host_api),
    TIM_PLUGIN_ABI_MAJOR,
    TIM_PLUGIN_ABI_MINOR,
    getProperty,
    log,
    logEnabled,
    registerHttpHandler,
    registerTask,
    registerCommand,
    setError,
    requestMethod,
    requestPath,
    requestQuery,
    requestHeader,
    requestBodyRead,
    responseSetStatus,
    responseSetHeader,
    responseWrite,
    commandWrite,
    requestClientAddress,
    requestOrigin,
};

}  // namespace

const tim_host_api& hostApi() {
    return kHostApi;
}

}  // namespace timhost
