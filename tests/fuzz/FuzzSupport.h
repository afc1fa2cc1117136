// What every fuzz target shares: the input as text, and the one outcome bad input may have.
// A scim::ScimError is the answer a client gets (a 4xx); any other exception would reach the
// service as a 500, so it is left to escape and libFuzzer reports it as a crash.
#pragma once

#include "api/Http.h"
#include "api/RequestLimits.h"
#include "api/RequestSupport.h"
#include "scim/ScimError.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace fuzz {

inline std::string text(const std::uint8_t* data, std::size_t size) {
    return std::string(reinterpret_cast<const char*>(data), size);
}

// The input as a request body, parsed as the endpoints parse it (ScimError 400 when it is not
// a JSON object within `limits`).
inline Poco::JSON::Object::Ptr body(const std::uint8_t* data, std::size_t size,
                                    const api::RequestLimits& limits) {
    api::Request request;
    request.readBody = [&] {
        return api::ReceivedBody{api::ReceivedBody::Outcome::Complete, text(data, size)};
    };
    return api::parseBody(request, limits);
}

template <typename Fn>
void expectScimErrorsOnly(Fn&& fn) {
    try {
        fn();
    } catch (const scim::ScimError&) {
        // the client's mistake, answered
    }
}

}  // namespace fuzz
