// The last step before timhost's log output: every control character (U+0000-U+001F, U+007F)
// in a line becomes \xNN, so no value a client sent, through the host or any plugin, can end a
// line and forge the next one.
#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>

#include <string>

namespace timhost {

std::string escapeControlCharacters(const std::string& text);

class EscapingChannel : public Poco::Channel {
  public:
    explicit EscapingChannel(Poco::AutoPtr<Poco::Channel> next) : _next(std::move(next)) {}

    void log(const Poco::Message& message) override;
    void open() override { _next->open(); }
    void close() override { _next->close(); }

  private:
    Poco::AutoPtr<Poco::Channel> _next;
};

}  // namespace timhost
