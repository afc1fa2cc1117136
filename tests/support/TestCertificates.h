// A private certificate authority and a server certificate it signed, made with the openssl
// command line for the tests of TLS (timhost's own, and nginx's in front of it).
#pragma once

#include <string>
#include <vector>

namespace testing {

// Runs openssl with `args` in `dir`, an empty stdin; returns its exit code, its output in `out`.
int openssl(const std::vector<std::string>& args, const std::string& dir, std::string& out);
int openssl(const std::vector<std::string>& args, const std::string& dir);

// In a new temporary directory: ca.pem (the authority), server.pem for localhost and
// 127.0.0.1 (subjectAltName, as clients check it), server.key, and chain.pem (both).
struct Certificates {
    std::string dir;
    std::string ca;
    std::string chain;
    std::string key;

    Certificates();
};

}  // namespace testing
