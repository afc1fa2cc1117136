// The duration syntax of TIM's settings (jwtAccessTokenExpirationTimeScim, the purge
// retentions): a whole number and a unit, d (days), w (weeks), m (calendar months) or
// y (calendar years), e.g. "30d", "6m", "1y".
#pragma once

#include <Poco/Timestamp.h>

#include <functional>
#include <string>

namespace tim {

struct Duration {
    int amount = 1;
    char unit = 'y';

    // Throws Poco::InvalidArgumentException naming `key` for anything else, such as "",
    // "0d", "1h", "1.5y", "-1d", "y1".
    static Duration parse(const std::string& text, const std::string& key);

    // `from` plus the duration. Months and years are calendar units; a day of month that the
    // target month lacks becomes its last day (Jan 31 + 1m = Feb 28/29).
    Poco::Timestamp after(const Poco::Timestamp& from) const;
    // `from` minus the duration (calendar units as in after()).
    Poco::Timestamp before(const Poco::Timestamp& from) const;

    std::string text() const { return std::to_string(amount) + unit; }

    // before() as a function of now: the store's retention (what expired before it).
    std::function<Poco::Timestamp(const Poco::Timestamp&)> expiry() const {
        return [copy = *this](const Poco::Timestamp& now) { return copy.before(now); };
    }
};

}  // namespace tim
