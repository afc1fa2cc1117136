#include "Documents.h"

#include "StoreErrors.h"

#include "scim/Json.h"

namespace port {

std::string documentText(const Poco::JSON::Object::Ptr& doc, std::size_t maxBytes) {
    std::string text = scim::json::compactText(doc);
    if (text.size() > maxBytes) {
        throw TooLarge("The resource has more than " + std::to_string(maxBytes) +
                       " bytes of attributes");
    }
    return text;
}

}  // namespace port
