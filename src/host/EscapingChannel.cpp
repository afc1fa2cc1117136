#include "EscapingChannel.h"

#include <Poco/Message.h>

#include <algorithm>
#include <cstdio>

namespace timhost {
namespace {

bool isControl(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
}

}  // namespace

std::string escapeControlCharacters(const std::string& text) {
    if (std::none_of(text.begin(), text.end(), isControl)) {
        return text;
    }
    std::string escaped;
    escaped.reserve(text.size() + 16);
    for (char c : text) {
        if (isControl(c)) {
            char code[5];
            std::snprintf(code, sizeof code, "\\x%02x", static_cast<unsigned char>(c));
            escaped += code;
        } else {
            escaped += c;
        }
    }
    return escaped;
}

void EscapingChannel::log(const Poco::Message& message) {
    Poco::Message escaped(message);
    escaped.setText(escapeControlCharacters(message.getText()));
    _next->log(escaped);
}

}  // namespace timhost
