// The action workflow, delegated authority, revised target dates and supersession (SPEC 4.1, 4.3, 4.4)
// on the worked example, on every backend. Each refusal leaves the store and the audit trail unchanged.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "govtrack/domain/ActionService.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/ImportService.h"
#include "govtrack/domain/Rules.h"
#include "govtrack/interchange/JsonPlanReader.h"
#include "govtrack/platform/Sha256Hasher.h"

#include "Backends.h"
#include "CountingIds.h"
#include "RunBinary.h"

namespace d = govtrack::domain;
using namespace std::chrono;

namespace {

d::Date ymd(int y, unsigned m, unsigned dd) {
    return d::Date{year{y}, month{m}, day{dd}};
}

d::MoveRequest moveTo(d::ActionStatus status) {
    d::MoveRequest request;
    request.to = status;
    return request;
}

const char* kRec1 = "IA-2024-25-PM/1.1";
const char* kRec2 = "IA-2024-25-PM/2.1";
const char* kRec3 = "IA-2024-25-PM/3.1";

class WorkflowContract : public govtrack::test::StoreContract {
protected:
    void SetUp() override {
        StoreContract::SetUp();
        if (IsSkipped()) return;
        std::ifstream in(govtrack::test::sourcePath("docs/examples/performance-management-2024-25.json"));
        std::stringstream text;
        text << in.rdbuf();
        d::ImportService(*s, ids).apply(govtrack::interchange::readJsonPlan(text.str(), "example.json"));
        audit = std::make_unique<d::AuditTrail>(s->events(), clock, hasher);
        service = std::make_unique<d::ActionService>(*s, *audit, clock, ids, hasher);
    }

    d::Actor as(const std::string& roleTitle) { return d::Actor::of(*s->people().findByRoleTitle(roleTitle)); }
    d::Action action(const char* ref) { return d::findAction(*s, ref).action; }
    std::int64_t events() { return s->events().count(); }

    /// Runs `change`, expects it to throw E, and checks nothing changed: the action and the event count.
    template <typename E, typename F>
    std::string refused(const char* ref, F&& change) {
        const auto before = action(ref);
        const auto eventsBefore = events();
        std::string message;
        try {
            change();
            ADD_FAILURE() << "expected a refusal";
        } catch (const E& e) {
            message = e.what();
        }
        EXPECT_EQ(action(ref), before);
        EXPECT_EQ(events(), eventsBefore);
        return message;
    }

    d::FixedClock clock{ymd(2025, 11, 20)};
    govtrack::test::CountingIds ids;
    govtrack::platform::Sha256Hasher hasher;
    std::unique_ptr<d::AuditTrail> audit;
    std::unique_ptr<d::ActionService> service;
};

const char* kOwner1 = "Organisational Design and Strategic Capability Lead";
const char* kCoOwner1 = "Head of People & Place";
const char* kAuditor = "Internal Audit Manager";
const char* kSecretariat = "Head of Governance";
const char* kBprgChair = "Deputy Director of Health and Social Care";
const char* kGroupsSecretary = "Governance Officer";

}  // namespace

TEST_P(WorkflowContract, ClaimNeedsEvidenceThenTheAuditorVerifies) {
    d::MoveRequest claim;
    claim.to = d::ActionStatus::kImplemented;
    const auto message = refused<d::ValidationError>(kRec1, [&] { service->move(as(kOwner1), kRec1, claim); });
    EXPECT_NE(message.find("needs evidence"), std::string::npos) << message;

    claim.evidenceNote = "Objectives recorded for every role: HR system report 2025-11-18";
    const auto before = events();
    const auto claimed = service->move(as(kCoOwner1), kRec1, claim);  // a co-owner may claim too
    EXPECT_EQ(claimed.status, d::ActionStatus::kImplemented);
    EXPECT_EQ(action(kRec1).version, claimed.version);
    EXPECT_EQ(events(), before + 2);  // the evidence note and the transition
    ASSERT_EQ(s->evidence().listByAction(claimed.id).size(), 1u);

    d::MoveRequest verify;
    verify.to = d::ActionStatus::kVerified;
    refused<d::ForbiddenError>(kRec1, [&] { service->move(as(kOwner1), kRec1, verify); });  // owners do not verify
    const auto verified = service->move(as(kAuditor), kRec1, verify);
    EXPECT_EQ(verified.status, d::ActionStatus::kVerified);
    const auto ctx = d::findAction(*s, kRec1);
    EXPECT_EQ(d::recommendationStatus(ctx.recommendation, {&ctx.action}), d::RecommendationStatus::kImplemented);
    const auto last = s->events().list(events(), 1);
    ASSERT_EQ(last.size(), 1u);
    EXPECT_EQ(last[0].change, "transition");
    EXPECT_EQ(last[0].actorName, kAuditor);
}

