// Issuing and verifying bearer tokens against the real token registry, on both engines, with
// a clock the test controls.
#include "auth/TokenService.h"
#include "store/tokens/SqlIdentityStore.h"
#include "store/tokens/SqlTokenStore.h"
#include "support/EngineFixtures.h"
#include "support/FixedClock.h"
#include "tim/SystemIdentities.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JWT/Signer.h>
#include <Poco/Thread.h>

#include <cppunit/extensions/HelperMacros.h>

#include <memory>

using auth::Rejection;
using namespace Poco::Data::Keywords;

namespace {

const std::string kKey = "0123456789abcdef0123456789abcdef-test-key";

Poco::Logger& testLogger() {
    return Poco::Logger::get("test.tokens");
}

std::string name(Rejection r) {
    return auth::describe(r);
}

std::string bearer(const std::string& jwt) {
    return "Bearer " + jwt;
}

}  // namespace

class TokenServiceContract : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TokenServiceContract);
    CPPUNIT_TEST(issuedTokenAuthenticates);
    CPPUNIT_TEST(revokedTokenIsRefused);
    CPPUNIT_TEST(tokenExpiresWithItsLifetime);
    CPPUNIT_TEST(validlySignedTokenThatWasNeverIssuedIsRefused);
    CPPUNIT_TEST(disabledOrMissingSysScimIsRefused);
    CPPUNIT_TEST(revocationTakesEffectWhenTheCacheExpires);
    CPPUNIT_TEST(firstStoredSigningKeyWins);
    CPPUNIT_TEST(setupSystemIdentitiesIsIdempotent);
    CPPUNIT_TEST(scopesAreSignedStoredAndAudited);
    CPPUNIT_TEST(labelsAreStoredValidatedAndAudited);
    CPPUNIT_TEST(lastUseIsKeptToTheMinuteWithOneWriteAMinute);
    CPPUNIT_TEST(replacingTheSigningKeyRevokesEveryToken);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

  public:
    virtual store::DatabaseConfig freshConfig() = 0;

    void setUp() override {
        _clock = std::make_unique<testing::FixedClock>(Poco::Timestamp::fromEpochTime(1800000000));
        _database = std::make_unique<store::Database>(freshConfig(), testLogger());
        _database->migrate();
        _identities = std::make_unique<store::SqlIdentityStore>(*_database);
        tim::setupSystemIdentities(*_identities);
        _store = std::make_unique<store::SqlTokenStore>(*_database);
        _tokens = makeService(Poco::Timespan(0, 0));
    }

    void tearDown() override {
        _tokens.reset();
        _store.reset();
        _identities.reset();
        _database.reset();
    }

    // A metrics token says so in its claims and in the registry; its issue and revocation are
    // audit rows naming who, the scope and the expiry.
    void scopesAreSignedStoredAndAudited() {
        const std::string metrics = _tokens->issue(auth::TokenScope::Metrics, "ops");
        const std::string provisioning = _tokens->issue();
        auth::TokenScope scope = auth::TokenScope::Provisioning;
        CPPUNIT_ASSERT_EQUAL(name(Rejection::None),
                             name(_tokens->authenticate(bearer(metrics), &scope)));
        CPPUNIT_ASSERT(scope == auth::TokenScope::Metrics);
        CPPUNIT_ASSERT_EQUAL(name(Rejection::None),
                             name(_tokens->authenticate(bearer(provisioning), &scope)));
        CPPUNIT_ASSERT(scope == auth::TokenScope::Provisioning);
        const auto tokens = _store->list();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), tokens.size());
        const auto& metricsToken = tokens[0].scope == "metrics" ? tokens[0] : tokens[1];
        CPPUNIT_ASSERT_EQUAL(std::string("metrics"), metricsToken.scope);
        CPPUNIT_ASSERT(_store->revoke(metricsToken.jti, _clock->now(), "ops"));
        CPPUNIT_ASSERT(_store->revoke(metricsToken.jti, _clock->now(), "ops"));  // once audited
        Poco::Data::Session session = _database->session();
        std::vector<std::string> operations;
        std::vector<std::string> changed;
        std::string jti = metricsToken.jti;
        session << "SELECT operation, changed FROM scim_audit WHERE resource_type = 'Token' AND "
                   "resource_id = ? ORDER BY id",
            use(jti), into(operations), into(changed), now;
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), operations.size());
        CPPUNIT_ASSERT_EQUAL(std::string("token-issue"), operations[0]);
        CPPUNIT_ASSERT_EQUAL("scope=metrics,label=-,expires=" +
                                 Poco::DateTimeFormatter::format(
                                     metricsToken.expiresAt, Poco::DateTimeFormat::ISO8601_FORMAT) +
                                 ",by=ops",
                             changed[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("token-revoke"), operations[1]);
        CPPUNIT_ASSERT_EQUAL(std::string("scope=metrics,by=ops"), changed[1]);
    }

    void labelsAreStoredValidatedAndAudited() {
        _tokens->issue(auth::TokenScope::Provisioning, "ops", "entra");
        CPPUNIT_ASSERT_THROW(_tokens->issue(auth::TokenScope::Provisioning, "ops", "entra prod"),
                             Poco::InvalidArgumentException);
        CPPUNIT_ASSERT_THROW(
            _tokens->issue(auth::TokenScope::Provisioning, "ops", std::string(65, 'a')),
            Poco::InvalidArgumentException);
        auto tokens = _store->list();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), tokens.size());  // the refused ones are not issued
        CPPUNIT_ASSERT_EQUAL(std::string("entra"), tokens[0].label);
        CPPUNIT_ASSERT(_store->relabel(tokens[0].jti, "entra-prod", "ops"));
        CPPUNIT_ASSERT(!_store->relabel("no-such-jti", "x", "ops"));
        CPPUNIT_ASSERT_EQUAL(std::string("entra-prod"), _store->list()[0].label);
        CPPUNIT_ASSERT_EQUAL(std::string("scope=provisioning,label=entra,expires="),
                             auditOf(tokens[0].jti)[0].substr(0, 39));
        CPPUNIT_ASSERT_EQUAL(std::string("label=entra-prod,was=entra,by=ops"),
                             auditOf(tokens[0].jti)[1]);
    }

    // "Last used" is the minute of the latest request, written once per minute per instance.
    void lastUseIsKeptToTheMinuteWithOneWriteAMinute() {
        const std::string jwt = _tokens->issue();
        const std::string jti = _store->list()[0].jti;
        CPPUNIT_ASSERT(!_store->list()[0].lastUsedAt);
        _clock->advanceSeconds(30);  // 1800000030: minute 1800000000 / 60 = 30000000
        CPPUNIT_ASSERT_EQUAL(name(Rejection::None), name(_tokens->authenticate(bearer(jwt))));
        CPPUNIT_ASSERT(*_store->list()[0].lastUsedAt == Poco::Timestamp::fromEpochTime(1800000000));
        // Within the minute, the store is not written: a value put there stays.
        Poco::Data::Session session = _database->session();
        session << "UPDATE scim_token SET last_used_ms = 5", now;
        _clock->advanceSeconds(20);
        CPPUNIT_ASSERT_EQUAL(name(Rejection::None), name(_tokens->authenticate(bearer(jwt))));
        CPPUNIT_ASSERT(*_store->list()[0].lastUsedAt == Poco::Timestamp(5000));
        _clock->advanceSeconds(20);  // the next minute
        CPPUNIT_ASSERT_EQUAL(name(Rejection::None), name(_tokens->authenticate(bearer(jwt))));
        CPPUNIT_ASSERT(*_store->list()[0].lastUsedAt == Poco::Timestamp::fromEpochTime(1800000060));
        // An older minute (another instance's late write) never moves it back.
        _store->recordUse(jti, Poco::Timestamp::fromEpochTime(1800000000));
        CPPUNIT_ASSERT(*_store->list()[0].lastUsedAt == Poco::Timestamp::fromEpochTime(1800000060));
        // A refused token is not "used".
        CPPUNIT_ASSERT(_store->revoke(jti, _clock->now(), "ops"));
        _clock->advanceSeconds(120);
        CPPUNIT_ASSERT_EQUAL(name(Rejection::Revoked), name(_tokens->authenticate(bearer(jwt))));
        CPPUNIT_ASSERT(*_store->list()[0].lastUsedAt == Poco::Timestamp::fromEpochTime(1800000060));
    }

    void replacingTheSigningKeyRevokesEveryToken() {
        const std::string before = _store->signingKey("the-first-key-0123456789abcdef0123");
        _tokens->issue();
        _tokens->issue(auth::TokenScope::Metrics);
        const auto jti = _store->list()[0].jti;
        CPPUNIT_ASSERT(_store->revoke(jti, _clock->now(), "ops"));
        CPPUNIT_ASSERT_EQUAL(
            std::size_t(1),
            _store->replaceSigningKey("the-second-key-0123456789abcdef012", _clock->now(), "ops"));
        CPPUNIT_ASSERT_EQUAL(std::string("the-second-key-0123456789abcdef012"),
                             _store->signingKey("a-generated-key"));
        for (const auto& token : _store->list()) {
            CPPUNIT_ASSERT(token.revokedAt);
        }
        CPPUNIT_ASSERT_EQUAL(std::string("revoked=1,by=ops"), auditOf("signing-key")[0]);
        CPPUNIT_ASSERT(before != _store->signingKey("a-generated-key"));
    }

    void issuedTokenAuthenticates() {
        const std::string jwt = _tokens->issue();
        CPPUNIT_ASSERT_EQUAL(name(Rejection::None), name(_tokens->authenticate(bearer(jwt))));
        const auto listed = _store->list();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), listed.size());
        CPPUNIT_ASSERT_EQUAL(std::string("sys.scim"), listed[0].subject);
        CPPUNIT_ASSERT(listed[0].issuedAt == _clock->now());
        CPPUNIT_ASSERT(
            listed[0].expiresAt ==
            tim::Duration::parse("1y", "jwtAccessTokenExpirationTimeScim").after(_clock->now()));
    }

    void revokedTokenIsRefused() {
        const std::string jwt = _tokens->issue();
        const std::string other = _tokens->issue();
        CPPUNIT_ASSERT(_store->revoke(_store->list()[0].jti, _clock->now(), "test"));
        CPPUNIT_ASSERT(!_store->revoke("no-such-jti", _clock->now(), "test"));
        const Rejection first = _tokens->authenticate(bearer(jwt));
        const Rejection second = _tokens->authenticate(bearer(other));
        // Exactly the revoked one is refused.
        CPPUNIT_ASSERT((first == Rejection::Revoked) != (second == Rejection::Revoked));
        CPPUNIT_ASSERT(first == Rejection::None || second == Rejection::None);
    }

    void tokenExpiresWithItsLifetime() {
        const std::string jwt = _tokens->issue();
        _clock->advanceSeconds(365 * 86400 + 59);  // one year (2027 is not a leap year) + skew
        CPPUNIT_ASSERT_EQUAL(name(Rejection::None), name(_tokens->authenticate(bearer(jwt))));
        _clock->advanceSeconds(1);
        CPPUNIT_ASSERT_EQUAL(name(Rejection::Expired), name(_tokens->authenticate(bearer(jwt))));
    }

    void validlySignedTokenThatWasNeverIssuedIsRefused() {
        Poco::JWT::Token token;
        token.setId("forged-jti");
        token.setIssuer("tim");
        token.setAudience("tim-scim");
        token.setSubject("sys.scim");
        token.setExpiration(_clock->now() + Poco::Timespan::DAYS);
        const std::string jwt = Poco::JWT::Signer(kKey).sign(token, "HS256");
        CPPUNIT_ASSERT_EQUAL(name(Rejection::UnknownId), name(_tokens->authenticate(bearer(jwt))));
    }

    void disabledOrMissingSysScimIsRefused() {
        const std::string jwt = _tokens->issue();
        Poco::Data::Session session = _database->session();
        session << "UPDATE tim_user SET active = 0 WHERE user_name = 'sys.scim'", now;
        CPPUNIT_ASSERT_EQUAL(name(Rejection::SubjectDisabled),
                             name(_tokens->authenticate(bearer(jwt))));
        session << "DELETE FROM tim_user WHERE user_name = 'sys.scim'", now;
        CPPUNIT_ASSERT_EQUAL(name(Rejection::SubjectDisabled),
                             name(_tokens->authenticate(bearer(jwt))));
    }

    void revocationTakesEffectWhenTheCacheExpires() {
        auto cached = makeService(Poco::Timespan(1, 0));
        const std::string jwt = cached->issue();
        CPPUNIT_ASSERT_EQUAL(name(Rejection::None), name(cached->authenticate(bearer(jwt))));
        _store->revoke(_store->list()[0].jti, _clock->now(), "test");
        CPPUNIT_ASSERT_EQUAL(name(Rejection::None), name(cached->authenticate(bearer(jwt))));
        Poco::Thread::sleep(1100);
        CPPUNIT_ASSERT_EQUAL(name(Rejection::Revoked), name(cached->authenticate(bearer(jwt))));
        // Without a cache the store is asked every time.
        CPPUNIT_ASSERT_EQUAL(name(Rejection::Revoked), name(_tokens->authenticate(bearer(jwt))));
    }

    void firstStoredSigningKeyWins() {
        const std::string first = _store->signingKey("first-generated-key");
        const std::string second = _store->signingKey("second-generated-key");
        CPPUNIT_ASSERT_EQUAL(std::string("first-generated-key"), first);
        CPPUNIT_ASSERT_EQUAL(first, second);
        const std::string generated = auth::TokenService::generateSigningKey();
        CPPUNIT_ASSERT(generated.size() >= 64);
        CPPUNIT_ASSERT(generated != auth::TokenService::generateSigningKey());
    }

    void setupSystemIdentitiesIsIdempotent() {
        CPPUNIT_ASSERT(tim::setupSystemIdentities(*_identities).empty());  // setUp made it
        Poco::Data::Session session = _database->session();
        session << "DELETE FROM tim_user", now;
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), tim::setupSystemIdentities(*_identities).size());
        CPPUNIT_ASSERT(tim::setupSystemIdentities(*_identities).empty());
        Poco::Int64 count = 0;
        session << "SELECT COUNT(*) FROM tim_user WHERE user_name_key = 'sys.scim' AND "
                   "kind = 'system' AND active = 1",
            into(count), now;
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(1), count);
    }

  private:
    // The audit's "changed" of one token (or of "signing-key"), oldest first.
    std::vector<std::string> auditOf(const std::string& id) {
        Poco::Data::Session session = _database->session();
        std::vector<std::string> changed;
        std::string key = id;
        session << "SELECT changed FROM scim_audit WHERE resource_type = 'Token' AND "
                   "resource_id = ? ORDER BY id",
            use(key), into(changed), now;
        return changed;
    }

    std::unique_ptr<auth::TokenService> makeService(Poco::Timespan cacheTtl) {
        auth::TokenPolicy policy;
        policy.lifetime = tim::Duration::parse("1y", "jwtAccessTokenExpirationTimeScim");
        return std::make_unique<auth::TokenService>(policy, kKey, *_store, *_clock, cacheTtl,
                                                    testLogger());
    }

    std::unique_ptr<testing::FixedClock> _clock;
    std::unique_ptr<store::Database> _database;
    std::unique_ptr<store::SqlIdentityStore> _identities;
    std::unique_ptr<store::SqlTokenStore> _store;
    std::unique_ptr<auth::TokenService> _tokens;
};

TIM_ENGINE_SUITES(TokenService);
CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(TokenServiceSQLiteTest, "TokenServiceSQLiteTest");
CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(TokenServiceMariaDBTest, "TokenServiceMariaDBTest");
