// The store's one translation of database failures into the port's typed errors: passing
// failures (no free session, a lock or a write lost to others, a lost or refused connection)
// become port::Unavailable; anything else stays what it was.
#include "port/StoreErrors.h"
#include "store/engine/Retry.h"
#include "store/engine/StoreFailures.h"

#include <Poco/Data/DataException.h>
#include <Poco/Data/SessionPool.h>

#include <cppunit/extensions/HelperMacros.h>

#include <functional>
#include <optional>
#include <stdexcept>

namespace {

// What rethrowAsStoreError made of the failure `fail` throws: the cause of a port::Unavailable,
// or nullopt when the failure came out as it went in.
std::optional<port::Unavailable::Cause> translated(const std::function<void()>& fail) {
    try {
        try {
            fail();
        } catch (...) {
            store::rethrowAsStoreError();
        }
    } catch (const port::Unavailable& e) {
        return e.cause();
    } catch (...) {
        return std::nullopt;
    }
    CPPUNIT_FAIL("nothing was thrown");
    return std::nullopt;
}

}  // namespace

class StoreFailuresTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StoreFailuresTest);
    CPPUNIT_TEST(passingFailuresBecomeUnavailable);
    CPPUNIT_TEST(otherFailuresComeOutUnchanged);
    CPPUNIT_TEST(theConnectorsErrorNumberDecides);
    CPPUNIT_TEST_SUITE_END();

  public:
    void passingFailuresBecomeUnavailable() {
        using Cause = port::Unavailable::Cause;
        CPPUNIT_ASSERT(translated([] {
                           throw Poco::Data::SessionPoolExhaustedException("pool of 32");
                       }) == Cause::Busy);
        CPPUNIT_ASSERT(translated([] {
                           throw store::WriteContention("gave up after 4 attempts: Deadlock");
                       }) == Cause::Busy);
        CPPUNIT_ASSERT(translated([] {
                           throw Poco::Data::DataException(
                               "mysql_stmt_execute error: Lost connection to server during "
                               "query (2013)");
                       }) == Cause::Down);
        CPPUNIT_ASSERT(translated([] {
                           throw Poco::Data::DataException(
                               "Can't connect to server on '127.0.0.1' (115) (2002)");
                       }) == Cause::Down);
    }

    void otherFailuresComeOutUnchanged() {
        try {
            try {
                throw Poco::Data::DataException("syntax error near tim_user");
            } catch (...) {
                store::rethrowAsStoreError();
            }
        } catch (const Poco::Data::DataException& e) {
            CPPUNIT_ASSERT_EQUAL(std::string("syntax error near tim_user"), e.message());
        }
        CPPUNIT_ASSERT(!translated([] { throw port::NotFound("No user u-1"); }));
        CPPUNIT_ASSERT(!translated([] { throw std::runtime_error("bad"); }));
    }

    // Poco's MySQL connector writes the error number into the message; where it gives one, the
    // number decides, whatever the text around it says.
    void theConnectorsErrorNumberDecides() {
        using Cause = port::Unavailable::Cause;
        const auto statementFailure = [](int number, const std::string& text) {
            return [=] {
                throw Poco::Data::DataException(
                    "[MySQL]: [Comment]: mysql_stmt_execute error\t"
                    "[mysql_stmt_error]: " +
                    text + "\t[mysql_stmt_errno]: " + std::to_string(number) +
                    "\t[mysql_stmt_sqlstate]: HY000");
            };
        };
        CPPUNIT_ASSERT(translated(statementFailure(1213, "")) == Cause::Busy);
        CPPUNIT_ASSERT(translated(statementFailure(1205, "")) == Cause::Busy);
        // Galera's abort of a trigger load is run again by the dialect on a Galera node only;
        // escaping that, it is a defect, not a busy database.
        const auto triggerLoad = [&](int number, const std::string& text) {
            try {
                statementFailure(number, text)();
            } catch (const Poco::Exception& e) {
                return store::isAbortedTriggerLoad(e);
            }
            return false;
        };
        CPPUNIT_ASSERT(
            triggerLoad(1064, "Unknown trigger has an error in its body: 'Query was empty'"));
        CPPUNIT_ASSERT(!triggerLoad(1064, "Unknown trigger has an error in its body: 'BEGIN x'"));
        CPPUNIT_ASSERT(!triggerLoad(1062,
                                    "Unknown trigger has an error in its body: 'Query was "
                                    "empty'"));
        CPPUNIT_ASSERT(!translated(
            statementFailure(1064, "Unknown trigger has an error in its body: 'Query was empty'")));
        CPPUNIT_ASSERT(translated(statementFailure(2013, "")) == Cause::Down);
        CPPUNIT_ASSERT(translated(statementFailure(1047, "WSREP has not yet prepared node")) ==
                       Cause::Down);
        CPPUNIT_ASSERT(translated([] {
                           throw Poco::Data::DataException(
                               "[MySQL]: [Comment]: mysql_real_connect error\t[mysql_error]: "
                               "\t[mysql_errno]: 2003\t[mysql_sqlstate]: HY000");
                       }) == Cause::Down);
        // A client's value that quotes an error text changes nothing.
        CPPUNIT_ASSERT(!translated(statementFailure(1062, "Duplicate entry 'Deadlock found'")));
        CPPUNIT_ASSERT(!translated(statementFailure(1406, "Data too long; Lost connection")));
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(StoreFailuresTest, "StoreFailuresTest");
