"""Importing the technical assessment's findings (技术评估反馈问题) from the province's XLSX list.

An admin uploads the list; ``import_findings`` reads it (``xlsx_rows``),
checks every row (``domain.findings.check_rows``) and refuses the whole file
when any row is bad (``ImportRowsRefused``, each row with its number and
reason). Categories and offices are matched by code or by shown name in
either language; values nothing matches come back for the admin to map
(``needs_mapping``), and the same call with the mapping imports. Each new
finding becomes a ``reported`` event by the admin, through the one write path
(``events.apply_batch``) in one transaction: a refusal of any of them rolls
back all. Its location is the registered site whose name is the place, else
the city's default point (``catalog.MAP_CENTRE``, source ``manual``).
Findings already imported are skipped: importing a file again adds nothing.
"""

from dataclasses import dataclass, field
from typing import Mapping

from inspector.domain import catalog
from inspector.domain import findings as rules
from inspector.domain.figures import readable_offices
from inspector.domain.imports import MAX_ROWS
from inspector.domain.items import ItemState
from inspector.domain.permissions import Actor
from inspector.domain.roles import Role
from inspector.errors import FindingsAdminOnly, ImportMappingInvalid, ImportRowsRefused
from inspector.i18n import CATALOGUES, DEFAULT_LANG, t
from inspector.services import xlsx_rows
from inspector.services.context import Context
from inspector.services.events import EventIn, apply_batch
from inspector.services.progress import ProgressFn, Steps
from inspector.store import findings as store
from inspector.store import sites as site_store
from inspector.store.engine import read_session, rerun_contended, write_session

MAX_SHOWN_PROBLEMS = 200  # row problems sent back; the count says how many there were
CHUNK = 50  # findings decided between two progress calls


@dataclass(frozen=True)
class ImportResult:
    """What an import did: ``imported`` (numbers now items), ``nothing_new`` (every row was imported
    before) or ``needs_mapping`` (nothing written: ``unknown`` lists the values to map)."""

    status: str
    rows: int
    imported: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # numbers in the file imported before, skipped
    unknown: list[rules.Unknown] = field(default_factory=list)


def names() -> dict[str, dict[str, list[str]]]:
    """For ``category`` and ``office``: each code's shown names in every language."""
    return {
        "category": {c.code: [words.get(f"category.{c.code}", "") for words in CATALOGUES.values()]
                     for c in catalog.CATEGORIES},
        "office": {o.code: [words.get(f"office.{o.code}", "") for words in CATALOGUES.values()]
                   for o in catalog.OFFICES},
    }


def _check_mapping(mapping: Mapping[str, Mapping[str, str]] | None) -> dict[str, dict[str, str]]:
    known = names()
    out: dict[str, dict[str, str]] = {}
    for column, values in (mapping or {}).items():
        if column not in rules.MAPPED:
            raise ImportMappingInvalid(column=str(column)[:40], value="", code="")
        for value, code in values.items():
            if code not in known[column]:
                raise ImportMappingInvalid(column=column, value=str(value)[:60], code=str(code)[:40])
            out.setdefault(column, {})[str(value).strip()] = code
    return out


def _refuse(problems) -> None:
    rows = sorted(problems, key=lambda p: (p.row, p.column))
    raise ImportRowsRefused(count=len(rows), rows=[p.as_dict() for p in rows[:MAX_SHOWN_PROBLEMS]],
                            first=rows[0].row)


def _events(ctx: Context, new: list[rules.Finding], codes, lang: str) -> list[EventIn]:
    with read_session(ctx.engine) as session:
        sites = [(s.id, s.name, s.lat, s.lon) for s in site_store.active_sites(session)]
    now, label = ctx.now(), t("findings.place_label", lang)
    events = []
    for finding in new:
        site = rules.site_for(finding.place, sites)
        where = (site[1], site[2]) if site else catalog.MAP_CENTRE
        chosen = codes[finding.row]
        body = rules.payload(finding, chosen["category"], chosen["office"], where, site[0] if site else None, label)
        item_id, event_id = rules.ids_of(finding.number)
        events.append(EventIn(id=event_id, item_id=item_id, kind="reported", at=now, base_version=0, payload=body))
    return events


