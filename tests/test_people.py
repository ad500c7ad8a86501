"""The people on an account's side: typed with `account person`, found by an email import
(with the role their signature gives), listed by `account show`, merged, exported. The
signatures and messages here were written for these tests."""

from __future__ import annotations

import json
from datetime import UTC, date
from pathlib import Path

import pytest

from focusblock.capture import remarks_from_emails
from focusblock.emails import read_emails
from focusblock.model import NewRemark, Person, Via
from focusblock.said import role_in_signature
from focusblock.store.account_people import people_of, set_person
from focusblock.store.importing import import_remarks
from focusblock.store.opening import make_engine, upgrade
from focusblock.store.store import Store
from tests.helpers import add_old_acme

SAMPLES = Path(__file__).parent / "emails"
NORDWIND = "Nordwind Logistik"
JONAS = {
    "name": "Jonas Meyer",
    "email": "jonas.meyer@nordwind-logistik.de",
    "role": "Head of Logistics",
}
ANNA = {
    "name": "Anna Schulz",
    "email": "anna.schulz@nordwind-logistik.de",
    "role": "Leiterin Einkauf",
}


def shown(run, account=NORDWIND):
    return json.loads(run("account", "show", account, "--json").stdout)["people"]


# --- roles from signatures -------------------------------------------------------------


@pytest.mark.parametrize(
    ("signature", "name", "role"),
    [
        (
            "Best regards,\nJonas Meyer\nHead of Logistics | Nordwind Logistik GmbH\n"
            "Tel. +49 40 1234 5678\nwww.nordwind-logistik.de",
            "Meyer, Jonas",
            "Head of Logistics",
        ),
        ("Priya Raman, CFO\nKestrel Robotics Inc.", "Priya Raman", "CFO"),
        (
            "Priya Raman | Director of Operations, Kestrel Robotics Inc. | +1 415 555 0100",
            "Priya Raman",
            "Director of Operations",
        ),
        (
            "Tom Becker\nVice President, Supply Chain\nHarbor Freight Partners",
            "Tom Becker",
            "Vice President, Supply Chain",
        ),
        (
            "Mit freundlichen Grüßen\nAnna Schulz\nLeiterin Einkauf\nNordwind Logistik GmbH\n"
            "Hafenstraße 12, 20457 Hamburg",
            "Anna Schulz",
            "Leiterin Einkauf",
        ),
        (
            "Viele Grüße\nSabine Brandt\nEinkaufsleiterin\nBrandt & Söhne KG",
            "Sabine Brandt",
            "Einkaufsleiterin",
        ),
        (
            "Dr. Klaus Werner\nGeschäftsführer\nWerner Maschinenbau GmbH\nT +49 711 555 010",
            "Klaus Werner",
            "Geschäftsführer",
        ),
        # no role: a name, a company, an address, a disclaimer, a phone
        (
            "Jonas Meyer\nNordwind Logistik GmbH\nHafenstraße 12, 20457 Hamburg\n"
            "This e-mail is confidential and intended for the addressee only.",
            "Jonas Meyer",
            None,
        ),
        ("Best,\nPriya\nSent from my iPhone", "Priya Raman", None),
        ("Tom Becker\nHead Office: 1 Harbor Way, Oakland", "Tom Becker", None),
        ("Cheers\nSam Ortiz\nLead Generation Partners LLC\n+1 555 0100", "Sam Ortiz", None),
        (
            "Jonas Meyer\nDiese E-Mail enthält vertrauliche Informationen und ist nur für den "
            "Empfänger bestimmt. Der Geschäftsführer haftet nicht.",
            "Jonas Meyer",
            None,
        ),
        ("", "Jonas Meyer", None),
        (
            "Jonas Meyer \u2013 Head of Logistics\nNordwind Logistik GmbH",
            "Jonas Meyer",
            "Head of Logistics",
        ),
        # an address is not the name line: the line under it is no title of theirs
        ("jonas.meyer@acme.example\nProcurement Team Lead", "Jonas Meyer", None),
    ],
)
def test_a_role_is_read_from_a_signature_only_where_it_reads_as_a_title(signature, name, role):
    assert role_in_signature(signature, name) == role


# --- account person and account show ---------------------------------------------------


