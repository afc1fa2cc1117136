// attributes / excludedAttributes (RFC 7644 §3.4.2.5, §3.9): which attributes a response
// carries. id and schemas are always returned.
#pragma once

#include "ResourceSchema.h"
#include "filter/Filter.h"

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace scim {

class Projection {
  public:
    Projection() = default;

    // From the two query parameters: comma-separated attribute paths, URN-qualified allowed,
    // and value-filtered paths of multi-valued attributes (emails[type eq "work"],
    // emails[type eq "work"].value) that keep or drop only the matching elements. Throws
    // ScimError 400 invalidValue for a malformed path or a filter `schema` cannot evaluate, so
    // that apply() never fails.
    static Projection parse(const std::string& attributes, const std::string& excludedAttributes,
                            const ResourceSchema& schema);

    bool empty() const { return _attributes.empty() && _excluded.empty(); }

    // Whether the response will carry `attribute` (a core attribute name) at all: lets the
    // store skip work, such as reading members a client excluded.
    bool includes(const std::string& attribute) const;

    Poco::JSON::Object::Ptr apply(const Poco::JSON::Object::Ptr& resource,
                                  const ResourceSchema& schema) const;

    // One listed path; `valueFilter` picks elements of a multi-valued attribute (nullptr: all).
    struct Selector {
        filter::AttrPath path;
        filter::NodePtr valueFilter;
    };

  private:
    std::vector<Selector> _attributes;
    std::vector<Selector> _excluded;
};

}  // namespace scim
