#pragma once

#include "govtrack/domain/Text.h"

namespace govtrack::reports {

/// Text made safe for HTML (domain::htmlEscape; shared with the reminder digests).
using domain::htmlEscape;

}  // namespace govtrack::reports
