"""Between the domain's values and the table rows: ItemState <-> Item, Event <-> EventRow."""

from dataclasses import fields

from inspector.domain.events import Event, frozen_payload
from inspector.domain.items import ItemState, Location
from inspector.store.models import EventRow, Item

_RENAMED = {"office": "office_code"}
_PLAIN = [f.name for f in fields(ItemState) if f.name not in ("location", "photos", "fix_photos",
                                                               "supporting_offices", "reminded")]


def office_list(codes) -> str:
    """Offices as ``items.supporting_offices`` holds them: ``,code,code,`` (empty for none)."""
    return f",{','.join(codes)}," if codes else ""


def offices_of(column: str | None) -> tuple[str, ...]:
    """The offices of an ``items.supporting_offices`` value, in order."""
    return tuple(code for code in (column or "").split(",") if code)


def item_values(state: ItemState) -> dict:
    """The column values of the row that projects ``state``."""
    values = {_RENAMED.get(name, name): getattr(state, name) for name in _PLAIN}
    values.update(
        photos=list(state.photos),
        fix_photos=list(state.fix_photos),
        supporting_offices=office_list(state.supporting_offices),
        reminded=",".join(state.reminded),  # D: the 督办 steps recorded against the deadline
        lat=state.location.lat,
        lon=state.location.lon,
        accuracy_m=state.location.accuracy_m,
        location_source=state.location.source,
    )
    return values


def item_state(row: Item) -> ItemState:
    """The domain value held in an ``items`` row."""
    values = {name: getattr(row, _RENAMED.get(name, name)) for name in _PLAIN}
    return ItemState(
        **values,
        photos=tuple(row.photos or ()),
        fix_photos=tuple(row.fix_photos or ()),
        supporting_offices=offices_of(row.supporting_offices),
        reminded=tuple(step for step in (row.reminded or "").split(",") if step),
        location=Location(lat=row.lat, lon=row.lon, accuracy_m=row.accuracy_m, source=row.location_source),
    )


def event_of(row: EventRow) -> Event:
    return Event(
        id=row.id,
        item_id=row.item_id,
        kind=row.kind,
        actor_id=row.actor_id,
        at=row.at,
        base_version=row.base_version,
        payload=frozen_payload(row.payload or {}),
        seq=row.seq,
        server_at=row.server_at,
        number=row.number,
    )
