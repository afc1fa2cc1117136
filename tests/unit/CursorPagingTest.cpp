// RFC 9865 cursors: sealed by auth::HmacCursorSeal (HMAC, canonical base64url, timeout) and read
// by api::openCursor, which refuses every cursor it did not issue for the same query.
#include "api/CursorPaging.h"
#include "auth/HmacCursorSeal.h"
#include "scim/ScimError.h"
#include "support/FixedClock.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cctype>

namespace {

const std::string kKey = "0123456789abcdef0123456789abcdef-signing";

// The scimType of the error `open` throws, "" when it throws none.
template <typename Fn>
std::string refusal(Fn&& open) {
    try {
        open();
    } catch (const scim::ScimError& e) {
        CPPUNIT_ASSERT_EQUAL(400, e.status());
        return e.scimType();
    }
    return "";
}

}  // namespace

class CursorPagingTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CursorPagingTest);
    CPPUNIT_TEST(aCursorCarriesItsPositionBothWays);
    CPPUNIT_TEST(aChangedOrForeignCursorIsInvalid);
    CPPUNIT_TEST(aCursorExpiresAfterTheTimeout);
    CPPUNIT_TEST(cursorsFollowTheWalk);
    CPPUNIT_TEST_SUITE_END();

  public:
    CursorPagingTest() : _clock(Poco::Timestamp()), _seal(kKey, _clock, 60) {}

    void aCursorCarriesItsPositionBothWays() {
        const std::string key = api::walkKey("/Users", "userName sw \"a\"", false);
        const auto cursors = api::cursorsAround(_seal, key, port::Walk{position(5, "e"), false},
                                                {position(7, "f"), position(9, "g"), true});
        for (const char c : cursors.next + cursors.previous) {
            // RFC 9865: unreserved URI characters only.
            CPPUNIT_ASSERT(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
                           c == '.' || c == '~');
        }
        const auto next = api::openCursor(_seal, key, cursors.next);
        CPPUNIT_ASSERT(!next.backwards);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(9), next.from->createdMs);
        CPPUNIT_ASSERT_EQUAL(std::string("g"), next.from->id);
        const auto previous = api::openCursor(_seal, key, cursors.previous);
        CPPUNIT_ASSERT(previous.backwards);
        CPPUNIT_ASSERT_EQUAL(std::string("f"), previous.from->id);
        // "" starts a walk.
        const auto start = api::openCursor(_seal, key, "");
        CPPUNIT_ASSERT(!start.from && !start.backwards);
    }

    void aChangedOrForeignCursorIsInvalid() {
        const std::string key = api::walkKey("/Users", "", false);
        const std::string cursor =
            api::cursorsAround(_seal, key, port::Walk{}, {position(1, "a"), position(2, "b"), true})
                .next;
        CPPUNIT_ASSERT_EQUAL(std::string(""),
                             refusal([&] { api::openCursor(_seal, key, cursor); }));
        // Every single changed character, in the content or the MAC.
        for (std::size_t i = 0; i < cursor.size(); ++i) {
            std::string changed = cursor;
            changed[i] = changed[i] == 'A' ? 'B' : 'A';
            CPPUNIT_ASSERT_EQUAL_MESSAGE(changed, std::string("invalidCursor"),
                                         refusal([&] { api::openCursor(_seal, key, changed); }));
        }
        for (const std::string& bad :
             {std::string("x"), std::string("."), cursor + ".", cursor + "=", "." + cursor,
              cursor.substr(0, cursor.find('.'))}) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, std::string("invalidCursor"),
                                         refusal([&] { api::openCursor(_seal, key, bad); }));
        }
        // Another query's cursor, or another key's.
        const std::string otherQuery = api::walkKey("/Groups", "", false);
        CPPUNIT_ASSERT_EQUAL(std::string("invalidCursor"),
                             refusal([&] { api::openCursor(_seal, otherQuery, cursor); }));
        CPPUNIT_ASSERT_EQUAL(std::string("invalidCursor"), refusal([&] {
                                 api::openCursor(_seal, api::walkKey("/Users", "", true), cursor);
                             }));
        const auth::HmacCursorSeal otherService(kKey + "-other", _clock, 60);
        CPPUNIT_ASSERT_EQUAL(std::string("invalidCursor"),
                             refusal([&] { api::openCursor(otherService, key, cursor); }));
    }

    void aCursorExpiresAfterTheTimeout() {
        const std::string key = api::walkKey("/Users", "", false);
        const std::string cursor =
            api::cursorsAround(_seal, key, port::Walk{}, {position(1, "a"), position(2, "b"), true})
                .next;
        _clock.advanceSeconds(60);
        CPPUNIT_ASSERT_EQUAL(std::string(""),
                             refusal([&] { api::openCursor(_seal, key, cursor); }));
        _clock.advanceSeconds(1);
        CPPUNIT_ASSERT_EQUAL(std::string("expiredCursor"),
                             refusal([&] { api::openCursor(_seal, key, cursor); }));
    }

    void cursorsFollowTheWalk() {
        const std::string key = api::walkKey("/Users", "", false);
        // The first page: a next cursor only while there is more.
        auto cursors = api::cursorsAround(_seal, key, port::Walk{},
                                          {position(1, "a"), position(2, "b"), true});
        CPPUNIT_ASSERT(!cursors.next.empty() && cursors.previous.empty());
        cursors = api::cursorsAround(_seal, key, port::Walk{},
                                     {position(1, "a"), position(2, "b"), false});
        CPPUNIT_ASSERT(cursors.next.empty() && cursors.previous.empty());
        // A previous page read backwards: next always, previous while there is more before.
        cursors = api::cursorsAround(_seal, key, port::Walk{position(3, "c"), true},
                                     {position(1, "a"), position(2, "b"), false});
        CPPUNIT_ASSERT(!cursors.next.empty() && cursors.previous.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("b"), api::openCursor(_seal, key, cursors.next).from->id);
    }

  private:
    static std::optional<port::WalkPosition> position(Poco::Int64 createdMs,
                                                      const std::string& id) {
        return port::WalkPosition{createdMs, id};
    }

    testing::FixedClock _clock;
    auth::HmacCursorSeal _seal;
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(CursorPagingTest, "CursorPagingTest");
