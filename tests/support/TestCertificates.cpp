#include "TestCertificates.h"

#include "TestDatabases.h"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <cppunit/TestAssert.h>

#include <fstream>

namespace testing {

int openssl(const std::vector<std::string>& args, const std::string& dir, std::string& out) {
    Poco::Pipe in;
    Poco::Pipe output;
    Poco::ProcessHandle process =
        Poco::Process::launch("openssl", args, dir, &in, &output, &output);
    in.close(Poco::Pipe::CLOSE_WRITE);
    Poco::PipeInputStream stream(output);
    out.clear();
    Poco::StreamCopier::copyToString(stream, out);
    return process.wait();
}

int openssl(const std::vector<std::string>& args, const std::string& dir) {
    std::string ignored;
    return openssl(args, dir, ignored);
}

Certificates::Certificates()
    : dir(temporaryDirectory("tls-")),
      ca(dir + "/ca.pem"),
      chain(dir + "/chain.pem"),
      key(dir + "/server.key") {
    const auto run = [&](const std::vector<std::string>& args) {
        std::string out;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, openssl(args, dir, out));
    };
    run({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=Test CA",
         "-keyout", "ca.key", "-out", "ca.pem"});
    run({"req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-addext",
         "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", "server.key", "-out",
         "server.csr"});
    run({"x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
         "-CAcreateserial", "-copy_extensions", "copyall", "-days", "1", "-out", "server.pem"});
    std::ofstream(chain) << std::ifstream(dir + "/server.pem").rdbuf() << std::ifstream(ca).rdbuf();
}

}  // namespace testing
