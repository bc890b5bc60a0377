"""The current time, in one place, so tests can fix it.

``BB_NOW`` (ISO 8601, e.g. ``2027-01-15T09:00:00Z``) is for tests only: it lets a test record
a publication dated after the real today without waiting for it.
"""

from __future__ import annotations

import datetime as dt
import os

from bloomberry_cli.errors import BBError


def now() -> dt.datetime:
    """Now, in UTC: the real clock, or ``$BB_NOW`` when a test set it."""
    fixed = os.environ.get("BB_NOW")
    if not fixed:
        return dt.datetime.now(dt.UTC)
    try:
        when = dt.datetime.fromisoformat(fixed)
    except ValueError:
        raise BBError(
            f"BB_NOW='{fixed}' is not a date or time",
            hint="unset it, or use YYYY-MM-DDTHH:MM (it is meant for tests)",
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)
