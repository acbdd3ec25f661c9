"""One settings object, read from the environment and validated at start-up.

Environment variables use the prefix ``INSPECTOR_`` (``INSPECTOR_TIMEZONE``...),
except ``DATABASE_URL``, which the deployment world already knows by that name.
"""

from datetime import datetime
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from inspector.domain.scoring import ScoreFormula
from inspector.domain.supervision import Policy as SupervisionPolicy
from inspector.store.private import read_or_make_secret

LOCAL_TILES = "/tiles/{z}/{x}/{y}"  # L: the route of inspector.server.routes.tiles
SECRET_FILE = "secret_key"  # under the data folder, made once when INSPECTOR_SECRET_KEY is unset


class Settings(BaseSettings):
    """Everything an operator may set, with defaults fit for a laptop demo."""

    model_config = SettingsConfigDict(env_prefix="INSPECTOR_", extra="ignore")

    environment: str = Field("development", description="development or production")
    data_dir: Path = Path("data")
    database_url: str | None = Field(None, validation_alias="DATABASE_URL")
    # signs the web UI's upload URLs; unset: a random key kept in data_dir/secret_key (see resolved_secret_key)
    secret_key: str | None = Field(None, repr=False)
    timezone: str = "Asia/Shanghai"
    token_days: int = 30
    # photos
    photo_max_bytes: int = 25 * 1024 * 1024
    photo_max_pixels: int = 64_000_000
    same_spot_m: float = 50.0
    # a position less sure than this (metres) is flagged in the evidence panel (see inspector.domain.evidence)
    location_accuracy_m: float = Field(50.0, gt=0)
    time_mismatch_minutes: float = 10.0
    site_radius_m: float = 300.0
    # the address people reach this server at (e.g. https://cw.example.gov.cn), printed in the sites' QR codes
    # (<public_url>/visit/<site id>); unset: the address a request came in on, or for the command line
    # http://127.0.0.1:8550 (``serve``'s own default)
    public_url: str | None = Field(None, pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$")
    # open items this close (metres) in the same category are offered as "可能重复" while reporting
    # (a closed one at the same spot, same_spot_m, as "反弹"; see inspector.domain.duplicates)
    duplicate_radius_m: float = Field(50.0, gt=0, le=5000)
    # where photo bytes live (issue 14, shared photos; see inspector.photos.blobs.open_blob_store): "file" (the
    # data folder's blobs/), "s3" (an S3-compatible bucket, needs the s3 extra; credentials from the standard
    # AWS_* variables) or "postgres" (a table in the database, for servers sharing one PostgreSQL)
    blobs: Literal["file", "s3", "postgres"] = "file"
    s3_endpoint: str | None = None  # e.g. http://127.0.0.1:9000 for MinIO; unset: AWS itself
    s3_bucket: str | None = None
    s3_prefix: str = ""  # object names are "<prefix><variant>/<sha256>"
    s3_region: str | None = None
    # the web client's files: compressed once, then (best) replaced by the smallest copies in the
    # background; false keeps the quick copies only (a small box, or a test run starting many servers)
    static_best_compression: bool = True
    # map tiles (a Chinese provider wants GCJ-02; see inspector.geo)
    tile_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    tile_gcj02: bool = False
    # L: tiles served by Inspector itself at /tiles/{z}/{x}/{y} (a bureau's network without internet): an MBTiles
    # file or a {z}/{x}/{y}.png folder (see inspector.store.tiles); when set the map uses them instead of
    # tile_url, drawn as WGS-84 unless tiles_gcj02 says they were cut from a GCJ-02 provider
    tiles: Path | None = None
    tiles_gcj02: bool = False
    # sync client
    sync_interval_s: float = 30.0
    sync_batch: int = 200
    # monthly exam (月考): "measure=weight, ..." over on_time_rate, rework_rate, rebound_rate,
    # spot_agreement; empty for the default 0.4 / 0.2 / 0.2 / 0.2 (see inspector.domain.scoring)
    score_weights: str = ""
    # in a month's first days the scoreboard opens on the month just ended (see inspector.domain.scoring.periods)
    scores_last_month_days: int = Field(5, ge=0, le=28)
    # C, the published month's bulletin (通报, see inspector.domain.scoring.exam): the lowest places flagged 末位
    # (ties included; 0 flags none) and how many of the worst items it prints with their photos
    exam_last_places: int = Field(1, ge=0, le=10)
    bulletin_worst_items: int = Field(6, ge=0, le=30)
    # D, 督办 (see inspector.domain.supervision): reminders these many days before a deadline's day ("2,0": two
    # days before and on the day), 督办 once overdue by more than N days, escalation by more than M days;
    # the server's sweep runs every INSPECTOR_SUPERVISION_INTERVAL_S seconds (0: never, run `inspector supervise`)
    remind_before_days: str = "2,0"
    supervise_after_days: int = Field(3, ge=0)
    escalate_after_days: int = Field(7, ge=1)
    supervision_interval_s: float = Field(600.0, ge=0)
    # development and tests only: the clock reads this instant (ISO 8601 with offset) at start-up and runs on
    # with real elapsed time, so a demo or a test can stand on any date (see inspector.services.context)
    clock_start: datetime | None = None

    @model_validator(mode="after")
    def _check_timezone(self):
        ZoneInfo(self.timezone)  # fails early on a misspelt zone
        return self

    @model_validator(mode="after")
    def _check_score_weights(self):
        ScoreFormula.parse(self.score_weights)  # fails early on an unknown measure or a bad weight
        return self

    @model_validator(mode="after")
    def _check_clock_start(self):
        if self.clock_start is None:
            return self
        if self.environment != "development":  # a production server must never stand on a made-up date
            raise ValueError("INSPECTOR_CLOCK_START is for development and tests only")
        if self.clock_start.utcoffset() is None:  # which instant a naive time means would be a guess
            raise ValueError("INSPECTOR_CLOCK_START needs a UTC offset, e.g. 2026-12-01T09:30:00+08:00")
        return self

    @model_validator(mode="after")
    def _check_s3(self):
        if self.blobs == "s3" and not self.s3_bucket:  # said at start-up, not at the first photo
            raise ValueError("INSPECTOR_BLOBS=s3 needs INSPECTOR_S3_BUCKET")
        return self

    @model_validator(mode="after")
    def _check_supervision(self):
        self.supervision_policy  # fails early on bad reminder days or escalation before supervision
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def supervision_policy(self) -> SupervisionPolicy:
        """When the 督办 steps fall due (D), in the campaign's zone."""
        return SupervisionPolicy.parse(self.remind_before_days, self.supervise_after_days,
                                       self.escalate_after_days, self.zone)

    @property
    def map_tile_url(self) -> str:
        """The map's tile template: Inspector's own ``/tiles/...`` when ``INSPECTOR_TILES`` is set, else tile_url."""
        return LOCAL_TILES if self.tiles else self.tile_url

    @property
    def map_gcj02(self) -> bool:
        """Whether the map's tiles are in GCJ-02 (stored WGS-84 points are then shifted to be drawn)."""
        return self.tiles_gcj02 if self.tiles else self.tile_gcj02

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    def resolved_secret_key(self) -> str:
        """``INSPECTOR_SECRET_KEY`` if set, else the random key kept under the data folder
        (made once with ``secrets``, mode 0600, and reused on later starts). There is no default key."""
        if self.secret_key:
            return self.secret_key
        return read_or_make_secret(self.data_dir / SECRET_FILE)

    def resolved_database_url(self) -> str:
        """``DATABASE_URL`` if set, else a SQLite file under the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'inspector.db').resolve()}"