TEST_P(WorkflowContract, TheAuditorRejectsAClaimWithAReason) {
    d::MoveRequest claim = moveTo(d::ActionStatus::kImplemented);
    claim.evidenceNote = "Terms of reference approved";
    service->move(as("Head of Performance, Analysis and Strategy"), kRec2, claim);
    d::MoveRequest reject = moveTo(d::ActionStatus::kInProgress);
    refused<d::ValidationError>(kRec2, [&] { service->move(as(kAuditor), kRec2, reject); });
    reject.reason = "The terms of reference do not yet define the group's decision-making powers";
    const auto back = service->move(as(kAuditor), kRec2, reject);
    EXPECT_EQ(back.status, d::ActionStatus::kInProgress);
    EXPECT_EQ(back.auditorAssessment, "Rejected: " + reject.reason);
}

TEST_P(WorkflowContract, IllegalMovesNameTheCurrentAndAllowedStates) {
    d::MoveRequest verify = moveTo(d::ActionStatus::kVerified);
    const auto message = refused<d::InvalidTransitionError>(kRec1, [&] { service->move(as(kAuditor), kRec1, verify); });
    EXPECT_EQ(message,
              "action IA-2024-25-PM 1.1 is in_progress; it can move to implemented, risk_accepted, superseded or "
              "withdrawn, not verified");
    d::MoveRequest reopen = moveTo(d::ActionStatus::kInProgress);
    const auto closed =
        refused<d::InvalidTransitionError>(kRec3, [&] { service->move(as(kSecretariat), kRec3, reopen); });
    EXPECT_NE(closed.find("risk_accepted, which is final"), std::string::npos) << closed;
}

TEST_P(WorkflowContract, RevisedDatesAreRoutedByPriorityAndSlip) {
    // Rec 1 is Medium, originally due 31 Dec 2025. BPRG approves medium slips up to 90 days; beyond, ET.
    const auto withinBprg = service->requestRevisedDate(as(kOwner1), kRec1, d::TargetDate::monthOnly(2026, 3),
                                                        "Enabling functions' workshops run to March");
    EXPECT_EQ(*withinBprg.routedToGroupId, s->groups().findByName("Benefit Performance Review Group")->id);
    refused<d::ConflictError>(kRec1, [&] {
        service->requestRevisedDate(as(kOwner1), kRec1, d::TargetDate::monthOnly(2026, 4), "second request");
    });
    service->decide(as(kBprgChair), withinBprg.id, false, "Not yet: bring a plan", std::nullopt, "BPRG 2025-11-20");
    const auto beyond = service->requestRevisedDate(as(kOwner1), kRec1, d::TargetDate::monthOnly(2026, 6),
                                                    "Wait for the new HR system");
    EXPECT_EQ(*beyond.routedToGroupId, s->groups().findByName("Executive Team")->id);
}

TEST_P(WorkflowContract, ADecisionNeedsTheGroupsPowerAndItsChairOrSecretary) {
    const auto request =
        service->requestRevisedDate(as(kOwner1), kRec1, d::TargetDate::monthOnly(2026, 3), "Workshops run to March");
    // A member who is not chair or secretary.
    auto m = refused<d::ForbiddenError>(kRec1, [&] {
        service->decide(as("Head of Client Services Operations"), request.id, true, "", std::nullopt, "");
    });
    EXPECT_NE(m.find("only the chair or secretary of Benefit Performance Review Group"), std::string::npos) << m;
    // A group without approve_revised_date is refused, naming the groups that hold the power.
    m = refused<d::ForbiddenError>(kRec1, [&] {
        service->decide(as(kGroupsSecretary), request.id, true, "", std::string("Risk and Reputation Group"), "");
    });
    EXPECT_NE(m.find("Risk and Reputation Group does not hold approve_revised_date"), std::string::npos) << m;
    EXPECT_NE(m.find("held by Benefit Performance Review Group"), std::string::npos) << m;

    const auto approved =
        service->decide(as(kBprgChair), request.id, true, "Agreed", std::nullopt, "BPRG 2025-11-20 item 2");
    EXPECT_EQ(approved.status, d::RequestStatus::kApproved);
    const auto revised = action(kRec1);
    ASSERT_EQ(revised.revisions.size(), 1u);
    EXPECT_EQ(revised.revisions[0].approvedBy, "Benefit Performance Review Group");
    EXPECT_EQ(revised.revisions[0].decisionDate, ymd(2025, 11, 20));
    EXPECT_EQ(d::effectiveDueDate(revised), d::TargetDate::monthOnly(2026, 3));
    EXPECT_EQ(d::totalSlipDays(revised), 90);
    EXPECT_THROW(service->decide(as(kBprgChair), request.id, true, "", std::nullopt, ""), d::InvalidTransitionError);
}

