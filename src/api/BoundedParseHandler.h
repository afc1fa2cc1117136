// Poco's JSON document builder with a request's limits enforced while the parser reads: a body
// of millions of tiny values or one huge string is refused at the limit, before it is built
// (a 9 MB body of empty arrays used to take 600 MB before its 400).
#pragma once

#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/ParseHandler.h>

#include <cstddef>
#include <string>

namespace api {

// Thrown out of the parse at the first value past a limit; the message says which.
class JsonLimitExceeded : public Poco::JSON::JSONException {
  public:
    explicit JsonLimitExceeded(const std::string& message) : JSONException(message) {}
};

class BoundedParseHandler : public Poco::JSON::ParseHandler {
  public:
    BoundedParseHandler(std::size_t maxValues, std::size_t maxStringBytes)
        : _maxValues(maxValues), _maxStringBytes(maxStringBytes) {}

    void reset() override;
    void startObject() override;
    void startArray() override;
    void key(const std::string& k) override;
    void null() override;
    void value(int v) override;
    void value(unsigned v) override;
    void value(Poco::Int64 v) override;
    void value(Poco::UInt64 v) override;
    void value(const std::string& s) override;
    void value(double d) override;
    void value(bool b) override;

  private:
    void countValue();
    void checkString(const std::string& text) const;

    const std::size_t _maxValues;
    const std::size_t _maxStringBytes;
    std::size_t _values = 0;
};

}  // namespace api
