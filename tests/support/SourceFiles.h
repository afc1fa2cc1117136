// The repository's own files (manifest.json, the README, the docs), for the tests that hold
// the code and its documentation to each other.
#pragma once

#include <Poco/FileStream.h>
#include <Poco/StreamCopier.h>

#include <string>

namespace testing {

// `relative` below the source tree (TIM_SOURCE_DIR), whole.
inline std::string readSourceFile(const std::string& relative) {
    Poco::FileInputStream in(std::string(TIM_SOURCE_DIR) + "/" + relative);
    std::string text;
    Poco::StreamCopier::copyToString(in, text);
    return text;
}

}  // namespace testing
