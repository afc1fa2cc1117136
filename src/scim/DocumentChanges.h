// What a write changed in a resource, as the audit names it: attribute names, never values.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace scim {

// The attributes whose values differ between two documents: top-level names, and
// "urn:...:User:manager" for attributes of an extension. Either side may be null.
std::vector<std::string> changedAttributes(const Poco::JSON::Object::Ptr& before,
                                           const Poco::JSON::Object::Ptr& after);

// The attributes a document has, as changedAttributes names them.
std::vector<std::string> attributesOf(const Poco::JSON::Object::Ptr& doc);

// Whether two documents are the same, byte for byte as stored (an empty extension object
// counts, which changedAttributes does not name).
bool sameDocument(const Poco::JSON::Object::Ptr& a, const Poco::JSON::Object::Ptr& b);

}  // namespace scim
