// Replays a request/response fixture (tests/fixtures/**.json) against a running host.
//
// A fixture is a JSON array of steps:
//   {"name": "...", "method": "GET", "path": "/Users?filter=...", "body": {...} | "raw text",
//    "headers": {...}, "status": 200, "expect": {...}, "save": {"var": "/json/pointer"},
//    "expectHeaders": {"etag": "${any}"}, "saveHeaders": {"var": "etag"}}
// Paths are below the SCIM base path. "${var}" in a path, body, header or expectation is
// replaced by a value saved earlier; "${any}" in an expectation matches any value. "expect" is
// a subset match: every member it names must be present and equal (objects recursively,
// arrays element by element and of the same length); "absent": ["a", "b"] names members that
// must not be there.
#pragma once

#include "HostProcess.h"

#include <map>
#include <string>

namespace testing {

class FixtureReplay {
  public:
    FixtureReplay(const HostProcess& host, std::string basePath, std::string token)
        : _host(host), _basePath(std::move(basePath)), _token(std::move(token)) {}

    // Runs every step of the fixture file; throws CppUnit assertion failures naming the step.
    void run(const std::string& fixtureFile);

    const std::map<std::string, std::string>& variables() const { return _variables; }

  private:
    const HostProcess& _host;
    const std::string _basePath;
    const std::string _token;
    std::map<std::string, std::string> _variables;
};

// The fixture directory (TIM_TEST_FIXTURES).
std::string fixturePath(const std::string& relative);

}  // namespace testing
