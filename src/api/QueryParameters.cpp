#include "QueryParameters.h"

#include "scim/ScimError.h"

#include <Poco/String.h>
#include <Poco/URI.h>

namespace api {

QueryParameters::QueryParameters(const std::string& rawQuery) {
    try {
        Poco::URI uri;
        uri.setRawQuery(rawQuery);
        _parameters = uri.getQueryParameters();
    } catch (const Poco::SyntaxException&) {
        throw scim::badRequest("invalidValue", "The query string is not properly encoded");
    }
}

std::optional<std::string> QueryParameters::get(const std::string& name) const {
    for (const auto& p : _parameters) {
        if (Poco::icompare(p.first, name) == 0) {
            return p.second;
        }
    }
    return std::nullopt;
}

std::string QueryParameters::getOr(const std::string& name, const std::string& fallback) const {
    return get(name).value_or(fallback);
}

}  // namespace api