@pytest.mark.both_stores("names and addresses compared without case; a unique key per name")
def test_account_person_adds_updates_clears_and_show_lists_them(run):
    run("account", "add", NORDWIND, "--domain", "nordwind-logistik.de")

    added = run(
        "account",
        "person",
        NORDWIND,
        "Meyer, Jonas",
        "--role",
        "Head of Logistics",
        "--email",
        "Jonas.Meyer@Nordwind-Logistik.de",
        "--json",
    )
    assert json.loads(added.stdout) == {"account": NORDWIND, **JONAS, "removed": False}
    run("account", "person", NORDWIND, "anna schulz")
    run("account", "person", NORDWIND, "Anna Schulz", "--role", "Leiterin Einkauf")

    assert shown(run) == [
        {"name": "Anna Schulz", "email": None, "role": "Leiterin Einkauf"},
        JONAS,
    ]
    text = run("account", "show", NORDWIND).stdout
    assert "People: Anna Schulz (Leiterin Einkauf)\n" in text
    assert "        Jonas Meyer (Head of Logistics, jonas.meyer@nordwind-logistik.de)\n" in text

    run("account", "person", NORDWIND, "JONAS MEYER", "--role", "")
    assert shown(run)[1] == {**JONAS, "name": "JONAS MEYER", "role": None}


@pytest.mark.both_stores("the address is compared lower-cased on both")
def test_a_bad_address_or_one_taken_is_a_one_line_error_and_changes_nothing(run):
    run("account", "add", NORDWIND)
    run("account", "person", NORDWIND, "Jonas Meyer", "--email", "jonas.meyer@nordwind-logistik.de")

    bad = run("account", "person", NORDWIND, "Anna Schulz", "--email", "anna@", code=4)
    taken = run(
        "account",
        "person",
        NORDWIND,
        "Anna Schulz",
        "--email",
        "JONAS.MEYER@nordwind-logistik.de",
        code=4,
    )
    unknown = run("account", "person", "Nowhere GmbH", "Anna Schulz", code=3)

    assert bad.stderr.startswith("Error: --email: 'anna@' is not a mail address")
    assert "is already Jonas Meyer's address at Nordwind Logistik" in taken.stderr
    assert "no account named 'Nowhere GmbH'" in unknown.stderr
    assert [p["name"] for p in shown(run)] == ["Jonas Meyer"]


def test_account_person_help_explains_each_option(run):
    text = run("account", "person", "--help").stdout
    assert "ACCOUNT NAME" in text and "--role TEXT" in text and "--email ADDRESS" in text
    assert "clears it" in text and "never overwrites" in text


# --- found by an email import ----------------------------------------------------------


def test_an_email_import_adds_the_senders_with_their_roles_once(run, monkeypatch):
    monkeypatch.setenv("FOCUSBLOCK_EMAIL", "alex.morgan@example.com")
    run("account", "add", NORDWIND, "--domain", "nordwind-logistik.de")
    mbox = str(SAMPLES / "signed-thread.mbox")

    first = run("remark", "import", mbox)

    assert "New people: Jonas Meyer (Nordwind Logistik), Anna Schulz (Nordwind Logistik)\n" in (
        first.stdout
    )
    assert shown(run) == [ANNA, JONAS]  # the seller's own message and a nameless sender: none
    again = json.loads(run("remark", "import", mbox, "--json").stdout)
    assert again["people_added"] == [] and again["added"] == []
    assert shown(run) == [ANNA, JONAS]


def test_a_dry_run_lists_the_people_and_stores_none(run, monkeypatch):
    monkeypatch.setenv("FOCUSBLOCK_EMAIL", "alex.morgan@example.com")
    run("account", "add", NORDWIND, "--domain", "nordwind-logistik.de")
    mbox = str(SAMPLES / "signed-thread.mbox")

    dry = json.loads(run("remark", "import", mbox, "--dry-run", "--json").stdout)

    assert dry["people_added"] == [{"account": NORDWIND, **JONAS}, {"account": NORDWIND, **ANNA}]
    assert "Would add new people: Jonas Meyer" in run("remark", "import", mbox, "--dry-run").stdout
    assert shown(run) == []


def test_an_import_fills_blanks_but_never_overwrites_what_the_seller_typed(run, monkeypatch):
    monkeypatch.setenv("FOCUSBLOCK_EMAIL", "alex.morgan@example.com")
    run("account", "add", NORDWIND, "--domain", "nordwind-logistik.de")
    run("account", "person", NORDWIND, "Jonas Meyer", "--role", "VP Operations")
    run("account", "person", NORDWIND, "A. Schulz", "--email", "ANNA.SCHULZ@nordwind-logistik.de")
    run("account", "person", NORDWIND, "A. Schulz", "--role", "")  # cleared: stays so

    result = json.loads(
        run("remark", "import", str(SAMPLES / "signed-thread.mbox"), "--json").stdout
    )

    assert result["people_added"] == []  # known by name, and by address
    assert shown(run) == [
        {"name": "A. Schulz", "email": ANNA["email"], "role": None},
        {**JONAS, "role": "VP Operations"},
    ]


