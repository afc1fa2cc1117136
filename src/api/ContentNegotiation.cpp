#include "ContentNegotiation.h"

#include "scim/ScimError.h"

#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>

namespace api {
namespace {

constexpr int kTrim = Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY;

// How well `range` ("type/subtype", "type/*", "*/*") names `mediaType`: 3 exactly, 2 by its
// type, 1 as anything, 0 not at all.
int specificity(const std::string& range, const std::string& mediaType) {
    if (Poco::icompare(range, mediaType) == 0) {
        return 3;
    }
    const auto slash = mediaType.find('/');
    if (Poco::icompare(range, mediaType.substr(0, slash) + "/*") == 0) {
        return 2;
    }
    return range == "*/*" ? 1 : 0;
}

// The weight the Accept header gives `mediaType`: the q of its most specific range, 0 when no
// range names it.
double weightOf(const std::string& accept, const std::string& mediaType) {
    int best = 0;
    double weight = 0;
    for (const auto& entry : Poco::StringTokenizer(accept, ",", kTrim)) {
        const Poco::StringTokenizer parts(entry, ";", kTrim);
        if (parts.count() == 0) {
            continue;
        }
        const int match = specificity(parts[0], mediaType);
        if (match <= best) {
            continue;
        }
        double q = 1;
        for (std::size_t i = 1; i < parts.count(); ++i) {
            const auto equals = parts[i].find('=');
            if (equals != std::string::npos &&
                Poco::icompare(Poco::trim(parts[i].substr(0, equals)), "q") == 0 &&
                !Poco::NumberParser::tryParseFloat(Poco::trim(parts[i].substr(equals + 1)), q)) {
                q = 0;  // a weight that is no number accepts nothing
            }
        }
        best = match;
        weight = q;
    }
    return weight;
}

}  // namespace

std::optional<std::string> responseMediaType(const std::optional<std::string>& accept) {
    if (!accept || Poco::trim(*accept).empty()) {
        return std::string(scim::kMediaType);
    }
    const double scimJson = weightOf(*accept, scim::kMediaType);
    const double plainJson = weightOf(*accept, kPlainJson);
    if (scimJson <= 0 && plainJson <= 0) {
        return std::nullopt;
    }
    return plainJson > scimJson ? std::string(kPlainJson) : std::string(scim::kMediaType);
}

}  // namespace api
