#include <gtest/gtest.h>

#include "govtrack/domain/AuditCodec.h"
#include "govtrack/domain/Error.h"

namespace d = govtrack::domain;

namespace {

d::Date day(int y, unsigned m, unsigned dd) {
    return d::Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{dd}};
}

/// Text with every character the escaping must survive.
const std::string kAwkward = "line one\nline two\\n not an escape = still value\r\nend \xE2\x82\xAC";

d::GroupDecision decision() {
    return d::GroupDecision{"g-1", std::string("p-9"), day(2025, 5, 20), d::PowerKind::kAcceptRisk,
                            "ET 2025-05-20 item 4\n(minute)"};
}

}  // namespace

TEST(AuditCodec, EngagementRoundTripsEveryField) {
    d::Engagement e;
    e.id = "e-1";
    e.reference = "IA-2024-25-PM";
    e.title = kAwkward;
    e.auditYear = "2024-25";
    e.scope = "scope\nwith lines";
    e.remitItems = {"one", "two=2", ""};
    e.keyRisks = {"k\\1"};
    e.fieldworkStart = d::TargetDate::day(day(2025, 1, 6));
    e.fieldworkEnd = d::TargetDate::monthOnly(2025, 2);
    e.draftReportDate = d::TargetDate::day(day(2025, 3, 1));
    e.finalReportDate = d::TargetDate::day(day(2025, 4, 30));
    e.resourceDays = 25;
    e.issueDate = d::TargetDate::monthOnly(2025, 5);
    e.assuranceLevel = d::AssuranceLevel::kReasonable;
    e.status = d::EngagementStatus::kClosed;
    e.followsUpId = "e-0";
    e.version = 7;
    EXPECT_EQ(d::decodeEngagement(d::encode(e)), e);
    d::Engagement bare;
    bare.id = "x";
    EXPECT_EQ(d::decodeEngagement(d::encode(bare)), bare);
}

TEST(AuditCodec, RecommendationRoundTripsEveryField) {
    d::Recommendation r{"r-1",
                        "e-1",
                        3,
                        "Data",
                        "issue",
                        "risk",
                        kAwkward,
                        d::Priority::kHigh,
                        d::ManagementResponse::kRiskTolerated,
                        "response",
                        {"CR-012", "CR-005"},
                        4};
    EXPECT_EQ(d::decodeRecommendation(d::encode(r)), r);
}

TEST(AuditCodec, ActionRoundTripsEveryField) {
    d::Action a;
    a.id = "a-1";
    a.recommendationId = "r-1";
    a.number = 2;
    a.description = kAwkward;
    a.leadOwnerId = "p-1";
    a.coOwnerIds = {"p-2", "p-3"};
    a.originalTargetDate = d::TargetDate::monthOnly(2025, 12);
    a.revisions = {d::RevisedTargetDate{d::TargetDate::monthOnly(2026, 3), "slip\nreason", std::string("p-1"),
                                        "Executive Team", day(2025, 11, 2)},
                   d::RevisedTargetDate{d::TargetDate::day(day(2026, 6, 30)), "", std::nullopt, "", std::nullopt}};
    a.status = d::ActionStatus::kRiskAccepted;
    a.pillar = d::Pillar::kLeadershipAccountability;
    a.lineOfDefence = d::LineOfDefence::kSecond;
    a.auditorAssessment = "assessed";
    a.responsibleGroupId = "g-2";
    a.supersededByActionId = "a-9";
    a.closure = decision();
    a.version = 12;
    EXPECT_EQ(d::decodeAction(d::encode(a)), a);
    d::Action bare;
    bare.id = "a-2";
    EXPECT_EQ(d::decodeAction(d::encode(bare)), bare);
}

TEST(AuditCodec, ProgressUpdateRoundTripsEveryField) {
    d::ProgressUpdate u{"u-1", "a-1", day(2025, 6, 30), std::string("p-1"), kAwkward, 60};
    EXPECT_EQ(d::decodeProgressUpdate(d::encode(u)), u);
    d::ProgressUpdate bare{"u-2", "a-1", day(2025, 7, 1), std::nullopt, "", std::nullopt};
    EXPECT_EQ(d::decodeProgressUpdate(d::encode(bare)), bare);
}

