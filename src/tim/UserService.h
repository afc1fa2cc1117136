// TIM's use cases on the users SCIM provisions: create (or bind, revive, recycle), replace,
// patch and delete, and the accounts TIM's own UI creates. Each is one transaction of
// port::AccountTransactions: the binding rule decides, the credential rule refuses a password
// SCIM may not set (the refusal audited), and a password is hashed here only, after every check
// and outside any transaction. The reads go to the store as they are.
#pragma once

#include "AccountService.h"

#include "port/AccountTransactions.h"
#include "port/UserStore.h"

#include <exception>
#include <optional>
#include <string>
#include <vector>

namespace tim {

class UserService : public port::UserStore {
  public:
    UserService(port::AccountTransactions& transactions, port::UserReads& reads,
                const AccountService& rules)
        : _transactions(transactions), _reads(reads), _rules(rules) {}

    port::CreateResult createOrBind(const Poco::JSON::Object::Ptr& doc,
                                    const std::optional<std::string>& password) override;
    std::string createLocal(const std::string& userName, const std::string& email,
                            const std::vector<std::string>& roles) override;
    port::UserRecord replace(const std::string& id, const Poco::JSON::Object::Ptr& doc,
                             const std::optional<std::string>& password,
                             std::optional<Poco::Int64> expectedVersion) override;
    port::UserRecord patch(const std::string& id, const port::ChangeUser& change,
                           std::optional<Poco::Int64> expectedVersion) override;
    bool remove(const std::string& id, std::optional<Poco::Int64> expectedVersion) override;

    std::optional<port::UserRecord> find(const std::string& id) override;
    port::UserPage query(const port::UserQuery& query, const port::RenderUser& render) override;
    std::map<std::string, std::string> displayNamesOf(const std::vector<std::string>& ids) override;

  private:
    // The decision for a create of `row` in `tx`: a refusal is thrown, or (a protected account)
    // audited and returned to be thrown once the run committed; so is a password the credential
    // rule does not let it set (`setsPassword`).
    port::BindDecision decideCreate(port::AccountTransaction& tx, const port::UserRow& row,
                                    bool setsPassword,
                                    std::vector<port::AccountCandidate>& candidates,
                                    std::exception_ptr& refusal) const;
    // The refusal (audited in `tx`) of a password on account `id`, or null when SCIM may set it.
    std::exception_ptr refusePassword(port::AccountTransaction& tx, const std::string& id,
                                      const Poco::Nullable<std::string>& externalId) const;
    // Runs `work` and then throws the refusal it recorded, once its audit is committed.
    void runRefusable(
        const std::function<void(port::AccountTransaction&, std::exception_ptr&)>& work);

    port::AccountTransactions& _transactions;
    port::UserReads& _reads;
    const AccountService& _rules;
};

}  // namespace tim
