#pragma once

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Error.h"

/// Audit events held in a vector, for fakes of domain::EventRepository: the unit tests' own repository
/// (rows public, so a test can alter, delete or reorder them) and InMemoryStore's.
namespace govtrack::testing {

/// EventRepository operations over `rows` (kept in append order).
struct EventRows {
    static std::optional<domain::AuditEvent> head(const std::vector<domain::AuditEvent>& rows) {
        if (rows.empty()) return std::nullopt;
        return *std::max_element(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
    }
    static void append(std::vector<domain::AuditEvent>& rows, const domain::AuditEvent& event) {
        for (const auto& e : rows) {
            if (e.seq == event.seq)
                throw domain::ConflictError("audit event " + std::to_string(event.seq) + " already exists");
        }
        rows.push_back(event);
    }
    static std::vector<domain::AuditEvent> list(const std::vector<domain::AuditEvent>& rows, std::int64_t fromSeq,
                                                std::size_t limit) {
        std::vector<domain::AuditEvent> out;
        for (const auto& e : rows) {
            if (e.seq >= fromSeq) out.push_back(e);
        }
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
        if (out.size() > limit) out.resize(limit);
        return out;
    }
    static std::vector<domain::AuditEvent> latestBefore(const std::vector<domain::AuditEvent>& rows,
                                                        const std::string& cutoffUtc,
                                                        const std::vector<std::string>& types) {
        std::map<std::pair<std::string, std::string>, const domain::AuditEvent*> latest;
        for (const auto& e : rows) {
            if (!(e.at < cutoffUtc)) continue;
            if (std::find(types.begin(), types.end(), e.entityType) == types.end()) continue;
            auto& slot = latest[{e.entityType, e.entityId}];
            if (!slot || slot->seq < e.seq) slot = &e;
        }
        std::vector<domain::AuditEvent> out;
        for (const auto& [key, e] : latest) out.push_back(*e);
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
        return out;
    }
    /// The rows scanStates passes on, in ascending seq (copied, so `visit` runs without the store's lock).
    static std::vector<domain::EventState> states(const std::vector<domain::AuditEvent>& rows,
                                                  const std::string& cutoffUtc, const std::vector<std::string>& types) {
        std::vector<domain::EventState> out;
        for (const auto& e : rows) {
            if (!(e.at < cutoffUtc)) continue;
            if (std::find(types.begin(), types.end(), e.entityType) == types.end()) continue;
            out.push_back({e.seq, e.at, e.entityType, e.entityId, e.after});
        }
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
        return out;
    }
};

/// A stand-alone in-memory EventRepository.
class MemoryEventRepository final : public domain::EventRepository {
public:
    std::optional<domain::AuditEvent> lockHead() override { return EventRows::head(rows); }
    void append(const domain::AuditEvent& event) override { EventRows::append(rows, event); }
    std::vector<domain::AuditEvent> list(std::int64_t fromSeq, std::size_t limit) override {
        return EventRows::list(rows, fromSeq, limit);
    }
    std::int64_t count() override { return static_cast<std::int64_t>(rows.size()); }
    std::vector<domain::AuditEvent> latestBefore(const std::string& cutoffUtc,
                                                 const std::vector<std::string>& entityTypes) override {
        return EventRows::latestBefore(rows, cutoffUtc, entityTypes);
    }
    void scanStates(const std::string& cutoffUtc, const std::vector<std::string>& entityTypes,
                    const std::function<void(const domain::EventStateView&)>& visit) override {
        for (const auto& e : EventRows::states(rows, cutoffUtc, entityTypes)) visit(e.view());
    }

    std::vector<domain::AuditEvent> rows;
};

}  // namespace govtrack::testing
