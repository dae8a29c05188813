"""The bureau's clock: dates that mean "today" are Beijing dates (UTC+8, no daylight saving).

A nightly build at 16:30 UTC runs at 00:30 in Beijing, already the next day for the bureau.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")


def beijing_now() -> datetime:
    """The current time in Beijing, with its offset."""
    return datetime.now(BEIJING)


def beijing_today(now: datetime | None = None) -> date:
    """Today's date for the bureau, whatever the machine's time zone (`now`: another moment)."""
    moment = now or beijing_now()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BEIJING).date()


def beijing_time(moment: datetime) -> str:
    """A moment shown to staff: Beijing date and time to the minute."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
