// The columns of tim_user that a user's document determines: what uniqueness, binding and the
// indexed filters read. One function derives them, so every write path agrees.
#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/Nullable.h>

#include <string>

namespace store {

struct UserColumns {
    std::string userName;
    std::string userNameKey;  // scim::foldCase(userName)
    Poco::Nullable<std::string> externalId;
    bool active = true;                        // absent means active
    Poco::Nullable<std::string> emailKey;      // tim:1.0 email, folded
    Poco::Nullable<std::string> workEmailKey;  // emails[type eq "work"].value, folded
    Poco::Nullable<std::string> managerId;     // enterprise manager.value
};

// From a normalised user document (scim::normaliseResource).
UserColumns userColumnsOf(const Poco::JSON::Object::Ptr& doc);

}  // namespace store
