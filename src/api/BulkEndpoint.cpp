#include "BulkEndpoint.h"

#include "api/RequestSupport.h"
#include "scim/Json.h"
#include "scim/Representation.h"
#include "scim/ScimError.h"
#include "scim/Values.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <vector>

namespace api {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr const char* kBulkResponse = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";
const std::string kReference = "bulkId:";

// One entry of Operations, read.
struct Operation {
    std::string method;  // upper case
    std::string path;    // as sent: "/Users", "/Groups/bulkId:g1"
    std::string bulkId;
    std::optional<std::string> version;
    Object::Ptr data;
    std::set<std::string> references;  // the bulkIds it needs
    bool setsPassword = false;         // on a type whose writes may carry one, and does
    std::optional<scim::ScimError> refusal;
};

bool isReference(const std::string& text) {
    return text.size() > kReference.size() && text.compare(0, kReference.size(), kReference) == 0;
}

// Every "bulkId:x" string in `value`, at any depth.
void collectReferences(const Var& value, std::set<std::string>& references) {
    if (value.type() == typeid(Object::Ptr)) {
        for (const auto& member : *value.extract<Object::Ptr>()) {
            collectReferences(member.second, references);
        }
    } else if (value.type() == typeid(Array::Ptr)) {
        for (const auto& element : *value.extract<Array::Ptr>()) {
            collectReferences(element, references);
        }
    } else if (value.isString() && isReference(value.toString())) {
        references.insert(value.toString().substr(kReference.size()));
    }
}

// `value` with every reference replaced by the id its operation created.
Var resolved(const Var& value, const std::map<std::string, std::string>& ids) {
    if (value.type() == typeid(Object::Ptr)) {
        Object::Ptr copy = new Object;
        for (const auto& member : *value.extract<Object::Ptr>()) {
            copy->set(member.first, resolved(member.second, ids));
        }
        return copy;
    }
    if (value.type() == typeid(Array::Ptr)) {
        Array::Ptr copy = new Array;
        for (const auto& element : *value.extract<Array::Ptr>()) {
            copy->add(resolved(element, ids));
        }
        return copy;
    }
    if (value.isString() && isReference(value.toString())) {
        const auto id = ids.find(value.toString().substr(kReference.size()));
        return id == ids.end() ? value : Var(id->second);
    }
    return value;
}

std::string stringOf(const Object& op, const char* name) {
    const Var value = scim::json::memberOf(op, name);
    if (value.isEmpty()) {
        return "";
    }
    if (!value.isString()) {
        throw scim::badRequest("invalidValue", std::string(name) + " must be a string");
    }
    return value.toString();
}

// The path's collection and resource ("/Groups/bulkId:g1" -> "Groups", "bulkId:g1").
std::pair<std::string, std::string> splitPath(const std::string& path) {
    const auto slash = path.find('/', 1);
    return {path.substr(1, slash == std::string::npos ? std::string::npos : slash - 1),
            slash == std::string::npos ? "" : path.substr(slash + 1)};
}

// The collections an operation may address: "/Users or /Groups".
std::string addressable(const ServedResources& resources, const std::string& method) {
    std::vector<std::string> paths;
    for (const auto& row : resources.rows()) {
        if (row.bulk != InBulk::No) {
            paths.push_back(row.endpoint->type().endpoint);
        }
    }
    std::string text;
    for (std::size_t i = 0; i < paths.size(); ++i) {
        text += (i == 0 ? "" : i + 1 == paths.size() ? " or " : ", ") + paths[i];
    }
    if (paths.empty()) {
        return "nothing here";
    }
    return method == "POST" ? text : text + " and a resource, " + paths.front() + "/{id}";
}

Operation readOperation(const Var& entry, const ServedResources& resources) try {
    Operation op;
    if (entry.type() != typeid(Object::Ptr)) {
        throw scim::badRequest("invalidSyntax", "Each of Operations must be a JSON object");
    }
    const Object& object = *entry.extract<Object::Ptr>();
    op.method = Poco::toUpper(stringOf(object, "method"));
    op.path = stringOf(object, "path");
    op.bulkId = stringOf(object, "bulkId");
    if (scim::json::memberOf(object, "version").isString()) {
        op.version = stringOf(object, "version");
    }
    if (op.method != "POST" && op.method != "PUT" && op.method != "PATCH" &&
        op.method != "DELETE") {
        throw scim::badRequest("invalidValue", "method must be POST, PUT, PATCH or DELETE");
    }
    const auto [collection, id] = op.path.empty() || op.path[0] != '/'
                                      ? std::pair<std::string, std::string>{}
                                      : splitPath(op.path);
    const ServedResource* target = resources.find(collection);
    if (target == nullptr || target->bulk == InBulk::No || (op.method == "POST") != id.empty() ||
        id.find('/') != std::string::npos) {
        throw scim::badRequest("invalidValue",
                               op.method + " takes a path of " + addressable(resources, op.method));
    }
    if (op.method == "POST" && op.bulkId.empty()) {
        throw scim::badRequest("invalidValue", "A POST operation needs a bulkId");
    }
    if (isReference(id)) {
        op.references.insert(id.substr(kReference.size()));
    }
    const Var data = scim::json::memberOf(object, "data");
    if (op.method != "DELETE") {
        if (data.type() != typeid(Object::Ptr)) {
            throw scim::badRequest("invalidSyntax", op.method + " operations need data, an object");
        }
        op.data = data.extract<Object::Ptr>();
        collectReferences(data, op.references);
        op.setsPassword = target->bulk == InBulk::WritesSecrets && scim::mentionsPassword(op.data);
    }
    return op;
} catch (const scim::ScimError& e) {
    Operation refused;
    if (entry.type() == typeid(Object::Ptr)) {
        const Object& object = *entry.extract<Object::Ptr>();
        const Var method = scim::json::memberOf(object, "method");
        const Var bulkId = scim::json::memberOf(object, "bulkId");
        refused.method = method.isString() ? Poco::toUpper(method.toString()) : "";
        refused.bulkId = bulkId.isString() ? bulkId.toString() : "";
    }
    refused.refusal = e;
    return refused;
}

std::optional<std::string> headerOf(const Response& response, const std::string& name) {
    for (const auto& [key, value] : response.headers) {
        if (Poco::icompare(key, name) == 0) {
            return value;
        }
    }
    return std::nullopt;
}

// The BulkResponse entry of an operation that got `response`.
Object::Ptr resultOf(const Operation& op, const Response& response) {
    Object::Ptr result = new Object;
    if (!op.method.empty()) {
        result->set("method", op.method);
    }
    if (!op.bulkId.empty()) {
        result->set("bulkId", op.bulkId);
    }
    if (const auto location = headerOf(response, "Location")) {
        result->set("location", *location);
    }
    if (const auto etag = headerOf(response, "ETag")) {
        result->set("version", *etag);
    }
    result->set("status", std::to_string(response.status));
    if (response.status >= 400) {
        try {
            result->set("response", Poco::JSON::Parser().parse(response.body));
        } catch (const Poco::Exception&) {
            result->set("response", scim::ScimError(response.status, "", "").toJson());
        }
    }
    return result;
}

std::string idCreatedBy(const Response& response) {
    try {
        return Poco::JSON::Parser()
            .parse(response.body)
            .extract<Object::Ptr>()
            ->getValue<std::string>("id");
    } catch (const Poco::Exception&) {
        return "";
    }
}

// failOnErrors (RFC 7644 §3.7): an integer from 0 to 2^31-1, 0 stopping at the first error as 1
// does (the RFC gives no lower bound); 0 returned when absent (run every operation).
std::size_t failOnErrorsOf(const Object& body) {
    const Var value = scim::json::memberOf(body, "failOnErrors");
    if (value.isEmpty()) {
        return 0;
    }
    constexpr Poco::UInt64 kMost = 2147483647;
    // Read as the type the parser chose: a conversion to another could throw (2^63 and above).
    const bool inRange =
        value.isInteger() && !value.isBoolean() &&
        (value.isSigned() ? value.convert<Poco::Int64>() >= 0 &&
                                static_cast<Poco::UInt64>(value.convert<Poco::Int64>()) <= kMost
                          : value.convert<Poco::UInt64>() <= kMost);
    if (!inRange) {
        throw scim::badRequest("invalidValue",
                               "failOnErrors must be a whole number from 0 to 2147483647");
    }
    return std::max<std::size_t>(1, static_cast<std::size_t>(value.convert<Poco::UInt64>()));
}

scim::ScimError unresolved(const std::string& detail) {
    return scim::ScimError(409, "", detail);
}

// The operations of a BulkRequest as read, before any runs.
struct BulkOperations {
    std::vector<Operation> operations;
    std::map<std::string, std::size_t> creators;  // bulkId -> the POST that creates it
    std::size_t passwords = 0;  // operations that set a password (InBulk::WritesSecrets)
};

BulkOperations readOperations(const Array& entries, const ServedResources& resources) {
    BulkOperations bulk;
    for (const auto& entry : entries) {
        bulk.operations.push_back(readOperation(entry, resources));
        auto& op = bulk.operations.back();
        if (!op.refusal && op.method == "POST" &&
            !bulk.creators.emplace(op.bulkId, bulk.operations.size() - 1).second) {
            op.refusal = scim::badRequest("invalidValue", "bulkId " + op.bulkId + " is used twice");
        }
        if (!op.refusal && op.setsPassword) {
            ++bulk.passwords;
        }
    }
    return bulk;
}

// Runs a BulkRequest's operations in rounds in request order: an operation runs once every
// bulkId it names was created; the run stops at failOnErrors errors.
class BulkRounds {
  public:
    BulkRounds(const BulkOperations& bulk, std::size_t failOnErrors, const Request& request,
               const std::string& basePath, const BulkEndpoint::Run& run)
        : _bulk(bulk),
          _failOnErrors(failOnErrors),
          _request(request),
          _basePath(basePath),
          _run(run),
          _results(bulk.operations.size()) {}

