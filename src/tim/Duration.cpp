#include "Duration.h"

#include <Poco/DateTime.h>
#include <Poco/Exception.h>
#include <Poco/String.h>

#include <cctype>

namespace tim {
namespace {

// Keeps every expiry representable (Poco::DateTime ends at year 9999).
constexpr int kMaxDays = 36500;

int maxAmount(char unit) {
    switch (unit) {
        case 'd':
            return kMaxDays;
        case 'w':
            return kMaxDays / 7;
        case 'm':
            return 1200;
        default:
            return 100;
    }
}

}  // namespace

Duration Duration::parse(const std::string& text, const std::string& key) {
    const std::string value = Poco::toLower(Poco::trim(text));
    auto invalid = [&text, &key]() {
        return Poco::InvalidArgumentException(
            key +
            " must be a whole number followed by d, w, m or y "
            "(days, weeks, months, years), such as 30d or 1y; \"" +
            text + "\" is not");
    };
    if (value.size() < 2 || value.size() > 6) {
        throw invalid();
    }
    Duration duration;
    duration.unit = value.back();
    if (duration.unit != 'd' && duration.unit != 'w' && duration.unit != 'm' &&
        duration.unit != 'y') {
        throw invalid();
    }
    duration.amount = 0;
    for (std::size_t i = 0; i + 1 < value.size(); ++i) {
        if (!std::isdigit(static_cast<unsigned char>(value[i]))) {
            throw invalid();
        }
        duration.amount = duration.amount * 10 + (value[i] - '0');
    }
    if (duration.amount < 1 || duration.amount > maxAmount(duration.unit)) {
        throw Poco::InvalidArgumentException(
            key + " must be from 1 to " + std::to_string(maxAmount(duration.unit)) + " " +
            std::string(1, duration.unit) + "; \"" + text + "\" is not");
    }
    return duration;
}

Poco::Timestamp Duration::after(const Poco::Timestamp& from) const {
    if (unit == 'd' || unit == 'w') {
        const Poco::Timestamp::TimeDiff day = Poco::Timespan::DAYS;
        return from + day * amount * (unit == 'w' ? 7 : 1);
    }
    const Poco::DateTime start(from);
    const int months = unit == 'y' ? amount * 12 : amount;
    const int monthIndex = start.month() - 1 + months;
    const int year = start.year() + monthIndex / 12;
    const int month = monthIndex % 12 + 1;
    const int day = std::min(start.day(), Poco::DateTime::daysOfMonth(year, month));
    return Poco::DateTime(year, month, day, start.hour(), start.minute(), start.second(),
                          start.millisecond(), start.microsecond())
        .timestamp();
}

Poco::Timestamp Duration::before(const Poco::Timestamp& from) const {
    if (unit == 'd' || unit == 'w') {
        const Poco::Timestamp::TimeDiff day = Poco::Timespan::DAYS;
        return from - day * amount * (unit == 'w' ? 7 : 1);
    }
    const Poco::DateTime start(from);
    const int months = unit == 'y' ? amount * 12 : amount;
    const int monthIndex = start.year() * 12 + start.month() - 1 - months;
    const int year = monthIndex / 12;
    const int month = monthIndex % 12 + 1;
    const int day = std::min(start.day(), Poco::DateTime::daysOfMonth(year, month));
    return Poco::DateTime(year, month, day, start.hour(), start.minute(), start.second(),
                          start.millisecond(), start.microsecond())
        .timestamp();
}

}  // namespace tim
