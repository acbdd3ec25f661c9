"""Typed errors with stable codes, mapped once to HTTP statuses.

Every failure a person can meet is one of these. The code (``area.what``) is
stable and part of the public contract; the words shown for it live in the
language catalogues (``inspector.i18n``), keyed by the code. The HTTP layer and
the UI both turn an error into words through ``inspector.i18n.error_message``;
the server maps them to answers in ``inspector/server/errors.py``, the command
line to a message and an exit code in ``inspector/cli.py``.

Each error names its code and its HTTP status on its ``class`` line, so this
module reads as the table of them: ``class X(Base, code=..., status=...)``.
"""


class InspectorError(Exception):
    """Base of every error the product reports to a person."""

    code = "inspector.error"
    status = 400
    # A refusal that the very same event may overcome when sent again later (its photo still
    # uploading): not kept as the event's answer on the server, retried by the field client.
    retryable = False

    def __init_subclass__(cls, *, code: str | None = None, status: int | None = None,
                          retryable: bool | None = None, **options):
        """An error states its stable code, its HTTP status and whether a retry may pass on its ``class`` line."""
        super().__init_subclass__(**options)
        cls.code = code or cls.code
        cls.status = status or cls.status
        cls.retryable = cls.retryable if retryable is None else retryable

    def __init__(self, **details):
        self.details = details
        super().__init__(f"{self.code} {details}" if details else self.code)

    def headers(self) -> dict[str, str]:
        """HTTP headers the answer carries besides the error body (none unless a subclass says)."""
        return {}


# --- requests -----------------------------------------------------------------
class InvalidRequest(InspectorError, code="request.invalid", status=422):
    """A parameter or a body that does not hold what the request needs."""


class NotFound(InspectorError, code="request.not_found", status=404):
    """Nothing there, or nothing this user may see (the two are not told apart)."""


class BodyTooLarge(InspectorError, code="request.too_large", status=413):
    """A request body past its route's cap, refused before it is parsed; sizes in KB."""


class ControlCharacters(InvalidRequest, code="text.control_characters", status=422):
    """Free text holds a control character (newline and tab aside): refused, never stored."""


# --- auth ---------------------------------------------------------------------
class InvalidCredentials(InspectorError, code="auth.invalid_credentials", status=401):
    """A wrong username or password (which one is not said)."""


class NotAuthenticated(InspectorError, code="auth.unauthenticated", status=401):
    """No bearer token, or one the server does not know or has revoked."""


class TokenExpired(InspectorError, code="auth.token_expired", status=401):
    """A token past its last day of use."""


class Forbidden(InspectorError, code="auth.forbidden", status=403):
    """The actor's role may not do this."""


class SelfCheckOtherOffice(Forbidden, code="auth.self_check_other_office", status=403):
    """A self-check (自查) names another office: an office inspects only its own work."""


class OutsideScope(Forbidden, code="auth.outside_scope", status=403):
    """A spot checker reports outside the offices, sites or period they were delegated."""


class TooManyAttempts(InspectorError, code="auth.too_many_attempts", status=429):
    """Too many failed logins for this username or from this address; ``retry_after`` is in seconds."""

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.details.get("retry_after", 60))}


class UserExists(InspectorError, code="user.exists", status=409):
    """The username is taken (ignoring case and full-width forms)."""


class InvalidUsername(InspectorError, code="user.invalid_username", status=422):
    """A username breaks a rule of inspector.domain.accounts."""


class WeakPassword(InspectorError, code="user.weak_password", status=422):
    """A new password breaks a rule of inspector.domain.accounts.check_password."""


class PasswordTooShort(WeakPassword, code="user.password_too_short", status=422):
    """Fewer characters than ``MIN_PASSWORD``."""


class PasswordTooLong(WeakPassword, code="user.password_too_long", status=422):
    """More characters than a password may have."""


class PasswordIsUsername(WeakPassword, code="user.password_is_username", status=422):
    """The password is the username."""


class PasswordTooCommon(WeakPassword, code="user.password_too_common", status=422):
    """The password is on the bundled list of common passwords."""


class UnknownOffice(InspectorError, code="catalog.unknown_office", status=422):
    """An office code the catalogue does not have."""


class UnknownRole(InspectorError, code="catalog.unknown_role", status=422):
    """A role code that is no ``Role``."""


class UnknownSite(InspectorError, code="catalog.unknown_site", status=422):
    """A site id that is not registered."""


# --- items and their events -----------------------------------------------------
class ItemNotFound(InspectorError, code="item.not_found", status=404):
    """No such item, or one this user may not see."""