    // The results of the operations that ran or were refused, in request order.
    Array::Ptr run() {
        std::vector<std::size_t> pending(_bulk.operations.size());
        for (std::size_t i = 0; i < pending.size(); ++i) {
            pending[i] = i;
        }
        while (!pending.empty() && !stopped()) {
            std::vector<std::size_t> waiting = round(pending);
            if (waiting.size() == pending.size()) {
                // No operation could run: they wait on each other.
                for (const std::size_t i : waiting) {
                    record(i,
                           Response::error(unresolved(
                               "Circular bulkId references: the operations wait on each other")));
                    if (stopped()) {
                        break;
                    }
                }
                waiting.clear();
            }
            pending = std::move(waiting);
        }
        Array::Ptr answered = new Array;
        for (const auto& result : _results) {
            if (result) {
                answered->add(result);
            }
        }
        return answered;
    }

  private:
    bool stopped() const { return _failOnErrors != 0 && _errors >= _failOnErrors; }

    // Runs or refuses what can run now; returns the operations still waiting on a creation.
    std::vector<std::size_t> round(const std::vector<std::size_t>& pending) {
        std::vector<std::size_t> waiting;
        for (const std::size_t i : pending) {
            if (stopped()) {
                break;
            }
            const Operation& op = _bulk.operations[i];
            if (op.refusal) {
                record(i, Response::error(*op.refusal));
                continue;
            }
            std::string missing;
            bool wait = false;
            for (const auto& reference : op.references) {
                if (_ids.count(reference)) {
                    continue;
                }
                const auto creator = _bulk.creators.find(reference);
                if (creator == _bulk.creators.end()) {
                    missing = "no operation creates bulkId " + reference;
                } else if (_results[creator->second]) {
                    missing = "the operation creating bulkId " + reference + " failed";
                } else {
                    wait = true;
                }
            }
            if (!missing.empty()) {
                record(i, Response::error(unresolved("Cannot resolve a reference: " + missing)));
            } else if (wait) {
                waiting.push_back(i);
            } else {
                record(i, _run(requestFor(op)));
            }
        }
        return waiting;
    }

