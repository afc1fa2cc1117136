// The deployment the docs show: nginx (Debian's) terminating TLS with docs/nginx-tim-scim.conf
// in front of timhost, and a client that verifies the certificate running Entra's requests
// through it. meta.location carries the public https URL.
#include "support/HostProcess.h"
#include "support/SourceFiles.h"
#include "support/TestCertificates.h"
#include "support/TestDatabases.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/AcceptCertificateHandler.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <cppunit/extensions/HelperMacros.h>

#include <unistd.h>

#include <fstream>
#include <memory>

using testing::HostProcess;

namespace {

// nginx in the foreground with the docs' server block, its files in a private directory.
class Nginx {
  public:
    Nginx(const testing::Certificates& certificates, int upstreamPort)
        : _dir(testing::temporaryDirectory("nginx-")), _port(HostProcess::freePort()) {
        const std::string file = "docs/nginx-tim-scim.conf";
        std::string server = testing::readSourceFile(file);
        const auto edit = [&](const std::string& from, const std::string& to) {
            testing::replaceInDoc(server, from, to, file);
        };
        edit("listen 443 ssl;", "listen 127.0.0.1:" + std::to_string(_port) + " ssl;");
        edit("server_name tim.example.com;", "server_name localhost;");
        edit("/etc/ssl/tim/fullchain.pem", certificates.chain);
        edit("/etc/ssl/tim/privkey.pem", certificates.key);
        edit("http://127.0.0.1:8080", "http://127.0.0.1:" + std::to_string(upstreamPort));
        // Workers stay root under root: the private directory is closed to nginx's own user.
        std::ofstream(_dir + "/nginx.conf")
            << (geteuid() == 0 ? "user root;\n" : "") << "worker_processes 1;\n"
            << "pid " << _dir << "/nginx.pid;\n"
            << "error_log " << _dir << "/error.log warn;\n"
            << "events { worker_connections 64; }\n"
            << "http {\n  access_log off;\n"
            << "  client_body_temp_path " << _dir << "/body;\n"
            << "  proxy_temp_path " << _dir << "/proxy;\n"
            << "  fastcgi_temp_path " << _dir << "/fastcgi;\n"
            << "  uwsgi_temp_path " << _dir << "/uwsgi;\n"
            << "  scgi_temp_path " << _dir << "/scgi;\n"
            << server << "}\n";
        _process = std::make_unique<Poco::ProcessHandle>(
            Poco::Process::launch("nginx", {"-e", _dir + "/error.log", "-p", _dir, "-c",
                                            _dir + "/nginx.conf", "-g", "daemon off;"}));
        const bool listening = testing::eventually([&] {
            try {
                Poco::Net::StreamSocket probe;
                probe.connect(
                    Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(_port)));
                return true;
            } catch (const Poco::Exception&) {
                return false;
            }
        });
        CPPUNIT_ASSERT_MESSAGE(log(), listening);
    }

    ~Nginx() {
        Poco::Process::requestTermination(_process->id());
        _process->wait();
    }

    int port() const { return _port; }

    std::string log() const { return testing::readFile(_dir + "/error.log"); }

  private:
    std::string _dir;
    int _port;
    std::unique_ptr<Poco::ProcessHandle> _process;
};

Poco::JSON::Object::Ptr json(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

// An HTTPS client that trusts only `caFile` and checks the server's name, as Entra checks a
// public certificate.
class VerifyingClient {
  public:
    VerifyingClient(const std::string& caFile, int port, std::string token)
        : _context(new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", caFile,
                                          Poco::Net::Context::VERIFY_STRICT)),
          _port(port),
          _token(std::move(token)) {}

    testing::HttpResult operator()(const std::string& method, const std::string& path,
                                   const std::string& body = "") const {
        Poco::Net::HTTPSClientSession session("localhost", static_cast<Poco::UInt16>(_port),
                                              _context);
        Poco::Net::HTTPRequest request(method, "/tim/api/scim" + path,
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("Authorization", "Bearer " + _token);
        if (!body.empty()) {
            request.setContentType("application/scim+json");
            request.setContentLength(static_cast<std::streamsize>(body.size()));
        }
        session.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        testing::HttpResult result;
        result.status = static_cast<int>(response.getStatus());
        Poco::StreamCopier::copyToString(in, result.body);
        return result;
    }

  private:
    Poco::Net::Context::Ptr _context;
    int _port;
    std::string _token;
};

}  // namespace

class ReverseProxyTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ReverseProxyTest);
    CPPUNIT_TEST(entraProvisionsThroughNginxOverVerifiedTls);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override {
        // No certificate is ever accepted against the client's own verdict.
        Poco::Net::SSLManager::instance().initializeClient(
            nullptr, new Poco::Net::RejectCertificateHandler(false), nullptr);
    }

    void entraProvisionsThroughNginxOverVerifiedTls() {
        const testing::Certificates certificates;
        HostProcess host({"tim-scim"}, {{"http.trustedProxies", "127.0.0.1"}});
        host.start();
        const Nginx nginx(certificates, host.port());
        const VerifyingClient entra(certificates.ca, nginx.port(), host.generateToken());
        const std::string base =
            "https://localhost:" + std::to_string(nginx.port()) + "/tim/api/scim";

        const auto created =
            entra("POST", "/Users",
                  R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"externalId":"e-1",)"
                  R"("userName":"ada@example.com","active":true,"emails":[{"primary":true,)"
                  R"("type":"work","value":"ada@example.com"}],"name":{"givenName":"Ada"}})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body + nginx.log(), 201, created.status);
        const auto user = json(created.body);
        const std::string id = user->getValue<std::string>("id");
        CPPUNIT_ASSERT_EQUAL(base + "/Users/" + id,
                             user->getObject("meta")->getValue<std::string>("location"));

        const auto found = entra("GET", "/Users?filter=userName+eq+%22ada%40example.com%22");
        CPPUNIT_ASSERT_EQUAL(200, found.status);
        CPPUNIT_ASSERT_EQUAL(1, json(found.body)->getValue<int>("totalResults"));

        const auto patched =
            entra("PATCH", "/Users/" + id,
                  R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],)"
                  R"("Operations":[{"op":"Replace","path":"active","value":"False"}]})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(patched.body, 200, patched.status);
        CPPUNIT_ASSERT(!json(patched.body)->getValue<bool>("active"));

        const auto group = entra("POST", "/Groups",
                                 R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],)"
                                 R"("displayName":"role.processmanager","members":[{"value":")" +
                                     id + "\"}]}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(group.body, 201, group.status);
        const std::string groupId = json(group.body)->getValue<std::string>("id");
        CPPUNIT_ASSERT_EQUAL(
            base + "/Groups/" + groupId,
            json(group.body)->getObject("meta")->getValue<std::string>("location"));

        CPPUNIT_ASSERT_EQUAL(204, entra("DELETE", "/Users/" + id).status);
        CPPUNIT_ASSERT_EQUAL(404, entra("GET", "/Users/" + id).status);

        // The client checks the chain: one that trusts another authority is refused.
        const testing::Certificates other;
        const VerifyingClient stranger(other.ca, nginx.port(), "unused");
        CPPUNIT_ASSERT_THROW(stranger("GET", "/ServiceProviderConfig"), Poco::Exception);
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(ReverseProxyTest, "ReverseProxyTest");