@pytest.mark.both_stores("the people an import finds are written in its own transaction")
def test_import_remarks_records_people_of_an_account_it_creates_and_rolls_back_with_it(
    store_target,
):
    store = Store.open(store_target, owner="me")
    row = NewRemark(
        "Kestrel Robotics",
        "We need it by March.",
        "Priya Raman",
        date(2026, 12, 1),
        Via.EMAIL,
        None,
    )
    people = [
        Person("Kestrel Robotics", "Raman, Priya", "Priya@Kestrel.example", None),
        Person("Kestrel Robotics", "priya raman", None, "CFO"),
        Person("Kestrel Robotics", "P. Raman", "priya@kestrel.example", "Chief Financial Officer"),
    ]
    try:
        dry = import_remarks(store, [row], dry_run=True, people=people)
        assert dry.people_added == [
            Person("Kestrel Robotics", "Priya Raman", "priya@kestrel.example", None)
        ]
        assert people_of(store) == []

        done = import_remarks(store, [row], dry_run=False, people=people)

        assert done.accounts_created == ["Kestrel Robotics"] and len(done.people_added) == 1
        assert people_of(store) == [
            Person("Kestrel Robotics", "Priya Raman", "priya@kestrel.example", "CFO")
        ]
        set_person(store, "Kestrel Robotics", "Priya Raman", role="")
        import_remarks(store, [row], dry_run=False, people=people)
        assert people_of(store, "kestrel robotics")[0].role is None
    finally:
        store.close()


# --- merge, delete, export -------------------------------------------------------------


@pytest.mark.both_stores("people move between accounts under a unique key per account")
def test_a_merge_moves_the_people_and_one_person_on_both_becomes_one(run):
    run("account", "add", NORDWIND)
    run("account", "add", "Nordwind")
    run("account", "person", NORDWIND, "Jonas Meyer", "--role", "Head of Logistics")
    run("account", "person", "Nordwind", "Meyer, Jonas", "--email", JONAS["email"])
    run("account", "person", "Nordwind", "Anna Schulz", "--role", "Einkauf")
    run(
        "account",
        "person",
        "Nordwind",
        "J. Meyer",
        "--email",
        "jm@nordwind-logistik.de",
        "--role",
        "Logistics Manager",
    )

    merged = json.loads(run("account", "merge", "Nordwind", NORDWIND, "--json").stdout)

    assert shown(run) == [
        {"name": "Anna Schulz", "email": None, "role": "Einkauf"},
        {"name": "J. Meyer", "email": "jm@nordwind-logistik.de", "role": "Logistics Manager"},
        JONAS,
    ]
    assert merged["kept_facts"] == []
    run("account", "add", "Nordwind Hamburg")
    run("account", "person", "Nordwind Hamburg", "Jonas Meyer", "--role", "Logistics Lead")
    again = json.loads(run("account", "merge", "Nordwind Hamburg", NORDWIND, "--json").stdout)
    assert again["kept_facts"] == [{"fact": "person_role", "value": "Jonas Meyer: Logistics Lead"}]
    assert shown(run)[2] == JONAS  # the kept account's own role stays; the other is kept beside


def test_delete_and_restore_keep_the_people(run):
    run("account", "add", NORDWIND)
    run("account", "person", NORDWIND, "Jonas Meyer", "--role", "Head of Logistics")
    run("account", "delete", NORDWIND)
    run("account", "restore", NORDWIND)
    assert shown(run) == [{"name": "Jonas Meyer", "email": None, "role": "Head of Logistics"}]


@pytest.mark.both_stores("rows inserted with their ids; the sequence of the new table")
def test_export_and_import_all_carry_the_people(run, run_on, tmp_path):
    first = run_on(tmp_path / "first" / "focusblock.db")
    first("account", "add", NORDWIND)
    first(
        "account",
        "person",
        NORDWIND,
        "Jonas Meyer",
        "--role",
        "Head of Logistics",
        "--email",
        JONAS["email"],
    )
    backup = tmp_path / "backup.json"
    first("export", "--out", str(backup))
    document = json.loads(backup.read_text(encoding="utf-8"))
    assert [p["name"] for p in document["people"]] == ["Jonas Meyer"]

    run("import-all", str(backup))

    assert json.loads(run("export").stdout)["people"] == document["people"]
    assert shown(run) == [JONAS]
    run("account", "person", NORDWIND, "Anna Schulz")  # the new table's ids go on
    assert len(shown(run)) == 2


