#include "govtrack/domain/RiskService.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "govtrack/domain/Error.h"
#include "govtrack/domain/RiskQueries.h"

namespace govtrack::domain {

namespace {

Date addDays(Date date, int days) {
    return Date{std::chrono::sys_days{date} + std::chrono::days{days}};
}

std::string trimmed(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

std::optional<GovernanceGroup> findGroup(GovernanceGroupRepository& groups, const std::string& name) {
    if (auto exact = groups.findByName(name)) return exact;
    const std::string wanted = foldNaturalKey(name);
    for (auto& g : groups.list()) {
        if (foldNaturalKey(g.name) == wanted) return g;
    }
    return std::nullopt;
}

std::optional<RiskRegister> findRegister(RiskRegisterRepository& registers, const std::string& name) {
    if (auto exact = registers.findByName(name)) return exact;
    const std::string wanted = foldNaturalKey(name);
    for (auto& r : registers.list()) {
        if (foldNaturalKey(r.name) == wanted) return r;
    }
    return std::nullopt;
}

/// SPEC 4.5: "the secretariat escalates it"; a group's chair or secretary records its own decisions (4.9).
void checkMayDecide(const Actor& actor, const GovernanceGroup& group) {
    if (actor.has(Role::kSecretariat) || actor.has(Role::kAdmin)) return;
    if (actor.personId) {
        for (const auto& m : group.members) {
            if (m.personId == *actor.personId && (m.role == MemberRole::kChair || m.role == MemberRole::kSecretary)) {
                return;
            }
        }
    }
    throw ForbiddenError(actor.name + " may not record escalation decisions for " + group.name +
                         ": it needs the secretariat role, or the chair or secretary of that group");
}

/// Every risk's parent reference and register level, as stored.
void routeMaps(StoreSession& session, std::map<std::string, std::string>& parentOf,
               std::map<std::string, RiskLevel>& levelOf) {
    std::map<Id, RiskLevel> registerLevel;
    for (const auto& r : session.riskRegisters().list()) registerLevel[r.id] = r.level;
    const auto risks = session.risks().list();
    std::map<Id, std::string> refOf;
    for (const auto& r : risks) refOf[r.id] = r.reference;
    for (const auto& r : risks) {
        if (r.parentId && refOf.count(*r.parentId)) parentOf[r.reference] = refOf[*r.parentId];
        if (r.registerId && registerLevel.count(*r.registerId)) levelOf[r.reference] = registerLevel[*r.registerId];
    }
}

struct DryRunRollback {};

}  // namespace

void RiskService::recordScoreChange(const Risk& risk, const Actor& actor, const std::string& reason) {
    RiskScoreChange c;
    c.riskId = risk.id;
    c.number = static_cast<int>(session_.risks().scoreChanges(risk.id).size()) + 1;
    c.at = formatUtc(clock_.now());
    c.date = clock_.today();
    c.actorId = actor.personId;
    c.actorName = actor.name;
    c.inherent = risk.inherent;
    c.current = risk.current;
    c.target = risk.target;
    c.reason = reason;
    session_.risks().addScoreChange(c);
}

Risk RiskService::rescore(const std::string& reference, const RiskRescore& change, const Actor& actor) {
    if (!change.inherent && !change.current && !change.target) {
        throw ValidationError("risk score: give at least one of --inherent, --current, --target (LxI, e.g. 4x3)");
    }
    if (change.inherent) matrix_.check(*change.inherent, "inherent");
    if (change.current) matrix_.check(*change.current, "current");
    if (change.target) matrix_.check(*change.target, "target");
    Risk after;
    session_.transaction([&] {
        auto before = findRisk(session_.risks(), reference);
        if (!before) throw NotFoundError("no risk has the reference '" + reference + "'");
        if (before->status == RiskStatus::kClosed) {
            throw ValidationError(before->reference + " is closed; a closed risk is not re-scored");
        }
        after = *before;
        if (change.inherent) after.inherent = change.inherent;
        if (change.current) after.current = change.current;
        if (change.target) after.target = change.target;
        const std::string reason = trimmed(change.reason);
        if (auto problem = targetProblem(after.current, after.target, reason)) {
            throw ValidationError(*problem, {{"target_reason", *problem}});
        }
        if (after.current && after.target && after.target->score() > after.current->score()) {
            after.targetReason = reason;
        }
        const Date today = clock_.today();
        after.lastReview = today;
        int frequency = 91;
        if (after.registerId) {
            if (auto reg = session_.riskRegisters().findById(*after.registerId)) frequency = reg->reviewFrequencyDays;
        }
        after.nextReview = addDays(today, frequency);
        session_.risks().save(after);
        audit_.recordRisk(actor, "rescore", before, after, reason);
        recordScoreChange(after, actor, reason);
    });
    return after;
}

EscalationDecision RiskService::escalate(const EscalationRequest& request, const Actor& actor) {
    return decide(EscalationKind::kEscalate, request, actor);
}
EscalationDecision RiskService::deEscalate(const EscalationRequest& request, const Actor& actor) {
    return decide(EscalationKind::kDeEscalate, request, actor);
}
EscalationDecision RiskService::recordNoEscalation(const EscalationRequest& request, const Actor& actor) {
    return decide(EscalationKind::kNoEscalation, request, actor);
}

EscalationDecision RiskService::decide(EscalationKind kind, const EscalationRequest& request, const Actor& actor) {
    EscalationDecision decision;
    const std::string reason = trimmed(request.reason);
    if (kind != EscalationKind::kEscalate && reason.empty()) {
        throw ValidationError(std::string(kind == EscalationKind::kDeEscalate ? "de-escalation" : "no escalation") +
                                  ": --reason is required (why the risk is not, or no longer, escalated)",
                              {{"reason", "required"}});
    }
    session_.transaction([&] {
        auto risk = findRisk(session_.risks(), request.riskReference);
        if (!risk) throw NotFoundError("no risk has the reference '" + request.riskReference + "'");
        if (request.groupName.empty()) {
            throw ValidationError("--group: name the governance group in which the decision was taken",
                                  {{"group", "required"}});
        }
        auto group = findGroup(session_.groups(), request.groupName);
        if (!group) throw NotFoundError("--group: no governance group is named '" + request.groupName + "'");
        checkMayDecide(actor, *group);
        if (!risk->registerId) {
            throw ValidationError(risk->reference + " is on no risk register; only a register's risks escalate");
        }
        auto reg = session_.riskRegisters().findById(*risk->registerId);
        if (!reg) throw Error(ErrorCode::kInternal, "risk register of " + risk->reference + " is missing");
        const auto decisions = session_.risks().decisions(risk->id);
        const bool escalated = !decisions.empty() && decisions.back().kind == EscalationKind::kEscalate;
        const Date today = clock_.today();
        Risk after = *risk;

        if (kind == EscalationKind::kEscalate) {
            if (reg->level == RiskLevel::kStrategic) {
                throw ValidationError(risk->reference + " is on the strategic register '" + reg->name +
                                      "'; only divisional and programme risks escalate");
            }
            if (risk->status != RiskStatus::kOpen) throw ValidationError(risk->reference + " is closed");
            if (escalated) throw ValidationError(risk->reference + " is already escalated; de-escalate it first");
            std::map<std::string, std::string> parentOf;
            std::map<std::string, RiskLevel> levelOf;
            routeMaps(session_, parentOf, levelOf);
            std::optional<Risk> target;
            if (request.toReference && request.newRiskReference) {
                throw ValidationError(
                    "escalate: give either --to (an existing risk) or --create (a new one), not both");
            }
            if (request.toReference) {
                target = findRisk(session_.risks(), *request.toReference);
                if (!target) throw NotFoundError("--to: no risk has the reference '" + *request.toReference + "'");
                if (target->status != RiskStatus::kOpen) {
                    throw ValidationError("--to: " + target->reference + " is closed");
                }
            } else if (request.newRiskReference) {
                const std::string ref = tidyNaturalKey(*request.newRiskReference);
                if (ref.empty()) throw ValidationError("--create: the new risk needs a reference");
                if (findRisk(session_.risks(), ref)) {
                    throw ConflictError("--create: a risk with the reference '" + ref +
                                        "' already exists; escalate to it with --to");
                }
                if (trimmed(request.newRiskTitle).empty()) {
                    throw ValidationError("--title: the new strategic risk needs a title", {{"title", "required"}});
                }
                std::optional<RiskRegister> strategic;
                if (request.newRiskRegister) {
                    strategic = findRegister(session_.riskRegisters(), *request.newRiskRegister);
                    if (!strategic) {
                        throw NotFoundError("--register: no risk register is named '" + *request.newRiskRegister + "'");
                    }
                } else {
                    for (const auto& r : session_.riskRegisters().list()) {
                        if (r.level != RiskLevel::kStrategic) continue;
                        if (strategic) {
                            throw ValidationError("--register: there are several strategic registers; name one");
                        }
                        strategic = r;
                    }
                    if (!strategic) throw ValidationError("--register: there is no strategic register to create on");
                }
                Risk created;
                created.id = ids_.next();
                created.reference = ref;
                created.title = trimmed(request.newRiskTitle);
                created.level = std::string(toString(strategic->level));
                created.registerId = strategic->id;
                created.category = risk->category;
                created.current = risk->current;  // the escalated risk's score is where the new one starts
                created.lastReview = today;
                created.nextReview = addDays(today, strategic->reviewFrequencyDays);
                levelOf[created.reference] = strategic->level;
                if (auto problem = parentProblem(risk->reference, reg->level, created.reference, parentOf, levelOf)) {
                    throw ValidationError(*problem, {{"parent", *problem}});
                }
                session_.risks().save(created);
                audit_.recordRisk(actor, "create", std::nullopt, created,
                                  "created on escalation of " + risk->reference);
                recordScoreChange(created, actor, "created on escalation of " + risk->reference);
                target = created;
            } else {
                throw ValidationError(
                    "escalate: name the higher-level risk (--to REF) or create a strategic one (--create REF "
                    "--title TEXT)");
            }
            if (auto problem = parentProblem(risk->reference, reg->level, target->reference, parentOf, levelOf)) {
                throw ValidationError(*problem, {{"parent", *problem}});
            }
            after.parentId = target->id;
            decision.strategicRiskId = target->id;
        } else if (kind == EscalationKind::kDeEscalate) {
            if (!escalated) {
                throw ValidationError(risk->reference + " is not escalated; there is nothing to de-escalate");
            }
            if (!decisions.empty()) decision.strategicRiskId = decisions.back().strategicRiskId;
        } else if (escalated) {
            throw ValidationError(risk->reference + " is escalated; record a de-escalation instead");
        }

        if (after != *risk) session_.risks().save(after);
        audit_.recordRisk(actor, toString(kind), risk, after, group->name + ": " + reason);
        decision.riskId = risk->id;
        decision.number = static_cast<int>(decisions.size()) + 1;
        decision.kind = kind;
        decision.groupId = group->id;
        decision.decidedById = actor.personId;
        decision.decidedByName = actor.name;
        decision.date = today;
        decision.at = formatUtc(clock_.now());
        decision.reason = reason;
        session_.risks().addDecision(decision);
    });
    return decision;
}

RiskImportSummary RiskService::import(const RiskRegisterDocument& doc, const Actor& actor, bool dryRun) {
    std::vector<FieldError> problems;
    auto add = [&](const Origin& where, std::string what) { problems.push_back({where, std::move(what)}); };

    // ---- registers ----
    std::map<std::string, const RiskRegisterRecord*> fileRegisters;  // folded name
    std::map<std::string, RiskRegister> storedRegisters;             // folded name
    for (auto& r : session_.riskRegisters().list()) storedRegisters[foldNaturalKey(r.name)] = r;
    std::map<std::string, Id> unitIds, groupIds;
    for (const auto& u : session_.units().list()) unitIds[foldNaturalKey(u.name)] = u.id;
    for (const auto& g : session_.groups().list()) groupIds[foldNaturalKey(g.name)] = g.id;
    for (const auto& r : doc.registers) {
        const std::string key = foldNaturalKey(r.name);
        if (key.empty()) {
            add(r.origin, "register: the register name is empty");
            continue;
        }
        if (fileRegisters.count(key)) {
            add(r.origin, "register '" + r.name + "' is described twice");
            continue;
        }
        fileRegisters[key] = &r;
        if (!r.level && !storedRegisters.count(key)) {
            add(r.origin, "register_level: a new register needs a level (" + allowedRiskLevels() + ")");
        }
        if (r.ownerUnitName && !unitIds.count(foldNaturalKey(*r.ownerUnitName))) {
            add(r.origin, "register_owner_unit: no organisation unit is named '" + *r.ownerUnitName + "'");
        }
        if (r.ownerGroupName && !groupIds.count(foldNaturalKey(*r.ownerGroupName))) {
            add(r.origin, "register_owner_group: no governance group is named '" + *r.ownerGroupName + "'");
        }
        if (r.escalationThreshold &&
            (*r.escalationThreshold < 1 || *r.escalationThreshold > matrix_.maxLikelihood() * matrix_.maxImpact())) {
            add(r.origin, "escalation_threshold must be 1-" +
                              std::to_string(matrix_.maxLikelihood() * matrix_.maxImpact()) + ", got " +
                              std::to_string(*r.escalationThreshold));
        }
    }
    auto registerLevel = [&](const std::string& name) -> std::optional<RiskLevel> {
        const std::string key = foldNaturalKey(name);
        if (auto it = fileRegisters.find(key); it != fileRegisters.end() && it->second->level) return it->second->level;
        if (auto it = storedRegisters.find(key); it != storedRegisters.end()) return it->second.level;
        return std::nullopt;
    };

    // ---- risks ----
    std::map<std::string, std::string> parentOf;
    std::map<std::string, RiskLevel> levelOf;
    routeMaps(session_, parentOf, levelOf);
    std::map<std::string, Risk> storedRisks;  // folded reference
    for (auto& r : session_.risks().list()) storedRisks[foldNaturalKey(r.reference)] = r;
    std::map<std::string, std::string> canonicalRef;  // folded -> spelling
    for (const auto& [k, r] : storedRisks) canonicalRef[k] = r.reference;
    std::map<std::string, const RiskImportRecord*> fileRisks;
    for (const auto& rec : doc.risks) {
        const std::string key = foldNaturalKey(rec.risk.reference);
        if (key.empty()) {
            add(rec.origin, "reference: the risk reference is empty");
            continue;
        }
        if (fileRisks.count(key)) {
            add(rec.origin, "reference: risk '" + rec.risk.reference + "' is given twice (first at " +
                                fileRisks[key]->origin + ")");
            continue;
        }
        fileRisks[key] = &rec;
        if (!canonicalRef.count(key)) canonicalRef[key] = tidyNaturalKey(rec.risk.reference);
    }
    auto refOf = [&](const std::string& any) {
        auto it = canonicalRef.find(foldNaturalKey(any));
        return it == canonicalRef.end() ? any : it->second;
    };
    std::map<std::string, std::set<int>> recommendationNumbers;  // engagement folded -> numbers
    std::map<std::string, std::set<std::pair<int, int>>> actionNumbers;
    auto loadEngagement = [&](const std::string& engagementRef) -> bool {
        const std::string key = foldNaturalKey(engagementRef);
        if (recommendationNumbers.count(key)) return true;
        auto engagement = findEngagement(session_.engagements(), engagementRef);
        if (!engagement) return false;
        auto& recs = recommendationNumbers[key];
        auto& acts = actionNumbers[key];
        for (const auto& rec : session_.recommendations().listByEngagement(engagement->id)) {
            recs.insert(rec.number);
            for (const auto& a : session_.actions().listByRecommendation(rec.id)) acts.insert({rec.number, a.number});
        }
        return true;
    };
    for (const auto& [key, recp] : fileRisks) {
        const RiskImportRecord& rec = *recp;
        const auto stored = storedRisks.find(key);
        const bool isNew = stored == storedRisks.end();
        const auto level = registerLevel(rec.registerName);
        if (rec.registerName.empty()) {
            add(rec.origin, "register: every risk names its register");
        } else if (!level) {
            add(rec.origin, "register: no risk register is named '" + rec.registerName +
                                "' (describe it with register_level on a row of this file)");
        }
        if (isNew && trimmed(rec.risk.title).empty()) add(rec.origin, "title: a new risk needs a title");
        const std::string ref = refOf(rec.risk.reference);
        if (level) levelOf[ref] = *level;
        if (rec.parentReference) {
            const std::string pkey = foldNaturalKey(*rec.parentReference);
            if (!fileRisks.count(pkey) && !storedRisks.count(pkey)) {
                add(rec.origin, "parent: no risk has the reference '" + *rec.parentReference +
                                    "' (neither in this file nor in the store)");
            } else {
                parentOf[ref] = refOf(*rec.parentReference);
            }
        }
        const std::optional<RiskRating> current = rec.risk.current ? rec.risk.current
                                                  : isNew          ? std::nullopt
                                                                   : stored->second.current;
        const std::optional<RiskRating> target = rec.risk.target ? rec.risk.target
                                                 : isNew         ? std::nullopt
                                                                 : stored->second.target;
        const std::string reason = !trimmed(rec.risk.targetReason).empty() ? rec.risk.targetReason
                                   : isNew                                 ? std::string()
                                                                           : stored->second.targetReason;
        if (auto p = targetProblem(current, target, trimmed(reason))) add(rec.origin, *p);
        for (const auto& link : rec.risk.linkedRecommendations) {
            const auto slash = link.rfind('/');
            int number = 0;
            try {
                number = slash == std::string::npos ? 0 : std::stoi(link.substr(slash + 1));
            } catch (const std::exception&) {
                number = 0;
            }
            if (number <= 0) {
                add(rec.origin,
                    "linked_recommendations: '" + link + "' is not ENGAGEMENT/NUMBER (e.g. IA-2024-25-PM/2)");
            } else if (!loadEngagement(link.substr(0, slash))) {
                add(rec.origin,
                    "linked_recommendations: no engagement has the reference '" + link.substr(0, slash) + "'");
            } else if (!recommendationNumbers[foldNaturalKey(link.substr(0, slash))].count(number)) {
                add(rec.origin, "linked_recommendations: " + link.substr(0, slash) + " has no recommendation " +
                                    std::to_string(number));
            }
        }
        for (const auto& link : rec.risk.linkedActions) {
            const auto slash = link.rfind('/');
            const auto dot = link.rfind('.');
            int r = 0, a = 0;
            try {
                if (slash != std::string::npos && dot != std::string::npos && dot > slash) {
                    r = std::stoi(link.substr(slash + 1, dot - slash - 1));
                    a = std::stoi(link.substr(dot + 1));
                }
            } catch (const std::exception&) {
                r = 0;
            }
            if (r <= 0 || a <= 0) {
                add(rec.origin, "linked_actions: '" + link + "' is not ENGAGEMENT/REC.ACTION (e.g. IA-2024-25-PM/2.1)");
            } else if (!loadEngagement(link.substr(0, slash))) {
                add(rec.origin, "linked_actions: no engagement has the reference '" + link.substr(0, slash) + "'");
            } else if (!actionNumbers[foldNaturalKey(link.substr(0, slash))].count({r, a})) {
                add(rec.origin, "linked_actions: " + link.substr(0, slash) + " has no action " + std::to_string(r) +
                                    "." + std::to_string(a));
            }
        }
    }
    for (const auto& [key, recp] : fileRisks) {
        if (!recp->parentReference) continue;
        const std::string ref = refOf(recp->risk.reference);
        auto level = levelOf.find(ref);
        if (level == levelOf.end() || !parentOf.count(ref)) continue;
        if (auto p = parentProblem(ref, level->second, parentOf[ref], parentOf, levelOf)) add(recp->origin, *p);
    }
    if (!problems.empty()) {
        throw ValidationError("import refused: " + std::to_string(problems.size()) +
                                  (problems.size() == 1 ? " problem" : " problems") + " found; nothing was imported",
                              problems);
    }

    // ---- apply ----
    RiskImportSummary summary;
    try {
        session_.transaction([&] {
            summary = {};
            std::map<std::string, RiskRegister> registers = storedRegisters;
            for (const auto& r : doc.registers) {
                const std::string key = foldNaturalKey(r.name);
                const auto it = registers.find(key);
                std::optional<RiskRegister> before;
                RiskRegister after;
                if (it != registers.end()) {
                    before = it->second;
                    after = it->second;
                } else {
                    after.id = ids_.next();
                    after.name = tidyNaturalKey(r.name);
                }
                if (r.level) after.level = *r.level;
                if (r.ownerUnitName) {
                    after.ownerUnitId = unitIds[foldNaturalKey(*r.ownerUnitName)];
                    if (!r.ownerGroupName) after.ownerGroupId.reset();
                }
                if (r.ownerGroupName) {
                    after.ownerGroupId = groupIds[foldNaturalKey(*r.ownerGroupName)];
                    if (!r.ownerUnitName) after.ownerUnitId.reset();
                }
                if (r.escalationThreshold) after.escalationThreshold = *r.escalationThreshold;
                if (!r.tolerances.empty()) {
                    after.tolerances = r.tolerances;
                    std::sort(after.tolerances.begin(), after.tolerances.end(),
                              [](const auto& a, const auto& b) { return a.category < b.category; });
                }
                if (r.reviewFrequencyDays) after.reviewFrequencyDays = *r.reviewFrequencyDays;
                registers[key] = after;
                if (before && *before == after) continue;
                session_.riskRegisters().save(after);
                audit_.recordRiskRegister(actor, before ? "update" : "create", before, after);
                ++summary.registers;
                summary.changes.push_back((before ? "updated risk register " : "created risk register ") + after.name);
            }
            std::map<std::string, Id> people;
            for (const auto& p : session_.people().list()) people[foldNaturalKey(p.roleTitle)] = p.id;
            std::map<std::string, Risk> saved;  // folded ref -> state after the first pass
            for (const auto& rec : doc.risks) {
                const std::string key = foldNaturalKey(rec.risk.reference);
                const auto stored = storedRisks.find(key);
                Risk after;
                if (stored != storedRisks.end()) {
                    after = stored->second;
                } else {
                    after.id = ids_.next();
                    after.reference = tidyNaturalKey(rec.risk.reference);
                }
                const RiskRegister& reg = registers.at(foldNaturalKey(rec.registerName));
                after.registerId = reg.id;
                after.level = std::string(toString(reg.level));
                auto setText = [](std::string& field, const std::string& value) {
                    if (!trimmed(value).empty()) field = value;
                };
                setText(after.title, rec.risk.title);
                setText(after.description, rec.risk.description);
                setText(after.cause, rec.risk.cause);
                setText(after.event, rec.risk.event);
                setText(after.effect, rec.risk.effect);
                setText(after.category, rec.risk.category);
                setText(after.targetReason, rec.risk.targetReason);
                if (rec.risk.inherent) after.inherent = rec.risk.inherent;
                if (rec.risk.current) after.current = rec.risk.current;
                if (rec.risk.target) after.target = rec.risk.target;
                if (!rec.risk.controls.empty()) after.controls = rec.risk.controls;
                if (!rec.risk.linkedRecommendations.empty())
                    after.linkedRecommendations = rec.risk.linkedRecommendations;
                if (!rec.risk.linkedActions.empty()) after.linkedActions = rec.risk.linkedActions;
                if (rec.risk.lastReview) after.lastReview = rec.risk.lastReview;
                if (rec.risk.nextReview) {
                    after.nextReview = rec.risk.nextReview;
                } else if (rec.risk.lastReview) {
                    after.nextReview = addDays(*rec.risk.lastReview, reg.reviewFrequencyDays);
                }
                if (rec.statusGiven) after.status = rec.risk.status;
                if (!rec.ownerRoleTitles.empty()) {
                    after.ownerIds.clear();
                    for (const auto& title : rec.ownerRoleTitles) {
                        const std::string pkey = foldNaturalKey(title);
                        if (!people.count(pkey)) {
                            Person p;
                            p.id = ids_.next();
                            p.roleTitle = tidyNaturalKey(title);
                            session_.people().save(p);
                            audit_.recordPerson(actor, "create", std::nullopt, p);
                            people[pkey] = p.id;
                            ++summary.people;
                        }
                        if (std::find(after.ownerIds.begin(), after.ownerIds.end(), people[pkey]) ==
                            after.ownerIds.end()) {
                            after.ownerIds.push_back(people[pkey]);
                        }
                    }
                }
                Risk firstPass = after;
                if (stored == storedRisks.end()) firstPass.parentId.reset();
                session_.risks().save(firstPass);
                saved[key] = after;
            }
            for (const auto& rec : doc.risks) {
                const std::string key = foldNaturalKey(rec.risk.reference);
                Risk& after = saved.at(key);
                if (rec.parentReference) {
                    const std::string pkey = foldNaturalKey(*rec.parentReference);
                    after.parentId = saved.count(pkey) ? saved.at(pkey).id : storedRisks.at(pkey).id;
                }
                const auto stored = storedRisks.find(key);
                const std::optional<Risk> before =
                    stored == storedRisks.end() ? std::nullopt : std::optional<Risk>(stored->second);
                if (before && *before == after) continue;
                session_.risks().save(after);
                audit_.recordRisk(actor, before ? "update" : "create", before, after);
                ++summary.risks;
                summary.changes.push_back((before ? "updated risk " : "created risk ") + after.reference);
                const bool scoresChanged = !before || before->inherent != after.inherent ||
                                           before->current != after.current || before->target != after.target;
                if (scoresChanged && (after.inherent || after.current || after.target)) {
                    recordScoreChange(after, actor,
                                      before ? "re-scored by " + actor.name : "first scored by " + actor.name);
                    ++summary.scoreChanges;
                }
            }
            if (dryRun) throw DryRunRollback{};
        });
    } catch (const DryRunRollback&) {
    }
    return summary;
}

}  // namespace govtrack::domain
