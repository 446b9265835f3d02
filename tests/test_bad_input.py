"""Bad input raises InputError naming the field, with personal data masked, never a decision.

Missing *information* gives an ``incomplete`` decision (tests/test_registration.py); what is
here is input that is *wrong*: unknown codes, invalid ID numbers, contradictions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

import lnunemp_rules as L
from builders import NAME, application, event, id_number, registrant

NUMBER = id_number()


def refused(call: Callable[[], object]) -> L.InputError:
    """The InputError ``call`` raises; it must not return (a decision) instead."""
    with pytest.raises(L.InputError) as info:
        call()
    error = info.value
    text = f"{error} {error.problems}"
    assert NUMBER not in text
    assert NAME not in text
    return error


def bad_application(engine: str, data: object) -> L.InputError:
    return refused(lambda: L.assess_registration(data, engine=engine))  # type: ignore[arg-type]


def bad_registrant(engine: str, data: object, as_of: object = "2026-05-01") -> L.InputError:
    return refused(
        lambda: L.assess_deregistration(data, as_of=as_of, engine=engine)  # type: ignore[arg-type]
    )


def test_unknown_cause_category_is_refused(engine: str) -> None:
    """A cause outside the 13 categories and ``other`` is an input error on ``cause``."""
    error = bad_application(engine, application(cause={"category": "fired_by_aliens"}))
    assert error.field == "cause"
    assert "resignation" in error.message  # the accepted categories are listed


def test_other_cause_without_description_is_refused(engine: str) -> None:
    """A cause ``other`` must say what happened."""
    error = bad_application(engine, application(cause={"category": "other"}))
    assert error.field.startswith("cause")
    assert error.field.endswith("description")


def test_id_number_with_a_wrong_check_character_is_refused_masked(engine: str) -> None:
    """A typo in the ID number is caught by its check character; the number is not echoed."""
    wrong = NUMBER[:17] + ("0" if NUMBER[17] != "0" else "1")
    error = bad_application(engine, application(applicant={"id_number": wrong}))
    assert error.field == "applicant.id_number"
    assert "check character" in error.message
    assert wrong not in str(error)
    assert wrong[6:14] not in str(error)  # nor its birth-date digits


def test_registrant_id_number_with_a_wrong_check_character_is_refused_masked(
    engine: str,
) -> None:
    """The registrant's ID number is checked the same way."""
    wrong = NUMBER[:17] + ("0" if NUMBER[17] != "0" else "1")
    error = bad_registrant(engine, registrant(person={"id_number": wrong}))
    assert error.field == "person.id_number"
    assert wrong not in str(error)


def test_birth_date_contradicting_the_id_number_is_refused(engine: str) -> None:
    """A birth date other than the one in the ID number is an error on applicant.birth_date."""
    error = bad_application(engine, application(applicant={"birth_date": "1990-05-11"}))
    assert error.field == "applicant.birth_date"


def test_sex_contradicting_the_id_number_is_refused(engine: str) -> None:
    """An odd sequence digit means male: ``female`` contradicts it (applicant.sex)."""
    error = bad_application(engine, application(applicant={"sex": "female"}))
    assert error.field == "applicant.sex"


def test_unemployment_date_after_the_application_date_is_refused(engine: str) -> None:
    """Nobody applies before becoming unemployed: the error names unemployment_date."""
    error = bad_application(engine, application(unemployment_date="2026-10-01"))
    assert error.field == "unemployment_date"


def test_negative_current_income_is_refused(engine: str) -> None:
    """A negative monthly income is an error on current_situation.monthly_income."""
    error = bad_application(engine, application(current_situation={"monthly_income": -1}))
    assert error.field == "current_situation.monthly_income"


def test_naive_submission_time_is_refused(engine: str) -> None:
    """submitted_at without a timezone cannot be placed on a calendar day."""
    error = bad_application(engine, application(submitted_at="2026-09-30T10:00:00"))
    assert error.field == "submitted_at"


def test_unknown_event_type_is_refused(engine: str) -> None:
    """An event type the review does not know is an error on that event."""
    error = bad_registrant(engine, registrant(event("promotion", dt.date(2026, 3, 1))))
    assert error.field.startswith("events[0]")
    assert "hired" in error.message  # the accepted types are listed


def test_negative_event_income_is_refused(engine: str) -> None:
    """A negative monthly income in an income_work event is an error on that event's income."""
    error = bad_registrant(
        engine, registrant(event("income_work", dt.date(2026, 3, 1), monthly_income=-5))
    )
    assert error.field.startswith("events[0]")
    assert error.field.endswith("monthly_income")


def test_other_event_without_a_reason_is_refused(engine: str) -> None:
    """4.5(15) 其他 needs a recorded reason."""
    error = bad_registrant(engine, registrant(event("other", dt.date(2026, 3, 1))))
    assert error.field.startswith("events[0]")
    assert error.field.endswith("reason")


def test_event_before_the_registration_date_is_refused(engine: str) -> None:
    """An event before the registration cannot belong to this registration."""
    person = registrant(event("contact", dt.date(2026, 2, 1)), event("hired", dt.date(2026, 1, 14)))
    error = bad_registrant(engine, person)
    assert error.field == "events[1].date"


