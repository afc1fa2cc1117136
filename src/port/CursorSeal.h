// Seals what an RFC 9865 cursor carries: a client can neither change a cursor nor keep using
// one past its timeout, and every host sharing the database opens the cursors of the others.
#pragma once

#include <optional>
#include <string>

namespace port {

class CursorSeal {
  public:
    enum class Verdict { Valid, Invalid, Expired };
    struct Opened {
        Verdict verdict = Verdict::Invalid;
        std::string content;  // what seal() was given, when Valid
    };

    virtual ~CursorSeal() = default;

    // An opaque cursor of unreserved URI characters that carries `content`.
    virtual std::string seal(const std::string& content) const = 0;

    // What `cursor` carries, if this service sealed it unchanged and within the timeout.
    virtual Opened open(const std::string& cursor) const = 0;

    // How long a cursor stays valid after it was issued.
    virtual int timeoutSeconds() const = 0;
};

}  // namespace port
