"""The REST API (django-ninja, OpenAPI 3.1 at /api/docs). See docs/api.md.

Every call is authenticated by an API key of one organisation and sees that organisation's data
only (an object of another organisation is a 404). Writes go through the same services as the
HR import, so an absence from the API behaves as a file with one row.
"""

import re
from datetime import date, datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, NinjaAPI, Path, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.schema import DjangoGetter
from pydantic import BeforeValidator, ConfigDict, model_validator
from pydantic_core import PydanticCustomError

from terugkeer.accounts.mfa import full_sign_in_required
from terugkeer.api.auth import ApiKeyAuth, RateLimited, require_scope
from terugkeer.imports.services import absences_upsert
from terugkeer.organisations.models import Employee, Unit
from terugkeer.trajectories.dates import check_dates
from terugkeer.trajectories.models import Absence, Trajectory
from terugkeer.trajectories.services import obligations_for

api = NinjaAPI(
    title="Terugkeer API",
    version="1",
    description=(
        "Eenheden, medewerkers, afwezigheden, trajecten en jaarcijfers van één organisatie. "
        "Authenticatie: `Authorization: Bearer <API-sleutel>`."
    ),
    auth=ApiKeyAuth(),
    docs_url="/docs",
    # The documentation and the schema only after a full sign-in (second factor included):
    # the schema maps every personal-data endpoint, so it is not for passers-by.
    docs_decorator=full_sign_in_required,
    urls_namespace="api",
)


# --- errors: always {"detail": [{"field": ..., "message": ...}]} with a Dutch message -----------


class ErrorItem(Schema):
    field: str | None = None
    message: str


class ErrorOut(Schema):
    detail: list[ErrorItem]


def _error(request, status: int, message: str, field: str | None = None, **headers):
    response = api.create_response(
        request, {"detail": [{"field": field, "message": message}]}, status=status
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


PYDANTIC_NL = {
    "missing": "Dit veld is verplicht.",
    "date_from_datetime_parsing": "Geen geldige datum (verwacht JJJJ-MM-DD).",
    "date_parsing": "Geen geldige datum (verwacht JJJJ-MM-DD).",
    "date_from_datetime_inexact": "Geen geldige datum (verwacht JJJJ-MM-DD).",
    "date_type": "Geen geldige datum (verwacht JJJJ-MM-DD).",
    "int_parsing": "Verwacht een geheel getal.",
    "int_type": "Verwacht een geheel getal.",
    "greater_than_equal": "De waarde is te klein.",
    "less_than_equal": "De waarde is te groot.",
    "string_too_short": "De waarde is te kort.",
    "string_too_long": "De waarde is te lang.",
    "string_type": "Verwacht tekst.",
    "string_pattern_mismatch": "De waarde heeft niet de verwachte vorm.",
    "extra_forbidden": "Onbekend veld.",
    "json_invalid": "Ongeldige JSON.",
    "model_attributes_type": "Verwacht een JSON-object.",
    "dict_type": "Verwacht een JSON-object.",
    "enum": "Geen toegelaten waarde.",
    "bool_parsing": "Verwacht true of false.",
}


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    items = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
        if loc and loc[0] in ("payload", "filters", "pagination", "data"):
            loc = loc[1:]
        items.append(
            {
                "field": ".".join(loc) or None,
                "message": PYDANTIC_NL.get(error.get("type", ""), "Ongeldige waarde."),
            }
        )
    return api.create_response(request, {"detail": items}, status=422)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _error(
        request,
        401,
        "Geen geldige API-sleutel (verwacht: Authorization: Bearer <sleutel>).",
        WWW_Authenticate="Bearer",
    )


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        # django-ninja's own answer to a body that is not JSON: a 422 in Dutch like the others.
        return _error(request, 422, "Ongeldige JSON: de body kan niet gelezen worden.")
    return _error(request, exc.status_code, str(exc))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, "Niet gevonden in uw organisatie.")


@api.exception_handler(RateLimited)
def on_rate_limited(request, exc: RateLimited):
    return _error(
        request,
        429,
        "Te veel oproepen met deze sleutel; probeer het over een minuut opnieuw.",
        Retry_After=str(exc.retry_after),
    )


