#pragma once

#include <string>
#include <string_view>

#include "govtrack/domain/Model.h"

/// The canonical text form of entity states in audit events: one "key=value" line per field, keys in a
/// fixed order, values escaped (backslash, newline) so the text is unambiguous and hashes the same on
/// every backend and platform. decode*() reverse encode*() exactly (decode(encode(x)) == x) and throw
/// Error(kInternal) on text they cannot read.
namespace govtrack::domain {

/// One value of a "key=value" line: backslash, LF and CR escaped (\\ \n \r) so a value never spans
/// lines. Shared by the codec and the event hash (AuditTrail.cpp).
std::string escapeCanonicalValue(std::string_view value);

std::string encode(const Engagement& value);
std::string encode(const Recommendation& value);
std::string encode(const Action& value);
std::string encode(const ProgressUpdate& value);
std::string encode(const GovernanceGroup& value);
std::string encode(const Person& value);
std::string encode(const OrganisationUnit& value);
std::string encode(const Risk& value);
std::string encode(const RiskRegister& value);
std::string encode(const Finding& value);
std::string encode(const RevisionRequest& value);
std::string encode(const Evidence& value);

Engagement decodeEngagement(const std::string& text);
Recommendation decodeRecommendation(const std::string& text);
Action decodeAction(const std::string& text);
ProgressUpdate decodeProgressUpdate(const std::string& text);
GovernanceGroup decodeGroup(const std::string& text);
Person decodePerson(const std::string& text);
OrganisationUnit decodeUnit(const std::string& text);
Risk decodeRisk(const std::string& text);
RiskRegister decodeRiskRegister(const std::string& text);
Finding decodeFinding(const std::string& text);
RevisionRequest decodeRevisionRequest(const std::string& text);
Evidence decodeEvidence(const std::string& text);

}  // namespace govtrack::domain
