// A strict reader of Prometheus' text format (0.0.4), enough to check what the plugin serves:
// every sample belongs to a family declared by # TYPE before it, names and labels are well
// formed, values are numbers, and each histogram series has ascending cumulative buckets whose
// +Inf bucket equals its _count. Throws std::runtime_error naming the first offending line.
#pragma once

#include <Poco/NumberParser.h>

#include <cmath>
#include <limits>
#include <map>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>

namespace testing {

class PrometheusText {
  public:
    explicit PrometheusText(const std::string& text) {
        static const std::regex type(
            R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram))");
        static const std::regex help(R"(# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .+)");
        static const std::regex sample(
            R"re(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{((?:[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*",?)*)\})? (\S+))re");
        std::istringstream lines(text);
        std::string line;
        std::map<std::string, std::string> types;
        while (std::getline(lines, line)) {
            std::smatch m;
            if (std::regex_match(line, m, type)) {
                types[m[1]] = m[2];
            } else if (std::regex_match(line, help)) {
                continue;
            } else if (std::regex_match(line, m, sample)) {
                const std::string name = m[1];
                double value = 0;
                if (!Poco::NumberParser::tryParseFloat(m[4], value) && m[4] != "+Inf") {
                    throw std::runtime_error("not a number: " + line);
                }
                if (!types.count(familyOf(name, types))) {
                    throw std::runtime_error("no # TYPE before: " + line);
                }
                _samples[name + "{" + std::string(m[3]) + "}"] = value;
            } else {
                throw std::runtime_error("not Prometheus text: " + line);
            }
        }
        checkHistograms(types);
    }

    // The value of `name{labels}` (labels exactly as written), or throws.
    double value(const std::string& series) const {
        const auto found = _samples.find(series);
        if (found == _samples.end()) {
            throw std::runtime_error("no sample " + series);
        }
        return found->second;
    }
    bool has(const std::string& series) const { return _samples.count(series) > 0; }

  private:
    static std::string familyOf(const std::string& name,
                                const std::map<std::string, std::string>& types) {
        for (const char* suffix : {"_bucket", "_sum", "_count"}) {
            const std::string s = suffix;
            if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0 &&
                types.count(name.substr(0, name.size() - s.size()))) {
                return name.substr(0, name.size() - s.size());
            }
        }
        return name;
    }

    // Each histogram series: buckets cumulative (never fewer at a larger bound), and the
    // +Inf bucket equal to the series' _count.
    void checkHistograms(const std::map<std::string, std::string>& types) const {
        static const std::regex bucket(R"re((.*)_bucket\{(?:(.*),)?le="([^"]+)"\})re");
        std::map<std::string, std::map<double, double>> series;  // "family{labels}" -> le -> n
        for (const auto& [name, count] : _samples) {
            std::smatch m;
            if (std::regex_match(name, m, bucket) && types.count(m[1]) &&
                types.at(m[1]) == "histogram") {
                const double bound = m[3] == "+Inf" ? std::numeric_limits<double>::infinity()
                                                    : Poco::NumberParser::parseFloat(m[3]);
                series[std::string(m[1]) + "{" + std::string(m[2]) + "}"][bound] = count;
            }
        }
        for (const auto& [name, buckets] : series) {
            double previous = 0;
            for (const auto& [bound, cumulative] : buckets) {
                if (cumulative < previous) {
                    throw std::runtime_error("buckets of " + name + " are not cumulative");
                }
                previous = cumulative;
            }
            const auto brace = name.find('{');
            const std::string count = name.substr(0, brace) + "_count" + name.substr(brace);
            if (!std::isinf(buckets.rbegin()->first) || !has(count) ||
                value(count) != buckets.rbegin()->second) {
                throw std::runtime_error(name + " has no +Inf bucket equal to its _count");
            }
        }
    }

    std::map<std::string, double> _samples;
};

}  // namespace testing
