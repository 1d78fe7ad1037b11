"""Who may open the notification settings: anyone signed in, dealer or staff."""

from __future__ import annotations

from dealerdesk.tenancy.tests.matrix import LOGIN, OK, Row, outcomes

ROWS: dict[str, Row] = {
    "notifications:preferences": Row(outcomes(OK, anonymous=LOGIN, blocked=LOGIN)),
}
