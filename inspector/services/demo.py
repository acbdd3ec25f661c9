"""Demo data: people, sites, items in every state and a spot checker's sample, made through the real use cases.

Besides the spread of items over every status, two items show a return (退回/申辩): one waiting for the
supervisor's answer, one reassigned to another lead office with a supporting one (配合).

Some sites have visits (``visited`` events): the desk's coverage shows them
covered, due and overdue. Everything goes through ``auth.add_user``,
``events.push`` (with a clock set back in time) and ``oversight.draw``, so the demo log is one the server itself
could have written, and each demo person has work on first login.
"""

import hashlib
import io
import random
import uuid
from dataclasses import replace
from datetime import datetime, timedelta
from enum import StrEnum

from PIL import Image, ImageDraw

from inspector.domain import catalog
from inspector.domain.lifecycle import changes_state
from inspector.domain.roles import Role
from inspector.domain.visits import VISITED
from inspector.i18n import t
from inspector.services import auth, campaigns, events, oversight, photos
from inspector.services.context import Context
from inspector.store import checklists as checklist_store
from inspector.store import sites as site_store
from inspector.store import users as user_store
from inspector.store.engine import read_session, write_session
from inspector.store.public import SitePublic

PASSWORD = "cw-demo-2026"
CENTER = (30.2741, 120.1551)
SAMPLE_SIZE = 3  # the spot checker's drawn sample (renda re-inspects these on first login)

# username, role, office, display name
PEOPLE = [
    ("admin", Role.ADMIN, None, "系统管理员"),
    ("dudao", Role.SUPERVISOR, None, "王督查"),
    ("xuncha", Role.INSPECTOR, None, "李巡查"),
    ("jianzhu", Role.OFFICE_STAFF, "construction", "张工（建管处）"),
    ("jianzhu_lead", Role.OFFICE_LEADER, "construction", "陈处长（建管处）"),
    ("yuanlin", Role.OFFICE_STAFF, "landscaping", "刘工（园林处）"),
    ("fangchan", Role.OFFICE_STAFF, "real_estate", "赵工（房管处）"),
    ("qita", Role.OFFICE_STAFF, "other_units", "孙工（办公室）"),
    ("renda", Role.SPOT_CHECKER, None, "周代表（人大）"),
]

# name, kind, office, metres north, metres east of the centre
SITES = [
    ("滨江花园三期工地", "construction_site", "construction", 420, -310),
    ("城东新城安置房工地", "construction_site", "construction", -650, 880),
    ("解放路绿化带", "green_belt", "landscaping", 150, 520),
    ("人民公园", "green_belt", "landscaping", -240, -700),
    ("阳光小区", "community", "real_estate", 780, 240),
    ("翠苑小区", "community", "real_estate", -900, -150),
    ("住建局办公区", "office_area", "other_units", 30, 40),
]
# name -> address, contact: the register's optional facts (made-up numbers of the 0571 area)
SITE_DETAILS = {
    "滨江花园三期工地": ("江滨路 88 号", "王工 0571-8601 2231"),
    "城东新城安置房工地": ("新城大道 16 号", "陈经理 0571-8602 4417"),
    "解放路绿化带": ("解放路（中山路至建国路段）", "刘工 0571-8603 1108"),
    "人民公园": ("人民路 1 号", "公园管理处 0571-8603 5520"),
    "阳光小区": ("阳光路 25 号", "物业 李主任 0571-8604 7789"),
    "翠苑小区": ("翠苑街 9 号", "物业 张经理 0571-8604 3306"),
    "住建局办公区": ("建设路 100 号", "办公室 孙工 0571-8605 0001"),
}

PALETTE = {
    "sewage": ((95, 90, 70), (60, 70, 40)),
    "trash": ((150, 150, 140), (200, 60, 60)),
    "broom": ((170, 160, 140), (120, 100, 80)),
    "mosquito": ((70, 90, 80), (30, 40, 30)),
    "truck": ((120, 110, 100), (90, 70, 50)),
    "soil": ((110, 150, 90), (130, 95, 60)),
    "tree": ((90, 160, 90), (60, 110, 60)),
    "building": ((180, 180, 190), (140, 140, 160)),
    "office": ((200, 200, 205), (150, 150, 170)),
}


def _offset(north_m: float, east_m: float) -> tuple[float, float]:
    lat = CENTER[0] + north_m / 111_320
    lon = CENTER[1] + east_m / (111_320 * 0.8638)  # cos(30.27 degrees)
    return round(lat, 6), round(lon, 6)


