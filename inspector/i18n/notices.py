"""A notice's sentence, the same on the phone's notice list and in ``GET /api/notifications``."""

from datetime import datetime

from inspector.domain.oversight import whole_days
from inspector.i18n import t


def notice_message(kind: str, at: datetime, now: datetime, lang: str, number: str | None = None,
                   category: str | None = None, reason: str | None = None, site: str | None = None,
                   check_type: str | None = None) -> str:
    """"2026-0715-003 工地污水乱排放：已逾期 2 天": the item, what is due and how many days are left or past;
    "场所 阳光小区 自查已逾期 3 天" for a site overdue for a visit (``site``, ``check_type``)."""
    days = whole_days(at, now)
    key = f"notice.{kind}.message"
    if kind == "deadline_soon" and days == 0:
        key = "notice.deadline_soon.today"
    if kind == "look_back_due" and days < 0:
        key = "notice.look_back_due.overdue"
    return t(key, lang, number=number or t("notice.no_number", lang),
             category=t(f"category.{category}", lang) if category else "", days=abs(days), reason=reason or "",
             site=site or "", check=t(f"check_type.{check_type}", lang) if check_type else "")


def notice_title(kind: str, lang: str) -> str:
    """The notice's heading: "即将到期", "Overdue"."""
    return t(f"notice.{kind}", lang)


def step_words(step: str, lang: str) -> str:
    """D: a 督办 step in words: "到期前 2 天提醒" ("2d"), "到期当天提醒" ("due"), "逾期提醒", "督办", "升级督办"."""
    if step[:-1].isdigit() and step.endswith("d"):
        return t("supervision.step.before", lang, days=int(step[:-1]))
    return t(f"supervision.step.{step}", lang)
