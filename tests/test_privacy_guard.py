"""Table-driven tests of the privacy guard: what is refused, what is warned, what passes."""

from __future__ import annotations

from datetime import date

import pytest

from coordinator.privacy import (
    NoPersonalData,
    PersonalDataRefused,
    ensure_no_personal_data,
    network_email_domains,
)
from coordinator.privacy.guard import (
    PUBLIC_MAIL_DOMAINS,
    Kind,
    is_valid_bsn,
    is_valid_iban,
    mask,
    scan,
)
from tests.factories import OrganisationFactory, PersonFactory

TODAY = date(2026, 11, 23)
NETWORK = ["buurtteam.example.org", "coa.example.org"]

# (text, expected kinds) — every row is a real-looking sentence a professional might type.
CASES = [
    # BSN: only numbers that pass the 11-proef
    ("Haar BSN is 111222333, kan iemand helpen?", {Kind.BSN}),
    ("bsn 123.456.782 zonder uitkering", {Kind.BSN}),
    ("nummer 1234 56 782", {Kind.BSN}),
    ("ordernummer 123456789 van de voedselbank", set()),  # fails the 11-proef
    ("We zijn met 150 vrijwilligers en 12 locaties", set()),
    # phones
    ("Bel haar op 06-12345678", {Kind.PHONE}),
    ("tel 0612345678", {Kind.PHONE}),
    ("020 123 4567 is het nummer van zijn moeder", {Kind.PHONE}),
    ("+31 6 1234 5678", {Kind.PHONE}),
    ("0031 20 1234567", {Kind.PHONE}),
    ("(020) 123 4567", {Kind.PHONE}),
    ("+44 20 7946 0958 in Londen", {Kind.PHONE}),
    ("Spreekuur van 10.00 tot 12.00 uur", set()),
    ("Tafel 3 op 10-12-2026 om 10:00", set()),
    # e-mail
    ("mail hem op ahmed1987@gmail.com", {Kind.EMAIL}),
    ("Stuur de vraag naar info@buurtteam.example.org", set()),
    ("contact via team@zuidoost.buurtteam.example.org", set()),
    # IBAN
    ("rekening NL91 ABNA 0417 1643 00", {Kind.IBAN}),
    ("IBAN NL91ABNA0417164300", {Kind.IBAN}),
    ("code NL12 ABCD 0000 0000 00 klopt niet", set()),  # fails mod-97
    ("rekening NL91-ABNA-0417-1643-00", {Kind.IBAN}),  # dashed: an IBAN, not a phone
    ("rekening nl91-abna-0417-1643-00", {Kind.IBAN}),
    ("IBAN NL91 ABNA-0417 1643-00 graag", {Kind.IBAN}),
    # dates of birth
    ("geboren 12-03-1990", {Kind.BIRTH_DATE}),
    ("geb. 3 maart 2001, woont in Osdorp", {Kind.BIRTH_DATE}),
    ("Jongen van 14-05-2008 zoekt zwemles", {Kind.BIRTH_DATE}),
    ("De bijeenkomst van 14-05-2026 ging over taal", set()),
    ("geboortedatum 2015-06-01", {Kind.BIRTH_DATE}),
    # postcode + house number
    ("Ze woont op 1102 AB 12", {Kind.POSTCODE_HOUSE_NUMBER}),
    ("Kraaiennest 12, 1104 CE", {Kind.POSTCODE_HOUSE_NUMBER}),
    ("adres 1104CE nr. 7a", {Kind.POSTCODE_HOUSE_NUMBER}),
    ("Wie helpt in postcodegebied 1102?", set()),
    ("Ze woont op 1102 ab 12", {Kind.POSTCODE_HOUSE_NUMBER}),
    ("adres 1102AB12", {Kind.POSTCODE_HOUSE_NUMBER}),
    ("adres 1102ab 12", {Kind.POSTCODE_HOUSE_NUMBER}),
    ("adres 1102ab12, derde etage", {Kind.POSTCODE_HOUSE_NUMBER}),
    ("Kraaiennest 12, 1104 ce", {Kind.POSTCODE_HOUSE_NUMBER}),
    ("Tafel in 2026 om 10 uur, daarna 2027 op 12 locaties", set()),
    ("In 1995 en 2004 is het 3 keer gebeurd", set()),
    # warnings: status next to a name
    ("Meneer Haile is ongedocumenteerd en zoekt werk", {Kind.STATUS_WITH_NAME}),
    ("Ahmed heeft geen verblijfsvergunning", {Kind.STATUS_WITH_NAME}),
    ("Wie helpt ongedocumenteerden met huisvesting?", set()),
    ("Het buurtteam helpt statushouders met formulieren", set()),
    # plain questions that must pass
    ("Drie jongens willen leren fietsen, waar kunnen ze terecht?", set()),
    ("Is er een kookgroep voor vrouwen in Nieuw-West?", set()),
    ("", set()),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_guard_finds_exactly_the_expected_kinds(text: str, expected: set[Kind]):
    found = {f.kind for f in scan(text, allowed_email_domains=NETWORK, today=TODAY)}
    assert found == expected


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("111222333", True),
        ("123456782", True),
        ("10000008", True),
        ("12345678", False),
        ("123456789", False),
        ("000000000", False),
        ("11122233", False),
        ("abcdefghi", False),
    ],
)
def test_eleven_check(digits: str, valid: bool):
    assert is_valid_bsn(digits) is valid


