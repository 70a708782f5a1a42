"""The starting catalogue of welfare actors (seed 004) and support measures (seed 000)."""

from terugkeer.toolbox.models import SupportMeasure, WelfareActor

WELFARE_ACTORS = [
    (
        "Adviseurs re-integratie en personeelsmobiliteit",
        "Tweedelijnsondersteuning van terugkeercoaches; nemen complexe trajecten op.",
    ),
    ("Begeleide heroriëntering", "Begeleiding naar een andere functie of loopbaan."),
    ("Dienst Diversiteitsbeleid", "Redelijke aanpassingen en het inclusieprotocol."),
    ("Leiderschapscoaching", "Ondersteuning van leidinggevenden bij het terugkeergesprek."),
    ("Veerkrachtcoaches", "Coaching rond veerkracht en welzijn op het werk."),
    (
        "Arbeidsarts",
        "Externe preventiedienst: informatie, beoordelingen, bezoek voor werkhervatting.",
    ),
    ("Aanspreekpunt integriteit", "Vertrouwelijk aanspreekpunt voor integriteitsvragen."),
    ("Preventieadviseur arbeidsveiligheid", "Veiligheid van de werkplek."),
    ("Preventieadviseur ergonomie", "Aanpassing van werkplek en werkmiddelen."),
    ("Preventieadviseur psychosociale aspecten", "Psychosociale risico's op het werk."),
    ("Sociale dienst", "Sociale en financiële ondersteuning van personeelsleden."),
]

SUPPORT_MEASURES = [
    (
        "vdab",
        "VDAB individueel maatwerk (IMW)",
        "Loonkostenondersteuning bij een arbeidshandicap; verving de VOP op 1 juli 2023.",
        "https://www.vdab.be",
    ),
    (
        "vdab",
        "Gratis job- en taalcoach (VDAB)",
        "Begeleiding op de werkvloer.",
        "https://www.vdab.be",
    ),
    (
        "vdab",
        "Terugbetaling aanpassing van de werkplek",
        "VDAB komt tussen in de kosten van een aangepaste werkplek.",
        "https://www.vdab.be",
    ),
    (
        "vdab",
        "Aangepaste arbeidsgereedschappen of -kledij",
        "Tegemoetkoming in de kosten.",
        "https://www.vdab.be",
    ),
    (
        "vdab",
        "Tolk voor doven en slechthorenden",
        "Gratis tolk voor dove of slechthorende medewerkers.",
        "https://www.vdab.be",
    ),
    ("vdab", "Vervoerskosten", "Tegemoetkoming in de verplaatsingskosten.", "https://www.vdab.be"),
    (
        "extra",
        "Externe preventiedienst",
        "Ondersteuning door de externe dienst voor preventie en bescherming.",
        "",
    ),
    (
        "extra",
        "Terug-naar-werk-coördinator van het ziekenfonds",
        "Begeleiding vanuit het ziekenfonds.",
        "",
    ),
    (
        "extra",
        "Interne terugkeercoach",
        "Coördineert trajecten met specifieke aandachtspunten.",
        "",
    ),
    ("extra", "Jobcoach via GOB", "Jobcoaching door een gespecialiseerde organisatie.", ""),
    ("extra", "Betaalde externe partners", "Externe begeleiding op maat.", ""),
    ("preventive", "Loopbaanbegeleiding", "Preventief: zicht op talenten en mogelijkheden.", ""),
    ("preventive", "Jobcarving / jobcrafting", "Preventief: de functie op maat herschikken.", ""),
    ("preventive", "Innovatieve arbeidsorganisatie", "Preventief: werk anders organiseren.", ""),
]


def catalogue_seed(organisation) -> None:
    WelfareActor.objects.bulk_create(
        WelfareActor(organisation=organisation, name=name, description=description)
        for name, description in WELFARE_ACTORS
    )
    SupportMeasure.objects.bulk_create(
        SupportMeasure(
            organisation=organisation,
            category=category,
            name=name,
            description=description,
            url=url,
        )
        for category, name, description, url in SUPPORT_MEASURES
    )
