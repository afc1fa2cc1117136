// The host's route table: segment-boundary prefix matching, longest prefix, methods.
#include "PluginRegistry.h"

#include <cppunit/extensions/HelperMacros.h>

namespace {

tim_status noop(void*, tim_http_exchange*) {
    return TIM_OK;
}

timhost::Route route(const std::string& prefix, std::uint32_t methods = TIM_HTTP_ANY) {
    return timhost::Route{"p", prefix, methods, noop, nullptr};
}

}  // namespace

class HostRoutingTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HostRoutingTest);
    CPPUNIT_TEST(matchesOnSegmentBoundariesOnly);
    CPPUNIT_TEST(normalisesRegisteredPrefixes);
    CPPUNIT_TEST(longestPrefixWins);
    CPPUNIT_TEST(refusesDuplicatesAndBadRoutes);
    CPPUNIT_TEST(removesEverythingOfAFailedPlugin);
    CPPUNIT_TEST(mapsMethods);
    CPPUNIT_TEST_SUITE_END();

  public:
    void matchesOnSegmentBoundariesOnly() {
        struct Case {
            const char* path;
            bool matches;
        } cases[] = {
            {"/tim/api/scim", true},
            {"/tim/api/scim/", true},
            {"/tim/api/scim/Users", true},
            {"/tim/api/scim/v2/Users/1", true},
            {"/tim/api/scimx", false},
            {"/tim/api/sci", false},
            {"/tim/api", false},
            {"/TIM/api/scim", false},
            {"", false},
            {"/tim/api/scim2/Users", false},
        };
        for (const auto& c : cases) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.path, c.matches,
                                         timhost::pathMatchesPrefix(c.path, "/tim/api/scim"));
        }
        CPPUNIT_ASSERT(timhost::pathMatchesPrefix("/anything", "/"));
    }

    void normalisesRegisteredPrefixes() {
        CPPUNIT_ASSERT_EQUAL(std::string("/a/b"), timhost::normalisePrefix("/a/b/"));
        CPPUNIT_ASSERT_EQUAL(std::string("/"), timhost::normalisePrefix("/"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), timhost::normalisePrefix("a/b"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), timhost::normalisePrefix("/a?b"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), timhost::normalisePrefix(""));
    }

    void longestPrefixWins() {
        timhost::PluginRegistry registry;
        CPPUNIT_ASSERT_EQUAL(TIM_OK, registry.addRoute(route("/echo")));
        CPPUNIT_ASSERT_EQUAL(TIM_OK, registry.addRoute(route("/echo/slow")));
        CPPUNIT_ASSERT_EQUAL(std::string("/echo/slow"),
                             registry.matchRoute("/echo/slow/x")->prefix);
        CPPUNIT_ASSERT_EQUAL(std::string("/echo"), registry.matchRoute("/echo/slowly")->prefix);
        CPPUNIT_ASSERT(registry.matchRoute("/other") == nullptr);
    }

    void refusesDuplicatesAndBadRoutes() {
        timhost::PluginRegistry registry;
        CPPUNIT_ASSERT_EQUAL(TIM_OK, registry.addRoute(route("/a")));
        CPPUNIT_ASSERT_EQUAL(TIM_ERR_CONFLICT, registry.addRoute(route("/a/")));
        CPPUNIT_ASSERT_EQUAL(TIM_ERR_INVALID_ARGUMENT, registry.addRoute(route("relative")));
        CPPUNIT_ASSERT_EQUAL(TIM_ERR_INVALID_ARGUMENT, registry.addRoute(route("/b", 0)));
        timhost::Route noHandler = route("/c");
        noHandler.handle = nullptr;
        CPPUNIT_ASSERT_EQUAL(TIM_ERR_INVALID_ARGUMENT, registry.addRoute(noHandler));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), registry.routes().size());
    }

    void removesEverythingOfAFailedPlugin() {
        timhost::PluginRegistry registry;
        registry.addRoute(route("/a"));
        timhost::Route other = route("/b");
        other.pluginName = "other";
        registry.addRoute(other);
        registry.addCommand(timhost::Command{
            "p", "p.cmd", "",
            [](void*, int, const char* const*, tim_command_output*) { return TIM_OK; }, nullptr});
        registry.removePlugin("p");
        CPPUNIT_ASSERT(registry.matchRoute("/a") == nullptr);
        CPPUNIT_ASSERT(registry.matchRoute("/b") != nullptr);
        CPPUNIT_ASSERT(registry.findCommand("p.cmd") == nullptr);
    }

    void mapsMethods() {
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(TIM_HTTP_PATCH), timhost::methodBit("PATCH"));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(0), timhost::methodBit("patch"));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(0), timhost::methodBit("TRACE"));
        CPPUNIT_ASSERT_EQUAL(std::string("GET, POST"),
                             timhost::allowHeader(TIM_HTTP_GET | TIM_HTTP_POST));
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(HostRoutingTest, "HostRoutingTest");
