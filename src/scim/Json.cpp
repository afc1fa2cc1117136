#include "Json.h"

#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace scim::json {
namespace {

using Poco::Dynamic::Var;

void appendEscaped(std::string& out, unsigned char c) {
    switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default: {
            static constexpr char kHex[] = "0123456789ABCDEF";
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        }
    }
}

// As Poco does: control characters, quote and backslash escaped; the rest (UTF-8 included)
// as it is, appended in runs.
void appendString(std::string& out, const std::string& text) {
    out += '"';
    std::size_t run = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\') {
            continue;
        }
        out.append(text, run, i - run);
        appendEscaped(out, c);
        run = i + 1;
    }
    out.append(text, run, std::string::npos);
    out += '"';
}

void append(std::string& out, const Var& value);

void appendObject(std::string& out, const Poco::JSON::Object& object) {
    out += '{';
    bool first = true;
    for (const auto& member : object) {
        if (!first) {
            out += ',';
        }
        first = false;
        appendString(out, member.first);
        out += ':';
        append(out, member.second);
    }
    out += '}';
}

void appendArray(std::string& out, const Poco::JSON::Array& array) {
    out += '[';
    for (auto element = array.begin(); element != array.end(); ++element) {
        if (element != array.begin()) {
            out += ',';
        }
        append(out, *element);
    }
    out += ']';
}

void append(std::string& out, const Var& value) {
    const auto& type = value.type();
    if (type == typeid(std::string)) {
        appendString(out, value.extract<std::string>());
    } else if (type == typeid(Poco::JSON::Object::Ptr)) {
        appendObject(out, *value.extract<Poco::JSON::Object::Ptr>());
    } else if (type == typeid(Poco::JSON::Array::Ptr)) {
        appendArray(out, *value.extract<Poco::JSON::Array::Ptr>());
    } else if (type == typeid(Poco::JSON::Object)) {
        appendObject(out, value.extract<Poco::JSON::Object>());
    } else if (type == typeid(Poco::JSON::Array)) {
        appendArray(out, value.extract<Poco::JSON::Array>());
    } else if (value.isEmpty()) {
        out += "null";
    } else if (value.isBoolean() || (value.isNumeric() && type != typeid(char))) {
        out += value.convert<std::string>();
    } else if (value.isString() || value.isDateTime() || value.isDate() || value.isTime()) {
        appendString(out, value.convert<std::string>());
    } else {
        std::ostringstream text;  // anything else, as Poco writes it
        Poco::JSON::Stringifier::condense(value, text);
        out += text.str();
    }
}

}  // namespace

std::string compactText(const Poco::Dynamic::Var& value) {
    std::string out;
    append(out, value);
    return out;
}

}  // namespace scim::json
