// CppUnit runner shared by the test executables: `runner [SuiteName...]` runs the named
// suites (all when none is named) and prints "N passed, N failed".
#include <cppunit/BriefTestProgressListener.h>
#include <cppunit/CompilerOutputter.h>
#include <cppunit/TestResult.h>
#include <cppunit/TestResultCollector.h>
#include <cppunit/TestRunner.h>
#include <cppunit/extensions/TestFactoryRegistry.h>

#include <iostream>

int main(int argc, char** argv) {
    CppUnit::TestRunner runner;
    if (argc < 2) {
        runner.addTest(CppUnit::TestFactoryRegistry::getRegistry().makeTest());
    }
    for (int i = 1; i < argc; ++i) {
        runner.addTest(CppUnit::TestFactoryRegistry::getRegistry(argv[i]).makeTest());
    }
    CppUnit::TestResult controller;
    CppUnit::TestResultCollector result;
    controller.addListener(&result);
    CppUnit::BriefTestProgressListener progress;
    controller.addListener(&progress);
    runner.run(controller);

    CppUnit::CompilerOutputter(&result, std::cerr).write();
    const int failed = result.testFailuresTotal();
    const int total = result.runTests();
    std::cout << (total - failed) << " passed, " << failed << " failed" << std::endl;
    return failed == 0 && total > 0 ? 0 : 1;
}