def demo_photo(icon: str, seed: int, fixed: bool = False) -> bytes:
    """A small made-up scene: ground, a blot for the problem (gone once fixed), a JPEG."""
    rng = random.Random(seed)
    ground, blot = PALETTE.get(icon, ((150, 150, 150), (90, 90, 90)))
    image = Image.new("RGB", (1200, 900), ground)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1200, 300), fill=(170, 200, 230))
    for _ in range(40):
        x, y = rng.randrange(1200), rng.randrange(300, 900)
        shade = tuple(max(0, min(255, c + rng.randrange(-25, 25))) for c in ground)
        draw.ellipse((x, y, x + rng.randrange(20, 90), y + rng.randrange(10, 40)), fill=shade)
    if not fixed:
        x, y = rng.randrange(200, 800), rng.randrange(400, 700)
        draw.ellipse((x, y, x + 320, y + 160), fill=blot)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _store_photo(ctx: Context, actor, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    photos.put_photo(ctx, actor, sha, data)
    return sha


def is_empty(ctx: Context) -> bool:
    """Whether the database has no accounts yet."""
    with read_session(ctx.engine) as session:
        return not user_store.any_user(session)


def fill_if_empty(ctx: Context, items: int = 36, seed: int = 7) -> list[tuple[str, str, str]]:
    """Fill an empty database; return (username, password, role) of the demo people, or [] if not empty."""
    if not is_empty(ctx):
        return []
    now = ctx.now()
    users = {}
    for username, role, office, name in PEOPLE:
        users[username] = auth.add_user(ctx, username, PASSWORD, role, office, name)
    with write_session(ctx.engine) as session:
        sites = [site_store.add_site(session, site) for site in _sites()]
    auth.delegate(ctx, users["renda"].id, offices=["construction"], starts=now - timedelta(days=60),
                  ends=now + timedelta(days=60))
    with read_session(ctx.engine) as session:
        actors = {username: user_store.actor(session, user.id) for username, user in users.items()}
    _campaign_around(ctx, actors["admin"], now)
    _fill_items(ctx, actors, sites, items, now, random.Random(seed))
    _returned_items(ctx, actors, sites, now)
    _visits(ctx, actors, sites, now)
    oversight.draw(ctx, actors["admin"], users["renda"].id, SAMPLE_SIZE, seed=seed)
    return [(username, PASSWORD, role) for username, role, _, _ in PEOPLE]


def _sites() -> list[SitePublic]:
    """The demo's sites around ``CENTER``, with ids that stay the same from one demo to the next."""
    out = []
    for name, kind, office, north, east in SITES:
        lat, lon = _offset(north, east)
        address, contact = SITE_DETAILS[name]
        out.append(SitePublic(id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"inspector-demo-site/{name}")), name=name,
                              kind=kind, office_code=office, lat=lat, lon=lon, radius_m=250, address=address,
                              contact=contact))
    return out


def _campaign_around(ctx: Context, admin, now: datetime) -> None:
    """The demo's campaign in its concentrated-rectification phase today, with named top leaders."""
    today = now.astimezone(ctx.settings.zone).date()
    phases = [
        {"code": "publicity", "starts": (today - timedelta(days=30)).isoformat(),
         "ends": (today - timedelta(days=21)).isoformat()},
        {"code": "rectification", "starts": (today - timedelta(days=20)).isoformat(),
         "ends": (today + timedelta(days=10)).isoformat()},
        {"code": "summary", "starts": (today + timedelta(days=11)).isoformat(),
         "ends": (today + timedelta(days=30)).isoformat()},
    ]
    leaders = {"construction": "黄局长", "landscaping": "黄局长", "real_estate": "黄局长", "other_units": "黄局长"}
    campaigns.update_campaign(ctx, admin, {"phases": phases, "top_leaders": leaders})


def _at(ctx: Context, when: datetime) -> Context:
    return replace(ctx, clock=lambda: when)


class Stage(StrEnum):
    """How far along a demo item gets: together, a spread over every status."""

    REPORTED = "reported"
    ASSIGNED = "assigned"
    RECTIFYING = "rectifying"
    FIX_SUBMITTED = "fix_submitted"
    VERIFIED = "verified"
    CLOSED = "closed"
    REJECTED = "rejected"  # sent back once, being fixed again
    OVERDUE = "overdue"
    EXTENSION = "extension"  # an extension asked for
    DISMISSED = "dismissed"
    REBOUNDED = "rebounded"


