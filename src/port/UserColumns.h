// The columns of tim_user that a user's document determines: what uniqueness, binding and the
// indexed filters read. One function derives them, so every write path agrees.
#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/Nullable.h>

#include <string>

namespace port {

struct UserColumns {
    std::string userName;
    std::string userNameKey;  // scim::foldCase(userName)
    Poco::Nullable<std::string> externalId;
    bool active = true;                    // absent means active
    Poco::Nullable<std::string> emailKey;  // tim:1.0 email, folded
    // emails[type eq "work"].value, folded: the primary work email, else the first one
    Poco::Nullable<std::string> workEmailKey;
    bool severalWorkEmails = false;  // more than workEmailKey: filters must read the document
    // TIM's email, folded: the tim:1.0 email, else the work email above, else the primary
    // email of any type. What a create is bound by.
    Poco::Nullable<std::string> timEmailKey;
    Poco::Nullable<std::string> managerId;  // enterprise manager.value
};

// From a normalised user document (scim::normaliseResource).
UserColumns userColumnsOf(const Poco::JSON::Object::Ptr& doc);

}  // namespace port