TEST_P(WorkflowContract, ARevisionMustExtendTheDate) {
    refused<d::ValidationError>(kRec1, [&] {
        service->requestRevisedDate(as(kOwner1), kRec1, d::TargetDate::day(ymd(2025, 11, 30)), "earlier");
    });
    refused<d::ForbiddenError>(kRec1, [&] {
        service->requestRevisedDate(as(kAuditor), kRec1, d::TargetDate::monthOnly(2026, 2), "not an owner");
    });
    // Rec 2 was due in June 2025; October 2025 is later, but already past on 20 November 2025.
    const auto m = refused<d::ValidationError>(kRec2, [&] {
        service->requestRevisedDate(as("Head of Performance, Analysis and Strategy"), kRec2,
                                    d::TargetDate::monthOnly(2025, 10), "backdated");
    });
    EXPECT_NE(m.find("not in the future"), std::string::npos) << m;
}

TEST_P(WorkflowContract, AcceptingARiskNeedsAGroupHoldingAcceptRiskForThePriority) {
    d::MoveRequest accept = moveTo(d::ActionStatus::kRiskAccepted);
    accept.reason = "Objectives will follow the new HR system; risk tolerated meanwhile";
    accept.groupName = "Benefit Performance Review Group";  // accept_risk for low priority only
    auto m = refused<d::ForbiddenError>(kRec1, [&] { service->move(as(kBprgChair), kRec1, accept); });
    EXPECT_NE(m.find("does not hold accept_risk for medium priority"), std::string::npos) << m;
    EXPECT_NE(m.find("held by Risk and Reputation Group"), std::string::npos) << m;
    accept.groupName = "Risk and Reputation Group";
    const auto notOfficer = refused<d::ForbiddenError>(kRec1, [&] { service->move(as(kBprgChair), kRec1, accept); });
    EXPECT_NE(notOfficer.find("(Chief Data Officer, Governance Officer)"), std::string::npos) << notOfficer;
    refused<d::ValidationError>(kRec1, [&] { service->move(as(kGroupsSecretary), kRec1, accept); });  // no minute
    accept.decisionReference = "RRG 2025-11-20 item 1";
    const auto closed = service->move(as(kGroupsSecretary), kRec1, accept);
    EXPECT_EQ(closed.status, d::ActionStatus::kRiskAccepted);
    ASSERT_TRUE(closed.closure);
    EXPECT_EQ(closed.closure->groupId, s->groups().findByName("Risk and Reputation Group")->id);
    EXPECT_EQ(closed.closure->power, d::PowerKind::kAcceptRisk);
}

