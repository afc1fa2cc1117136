// A real Prometheus (Debian's) scrapes the plugin with the scrape job of
// docs/prometheus-tim-scim.yml, bearer token included, and evaluates the alert rules of
// docs/tim-scim-alerts.yml: the request, latency, pool, purge and token series arrive, and
// every rule evaluates.
#include "support/HostProcess.h"
#include "support/SourceFiles.h"
#include "support/TestDatabases.h"

#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <Poco/String.h>

#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <memory>
#include <regex>

using testing::HostProcess;

namespace {

using Poco::JSON::Object;

class Prometheus {
  public:
    Prometheus(int targetPort, const std::string& token)
        : _dir(testing::temporaryDirectory("prometheus-")), _port(HostProcess::freePort()) {
        std::ofstream(_dir + "/token") << token;
        const std::string file = "docs/prometheus-tim-scim.yml";
        std::string job = testing::readSourceFile(file);
        const auto edit = [&](const std::string& from, const std::string& to) {
            testing::replaceInDoc(job, from, to, file);
        };
        edit("    scheme: https\n", "    scheme: http\n");
        edit("[\"tim.example.com:443\"]", "[\"127.0.0.1:" + std::to_string(targetPort) + "\"]");
        edit("credentials_file: /etc/prometheus/tim-scim.token",
             "credentials_file: " + _dir + "/token");
        std::ofstream(_dir + "/prometheus.yml")
            << "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
            << "rule_files:\n  - " << TIM_SOURCE_DIR << "/docs/tim-scim-alerts.yml\n"
            << job;
        _process = std::make_unique<Poco::ProcessHandle>(Poco::Process::launch(
            "sh", {"-c", "exec prometheus --config.file=" + _dir + "/prometheus.yml" +
                             " --storage.tsdb.path=" + _dir +
                             "/data --web.listen-address=127.0.0.1:" + std::to_string(_port) +
                             " >" + _dir + "/log 2>&1"}));
    }

    ~Prometheus() {
        Poco::Process::requestTermination(_process->id());
        _process->wait();
    }

    // GET /api/v1/<path>'s "data", or null while Prometheus does not answer.
    Poco::Dynamic::Var api(const std::string& pathAndQuery) const {
        try {
            Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(_port));
            Poco::Net::HTTPRequest request("GET", "/api/v1/" + pathAndQuery,
                                           Poco::Net::HTTPMessage::HTTP_1_1);
            session.sendRequest(request);
            Poco::Net::HTTPResponse response;
            std::string body;
            Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
            if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) {
                return {};
            }
            return Poco::JSON::Parser().parse(body).extract<Object::Ptr>()->get("data");
        } catch (const Poco::Exception&) {
            return {};
        }
    }

    // The values of an instant query's series (empty while there are none).
    std::vector<double> query(const std::string& promql) const {
        std::string encoded;
        Poco::URI::encode(promql, "+&=#[]{}\"~!*()", encoded);
        const auto data = api("query?query=" + encoded);
        std::vector<double> values;
        if (data.isEmpty()) {
            return values;
        }
        const auto result = data.extract<Object::Ptr>()->getArray("result");
        for (std::size_t i = 0; i < result->size(); ++i) {
            const auto value = result->getObject(static_cast<unsigned>(i))->getArray("value");
            values.push_back(std::stod(value->getElement<std::string>(1)));
        }
        return values;
    }

    std::string log() const { return testing::readFile(_dir + "/log"); }

  private:
    std::string _dir;
    int _port;
    std::unique_ptr<Poco::ProcessHandle> _process;
};

// The labels a rule's alerts carry as `label`, comma-separated.
std::string pendingLabels(const Object::Ptr& rule) {
    std::string labels;
    const auto alerts = rule->getArray("alerts");
    for (std::size_t i = 0; alerts && i < alerts->size(); ++i) {
        const auto alert = alerts->getObject(static_cast<unsigned>(i));
        labels += (labels.empty() ? "" : ",") +
                  alert->getObject("labels")->optValue<std::string>("label", "?");
    }
    return labels;
}

}  // namespace

class PrometheusScrapeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PrometheusScrapeTest);
    CPPUNIT_TEST(theDocumentedJobScrapesEverySeriesAndTheRulesEvaluate);
    CPPUNIT_TEST_SUITE_END();

  public:
    void theDocumentedJobScrapesEverySeriesAndTheRulesEvaluate() {
        HostProcess host({"tim-scim"});
        host.start();
        const testing::ScimClient scim(host);
        CPPUNIT_ASSERT_EQUAL(
            201, scim("POST", "/Users", R"({"userName":"watched@example.com"})").status);
        // The docs' token: one that reads the metrics and nothing else.
        std::string metricsToken;
        std::string err;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(
            err, 0,
            host.runCommand("scim.token.generate", {"--scope", "metrics"}, metricsToken, err));
        metricsToken = Poco::trim(metricsToken);
        CPPUNIT_ASSERT_EQUAL(403, host.request("GET", "/tim/api/scim/Users", "",
                                               {{"Authorization", "Bearer " + metricsToken}})
                                      .status);
        const Prometheus prometheus(host.port(), metricsToken);
        const auto scraped = [&](const std::string& promql) {
            return testing::eventually([&] { return !prometheus.query(promql).empty(); }, 30000);
        };
        // The scrape succeeded with the token, and each family arrived.
        CPPUNIT_ASSERT_MESSAGE(prometheus.log(), scraped(R"(up{job="tim-scim"} == 1)"));
        CPPUNIT_ASSERT(scraped(
            R"(tim_scim_request_duration_seconds_count{endpoint="Users",method="POST",status="201"} == 1)"));
        CPPUNIT_ASSERT(scraped(R"(tim_scim_request_duration_seconds_bucket{le="+Inf"})"));
        CPPUNIT_ASSERT(scraped("tim_scim_db_pool_capacity > 0"));
        CPPUNIT_ASSERT(scraped("tim_scim_purge_last_completed_timestamp_seconds"));
        // One series per token: the ScimClient's (no label) and the metrics token expire in a
        // year (jwtAccessTokenExpirationTimeScim).
        CPPUNIT_ASSERT(scraped(
            R"(count(tim_scim_token_expiry_timestamp_seconds{label=""} - time() > 300 * 86400) == 2)"));
        // Entra's token, labelled, made with a 7-day lifetime (the same database under another
        // tim.properties), and a newer year-long one of another client: the alert watches
        // Entra's, which the newer one must not hide.
        const std::string shortLived = host.directory() + "/short-lived.properties";
        Poco::File(host.configFile()).copyTo(shortLived);
        {
            Poco::FileOutputStream out(shortLived, std::ios::app);
            out << "jwtAccessTokenExpirationTimeScim = 7d\n";
        }
        std::string out;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(err, 0,
                                     host.run({"--config=" + shortLived,
                                               "--command=scim.token.generate", "--label", "entra"},
                                              out, err));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(
            err, 0, host.runCommand("scim.token.generate", {"--label", "okta"}, out, err));
        CPPUNIT_ASSERT(scraped(
            R"(tim_scim_token_expiry_timestamp_seconds{label="entra",scope="provisioning"} - time() < 8 * 86400)"));
        // Every rule of the docs' file is loaded and evaluates ("ok"), and none fires.
        const auto rulesHealthy = [&] {
            const auto data = prometheus.api("rules");
            if (data.isEmpty()) {
                return false;
            }
            const auto groups = data.extract<Object::Ptr>()->getArray("groups");
            std::size_t healthy = 0;
            for (std::size_t g = 0; g < groups->size(); ++g) {
                const auto rules = groups->getObject(static_cast<unsigned>(g))->getArray("rules");
                for (std::size_t r = 0; r < rules->size(); ++r) {
                    const auto rule = rules->getObject(static_cast<unsigned>(r));
                    // The token rule is pending (for: 1h) for Entra's token and no other.
                    const bool tokenRule =
                        rule->getValue<std::string>("name") == "TimScimTokenExpiringSoon";
                    if (rule->getValue<std::string>("health") == "ok" &&
                        rule->getValue<std::string>("state") ==
                            (tokenRule ? "pending" : "inactive") &&
                        (!tokenRule || pendingLabels(rule) == "entra")) {
                        ++healthy;
                    }
                }
            }
            return healthy == 5;
        };
        CPPUNIT_ASSERT_MESSAGE(prometheus.log(), testing::eventually(rulesHealthy, 30000));

        // The Grafana dashboard: every panel's query is valid PromQL here, and every series it
        // names is scraped (a misspelt name would draw an empty panel, not an error).
        const auto dashboard = Poco::JSON::Parser()
                                   .parse(testing::readSourceFile("docs/grafana-tim-scim.json"))
                                   .extract<Object::Ptr>();
        const auto panels = dashboard->getArray("panels");
        CPPUNIT_ASSERT(panels->size() >= 8);
        const std::regex metric("tim_scim_[a-z_]+");
        std::size_t queries = 0;
        for (std::size_t p = 0; p < panels->size(); ++p) {
            const auto targets = panels->getObject(static_cast<unsigned>(p))->getArray("targets");
            for (std::size_t t = 0; t < targets->size(); ++t) {
                const auto expr =
                    targets->getObject(static_cast<unsigned>(t))->getValue<std::string>("expr");
                std::string encoded;
                Poco::URI::encode(expr, "+&=#[]{}\"~!*()", encoded);
                CPPUNIT_ASSERT_MESSAGE(expr, !prometheus.api("query?query=" + encoded).isEmpty());
                for (std::sregex_iterator it(expr.begin(), expr.end(), metric), end; it != end;
                     ++it) {
                    const std::string name =
                        std::regex_replace(it->str(), std::regex("_(bucket|count|sum)$"), "");
                    CPPUNIT_ASSERT_MESSAGE(expr, scraped("count({__name__=~\"" + name +
                                                         "(_bucket|_count|_sum)?\"}) > 0"));
                }
                ++queries;
            }
        }
        CPPUNIT_ASSERT(queries >= 9);
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(PrometheusScrapeTest, "PrometheusScrapeTest");
