#include "BoundedParseHandler.h"

namespace api {

void BoundedParseHandler::reset() {
    _values = 0;
    ParseHandler::reset();
}

// Every value counts once, objects and arrays included; keys do not.
void BoundedParseHandler::countValue() {
    if (++_values > _maxValues) {
        throw JsonLimitExceeded("The request body holds more than " + std::to_string(_maxValues) +
                                " values");
    }
}

void BoundedParseHandler::checkString(const std::string& text) const {
    if (text.size() > _maxStringBytes) {
        throw JsonLimitExceeded("The request body holds a string longer than " +
                                std::to_string(_maxStringBytes) + " bytes");
    }
}

void BoundedParseHandler::startObject() {
    countValue();
    ParseHandler::startObject();
}

void BoundedParseHandler::startArray() {
    countValue();
    ParseHandler::startArray();
}

void BoundedParseHandler::key(const std::string& k) {
    checkString(k);
    ParseHandler::key(k);
}

void BoundedParseHandler::null() {
    countValue();
    ParseHandler::null();
}

void BoundedParseHandler::value(int v) {
    countValue();
    ParseHandler::value(v);
}

void BoundedParseHandler::value(unsigned v) {
    countValue();
    ParseHandler::value(v);
}

void BoundedParseHandler::value(Poco::Int64 v) {
    countValue();
    ParseHandler::value(v);
}

void BoundedParseHandler::value(Poco::UInt64 v) {
    countValue();
    ParseHandler::value(v);
}

void BoundedParseHandler::value(const std::string& s) {
    countValue();
    checkString(s);
    ParseHandler::value(s);
}

void BoundedParseHandler::value(double d) {
    countValue();
    ParseHandler::value(d);
}

void BoundedParseHandler::value(bool b) {
    countValue();
    ParseHandler::value(b);
}

}  // namespace api