    void record(std::size_t i, const Response& response) {
        const Operation& op = _bulk.operations[i];
        _results[i] = resultOf(op, response);
        if (response.status >= 400) {
            ++_errors;
        } else if (op.method == "POST") {
            _ids[op.bulkId] = idCreatedBy(response);
        }
    }

    // The request an operation makes, its bulkId references resolved.
    Request requestFor(const Operation& op) const {
        Request one;
        one.method = op.method;
        const auto [collection, id] = splitPath(op.path);
        const std::string target = isReference(id) ? _ids.at(id.substr(kReference.size())) : id;
        one.path = _basePath + "/" + collection + (target.empty() ? "" : "/" + target);
        one.clientAddress = _request.clientAddress;
        one.origin = _request.origin;
        const auto version = op.version;
        const auto& outer = _request;
        one.header = [version, &outer](const std::string& name) -> std::optional<std::string> {
            if (Poco::icompare(name, "If-Match") == 0) {
                return version;
            }
            if (Poco::icompare(name, "Content-Type") == 0) {
                return std::string(scim::kMediaType);
            }
            if (Poco::icompare(name, "If-None-Match") == 0) {
                return std::nullopt;
            }
            return outer.headerValue(name);  // Host and forwarded headers, for locations
        };
        one.readBody = [body = op.data ? scim::json::compactText(resolved(op.data, _ids)) : ""] {
            return ReceivedBody{ReceivedBody::Outcome::Complete, body};
        };
        return one;
    }

