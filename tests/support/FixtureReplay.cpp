#include "FixtureReplay.h"

#include <Poco/Environment.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

#include <cppunit/extensions/HelperMacros.h>

#include <sstream>

namespace testing {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

bool isObject(const Var& v) {
    return v.type() == typeid(Object::Ptr);
}
bool isArray(const Var& v) {
    return v.type() == typeid(Array::Ptr);
}

std::string text(const Var& value) {
    if (isObject(value) || isArray(value)) {
        std::ostringstream out;
        Poco::JSON::Stringifier::condense(value, out);
        return out.str();
    }
    return value.convert<std::string>();
}

std::string substitute(std::string input, const std::map<std::string, std::string>& variables) {
    for (const auto& v : variables) {
        Poco::replaceInPlace(input, "${" + v.first + "}", v.second);
    }
    return input;
}

// Where `expected` is not a subset of `actual`: a JSON path, or "" when it is.
std::string mismatch(const Var& expected, const Var& actual, const std::string& where) {
    if (expected.isString() && expected.extract<std::string>() == "${any}") {
        return actual.isEmpty() ? where + " is missing" : "";
    }
    if (isObject(expected)) {
        if (!isObject(actual)) {
            return where + " is not an object";
        }
        const auto e = expected.extract<Object::Ptr>();
        const auto a = actual.extract<Object::Ptr>();
        for (const auto& member : *e) {
            if (member.first == "absent" && isArray(member.second)) {
                const auto names = member.second.extract<Array::Ptr>();
                for (std::size_t i = 0; i < names->size(); ++i) {
                    const std::string name =
                        names->getElement<std::string>(static_cast<unsigned>(i));
                    if (a->has(name)) {
                        return where + "/" + name + " should be absent";
                    }
                }
                continue;
            }
            if (!a->has(member.first)) {
                return where + "/" + member.first + " is missing";
            }
            const std::string inner =
                mismatch(member.second, a->get(member.first), where + "/" + member.first);
            if (!inner.empty()) {
                return inner;
            }
        }
        return "";
    }
    if (isArray(expected)) {
        if (!isArray(actual)) {
            return where + " is not an array";
        }
        const auto e = expected.extract<Array::Ptr>();
        const auto a = actual.extract<Array::Ptr>();
        if (e->size() != a->size()) {
            return where + " has " + std::to_string(a->size()) + " elements, expected " +
                   std::to_string(e->size());
        }
        for (std::size_t i = 0; i < e->size(); ++i) {
            const std::string inner =
                mismatch(e->get(static_cast<unsigned>(i)), a->get(static_cast<unsigned>(i)),
                         where + "/" + std::to_string(i));
            if (!inner.empty()) {
                return inner;
            }
        }
        return "";
    }
    if (expected.isEmpty()) {
        return actual.isEmpty() ? "" : where + " should be null";
    }
    if (actual.isEmpty() ||
        (expected.type() != actual.type() && !(expected.isNumeric() && actual.isNumeric()))) {
        return where + " is " + (actual.isEmpty() ? "missing" : text(actual)) + ", expected " +
               text(expected);
    }
    return text(expected) == text(actual)
               ? ""
               : where + " is " + text(actual) + ", expected " + text(expected);
}

Var pointer(const Var& document, const std::string& path) {
    Var current = document;
    std::size_t start = 1;
    while (start <= path.size() && !current.isEmpty()) {
        const auto end = path.find('/', start);
        const std::string token =
            path.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (isObject(current)) {
            current = current.extract<Object::Ptr>()->get(token);
        } else if (isArray(current)) {
            current = current.extract<Array::Ptr>()->get(static_cast<unsigned>(std::stoul(token)));
        } else {
            return Var();
        }
        if (end == std::string::npos) {
            break;
        }
        start = end + 1;
    }
    return current;
}

}  // namespace

std::string fixturePath(const std::string& relative) {
    return HostProcess::environment("TIM_TEST_FIXTURES") + "/" + relative;
}

void FixtureReplay::run(const std::string& fixtureFile) {
    std::string raw;
    {
        Poco::FileInputStream in(fixturePath(fixtureFile));
        Poco::StreamCopier::copyToString(in, raw);
    }
    const auto steps = Poco::JSON::Parser().parse(raw).extract<Array::Ptr>();
    for (std::size_t i = 0; i < steps->size(); ++i) {
        const auto step = steps->getObject(static_cast<unsigned>(i));
        const std::string name = fixtureFile + " step " + std::to_string(i + 1) + " (" +
                                 step->optValue<std::string>("name", "") + ")";
        std::map<std::string, std::string> headers = {{"Authorization", "Bearer " + _token}};
        if (step->has("headers")) {
            for (const auto& h : *step->getObject("headers")) {
                headers[h.first] = substitute(h.second.convert<std::string>(), _variables);
            }
        }
        std::string body;
        if (step->has("body")) {
            const Var b = step->get("body");
            body = substitute(b.isString() ? b.extract<std::string>() : text(b), _variables);
            if (!headers.count("Content-Type")) {
                headers["Content-Type"] = "application/scim+json; charset=utf-8";
            }
        }
        const auto result = _host.request(
            step->getValue<std::string>("method"),
            _basePath + substitute(step->getValue<std::string>("path"), _variables), body, headers);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(name + ": " + result.body, step->getValue<int>("status"),
                                     result.status);
        Var actual;
        if (!result.body.empty()) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, std::string("application/scim+json"),
                                         result.header("content-type"));
            actual = Poco::JSON::Parser().parse(result.body);
        }
        if (step->has("expect")) {
            const Var expected =
                Poco::JSON::Parser().parse(substitute(text(step->get("expect")), _variables));
            const std::string problem = mismatch(expected, actual, "");
            CPPUNIT_ASSERT_MESSAGE(name + ": " + problem + "\nresponse: " + result.body,
                                   problem.empty());
        }
        if (step->has("expectHeaders")) {
            for (const auto& h : *step->getObject("expectHeaders")) {
                const std::string expected =
                    substitute(h.second.convert<std::string>(), _variables);
                const std::string got = result.header(Poco::toLower(h.first));
                CPPUNIT_ASSERT_MESSAGE(name + ": header " + h.first + " is \"" + got + "\"",
                                       expected == "${any}" ? !got.empty() : got == expected);
            }
        }
        if (step->has("saveHeaders")) {
            for (const auto& s : *step->getObject("saveHeaders")) {
                _variables[s.first] = result.header(Poco::toLower(s.second.convert<std::string>()));
            }
        }
        if (step->has("save")) {
            for (const auto& s : *step->getObject("save")) {
                const Var value = pointer(actual, s.second.convert<std::string>());
                CPPUNIT_ASSERT_MESSAGE(name + ": nothing at " + s.second.convert<std::string>(),
                                       !value.isEmpty());
                _variables[s.first] = text(value);
            }
        }
    }
}

}  // namespace testing
