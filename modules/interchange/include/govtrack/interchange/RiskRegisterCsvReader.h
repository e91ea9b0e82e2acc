#pragma once

#include <string>
#include <string_view>

#include "govtrack/domain/RiskRules.h"
#include "govtrack/domain/RiskService.h"

/// The risk register CSV import format (issue 4; columns in docs/risks.md "Import"): one row per risk,
/// the register's own settings on any row of that register.
namespace govtrack::interchange {

/// True when the header row names risk register columns (register, current likelihood, ...) rather than
/// the action tracker's: `govtrack import FILE.csv` then reads it as a risk register.
bool looksLikeRiskRegisterCsv(std::string_view content, const std::string& fileName);

/// Reads a risk register CSV. Headings are matched case-insensitively (spaces and underscores alike) with
/// aliases; unknown columns are ignored. Required columns: register, reference. Likelihood and impact are
/// numbers or the matrix's labels, case-insensitive ("4" or "likely"); both parts of a rating or neither.
/// Owners, controls and links hold several values separated by ";" or a line break. A register's settings
/// (register_level, register_owner_unit, register_owner_group, escalation_threshold, review_frequency,
/// tolerance "operational: cautious; financial: averse") may be given on any of its rows; two rows that
/// disagree are an error.
///
/// All-or-nothing: every problem is collected and thrown as one domain::ValidationError whose errors()
/// have where = "FILE:LINE" and a message naming the field and the allowed values.
domain::RiskRegisterDocument readRiskRegisterCsv(std::string_view content, const std::string& fileName,
                                                 const domain::ScoringMatrix& matrix);

/// Reads a scoring matrix from JSON (docs/risks.md "Scoring matrix"):
/// {"likelihood": ["Rare", ...], "impact": ["Negligible", ...],
///  "bands": [{"level": "low", "min": 1, "max": 4}, ...],
///  "cells": [["low", "low", ...], ...]   (optional: a cell matrix, one row per likelihood 1..n)
///  "appetite": {"averse": 4, "minimal": 6, "cautious": 9, "open": 12, "eager": 16}}
/// Absent keys take the default 5x5's. Throws domain::ValidationError naming the file and the problem.
domain::ScoringMatrix readScoringMatrix(std::string_view json, const std::string& fileName);

}  // namespace govtrack::interchange
