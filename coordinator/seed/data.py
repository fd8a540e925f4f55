"""The demo network of Zuidoost and Nieuw-West, as plain data.

Everything here is fictional: organisation names are generic or invented, people are made
up, addresses live under ``example.org`` and phone numbers follow the 06-1234 56xx pattern
that no real subscriber has. Demo data never describes residents or newcomers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEMO_PASSWORD = "matchtafel-demo"


@dataclass(frozen=True)
class PersonSpec:
    name: str
    email: str
    roles: tuple[str, ...]
    phone: str | None = None
    kind: str = "medewerker"
    languages: tuple[str, ...] = ("nl",)
    focus: tuple[str, ...] = ()
    consent: bool = True
    #: Days ago the person left (a former holder, kept for the history).
    left_days_ago: int | None = None
    visibility: str = "netwerk"


@dataclass(frozen=True)
class TaskSpec:
    summary: str
    topics: tuple[str, ...]
    groups: tuple[str, ...]
    areas: tuple[str, ...]
    handles: bool = True
    role: str | None = None
    reason: str = ""
    tips: str = ""
    hours: str = ""
    languages: tuple[str, ...] = ("nl",)
    waiting: str = ""
    #: Months since the entry was last checked; 7 or more shows as "mogelijk verouderd".
    verified_months_ago: int = 1


@dataclass(frozen=True)
class OrganisationSpec:
    slug: str
    name: str
    kind: str
    infrastructure: str
    sector: str
    description: str
    areas: tuple[str, ...]
    domain: str
    roles: tuple[tuple[str, str], ...]
    people: tuple[PersonSpec, ...] = ()
    tasks: tuple[TaskSpec, ...] = ()
    visibility: str = "openbaar"
    phone: str | None = None
    funding_ends_in_days: int | None = None


@dataclass(frozen=True)
class SeatSpec:
    organisation: str
    role: str
    deputy_email: str | None = None
    coordinator: bool = False


@dataclass(frozen=True)
class ActionSpec:
    """An afspraak agreed at the latest past meeting, owned by a seat (by its index)."""

    seat: int
    description: str
    #: Days from the seeding day; negative is overdue.
    due_in_days: int


@dataclass(frozen=True)
class HistorySpec:
    """The recent past of a demo table, so its pages and the dashboard are not empty.

    Seats are named by their index in :attr:`TableSpec.seats`.
    """

    #: How many of the latest past occurrences get a meeting record with attendance.
    meetings: int = 3
    #: Seats absent at every one of those meetings (a continuity signal on the dashboard).
    absent: tuple[int, ...] = ()
    #: Seats whose deputy came to the latest meeting.
    deputy: tuple[int, ...] = ()
    #: Seats that sent apologies for the latest meeting.
    excused: tuple[int, ...] = ()
    #: Minutes of the latest meeting.
    minutes: str = ""
    actions: tuple[ActionSpec, ...] = ()


@dataclass(frozen=True)
class TableSpec:
    key: str
    name: str
    kind: str
    area: str
    purpose: str
    location: str
    dtstart: str
    duration_minutes: int
    rrule: str
    agenda_template: str
    seats: tuple[SeatSpec, ...] = field(default_factory=tuple)
    online_url: str | None = None
    history: HistorySpec | None = None


@dataclass(frozen=True)
class AccountSpec:
    email: str
    role: str
    person_email: str
    areas: tuple[str, ...] = ()


ORGANISATIONS: tuple[OrganisationSpec, ...] = (
    OrganisationSpec(
        slug="gemeente-programma-nieuwkomers",
        name="Gemeente Amsterdam – Programma Nieuwkomers",
        kind="formeel",
        infrastructure="beide",
        sector="overheid",
        description="Stedelijk programma dat de samenwerking rond nieuwkomers in de stadsdelen ondersteunt.",
        areas=("amsterdam",),
        domain="example.org",
        roles=(("Programmaregisseur", "Beheert Matchtafel voor de hele stad."),),
        people=(PersonSpec("Mirjam de Wit", "beheer@example.org", ("Programmaregisseur",)),),
    ),
    OrganisationSpec(
        slug="stadsdeel-zuidoost",
        name="Stadsdeel Zuidoost",
        kind="formeel",
        infrastructure="sociaal",
        sector="overheid",
        description="Gebiedsteam van het stadsdeel; brengt partners samen aan de matchtafel.",
        areas=("zuidoost",),
        domain="zuidoost.example.org",
        roles=(
            ("Coördinator nieuwkomers", "Voorzitter van de Matchtafel Zuidoost."),
            ("Gebiedsmakelaar", "Verbindt bewonersinitiatieven en het stadsdeel."),
        ),
        people=(
            PersonSpec(
                "Kwame Asante",
                "coordinator.zuidoost@example.org",
                ("Coördinator nieuwkomers",),
                phone="06 1234 5601",
                languages=("nl", "en", "tw"),
            ),
            PersonSpec("Sanne Verhoef", "s.verhoef@zuidoost.example.org", ("Gebiedsmakelaar",)),
        ),
    ),
    OrganisationSpec(
        slug="stadsdeel-nieuw-west",
        name="Stadsdeel Nieuw-West",
        kind="formeel",
        infrastructure="sociaal",
        sector="overheid",
        description="Gebiedsteam van het stadsdeel Nieuw-West.",
        areas=("nieuw-west",),
        domain="nieuwwest.example.org",
        roles=(("Coördinator nieuwkomers", "Organiseert de netwerkbijeenkomsten in Nieuw-West."),),
        people=(
            PersonSpec(
                "Latifa Amrani",
                "l.amrani@nieuwwest.example.org",
                ("Coördinator nieuwkomers",),
                languages=("nl", "ar", "fr"),
            ),
        ),
    ),
    OrganisationSpec(
        slug="coa-zuidoost",
        name="COA – locatie Zuidoost",
        kind="formeel",
        infrastructure="aankomst",
        sector="opvang",
        description="Opvanglocatie voor asielzoekers. De taak van het COA is opvang en begeleiding tijdens de asielprocedure.",
        areas=("zuidoost",),
        domain="coa.example.org",
        phone="06 1234 5602",
        roles=(
            ("Participatie", "Activiteiten en vrijwilligerswerk voor bewoners van de locatie."),
            ("Woonbegeleiding", "Begeleiding op de locatie tijdens de procedure."),
        ),
        people=(
            PersonSpec(
                "Eva Jansen",
                "redacteur.coa@example.org",
                ("Participatie",),
                phone="06 1234 5603",
                languages=("nl", "en"),
            ),
            PersonSpec(
                "Yonas Tesfay",
                "y.tesfay@coa.example.org",
                ("Participatie",),
                languages=("nl", "ti", "en"),
            ),
            PersonSpec("Rob Meijer", "r.meijer@coa.example.org", ("Woonbegeleiding",)),
            PersonSpec(
                "Henk Vos",
                "h.vos@coa.example.org",
                ("Woonbegeleiding",),
                left_days_ago=120,
            ),
        ),
        tasks=(
            TaskSpec(
                "Opvang en begeleiding tijdens de asielprocedure",
                ("huisvesting", "zorg-gezondheid"),
                ("asielzoekers",),
                ("zuidoost",),
                role="Woonbegeleiding",
                hours="ma–vr 9:00–17:00",
                languages=("nl", "en", "ar", "ti"),
            ),
            TaskSpec(
                "Geen begeleiding na vertrek uit de opvang",
                ("huisvesting", "werk", "geld-schulden"),
                ("statushouders",),
                ("zuidoost",),
                handles=False,
                reason="De taak van het COA is opvang; na uitstroom neemt de gemeente (WPI, buurtteam) het over.",
                tips="Draag voor vertrek over aan de klantmanager statushouders van WPI.",
            ),
        ),
    ),
    OrganisationSpec(
        slug="wpi",
        name="WPI – Werk, Participatie en Inkomen",
        kind="formeel",
        infrastructure="aankomst",
        sector="overheid",
        description="Gemeentelijke dienst voor inburgering, werk en inkomen van statushouders.",
        areas=("amsterdam",),
        domain="wpi.example.org",
        phone="06 1234 5604",
        roles=(
            ("Klantmanager statushouders", "Eerste aanspreekpunt voor inburgering en inkomen."),
            ("Consulent inburgering", "Leerroute en taalaanbod binnen de Wet inburgering."),
        ),
        people=(
            PersonSpec(
                "Fatma Yilmaz",
                "f.yilmaz@wpi.example.org",
                ("Klantmanager statushouders",),
                languages=("nl", "tr"),
            ),
            PersonSpec("Bas Koster", "b.koster@wpi.example.org", ("Consulent inburgering",)),
        ),
        tasks=(
            TaskSpec(
                "Inburgering, leerroute en taalaanbod",
                ("taal-inburgering",),
                ("statushouders",),
                ("amsterdam",),
                role="Consulent inburgering",
                waiting="2–4 weken",
            ),
            TaskSpec(
                "Inkomen en begeleiding naar werk",
                ("werk", "geld-schulden"),
                ("statushouders",),
                ("amsterdam",),
                role="Klantmanager statushouders",
                tips="Meld aan via de functionele mailbox, met toestemming van de bewoner.",
            ),
            TaskSpec(
                "Geen inburgeringsbegeleiding voor oudkomers",
                ("taal-inburgering",),
                ("oudkomers",),
                ("amsterdam",),
                handles=False,
                reason="Oudkomers vallen niet onder de Wet inburgering 2021.",
                tips="Verwijs naar het Taalhuis van de bibliotheek.",
            ),
        ),
    ),
    OrganisationSpec(
        slug="vluchtelingenwerk-amsterdam",
        name="Vluchtelingenwerk – team Amsterdam",
        kind="formeel",
        infrastructure="aankomst",
        sector="maatschappelijke begeleiding",
        description="Maatschappelijke begeleiding van statushouders en hulp bij gezinshereniging.",
        areas=("amsterdam",),
        domain="vluchtelingenwerk.example.org",
        roles=(
            ("Maatschappelijk begeleider", "Begeleidt statushouders het eerste jaar."),
            ("Coördinator vrijwilligers", "Zet vrijwilligers in als maatje."),
        ),
        people=(
            PersonSpec(
                "Noor Haddad",
                "n.haddad@vluchtelingenwerk.example.org",
                ("Maatschappelijk begeleider",),
                languages=("nl", "ar", "en"),
            ),
            PersonSpec(
                "Pieter Smit",
                "p.smit@vluchtelingenwerk.example.org",
                ("Coördinator vrijwilligers",),
            ),
        ),
        tasks=(
            TaskSpec(
                "Hulp bij gezinshereniging",
                ("gezinshereniging", "juridisch"),
                ("statushouders", "asielzoekers"),
                ("amsterdam",),
                role="Maatschappelijk begeleider",
                languages=("nl", "ar", "en", "ti"),
                waiting="ongeveer 3 weken",
            ),
            TaskSpec(
                "Maatschappelijke begeleiding in het eerste jaar",
                ("huisvesting", "geld-schulden", "digitale-hulp"),
                ("statushouders",),
                ("amsterdam",),
                role="Maatschappelijk begeleider",
            ),
        ),
    ),
    OrganisationSpec(
        slug="buurtteam-zuidoost",
        name="Buurtteam Zuidoost",
        kind="formeel",
        infrastructure="sociaal",
        sector="welzijn",
        description="Hulp bij geld, wonen, opvoeden en gezondheid voor iedereen met een BSN in Zuidoost.",
        areas=("zuidoost",),
        domain="buurtteamzuidoost.example.org",
        phone="06 1234 5605",
        roles=(
            ("Brugfunctionaris", "Verbindt school, gezin en buurtteam."),
            ("Aandachtsfunctionaris nieuwkomers", "Vraagbaak voor collega's over nieuwkomers."),
        ),
        people=(
            PersonSpec(
                "Marloes Bakker",
                "m.bakker@buurtteamzuidoost.example.org",
                ("Aandachtsfunctionaris nieuwkomers",),
                languages=("nl", "en", "pap"),
            ),
            PersonSpec(
                "Ricardo Mendes",
                "r.mendes@buurtteamzuidoost.example.org",
                ("Brugfunctionaris",),
                languages=("nl", "pt"),
            ),
        ),
        tasks=(
            TaskSpec(
                "Hulp bij wonen, geld en opvoeden",
                ("huisvesting", "geld-schulden", "kinderen-jongeren"),
                ("statushouders", "oudkomers", "oekraiense-ontheemden"),
                ("zuidoost",),
                role="Aandachtsfunctionaris nieuwkomers",
                hours="ma–do 9:00–17:00, inloop di 13:00–15:00",
                waiting="1–2 weken",
            ),
            TaskSpec(
                "Geen hulp zonder BSN",
                ("huisvesting", "geld-schulden", "zorg-gezondheid"),
                ("ongedocumenteerden",),
                ("zuidoost",),
                handles=False,
                reason="Geen BSN, geen hulp mogelijk: het buurtteam mag alleen ingeschreven bewoners helpen.",
                tips="Verwijs naar het Rode Kruis of het Spreekuur Ongedocumenteerden.",
            ),
        ),
    ),
    OrganisationSpec(
        slug="buurtteam-nieuw-west",
        name="Buurtteam Nieuw-West",
        kind="formeel",
        infrastructure="sociaal",
        sector="welzijn",
        description="Hulp bij geld, wonen, opvoeden en gezondheid voor iedereen met een BSN in Nieuw-West.",
        areas=("nieuw-west",),
        domain="buurtteamnieuwwest.example.org",
        roles=(("Aandachtsfunctionaris nieuwkomers", "Vraagbaak over nieuwkomers."),),
        people=(
            PersonSpec(
                "Hamid El Idrissi",
                "h.elidrissi@buurtteamnieuwwest.example.org",
                ("Aandachtsfunctionaris nieuwkomers",),
                languages=("nl", "ar", "ber"),
            ),
        ),
        tasks=(
            TaskSpec(
                "Hulp bij wonen, geld en opvoeden",
                ("huisvesting", "geld-schulden", "kinderen-jongeren"),
                ("statushouders", "oudkomers"),
                ("nieuw-west",),
                role="Aandachtsfunctionaris nieuwkomers",
                verified_months_ago=8,
            ),
            TaskSpec(
                "Geen hulp zonder BSN",
                ("huisvesting", "geld-schulden"),
                ("ongedocumenteerden",),
                ("nieuw-west",),
                handles=False,
                reason="Geen BSN, geen hulp mogelijk.",
            ),
        ),
    ),
    OrganisationSpec(
        slug="ggd-amsterdam",
        name="GGD Amsterdam – Publieke Gezondheid Asielzoekers",
        kind="formeel",
        infrastructure="aankomst",
        sector="zorg",
        description="Publieke gezondheidszorg voor asielzoekers en statushouders.",
        areas=("amsterdam",),
        domain="ggd.example.org",
        roles=(("Verpleegkundige publieke gezondheid", "Spreekuur op de opvanglocaties."),),
        people=(
            PersonSpec(
                "Ingrid Mulder",
                "i.mulder@ggd.example.org",
                ("Verpleegkundige publieke gezondheid",),
            ),
        ),
        tasks=(
            TaskSpec(
                "Gezondheidszorg en psychosociale ondersteuning",
                ("zorg-gezondheid", "psychische-hulp"),
                ("asielzoekers", "statushouders", "oekraiense-ontheemden"),
                ("amsterdam",),
                role="Verpleegkundige publieke gezondheid",
                languages=("nl", "en", "uk"),
            ),
        ),
    ),
    OrganisationSpec(
        slug="woonstichting-gaasperpoort",
        name="Woonstichting Gaasperpoort",
        kind="formeel",
        infrastructure="sociaal",
        sector="wonen",
        description="Woningcorporatie met woningen in Zuidoost en Nieuw-West.",
        areas=("zuidoost", "nieuw-west"),
        domain="gaasperpoort.example.org",
        roles=(("Sociaal beheerder", "Aanspreekpunt voor leefbaarheid in de complexen."),),
        people=(
            PersonSpec("Dennis Kok", "d.kok@gaasperpoort.example.org", ("Sociaal beheerder",)),
        ),
        tasks=(
            TaskSpec(
                "Welkom in de nieuwe woning en leefbaarheid",
                ("huisvesting", "ontmoeting"),
                ("statushouders",),
                ("zuidoost", "nieuw-west"),
                role="Sociaal beheerder",
            ),
            TaskSpec(
                "Geen toewijzing of urgentie van woningen",
                ("huisvesting",),
                ("iedereen",),
                ("zuidoost", "nieuw-west"),
                handles=False,
                reason="Toewijzing van woningen aan statushouders loopt via de gemeente.",
            ),
        ),
    ),
    OrganisationSpec(
        slug="welzijn-zuidoost",
        name="Samen Zuidoost (welzijn en opbouwwerk)",
        kind="formeel",
        infrastructure="sociaal",
        sector="welzijn",
        description="Welzijnsorganisatie met opbouwwerkers en sociaal makelaars in Zuidoost.",
        areas=("zuidoost",),
        domain="samenzuidoost.example.org",
        roles=(
            ("Opbouwwerker", "Ondersteunt bewonersinitiatieven en zelforganisaties."),
            ("Sociaal makelaar", "Verbindt vraag en aanbod in de wijk."),
        ),
        people=(
            PersonSpec(
                "Joyce Pinas",
                "opbouwwerk.zuidoost@example.org",
                ("Opbouwwerker",),
                languages=("nl", "srn", "en"),
            ),
            PersonSpec(
                "Ahmed Bouzid",
                "a.bouzid@samenzuidoost.example.org",
                ("Sociaal makelaar",),
                languages=("nl", "ar"),
            ),
        ),
        tasks=(
            TaskSpec(
                "Ontmoeting en vrijwilligerswerk in de wijk",
                ("ontmoeting", "vrijwilligerswerk"),
                ("iedereen",),
                ("zuidoost",),
                role="Sociaal makelaar",
            ),
            TaskSpec(
                "Geen mandaat voor bewoners van de COA-locatie",
                ("ontmoeting", "vrijwilligerswerk"),
                ("asielzoekers",),
                ("zuidoost",),
                handles=False,
                reason="Welzijnswerk is niet gemandateerd voor bewoners van de opvanglocatie; dat loopt via COA participatie.",
                tips="Neem contact op met COA – participatie voor gezamenlijke activiteiten.",
            ),
        ),
    ),
    OrganisationSpec(
        slug="wijkkracht-nieuw-west",
        name="Wijkkracht Nieuw-West",
        kind="formeel",
        infrastructure="sociaal",
        sector="welzijn",
        description="Welzijn en opbouwwerk in Nieuw-West.",
        areas=("nieuw-west",),
        domain="wijkkracht.example.org",
        roles=(("Opbouwwerker", "Ondersteunt zelforganisaties in Nieuw-West."),),
        people=(
            PersonSpec(
                "Sevda Kaya",
                "s.kaya@wijkkracht.example.org",
                ("Opbouwwerker",),
                languages=("nl", "tr", "ku"),
            ),
        ),
        tasks=(
            TaskSpec(
                "Ondersteuning van zelforganisaties en bewonersinitiatieven",
                ("ontmoeting", "vrijwilligerswerk"),
                ("iedereen",),
                ("nieuw-west",),
                role="Opbouwwerker",
            ),
        ),
    ),
    OrganisationSpec(
        slug="rode-kruis-amsterdam",
        name="Rode Kruis Amsterdam-Amstelland",
        kind="formeel",
        infrastructure="beide",
        sector="noodhulp",
        description="Noodhulp, voedselhulp en basiszorg, ook voor mensen zonder verblijfsvergunning.",
        areas=("amsterdam",),
        domain="rodekruis.example.org",
        roles=(("Coördinator hulpverlening", "Hulppunt en voedselhulp."),),
        people=(
            PersonSpec(
                "Thijs van Dam",
                "t.vandam@rodekruis.example.org",
                ("Coördinator hulpverlening",),
            ),
        ),
        tasks=(
            TaskSpec(
                "Voedselhulp en basiszorg zonder BSN",
                ("voedsel", "zorg-gezondheid", "kleding"),
                ("ongedocumenteerden", "iedereen"),
                ("amsterdam",),
                role="Coördinator hulpverlening",
                hours="wo 10:00–14:00",
                languages=("nl", "en", "fr"),
            ),
        ),
    ),
    OrganisationSpec(
        slug="wereldhuis-spreekuur",
        name="Spreekuur Ongedocumenteerden Amsterdam",
        kind="informeel",
        infrastructure="aankomst",
        sector="juridisch",
        description="Vrijwilligersspreekuur over huisvesting en rechten van mensen zonder papieren.",
        areas=("amsterdam",),
        domain="spreekuur.example.org",
        roles=(("Spreekuurcoördinator", "Plant het spreekuur en de vrijwilligers."),),
        people=(
            PersonSpec(
                "Lucia Moreno",
                "l.moreno@spreekuur.example.org",
                ("Spreekuurcoördinator",),
                kind="vrijwilliger",
                languages=("nl", "es", "en"),
            ),
        ),
        tasks=(
            TaskSpec(
                "Advies over huisvesting en rechten zonder verblijfsvergunning",
                ("huisvesting", "juridisch"),
                ("ongedocumenteerden",),
                ("amsterdam",),
                role="Spreekuurcoördinator",
                hours="do 14:00–17:00",
                languages=("nl", "es", "en", "fr"),
            ),
        ),
    ),
    OrganisationSpec(
        slug="eritrese-gemeenschap-zuidoost",
        name="Eritrese Gemeenschap Zuidoost",
        kind="informeel",
        infrastructure="sociaal",
        sector="zelforganisatie",
        description="Zelforganisatie die nieuwkomers uit Eritrea wegwijs maakt en ontmoeting organiseert.",
        areas=("zuidoost",),
        domain="eritreazo.example.org",
        roles=(("Sleutelfiguur", "Aanspreekpunt binnen de gemeenschap."),),
        people=(
            PersonSpec(
                "Senait Ghebre",
                "s.ghebre@eritreazo.example.org",
                ("Sleutelfiguur",),
                kind="sleutelfiguur",
                languages=("ti", "nl", "en"),
                visibility="organisatie",
            ),
        ),
        tasks=(
            TaskSpec(
                "Wegwijs en ontmoeting in het Tigrinya",
                ("ontmoeting", "digitale-hulp"),
                ("statushouders", "asielzoekers"),
                ("zuidoost",),
                languages=("ti",),
            ),
        ),
    ),
    OrganisationSpec(
        slug="syrisch-huis-nieuw-west",
        name="Syrisch Huis Nieuw-West",
        kind="informeel",
        infrastructure="sociaal",
        sector="zelforganisatie",
        description="Ontmoeting, huiswerkbegeleiding en taalmaatjes voor Arabischsprekende nieuwkomers.",
        areas=("nieuw-west",),
        domain="syrischhuis.example.org",
        roles=(("Coördinator activiteiten", "Plant de activiteiten en vrijwilligers."),),
        people=(
            PersonSpec(
                "Rami Khalil",
                "r.khalil@syrischhuis.example.org",
                ("Coördinator activiteiten",),
                kind="vrijwilliger",
                languages=("ar", "nl", "en"),
            ),
        ),
        tasks=(
            TaskSpec(
                "Huiswerkbegeleiding en taalmaatjes",
                ("taal-inburgering", "kinderen-jongeren", "ontmoeting"),
                ("statushouders", "oudkomers"),
                ("nieuw-west",),
                languages=("ar", "nl"),
            ),
        ),
    ),
    OrganisationSpec(
        slug="oekraiense-vrouwen-amsterdam",
        name="Oekraïense Vrouwen Amsterdam",
        kind="informeel",
        infrastructure="sociaal",
        sector="zelforganisatie",
        description="Zelforganisatie van Oekraïense vrouwen: ontmoeting en wegwijs.",
        areas=("amsterdam",),
        domain="oekraine.example.org",
        visibility="netwerk",
        roles=(("Contactpersoon", "Aanspreekpunt voor partners."),),
        people=(
            PersonSpec(
                "Olena Kovalenko",
                "o.kovalenko@oekraine.example.org",
                ("Contactpersoon",),
                kind="vrijwilliger",
                languages=("uk", "ru", "en"),
                consent=False,
            ),
        ),
        tasks=(
            TaskSpec(
                "Ontmoeting en wegwijs voor Oekraïense ontheemden",
                ("ontmoeting", "kinderen-jongeren"),
                ("oekraiense-ontheemden",),
                ("amsterdam",),
                languages=("uk", "ru"),
            ),
        ),
    ),
    OrganisationSpec(
        slug="kerk-de-ontmoeting",
        name="Kerk De Ontmoeting Bijlmer",
        kind="informeel",
        infrastructure="sociaal",
        sector="religie",
        description="Kerkgemeenschap met een kledingbank en een inloopmaaltijd.",
        areas=("bijlmer-centrum",),
        domain="deontmoeting.example.org",
        roles=(("Diaconaal werker", "Coördineert kledingbank en maaltijd."),),
        people=(
            PersonSpec(
                "Grace Owusu",
                "g.owusu@deontmoeting.example.org",
                ("Diaconaal werker",),
                languages=("nl", "en", "tw"),
            ),
        ),
        tasks=(
            TaskSpec(
                "Kledingbank en inloopmaaltijd",
                ("kleding", "voedsel", "ontmoeting"),
                ("iedereen",),
                ("bijlmer-centrum",),
                hours="za 11:00–14:00",
                languages=("nl", "en"),
            ),
        ),
    ),
    OrganisationSpec(
        slug="moskee-al-noor",
        name="Moskee Al-Noor Nieuw-West",
        kind="informeel",
        infrastructure="sociaal",
        sector="religie",
        description="Moskee met een vrouwengroep en huiswerkklas.",
        areas=("geuzenveld-slotermeer",),
        domain="alnoor.example.org",
        roles=(("Bestuurslid maatschappelijke zaken", "Contact met partners in de wijk."),),
        people=(
            PersonSpec(
                "Youssef Amrani",
                "y.amrani@alnoor.example.org",
                ("Bestuurslid maatschappelijke zaken",),
                kind="vrijwilliger",
                languages=("nl", "ar", "ber"),
            ),
        ),
        tasks=(
            TaskSpec(
                "Vrouwengroep en huiswerkklas",
                ("ontmoeting", "kinderen-jongeren"),
                ("iedereen",),
                ("geuzenveld-slotermeer",),
                languages=("nl", "ar"),
            ),
        ),
    ),
    OrganisationSpec(
        slug="huis-van-aankomst",
        name="Huis van Aankomst Nieuw-West",
        kind="formeel",
        infrastructure="beide",
        sector="welzijn",
        description="Nieuwkomerscentrum met spreekuren, taalcafé en een fietsschool.",
        areas=("nieuw-west",),
        domain="huisvanaankomst.example.org",
        roles=(
            ("Teamleider", "Leidt het centrum en de spreekuren."),
            ("Coördinator fietsschool", "Plant fietslessen met vrijwilligers."),
        ),
        people=(
            PersonSpec(
                "Daan Hoekstra",
                "d.hoekstra@huisvanaankomst.example.org",
                ("Teamleider",),
            ),
            PersonSpec(
                "Amina Said",
                "a.said@huisvanaankomst.example.org",
                ("Coördinator fietsschool",),
                kind="vrijwilliger",
                languages=("nl", "so", "ar"),
            ),
        ),
        funding_ends_in_days=45,
        tasks=(
            TaskSpec(
                "Fietslessen voor vrouwen en mannen",
                ("fietsen-zwemmen",),
                ("statushouders", "asielzoekers", "oekraiense-ontheemden"),
                ("nieuw-west",),
                role="Coördinator fietsschool",
                hours="di en do 10:00–12:00",
                waiting="wachtlijst van 6 weken",
                languages=("nl", "ar", "so"),
            ),
            TaskSpec(
                "Taalcafé en spreekuur digitale post",
                ("taal-inburgering", "digitale-hulp"),
                ("iedereen",),
                ("nieuw-west",),
                role="Teamleider",
            ),
        ),
    ),
    OrganisationSpec(
        slug="isk-de-brug",
        name="ISK De Brug",
        kind="formeel",
        infrastructure="sociaal",
        sector="onderwijs",
        description="Internationale schakelklas voor jongeren van 12 tot 18 jaar.",
        areas=("zuidoost",),
        domain="isk.example.org",
        roles=(("Zorgcoördinator", "Verbindt leerlingen met zorg en buurtteam."),),
        people=(PersonSpec("Karin Visser", "k.visser@isk.example.org", ("Zorgcoördinator",)),),
        tasks=(
            TaskSpec(
                "Onderwijs voor nieuwkomende jongeren",
                ("onderwijs", "kinderen-jongeren", "taal-inburgering"),
                ("statushouders", "asielzoekers", "oekraiense-ontheemden"),
                ("zuidoost",),
                role="Zorgcoördinator",
            ),
        ),
    ),
    OrganisationSpec(
        slug="taalhuis-zuidoost",
        name="Taalhuis Bibliotheek Zuidoost",
        kind="formeel",
        infrastructure="sociaal",
        sector="onderwijs",
        description="Taalhuis in de bibliotheek: taalmaatjes, oefengroepen en digitale hulp.",
        areas=("zuidoost",),
        domain="taalhuis.example.org",
        roles=(("Taalhuiscoördinator", "Koppelt taalvrijwilligers aan deelnemers."),),
        people=(
            PersonSpec(
                "Femke de Groot",
                "f.degroot@taalhuis.example.org",
                ("Taalhuiscoördinator",),
            ),
        ),
        tasks=(
            TaskSpec(
                "Taalmaatjes, oefengroepen en digitale hulp",
                ("taal-inburgering", "digitale-hulp"),
                ("oudkomers", "iedereen"),
                ("zuidoost",),
                role="Taalhuiscoördinator",
                verified_months_ago=9,
            ),
        ),
    ),
    OrganisationSpec(
        slug="geldpunt-zuidoost",
        name="Geldpunt Zuidoost",
        kind="formeel",
        infrastructure="sociaal",
        sector="schuldhulp",
        description="Vrijwillige thuisadministratie en hulp bij schulden.",
        areas=("zuidoost",),
        domain="geldpunt.example.org",
        roles=(("Coördinator thuisadministratie", "Koppelt vrijwilligers aan huishoudens."),),
        people=(
            PersonSpec(
                "Sjoerd Dekker",
                "s.dekker@geldpunt.example.org",
                ("Coördinator thuisadministratie",),
            ),
        ),
        tasks=(
            TaskSpec(
                "Thuisadministratie en eerste hulp bij schulden",
                ("geld-schulden",),
                ("statushouders", "oudkomers", "iedereen"),
                ("zuidoost",),
                role="Coördinator thuisadministratie",
                waiting="4 weken",
            ),
        ),
    ),
    OrganisationSpec(
        slug="voedselbank-zuidoost",
        name="Voedselbank Zuidoost",
        kind="informeel",
        infrastructure="sociaal",
        sector="voedselhulp",
        description="Voedselpakketten na een intake via een verwijzer.",
        areas=("zuidoost",),
        domain="voedselbankzo.example.org",
        roles=(("Intakecoördinator", "Beoordeelt verwijzingen."),),
        people=(
            PersonSpec(
                "Wim Brouwer",
                "w.brouwer@voedselbankzo.example.org",
                ("Intakecoördinator",),
                kind="vrijwilliger",
            ),
        ),
        tasks=(
            TaskSpec(
                "Voedselpakketten na verwijzing",
                ("voedsel",),
                ("statushouders", "oudkomers", "oekraiense-ontheemden"),
                ("zuidoost",),
                role="Intakecoördinator",
                tips="Verwijzing door buurtteam of maatschappelijk begeleider nodig.",
            ),
            TaskSpec(
                "Geen pakketten zonder verwijzing of BSN",
                ("voedsel",),
                ("ongedocumenteerden",),
                ("zuidoost",),
                handles=False,
                reason="Een intake vraagt een verwijzer en een inkomensberekening.",
                tips="Verwijs naar de voedselhulp van het Rode Kruis.",
            ),
        ),
    ),
    OrganisationSpec(
        slug="zwemmen-voor-iedereen",
        name="Stichting Zwemmen voor Iedereen",
        kind="informeel",
        infrastructure="sociaal",
        sector="sport",
        description="Zwemlessen voor volwassen nieuwkomers, gegeven door vrijwilligers.",
        areas=("zuidoost", "nieuw-west"),
        domain="zwemmen.example.org",
        roles=(("Coördinator zwemlessen", "Plant de lessen en vrijwilligers."),),
        people=(
            PersonSpec(
                "Emma Post",
                "e.post@zwemmen.example.org",
                ("Coördinator zwemlessen",),
                kind="vrijwilliger",
            ),
        ),
        tasks=(
            TaskSpec(
                "Zwemles voor volwassenen",
                ("fietsen-zwemmen",),
                ("statushouders", "oudkomers", "oekraiense-ontheemden"),
                ("zuidoost", "nieuw-west"),
                role="Coördinator zwemlessen",
                hours="zo 8:00–9:00",
            ),
        ),
    ),
    OrganisationSpec(
        slug="jongerenwerk-nieuw-west",
        name="Jongerenwerk Nieuw-West",
        kind="formeel",
        infrastructure="sociaal",
        sector="welzijn",
        description="Jongerenwerk in buurthuizen en op straat.",
        areas=("nieuw-west",),
        domain="jongerenwerk.example.org",
        roles=(("Jongerenwerker", "Activiteiten en begeleiding voor jongeren."),),
        people=(
            PersonSpec(
                "Mohamed Aziz",
                "m.aziz@jongerenwerk.example.org",
                ("Jongerenwerker",),
                languages=("nl", "ar"),
            ),
        ),
        tasks=(
            TaskSpec(
                "Activiteiten en begeleiding voor jongeren",
                ("kinderen-jongeren", "ontmoeting", "werk"),
                ("iedereen",),
                ("nieuw-west",),
                role="Jongerenwerker",
            ),
        ),
    ),
    OrganisationSpec(
        slug="sociaal-raadslieden",
        name="Sociaal Raadslieden Amsterdam",
        kind="formeel",
        infrastructure="sociaal",
        sector="juridisch",
        description="Gratis advies over regels, toeslagen en brieven van instanties.",
        areas=("amsterdam",),
        domain="raadslieden.example.org",
        roles=(("Sociaal raadsman/-vrouw", "Spreekuren in de stadsdelen."),),
        people=(
            PersonSpec(
                "Anouk Willems",
                "a.willems@raadslieden.example.org",
                ("Sociaal raadsman/-vrouw",),
            ),
        ),
        tasks=(
            TaskSpec(
                "Advies over toeslagen, regels en brieven",
                ("juridisch", "geld-schulden"),
                ("statushouders", "oudkomers", "arbeidsmigranten"),
                ("amsterdam",),
                role="Sociaal raadsman/-vrouw",
            ),
        ),
    ),
)

ZUIDOOST_AGENDA = (
    "1. Opening en mededelingen\n"
    "2. Nieuwe partners aan tafel\n"
    "3. Openstaande afspraken\n"
    "4. Signalen uit de wijk (geen persoonsgegevens)\n"
    "5. Rondvraag"
)

TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        key="matchtafel-zuidoost",
        name="Matchtafel Zuidoost",
        kind="matchtafel",
        area="zuidoost",
        purpose="Aankomst- en sociale infrastructuur van Zuidoost stemmen af wie wat doet voor nieuwkomers.",
        location="Stadsdeelkantoor Zuidoost, zaal 3",
        dtstart="2026-09-08T10:00",
        duration_minutes=90,
        rrule="FREQ=MONTHLY;BYDAY=2TU",
        agenda_template=ZUIDOOST_AGENDA,
        seats=(
            SeatSpec("stadsdeel-zuidoost", "Coördinator nieuwkomers", coordinator=True),
            SeatSpec("coa-zuidoost", "Participatie", deputy_email="y.tesfay@coa.example.org"),
            SeatSpec("wpi", "Klantmanager statushouders"),
            SeatSpec("buurtteam-zuidoost", "Aandachtsfunctionaris nieuwkomers"),
            SeatSpec("welzijn-zuidoost", "Opbouwwerker"),
            SeatSpec("vluchtelingenwerk-amsterdam", "Maatschappelijk begeleider"),
            SeatSpec("woonstichting-gaasperpoort", "Sociaal beheerder"),
        ),
        history=HistorySpec(
            absent=(6,),
            deputy=(1,),
            excused=(2,),
            minutes=(
                "Mededelingen: de Meedoenbalie van het COA is vanaf januari ook op woensdag "
                "open.\n"
                "Nieuwe partners: het Taalhuis Zuidoost schuift voortaan aan.\n"
                "Signalen: de wachttijd voor een tolk bij het buurtteam is opgelopen tot zes "
                "weken; het buurtteam kan zonder BSN alleen doorverwijzen naar medische zorg.\n"
                "Afgesproken: zie de open afspraken hieronder."
            ),
            actions=(
                ActionSpec(1, "Rooster van de Meedoenbalie voor januari delen met het netwerk", 20),
                ActionSpec(1, "Nagaan welke activiteiten op de locatie wel zijn toegestaan", 34),
                ActionSpec(3, "Wachttijd tolkenafspraken navragen en terugkoppelen", -6),
                ActionSpec(4, "Welkomstpakket aanvullen met het aanbod van het taalcafé", 34),
            ),
        ),
    ),
    TableSpec(
        key="netwerk-nieuw-west",
        name="Netwerkbijeenkomst Nieuw-West",
        kind="netwerkbijeenkomst",
        area="nieuw-west",
        purpose="Formele en informele organisaties in Nieuw-West leren elkaar en elkaars aanbod kennen.",
        location="Huis van Aankomst Nieuw-West",
        dtstart="2026-09-17T14:00",
        duration_minutes=120,
        rrule="FREQ=WEEKLY;INTERVAL=6;BYDAY=TH",
        agenda_template="1. Kennismaking\n2. Aanbod in de schijnwerper\n3. Vragen aan het netwerk",
        seats=(
            SeatSpec("stadsdeel-nieuw-west", "Coördinator nieuwkomers", coordinator=True),
            SeatSpec("buurtteam-nieuw-west", "Aandachtsfunctionaris nieuwkomers"),
            SeatSpec("wijkkracht-nieuw-west", "Opbouwwerker"),
            SeatSpec("syrisch-huis-nieuw-west", "Coördinator activiteiten"),
            SeatSpec("moskee-al-noor", "Bestuurslid maatschappelijke zaken"),
            SeatSpec("huis-van-aankomst", "Teamleider"),
            SeatSpec("jongerenwerk-nieuw-west", "Jongerenwerker"),
        ),
        history=HistorySpec(
            meetings=2,
            excused=(6,),
            minutes=(
                "Aanbod in de schijnwerper: de fietsschool van het Huis van Aankomst.\n"
                "De moskee biedt ruimte voor een taalcafé op zaterdag; het Syrisch Huis "
                "levert vrijwilligers."
            ),
            actions=(
                ActionSpec(4, "Beschikbare zaalruimte op zaterdag doorgeven aan het netwerk", 10),
                ActionSpec(2, "Vrijwilligers voor het taalcafé werven via de eigen achterban", 24),
            ),
        ),
    ),
    TableSpec(
        key="spreekuur-partners-zuidoost",
        name="Partnerspreekuur Bijlmer",
        kind="spreekuur",
        area="zuidoost",
        purpose="Korte lijnen: partners schuiven aan voor afstemming over hun aanbod.",
        location="Kerk De Ontmoeting Bijlmer",
        dtstart="2026-09-02T13:00",
        duration_minutes=60,
        rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
        agenda_template="Vrije inloop voor partners; afspraken worden genoteerd.",
        online_url="https://meet.example.org/partnerspreekuur",
        seats=(
            SeatSpec("welzijn-zuidoost", "Sociaal makelaar", coordinator=True),
            SeatSpec("kerk-de-ontmoeting", "Diaconaal werker"),
            SeatSpec("geldpunt-zuidoost", "Coördinator thuisadministratie"),
            SeatSpec("taalhuis-zuidoost", "Taalhuiscoördinator"),
            SeatSpec("coa-zuidoost", "Woonbegeleiding"),
        ),
        history=HistorySpec(
            actions=(ActionSpec(3, "Overzicht van het taalaanbod in Zuidoost bijwerken", 14),),
        ),
    ),
)

ACCOUNTS: tuple[AccountSpec, ...] = (
    AccountSpec("beheer@example.org", "beheerder", "beheer@example.org"),
    AccountSpec(
        "coordinator.zuidoost@example.org",
        "coordinator",
        "coordinator.zuidoost@example.org",
        areas=("zuidoost",),
    ),
    AccountSpec("redacteur.coa@example.org", "partner-redacteur", "redacteur.coa@example.org"),
    AccountSpec("opbouwwerk.zuidoost@example.org", "partner", "opbouwwerk.zuidoost@example.org"),
    # Nieuw-West, so a question to the network can be asked, answered and kept in the demo.
    AccountSpec(
        "l.amrani@nieuwwest.example.org",
        "coordinator",
        "l.amrani@nieuwwest.example.org",
        areas=("nieuw-west",),
    ),
    AccountSpec("s.kaya@wijkkracht.example.org", "partner", "s.kaya@wijkkracht.example.org"),
    AccountSpec(
        "a.said@huisvanaankomst.example.org",
        "partner-redacteur",
        "a.said@huisvanaankomst.example.org",
    ),
)
