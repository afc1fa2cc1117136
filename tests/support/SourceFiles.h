// The repository's own files (manifest.json, the README, the docs), for the tests that hold
// the code and its documentation to each other, and run the configurations the docs show.
#pragma once

#include <Poco/FileStream.h>
#include <Poco/StreamCopier.h>

#include <cppunit/TestAssert.h>

#include <string>

namespace testing {

// A file, whole ("" when it cannot be read: a log not written yet).
inline std::string readFile(const std::string& path) {
    try {
        Poco::FileInputStream in(path);
        std::string text;
        Poco::StreamCopier::copyToString(in, text);
        return text;
    } catch (const Poco::Exception&) {
        return "";
    }
}

// `relative` below the source tree (TIM_SOURCE_DIR), whole.
inline std::string readSourceFile(const std::string& relative) {
    Poco::FileInputStream in(std::string(TIM_SOURCE_DIR) + "/" + relative);
    std::string text;
    Poco::StreamCopier::copyToString(in, text);
    return text;
}

// Replaces the first `from` in `text`, a copy of the docs' `file`, which must hold it: the
// file changed shape otherwise, and the test would no longer run what it shows.
inline void replaceInDoc(std::string& text, const std::string& from, const std::string& to,
                         const std::string& file) {
    const auto at = text.find(from);
    CPPUNIT_ASSERT_MESSAGE(file + " lacks " + from, at != std::string::npos);
    text.replace(at, from.size(), to);
}

}  // namespace testing
