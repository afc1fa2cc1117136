// What a store operation can fail with, in the store's words: the api maps each to one SCIM
// answer (api/StoreErrorAnswers.h), so the store never speaks HTTP or SCIM.
#pragma once

#include <stdexcept>
#include <string>

namespace port {

class StoreError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// The resource is not there, or not in SCIM's reach.
class NotFound : public StoreError {
  public:
    using StoreError::StoreError;
};

// The resource's version is not the one the write expected (If-Match).
class VersionMismatch : public StoreError {
  public:
    using StoreError::StoreError;
};

// The write collides with another resource or with other writes.
class Conflict : public StoreError {
  public:
    enum class Kind {
        Uniqueness,  // a unique name is held by `holder()` ("" when it must not be named)
        Contention,  // other requests kept changing the resource; the same write may pass later
    };
    Conflict(Kind kind, const std::string& message, std::string holder = "")
        : StoreError(message), _kind(kind), _holder(std::move(holder)) {}

    Kind kind() const { return _kind; }
    const std::string& holder() const { return _holder; }

  private:
    Kind _kind;
    std::string _holder;
};

// The uniqueness conflicts of a name, raised by the store (its unique index) and by the rules
// (a create that may not bind): one wording. `holderId` is "" for an account out of SCIM's
// reach, which is never named.
inline Conflict userNameTaken(const std::string& userName, const std::string& holderId) {
    return Conflict(Conflict::Kind::Uniqueness,
                    "userName \"" + userName + "\" is already in use" +
                        (holderId.empty() ? "" : " by user " + holderId),
                    holderId);
}
inline Conflict displayNameTaken(const std::string& displayName, const std::string& holderId) {
    return Conflict(Conflict::Kind::Uniqueness,
                    "A group named \"" + displayName + "\" already exists" +
                        (holderId.empty() ? "" : " (id " + holderId + ")"),
                    holderId);
}

// A create refused because its userName belongs to a protected TIM account (an administrator
// or a system identity SCIM does not manage); only the refusal was written, to the audit. Its
// message names the userName, never the account.
class ProtectedAccount : public Conflict {
  public:
    explicit ProtectedAccount(const std::string& userName)
        : Conflict(Kind::Uniqueness, "userName \"" + userName +
                                         "\" belongs to a protected TIM account that SCIM does "
                                         "not manage") {}
};

// TIM's rules do not let SCIM make this write (a password on an account SCIM did not create);
// nothing was written, the refusal was audited.
class Forbidden : public StoreError {
  public:
    using StoreError::StoreError;
};

// The resource is larger than the store keeps.
class TooLarge : public StoreError {
  public:
    using StoreError::StoreError;
};

// A query the store cannot answer as asked: a filter value of the wrong kind, an unknown sort
// attribute.
class InvalidQuery : public StoreError {
  public:
    enum class Kind { Filter, Value };
    InvalidQuery(Kind kind, const std::string& message) : StoreError(message), _kind(kind) {}

    Kind kind() const { return _kind; }

  private:
    Kind _kind;
};

// The database cannot answer now; the same request may succeed after `retryAfterSeconds()`.
class Unavailable : public StoreError {
  public:
    enum class Cause {
        Busy,  // no session free, a lock held too long, a write that lost every attempt
        Down,  // the connection is lost or refused (the server is down or restarting)
    };
    Unavailable(Cause cause, const std::string& message, int retryAfterSeconds = 5)
        : StoreError(message), _cause(cause), _retryAfterSeconds(retryAfterSeconds) {}

    Cause cause() const { return _cause; }
    int retryAfterSeconds() const { return _retryAfterSeconds; }

  private:
    Cause _cause;
    int _retryAfterSeconds;
};

}  // namespace port
