// role.<name> group names (the guide: prefix and name case-insensitive).
#include "tim/Roles.h"

#include <cppunit/extensions/HelperMacros.h>

class RolesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RolesTest);
    CPPUNIT_TEST(readsTheRoleOfRoleGroups);
    CPPUNIT_TEST_SUITE_END();

  public:
    void readsTheRoleOfRoleGroups() {
        const std::pair<const char*, const char*> roles[] = {
            {"role.workflow-designer", "workflow-designer"},
            {"Role.Processmanager", "Processmanager"},
            {"ROLE.system", "system"},
            {"  role.abc  ", "abc"},
            {"role.a.b", "a.b"},
        };
        for (const auto& r : roles) {
            const auto name = tim::roleNameOf(r.first);
            CPPUNIT_ASSERT_MESSAGE(r.first, name.has_value());
            CPPUNIT_ASSERT_EQUAL(std::string(r.second), *name);
        }
        for (const char* plain :
             {"Sales", "role.", "role", "roles.admin", "xrole.admin", "", "role-admin"}) {
            CPPUNIT_ASSERT_MESSAGE(plain, !tim::roleNameOf(plain).has_value());
        }
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(RolesTest, "RolesTest");