class ItemExists(InspectorError, code="item.exists", status=409):
    """A ``reported`` event for an item id that is already taken."""


class StaleVersion(InspectorError, code="item.stale", status=409):
    """The change was made from a version of the item that no longer holds."""


class InvalidTransition(InspectorError, code="item.invalid_transition", status=409):
    """The item's status does not allow this change."""


class ExtensionDatePassed(InspectorError, code="item.extension_date_passed", status=422):
    """An extension asked for or granted to a day that is already over (``decision.extension_date_passed``)."""


class InvalidPayload(InspectorError, code="event.invalid_payload", status=422):
    """An event's payload lacks a field or holds a value the catalogue does not know."""


class UnknownPayloadField(InvalidPayload, code="event.unknown_field", status=422):
    """A payload names a field its kind does not have."""


class PayloadWrongType(InvalidPayload, code="event.wrong_type", status=422):
    """A payload field holds the wrong JSON type (a list where a code goes, an object for a name)."""


class PayloadTooLong(InvalidPayload, code="event.too_long", status=422):
    """A payload's text or list is longer than its kind allows."""


class UnknownEventKind(InspectorError, code="event.unknown_kind", status=422):
    """An event kind the registry does not have."""


class EventConflict(InspectorError, code="event.conflict", status=409):
    """An event id was reused for a different item or content."""


# --- duplicates and merges (B, issue 12) -----------------------------------------
class MergeIntoItself(InspectorError, code="item.merge_into_itself", status=422):
    """A ``merged`` event names its own item as the one it duplicates."""


class MergeTargetNotFound(InspectorError, code="item.merge_target_not_found", status=422):
    """The item a merge names (``into``) does not exist, or is one this user may not see."""


class MergeIntoDuplicate(InspectorError, code="item.merge_into_duplicate", status=409):
    """The item a merge names is itself a duplicate: merge into the item it was merged into."""


class MergeTargetNotOpen(InspectorError, code="item.merge_target_not_open", status=409):
    """The item a merge names is neither open nor done (it was dismissed)."""


class MergeChain(InspectorError, code="item.merge_chain", status=409):
    """Other items were merged into this one: merged itself, they would point at a duplicate."""


# --- photos -------------------------------------------------------------------
class PhotoError(InspectorError, code="photo.error", status=400):
    """Base of what can be wrong with a photo."""


class PhotoHashMismatch(PhotoError, code="photo.hash_mismatch", status=400):
    """The bytes do not hash to the SHA-256 they were sent under."""


class PhotoTooLarge(PhotoError, code="photo.too_large", status=413):
    """More bytes than ``INSPECTOR_PHOTO_MAX_BYTES``."""


class PhotoUnsupported(PhotoError, code="photo.unsupported", status=415):
    """Not an image of a supported kind (JPEG, PNG, WebP, HEIC)."""


class PhotoCorrupt(PhotoError, code="photo.corrupt", status=422):
    """An image of a supported kind that does not decode."""


class PhotoTooManyPixels(PhotoError, code="photo.too_many_pixels", status=422):
    """An image past the pixel cap (a decompression bomb, or simply too big)."""


class PhotoMissing(PhotoError, code="photo.missing", status=422, retryable=True):
    """An event or a note names a photo that was not uploaded first."""


class PhotoNotFound(PhotoError, code="photo.not_found", status=404):
    """No such photo, or one this user may not see."""


class PhotoNotCitable(PhotoError, code="photo.not_citable", status=403):
    """An event names a photo its author neither uploaded nor may see (that would disclose it)."""


class PhotoNotOwn(PhotoNotCitable, code="photo.not_own", status=403):
    """An event names a photo its author may see but did not upload, and the item it is for does not use
    already (a colleague's photo claimed as one's own evidence: ``oversight.citation_refusal``)."""


# --- web UI uploads (Flet's PUT /upload) ----------------------------------------
class UploadRefused(InspectorError, code="upload.refused", status=403):
    """An upload URL the server did not sign, or whose page session is gone."""


class UploadExpired(InspectorError, code="upload.expired", status=410):
    """A signed upload URL past its time."""


# --- sync (client side) -------------------------------------------------------------
class ServerUnreachable(InspectorError, code="sync.unreachable", status=503):
    """The field client cannot reach the server."""


class ServerFault(InspectorError, code="sync.server_error", status=502):
    """The server answered with a failure that is not a typed error."""


class ServerAnswerUnreadable(InspectorError, code="sync.bad_answer", status=502):
    """The server answered a field client with a body that is not what the route promises."""


