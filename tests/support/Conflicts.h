// Checks that each write fails with 409 and a detail naming what it collided with.
#pragma once

#include "scim/ScimError.h"

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
        } catch (const scim::ScimError& e) {
            CPPUNIT_ASSERT_EQUAL(409, e.status());
            CPPUNIT_ASSERT_MESSAGE(e.detail(), e.detail().find(expected) != std::string::npos);
        }
    }
}

}  // namespace testing