def test_iban_check():
    assert is_valid_iban("NL91 ABNA 0417 1643 00")
    assert not is_valid_iban("NL91 ABNA 0417 1643 01")


def test_findings_are_masked_and_positioned():
    text = "Bel 0612345678 vandaag"
    [finding] = scan(text, today=TODAY)
    assert finding.excerpt == mask("0612345678") == "0••••••••8"
    assert text[finding.start : finding.end] == "0612345678"
    assert finding.refused


def test_service_guard_refuses_in_dutch_and_names_what():
    with pytest.raises(PersonalDataRefused) as excinfo:
        ensure_no_personal_data("Haar BSN is 111222333 en tel 06-12345678", field="body")
    message = excinfo.value.message
    assert "burgerservicenummer" in message
    assert "telefoonnummer" in message
    assert excinfo.value.field == "body"


def test_service_guard_returns_warnings_without_refusing():
    warnings = ensure_no_personal_data("Meneer Haile is ongedocumenteerd")
    assert [w.kind for w in warnings] == [Kind.STATUS_WITH_NAME]


def test_network_domains_come_from_the_directory():
    OrganisationFactory(
        email="info@wijkpartner.example.net", website="https://www.hulp.example.com"
    )
    assert ensure_no_personal_data("mail naar a.jansen@wijkpartner.example.net") == []
    assert ensure_no_personal_data("zie team@hulp.example.com") == []
    with pytest.raises(PersonalDataRefused):
        ensure_no_personal_data("mail naar iemand@privé.example.nl")


def test_dashed_iban_is_explained_as_an_iban_not_a_phone_number():
    findings = scan("rekening NL91-ABNA-0417-1643-00", today=TODAY)
    assert [f.kind for f in findings] == [Kind.IBAN]
    with pytest.raises(PersonalDataRefused) as excinfo:
        ensure_no_personal_data("Stort het op NL91-ABNA-0417-1643-00 aub")
    assert "IBAN" in excinfo.value.message
    assert "telefoonnummer" not in excinfo.value.message


@pytest.mark.parametrize("domain", sorted(PUBLIC_MAIL_DOMAINS))
def test_public_mail_providers_never_count_as_network_domains(domain: str):
    text = f"mail hem op ahmed1987@{domain}"
    found = scan(text, allowed_email_domains=[domain, "buurtteam.example.org"], today=TODAY)
    assert [f.kind for f in found] == [Kind.EMAIL]


def test_a_volunteer_at_gmail_does_not_let_every_gmail_address_through():
    PersonFactory(email="vrijwilliger.zuidoost@gmail.com")
    OrganisationFactory(email="moskee.zuidoost@hotmail.com", website="https://hotmail.com")
    domains = network_email_domains()
    assert "gmail.com" not in domains
    assert "hotmail.com" not in domains
    with pytest.raises(PersonalDataRefused):
        ensure_no_personal_data("mail hem op ahmed1987@gmail.com")
    with pytest.raises(PersonalDataRefused):
        ensure_no_personal_data("of via bewoner@hotmail.com")
    # the known people's own addresses still pass
    assert ensure_no_personal_data("vraag het Vrijwilliger.Zuidoost@gmail.com") == []
    assert ensure_no_personal_data("mail moskee.zuidoost@hotmail.com") == []


def test_form_validator_raises_validation_error():
    from wtforms import Form, TextAreaField

    class NoteForm(Form):
        body = TextAreaField(validators=[NoPersonalData()])

    form = NoteForm(data={"body": "tel 0612345678"})
    assert not form.validate()
    assert "telefoonnummer" in form.body.errors[0]
    assert NoteForm(data={"body": "Wie geeft fietsles?"}).validate()
