#include "SqlTokenStore.h"

#include "store/engine/StoreFailures.h"

#include "store/accounts/AuditTrail.h"
#include "store/engine/SqlSupport.h"
#include "store/engine/WriteTransaction.h"

#include "scim/DateTime.h"

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

// The audit's "who" of a token: the operator the command ran as.
std::string byOf(const std::string& who) {
    return "by=" + (who.empty() ? std::string("unknown") : who);
}

std::string labelOf(const std::string& label) {
    return label.empty() ? "-" : label;
}

}  // namespace

void SqlTokenStore::record(const port::IssuedToken& token) {
    return storeCall([&]() -> void {
        Poco::Data::Session session = _database.session();
        WriteTransaction tx(session, _database.dialect());
        runPrepared(
            session,
            "INSERT INTO scim_token (jti, subject, issued_ms, expires_ms, scope, label) VALUES (?, "
            "?, ?, ?, ?, ?)",
            {textParam(token.jti), textParam(token.subject), numberParam(toMillis(token.issuedAt)),
             numberParam(toMillis(token.expiresAt)), textParam(token.scope),
             textParam(token.label)});
        recordAudit(session,
                    {"token-issue",
                     "Token",
                     token.jti,
                     {},
                     {"scope=" + token.scope, "label=" + labelOf(token.label),
                      "expires=" + scim::formatDateTime(token.expiresAt), byOf(token.issuedBy)}});
        tx.commit();
    });
}

std::optional<port::TokenStanding> SqlTokenStore::standing(const std::string& jti) {
    return storeCall([&]() -> std::optional<port::TokenStanding> {
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
    });
}

std::vector<port::IssuedToken> SqlTokenStore::list() {
    return storeCall([&]() -> std::vector<port::IssuedToken> {
        Poco::Data::Session session = _database.session();
        std::vector<std::string> jtis;
        std::vector<std::string> subjects;
        std::vector<Poco::Int64> issued;
        std::vector<Poco::Int64> expires;
        std::vector<Poco::Nullable<Poco::Int64>> revoked;
        std::vector<std::string> scopes;
        std::vector<std::string> labels;
        std::vector<Poco::Nullable<Poco::Int64>> used;
        session << "SELECT jti, subject, issued_ms, expires_ms, revoked_ms, scope, label, "
                   "last_used_ms FROM scim_token ORDER BY issued_ms, jti",
            into(jtis), into(subjects), into(issued), into(expires), into(revoked), into(scopes),
            into(labels), into(used), now;
        std::vector<port::IssuedToken> tokens;
        for (std::size_t i = 0; i < jtis.size(); ++i) {
            port::IssuedToken token;
            token.jti = jtis[i];
            token.subject = subjects[i];
            token.issuedAt = fromMillis(issued[i]);
            token.expiresAt = fromMillis(expires[i]);
            token.scope = scopes[i];
            token.label = labels[i];
            if (!revoked[i].isNull()) {
                token.revokedAt = fromMillis(revoked[i].value());
            }
            if (!used[i].isNull()) {
                token.lastUsedAt = fromMillis(used[i].value());
            }
            tokens.push_back(std::move(token));
        }
        return tokens;
    });
}

void SqlTokenStore::recordUse(const std::string& jti, const Poco::Timestamp& minute) {
    return storeCall([&]() -> void {
        Poco::Data::Session session = _database.session();
        const Poco::Int64 at = toMillis(minute);
        // Later only: instances that note the same minute, or an older one, write nothing.
        executeOnce(
            session,
            "UPDATE scim_token SET last_used_ms = ? WHERE jti = ? AND (last_used_ms IS NULL "
            "OR last_used_ms < ?)",
            {numberParam(at), textParam(jti), numberParam(at)});
    });
}

bool SqlTokenStore::relabel(const std::string& jti, const std::string& label,
                            const std::string& by) {
    return storeCall([&]() -> bool {
        Poco::Data::Session session = _database.session();
        WriteTransaction tx(session, _database.dialect());
        const auto& known = runPrepared(session, "SELECT label FROM scim_token WHERE jti = ?",
                                        {textParam(jti)}, {ColumnType::Text});
        if (known.rows() == 0) {
            return false;
        }
        const std::string before = known.text(0).front();
        executeOnce(session, "UPDATE scim_token SET label = ? WHERE jti = ?",
                    {textParam(label), textParam(jti)});
        recordAudit(session, {"token-label",
                              "Token",
                              jti,
                              {},
                              {"label=" + labelOf(label), "was=" + labelOf(before), byOf(by)}});
        tx.commit();
        return true;
    });
}

bool SqlTokenStore::revoke(const std::string& jti, const Poco::Timestamp& at,
                           const std::string& by) {
    return storeCall([&]() -> bool {
        Poco::Data::Session session = _database.session();
        WriteTransaction tx(session, _database.dialect());
        const std::size_t revoked = executeOnce(
            session, "UPDATE scim_token SET revoked_ms = ? WHERE jti = ? AND revoked_ms IS NULL",
            {numberParam(toMillis(at)), textParam(jti)});
        const auto& known = runPrepared(session, "SELECT scope FROM scim_token WHERE jti = ?",
                                        {textParam(jti)}, {ColumnType::Text});
        if (known.rows() == 0) {
            return false;
        }
        if (revoked > 0) {
            recordAudit(
                session,
                {"token-revoke", "Token", jti, {}, {"scope=" + known.text(0).front(), byOf(by)}});
        }
        tx.commit();
        return true;
    });
}

std::string SqlTokenStore::signingKey(const std::string& generated) {
    return storeCall([&]() -> std::string {
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
    });
}

std::size_t SqlTokenStore::replaceSigningKey(const std::string& replacement,
                                             const Poco::Timestamp& at, const std::string& by) {
    return storeCall([&]() -> std::size_t {
        Poco::Data::Session session = _database.session();
        WriteTransaction tx(session, _database.dialect());
        executeOnce(session, "DELETE FROM scim_secret WHERE name = ?",
                    {textParam(kSigningKeyName)});
        executeOnce(
            session, "INSERT INTO scim_secret (name, secret, created_ms) VALUES (?, ?, ?)",
            {textParam(kSigningKeyName), textParam(replacement), numberParam(toMillis(at))});
        const std::size_t revoked =
            executeOnce(session, "UPDATE scim_token SET revoked_ms = ? WHERE revoked_ms IS NULL",
                        {numberParam(toMillis(at))});
        recordAudit(session, {"key-rotate",
                              "Token",
                              "signing-key",
                              {},
                              {"revoked=" + std::to_string(revoked), byOf(by)}});
        tx.commit();
        return revoked;
    });
}

}  // namespace store
