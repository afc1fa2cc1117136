#include "SqlTokenStore.h"

#include "StoreFailures.h"

#include <Poco/Exception.h>
#include <Poco/Nullable.h>

namespace store {

using namespace Poco::Data::Keywords;

namespace {

constexpr const char* kSigningKeyName = "token-signing-key";

Poco::Int64 toMillis(const Poco::Timestamp& t) {
    return t.epochMicroseconds() / 1000;
}

Poco::Timestamp fromMillis(Poco::Int64 ms) {
    return Poco::Timestamp(ms * 1000);
}

}  // namespace

void SqlTokenStore::record(const port::IssuedToken& token) try {
    Poco::Data::Session session = _database.session();
    std::string jti = token.jti;
    std::string subject = token.subject;
    Poco::Int64 issued = toMillis(token.issuedAt);
    Poco::Int64 expires = toMillis(token.expiresAt);
    session << "INSERT INTO scim_token (jti, subject, issued_ms, expires_ms) VALUES (?, ?, ?, ?)",
        use(jti), use(subject), use(issued), use(expires), now;
} catch (...) {
    rethrowAsStoreError();
}

std::optional<port::TokenStanding> SqlTokenStore::standing(const std::string& jti) try {
    Poco::Data::Session session = _database.session();
    std::string id = jti;
    std::string kind = "system";
    std::vector<Poco::Int64> expires;
    std::vector<Poco::Nullable<Poco::Int64>> revoked;
    std::vector<Poco::Nullable<Poco::Int64>> active;
    // The subject counts only as an active system identity.
    session << "SELECT t.expires_ms, t.revoked_ms, u.active FROM scim_token t "
               "LEFT JOIN tim_user u ON u.user_name = t.subject AND u.kind = ? "
               "WHERE t.jti = ?",
        use(kind), use(id), into(expires), into(revoked), into(active), now;
    if (expires.empty()) {
        return std::nullopt;
    }
    port::TokenStanding standing;
    standing.expiresAt = fromMillis(expires.front());
    standing.revoked = !revoked.front().isNull();
    standing.subjectActive = !active.front().isNull() && active.front().value() != 0;
    return standing;
} catch (...) {
    rethrowAsStoreError();
}

std::vector<port::IssuedToken> SqlTokenStore::list() try {
    Poco::Data::Session session = _database.session();
    std::vector<std::string> jtis;
    std::vector<std::string> subjects;
    std::vector<Poco::Int64> issued;
    std::vector<Poco::Int64> expires;
    std::vector<Poco::Nullable<Poco::Int64>> revoked;
    session << "SELECT jti, subject, issued_ms, expires_ms, revoked_ms FROM scim_token "
               "ORDER BY issued_ms, jti",
        into(jtis), into(subjects), into(issued), into(expires), into(revoked), now;
    std::vector<port::IssuedToken> tokens;
    for (std::size_t i = 0; i < jtis.size(); ++i) {
        port::IssuedToken token{jtis[i], subjects[i], fromMillis(issued[i]), fromMillis(expires[i]),
                                std::nullopt};
        if (!revoked[i].isNull()) {
            token.revokedAt = fromMillis(revoked[i].value());
        }
        tokens.push_back(std::move(token));
    }
    return tokens;
} catch (...) {
    rethrowAsStoreError();
}

bool SqlTokenStore::revoke(const std::string& jti, const Poco::Timestamp& at) try {
    Poco::Data::Session session = _database.session();
    std::string id = jti;
    Poco::Int64 when = toMillis(at);
    Poco::Int64 known = 0;
    session << "UPDATE scim_token SET revoked_ms = ? WHERE jti = ? AND revoked_ms IS NULL",
        use(when), use(id), now;
    session << "SELECT COUNT(*) FROM scim_token WHERE jti = ?", use(id), into(known), now;
    return known > 0;
} catch (...) {
    rethrowAsStoreError();
}

std::string SqlTokenStore::signingKey(const std::string& generated) try {
    Poco::Data::Session session = _database.session();
    std::string name = kSigningKeyName;
    std::string secret = generated;
    Poco::Int64 created = toMillis(Poco::Timestamp());
    // Whoever stores first wins; everyone then reads that one.
    session << _database.dialect().insertSkippingExisting(
        "INSERT INTO scim_secret (name, secret, created_ms) VALUES (?, ?, ?)", "name"),
        use(name), use(secret), use(created), now;
    std::vector<std::string> stored;
    session << "SELECT secret FROM scim_secret WHERE name = ?", use(name), into(stored), now;
    if (stored.empty()) {
        throw Poco::DataException("the token signing key could not be stored");
    }
    return stored.front();
} catch (...) {
    rethrowAsStoreError();
}

}  // namespace store
