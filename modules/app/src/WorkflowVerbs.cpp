// The workflow verbs (issue 3): `action move|update|request-date`, `request decide|list`,
// `group supersede`, and `report meeting-pack`. Each resolves the acting person from --as, runs one
// domain service call, and prints one line (or the report).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <Poco/Util/Option.h>

#include "govtrack/domain/ActionService.h"
#include "govtrack/domain/ActionWorkflow.h"
#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Authority.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/Rules.h"
#include "govtrack/platform/Sha256Hasher.h"
#include "govtrack/platform/UuidGenerator.h"
#include "govtrack/platform/ZonedClock.h"
#include "govtrack/reports/MeetingPack.h"

#include "Cli.h"

namespace govtrack::app {

namespace d = govtrack::domain;

namespace {

std::string readEvidenceFile(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) throw d::ValidationError("--attach: '" + path + "' is not a file");
    if (std::filesystem::file_size(path, ec) > d::kMaxEvidenceBytes) {
        throw d::ValidationError("--attach: '" + path + "' is larger than 10 MiB");
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

void GovtrackApp::defineWorkflowOptions(Poco::Util::OptionSet& options) {
    using Poco::Util::Option;
    using Poco::Util::OptionCallback;
    for (const char* name : {"as", "to", "reason", "evidence", "group", "decision-ref", "superseded-by", "text",
                             "percent", "date", "note", "by", "on", "if-version"}) {
        if (options.hasOption(name)) continue;  // shared with another verb (copy --to, import --as)
        options.addOption(Option(name, "", std::string("workflow: ") + name)
                              .argument("VALUE")
                              .callback(OptionCallback<GovtrackApp>(this, &GovtrackApp::handleValue)));
    }
    options.addOption(Option("attach", "", "workflow: attach an evidence FILE (repeatable)")
                          .argument("FILE")
                          .repeatable(true)
                          .callback(OptionCallback<GovtrackApp>(this, &GovtrackApp::handleAttach)));
    for (const char* name : {"approve", "refuse"}) {
        options.addOption(Option(name, "", std::string("request decide: ") + name)
                              .callback(OptionCallback<GovtrackApp>(this, &GovtrackApp::handleFlag)));
    }
}

void GovtrackApp::handleAttach(const std::string&, const std::string& value) {
    attachments_.push_back(value);
}

d::Actor GovtrackApp::actorFor(d::StoreSession& session) {
    if (!values_.count("as")) {
        throw d::ValidationError("--as: say who is acting, by role title (e.g. --as \"Head of People & Place\")");
    }
    const std::string wanted = d::foldNaturalKey(values_["as"]);
    for (const auto& p : session.people().list()) {
        if (d::foldNaturalKey(p.roleTitle) == wanted) {
            if (!p.active) throw d::ForbiddenError("--as: " + p.roleTitle + " is not an active person");
            return d::Actor::of(p);
        }
    }
    throw d::NotFoundError("--as: no person has the role title '" + values_["as"] + "'");
}

std::string GovtrackApp::required(const char* option) {
    if (!values_.count(option) || values_[option].empty()) {
        throw d::ValidationError(std::string("--") + option + " is required here");
    }
    return values_[option];
}

int GovtrackApp::verbWorkflow(const std::string& verb, const std::vector<std::string>& args) {
    const Settings settings = readSettings();
    platform::ZonedClock clock(settings.timeZone);
    auto store = openStore(settings, /*mustExist=*/true);
    auto session = store->openSession();
    platform::UuidGenerator ids;
    platform::Sha256Hasher hasher;
    d::AuditTrail audit(session->events(), clock, hasher);
    d::ActionService service(*session, audit, clock, ids, hasher);
    const std::string sub = args.empty() ? "" : args.front();
    auto version = [&]() -> std::optional<std::int64_t> {
        if (!values_.count("if-version")) return std::nullopt;
        try {
            return std::stoll(values_["if-version"]);
        } catch (const std::exception&) {
            throw d::ValidationError("--if-version: '" + values_["if-version"] + "' is not a version number");
        }
    };

    if (verb == "action" && (sub == "move" || sub == "update" || sub == "request-date")) {
        if (args.size() != 2)
            throw d::ValidationError("action " + sub + " takes one ACTION reference, e.g. IA-2024-25-PM/1.1");
        const d::Actor actor = actorFor(*session);
        std::vector<d::EvidenceUpload> files;
        for (const auto& path : attachments_) {
            files.push_back({std::filesystem::path(path).filename().string(), readEvidenceFile(path)});
        }
        if (sub == "move") {
            d::MoveRequest request;
            const std::string to = required("to");
            const auto state = d::parseActionStatus(to);
            if (!state) throw d::ValidationError("--to: '" + to + "' is not one of " + d::allowedActionStatuses());
            request.to = *state;
            request.reason = values_["reason"];
            request.evidenceNote = values_["evidence"];
            request.evidence = files;
            if (values_.count("group")) request.groupName = values_["group"];
            request.decisionReference = values_["decision-ref"];
            if (values_.count("superseded-by")) request.supersededBy = values_["superseded-by"];
            request.expectedVersion = version();
            const d::Action moved = service.move(actor, args[1], request);
            std::cout << args[1] << " is now " << d::toString(moved.status) << " (version " << moved.version << ")\n";
            return kExitOk;
        }
        if (sub == "update") {
            if (values_.count("evidence")) {
                throw d::ValidationError("--evidence applies to action move; attach files to an update with --attach");
            }
            std::optional<int> percent;
            if (values_.count("percent")) {
                const std::string& text = values_["percent"];
                const bool digits = !text.empty() && text.size() <= 3 &&
                                    std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
                if (!digits) throw d::ValidationError("--percent: '" + text + "' is not a whole number 0..100");
                percent = std::stoi(text);
            }
            service.addProgress(actor, args[1], required("text"), percent, files);
            std::cout << "progress posted on " << args[1] << (files.empty() ? "" : " with evidence") << "\n";
            return kExitOk;
        }
        const auto date = d::parseTargetDate(required("date"));
        if (!date)
            throw d::ValidationError("--date: '" + values_["date"] +
                                     "' is not a date (31/12/2026, 2026-12-31, Dec 2026)");
        const d::RevisionRequest request = service.requestRevisedDate(actor, args[1], *date, required("reason"));
        d::GroupChart chart(session->groups().list());
        const d::GovernanceGroup* routed = request.routedToGroupId ? chart.find(*request.routedToGroupId) : nullptr;
        const auto ctx = d::findAction(*session, args[1]);
        const int slip =
            ctx.action.originalTargetDate ? d::daysBetween(ctx.action.originalTargetDate->date, date->date) : 0;
        std::cout << "request " << request.id << " for " << date->display() << " (total slip " << slip
                  << " days) routed to " << (routed ? routed->name : std::string("(none)")) << "\n";
        return kExitOk;
    }
    if (verb == "action" && sub == "show") {
        if (args.size() != 2)
            throw d::ValidationError("action show takes one ACTION reference, e.g. IA-2024-25-PM/1.1");
        return showAction(*session, args[1], clock.today());
    }
    if (verb == "evidence" && sub == "get") {
        if (args.size() != 2) throw d::ValidationError("evidence get takes one evidence id (from action show)");
        const auto content = session->evidence().content(args[1]);
        if (!content) throw d::NotFoundError("no evidence has the id '" + args[1] + "'");
        // Re-check the recorded SHA-256 before handing the file out: a file altered in the database must not be
        // passed off as the evidence that was verified.
        std::optional<d::Evidence> record;
        for (const auto& a : session->loadActionPlan({}).actions) {
            for (auto& e : session->evidence().listByAction(a.id)) {
                if (e.id == args[1]) record = std::move(e);
            }
            if (record) break;
        }
        if (record && !record->sha256.empty() && hasher.sha256Hex(*content) != record->sha256) {
            throw d::Error(d::ErrorCode::kInternal,
                           "evidence " + args[1] +
                               " no longer matches its recorded SHA-256; it was changed outside "
                               "govtrack (run verify-audit-log)");
        }
        if (!values_.count("output")) throw d::ValidationError("--output FILE is required: evidence may be binary");
        return writeOutput(*content);
    }
    if (verb == "request" && sub == "decide") {
        if (args.size() != 2) throw d::ValidationError("request decide takes one request id");
        const bool approve = flags_.count("approve") > 0, refuse = flags_.count("refuse") > 0;
        if (approve == refuse) throw d::ValidationError("request decide needs exactly one of --approve or --refuse");
        const d::Actor actor = actorFor(*session);
        std::optional<std::string> group;
        if (values_.count("group")) group = values_["group"];
        const auto decided =
            service.decide(actor, args[1], approve, values_["note"], group, values_["decision-ref"], version());
        std::cout << "request " << decided.id << " " << d::toString(decided.status) << "\n";
        return kExitOk;
    }
    if (verb == "request" && sub == "list") {
        d::GroupChart chart(session->groups().list());
        std::optional<d::Id> groupId;
        if (values_.count("group")) {
            const auto* group = chart.findByName(values_["group"]);
            if (!group) throw d::NotFoundError("--group: no governance group is called '" + values_["group"] + "'");
            groupId = group->id;
        }
        const auto pending = session->revisionRequests().listPending(groupId);
        for (const auto& r : pending) {
            const auto* g = r.routedToGroupId ? chart.find(*r.routedToGroupId) : nullptr;
            const auto ctx = d::findAction(*session, r.actionId);
            const auto due = d::effectiveDueDate(ctx.action);
            const int slip = ctx.action.originalTargetDate
                                 ? d::daysBetween(ctx.action.originalTargetDate->date, r.requestedDate.date)
                                 : 0;
            const auto requester = r.requestedById ? session->people().findById(*r.requestedById) : std::nullopt;
            std::cout << r.id.substr(0, 8) << "  " << ctx.engagement.reference << " " << ctx.recommendation.number
                      << "." << ctx.action.number << " (" << d::toString(ctx.recommendation.priority) << ")  "
                      << (due ? due->display() : std::string("-")) << " -> " << r.requestedDate.display()
                      << " (total slip " << slip << " days)  for " << (g ? chart.current(*g).name : "-")
                      << "  asked by " << (requester ? requester->roleTitle : std::string("-")) << " on "
                      << d::formatUk(r.requestedOn) << ": " << r.reason << "\n";
        }
        std::cout << pending.size() << " pending request" << (pending.size() == 1 ? "" : "s") << "\n";
        return kExitOk;
    }
    if (verb == "group" && sub == "supersede") {
        if (args.size() != 2) throw d::ValidationError("group supersede takes the old group's name");
        const d::Actor actor = actorFor(*session);
        d::Date on = clock.today();
        if (values_.count("on")) {
            const auto parsed = d::parseIsoDate(values_["on"]);
            if (!parsed) throw d::ValidationError("--on: '" + values_["on"] + "' is not a date YYYY-MM-DD");
            on = *parsed;
        }
        const auto [actions, requests] = service.supersedeGroup(actor, args[1], required("by"), on);
        std::cout << args[1] << " superseded by " << values_["by"] << " on " << d::formatUk(on) << "; moved " << actions
                  << " open actions and " << requests << " pending requests\n";
        return kExitOk;
    }
    throw d::ValidationError(verb + ": unknown sub-command '" + sub +
                             "'; expected action show|move|update|request-date, request decide|list, group supersede, "
                             "evidence get");
}

int GovtrackApp::showAction(d::StoreSession& session, const std::string& ref, d::Date today) {
    const auto ctx = d::findAction(session, ref);
    const d::Action& a = ctx.action;
    auto title = [&](const std::optional<d::Id>& id) -> std::string {
        if (!id) return "-";
        const auto p = session.people().findById(*id);
        return p ? p->roleTitle : *id;
    };
    auto groupName = [&](const std::optional<d::Id>& id) -> std::string {
        if (!id) return "-";
        const auto g = session.groups().findById(*id);
        return g ? g->name : *id;
    };
    std::ostringstream o;
    o << ctx.name() << " (" << d::toString(ctx.recommendation.priority)
      << " recommendation: " << ctx.recommendation.title << ")\n"
      << "  " << a.description << "\n"
      << "  status " << d::toString(a.status) << " [" << d::toString(d::rag(a, today)) << "], version " << a.version
      << "\n  lead owner " << title(a.leadOwnerId);
    for (const auto& co : a.coOwnerIds) o << "; co-owner " << title(co);
    o << "\n  responsible group " << groupName(a.responsibleGroupId) << "\n  target "
      << (a.originalTargetDate ? a.originalTargetDate->display() : std::string("-"));
    if (const auto due = d::effectiveDueDate(a); due && !a.revisions.empty()) o << ", now " << due->display();
    if (const int overdue = d::daysOverdue(a, today)) o << " (" << overdue << " days overdue)";
    o << "\n";
    for (const auto& r : a.revisions) {
        o << "  revised to " << r.newDate.display() << " by " << r.approvedBy
          << (r.decisionDate ? " on " + d::formatUk(*r.decisionDate) : std::string()) << ": " << r.reason << "\n";
    }
    if (a.closure) {
        o << "  closed by " << groupName(a.closure->groupId) << " on " << d::formatUk(a.closure->date) << " under "
          << d::toString(a.closure->power) << " (" << a.closure->reference << ")\n";
    }
    if (!a.auditorAssessment.empty()) o << "  auditor assessment: " << a.auditorAssessment << "\n";
    for (const auto& r : session.revisionRequests().listByAction(a.id)) {
        o << "  request " << r.id.substr(0, 8) << " for " << r.requestedDate.display() << ": " << d::toString(r.status)
          << (r.routedToGroupId ? " (" + groupName(r.routedToGroupId) + ")" : "") << "\n";
    }
    for (const auto& u : session.progressUpdates().listByAction(a.id)) {
        o << "  update " << d::formatUk(u.date) << " by " << title(u.authorId)
          << (u.percent ? " (" + std::to_string(*u.percent) + "%)" : "") << ": " << u.text << "\n";
    }
    for (const auto& e : session.evidence().listByAction(a.id)) {
        o << "  evidence " << e.id << " added " << d::formatUk(e.addedOn) << " by " << title(e.addedById) << ": ";
        if (e.fileName.empty()) {
            o << e.note;
        } else {
            o << e.fileName << " (" << e.mediaType << ", " << e.sizeBytes << " bytes, sha256 " << e.sha256.substr(0, 16)
              << "...)";
        }
        o << "\n";
    }
    std::cout << o.str();
    return kExitOk;
}

int GovtrackApp::reportMeetingPack(d::StoreSession& session, d::Date date) {
    const std::string format = values_.count("format") ? values_["format"] : "html";
    if (format != "html" && format != "json") throw d::ValidationError("--format: meeting-pack is html or json");
    const Settings settings = readSettings();
    std::optional<std::string> cutoff;
    if (date < platform::ZonedClock(settings.timeZone).today()) cutoff = platform::endOfDayUtc(date, settings.timeZone);
    const auto pack = reports::meetingPackFor(session, required("group"), date, cutoff);
    const std::string text =
        format == "json" ? reports::renderMeetingPackJson(pack) : reports::renderMeetingPackHtml(pack);
    return writeOutput(text);
}

}  // namespace govtrack::app
