// Checks that each write fails with 409 and a detail naming what it collided with.
#pragma once

#include "port/StoreErrors.h"

#include <cppunit/extensions/HelperMacros.h>

#include <functional>
#include <string>
#include <vector>

namespace testing {

inline void assertEachConflictNames(const std::vector<std::function<void()>>& collisions,
                                    const std::string& expected) {
    for (const auto& collide : collisions) {
        try {
            collide();
            CPPUNIT_FAIL("no conflict");
        } catch (const port::Conflict& e) {
            const std::string detail = e.what();
            CPPUNIT_ASSERT(e.kind() == port::Conflict::Kind::Uniqueness);
            CPPUNIT_ASSERT_MESSAGE(detail, detail.find(expected) != std::string::npos);
        }
    }
}

}  // namespace testing
