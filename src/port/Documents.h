// A resource's document as the store keeps it: compact JSON in a TEXT column. One size limit
// for every resource, checked before any transaction or password hash.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstddef>
#include <string>

namespace port {

inline constexpr std::size_t kMaxDocumentBytes = 60000;

// The document as compact JSON; throws TooLarge (413) beyond `maxBytes`.
std::string documentText(const Poco::JSON::Object::Ptr& doc,
                         std::size_t maxBytes = kMaxDocumentBytes);

}  // namespace port