def test_as_of_before_the_registration_date_is_refused(engine: str) -> None:
    """A review as of a day before the registration is an error on as_of."""
    error = bad_registrant(engine, registrant(), as_of=dt.date(2026, 1, 14))
    assert error.field == "as_of"


@pytest.mark.parametrize("as_of", ["2026-13-01", dt.datetime(2026, 5, 1, 12, 0), 20260501])
def test_as_of_that_is_not_a_date_is_refused(engine: str, as_of: object) -> None:
    """as_of must be a date or an ISO date string."""
    assert bad_registrant(engine, registrant(), as_of=as_of).field == "as_of"


@pytest.mark.parametrize("data", [None, [], "application", 42])
def test_input_that_is_not_a_mapping_is_refused(engine: str, data: object) -> None:
    """Only a model or a mapping is accepted; the error names the expected model."""
    assert bad_application(engine, data).field == "RegistrationApplication"
    assert bad_registrant(engine, data).field == "Registrant"


def test_unknown_engine_name_is_refused() -> None:
    """engine= must name an engine; the accepted names are listed."""
    for call in (
        lambda: L.assess_registration(application(), engine="rete"),
        lambda: L.assess_deregistration(registrant(), as_of="2026-05-01", engine="rete"),
    ):
        error = refused(call)
        assert error.field == "engine"
        assert "python" in error.message


def test_every_problem_is_listed_not_only_the_first(engine: str) -> None:
    """Two wrong fields are both reported in InputError.problems."""
    data = application(current_situation={"monthly_income": -1}, channel="fax")
    error = bad_application(engine, data)
    fields = {field for field, _ in error.problems}
    assert {"channel", "current_situation.monthly_income"} <= fields


def test_input_error_is_catchable_as_a_library_error_and_a_value_error() -> None:
    """Callers may catch LnunempError or ValueError."""
    assert issubclass(L.InputError, L.LnunempError)
    assert issubclass(L.InputError, ValueError)


@pytest.mark.parametrize("as_of", ["1899-12-31", "2101-01-01", "2026-13-01", "yesterday"])
def test_an_as_of_date_outside_the_input_window_is_refused(as_of: str) -> None:
    """as_of obeys the same 1900-2100 window as every input date, naming the field."""
    with pytest.raises(L.InputError) as caught:
        L.assess_deregistration(registrant(), as_of=as_of)
    assert caught.value.field == "as_of"


def test_a_register_record_without_a_birth_date_is_refused_naming_the_field(engine: str) -> None:
    """5.5: the review checks the statutory retirement age, so a record with neither an ID
    number nor a birth date is an input error on person.birth_date, never a silent pass."""
    for person in ({}, {"name": NAME}, {"sex": "male"}):
        data = registrant()
        data["person"] = person
        error = bad_registrant(engine, data)
        assert error.field == "person.birth_date"
        assert "person.id_number" in error.message and "YYYY-MM-DD" in error.message
    data = registrant()
    del data["person"]
    assert bad_registrant(engine, data).field == "person"


def test_a_register_record_with_a_birth_date_but_no_sex_is_refused(engine: str) -> None:
    """Without an ID number the sex must be given: the retirement age depends on it."""
    data = registrant()
    data["person"] = {"birth_date": "1980-05-10"}
    error = bad_registrant(engine, data)
    assert error.field == "person.sex"
    assert "male, female" in error.message


def test_a_register_birth_date_that_contradicts_the_id_number_is_refused(engine: str) -> None:
    """A birth date given beside the ID number must be the one in it; the number stays masked."""
    data = registrant()
    number = data["person"]["id_number"]
    data["person"]["birth_date"] = "1901-01-01"
    error = bad_registrant(engine, data)
    assert error.field == "person.birth_date"
    assert number not in str(error)


def test_a_wants_employment_that_is_not_a_boolean_is_refused(engine: str) -> None:
    """applicant.wants_employment is true, false or left out."""
    data = application()
    data["applicant"]["wants_employment"] = "perhaps"
    error = bad_application(engine, data)
    assert error.field == "applicant.wants_employment"


def test_an_unknown_resignation_reason_is_refused_listing_the_accepted_ones(engine: str) -> None:
    """cause.reason of a resignation is employer_fault, own_choice or left out."""
    error = bad_application(engine, application(cause={"category": "resignation",
                                                       "reason": "boredom"}))  # fmt: skip
    assert error.field == "cause.reason"
    assert "employer_fault" in error.message


def test_an_unknown_default_tier_is_blamed_on_the_registrant_field(engine: str) -> None:
    """A registrant's default minimum_wage_tier that does not exist is reported on that field,
    not on the event that used it; an event's own tier on the event."""
    income = {"type": "income_work", "date": "2026-05-01", "monthly_income": 2500.0}
    failure = bad_registrant(engine, registrant(income, minimum_wage_tier=7))
    assert failure.field == "minimum_wage_tier"
    failure = bad_registrant(engine, registrant({**income, "minimum_wage_tier": 7}))
    assert failure.field == "events[0].minimum_wage_tier"
