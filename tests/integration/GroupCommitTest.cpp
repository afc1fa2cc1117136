// Group commit's semantics on both engines (a bound of 8 on each, whatever the engine's default):
// writes queued behind a running one share the next transaction, and yet each is alone in what
// it answers. A duplicate userName, a PATCH computed from a version the write before it
// replaced, a write that fails after writing and one the engine refuses fail alone while the
// others commit, and nothing of theirs stays; two writes to one user apply in the order they
// came, each with its own version; the audit rows carry each request's own id, though one
// thread ran them all. A write that must run again (a deadlock) sends each write of its batch
// to run alone, and all commit; a write that starts another fails instead of waiting for itself.
#include "port/RequestContext.h"
#include "port/StoreErrors.h"
#include "scim/Representation.h"
#include "scim/UserSchemas.h"
#include "store/accounts/AuditTrail.h"
#include "support/EngineFixtures.h"
#include "support/StoreFixture.h"

#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <future>
#include <thread>

namespace {

Poco::JSON::Object::Ptr userDoc(const std::string& userName) {
    const auto doc = Poco::JSON::Parser()
                         .parse(R"({"userName":")" + userName + R"("})")
                         .extract<Poco::JSON::Object::Ptr>();
    return scim::normaliseResource(doc, scim::userResourceSchema()).doc;
}

// What a write queued in a batch answered: "ok" or the store error's kind.
template <typename Write>
std::string outcomeOf(Write&& write) {
    try {
        write();
        return "ok";
    } catch (const port::VersionMismatch&) {
        return "version mismatch";
    } catch (const port::Conflict&) {
        return "conflict";
    } catch (const std::exception& e) {
        return e.what();
    }
}

}  // namespace

class GroupCommitContract : public testing::StoreFixture {
    CPPUNIT_TEST_SUITE(GroupCommitContract);
    CPPUNIT_TEST(aFailingWriteFailsAloneAndTheOthersCommit);
    CPPUNIT_TEST(writesToOneUserApplyInTheOrderTheyCame);
    CPPUNIT_TEST(aWriteTheEngineRefusesFailsAlone);
    CPPUNIT_TEST(aWriteThatMustRunAgainSendsEachWriteAlone);
    CPPUNIT_TEST(aWriteThatStartsAnotherFailsInsteadOfWaitingForItself);
    CPPUNIT_TEST_SUITE_END_ABSTRACT();

  public:
    void configure(store::DatabaseConfig& config) override { config.groupCommitMaxWrites = 8; }

    void tearDown() override {
        release();
        for (auto& write : _writes) {
            if (write.valid()) {
                write.wait();  // a test that failed half-way leaves none running
            }
        }
        StoreFixture::tearDown();
    }