TEST_P(WorkflowContract, SupersessionMovesOpenItemsAndPendingRequestsButNotHistory) {
    // A new board takes over from the Benefit Performance Review Group.
    d::ActionPlanDocument doc;
    d::GroupRecord board;
    board.origin = "test";
    board.name = "Performance and Quality Board";
    board.parentName = "Executive Team";
    board.members = {{kBprgChair, d::MemberRole::kChair}, {kGroupsSecretary, d::MemberRole::kSecretary}};
    board.powers = {{d::PowerKind::kApproveRevisedDate, d::Priority::kMedium, 120}};
    doc.groups.push_back(board);
    d::ImportService(*s, ids).apply(doc);
    const auto request =
        service->requestRevisedDate(as(kOwner1), kRec1, d::TargetDate::monthOnly(2026, 3), "Workshops run to March");

    refused<d::ForbiddenError>(kRec1, [&] {
        service->supersedeGroup(as(kOwner1), "Benefit Performance Review Group", "Performance and Quality Board",
                                ymd(2025, 11, 20));
    });
    const auto [actions, requests] = service->supersedeGroup(as(kSecretariat), "Benefit Performance Review Group",
                                                             "Performance and Quality Board", ymd(2025, 11, 19));
    EXPECT_EQ(actions, 2);  // Rec 1 and Rec 2 actions are open
    EXPECT_EQ(requests, 1);
    const auto boardId = s->groups().findByName("Performance and Quality Board")->id;
    EXPECT_EQ(action(kRec1).responsibleGroupId, boardId);
    EXPECT_EQ(s->revisionRequests().findById(request.id)->routedToGroupId, boardId);
    // The old group can no longer decide (clock: 20 Nov, superseded on the 19th); the successor can.
    EXPECT_THROW(
        service->decide(as(kBprgChair), request.id, true, "", std::string("Benefit Performance Review Group"), ""),
        d::ForbiddenError);
    service->decide(as(kBprgChair), request.id, true, "", std::nullopt, "PQB 2025-11-20");
    EXPECT_EQ(action(kRec1).revisions.back().approvedBy, "Performance and Quality Board");
    EXPECT_THROW(service->supersedeGroup(as(kSecretariat), "Risk and Reputation Group", "Executive Team",
                                         ymd(2025, 12, 1)),  // not yet: the clock says 20 November
                 d::ValidationError);
}

TEST_P(WorkflowContract, PendingRequestsAreRoutedAfreshWhenTheirGroupIsSuperseded) {
    // The Risk and Reputation Group cannot approve dates: a request moved to it goes on up its chain.
    const auto request =
        service->requestRevisedDate(as(kOwner1), kRec1, d::TargetDate::monthOnly(2026, 3), "Workshops run to March");
    service->supersedeGroup(as(kSecretariat), "Benefit Performance Review Group", "Risk and Reputation Group",
                            ymd(2025, 11, 20));
    EXPECT_EQ(s->revisionRequests().findById(request.id)->routedToGroupId,
              s->groups().findByName("Executive Team")->id);
    EXPECT_EQ(action(kRec1).responsibleGroupId, s->groups().findByName("Risk and Reputation Group")->id);
}

TEST_P(WorkflowContract, AnApprovalMustStillBeInTime) {
    const auto request =
        service->requestRevisedDate(as(kOwner1), kRec1, d::TargetDate::day(ymd(2026, 1, 15)), "Short delay");
    d::FixedClock later{ymd(2026, 2, 1)};
    d::AuditTrail laterAudit(s->events(), later, hasher);
    d::ActionService laterService(*s, laterAudit, later, ids, hasher);
    const auto m = refused<d::ValidationError>(
        kRec1, [&] { laterService.decide(as(kBprgChair), request.id, true, "", std::nullopt, "BPRG 2026-02-01"); });
    EXPECT_NE(m.find("no longer in the future"), std::string::npos) << m;
    // A prefix of the id is enough when it names one request.
    laterService.decide(as(kBprgChair), request.id.substr(0, 8), false, "Too late", std::nullopt, "BPRG 2026-02-01");
    EXPECT_EQ(s->revisionRequests().findById(request.id)->status, d::RequestStatus::kRefused);
}

TEST_P(WorkflowContract, AStaleEditIsRefusedAndOnlyOneOfTwoRacingWritersWins) {
    const auto v = action(kRec2).version;
    d::MoveRequest start = moveTo(d::ActionStatus::kImplemented);
    start.evidenceNote = "Terms of reference published";
    start.expectedVersion = v;
    auto other = store->openSession();
    d::AuditTrail otherAudit(other->events(), clock, hasher);
    d::ActionService otherService(*other, otherAudit, clock, ids, hasher);
    int wins = 0, stale = 0;
    for (d::ActionService* svc : {service.get(), &otherService}) {
        try {
            svc->move(as("Head of Performance, Analysis and Strategy"), kRec2, start);
            ++wins;
        } catch (const d::ConflictError& e) {
            EXPECT_TRUE(e.stale());
            ++stale;
        } catch (const d::InvalidTransitionError&) {
            ++stale;  // the winner's move already happened
        }
    }
    EXPECT_EQ(wins, 1);
    EXPECT_EQ(stale, 1);
    std::int64_t transitions = 0;
    for (const auto& e : s->events().list(1, 10000)) {
        if (e.entityType == "action" && e.change == "transition") ++transitions;
    }
    EXPECT_EQ(transitions, 1);
}