def test_an_export_from_before_people_still_imports(run, run_on, tmp_path):
    run("account", "add", NORDWIND)
    document = json.loads(run("export").stdout)
    del document["people"]
    older = tmp_path / "older.json"
    older.write_text(json.dumps(document), encoding="utf-8")

    other = run_on(tmp_path / "restored" / "focusblock.db")
    other("import-all", str(older))

    assert shown(other) == []
    other("account", "person", NORDWIND, "Jonas Meyer")
    assert [p["name"] for p in shown(other)] == ["Jonas Meyer"]


@pytest.mark.sqlite_only
def test_upgrading_a_0014_store_keeps_its_accounts_and_gives_them_people(run, db_path, monkeypatch):
    monkeypatch.setenv("FOCUSBLOCK_EMAIL", "me")  # the owner of the account written below
    db_path.parent.mkdir(parents=True)
    engine = make_engine(f"sqlite:///{db_path}")
    upgrade(engine, "0014")
    with engine.begin() as conn:
        add_old_acme(conn)
    engine.dispose()

    run("account", "person", "Acme", "Jonas Meyer", "--role", "Buyer")

    assert shown(run, "Acme") == [{"name": "Jonas Meyer", "email": None, "role": "Buyer"}]


def test_a_sender_whose_name_is_an_address_is_no_person():
    data = (
        b'From: "jonas.meyer@nordwind-logistik.de" <jonas.meyer@nordwind-logistik.de>\n'
        b"To: alex.morgan@example.com\nSubject: x\nDate: Tue, 01 Dec 2026 09:41:00 +0100\n\n"
        b"Three quotes first, then we talk.\n"
    )
    mails = read_emails("named-by-address.eml", data)

    captured = remarks_from_emails(
        mails, {"nordwind-logistik.de": NORDWIND}, {"example.com"}, "alex.morgan@example.com", UTC
    )

    assert len(captured.rows) == 1 and captured.people == []


@pytest.mark.both_stores("PostgreSQL text holds no NUL; lengths only it enforces")
def test_what_an_import_cannot_store_of_a_person_is_left_out_not_a_failed_import(store_target):
    store = Store.open(store_target, owner="me")
    row = NewRemark("Acme", "Budget is tight.", None, date(2026, 12, 1), Via.EMAIL, None)
    hostile = [
        Person("Acme", "Jonas Meyer", "jonas\x00@acme.example", "Head\x00 of Logistics"),
        Person("Acme", "Anna " + "x" * 300, "a" * 330 + "@acme.example", "Buyer " * 50),
        Person("Acme", "Nul\x00Name", None, None),
    ]
    try:
        report = import_remarks(store, [row], dry_run=False, people=hostile)
        assert report.added == 1
        stored = people_of(store, "Acme")
        assert [(p.email, p.role) for p in stored] == [(None, None), (None, None)]
        assert stored[0].name == "Anna " + "x" * 195 and stored[1].name == "Jonas Meyer"
    finally:
        store.close()


def test_a_person_added_by_mistake_can_be_taken_off_and_their_remarks_stay(run):
    run("account", "add", "Kestrel Robotics")
    run("account", "person", "Kestrel Robotics", "Alex Morgan")  # the seller, by mistake
    run("remark", "add", "Kestrel Robotics", "Parts are late.", "--who", "Alex Morgan")

    gone = json.loads(
        run("account", "person", "Kestrel Robotics", "alex morgan", "--remove", "--json").stdout
    )

    assert gone["removed"] is True and gone["name"] == "Alex Morgan"
    shown = json.loads(run("account", "show", "Kestrel Robotics", "--json").stdout)
    assert shown["people"] == []
    assert len(json.loads(run("remark", "list", "--json").stdout)) == 1
    missing = run("account", "person", "Kestrel Robotics", "Alex Morgan", "--remove", code=4)
    assert "has no person called Alex Morgan" in missing.stderr
    both = run("account", "person", "Kestrel Robotics", "X", "--remove", "--role", "CFO", code=2)
    assert "--remove" in both.stderr