class OtherUserPending(InspectorError, code="sync.other_user_pending", status=409):
    """Another person's records still wait on this device: they must go up under their own login."""


# --- backup and restore (command line) ------------------------------------------------
class BackupNeedsSqlite(InspectorError, code="backup.sqlite_only", status=409):
    """``inspector backup``/``restore`` copy a SQLite file; PostgreSQL has pg_dump."""


class BackupNoDatabase(InspectorError, code="backup.no_database", status=404):
    """The data folder holds no database to back up."""


class BackupArchiveInvalid(InspectorError, code="backup.archive_invalid", status=422):
    """The archive is not one ``inspector backup`` made, or it is damaged."""


class RestoreTargetNotEmpty(InspectorError, code="backup.target_not_empty", status=409):
    """The data folder holds something and ``--force`` was not given."""


# --- the blob store (issue 14, shared photos) ---------------------------------------------
class BlobStoreUnavailable(InspectorError, code="blobs.unavailable", status=503, retryable=True):
    """The photo store (an S3 bucket, the database) did not answer or refused; ``store`` and ``problem`` say how."""


class BlobStoreUnsupported(InspectorError, code="blobs.unsupported", status=409):
    """``operation`` works on a photo folder only; this installation keeps its photos in ``store``."""


# --- the command line ------------------------------------------------------------------
class NoDataFolder(InspectorError, code="cli.no_data_folder", status=404):
    """``--data`` names no existing folder, for a command that works on an installation already made."""


class UnknownOfficeName(UnknownOffice, code="catalog.unknown_office_name", status=422):
    """``--office`` is neither an office's code nor its name; ``known`` lists the offices there are."""


# --- the published monthly exam (issue 12, part C) -------------------------------------------------
class ExamDecidersOnly(Forbidden, code="exam.deciders_only", status=403):
    """Publishing, amending and the bulletin (通报) are for supervisors and admins."""


class MonthNotEnded(InspectorError, code="exam.month_not_ended", status=409):
    """A month is published only once its last local day is over; ``ends`` is that day."""


class MonthAlreadyPublished(InspectorError, code="exam.already_published", status=409):
    """The month was published already (``at``, ``by``): it is amended, never published again."""


class MonthNotPublished(InspectorError, code="exam.not_published", status=409):
    """Amendments and the bulletin (通报) are of a published month only."""


class AmendmentReasonMissing(InvalidRequest, code="exam.reason_required", status=422):
    """An amendment says why, in at most ``max`` characters."""


class AmendmentScoreInvalid(InvalidRequest, code="exam.score_invalid", status=422):
    """A score set by hand is a number from 0 to the formula's base."""


class AmendmentItemInvalid(InvalidRequest, code="exam.item_invalid", status=422):
    """The item named is not one of the office's items behind the published month's figures."""


class AmendmentItemExcluded(AmendmentItemInvalid, code="exam.item_excluded", status=422):
    """The item is out of the office's figures already: an ``include`` puts it back."""


class AmendmentItemNotExcluded(AmendmentItemInvalid, code="exam.item_not_excluded", status=422):
    """Only an item an earlier amendment took out can be put back."""


# --- 督办 (D: deadline reminders, supervision, escalation) --------------------------------
class ServerOnlyKind(Forbidden, code="event.server_only", status=403):
    """A reminder, 督办 or escalation step (``kind``) is recorded by the server's sweep, never by a person."""


class SupervisionNowInvalid(InvalidRequest, code="supervision.now_invalid", status=422):
    """``inspector supervise --now`` takes an ISO instant with its UTC offset (``value`` was not one)."""


class SupervisionNowAhead(InvalidRequest, code="supervision.now_ahead", status=422):
    """``--now`` (``now``) is later than the server's clock (``clock``): steps are never recorded early."""


# The inspections' errors (issue 11) are written beside this module and re-exported here, so that
# ``from inspector.errors import X`` and the registry of codes below know them.
from inspector.inspection_errors import *  # noqa: E402,F401,F403


ALL_ERRORS: tuple[type[InspectorError], ...] = tuple(
    cls for cls in list(globals().values())
    if isinstance(cls, type) and issubclass(cls, InspectorError)
)

_BY_CODE = {cls.code: cls for cls in ALL_ERRORS}


def is_retryable(code: str) -> bool:
    """Does a refusal with this code pass on a later retry of the same event?"""
    return _BY_CODE.get(code, InspectorError).retryable


def error_for_code(code: str, details: dict) -> InspectorError:
    """Rebuild a recorded error from its code, so a replay answers as the first time did."""
    return _BY_CODE.get(code, InspectorError)(**details)
