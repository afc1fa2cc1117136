// What /metrics renders: valid Prometheus text (read back by a strict reader), request series
// with cumulative latency buckets, pool gauges, and purge counters that only count runs that
// held the lock.
#include "api/Metrics.h"
#include "support/PrometheusText.h"

#include <cppunit/extensions/HelperMacros.h>

class MetricsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MetricsTest);
    CPPUNIT_TEST(rendersRequestsPoolAndPurgeAsPrometheusText);
    CPPUNIT_TEST(theReaderRefusesMalformedText);
    CPPUNIT_TEST_SUITE_END();

  public:
    void rendersRequestsPoolAndPurgeAsPrometheusText() {
        api::Metrics metrics;
        metrics.recordRequest("Users", "GET", 200, 0.0004);
        metrics.recordRequest("Users", "GET", 200, 0.003);
        metrics.recordRequest("Users", "GET", 200, 42.0);  // past the largest bucket
        metrics.recordRequest("Groups", "PATCH", 409, 0.02);
        port::PurgeResult skipped;  // another instance held the lock
        metrics.recordPurge(skipped, Poco::Timestamp::fromEpochTime(1000));
        port::PurgeResult ran;
        ran.ran = true;
        ran.users = 7;
        metrics.recordPurge(ran, Poco::Timestamp::fromEpochTime(1800000000));

        const testing::PrometheusText text(metrics.render(port::DatabaseUsage{{3, 2, 32}, 5, 61}));
        const std::string users = R"(endpoint="Users",method="GET",status="200")";
        CPPUNIT_ASSERT_EQUAL(3.0,
                             text.value("tim_scim_request_duration_seconds_count{" + users + "}"));
        CPPUNIT_ASSERT_EQUAL(1.0, text.value("tim_scim_request_duration_seconds_bucket{" + users +
                                             R"(,le="0.001"})"));
        CPPUNIT_ASSERT_EQUAL(
            2.0, text.value("tim_scim_request_duration_seconds_bucket{" + users + R"(,le="10"})"));
        CPPUNIT_ASSERT_EQUAL(3.0, text.value("tim_scim_request_duration_seconds_bucket{" + users +
                                             R"(,le="+Inf"})"));
        CPPUNIT_ASSERT_DOUBLES_EQUAL(
            42.0034, text.value("tim_scim_request_duration_seconds_sum{" + users + "}"), 1e-9);
        CPPUNIT_ASSERT_EQUAL(
            1.0, text.value(R"(tim_scim_request_duration_seconds_count{endpoint="Groups",)"
                            R"(method="PATCH",status="409"})"));
        CPPUNIT_ASSERT_EQUAL(3.0, text.value(R"(tim_scim_db_pool_sessions{state="in_use"})"));
        CPPUNIT_ASSERT_EQUAL(2.0, text.value(R"(tim_scim_db_pool_sessions{state="idle"})"));
        CPPUNIT_ASSERT_EQUAL(32.0, text.value("tim_scim_db_pool_capacity{}"));
        CPPUNIT_ASSERT_EQUAL(5.0, text.value("tim_scim_db_group_commits_total{}"));
        CPPUNIT_ASSERT_EQUAL(61.0, text.value("tim_scim_db_group_commit_writes_total{}"));
        CPPUNIT_ASSERT_EQUAL(1.0, text.value("tim_scim_purge_runs_total{}"));
        CPPUNIT_ASSERT_EQUAL(7.0, text.value("tim_scim_purge_users_total{}"));
        CPPUNIT_ASSERT_EQUAL(1.8e9, text.value("tim_scim_purge_last_run_timestamp_seconds{}"));
        // The database's facts: absent while it cannot be asked, 0 for "never" or "none".
        CPPUNIT_ASSERT(metrics.render(port::DatabaseUsage{}).find("tim_scim_token_expiry") ==
                       std::string::npos);
        const std::string noToken = metrics.render(
            port::DatabaseUsage{}, port::SharedFacts{Poco::Int64(1796500000500), {}});
        const testing::PrometheusText shared(noToken);
        CPPUNIT_ASSERT_DOUBLES_EQUAL(
            1796500000.5, shared.value("tim_scim_purge_last_completed_timestamp_seconds{}"), 1e-3);
        CPPUNIT_ASSERT(noToken.find("tim_scim_token_expiry_timestamp_seconds{") ==
                       std::string::npos);  // no token: no series
        // One series per token: Entra's expiring soon is not hidden by a later one.
        const testing::PrometheusText tokens(metrics.render(
            port::DatabaseUsage{},
            port::SharedFacts{std::nullopt,
                              {{"j2", "prometheus", "metrics", Poco::Int64(1900000000000)},
                               {"j1", "entra", "provisioning", Poco::Int64(1830000000000)}}}));
        CPPUNIT_ASSERT_EQUAL(1.83e9,
                             tokens.value(R"(tim_scim_token_expiry_timestamp_seconds{jti="j1",)"
                                          R"(label="entra",scope="provisioning"})"));
        CPPUNIT_ASSERT_EQUAL(1.9e9,
                             tokens.value(R"(tim_scim_token_expiry_timestamp_seconds{jti="j2",)"
                                          R"(label="prometheus",scope="metrics"})"));
        CPPUNIT_ASSERT_EQUAL(0.0,
                             tokens.value("tim_scim_purge_last_completed_timestamp_seconds{}"));
    }

    void theReaderRefusesMalformedText() {
        for (const char* bad : {
                 "tim_x 1\n",                           // no # TYPE
                 "# TYPE tim_x gauge\ntim_x one\n",     // not a number
                 "# TYPE tim_x gauge\ntim_x{a=b} 1\n",  // unquoted label
                 "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count{} 1\n",
                 "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count{} 3\n",
             }) {
            CPPUNIT_ASSERT_THROW_MESSAGE(bad, testing::PrometheusText{bad}, std::runtime_error);
        }
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(MetricsTest, "MetricsTest");