    const BulkOperations& _bulk;
    const std::size_t _failOnErrors;
    const Request& _request;
    const std::string& _basePath;
    const BulkEndpoint::Run& _run;
    std::vector<Object::Ptr> _results;
    std::map<std::string, std::string> _ids;  // bulkId -> id, of each creation that succeeded
    std::size_t _errors = 0;
};

}  // namespace

Response BulkEndpoint::handle(const Request& request, const std::string& basePath,
                              const Run& run) const {
    if (request.method != "POST") {
        throw scim::methodNotAllowed("/Bulk takes POST");
    }
    if (request.body().size() > _settings.maxPayloadBytes) {
        throw scim::payloadTooLarge("The bulk request is larger than maxPayloadSize (" +
                                    std::to_string(_settings.maxPayloadBytes) + " bytes)");
    }
    const Object::Ptr body = parseBody(request, _limits);
    const Var list = scim::json::memberOf(*body, "Operations");
    if (list.type() != typeid(Array::Ptr)) {
        throw scim::badRequest("invalidSyntax", "A BulkRequest needs Operations, an array");
    }
    const Array& entries = *list.extract<Array::Ptr>();
    if (entries.size() > _settings.maxOperations) {
        throw scim::payloadTooLarge("The bulk request has more than maxOperations (" +
                                    std::to_string(_settings.maxOperations) + ") operations");
    }
    const std::size_t failOnErrors = failOnErrorsOf(*body);
    const BulkOperations bulk = readOperations(entries, _resources);
    if (bulk.passwords > _settings.maxPasswordOperations) {
        // Each password costs a deliberately slow hash: the request is refused before any runs.
        throw scim::payloadTooLarge(
            "The bulk request sets a password in " + std::to_string(bulk.passwords) +
            " operations, more than scim.bulk.maxPasswordOperations (" +
            std::to_string(_settings.maxPasswordOperations) + "); send them in smaller requests");
    }
    Object::Ptr document = new Object;
    Array::Ptr schemas = new Array;
    schemas->add(kBulkResponse);
    document->set("schemas", schemas);
    document->set("Operations", BulkRounds(bulk, failOnErrors, request, basePath, run).run());
    return Response::json(200, document);
}

}  // namespace api