@api.exception_handler(DjangoValidationError)
def on_django_validation(request, exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        items = [
            {"field": name, "message": message}
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        items = [{"field": None, "message": m} for m in exc.messages]
    return api.create_response(request, {"detail": items}, status=422)


# Identifiers and codes: no control characters (PostgreSQL refuses NUL; nothing needs them).
PLAIN = r"^[^\x00-\x1f\x7f]*$"

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date_only(value: Any) -> Any:
    """Only JJJJ-MM-DD: pydantic would also read a number as a Unix time (0 = 1970-01-01)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        return value
    raise PydanticCustomError("date_parsing", "Geen geldige datum (verwacht JJJJ-MM-DD).")


IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]

# The range that the API accepts for an absence's dates; the check itself is shared with the
# forms and the import (see docs/api.md).
DAY_RANGE = (
    "JJJJ-MM-DD; een aannemelijke datum: niet vóór het vroegste toegelaten jaar en niet meer "
    "dan een jaar na vandaag (anders 422, zie docs/api.md)"
)


class StrictSchema(Schema):
    """An input body: a JSON object with only the fields named here (else 422)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _object_only(cls, data: Any) -> Any:
        # django-ninja validates the raw body, then again wrapped in its DjangoGetter.
        raw = data._obj if isinstance(data, DjangoGetter) else data
        if not isinstance(raw, dict):
            raise PydanticCustomError("model_attributes_type", "Verwacht een JSON-object.")
        return data


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def _known_query(request, *schemas: type[Schema]) -> None:
    """Refuse query parameters that the operation does not have (a typo such as `sinds=` would
    otherwise be ignored silently and answer everything): 422 naming the parameter."""
    allowed = {name for schema in schemas for name in schema.model_fields}
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise DjangoValidationError({name[:60]: ["Onbekende parameter."] for name in unknown[:10]})


class Page(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=500, description="ten hoogste 500")
        offset: int = Field(0, ge=0, le=10_000_000)


# --- schemas ------------------------------------------------------------------------------------


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    parent_code: str | None
    is_entity: bool
    entity_code: str | None

    @staticmethod
    def resolve_parent_code(obj: Unit) -> str | None:
        return obj.parent.code if obj.parent_id else None

    @staticmethod
    def resolve_entity_code(obj: Unit) -> str | None:
        return obj.entity.code if obj.entity_id else None


class EmployeeOut(Schema):
    id: int
    personnel_number: str
    first_name: str
    last_name: str
    email: str
    unit_code: str
    entity_code: str
    manager_username: str | None
    statute: str
    work_regime: int
    active: bool

    @staticmethod
    def resolve_unit_code(obj: Employee) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_entity_code(obj: Employee) -> str:
        return obj.entity.code

    @staticmethod
    def resolve_manager_username(obj: Employee) -> str | None:
        return obj.manager.username if obj.manager_id else None


class AbsenceOut(Schema):
    id: int
    personnel_number: str
    first_day: date
    end_day: date | None
    expected_end: date | None
    trajectory_id: int | None

    @staticmethod
    def resolve_personnel_number(obj: Absence) -> str:
        return obj.employee.personnel_number


class AbsenceIn(StrictSchema):
    personnel_number: str = Field(..., min_length=1, max_length=30, pattern=PLAIN)
    first_day: IsoDate = Field(..., description=DAY_RANGE)
    end_day: IsoDate | None = Field(None, description=DAY_RANGE + "; leeg = nog afwezig")
    expected_end: IsoDate | None = Field(None, description=DAY_RANGE)


class AbsencePatch(StrictSchema):
    end_day: IsoDate | None = Field(None, description=DAY_RANGE + "; null = nog afwezig")
    expected_end: IsoDate | None = Field(None, description=DAY_RANGE)


class AbsenceResult(Schema):
    absence: AbsenceOut
    status: str = Field(..., description="new, changed of unchanged")
    merged: int


class ObligationOut(Schema):
    code: str
    title: str
    due: date | None
    status: str
    source: str
    done_on: date | None


class TrajectoryOut(Schema):
    id: int
    personnel_number: str
    kind: str
    is_formal: bool
    phase: str
    started_on: date
    absence_start: date | None
    closed_on: date | None
    closure_outcome: str
    lead: str
    law_version: str
    next_code: str
    next_title: str
    next_due: date | None
    next_status: str
    overdue_count: int

    @staticmethod
    def resolve_personnel_number(obj: Trajectory) -> str:
        return obj.employee.personnel_number


class TrajectoryDetail(TrajectoryOut):
    obligations: list[ObligationOut]


class ReportRow(Schema):
    label: str
    current: list[str]
    previous: list[str]
    is_total: bool


class ReportTable(Schema):
    key: str
    title: str
    definition: str
    columns: list[str]
    rows: list[ReportRow]


class ReportOut(Schema):
    year: int
    previous_year: int
    scope: str
    suppression_threshold: int
    tables: list[ReportTable]


# --- endpoints ----------------------------------------------------------------------------------


class UnitFilter(Schema):
    code: str | None = Field(None, max_length=40, pattern=PLAIN)


@api.get("/units", response={200: list[UnitOut], **ERRORS}, tags=["eenheden"])
@paginate(Page)
def list_units(request, filters: Query[UnitFilter]):
    _known_query(request, UnitFilter, Page.Input)
    key = require_scope(request, "read")
    units = Unit.objects.filter(organisation_id=key.organisation_id).select_related(
        "parent", "entity"
    )
    if filters.code:
        units = units.filter(code=filters.code)
    return units.order_by("code")


class EmployeeFilter(Schema):
    unit: str | None = Field(None, max_length=40, pattern=PLAIN, description="eenheidscode")
    active: bool | None = None


def _employees(key):
    return Employee.objects.filter(organisation_id=key.organisation_id, anonymised=False)


@api.get("/employees", response={200: list[EmployeeOut], **ERRORS}, tags=["medewerkers"])
@paginate(Page)
def list_employees(request, filters: Query[EmployeeFilter]):
    _known_query(request, EmployeeFilter, Page.Input)
    key = require_scope(request, "read")
    employees = _employees(key).select_related("unit", "entity", "manager")
    if filters.unit:
        employees = employees.filter(unit__code=filters.unit)
    if filters.active is not None:
        employees = employees.filter(active=filters.active)
    return employees.order_by("personnel_number")


@api.get(
    "/employees/{personnel_number}", response={200: EmployeeOut, **ERRORS}, tags=["medewerkers"]
)
def get_employee(request, personnel_number: str = Path(..., max_length=30, pattern=PLAIN)):
    _known_query(request)
    key = require_scope(request, "read")
    return get_object_or_404(
        _employees(key).select_related("unit", "entity", "manager"),
        personnel_number=personnel_number,
    )


class AbsenceFilter(Schema):
    personnel_number: str | None = Field(None, max_length=30, pattern=PLAIN)
    since: IsoDate | None = Field(
        None, description="JJJJ-MM-DD: afwezigheden die op of na deze dag lopen"
    )


def _absences(key):
    return Absence.objects.filter(employee__organisation_id=key.organisation_id).select_related(
        "employee"
    )


@api.get("/absences", response={200: list[AbsenceOut], **ERRORS}, tags=["afwezigheden"])
@paginate(Page)
def list_absences(request, filters: Query[AbsenceFilter]):
    _known_query(request, AbsenceFilter, Page.Input)
    key = require_scope(request, "read")
    absences = _absences(key)
    if filters.personnel_number:
        absences = absences.filter(employee__personnel_number=filters.personnel_number)
    if filters.since:
        absences = absences.filter(Q(end_day__isnull=True) | Q(end_day__gte=filters.since))
    return absences.order_by("first_day", "id")


def _status(outcome) -> str:
    return "new" if outcome.new else ("changed" if outcome.changed else "unchanged")


@api.post(
    "/absences",
    response={200: AbsenceResult, 201: AbsenceResult, **ERRORS},
    tags=["afwezigheden"],
    summary="Een afwezigheid registreren (of bijwerken met dezelfde eerste dag)",
)
def create_absence(request, payload: AbsenceIn):
    _known_query(request)
    key = require_scope(request, "write_absences")
    employee = _employees(key).filter(personnel_number=payload.personnel_number).first()
    if employee is None:
        return _error(
            request, 404, "Onbekend personeelsnummer in uw organisatie.", "personnel_number"
        )
    _check_dates(payload.first_day, payload.end_day, payload.expected_end)
    absence, outcome = absences_upsert(
        actor=request.api_actor,
        organisation=key.organisation,
        employee=employee,
        first_day=payload.first_day,
        end_day=payload.end_day,
        expected_end=payload.expected_end,
    )
    status = 201 if outcome.new else 200
    body = {"absence": absence, "status": _status(outcome), "merged": outcome.merged}
    return Status(status, body)


def _check_dates(first: date, end: date | None, expected: date | None) -> None:
    """The shared plausibility check (trajectories.dates): a 422 naming each field and why."""
    check_dates(first_day=first, end_day=end, expected_end=expected)


@api.patch(
    "/absences/{absence_id}",
    response={200: AbsenceResult, **ERRORS},
    tags=["afwezigheden"],
    summary="De laatste dag of verwachte einddatum van een afwezigheid wijzigen",
)
def update_absence(request, absence_id: int, payload: AbsencePatch):
    _known_query(request)
    key = require_scope(request, "write_absences")
    absence = get_object_or_404(_absences(key), pk=absence_id)
    given = payload.model_fields_set
    end = payload.end_day if "end_day" in given else absence.end_day
    expected = payload.expected_end if "expected_end" in given else absence.expected_end
    _check_dates(absence.first_day, end, expected)
    result, outcome = absences_upsert(
        actor=request.api_actor,
        organisation=key.organisation,
        employee=absence.employee,
        first_day=absence.first_day,
        end_day=end,
        expected_end=expected,
    )
    return {"absence": result, "status": _status(outcome), "merged": outcome.merged}


class TrajectoryFilter(Schema):
    open: bool | None = Field(None, description="alleen lopende (true) of afgesloten (false)")
    personnel_number: str | None = Field(None, max_length=30, pattern=PLAIN)


def _trajectories(key):
    return Trajectory.objects.filter(organisation_id=key.organisation_id).select_related(
        "employee", "organisation"
    )


@api.get("/trajectories", response={200: list[TrajectoryOut], **ERRORS}, tags=["trajecten"])
@paginate(Page)
def list_trajectories(request, filters: Query[TrajectoryFilter]):
    _known_query(request, TrajectoryFilter, Page.Input)
    key = require_scope(request, "read")
    trajectories = _trajectories(key)
    if filters.open is not None:
        trajectories = trajectories.filter(closed_on__isnull=filters.open)
    if filters.personnel_number:
        trajectories = trajectories.filter(employee__personnel_number=filters.personnel_number)
    return trajectories.order_by("-started_on", "id")


@api.get(
    "/trajectories/{trajectory_id}",
    response={200: TrajectoryDetail, **ERRORS},
    tags=["trajecten"],
    summary="Status en verplichtingen van een traject (uit de regelmotor)",
)
def get_trajectory(request, trajectory_id: int):
    _known_query(request)
    key = require_scope(request, "read")
    trajectory = get_object_or_404(_trajectories(key), pk=trajectory_id)
    trajectory.obligations = [
        {
            "code": o.code,
            "title": o.title,
            "due": o.due,
            "status": o.status,
            "source": o.source,
            "done_on": o.done_on,
        }
        for o in obligations_for(trajectory)
    ]
    return trajectory


class ReportQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)


@api.get(
    "/reports/yearly",
    response={200: ReportOut, **ERRORS},
    tags=["rapporten"],
    summary="De cijfers van het jaarrapport (onderdrukt zoals in de pagina's)",
)
def yearly_report(request, query: Query[ReportQuery]):
    _known_query(request, ReportQuery)
    from terugkeer.reports.compute import build_report
    from terugkeer.reports.scopes import Scope

    key = require_scope(request, "read_reports")
    organisation = key.organisation
    year = query.year or timezone.localdate().year
    scope = Scope(
        "organisation",
        organisation.pk,
        organisation.pk,
        organisation.name,
        organisation.kind == organisation.Kind.LOCAL,
    )
    report = build_report(scope, year)
    return {
        "year": report.year,
        "previous_year": report.previous_year,
        "scope": scope.label,
        "suppression_threshold": report.threshold,
        "tables": [
            {
                "key": t.key,
                "title": t.title,
                "definition": t.definition,
                "columns": t.columns,
                "rows": [
                    {
                        "label": r.label,
                        "current": [c.display for c in r.current],
                        "previous": [c.display for c in r.previous],
                        "is_total": r.is_total,
                    }
                    for r in t.rows
                ],
            }
            for t in report.tables
        ],
    }
