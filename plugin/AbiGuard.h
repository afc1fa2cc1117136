// The exception firewall for calls that cross the C ABI into the plugin: nothing escapes.
#pragma once

#include "HostBridge.h"

#include <Poco/Exception.h>

#include <string>

namespace timplugin {

// The message of the exception being handled; call only inside a catch block.
inline std::string currentExceptionText() {
    try {
        throw;
    } catch (const Poco::Exception& e) {
        return e.displayText();
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "unknown exception";
    }
}

// Runs fn; an exception is logged as "<what>: <message>" and becomes `failed`.
template <typename Fn>
tim_status guard(const HostBridge& host, const char* what, Fn&& fn,
                 tim_status failed = TIM_ERR_INTERNAL) noexcept {
    try {
        return fn();
    } catch (...) {
        try {
            host.log(TIM_LOG_ERROR, std::string(what) + ": " + currentExceptionText());
        } catch (...) {
        }
        return failed;
    }
}

}  // namespace timplugin
