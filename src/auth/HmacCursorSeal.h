// port::CursorSeal with an HMAC-SHA256 under a key derived from the token signing key, which
// every host sharing the database has: "<content>.<mac>", both base64url, the content carrying
// the time the cursor was issued.
#pragma once

#include "Clock.h"
#include "port/CursorSeal.h"

#include <string>

namespace auth {

class HmacCursorSeal final : public port::CursorSeal {
  public:
    HmacCursorSeal(const std::string& signingKey, const Clock& clock, int timeoutSeconds);

    std::string seal(const std::string& content) const override;
    Opened open(const std::string& cursor) const override;
    int timeoutSeconds() const override { return _timeoutSeconds; }

  private:
    const std::string _key;
    const Clock& _clock;
    const int _timeoutSeconds;
};

}  // namespace auth
