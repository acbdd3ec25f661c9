"""The one decision: may this actor record this event on this item, and what does the item become?

The server's push (``services.events``), the field client's local record
(``sync.local``), the desk and the phone all come here; nothing else decides.
``decide`` takes the actor, the item's state (``None`` for a new report), the
event and what the caller knows of the world (``Known``), and gives the new
state or raises a typed refusal, in this order, so the first thing wrong is
the one reported:

1. the payload fits its kind's schema (nothing reads an unchecked payload); a new report carries a
   photo, unless it is an admin's technical assessment finding (``check_report_photos``);
2. an item the actor may not see answers as one that does not exist;
3. the actor may make this kind on this item (``permissions.may``);
4. every photo it cites is stored, and is the actor's own or (where the kind's photos need not be
   fresh) one the item already uses and the actor is shown (``oversight.citation_refusal``: seeing a
   colleague's photo is no licence to cite it);
5. the state machine accepts it (status, version, what the kind needs); a merge's
   target is another open or done item, no duplicate itself (``duplicates.check_merge``);
6. a new report binds only what the actor may bind: its office, scope and site;
7. an extension is asked for, or granted to, a day not yet over at the event's
   time (the server's receipt time once known: ``Event.when``).

``next_moves`` lists what an actor may do next on an item, by the same rules,
so a screen never offers what ``decide`` would refuse nor hides what it takes.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Container, Mapping, Sequence
from zoneinfo import ZoneInfo

from inspector.domain.duplicates import check_merge
from inspector.domain.events import DEFAULT_ZONE, Event, parse_deadline, photos_of_payload
from inspector.domain.items import ItemState, apply, check_site, may_follow
from inspector.domain.lifecycle import RULES, Kind, Surface, validate_payload
from inspector.domain.oversight import PhotoUse, citation_refusal
from inspector.domain.permissions import Actor, authorize, authorize_report, can_see, may
from inspector.domain.roles import Role
from inspector.errors import ExtensionDatePassed, InvalidPayload, ItemNotFound, PhotoMissing


@dataclass(frozen=True)
class Known:
    """What the caller knows of the world an event is decided in.

    ``photos``: the photos present, by sha256, with who uploaded each.
    ``photo_uses``: for photos others uploaded, their uses by items the actor
    sees; ``None`` where citations are not checked here (the field client: the
    server checks them on push). ``sites``: the registered sites' ids; ``None``
    where the list is not known (a field client before its first sync).
    """

    photos: Mapping[str, str] = field(default_factory=dict)
    photo_uses: Mapping[str, Sequence[PhotoUse]] | None = None
    sites: Container[str] | None = None
    # B: the other items an event names (a merge's ``into``), by id, and the ids of items others were
    # merged into; ``None`` where not known (the field client: the server checks them on push)
    items: Mapping[str, ItemState] | None = None
    duplicated: Container[str] | None = None


def _check_photos(actor: Actor, event: Event, known: Known) -> None:
    for sha in photos_of_payload(event.payload):
        if sha not in known.photos:
            raise PhotoMissing(sha256=sha)
        # Citing a photo attaches it to an item as the actor's evidence: one's own photos, or the item's own.
        if known.photo_uses is not None:
            refusal = citation_refusal(actor, event.item_id, sha, known.photos[sha], known.photo_uses.get(sha, ()),
                                       own_only=RULES[event.kind].own_photos)
            if refusal is not None:
                raise refusal


def photos_optional(actor: Actor, check_type: object) -> bool:
    """May a report by ``actor`` come without photos? Only a technical assessment finding an admin imports:
    the province hands its findings over as words, and the office's fix brings the photos."""
    return actor.role == Role.ADMIN and check_type == "technical"


def check_report_photos(actor: Actor, event: Event) -> None:
    """Raise unless a report carries at least one photo or may come without (``photos_optional``)."""
    if event.kind != Kind.REPORTED or photos_of_payload(event.payload):
        return
    if not photos_optional(actor, event.payload.get("check_type")):
        raise InvalidPayload(kind=event.kind, field="photos", problem=f"{event.kind} needs at least one of photos")


def extension_date_passed(until: datetime, now: datetime) -> bool:
    """Is an extension to ``until`` one to a time already gone at ``now``?

    A bare day means the end of that local day (``events.parse_deadline``), so
    today is still a day one may ask for or grant; yesterday is not.
    """
    return until < now


def _check_extension(event: Event, zone: ZoneInfo) -> None:
    if "until" not in RULES[event.kind].schema.model_fields:  # an extension's kinds name the day as ``until``
        return
    until = parse_deadline(event.payload["until"], zone)
    if extension_date_passed(until, event.when):
        raise ExtensionDatePassed(until=until.astimezone(zone).date().isoformat(),
                                  today=event.when.astimezone(zone).date().isoformat())


def decide(actor: Actor, state: ItemState | None, event: Event, known: Known,
           zone: ZoneInfo = DEFAULT_ZONE) -> ItemState:
    """The item after ``event`` by ``actor``; raises a typed ``InspectorError`` when it is refused."""
    validate_payload(event.kind, event.payload, zone)
    check_report_photos(actor, event)
    if event.kind != Kind.REPORTED and (state is None or not can_see(actor, state)):
        raise ItemNotFound(item_id=event.item_id)
    authorize(actor, event.kind, state, event.payload)
    _check_photos(actor, event, known)
    new_state = apply(state, event, zone)
    if event.kind == Kind.MERGED:  # what the target must be: another open or done item, no duplicate
        check_merge(actor, new_state, known.items, known.duplicated)
    if state is None:  # a new report: what its office, scope, site and time bind
        authorize_report(actor, new_state)
        if known.sites is not None:
            check_site(new_state, known.sites)
    _check_extension(event, zone)
    return new_state


def next_moves(actor: Actor, state: ItemState) -> tuple[Kind, ...]:
    """The kinds ``actor`` may record on ``state`` now, in the registry's order (a new report aside)."""
    return tuple(kind for kind in RULES
                 if kind != Kind.REPORTED and may_follow(state, kind) and may(actor, kind, state))


def moves_on(actor: Actor, state: ItemState, surface: Surface) -> tuple[Kind, ...]:
    """``next_moves`` that ``surface`` offers as buttons (the desk's decisions, the phone's actions)."""
    return tuple(kind for kind in next_moves(actor, state) if surface in RULES[kind].offered)