TEST_P(WorkflowContract, EvidenceFilesAreTypedByContentAndHashed) {
    d::EvidenceUpload exe{"minutes.pdf", std::string("MZ\x90\0\x03\0\0\0", 8)};
    refused<d::ValidationError>(kRec1,
                                [&] { service->addProgress(as(kOwner1), kRec1, "Minutes attached", 60, {exe}); });
    d::EvidenceUpload pdf{"minutes.pdf", "%PDF-1.7\nminutes of the BPRG\n%%EOF"};
    const auto update = service->addProgress(as(kOwner1), kRec1, "Minutes attached", 60, {pdf});
    const auto files = s->evidence().listByAction(action(kRec1).id);
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0].mediaType, "application/pdf");
    EXPECT_EQ(files[0].sha256, hasher.sha256Hex(pdf.content));
    EXPECT_EQ(files[0].progressUpdateId, update.id);
    EXPECT_EQ(*s->evidence().content(files[0].id), pdf.content);
    refused<d::ForbiddenError>(kRec1, [&] { service->addProgress(as(kAuditor), kRec1, "not an owner", 10, {}); });
}

// Found by an attack run: a group superseded today could still decide today.
TEST_P(WorkflowContract, AGroupSupersededTodayNoLongerDecides) {
    service->supersedeGroup(as(kSecretariat), "Risk and Reputation Group", "Executive Team", ymd(2025, 11, 20));
    d::MoveRequest accept = moveTo(d::ActionStatus::kRiskAccepted);
    accept.reason = "tolerate";
    accept.groupName = "Risk and Reputation Group";
    accept.decisionReference = "RRG 2025-11-20";
    const auto m = refused<d::ForbiddenError>(kRec1, [&] { service->move(as(kGroupsSecretary), kRec1, accept); });
    EXPECT_NE(m.find("is not in force on 2025-11-20"), std::string::npos) << m;
    EXPECT_EQ(s->groups().findByName("Risk and Reputation Group")->effectiveTo, d::TargetDate::day(ymd(2025, 11, 19)));
}

// Found by an attack run: two actions superseding each other closed both and hid them as overdue.
TEST_P(WorkflowContract, OnlyAnOpenActionCanTakeOverWork) {
    d::MoveRequest supersede = moveTo(d::ActionStatus::kSuperseded);
    supersede.reason = "merged into 2.1";
    supersede.supersededBy = kRec2;
    service->move(as(kSecretariat), kRec1, supersede);
    supersede.supersededBy = kRec1;  // 1.1 is now closed
    const auto m = refused<d::ValidationError>(kRec2, [&] { service->move(as(kSecretariat), kRec2, supersede); });
    EXPECT_NE(m.find("only an open action can take over"), std::string::npos) << m;
    supersede.supersededBy = kRec3;  // risk accepted
    refused<d::ValidationError>(kRec2, [&] { service->move(as(kSecretariat), kRec2, supersede); });
}

// Found by an attack run: supersession accepted a successor that is itself superseded, or a sub-group.
TEST_P(WorkflowContract, ASuccessorMustBeInForceAndNotASubGroup) {
    EXPECT_THROW(service->supersedeGroup(as(kSecretariat), "Error Control Working Group", "Performance Forum",
                                         ymd(2025, 11, 20)),
                 d::ValidationError);  // the Forum was superseded in June 2025
    EXPECT_THROW(
        service->supersedeGroup(as(kSecretariat), "Executive Team", "Error Control Working Group", ymd(2025, 11, 20)),
        d::ValidationError);  // reports (via BPRG) to the Executive Team
    EXPECT_FALSE(s->groups().findByName("Executive Team")->supersededById);
}

TEST_P(WorkflowContract, ADecisionNeedsItsReference) {
    const auto request =
        service->requestRevisedDate(as(kOwner1), kRec1, d::TargetDate::monthOnly(2026, 3), "Workshops run to March");
    EXPECT_THROW(service->decide(as(kBprgChair), request.id, true, "ok", std::nullopt, ""), d::ValidationError);
    EXPECT_THROW(service->decide(as(kBprgChair), request.id, true, "ok", std::nullopt, "BPRG\r  forged"),
                 d::ValidationError);  // one line
    EXPECT_THROW(service->decide(as(kBprgChair), request.id, true, "bad\x01note", std::nullopt, "BPRG 1"),
                 d::ValidationError);
    EXPECT_EQ(s->revisionRequests().findById(request.id)->status, d::RequestStatus::kPending);
}

GOVTRACK_ON_EVERY_BACKEND(WorkflowContract);