def _fill_items(ctx, actors, sites, count, now, rng) -> None:
    staff = {"construction": "jianzhu", "landscaping": "yuanlin", "real_estate": "fangchan", "other_units": "qita"}
    leaders = {"construction": "陈处长", "landscaping": "吴科长", "real_estate": "郑经理", "other_units": "钱主任"}
    stages = list(Stage)
    for n in range(count):
        site = sites[n % len(sites)]
        cats = [c for c in catalog.CATEGORIES if c.default_office == site.office_code]
        cat = rng.choice(cats)
        stage = stages[n % len(stages)]
        start = now - timedelta(days=rng.randint(3, 20), hours=rng.randint(0, 9))
        if stage == "overdue":
            start = now - timedelta(days=25)
        item_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        lat = site.lat + rng.uniform(-0.0008, 0.0008)
        lon = site.lon + rng.uniform(-0.0008, 0.0008)
        clock = start
        version = 0

        def send(actor_name, kind, payload, minutes=0, days=0):
            nonlocal clock, version
            clock = clock + timedelta(days=days, minutes=minutes)
            ev = events.EventIn(id=str(uuid.UUID(int=rng.getrandbits(128), version=4)), item_id=item_id,
                                kind=kind, at=clock, base_version=version, payload=payload)
            out = events.push(_at(ctx, clock), actors[actor_name], [ev], device_id="demo")[0]
            if out.status != "accepted":
                raise RuntimeError(f"demo event refused: {kind} {out.error}")
            if changes_state(kind):
                version += 1

        before = _store_photo(_at(ctx, clock), actors["xuncha"], demo_photo(cat.icon, n))
        send("xuncha", "reported", {
            "category": cat.code, "office": site.office_code,
            "location": {"lat": round(lat, 6), "lon": round(lon, 6), "accuracy_m": rng.choice([5, 8, 12, 20]),
                         "source": "gps"},
            "site": site.id, "severity": rng.choice(catalog.SEVERITIES), "check_type": "supervisor",
            "description": f"{site.name}：发现问题，请尽快整改", "photos": [before],
        })
        if stage == "reported":
            continue
        deadline = (clock + timedelta(days=cat.deadline_days)).astimezone(ctx.settings.zone).date().isoformat()
        send("dudao", "assigned", {"office": site.office_code, "leader": leaders[site.office_code],
                                   "deadline": deadline}, minutes=90)
        if stage in ("assigned", "overdue"):
            continue
        if stage == "dismissed":
            send("dudao", "dismissed", {"reason": "经核实不属于本次整治范围"}, minutes=30)
            continue
        office_user = staff[site.office_code]
        send(office_user, "acknowledged", {}, minutes=45)
        if stage == "rectifying":
            continue
        if stage == "extension":
            # A day still ahead today, as a request waiting for the desk would be (never one gone by).
            asked = max(clock + timedelta(days=cat.deadline_days + 5), now + timedelta(days=3))
            until = asked.astimezone(ctx.settings.zone).date().isoformat()
            send(office_user, "extension_requested", {"until": until, "reason": "需等待苗木到货后补种"}, minutes=60)
            continue
        after = _store_photo(_at(ctx, clock), actors[office_user], demo_photo(cat.icon, n, fixed=True))
        send(office_user, "fix_submitted", {"photos": [after], "note": "已整改完毕",
                                            "location": {"lat": round(lat, 6), "lon": round(lon, 6),
                                                         "source": "gps"}}, days=1)
        if stage == "fix_submitted":
            continue
        if stage == "rejected":
            send("dudao", "rejected", {"reason": "整改不彻底，照片角度与原问题不一致"}, minutes=120)
            continue
        send("dudao", "verified", {"note": "整改到位"}, minutes=120)
        if stage == "verified":
            continue
        look = _store_photo(_at(ctx, clock), actors["xuncha"], demo_photo(cat.icon, n + 1000,
                                                                          fixed=stage == "closed"))
        if stage == "closed":
            send("xuncha", "look_back_passed", {"photos": [look], "note": "回头看：整改成果保持良好"}, days=1)
        else:
            deadline = (clock + timedelta(days=3)).astimezone(ctx.settings.zone).date().isoformat()
            send("xuncha", "rebounded", {"photos": [look], "leader": leaders[site.office_code],
                                         "deadline": deadline, "note": "回头看发现问题反弹"}, days=1)


class _Story:
    """One demo item told event by event, each pushed at its own moment (ids from the item's name: the same
    every demo)."""

    def __init__(self, ctx: Context, actors: dict, name: str, start: datetime):
        self.ctx, self.actors, self.name, self.clock = ctx, actors, name, start
        self.item_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"inspector-demo-item/{name}"))
        self.version = self.count = 0

    def photo(self, who: str, icon: str, seed: int) -> str:
        return _store_photo(_at(self.ctx, self.clock), self.actors[who], demo_photo(icon, seed))

    def send(self, who: str, kind: str, payload: dict, hours: float = 0) -> None:
        self.clock += timedelta(hours=hours)
        self.count += 1
        event_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"inspector-demo-event/{self.name}/{self.count}"))
        ev = events.EventIn(id=event_id, item_id=self.item_id, kind=kind, at=self.clock,
                            base_version=self.version, payload=payload)
        out = events.push(_at(self.ctx, self.clock), self.actors[who], [ev], device_id="demo")[0]
        if out.status != "accepted":
            raise RuntimeError(f"demo event refused: {kind} {out.error}")
        if changes_state(kind):
            self.version += 1

    def local_day(self, days: int) -> str:
        return (self.clock + timedelta(days=days)).astimezone(self.ctx.settings.zone).date().isoformat()


