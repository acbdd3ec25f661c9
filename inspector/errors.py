"""Typed errors with stable codes, mapped once to HTTP statuses.

Every failure a person can meet is one of these. The code (``area.what``) is
stable and part of the public contract; the words shown for it live in the
language catalogues (``inspector.i18n``), keyed by the code. The HTTP layer and
the UI both turn an error into words through ``inspector.i18n.error_message``.
"""


class InspectorError(Exception):
    """Base of every error the product reports to a person."""

    code = "inspector.error"
    status = 400

    def __init__(self, **details):
        self.details = details
        super().__init__(f"{self.code} {details}" if details else self.code)

    def headers(self) -> dict[str, str]:
        """HTTP headers the answer carries besides the error body (none unless a subclass says)."""
        return {}


# --- requests -----------------------------------------------------------------
class InvalidRequest(InspectorError):
    code = "request.invalid"
    status = 422


class NotFound(InspectorError):
    code = "request.not_found"
    status = 404


class BodyTooLarge(InspectorError):
    """A request body past its route's cap, refused before it is parsed; sizes in KB."""

    code = "request.too_large"
    status = 413


class ControlCharacters(InvalidRequest):
    """Free text holds a control character (newline and tab aside): refused, never stored."""

    code = "text.control_characters"


# --- auth ---------------------------------------------------------------------
class InvalidCredentials(InspectorError):
    code = "auth.invalid_credentials"
    status = 401


class NotAuthenticated(InspectorError):
    code = "auth.unauthenticated"
    status = 401


class TokenExpired(InspectorError):
    code = "auth.token_expired"
    status = 401


class Forbidden(InspectorError):
    code = "auth.forbidden"
    status = 403


class SelfCheckOtherOffice(Forbidden):
    """A self-check (自查) names another office: an office inspects only its own work."""

    code = "auth.self_check_other_office"


class OutsideScope(Forbidden):
    """A spot checker reports outside the offices, sites or period they were delegated."""

    code = "auth.outside_scope"


class TooManyAttempts(InspectorError):
    """Too many failed logins for this username or from this address; ``retry_after`` is in seconds."""

    code = "auth.too_many_attempts"
    status = 429

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.details.get("retry_after", 60))}


class UserExists(InspectorError):
    code = "user.exists"
    status = 409


class InvalidUsername(InspectorError):
    code = "user.invalid_username"
    status = 422


class WeakPassword(InspectorError):
    """A new password breaks a rule of inspector.domain.accounts.check_password."""

    code = "user.weak_password"
    status = 422


class PasswordTooShort(WeakPassword):
    code = "user.password_too_short"


class PasswordTooLong(WeakPassword):
    code = "user.password_too_long"


class PasswordIsUsername(WeakPassword):
    code = "user.password_is_username"


class PasswordTooCommon(WeakPassword):
    code = "user.password_too_common"


class UnknownOffice(InspectorError):
    code = "catalog.unknown_office"
    status = 422


class UnknownRole(InspectorError):
    code = "catalog.unknown_role"
    status = 422


class UnknownSite(InspectorError):
    code = "catalog.unknown_site"
    status = 422


# --- items and their events -----------------------------------------------------
class ItemNotFound(InspectorError):
    code = "item.not_found"
    status = 404


class ItemExists(InspectorError):
    code = "item.exists"
    status = 409


class StaleVersion(InspectorError):
    """The change was made from a version of the item that no longer holds."""

    code = "item.stale"
    status = 409


class InvalidTransition(InspectorError):
    """The item's status does not allow this change."""

    code = "item.invalid_transition"
    status = 409


class InvalidPayload(InspectorError):
    """An event's payload lacks a field or holds a value the catalogue does not know."""

    code = "event.invalid_payload"
    status = 422


class UnknownPayloadField(InvalidPayload):
    """A payload names a field its kind does not have."""

    code = "event.unknown_field"


class PayloadWrongType(InvalidPayload):
    """A payload field holds the wrong JSON type (a list where a code goes, an object for a name)."""

    code = "event.wrong_type"


class PayloadTooLong(InvalidPayload):
    """A payload's text or list is longer than its kind allows."""

    code = "event.too_long"


class UnknownEventKind(InspectorError):
    code = "event.unknown_kind"
    status = 422


class EventConflict(InspectorError):
    """An event id was reused for a different item or content."""

    code = "event.conflict"
    status = 409


# --- photos -------------------------------------------------------------------
class PhotoError(InspectorError):
    code = "photo.error"
    status = 400


class PhotoHashMismatch(PhotoError):
    code = "photo.hash_mismatch"
    status = 400


class PhotoTooLarge(PhotoError):
    code = "photo.too_large"
    status = 413


class PhotoUnsupported(PhotoError):
    code = "photo.unsupported"
    status = 415


class PhotoCorrupt(PhotoError):
    code = "photo.corrupt"
    status = 422


class PhotoTooManyPixels(PhotoError):
    code = "photo.too_many_pixels"
    status = 422


class PhotoMissing(PhotoError):
    code = "photo.missing"
    status = 422


class PhotoNotFound(PhotoError):
    code = "photo.not_found"
    status = 404


class PhotoNotCitable(PhotoError):
    """An event names a photo its author neither uploaded nor may see (that would disclose it)."""

    code = "photo.not_citable"
    status = 403


# --- web UI uploads (Flet's PUT /upload) ----------------------------------------
class UploadRefused(InspectorError):
    """An upload URL the server did not sign, or whose page session is gone."""

    code = "upload.refused"
    status = 403


class UploadExpired(InspectorError):
    code = "upload.expired"
    status = 410


# --- sync (client side) -------------------------------------------------------------
class ServerUnreachable(InspectorError):
    code = "sync.unreachable"
    status = 503


class ServerFault(InspectorError):
    code = "sync.server_error"
    status = 502


class OtherUserPending(InspectorError):
    """Another person's records still wait on this device: they must go up under their own login."""

    code = "sync.other_user_pending"
    status = 409


# --- backup and restore (command line) ------------------------------------------------
class BackupNeedsSqlite(InspectorError):
    """``inspector backup``/``restore`` copy a SQLite file; PostgreSQL has pg_dump."""

    code = "backup.sqlite_only"
    status = 409


class BackupNoDatabase(InspectorError):
    code = "backup.no_database"
    status = 404


class BackupArchiveInvalid(InspectorError):
    code = "backup.archive_invalid"
    status = 422


class RestoreTargetNotEmpty(InspectorError):
    code = "backup.target_not_empty"
    status = 409


ALL_ERRORS: tuple[type[InspectorError], ...] = tuple(
    cls for cls in list(globals().values())
    if isinstance(cls, type) and issubclass(cls, InspectorError)
)

_BY_CODE = {cls.code: cls for cls in ALL_ERRORS}


def error_for_code(code: str, details: dict) -> InspectorError:
    """Rebuild a recorded error from its code, so a replay answers as the first time did."""
    return _BY_CODE.get(code, InspectorError)(**details)