def _write(ctx: Context, actor: Actor, events: list[EventIn], rows: dict[str, int],
           progress: ProgressFn | None = None) -> None:
    """Record every finding's report in one transaction, or none of them; ``progress`` told per chunk of rows."""
    def once() -> None:
        steps = Steps(progress, len(events))  # a rerun after contention counts from the start again
        with write_session(ctx.engine, concurrent=True) as session:
            outcomes = []
            for start in range(0, len(events), CHUNK):  # one transaction still: the chunks only pace the telling
                chunk = events[start:start + CHUNK]
                outcomes += apply_batch(session, ctx, actor, chunk)
                steps.tick(len(chunk))
            # a duplicate is the same finding recorded by an import running beside this one: fine
            refused = [(rows[o.id], o.error) for o in outcomes if o.status == "rejected"]
            if refused:  # raising rolls the whole unit back: nothing is imported half
                raise ImportRowsRefused(count=len(refused), first=refused[0][0], rows=[
                    {"row": row, "column": "", "problem": "refused", "value": error.code}
                    for row, error in refused[:MAX_SHOWN_PROBLEMS]])

    rerun_contended(once)


def import_findings(ctx: Context, actor: Actor, data: bytes, mapping: Mapping[str, Mapping[str, str]] | None = None,
                    lang: str = DEFAULT_LANG, progress: ProgressFn | None = None) -> ImportResult:
    """Import the findings list ``data`` (XLSX) as items; see the module's docstring for the rules.

    ``progress(done, total)`` is told the new findings written so far (``total`` of them), once all are checked.
    """
    if actor.role != Role.ADMIN:
        raise FindingsAdminOnly()
    chosen = _check_mapping(mapping)
    sheet = xlsx_rows.read_rows(data, rules.HEADERS, rules.REQUIRED)
    with read_session(ctx.engine) as session:
        before = store.imported(session, [values.get("number", "") for _, values in sheet.rows])
    new, again, problems = rules.check_rows(sheet.rows, before)
    if sheet.problems or problems:
        _refuse([*sheet.problems, *problems])
    result = dict(rows=len(sheet.rows), already=[f.number for f in again])
    if not new:
        return ImportResult("nothing_new", **result)
    codes, unknown = rules.resolve(new, names(), chosen)
    if unknown:
        return ImportResult("needs_mapping", unknown=unknown, **result)
    events = _events(ctx, new, codes, lang)
    _write(ctx, actor, events, {e.id: f.row for e, f in zip(events, new)}, progress)
    return ImportResult("imported", imported=[f.number for f in new], **result)


def listed(ctx: Context, actor: Actor, office: str | None = None) -> list[ItemState]:
    """The imported findings of ``office`` (or of every office ``actor`` may read), by number."""
    offices = readable_offices(actor, office, action="findings")
    with read_session(ctx.engine) as session:
        items = store.finding_items(session, offices)
    return sorted(items, key=lambda item: (rules.sort_key(item.finding_number), item.id))


def template(lang: str = DEFAULT_LANG) -> bytes:
    """The findings list's template: the headers in ``lang``, two example rows, and the codes sheet."""
    keys = ("number", "place", "problem", "category", "office")
    header = [t(f"findings.col.{key}", lang) for key in keys]
    examples = [["JP-001", t("findings.example.place_1", lang), t("findings.example.problem_1", lang),
                 t("category.site_garbage", lang), t("office.construction", lang)],
                ["JP-002", t("findings.example.place_2", lang), t("findings.example.problem_2", lang),
                 t("category.loose_soil", lang), ""]]  # a blank office: the category's own
    notes = [[t("findings.codes.column", lang), t("findings.codes.code", lang), t("findings.codes.name", lang)]]
    notes += [[t("findings.col.category", lang), c.code, t(f"category.{c.code}", lang)] for c in catalog.CATEGORIES]
    notes += [[t("findings.col.office", lang), o.code, t(f"office.{o.code}", lang)] for o in catalog.OFFICES]
    notes.append([t("findings.codes.limit", lang, rows=MAX_ROWS), "", ""])
    return xlsx_rows.template(t("findings.sheet", lang), header, examples, t("findings.codes.sheet", lang), notes)
