"""Builders for the findings tests: the template filled with rows, and a finding taken through its fix."""

import io
from openpyxl import Workbook, load_workbook

from inspector.services import events, findings
from inspector.services.events import EventIn
from tests.factories import new_id

ROWS = [
    ["JP-1", "华家池路工地", "工地出入口垃圾堆放", "工地垃圾乱丢弃", "建筑工程管理处"],
    ["JP-2", "西湖文化广场绿化带", "裸土未覆盖", "loose_soil", ""],
    ["JP-10", "某小区", "楼道堆放杂物", "Community sanitation", "real_estate"],
]


def filled(rows, lang: str = "zh-CN") -> bytes:
    """The downloaded template with its example rows replaced by ``rows``."""
    book = load_workbook(io.BytesIO(findings.template(lang)))
    sheet = book.worksheets[0]
    sheet.delete_rows(2, sheet.max_row)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def workbook(rows) -> bytes:
    """A workbook of ``rows`` exactly as given (headers included), for hostile files."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def send(ctx, actor, item, kind: str, **payload):
    """Record ``kind`` on ``item`` as ``actor``; the item after it."""
    outcome = events.push(ctx, actor, [EventIn(id=new_id(), item_id=item.id, kind=kind, at=ctx.now(),
                                              base_version=item.version, payload=payload)])[0]
    assert outcome.status == "accepted", outcome.error
    return outcome.item


def fix(ctx, clock, supervisor, staff, item, photo: str):
    """Assign ``item`` to construction, fix it with ``photo`` a day later, verify it: the item after."""
    item = send(ctx, supervisor, item, "assigned", office="construction", leader="陈处长", deadline="2026-07-20")
    clock.advance(days=1)
    item = send(ctx, staff, item, "fix_submitted", photos=[photo])
    clock.advance(hours=2)
    return send(ctx, supervisor, item, "verified")
