#include "RequestFraming.h"

#include <Poco/String.h>

#include <algorithm>
#include <cctype>

namespace timhost {
namespace {

constexpr std::size_t kMaxLengthDigits = 18;  // fits Int64

RequestFraming refused(int status, const std::string& detail) {
    RequestFraming framing;
    framing.refusal = status;
    framing.detail = detail;
    return framing;
}

std::size_t fieldCount(const Poco::Net::HTTPRequest& head, const std::string& name) {
    std::size_t count = 0;
    for (auto it = head.find(name); it != head.end() && Poco::icompare(it->first, name) == 0;
         ++it) {
        ++count;
    }
    return count;
}

bool allDigits(const std::string& text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    });
}

bool expectsBody(const std::string& method) {
    return method == "POST" || method == "PUT" || method == "PATCH";
}

}  // namespace

RequestFraming framingOf(const Poco::Net::HTTPRequest& head) {
    const std::size_t encodings = fieldCount(head, "Transfer-Encoding");
    const std::size_t lengths = fieldCount(head, "Content-Length");
    if (encodings > 0 && lengths > 0) {
        return refused(400, "A request may not carry both Content-Length and Transfer-Encoding");
    }
    if (encodings > 0) {
        const std::string coding = Poco::trim(head.get("Transfer-Encoding"));
        if (encodings > 1 || Poco::icompare(coding, "chunked") != 0) {
            return refused(501, "Only the chunked transfer coding is supported");
        }
        RequestFraming framing;
        framing.body = RequestFraming::Body::Chunked;
        return framing;
    }
    if (lengths > 0) {
        const std::string value = Poco::trim(head.get("Content-Length"));
        if (lengths > 1 || !allDigits(value) || value.size() > kMaxLengthDigits) {
            return refused(400, "Content-Length must be one decimal number");
        }
        RequestFraming framing;
        framing.length = std::stoll(value);
        framing.body =
            framing.length > 0 ? RequestFraming::Body::Length : RequestFraming::Body::None;
        return framing;
    }
    if (expectsBody(head.getMethod())) {
        return refused(411, "A " + head.getMethod() + " request needs a Content-Length");
    }
    return RequestFraming{};
}

}  // namespace timhost