TEST(AuditCodec, GroupRoundTripsEveryField) {
    d::GovernanceGroup g;
    g.id = "g-1";
    g.name = "Performance Forum";
    g.kind = d::GroupKind::kForum;
    g.parentId = "g-0";
    g.purpose = kAwkward;
    g.remit = "remit";
    g.meetingFrequency = "monthly";
    g.quorum = "3 members";
    g.effectiveFrom = d::TargetDate::day(day(2022, 4, 1));
    g.effectiveTo = d::TargetDate::monthOnly(2025, 6);
    g.supersededById = "g-5";
    g.members = {{"p-1", d::MemberRole::kChair}, {"p-2", d::MemberRole::kSecretary}, {"p-3", d::MemberRole::kMember}};
    g.powers = {d::DelegatedPower{d::PowerKind::kApproveRevisedDate, d::Priority::kMedium, 90},
                d::DelegatedPower{d::PowerKind::kWithdrawAction, std::nullopt, std::nullopt}};
    EXPECT_EQ(d::decodeGroup(d::encode(g)), g);
}

TEST(AuditCodec, PersonUnitRiskFindingRoundTrip) {
    d::Person p{"p-1",
                "Head of People & Place",
                "hopp@example.org",
                std::string("u-1"),
                std::string("p-0"),
                false,
                {d::Role::kAdmin, d::Role::kAuditor}};
    EXPECT_EQ(d::decodePerson(d::encode(p)), p);
    d::OrganisationUnit u{"u-1", "Client Services", d::UnitKind::kDirectorate, std::string("u-0")};
    EXPECT_EQ(d::decodeUnit(d::encode(u)), u);
    d::Risk r = d::Risk::basic("k-1", "CR-012", "Management information", kAwkward, "divisional");
    EXPECT_EQ(d::decodeRisk(d::encode(r)), r);
    d::Finding f{"f-1", "e-1", "3.2.5", d::FindingKind::kGoodPractice, kAwkward, 2};
    EXPECT_EQ(d::decodeFinding(d::encode(f)), f);
}

TEST(AuditCodec, RevisionRequestAndEvidenceRoundTrip) {
    d::RevisionRequest q;
    q.id = "q-1";
    q.actionId = "a-1";
    q.requestedDate = d::TargetDate::monthOnly(2026, 3);
    q.reason = kAwkward;
    q.requestedById = "p-1";
    q.requestedOn = day(2025, 10, 1);
    q.routedToGroupId = "g-2";
    q.status = d::RequestStatus::kApproved;
    q.decision = decision();
    q.decisionNote = "approved within limit";
    q.version = 3;
    EXPECT_EQ(d::decodeRevisionRequest(d::encode(q)), q);

    d::Evidence ev{"v-1",
                   "a-1",
                   std::string("u-1"),
                   "minutes.pdf",
                   "application/pdf",
                   123456,
                   std::string(64, 'a'),
                   day(2025, 9, 9),
                   std::string("p-1"),
                   kAwkward};
    EXPECT_EQ(d::decodeEvidence(d::encode(ev)), ev);
}

TEST(AuditCodec, CanonicalFormIsOneLinePerFieldInFixedOrder) {
    d::OrganisationUnit u{"u-1", "A\nB", d::UnitKind::kTeam, std::nullopt};
    EXPECT_EQ(d::encode(u), "id=u-1\nname=A\\nB\nkind=team\n");
    d::Person p{"p-1", "Chief Data Officer", "", std::nullopt, std::nullopt, true, {d::Role::kViewer}};
    EXPECT_EQ(d::encode(p), "id=p-1\nrole_title=Chief Data Officer\nemail=\nactive=true\nroles=1\nroles.0=viewer\n");
}

TEST(AuditCodec, UnreadableTextThrowsInternal) {
    for (const std::string bad :
         {"", "id=x", "id=x\nid=y\n", "novalue\n", "id=x\nkind=spaceship\n", "id=x\nname=a\\q\n"}) {
        try {
            d::decodeUnit(bad);
            ADD_FAILURE() << "accepted: " << bad;
        } catch (const d::Error& e) {
            EXPECT_EQ(e.code(), d::ErrorCode::kInternal) << bad;
        }
    }
    EXPECT_THROW(d::decodeAction("id=a\nnumber=one\n"), d::Error);
    EXPECT_THROW(d::decodeAction("id=a\noriginal_target_date=31/12/2025\n"), d::Error);
}
