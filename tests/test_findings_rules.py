"""General rules for roles, vendors, identifiers, past attempts and refusals (issue 22).

The word lists knew the labelled set's titles and products; these rules read the shape of
the words instead ("Head of X", "X coordinator", a capitalised name after "we're piloting").
Every sentence here is written for this module (none from tests/findings/); each case says
what must be found (a finding of the kind overlapping the phrase, or exactly the phrase) or
what must not be (a false-positive guard: no finding of the kind touches the phrase).
"""

from __future__ import annotations

from datetime import date

import pytest

from focusblock.worksheet.findings import Finding, findings

HEARD = date(2026, 11, 20)


def _of_kind(text: str, kind: str, own: tuple[str, ...] = ()) -> list[Finding]:
    return [f for f in findings(text, HEARD, own) if f.kind == kind]


def _span(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def _touching(found: list[Finding], span: tuple[int, int]) -> list[Finding]:
    return [f for f in found if f.start < span[1] and span[0] < f.end]


def assert_found(text: str, kind: str, phrase: str, exact: bool) -> None:
    found = _of_kind(text, kind)
    hits = _touching(found, _span(text, phrase))
    assert hits, f"no {kind} over {phrase!r} in {text!r}; found {[f.phrase for f in found]}"
    if exact:
        assert [f.phrase for f in hits] == [phrase], f"{kind} phrase in {text!r}"


def assert_not_found(text: str, kind: str, phrase: str, own: tuple[str, ...] = ()) -> None:
    hits = _touching(_of_kind(text, kind, own), _span(text, phrase))
    assert not hits, f"{kind} {[f.phrase for f in hits]} in {text!r}"


# (text, the phrase a finding must overlap, whether the finding must be exactly that phrase)
ROLES = [
    ("Head of Fleet Operations signs anything over the limit.", "Head of Fleet Operations", True),
    ("I'll need to loop in our head of patient safety.", "head of patient safety", True),
    ("Our fleet coordinator keeps the rota.", "fleet coordinator", True),
    ("The shift supervisor decides who gets trained.", "shift supervisor", True),
    ("The network engineer flagged the firewall rules.", "network engineer", True),
    ("Our enterprise architect has to bless the design.", "enterprise architect", True),
    ("Our VP Ops wants hard numbers first.", "VP Ops", True),
    ("Director of Nursing needs to see it before anyone.", "Director of Nursing", True),
    ("The director of estates is new in the job.", "director of estates", True),
    ("Our Chief of Staff asked for a one-pager.", "Chief of Staff", True),
    ("Our Chief Digital Officer owns that budget.", "Chief Digital Officer", True),
    ("The CRO and the CDO both have to sign.", "CRO", True),
    ("The CRO and the CDO both have to sign.", "CDO", True),
    ("IT security will review whatever we pick.", "IT security", True),
    ("The steering committee meets on the first Tuesday.", "steering committee", False),
    ("It has to go past legal first.", "legal", True),
    ("The works council has to agree to any tracking.", "works council", False),
    ("The board approved it in principle.", "board", False),
    ("Procurement will want three quotes.", "Procurement", False),
    ("Die Leiterin Einkauf braucht das Angebot.", "Leiterin Einkauf", True),
    ("Unser Abteilungsleiter entscheidet das.", "Abteilungsleiter", True),
    ("Der Einkaufsleiter will drei Angebote.", "Einkaufsleiter", True),
    ("La directrice des achats veut un devis.", "directrice des achats", True),
    ("Unser IT-Leiter muss das freigeben.", "IT-Leiter", True),
    ("Le DAF signe tout ce qui dépasse 10 000 euros.", "DAF", True),
    ("Notre PDG veut voir les chiffres.", "PDG", True),
    ("Our purchasing manager is on holiday until the 3rd.", "purchasing manager", True),
    ("The maintenance lead decides which line goes first.", "maintenance lead", True),
    ("Our compliance officer has questions about retention.", "compliance officer", True),
    ("The programme director wants it in the next budget.", "programme director", True),
    ("The plant manager has the last word.", "plant manager", True),
    ("Ask the training coordinator, she books the rooms.", "training coordinator", True),
    ("The VP of Customer Success is pushing for it.", "VP of Customer Success", True),
    ("Legal and finance both need to see the contract.", "finance", True),
    ("The audit committee will ask about controls.", "audit committee", False),
    ("Our Operations Director wants numbers first.", "Operations Director", True),
    ("The Fleet Manager signs the orders.", "Fleet Manager", True),
    ("Our Supply Chain Director decides in January.", "Supply Chain Director", True),
    ("Our supply chain director decides in January.", "supply chain director", True),
    ("It goes to the C-suite after that.", "C-suite", True),
    ("The trustees meet in March.", "trustees", True),
    ("The SLT has to see it first.", "SLT", True),
    ("Our infosec team will send a questionnaire.", "infosec team", True),
    ("The sourcing team runs the tender.", "sourcing team", True),
    ("Our CEO and the head of finance meet every Monday.", "head of finance", True),
    ("The head of customer service wants fewer calls.", "head of customer service", True),
]
NOT_ROLES = [
    ("Our drivers hate the app.", "drivers"),
    ("The nurses want fewer clicks.", "nurses"),
    ("The engineers like the new screens.", "engineers"),
    ("Our product manager is excited about it.", "product manager"),
    ("The account manager at our bank called.", "account manager"),
    ("We're at the head of the queue for parts.", "head of the queue"),
    ("That's a lead time of six weeks.", "lead"),
    ("We manage engineers across three sites.", "engineers"),
    ("CO2 reporting is the headache.", "CO2"),
    ("The project lead is just coordinating.", "project lead"),
    ("It beats hiring another coordinator.", "another coordinator"),
    ("I asked plant manager Jo about it.", "asked"),
    ("The planning board in the yard is out of date.", "planning board"),
    ("The PLC controller needs a reset every week.", "PLC controller"),
]


@pytest.mark.parametrize(("text", "phrase", "exact"), ROLES)
def test_a_title_or_group_is_a_role(text, phrase, exact):
    assert_found(text, "role", phrase, exact)


@pytest.mark.parametrize(("text", "phrase"), NOT_ROLES)
def test_people_who_only_use_it_are_no_role(text, phrase):
    assert_not_found(text, "role", phrase)


VENDORS = [
    ("We run everything on Netsol today.", "Netsol"),
    ("We're piloting RouteMax in two depots.", "RouteMax"),
    ("We're trialling Optiroute until March.", "Optiroute"),
    ("Kallisto does that today, badly.", "Kallisto"),
    ("We're comparing you with Stackwell.", "Stackwell"),
    ("We moved off ShiftPlanr last year.", "ShiftPlanr"),
    ("We're using Fleetio at the moment.", "Fleetio"),
    ("The whole team uses Procurify for approvals.", "Procurify"),
    ("We've been on Gatekeeper for six years.", "Gatekeeper"),
    ("We're on Ivanti for tickets.", "Ivanti"),
    ("We got a quote from Brightline last week.", "Brightline"),
    ("We're evaluating Sortly as well.", "Sortly"),
    ("We're looking at Cin7 too.", "Cin7"),
    ("We went with Buildertrend in the end.", "Buildertrend"),
    ("The incumbent is Vantora, contract ends in June.", "Vantora"),
    ("We signed with Kinetiq two years ago.", "Kinetiq"),
    ("Right now we do it all in SmartDraw.", "SmartDraw"),
    ("We switched from Dispatchly to spreadsheets.", "Dispatchly"),
    ("We trialled Fieldwise last spring.", "Fieldwise"),
    ("We'd be moving away from TimeCo.", "TimeCo"),
    ("Their rota runs on Rotamaster.", "Rotamaster"),
    ("We currently use K2 for the forms.", "K2"),
    ("Our team uses Google Sheets and a lot of hope.", "Google Sheets"),
    ("We're on Teams all day.", "Teams"),
    ("We use Word for the contracts.", "Word"),
    ("We run on SAP S/4HANA since the upgrade.", "SAP S/4HANA"),
    ("We use Microsoft Dynamics for the ledgers.", "Microsoft Dynamics"),
    ("We're with Telvora for the lines.", "Telvora"),
    ("Our current provider is Datacross.", "Datacross"),
    ("We buy the labels from Labelnet.", "Labelnet"),
    ("We source the feeds from Marketwire.", "Marketwire"),
    ("Brightpath is our supplier for the scanners.", "Brightpath"),
]
NOT_VENDORS = [
    ("We switched to Monday calls instead.", "Monday"),
    ("We run on March numbers for the forecast.", "March"),
    ("We use Jonas's spreadsheet for that.", "Jonas"),
    ("We switched to English for the manuals.", "English"),
    ("We run Q3 reviews with the board.", "Q3"),
    ("We switched to PDF invoices last year.", "PDF"),
    ("We're looking at Tuesday for the demo.", "Tuesday"),
    ("We're comparing it with December figures.", "December"),
    ("We use Kestrel Freight's own depots.", "Kestrel"),
    ("We are using CSV exports.", "CSV"),
    ("We're on Friday's agenda.", "Friday"),
    ("We use it every day.", "it"),
    ("Our invoices moved to XBRL last spring.", "XBRL"),
    ("Jonas does that today by hand.", "today"),
    ("We get the numbers from Klaus every week.", "Klaus"),
    ("We use St. Mary's lab for the tests.", "St"),
    ("We compared notes with Sarah Klein.", "Sarah"),
    ("We're looking at Germany first.", "Germany"),
    ("We went with Option B for the trial.", "Option"),
    ("We ran out of labels on Christmas Eve.", "Christmas"),
]


@pytest.mark.parametrize(("text", "phrase"), VENDORS)
def test_a_capitalised_name_after_a_verb_of_using_is_a_vendor(text, phrase):
    assert_found(text, "vendor", phrase, exact=True)


@pytest.mark.parametrize(("text", "phrase"), NOT_VENDORS)
def test_a_month_a_person_a_language_or_a_format_is_no_vendor(text, phrase):
    assert_not_found(text, "vendor", phrase, own=("Kestrel Freight", "Kestrel"))


@pytest.mark.parametrize(
    ("text", "relation"),
    [
        ("We're piloting RouteMax in two depots.", "compares"),
        ("We piloted RouteMax in two depots.", "tried"),
        ("We're trialling Optiroute until March.", "compares"),
        ("We're comparing you with Stackwell.", "compares"),
        ("We'd be moving away from TimeCo.", "left"),
        ("The incumbent is Vantora, contract ends in June.", "uses"),
        ("We're evaluating Sortly as well.", "compares"),
    ],
)
def test_a_vendor_found_by_its_cue_says_how_they_stand_to_it(text, relation):
    (vendor,) = _of_kind(text, "vendor")
    assert vendor.details["relation"] == relation


def test_the_customers_own_name_is_no_vendor():
    assert_not_found("We use Kestrel for everything.", "vendor", "Kestrel", own=("Kestrel",))


@pytest.mark.parametrize(
    "text",
    ["We moved to Nordwind last year.", "We run it all on Nordwind Logistik."],
)
def test_the_first_words_of_the_customers_account_name_are_no_vendor(text):
    assert_not_found(text, "vendor", "Nordwind", own=("Nordwind Logistik GmbH",))


def test_a_vendor_sharing_no_leading_word_with_the_account_is_still_found():
    text = "We moved to Logistra last year."
    found = _of_kind(text, "vendor", own=("Nordwind Logistik GmbH",))
    assert [f.phrase for f in found] == ["Logistra"]


IDENTIFIERS = [
    ("The outage was at site 12 again.", "site 12"),
    ("Line B3 stops every night.", "Line B3"),
    ("They are still on v2.4 of the app.", "v2.4"),
    ("See ticket 4471 for the details.", "ticket 4471"),
    ("The meeting is in room 2C.", "room 2C"),
    ("Release 3 broke the exports.", "Release 3"),
    ("PO 88123 is still unpaid.", "PO 88123"),
    ("SKU 55-201 keeps going out of stock.", "SKU 55-201"),
    ("Build 5.1 fixed it for a week.", "Build 5.1"),
    ("Job 7781 was invoiced twice.", "Job 7781"),
    ("Asset 3341 has no service history.", "Asset 3341"),
    ("Station 4 is where the scanners fail.", "Station 4"),
    ("Machine 7 has been down since the weekend.", "Machine 7"),
    ("The contract number is AB-20931.", "AB-20931"),
    ("Case #4471 is still open.", "Case #4471"),
    ("Sprint 14 is when we'd plug it in.", "Sprint 14"),
    ("Cell 3 runs the small batches.", "Cell 3"),
    ("Firmware 3.2.1 fixed the scanners.", "Firmware 3.2.1"),
    ("Trailer 12 has the broken tail-lift.", "Trailer 12"),
    ("Parts are booked against #88-410 in the old system.", "#88-410"),
    ("The old scanners run firmware v3 still.", "firmware v3"),
    ("Store no. 41 is the pilot store.", "Store no. 41"),
]
NOT_IDENTIFIERS = [
    ("We have 12 sites across the north.", "12 sites"),
    ("It went live in 2024.", "2024"),
    ("Revenue dips in Q3 every year.", "Q3"),
    ("About 50 trucks go out every morning.", "50 trucks"),
    ("The build took 5 weeks.", "5 weeks"),
    ("We order 500 units a week.", "500 units"),
    ("There's room for 3 more people.", "3 more"),
    ("The job takes 40 minutes.", "40 minutes"),
    ("Each machine does 300 parts a shift.", "300 parts"),
    ("We signed on 12.03.2025.", "12.03.2025"),
    ("We store 200 pallets on site.", "200 pallets"),
    ("COVID-19 changed the whole rota.", "COVID-19"),
    ("We release 3 builds a year.", "3 builds"),
    ("This would make my job a lot easier.", "job a"),
]


@pytest.mark.parametrize(("text", "phrase"), IDENTIFIERS)
def test_a_number_or_code_that_names_a_thing_is_an_identifier(text, phrase):
    assert_found(text, "identifier", phrase, exact=True)


@pytest.mark.parametrize(("text", "phrase"), NOT_IDENTIFIERS)
def test_a_quantity_a_year_or_a_date_is_no_identifier(text, phrase):
    assert_not_found(text, "identifier", phrase)


PAST_ATTEMPTS = [
    ("We tried something like this last year.", "We tried"),
    ("Tried that in 2023, it didn't stick.", "Tried that"),
    ("Tried that in 2023, it didn't stick.", "it didn't stick"),
    ("We had a go at it with interns.", "We had a go at"),
    ("We went down that road before and regretted it.", "We went down that road"),
    ("We attempted a rollout in 2021.", "We attempted"),
    ("We've been down this path already.", "We've been down this path"),
    ("We gave it a shot two years ago.", "We gave it a shot"),
    ("We experimented with a chatbot for returns.", "We experimented with"),
    ("Our last attempt fell apart in testing.", "last attempt"),
    ("We ran a trial with another supplier.", "We ran a trial"),
    ("It never got off the ground.", "never got off the ground"),
    ("Wir haben das schon mal probiert.", "schon mal probiert"),
    ("The previous team tried a barcode scheme.", "team tried"),
    ("Had a go at it in 2022, never again.", "Had a go at it"),
    ("Piloted it in one depot, it flopped.", "Piloted it"),
]
NOT_PAST_ATTEMPTS = [
    ("I tried to call you yesterday.", "tried"),
    ("We tried to reach Jonas twice.", "tried"),
    ("We will try a pilot in spring.", "try"),
    ("We'd like to trial it next month.", "trial"),
    ("We're trying to get budget for it.", "trying"),
    ("The labels stuck to the crates.", "stuck"),
    ("Let's give it a shot next quarter.", "give it a shot"),
]


@pytest.mark.parametrize(("text", "phrase"), PAST_ATTEMPTS)
def test_an_earlier_try_is_a_past_attempt(text, phrase):
    assert_found(text, "past_attempt", phrase, exact=True)


@pytest.mark.parametrize(("text", "phrase"), NOT_PAST_ATTEMPTS)
def test_a_try_to_call_or_a_plan_to_try_is_no_past_attempt(text, phrase):
    assert_not_found(text, "past_attempt", phrase)


REFUSALS = [
    ("We won't sign anything this year.", "We won't"),
    ("Finance is not going to approve that.", "not going to"),
    ("No way we pay that much.", "No way"),
    ("That's out of the question.", "out of the question"),
    ("A price increase is off the table.", "off the table"),
    ("We can't sign before the audit.", "We can't sign"),
    ("We cannot commit to three years.", "We cannot commit"),
    ("Not interested, thanks.", "Not interested"),
    ("That's a non-starter for us.", "non-starter"),
    ("Honestly, it's a hard no.", "hard no"),
    ("We've decided against it.", "decided against"),
    ("We'll pass on this one.", "We'll pass"),
    ("We're not in the market for that.", "not in the market"),
    ("Count us out for this round.", "Count us out"),
    ("We don't want to switch again.", "We don't want to switch"),
    ("Das kommt nicht in Frage.", "kommt nicht in Frage"),
    ("Auf keinen Fall vor dem Sommer.", "Auf keinen Fall"),
    ("C'est hors de question cette année.", "hors de question"),
    ("Absolutely not, we just renewed.", "Absolutely not"),
    ("We're not prepared to pay for training.", "We're not prepared to"),
    ("We are unwilling to move the data.", "We are unwilling to"),
    ("We decline, thanks.", "We decline"),
    ("We've ruled out the cloud option.", "We've ruled out"),
]
NOT_REFUSALS = [
    ("We won't need more than ten seats.", "won't"),
    ("It won't scale past two depots.", "won't"),
    ("It's not going to be ready by March.", "not going to"),
    ("There's no way to export the data.", "no way"),
    ("We can't sign in to the portal on Mondays.", "can't sign"),
    ("I don't want to lose the history.", "don't want to"),
    ("The crane is off the truck now.", "off the truck"),
    ("The question is what it costs.", "question"),
    ("The fire was ruled out as a cause.", "ruled out"),
    ("Not going to lie, it's been a rough quarter.", "Not going to"),
]


@pytest.mark.parametrize(("text", "phrase"), REFUSALS)
def test_declining_is_a_refusal(text, phrase):
    assert_found(text, "refusal", phrase, exact=True)


@pytest.mark.parametrize(("text", "phrase"), NOT_REFUSALS)
def test_a_negative_fact_is_no_refusal(text, phrase):
    assert_not_found(text, "refusal", phrase)


def test_a_count_after_a_naming_word_used_as_a_verb_is_still_read():
    (rate,) = [f for f in findings("We order 500 units a week.", HEARD) if f.kind == "rate"]
    assert (rate.phrase, rate.details["amount"]) == ("500 units a week", 500.0)
    (count,) = _of_kind("They store 200 pallets at the depot.", "count")
    assert count.phrase == "200 pallets"


def test_the_module_holds_over_a_hundred_sentences():
    cases = [
        ROLES,
        NOT_ROLES,
        VENDORS,
        NOT_VENDORS,
        IDENTIFIERS,
        NOT_IDENTIFIERS,
        PAST_ATTEMPTS,
        NOT_PAST_ATTEMPTS,
        REFUSALS,
        NOT_REFUSALS,
    ]
    assert len({case[0] for group in cases for case in group}) >= 100


def _questions_for(text: str) -> str:
    from focusblock.model import Remark
    from focusblock.worksheet.content import build_worksheet
    from focusblock.worksheet.question_bank import packaged_bank

    said = Remark(1, "Acme", text, "Jonas", HEARD, "call", None, None, 0, None)
    page = build_worksheet(
        account="Acme",
        stage="pending",
        need=None,
        consequence=None,
        decision_date=None,
        next_call=None,
        remarks=[said],
        reflections=[],
        bank=packaged_bank(),
        today=date(2026, 11, 25),
    )
    return " | ".join(q.text for q in page.remarks[0].questions)


@pytest.mark.parametrize(
    ("text", "asked", "not_asked"),
    [
        ("Job 7781 was invoiced twice.", None, "7781"),
        ("SKU 55-201 keeps going out of stock.", None, "55-201"),
        ("Build 5.1 fixed it for a while.", None, "5.1"),
        ("We're piloting RouteMax in two depots.", "looking at “RouteMax”", "not stay"),
        ("Head of Fleet Operations signs off.", "“Head of Fleet Operations”: who", "named"),
        ("Our fleet coordinator keeps the rota.", "“fleet coordinator”", None),
        ("That's out of the question.", "“out of the question”", None),
    ],
)
def test_the_new_findings_ask_by_their_kind_and_a_name_asks_no_figure(text, asked, not_asked):
    texts = _questions_for(text)
    if asked:
        assert asked in texts, texts
    if not_asked:
        assert not_asked not in texts, texts


def test_a_capitalised_field_of_a_title_is_no_persons_name():
    text = "Head of Fleet Operations signs anything over the limit."
    assert _of_kind(text, "person") == []
    assert [f.phrase for f in _of_kind(text, "role")] == ["Head of Fleet Operations"]


@pytest.mark.parametrize(
    "said",
    ["We are not happy with Salesforce, it is slow.", "We could not live without SAP today."],
)
def test_a_vendor_with_a_not_about_something_else_is_still_used(said):
    """Review of the 'not' reading: only a 'not' before a verb of using or weighing says
    they do not use the vendor; unhappy users are the vendor question most worth asking."""
    from focusblock.worksheet.findings import _relation

    name = "Salesforce" if "Salesforce" in said else "SAP"
    assert _relation(said, said.index(name)) == "uses"