def _report(story: _Story, site: SitePublic, category: str, north_m: float, description: str, seed: int) -> None:
    lat, lon = site.lat + north_m / 111_320, site.lon
    icon = catalog.CATEGORY_BY_CODE[category].icon
    story.send("xuncha", "reported", {
        "category": category, "office": "construction", "site": site.id, "severity": "normal",
        "location": {"lat": round(lat, 6), "lon": round(lon, 6), "accuracy_m": 6, "source": "gps"},
        "check_type": "supervisor", "description": description,
        "photos": [story.photo("xuncha", icon, seed)]})


def _returned_items(ctx: Context, actors: dict, sites: list[SitePublic], now: datetime) -> None:
    """The two sides of a return (退回/申辩), so the desk's return queue and the construction office's
    supporting (配合) list are not empty on first start: one return still waiting for the supervisor, one
    answered by handing the item to the landscaping office to lead with construction supporting."""
    waiting = _Story(ctx, actors, "return-waiting", now - timedelta(days=1, hours=6))
    _report(waiting, sites[0], "loose_soil", 60, f"{sites[0].name}围挡外：黄土裸露未覆盖", 5000)
    waiting.send("dudao", "assigned", {"office": "construction", "leader": "陈处长",
                                       "deadline": waiting.local_day(3)}, hours=1)
    waiting.send("jianzhu", "returned", {
        "reason_code": "not_our_area", "suggested_office": "landscaping",
        "reason": "裸土位于围挡外的市政绿化带内，不属于工地范围，请改派园林处",
        "photos": [waiting.photo("jianzhu", "soil", 5001)]}, hours=3)

    answered = _Story(ctx, actors, "return-reassigned", now - timedelta(days=1, hours=2))
    _report(answered, sites[2], "site_garbage", -40, f"{sites[2].name}旁工地围挡下：建筑垃圾与绿化垃圾混堆", 5002)
    answered.send("dudao", "assigned", {"office": "construction", "leader": "陈处长",
                                        "deadline": answered.local_day(2)}, hours=1)
    answered.send("jianzhu", "returned", {
        "reason_code": "needs_another_office", "suggested_office": "landscaping",
        "reason": "垃圾大部分是绿化修剪枝叶，需园林处牵头清运，建筑垃圾部分我处配合"}, hours=2)
    answered.send("dudao", "reassigned", {"office": "landscaping", "supporting_offices": ["construction"],
                                          "leader": "吴科长", "note": "园林处牵头清运，建管处配合清理建筑垃圾"},
                  hours=2)


# issue 11: visits, so the desk's coverage (巡检覆盖) shows covered, due and overdue sites on first start.
# site index, check type, who, days ago; the sites not named stay unvisited, hence overdue
VISITS = [
    (0, "self", "jianzhu", 2), (0, "supervisor", "xuncha", 3),  # 滨江花园三期工地: covered
    (2, "self", "yuanlin", 7), (2, "supervisor", "xuncha", 5),  # 解放路绿化带: its weekly self check due today
    (4, "self", "fangchan", 1), (4, "supervisor", "xuncha", 10),  # 阳光小区: covered
    (1, "supervisor", "dudao", 20),  # 城东新城安置房工地: its fortnightly check overdue, self never made
]


def _visits(ctx: Context, actors: dict, sites: list[SitePublic], now: datetime) -> None:
    """Visits of the current checklists, every point passed, each pushed at its day as ``visited`` events."""
    for n, (index, check_type, who, days) in enumerate(VISITS):
        site = sites[index]
        with read_session(ctx.engine) as session:
            checklist = checklist_store.current(session, site.kind)
        if checklist is None:
            continue  # a register without a checklist for the type: nothing to walk
        at = now - timedelta(days=days, hours=1)
        visit_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"inspector-demo-visit/{n}"))
        ev = events.EventIn(id=visit_id, item_id=visit_id, kind=VISITED, at=at, base_version=0, payload={
            "site": site.id, "checklist": checklist.id, "check_type": check_type,
            "results": {p.code: "pass" for p in checklist.points},
            "location": {"lat": site.lat, "lon": site.lon, "accuracy_m": 8, "source": "gps"}})
        out = events.push(_at(ctx, at), actors[who], [ev], device_id="demo")[0]
        if out.status != "accepted":
            raise RuntimeError(f"demo visit refused: {site.name} {check_type} {out.error}")


def print_logins(logins: list[tuple[str, str, str]]) -> None:
    """Print the demo's logins for whoever started the server."""
    print("Demo logins (username / password / role):")
    for username, password, role in logins:
        print(f"  {username:<14} {password:<10} {role} ({t('role.' + role)})")