    void aFailingWriteFailsAloneAndTheOthersCommit() {
        const std::string ann = _users->createOrBind(userDoc("ann@example.com"), {}).record.id;
        holdTheWriter();
        queue("req-bob", [&] { _users->createOrBind(userDoc("bob@example.com"), {}); });
        queue("req-dup", [&] { _users->createOrBind(userDoc("BOB@example.com"), {}); });
        queue("req-one", [&] { rename(ann, "One", std::nullopt); });
        // If-Match of the version the write before it replaces in the same transaction: its
        // update finds another version, is discarded, and the PATCH answers 412 on its re-read.
        queue("req-stale", [&] { rename(ann, "Stale", 1); });
        queue("req-half", [&] { writeAGroupAndFail(); });
        queue("req-cy", [&] { _users->createOrBind(userDoc("cy@example.com"), {}); });
        release();

        const std::vector<std::string> expected = {
            "ok", "ok", "conflict", "ok", "version mismatch", "failed after writing", "ok"};
        for (std::size_t i = 0; i < expected.size(); ++i) {
            CPPUNIT_ASSERT_EQUAL(expected[i], _writes[i].get());
        }
        // The six queued writes committed as one transaction; nothing of the one that failed
        // after writing stays.
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _users->accountTransactions().commits().batches());
        CPPUNIT_ASSERT(!_groupReads->find("g-half"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(6),
                             _users->accountTransactions().commits().batchedWrites());

        CPPUNIT_ASSERT_EQUAL(std::size_t(3), userNames().size());  // ann, bob, cy
        const auto now = _users->find(ann);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), now->version);
        CPPUNIT_ASSERT_EQUAL(std::string("One"), now->doc->getValue<std::string>("displayName"));
        // The audit rows of what committed, each under its own request's id (ann's create was
        // no request's), though one thread ran them all.
        std::vector<std::string> requests;
        for (const auto& entry : store::AuditTrail(*_database).latest(10)) {
            requests.push_back(entry.requestId);
        }
        CPPUNIT_ASSERT(requests == std::vector<std::string>({"", "req-bob", "req-one", "req-cy"}));
    }

    void writesToOneUserApplyInTheOrderTheyCame() {
        const std::string ann = _users->createOrBind(userDoc("ann@example.com"), {}).record.id;
        holdTheWriter();
        Poco::Int64 first = 0;
        Poco::Int64 second = 0;
        queue("req-1", [&] { first = rename(ann, "First", std::nullopt); });
        queue("req-2", [&] { second = rename(ann, "Second", std::nullopt); });
        release();
        for (auto& write : _writes) {
            CPPUNIT_ASSERT_EQUAL(std::string("ok"), write.get());
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _users->accountTransactions().commits().batches());
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(2), first);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), second);
        const auto now = _users->find(ann);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(3), now->version);
        CPPUNIT_ASSERT_EQUAL(std::string("Second"), now->doc->getValue<std::string>("displayName"));
    }

    void aWriteTheEngineRefusesFailsAlone() {
        holdTheWriter();
        queue("req-bob", [&] { _users->createOrBind(userDoc("bob@example.com"), {}); });
        queue("req-twice", [&] { insertAGroupTwice(); });
        queue("req-cy", [&] { _users->createOrBind(userDoc("cy@example.com"), {}); });
        release();
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), _writes[1].get());
        CPPUNIT_ASSERT(_writes[2].get() != "ok");
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), _writes[3].get());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), userNames().size());
        CPPUNIT_ASSERT(!_groupReads->find("g-twice"));
        // The engine undid the refused statement only; the savepoint the rest of the write.
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _users->accountTransactions().commits().batches());
    }

    void aWriteThatMustRunAgainSendsEachWriteAlone() {
        holdTheWriter();
        queue("req-bob", [&] { _users->createOrBind(userDoc("bob@example.com"), {}); });
        int runs = 0;
        queue("req-again", [&] {
            _users->accountTransactions().run([&](port::AccountTransaction& tx) {
                tx.insertGroup("g-again", groupRow("again"), true);
                if (++runs == 1) {
                    throw port::RunAgain("lost to another writer");  // as a deadlock would
                }
            });
        });
        queue("req-cy", [&] { _users->createOrBind(userDoc("cy@example.com"), {}); });
        release();
        for (auto& write : _writes) {
            CPPUNIT_ASSERT_EQUAL(std::string("ok"), write.get());
        }
        // The batch was given up whole (the engine may have rolled back more than the one
        // write), and each write ran again in a transaction of its own.
        CPPUNIT_ASSERT_EQUAL(2, runs);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), _users->accountTransactions().commits().batches());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), userNames().size());
        CPPUNIT_ASSERT(_groupReads->find("g-again"));
    }

    void aWriteThatStartsAnotherFailsInsteadOfWaitingForItself() {
        auto& transactions = _users->accountTransactions();
        std::string failure;
        transactions.run([&](port::AccountTransaction&) {
            try {
                transactions.run([](port::AccountTransaction&) {});
            } catch (const Poco::IllegalStateException& e) {
                failure = e.message();
            }
        });
        CPPUNIT_ASSERT_EQUAL(std::string("a write transaction was started inside another"),
                             failure);
    }

  private:
    // A write that inserts a group twice: the second insert breaks its primary key.
    void insertAGroupTwice() {
        _users->accountTransactions().run([](port::AccountTransaction& tx) {
            tx.insertGroup("g-twice", groupRow("twice"), true);
            tx.insertGroup("g-twice", groupRow("twice again"), true);
        });
    }

    static port::GroupRow groupRow(const std::string& name) {
        port::GroupRow row;
        row.displayName = row.displayNameKey = name;
        row.doc = new Poco::JSON::Object;
        row.text = "{}";
        return row;
    }

    // A write that holds the transaction until release(): the writes queued meanwhile wait for
    // the next batch together.
    void holdTheWriter() {
        std::promise<void> entered;
        _writes.push_back(std::async(std::launch::async, [this, &entered] {
            _users->accountTransactions().run([&](port::AccountTransaction&) {
                entered.set_value();
                _released.get_future().wait();
            });
            return std::string("ok");
        }));
        entered.get_future().wait();
    }

    void release() {
        if (!_releasedOnce) {
            _releasedOnce = true;
            _released.set_value();
        }
    }

    // Starts `write` under request `id` and returns once it waits in the queue, so that the
    // queue's order is the order of the calls.
    template <typename Write>
    void queue(const std::string& id, Write write) {
        const std::size_t before = _users->accountTransactions().commits().queued();
        _writes.push_back(std::async(std::launch::async, [id, write] {
            const port::RequestScope request(id);
            return outcomeOf(write);
        }));
        for (int i = 0; i < 1000 && _users->accountTransactions().commits().queued() == before;
             ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        CPPUNIT_ASSERT_EQUAL(before + 1, _users->accountTransactions().commits().queued());
    }

    // A write that inserts a group and then fails.
    void writeAGroupAndFail() {
        _users->accountTransactions().run([](port::AccountTransaction& tx) {
            tx.insertGroup("g-half", groupRow("half"), true);
            throw std::runtime_error("failed after writing");
        });
    }

    // displayName set to `name`; returns the version written.
    Poco::Int64 rename(const std::string& id, const std::string& name,
                       std::optional<Poco::Int64> expectedVersion) {
        return patchUser(id, R"([{"op":"replace","path":"displayName","value":")" + name + R"("}])",
                         expectedVersion)
            .version;
    }

    std::vector<std::string> userNames() {
        std::vector<std::string> names;
        Poco::Data::Session session = _database->session();
        session << "SELECT user_name FROM tim_user", Poco::Data::Keywords::into(names),
            Poco::Data::Keywords::now;
        return names;
    }

    std::vector<std::future<std::string>> _writes;
    std::promise<void> _released;
    bool _releasedOnce = false;
};

TIM_ENGINE_SUITES(GroupCommit);
CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(GroupCommitSQLiteTest, "GroupCommitSQLiteTest");
CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(GroupCommitMariaDBTest, "GroupCommitMariaDBTest");
