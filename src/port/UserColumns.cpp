#include "UserColumns.h"

#include "scim/CaseFold.h"
#include "scim/UserSchemas.h"
#include "scim/Values.h"

#include <Poco/JSON/Array.h>
#include <Poco/String.h>

namespace port {
namespace {

using Poco::JSON::Object;

Poco::Nullable<std::string> stringMember(const Object::Ptr& object, const std::string& name) {
    if (object && object->has(name) && object->get(name).isString() &&
        !object->getValue<std::string>(name).empty()) {
        return object->getValue<std::string>(name);
    }
    return Poco::Nullable<std::string>();
}

Poco::Nullable<std::string> folded(const Poco::Nullable<std::string>& value) {
    return value.isNull() ? value : Poco::Nullable<std::string>(scim::foldCase(value.value()));
}

Object::Ptr objectMember(const Object::Ptr& object, const std::string& name) {
    return object->has(name) && object->get(name).type() == typeid(Object::Ptr)
               ? object->getObject(name)
               : Object::Ptr();
}

bool isPrimary(const Object::Ptr& email) {
    return email->has("primary") && email->get("primary").isBoolean() &&
           email->getValue<bool>("primary");
}

bool isWork(const Object::Ptr& email) {
    return email->has("type") && email->get("type").isString() &&
           Poco::icompare(email->getValue<std::string>("type"), "work") == 0;
}

Poco::JSON::Array::Ptr emailsOf(const Object::Ptr& doc) {
    return doc->has("emails") && doc->get("emails").type() == typeid(Poco::JSON::Array::Ptr)
               ? doc->getArray("emails")
               : Poco::JSON::Array::Ptr();
}

template <typename Wanted>
std::size_t countWhere(const Object::Ptr& doc, Wanted wanted) {
    const auto emails = emailsOf(doc);
    std::size_t count = 0;
    for (std::size_t i = 0; emails && i < emails->size(); ++i) {
        const auto email = emails->getObject(static_cast<unsigned>(i));
        count += email && wanted(email) ? 1 : 0;
    }
    return count;
}

// The value of the first email `wanted` accepts, preferring a primary one.
template <typename Wanted>
Poco::Nullable<std::string> emailWhere(const Object::Ptr& doc, Wanted wanted) {
    const auto emails = emailsOf(doc);
    Poco::Nullable<std::string> first;
    for (std::size_t i = 0; emails && i < emails->size(); ++i) {
        const auto email = emails->getObject(static_cast<unsigned>(i));
        if (!email || !wanted(email)) {
            continue;
        }
        const auto value = stringMember(email, "value");
        if (!value.isNull() && isPrimary(email)) {
            return value;
        }
        if (first.isNull()) {
            first = value;
        }
    }
    return first;
}

}  // namespace

UserColumns userColumnsOf(const Object::Ptr& doc) {
    UserColumns columns;
    columns.userName = doc->getValue<std::string>("userName");
    columns.userNameKey = scim::foldCase(columns.userName);
    columns.externalId = stringMember(doc, "externalId");
    if (doc->has("active")) {
        columns.active = scim::coerceBoolean(doc->get("active")).value_or(true);
    }
    columns.emailKey = folded(stringMember(objectMember(doc, scim::kTimUserEmailSchema), "email"));
    columns.workEmailKey = folded(emailWhere(doc, isWork));
    columns.severalWorkEmails = countWhere(doc, isWork) > 1;
    columns.timEmailKey = !columns.emailKey.isNull()       ? columns.emailKey
                          : !columns.workEmailKey.isNull() ? columns.workEmailKey
                                                           : folded(emailWhere(doc, isPrimary));
    if (const auto manager = scim::managerIdOf(doc)) {
        columns.managerId = *manager;
    }
    return columns;
}

}  // namespace port
