"""Input models: a registration application and a registrant under review (pydantic v2).

Every field is documented; ``RegistrationApplication.model_json_schema()`` and
``Registrant.model_json_schema()`` give the JSON Schema. Missing *information* (an optional
field left out) leads to an ``incomplete`` or ``needs_review`` decision naming it; *bad* input
(wrong type, unknown category, invalid ID number, contradictory dates) raises
:class:`~lnunemp_rules.errors.InputError` and never yields a decision.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from .fields import MAX_DATE, MIN_DATE, Day, Instant, Money, RegionCode, Tier, whole_number
from .idnumber import IdNumberInfo, ParsedIdNumber, parse_id_number

__all__ = [
    "MAX_DATE",
    "MIN_DATE",
    "Applicant",
    "Cause",
    "CurrentSituation",
    "Event",
    "Person",
    "Registrant",
    "RegistrationApplication",
    "id_info",
]


def id_info(number: str) -> IdNumberInfo:
    """What a validated ID number says: carried by the number the models keep, else parsed."""
    info: IdNumberInfo | None = getattr(number, "info", None)
    return info if info is not None else parse_id_number(number)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def _check_date(value: dt.date, field: str) -> dt.date:
    if not MIN_DATE <= value <= MAX_DATE:
        raise ValueError(f"{field} must be between {MIN_DATE} and {MAX_DATE}")
    return value


def _error_at(model: str, field: str | tuple[str | int, ...], message: str) -> ValidationError:
    """A validation error located at ``field`` of the model, for a cross-field check.

    A plain ``ValueError`` raised by a model validator is located at the model itself, so
    :class:`~lnunemp_rules.InputError` could not name the field; pydantic keeps this one's
    location (nested under the model's own).
    """
    loc = field if isinstance(field, tuple) else (field,)
    # The message is a format template for PydanticCustomError: braces must be escaped.
    template = message.replace("{", "{{").replace("}", "}}")
    detail = InitErrorDetails(
        type=PydanticCustomError("value_error", template), loc=loc, input=None
    )
    return ValidationError.from_exception_data(model, [detail])


def _check_money(value: float | None) -> float | None:
    if value is not None and round(value, 2) != value:
        raise ValueError("at most 2 decimals (fen) are accepted")
    return value


class Applicant(_Model):
    """The person applying (4.1.3(1) 失业人员个人信息; 5.1 identity documents checked)."""

    id_number: str = Field(
        description="18-character resident ID number (GB 11643-1999) with a valid check character.",
        max_length=32,
    )
    name: str | None = Field(None, max_length=64, description="Name; masked in every output.")
    birth_date: Day | None = Field(
        None, description="Birth date; if given it must equal the one in the ID number."
    )
    sex: Literal["male", "female"] | None = Field(
        None, description="Sex; if given it must match the ID number (odd sequence = male)."
    )
    hukou: Literal["urban", "rural"] | None = Field(
        None, description="Type of household registration (户籍); needed for cause rural_labour."
    )
    residence_region: RegionCode | None = Field(
        None,
        description="Habitual-residence region code (常住地); required information (4.1.3(1)).",
    )
    habitual_urban_resident: bool | None = Field(
        None,
        description=(
            "Habitual urban resident (城镇常住, 3.1 and the chapeau of 4.1.2), for every cause; "
            "for rural labour (4.1.2(5)) it is how being in town (在城镇) is established."
        ),
    )
    able_to_work: bool | None = Field(
        None,
        description="Able to work; false means totally unable (4.5(7)). Null: not stated.",
    )
    wants_employment: bool | None = Field(
        None,
        description=(
            "Wants employment (有就业要求); false bars registration (4.5(11) 终止就业要求). Null: "
            "not stated, which is not a bar."
        ),
    )
    female_retirement_group: Annotated[Literal[50, 55], BeforeValidator(whole_number)] | None = (
        Field(
            None,
            description=(
                "For a woman, her original statutory retirement age (50 for workers, 55 for "
                "cadres). Not derivable from the ID number; asked for only when it changes the "
                "outcome."
            ),
        )
    )

    @field_validator("id_number")
    @classmethod
    def _valid_id(cls, value: str) -> str:
        # normalize_id_number(value, field=...) is value.strip().upper() once parse_id_number
        # accepts it (same checks, same errors); the number keeps what it says for id_info.
        info = parse_id_number(value, field="applicant.id_number")
        return ParsedIdNumber(value.strip().upper(), info)

    @model_validator(mode="after")
    def _consistent_with_id(self) -> Self:
        info = id_info(self.id_number)
        if self.birth_date is not None and self.birth_date != info.birth_date:
            raise _error_at(
                "Applicant",
                "birth_date",
                "applicant.birth_date contradicts the birth date in the ID number; "
                "give the date encoded in the ID number or leave it out",
            )
        if self.sex is not None and self.sex != info.sex:
            raise _error_at(
                "Applicant",
                "sex",
                "applicant.sex contradicts the ID number (odd sequence digit = male, "
                "even = female); correct it or leave it out",
            )
        return self


class _CauseBase(_Model):
    pass


class GraduateCause(_CauseBase):
    """4.1.2(1): graduated from or left school (aged 16 or over)."""

    category: Literal["graduate"] = Field(
        description="The unemployment cause (4.1.3(2)); selects this case."
    )
    school_status: Literal["graduated", "dropped_out"] = Field(description="毕业 or 肄业.")


class EnterpriseContractEndedCause(_CauseBase):
    """4.1.2(2): the enterprise terminated (解除) or ended (终止) the employment relationship."""

    category: Literal["enterprise_contract_ended"] = Field(
        description="The unemployment cause (4.1.3(2)); selects this case."
    )
    contract_ending: Literal["terminated", "expired"] = Field(description="解除 or 终止.")


class SimpleCause(_CauseBase):
    """Causes that need no further facts: 4.1.2(3), (4), (7), (8), (9), (12)."""

    category: Literal[
        "enterprise_bankruptcy",
        "public_sector_dismissal",
        "private_business_closed",
        "self_employment_exit",
        "public_welfare_post_exit",
        "flexible_employment_exit",
    ] = Field(description="The unemployment cause (4.1.3(2)); selects this case.")


class ResignationCause(_CauseBase):
    """4.1.2(11): resigned from an employer, with why when it is known."""

    category: Literal["resignation"] = Field(
        description="The unemployment cause (4.1.3(2)); selects this case."
    )
    reason: Literal["employer_fault", "own_choice"] | None = Field(
        None,
        description=(
            "Why: employer_fault (the employee terminated under 劳动合同法 art. 38, involuntary "
            "under 《实施〈社会保险法〉若干规定》 art. 13, so notice 4.2.1(5) applies) or "
            "own_choice. Null: not stated (treated as not involuntary)."
        ),
    )


class RuralLabourCause(_CauseBase):
    """4.1.2(5): rural labour without work in town, with transfer-employment intent."""

    category: Literal["rural_labour"] = Field(
        description="The unemployment cause (4.1.3(2)); selects this case."
    )
    transfer_intent: bool = Field(description="Wants transfer employment (转移就业意愿).")


class VeteranCause(_CauseBase):
    """4.1.2(6): left active military service."""

    category: Literal["veteran"] = Field(
        description="The unemployment cause (4.1.3(2)); selects this case."
    )
    state_placement: bool = Field(description="Placed by the state (纳入国家统一安置).")


class LandRequisitionCause(_CauseBase):
    """4.1.2(10): contracted land requisitioned or similar (incl. fishermen and herdsmen)."""

    category: Literal["land_requisition"] = Field(
        description="The unemployment cause (4.1.3(2)); selects this case."
    )
    meets_local_conditions: Literal["yes", "no", "unknown"] = Field(
        description="Whether the local conditions (当地规定条件) are met; unknown → needs_review."
    )


class ReleasedFromPrisonCause(_CauseBase):
    """4.1.2(13): released, on parole, or serving the sentence outside prison."""

    category: Literal["released_from_prison"] = Field(
        description="The unemployment cause (4.1.3(2)); selects this case."
    )
    release_type: Literal["sentence_completed", "parole", "serving_outside_prison"] = Field(
        description="刑满释放, 假释 or 监外执行."
    )


class OtherCause(_CauseBase):
    """A cause outside the 13 listed categories (4.1.2 says 包括但不限于)."""

    category: Literal["other"] = Field(
        description="The unemployment cause (4.1.3(2)); selects this case."
    )
    description: str = Field(min_length=1, max_length=500, description="What happened.")


Cause = Annotated[
    GraduateCause
    | EnterpriseContractEndedCause
    | SimpleCause
    | ResignationCause
    | RuralLabourCause
    | VeteranCause
    | LandRequisitionCause
    | ReleasedFromPrisonCause
    | OtherCause,
    Field(discriminator="category"),
]


class CurrentSituation(_Model):
    """The applicant's situation now; each true item is a 4.5 trigger and bars registration."""

    employed: bool = Field(False, description="Hired by an employer (4.5(1)).")
    licensed_business: bool = Field(
        False, description="Self-employed or running an enterprise with a licence (4.5(2))."
    )
    monthly_income: Money | None = Field(
        None, description="Monthly income from work, if any (4.5(3))."
    )
    minimum_wage_tier: Tier | None = Field(
        None, description="Minimum-wage tier of the person's county, from the caller (4.5(3))."
    )
    minimum_wage_amount: Money | None = Field(
        None, description="The local minimum wage, if the caller knows it (overrides the tier)."
    )
    public_welfare_post: bool = Field(False, description="In a public-welfare post (4.5(4)).")
    flexible_employment_insured: bool = Field(
        False, description="Flexible employment with social insurance or income tax (4.5(5))."
    )
    receiving_pension: bool = Field(False, description="Receiving a basic pension (4.5(6)).")
    in_school: bool = Field(False, description="Enrolled in school (4.5(8)).")
    military_service: bool = Field(False, description="Serving in the military (4.5(8)).")
    emigrated: bool = Field(False, description="Moved abroad (4.5(8)).")
    imprisoned: bool = Field(False, description="Serving a prison sentence (4.5(9)).")

    _money = field_validator("monthly_income", "minimum_wage_amount")(_check_money)


class RegistrationApplication(_Model):
    """A registration application (4.1, 4.2, 5.1-5.3)."""

    applicant: Applicant = Field(description="The person applying (4.1.3(1)).")
    voluntary: bool = Field(
        description="The person asks to be registered of their own will (4.1.1)."
    )
    cause: Cause | None = Field(
        None, description="The unemployment cause (4.1.3(2)); one of the 13 of 4.1.2 or other."
    )
    unemployment_date: Day | None = Field(
        None, description="When the person became unemployed (4.1.3(3))."
    )
    application_date: Day = Field(description="The day the application was submitted.")
    submitted_at: Instant | None = Field(
        None,
        description=(
            "Timezone-aware submission time; if given, its Asia/Shanghai date must equal "
            "application_date."
        ),
    )
    channel: Literal["online", "offline"] = Field(
        description="online (3 working days, 4.2.2) or offline (the same day, 4.2.2)."
    )
    insurance_contribution_months: int | None = Field(
        None, ge=0, le=1200, description="Months of unemployment-insurance contributions."
    )
    employment_assistance_possible: bool | None = Field(
        None, description="The service found the person may apply for employment assistance."
    )
    current_situation: CurrentSituation = Field(
        default_factory=lambda: CurrentSituation(),
        description="The applicant's current situation; by default nothing of 4.5 applies.",
    )

    @field_validator("application_date", "unemployment_date")
    @classmethod
    def _in_range(cls, value: dt.date | None) -> dt.date | None:
        return None if value is None else _check_date(value, "date")

    @model_validator(mode="after")
    def _dates_consistent(self) -> Self:
        birth = id_info(self.applicant.id_number).birth_date
        if self.application_date < birth:
            raise _error_at(
                "RegistrationApplication",
                "application_date",
                "application_date is before the applicant's birth date",
            )
        if self.unemployment_date is not None:
            if self.unemployment_date > self.application_date:
                raise _error_at(
                    "RegistrationApplication",
                    "unemployment_date",
                    "unemployment_date is after application_date; accepted: a date on or "
                    "before the application date",
                )
            if self.unemployment_date < birth:
                raise _error_at(
                    "RegistrationApplication",
                    "unemployment_date",
                    "unemployment_date is before the applicant's birth date",
                )
        if self.submitted_at is not None:
            if self.submitted_at.tzinfo is None or self.submitted_at.utcoffset() is None:
                raise _error_at(
                    "RegistrationApplication",
                    "submitted_at",
                    "submitted_at must carry a timezone, e.g. 2026-09-30T10:00+08:00",
                )
            from zoneinfo import ZoneInfo

            local = self.submitted_at.astimezone(ZoneInfo("Asia/Shanghai")).date()
            if local != self.application_date:
                raise _error_at(
                    "RegistrationApplication",
                    "submitted_at",
                    f"submitted_at is {local} in Asia/Shanghai but application_date is "
                    f"{self.application_date}; they must be the same day",
                )
        return self


class Person(_Model):
    """The registered person as the register holds them: the ID number (or birth date and
    sex) tells the review when the statutory retirement age is passed (5.5)."""

    id_number: str | None = Field(
        None,
        max_length=32,
        description="Resident ID number (GB 11643-1999); gives the birth date and sex.",
    )
    name: str | None = Field(None, max_length=64, description="Name; masked in every output.")
    birth_date: Day | None = Field(
        None,
        description=(
            "Birth date; required when there is no ID number, and if both are given it must "
            "equal the one in the ID number."
        ),
    )
    sex: Literal["male", "female"] | None = Field(
        None,
        description=(
            "Sex; required when there is no ID number, and if both are given it must match the "
            "ID number (odd sequence = male)."
        ),
    )
    female_retirement_group: Annotated[Literal[50, 55], BeforeValidator(whole_number)] | None = (
        Field(
            None,
            description=(
                "For a woman, her original statutory retirement age (50 for workers, 55 for "
                "cadres); asked for only when it changes the outcome."
            ),
        )
    )

    @field_validator("id_number")
    @classmethod
    def _valid_id(cls, value: str | None) -> str | None:
        if value is None:
            return None
        info = parse_id_number(value, field="person.id_number")
        return ParsedIdNumber(value.strip().upper(), info)

    @field_validator("birth_date")
    @classmethod
    def _birth_in_range(cls, value: dt.date | None) -> dt.date | None:
        return None if value is None else _check_date(value, "birth_date")

    @model_validator(mode="after")
    def _consistent_with_id(self) -> Self:
        if self.id_number is None:
            return self
        info = id_info(self.id_number)
        if self.birth_date is not None and self.birth_date != info.birth_date:
            raise _error_at(
                "Person",
                "birth_date",
                "person.birth_date contradicts the birth date in the ID number; give the date "
                "encoded in the ID number or leave it out",
            )
        if self.sex is not None and self.sex != info.sex:
            raise _error_at(
                "Person",
                "sex",
                "person.sex contradicts the ID number (odd sequence digit = male, even = "
                "female); correct it or leave it out",
            )
        return self

    def birth_and_sex(self) -> tuple[dt.date, str] | None:
        """The birth date and sex, from the ID number or as given; None if either is unknown."""
        if self.id_number is not None:
            info = id_info(self.id_number)
            return info.birth_date, info.sex
        if self.birth_date is not None and self.sex is not None:
            return self.birth_date, self.sex
        return None


class _EventBase(_Model):
    date: Day = Field(description="When it happened.")

    @field_validator("date")
    @classmethod
    def _in_range(cls, value: dt.date) -> dt.date:
        return _check_date(value, "date")


class SimpleEvent(_EventBase):
    """An event that needs no further facts."""

    type: Literal[
        "contact",
        "hired",
        "business_licence",
        "public_welfare_post",
        "pension_start",
        "lost_working_ability",
        "school_enrolment",
        "military_service",
        "emigration",
        "imprisonment",
        "death",
        "withdrawal",
    ] = Field(description="The kind of event; selects this case.")


class RefusalEvent(_EventBase):
    """The person refused an offered public employment service (4.5(12))."""

    type: Literal["refusal"] = Field(description="The kind of event; selects this case.")
    service: str | None = Field(None, max_length=200, description="What was refused.")


class IncomeWorkEvent(_EventBase):
    """Work for income began (4.5(3))."""

    type: Literal["income_work"] = Field(description="The kind of event; selects this case.")
    monthly_income: Money = Field(description="Monthly income in yuan (4.5(3)).")
    minimum_wage_tier: Tier | None = Field(
        None, description="Minimum-wage tier for this work; else the registrant's default tier."
    )
    minimum_wage_amount: Money | None = Field(
        None, description="The local minimum wage on that date, if the caller knows it."
    )

    _money = field_validator("monthly_income", "minimum_wage_amount")(_check_money)


class FlexibleEmploymentEvent(_EventBase):
    """Flexible employment began (4.5(5))."""

    type: Literal["flexible_employment"] = Field(
        description="The kind of event; selects this case."
    )
    social_insurance: bool = Field(description="Social insurance is paid.")
    income_tax: bool = Field(description="Personal income tax is paid.")


class MoveEvent(_EventBase):
    """The habitual residence moved (4.5(14) when to another province)."""

    type: Literal["move"] = Field(description="The kind of event; selects this case.")
    new_region: RegionCode


class OtherEvent(_EventBase):
    """4.5(15) 其他: the service deregisters for a recorded reason."""

    type: Literal["other"] = Field(description="The kind of event; selects this case.")
    reason: str = Field(min_length=1, max_length=500, description="The recorded reason.")


Event = Annotated[
    SimpleEvent | RefusalEvent | IncomeWorkEvent | FlexibleEmploymentEvent | MoveEvent | OtherEvent,
    Field(discriminator="type"),
]


class Registrant(_Model):
    """A registered unemployed person in the periodic review (4.3.1, 4.5, 5.5)."""

    person: Person = Field(
        description=(
            "The registered person (required): an ID number, or a birth date and sex (the "
            "review checks the statutory retirement age, 5.5)."
        ),
    )
    registration_date: Day = Field(description="The day the registration took effect.")
    residence_region: RegionCode = Field(description="Habitual-residence region code.")
    minimum_wage_tier: Tier | None = Field(
        None, description="Default minimum-wage tier for income events that do not give one."
    )
    events: list[Event] = Field(
        default_factory=list,
        max_length=10_000,
        description="Dated events since registration; those after as_of are ignored.",
    )

    @field_validator("registration_date")
    @classmethod
    def _in_range(cls, value: dt.date) -> dt.date:
        return _check_date(value, "registration_date")

    @model_validator(mode="after")
    def _events_after_registration(self) -> Self:
        # 5.5 needs the birth date and sex (statutory retirement age): a register record
        # without them is bad input, never a silent pass.
        person = self.person
        if person.id_number is None and person.birth_date is None:
            raise _error_at(
                "Registrant",
                ("person", "birth_date"),
                "person.birth_date is required when person.id_number is not given: the review "
                "checks the statutory retirement age (5.5); accepted: person.id_number (18 "
                "characters) or person.birth_date (YYYY-MM-DD) with person.sex",
            )
        if person.id_number is None and person.sex is None:
            raise _error_at(
                "Registrant",
                ("person", "sex"),
                "person.sex is required when person.id_number is not given: the statutory "
                "retirement age depends on it (5.5); accepted: male, female",
            )
        # An ID number's birth date is checked against the registration date with the ID
        # number (inputs/validation.py); a birth date given instead is checked here.
        birth = person.birth_date
        if person.id_number is None and birth is not None and self.registration_date < birth:
            raise _error_at(
                "Registrant",
                ("person", "birth_date"),
                "person.birth_date is after the registration date",
            )
        for index, event in enumerate(self.events):
            if event.date < self.registration_date:
                raise _error_at(
                    "Registrant",
                    ("events", index, "date"),
                    f"events[{index}].date {event.date} is before registration_date "
                    f"{self.registration_date}; accepted: events on or after registration",
                )
        number = self.person.id_number if self.person is not None else None
        if number is not None and id_info(number).birth_date > self.registration_date:
            raise _error_at(
                "Registrant",
                ("person", "id_number"),
                "the birth date in person.id_number is after registration_date; accepted: "
                "a person born on or before the registration",
            )
        return self
