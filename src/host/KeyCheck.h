// tim.properties is TIM's whole file: keys of other components are allowed, but a key in the
// namespaces this host and its plugins own that nothing reads is a mistake worth a warning.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace timhost {

struct UnknownKey {
    std::string key;
    std::string closest;  // the known key nearest to it (edit distance, any case)
};

// The keys of `fileKeys` that lie in our namespaces (scim., http., plugin., log., data., and
// the seed's jwtAccessTokenExpirationTimeScim and initpass-x-others in any spelling close to
// them) and are not in `known`, in file order.
std::vector<UnknownKey> unknownKeys(const std::vector<std::string>& fileKeys,
                                    const std::set<std::string>& known);

// One line per unknown key, for the log and for config.check.
std::string describe(const UnknownKey& unknown);

}  // namespace timhost
