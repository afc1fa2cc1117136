#include "KeyCheck.h"

#include <Poco/String.h>

#include <algorithm>
#include <vector>

namespace timhost {
namespace {

const char* const kNamespaces[] = {"scim.", "http.", "plugin.", "log.", "data."};
// Keys of TIM's own settings that the plugin reads: misspelt, they look like nobody's.
const char* const kSeedKeys[] = {"jwtAccessTokenExpirationTimeScim", "initpass-x-others"};

// Levenshtein distance, ignoring case.
std::size_t distance(const std::string& a, const std::string& b) {
    const std::string x = Poco::toLower(a);
    const std::string y = Poco::toLower(b);
    std::vector<std::size_t> row(y.size() + 1);
    for (std::size_t j = 0; j <= y.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= x.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= y.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (x[i - 1] != y[j - 1])});
            diagonal = above;
        }
    }
    return row[y.size()];
}

bool inOurNamespaces(const std::string& key) {
    for (const char* prefix : kNamespaces) {
        if (key.compare(0, std::char_traits<char>::length(prefix), prefix) == 0) {
            return true;
        }
    }
    for (const char* seed : kSeedKeys) {
        if (distance(key, seed) <= 2) {
            return true;
        }
    }
    return false;
}

std::string closestOf(const std::string& key, const std::set<std::string>& known) {
    std::string closest;
    std::size_t best = std::string::npos;
    for (const auto& candidate : known) {
        const std::size_t d = distance(key, candidate);
        if (d < best) {
            best = d;
            closest = candidate;
        }
    }
    return closest;
}

}  // namespace

std::vector<UnknownKey> unknownKeys(const std::vector<std::string>& fileKeys,
                                    const std::set<std::string>& known) {
    std::vector<UnknownKey> unknown;
    for (const auto& key : fileKeys) {
        if (known.count(key) == 0 && inOurNamespaces(key)) {
            unknown.push_back({key, closestOf(key, known)});
        }
    }
    return unknown;
}

std::string describe(const UnknownKey& unknown) {
    return "tim.properties: nothing reads the key " + unknown.key +
           (unknown.closest.empty() ? std::string() : " (did you mean " + unknown.closest + "?)") +
           "; it has no effect";
}

}  // namespace timhost
