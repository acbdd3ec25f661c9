"""One settings object, read from the environment and validated at start-up.

Environment variables use the prefix ``INSPECTOR_`` (``INSPECTOR_TIMEZONE``...),
except ``DATABASE_URL``, which the deployment world already knows by that name.
"""

from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET = "development-only-secret-change-me"


class Settings(BaseSettings):
    """Everything an operator may set, with defaults fit for a laptop demo."""

    model_config = SettingsConfigDict(env_prefix="INSPECTOR_", extra="ignore")

    environment: str = Field("development", description="development or production")
    data_dir: Path = Path("data")
    database_url: str | None = Field(None, validation_alias="DATABASE_URL")
    secret_key: str = DEVELOPMENT_SECRET
    timezone: str = "Asia/Shanghai"
    token_days: int = 30
    # photos
    photo_max_bytes: int = 25 * 1024 * 1024
    photo_max_pixels: int = 64_000_000
    same_spot_m: float = 50.0
    time_mismatch_minutes: float = 10.0
    site_radius_m: float = 300.0
    # map tiles (a Chinese provider wants GCJ-02; see inspector.geo)
    tile_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    tile_gcj02: bool = False
    # sync client
    sync_interval_s: float = 30.0
    sync_batch: int = 200
    # monthly exam (月考): "measure=weight, ..." over on_time_rate, rework_rate, rebound_rate,
    # spot_agreement; empty for the default 0.4 / 0.2 / 0.2 / 0.2 (see inspector.domain.scoring)
    score_weights: str = ""

    @model_validator(mode="after")
    def _refuse_default_secret(self):
        if self.environment != "development" and self.secret_key == DEVELOPMENT_SECRET:
            raise ValueError("INSPECTOR_SECRET_KEY must be set outside development")
        ZoneInfo(self.timezone)  # fails early on a misspelt zone
        return self

    @model_validator(mode="after")
    def _check_score_weights(self):
        from inspector.domain.scoring import ScoreFormula

        ScoreFormula.parse(self.score_weights)  # fails early on an unknown measure or a bad weight
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    def resolved_database_url(self) -> str:
        """``DATABASE_URL`` if set, else a SQLite file under the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'inspector.db').resolve()}"
