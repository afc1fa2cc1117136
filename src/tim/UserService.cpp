#include "UserService.h"

#include "port/Ids.h"
#include "port/StoreErrors.h"
#include "port/UserColumns.h"
#include "scim/CaseFold.h"
#include "scim/DocumentChanges.h"
#include "scim/UserSchemas.h"

#include <Poco/Exception.h>

#include <algorithm>
#include <set>

namespace tim {
namespace {

using Kind = port::BindDecision::Kind;

// Throws TooLarge before anything is read or hashed.
port::UserRow rowOf(const Poco::JSON::Object::Ptr& doc) {
    return port::UserRow{port::userColumnsOf(doc), doc, port::documentText(doc)};
}

std::optional<std::string> optionalOf(const Poco::Nullable<std::string>& value) {
    return value.isNull() ? std::nullopt : std::optional<std::string>(value.value());
}

Poco::Nullable<std::string> nullableOf(const std::optional<std::string>& value) {
    return value ? Poco::Nullable<std::string>(*value) : Poco::Nullable<std::string>();
}

// How the audit names an update: disable and enable (Entra's soft delete and its undo) by
// themselves, anything else as the write it was.
const char* userWrite(const char* write, const port::UserColumns& before,
                      const port::UserColumns& after) {
    if (before.active != after.active) {
        return after.active ? "enable" : "disable";
    }
    return write;
}

// A write to an unmanaged account binds it (the audit names it a bind).
const char* writeName(const char* write, bool managedBefore) {
    return managedBefore ? write : "bind";
}

AccountEvent writeEvent(bool managedBefore) {
    return managedBefore ? AccountEvent::Updated : AccountEvent::Bound;
}

// The names an audit row lists: a password is named when set, never shown.
std::vector<std::string> withPassword(std::vector<std::string> names, bool passwordSet) {
    if (passwordSet) {
        names.push_back("password");
    }
    return names;
}

const char* matchName(port::MatchedBy via) {
    return via == port::MatchedBy::UserName ? "by-username" : "by-email";
}

const char* createName(port::CreateOutcome outcome) {
    switch (outcome) {
        case port::CreateOutcome::Bound:
            return "bind";
        case port::CreateOutcome::Revived:
            return "revive";
        case port::CreateOutcome::Created:
            break;
    }
    return "create";
}

void checkVersion(Poco::Int64 version, std::optional<Poco::Int64> expectedVersion) {
    if (expectedVersion && *expectedVersion != version) {
        throw port::VersionMismatch("The user changed since version " +
                                    std::to_string(*expectedVersion) + "; read it again");
    }
}

// The user in SCIM's reach, locked for a write; throws NotFound or VersionMismatch.
port::LockedUser lockedUser(port::AccountTransaction& tx, const std::string& id,
                            std::optional<Poco::Int64> expectedVersion) {
    const auto locked = tx.lockUser(id);
    if (!locked) {
        throw port::NotFound("No user " + id);
    }
    checkVersion(locked->version, expectedVersion);
    return *locked;
}

const port::AccountCandidate& candidateOf(const std::vector<port::AccountCandidate>& candidates,
                                          const std::string& id) {
    const auto found = std::find_if(candidates.begin(), candidates.end(),
                                    [&](const port::AccountCandidate& c) { return c.id == id; });
    if (found == candidates.end()) {
        throw port::RunAgain("user " + id + " is no longer among the candidates");
    }
    return *found;
}

// A check before the cost keeps nothing but the refusal it recorded.
void keepOnlyRefusal(port::AccountTransaction& tx, const std::exception_ptr& refusal) {
    if (!refusal) {
        tx.discard();
    }
}

// The refusal of a password for the reason `why` (None: no refusal), audited in `tx`.
std::exception_ptr passwordRefused(port::AccountTransaction& tx, const std::string& id,
                                   const Poco::Nullable<std::string>& externalId,
                                   PasswordRefusal why) {
    if (why == PasswordRefusal::None) {
        return nullptr;
    }
    const bool isProtected = why == PasswordRefusal::ProtectedRole;
    tx.recordAudit({"refuse",
                    "User",
                    id,
                    externalId,
                    {"password"},
                    isProtected ? "protected-role" : "tim-created"});
    return std::make_exception_ptr(port::Forbidden(
        isProtected ? "The user holds a protected TIM role: its password is set in TIM only. "
                      "Send the request without a password."
                    : "SCIM sets a password only on a user SCIM created; this one was created "
                      "in TIM, so its password is set in TIM. Send the request without a "
                      "password."));
}

}  // namespace

void UserService::runRefusable(
    const std::function<void(port::AccountTransaction&, std::exception_ptr&)>& work) {
    std::exception_ptr refusal;
    _transactions.run([&](port::AccountTransaction& tx) {
        refusal = nullptr;
        work(tx, refusal);
    });
    if (refusal) {
        std::rethrow_exception(refusal);
    }
}

std::exception_ptr UserService::refusePassword(
    port::AccountTransaction& tx, const std::string& id,
    const Poco::Nullable<std::string>& externalId) const {
    return passwordRefused(tx, id, externalId, _rules.passwordRefusal(tx.credentialStanding(id)));
}

port::BindDecision UserService::decideCreate(port::AccountTransaction& tx, const port::UserRow& row,
                                             bool setsPassword,
                                             std::vector<port::AccountCandidate>& candidates,
                                             std::exception_ptr& refusal) const {
    const port::UserColumns& c = row.columns;
    candidates = tx.userCandidates(c);
    const port::BindDecision decision = _rules.bind(candidates, optionalOf(c.externalId));
    if (decision.kind == Kind::Refuse) {
        switch (decision.refusal) {
            case port::BindDecision::Refusal::Reserved:
                throw port::Conflict(port::Conflict::Kind::Uniqueness,
                                     "userName \"" + c.userName + "\" is reserved");
            case port::BindDecision::Refusal::NameTaken:
                throw port::userNameTaken(c.userName, decision.id);
            case port::BindDecision::Refusal::Protected:
                // Recorded: someone with a provisioning token reached for an administrator.
                tx.recordAudit({"refuse", "User", decision.id, c.externalId, {}, "protected"});
                refusal = std::make_exception_ptr(port::ProtectedAccount(c.userName));
                return decision;
        }
    }
    if (setsPassword && (decision.kind == Kind::Bind || decision.kind == Kind::Revive)) {
        refusal = refusePassword(tx, decision.id, c.externalId);
    }
    return decision;
}

port::CreateResult UserService::createOrBind(const Poco::JSON::Object::Ptr& doc,
                                             const std::optional<std::string>& password) {
    const port::UserRow row = rowOf(doc);
    const port::UserColumns& c = row.columns;
    std::optional<std::string> clientHash;
    if (password) {
        // Every check before the cost: a create that is refused, in conflict, or may not set
        // this password hashes nothing.
        runRefusable([&](port::AccountTransaction& tx, std::exception_ptr& refusal) {
            std::vector<port::AccountCandidate> candidates;
            decideCreate(tx, row, true, candidates, refusal);
            keepOnlyRefusal(tx, refusal);
        });
        clientHash = _rules.hashPassword(*password);
    }
    port::CreateResult result;
    runRefusable([&](port::AccountTransaction& tx, std::exception_ptr& refusal) {
        result = port::CreateResult{};
        std::vector<port::AccountCandidate> candidates;
        const port::BindDecision decision =
            decideCreate(tx, row, clientHash.has_value(), candidates, refusal);
        if (refusal) {
            return;
        }
        std::string id = decision.id;
        if (decision.kind == Kind::Recycle) {
            // The id of a deleted user is never given to another: the one holding the userName
            // goes for good, as the purge would have taken it. Locked first: a revive that won
            // meanwhile makes this create start again.
            const port::AccountCandidate& erased = candidateOf(candidates, id);
            tx.lockCandidate(erased);
            tx.eraseUser(id, nullableOf(erased.externalId), "username-reused");
            result.erasedId = id;
        }
        Poco::Int64 createdMs = 0;
        if (decision.kind == Kind::Create || decision.kind == Kind::Recycle) {
            id = port::newId();
            const port::PasswordChange change = _rules.password(AccountEvent::Created, clientHash);
            createdMs = tx.insertUser(id, row, change, true);
            result.outcome = port::CreateOutcome::Created;
            result.passwordSet = !change.hash.isNull();
            result.restored =
                _rules.restore(tx, {port::AccountKind::User, id, c.externalId, c.userNameKey});
        } else {
            const port::AccountCandidate& account = candidateOf(candidates, id);
            tx.lockCandidate(account);
            port::UserWrite write;
            write.version = account.version;
            write.revive = decision.kind == Kind::Revive;
            // A user SCIM itself deleted comes back as any write to it would.
            write.password = _rules.password(
                write.revive ? AccountEvent::Updated : AccountEvent::Bound, clientHash);
            if (!tx.updateUser(id, row, write)) {
                throw port::RunAgain("user " + id + " changed while a create bound to it");
            }
            result.outcome =
                write.revive ? port::CreateOutcome::Revived : port::CreateOutcome::Bound;
            result.via = decision.via;
            result.passwordSet = !write.password.keep;
        }
        const bool bound = result.outcome == port::CreateOutcome::Bound;
        tx.recordAudit(
            {createName(result.outcome), "User", id, c.externalId,
             withPassword(scim::attributesOf(doc), result.passwordSet),
             bound ? matchName(result.via) : (result.restored.empty() ? "applied" : "restored")});
        if (result.outcome == port::CreateOutcome::Created && result.restored.empty()) {
            // As inserted: no read back.
            result.record = port::UserRecord{
                id, doc, 1, createdMs, createdMs, {}, true, {true, false}, std::nullopt};
            tx.readManager(result.record);
        } else {
            result.record = tx.readUser(id);
        }
    });
    return result;
}

std::string UserService::createLocal(const std::string& userName, const std::string& email,
                                     const std::vector<std::string>& roles) {
    Poco::JSON::Object::Ptr doc = new Poco::JSON::Object;
    doc->set("userName", userName);
    if (!email.empty()) {
        Poco::JSON::Object::Ptr tim = new Poco::JSON::Object;
        tim->set("email", email);
        doc->set(scim::kTimUserEmailSchema, tim);
    }
    const port::UserRow row = rowOf(doc);
    const port::PasswordChange password = _rules.password(AccountEvent::Created, std::nullopt);
    const std::string id = port::newId();
    _transactions.run([&](port::AccountTransaction& tx) {
        tx.insertUser(id, row, password, false);
        std::set<std::string> granted;  // folded: "Admin" and "admin" are one role
        for (const auto& role : roles) {
            const std::string key = scim::foldCase(role);
            if (!tx.catalogueStanding(key)) {
                throw Poco::InvalidArgumentException("TIM knows no role \"" + role + "\"");
            }
            if (granted.insert(key).second) {
                tx.grantTimRole(id, key);
            }
        }
        tx.recordAudit({"tim-create", "User", id, Poco::Nullable<std::string>(), {}});
    });
    return id;
}

port::UserRecord UserService::replace(const std::string& id, const Poco::JSON::Object::Ptr& doc,
                                      const std::optional<std::string>& password,
                                      std::optional<Poco::Int64> expectedVersion) {
    const port::UserRow row = rowOf(doc);
    const Poco::Nullable<std::string>& externalId = row.columns.externalId;
    std::optional<std::string> clientHash;
    if (password) {
        // Checks before the cost; they only read.
        runRefusable([&](port::AccountTransaction& tx, std::exception_ptr& refusal) {
            lockedUser(tx, id, expectedVersion);
            refusal = refusePassword(tx, id, externalId);
            if (!refusal) {
                tx.refuseTakenUserName(row.columns, id);
            }
            keepOnlyRefusal(tx, refusal);
        });
        clientHash = _rules.hashPassword(*password);
    }
    port::UserRecord written;
    runRefusable([&](port::AccountTransaction& tx, std::exception_ptr& refusal) {
        const port::LockedUser locked = lockedUser(tx, id, expectedVersion);
        if (clientHash && (refusal = refusePassword(tx, id, externalId))) {
            return;  // no longer so
        }
        const port::UserRecord before = tx.readUser(id);
        port::UserWrite write;
        write.version = locked.version;
        write.password = _rules.password(writeEvent(locked.managed), clientHash);
        if (!tx.updateUser(id, row, write)) {
            throw port::RunAgain("user " + id);
        }
        tx.recordAudit(
            {writeName(userWrite("replace", port::userColumnsOf(before.doc), row.columns),
                       locked.managed),
             "User", id, externalId,
             withPassword(scim::changedAttributes(before.doc, doc), !write.password.keep)});
        written = tx.readUser(id);
    });
    return written;
}

port::UserRecord UserService::patch(const std::string& id, const port::ChangeUser& change,
                                    std::optional<Poco::Int64> expectedVersion) {
    // Optimistic: compute the new document (and hash a password) without holding a lock, then
    // write it only if the version is still the one it was computed from.
    constexpr int kAttempts = 5;
    // (clear, hash) of the password, made once: another attempt reuses it, so writes racing
    // this one cannot make it hash again.
    std::optional<std::pair<std::string, std::string>> hashed;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        const auto current = _reads.find(id);
        if (!current) {
            throw port::NotFound("No user " + id);
        }
        checkVersion(current->version, expectedVersion);
        const scim::NormalisedResource changed = change(*current);
        if (scim::sameDocument(current->doc, changed.doc) && !changed.password) {
            return *current;  // nothing changed: version and lastModified stay
        }
        const port::UserRow row = rowOf(changed.doc);
        const Poco::Nullable<std::string>& externalId = row.columns.externalId;
        std::optional<std::string> clientHash;
        if (changed.password) {
            const auto why = _rules.passwordRefusal(current->credential);
            runRefusable([&](port::AccountTransaction& tx, std::exception_ptr& refusal) {
                refusal = passwordRefused(tx, id, externalId, why);
                if (!refusal) {
                    tx.refuseTakenUserName(row.columns, id);
                }
                keepOnlyRefusal(tx, refusal);
            });
            if (!hashed || hashed->first != *changed.password) {
                hashed.emplace(*changed.password, _rules.hashPassword(*changed.password));
            }
            clientHash = hashed->second;
        }
        port::UserWrite write;
        write.version = current->version;
        write.password = _rules.password(writeEvent(current->managed), clientHash);
        std::optional<port::UserRecord> written;
        runRefusable([&](port::AccountTransaction& tx, std::exception_ptr& refusal) {
            written.reset();
            if (clientHash && (refusal = refusePassword(tx, id, externalId))) {
                return;  // no longer so
            }
            if (!tx.updateUser(id, row, write)) {
                tx.discard();
                return;  // changed or deleted meanwhile: start again
            }
            tx.recordAudit(
                {writeName(userWrite("patch", port::userColumnsOf(current->doc), row.columns),
                           current->managed),
                 "User", id, externalId,
                 withPassword(scim::changedAttributes(current->doc, changed.doc),
                              !write.password.keep)});
            // Read back in the transaction: a DELETE right after the commit must not leave this
            // request without the record it wrote.
            written = tx.readUser(id);
        });
        if (written) {
            return std::move(*written);
        }
    }
    throw port::Conflict(port::Conflict::Kind::Contention,
                         "The user is being changed by other requests; retry");
}

bool UserService::remove(const std::string& id, std::optional<Poco::Int64> expectedVersion) {
    bool removed = false;
    _transactions.run([&](port::AccountTransaction& tx) {
        removed = false;
        const auto locked = tx.lockUser(id);
        if (!locked) {
            tx.discard();
            return;
        }
        checkVersion(locked->version, expectedVersion);
        tx.recordAudit({"delete", "User", id, tx.markUserDeleted(id), {}});
        removed = true;
    });
    return removed;
}

std::optional<port::UserRecord> UserService::find(const std::string& id) {
    return _reads.find(id);
}

port::UserPage UserService::query(const port::UserQuery& query, const port::RenderUser& render) {
    return _reads.query(query, render);
}

std::map<std::string, std::string> UserService::displayNamesOf(
    const std::vector<std::string>& ids) {
    return _reads.displayNamesOf(ids);
}

}  // namespace tim
