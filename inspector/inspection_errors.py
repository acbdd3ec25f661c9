"""The errors of issue 11's inspections: visits, checklists, the site register, XLSX imports.

Kept beside ``inspector.errors`` (which re-exports them, so the one registry of codes knows them) only
because one module would pass 400 lines.
"""

from inspector.errors import Forbidden, InspectorError, InvalidRequest, NotFound  # noqa: F401

# --- visits of sites against their checklists (issue 11, ``inspector.domain.visits``) ---------------
class UnknownChecklist(InspectorError, code="catalog.unknown_checklist", status=422):
    """A checklist (version) id that is not stored."""


class ChecklistOfOtherSiteType(InspectorError, code="visit.checklist_other_type", status=422):
    """A visit walked a checklist that is not of its site's type (``site_type``)."""


class VisitExists(InspectorError, code="visit.exists", status=409):
    """A ``visited`` event for a visit id that is already taken (by a visit or an item)."""


class VisitNotFound(NotFound, code="visit.not_found", status=404):
    """No such visit, or one this user may not see."""


class UnknownVisit(InspectorError, code="visit.unknown", status=422, retryable=True):
    """A report names a visit the server does not have (yet), or one its author may not see: the visit
    goes up before its failed points' reports, so a retry after it passes."""


class VisitPointNotFailed(InspectorError, code="visit.point_not_failed", status=422):
    """A report names a point (``check_point``) that did not fail in the visit it names."""


class VisitReportMismatch(InspectorError, code="visit.report_mismatch", status=422):
    """A report of a visit's failed point differs from the visit in ``field`` (it must be ``wanted``)."""


# --- cross-inspection rounds a visit or report names (``inspector.domain.rounds``) ---------------
class UnknownRound(InspectorError, code="round.unknown", status=422):
    """A visit or report names a round (``round``) that is not stored."""


class RoundNotCross(InspectorError, code="round.not_cross", status=422):
    """A visit or report names a round but is not a cross check (互查)."""


class RoundOtherOffice(InspectorError, code="round.other_office", status=422):
    """A visit or report names a round that inspects ``office``, not the office it claims a check of."""


class NotInRound(Forbidden, code="round.not_member", status=403):
    """An office's people claim a round's check, but the round's team is ``office``'s."""


class RoundNotRunning(InspectorError, code="round.not_running", status=422):
    """A visit or report names a round on ``day``, outside its days ``starts`` to ``ends``."""



# --- XLSX imports (issue 11: the technical assessment's findings; ``services.xlsx_rows``) ----------------
class ImportNotXlsx(InvalidRequest, code="import.not_xlsx", status=422):
    """The uploaded file is not an Excel workbook (.xlsx) that can be read."""


class ImportTooManyRows(InvalidRequest, code="import.too_many_rows", status=422):
    """The sheet holds more rows than one import takes (``rows`` of ``limit``)."""


class ImportMissingColumns(InvalidRequest, code="import.missing_columns", status=422):
    """The sheet's header row lacks columns the import needs (``columns``, as the template names them)."""


class ImportRowsRefused(InvalidRequest, code="import.rows_refused", status=422):
    """Some rows are bad, so nothing was imported; ``rows`` lists each: {row, column, problem, value}."""


class ImportMappingInvalid(InvalidRequest, code="import.mapping_invalid", status=422):
    """A mapping of an unknown value names no known code (``value`` -> ``code``) for its ``column``."""


class FindingsAdminOnly(Forbidden, code="findings.admin_only", status=403):
    """Only an admin imports the technical assessment's findings."""

# --- the site register (issue 11) ------------------------------------------------------------
class UnknownSiteType(InspectorError, code="catalog.unknown_site_type", status=422):
    """A site names a type the register does not know."""


class SiteFieldMissing(InvalidRequest, code="sites.field_missing", status=422):
    """A site's needed field (name, type, office, lat, lon) is empty."""


class SiteFieldTooLong(InvalidRequest, code="sites.field_too_long", status=422):
    """A site's field is past its length (``max`` characters)."""


class CoordinateInvalid(InvalidRequest, code="sites.bad_coordinate", status=422):
    """A latitude or longitude that is not a number between ``low`` and ``high``."""


class SiteTypeCodeInvalid(InvalidRequest, code="sites.type_code_invalid", status=422):
    """A new site type's code is not 2-40 lower-case letters, digits and ``_`` starting with a letter."""


class SiteTypeExists(InspectorError, code="sites.type_exists", status=409):
    """A new site type's code is taken."""


class SiteTypeNamesMissing(InvalidRequest, code="sites.type_names_missing", status=422):
    """A new site type lacks its name in ``lang``."""


class SitesAdminOnly(Forbidden, code="sites.admin_only", status=403):
    """Only admins change the site register and its types; everyone else reads them."""


class SiteNameTaken(InspectorError, code="sites.name_taken", status=409):
    """Another site of the register already has this name."""


class SiteImportNotXlsx(InvalidRequest, code="sites.import_not_xlsx", status=422):
    """The uploaded register is not an XLSX workbook (or cannot be read as one)."""


class SiteImportTooLarge(InspectorError, code="sites.import_too_large", status=413):
    """The uploaded register is past the cap (``limit_mb``), packed or unpacked."""


class SiteImportTooManyRows(InvalidRequest, code="sites.import_too_many_rows", status=422):
    """The uploaded register has more rows than one import takes (``max``)."""


class SiteImportHeadersMissing(InvalidRequest, code="sites.import_headers_missing", status=422):
    """The first row of the uploaded register lacks needed column headers (``missing``)."""


class SiteImportEmpty(InvalidRequest, code="sites.import_empty", status=422):
    """The uploaded register has its headers but no rows."""


class SiteImportRowsInvalid(InvalidRequest, code="sites.import_rows_invalid", status=422):
    """Rows of the uploaded register are wrong (``rows``: each one's number, column and words); nothing was written."""



# --- checklists against the standard (issue 11) ----------------------------------------------
class ChecklistNotFound(NotFound, code="checklist.not_found", status=404):
    """No checklist version with this id."""


class NoChecklist(InspectorError, code="checklist.none", status=409):
    """A site type (``site_type``) with no checklist yet: nothing to visit its sites against."""


class ChecklistConflict(InspectorError, code="checklist.conflict", status=409):
    """Another admin saved version ``version`` of the site type's checklist first; this edit was not saved."""
