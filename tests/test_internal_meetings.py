"""Internal meetings are not calls: a meeting whose invitees besides the seller are all
colleagues (the seller's own mail domain, or one of `colleague_domains`; a public mail
domain is never one's own) is never a customer's call, even when its title names the
account; `busy` shows it as internal. The rule itself (focusblock/people.py) is the one
every part uses to tell colleagues from customers."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from focusblock.calendar.events import CalendarEvent
from focusblock.people import is_colleague, is_internal, is_public_mail, own_domains
from focusblock.plan.glance import week_busy
from focusblock.store.views import AccountFacts

SELLER = "sam@seller.example"
WEEK = "2026-W49"


def vevent(uid: str, start: str, end: str, summary: str, people: list[str], organizer: str) -> str:
    invited = "".join(f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{address}\r\n" for address in people)
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261120T000000Z\r\nDTSTART:{start}\r\n"
        f"DTEND:{end}\r\nSUMMARY:{summary}\r\nORGANIZER:mailto:{organizer}\r\n{invited}"
        "END:VEVENT\r\n"
    )


def calendar(*events: str) -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
        + "".join(events)
        + ("END:VCALENDAR\r\n")
    )


DEAL_DESK = vevent(
    "deal-desk@seller.example",
    "20261201T150000Z",  # Tuesday 10:00 in New York
    "20261201T153000Z",
    "Deal desk: Harbor pricing exception",
    [SELLER, "finance.lead@seller.example", "vp.sales@seller.example"],
    "finance.lead@seller.example",
)
HARBOR_CALL = vevent(
    "harbor-call@harbor.example",
    "20261203T190000Z",  # Thursday 14:00 in New York
    "20261203T200000Z",
    "Harbor renewal",
    [SELLER, "buyer@harbor.example"],
    "buyer@harbor.example",
)


@pytest.fixture
def harbor(run, monkeypatch):
    monkeypatch.setenv("FOCUSBLOCK_EMAIL", SELLER)
    harbor = ("Harbor Freight Lines", "--alias", "Harbor", "--domain", "harbor.example")
    run("account", "add", *harbor, "--need", "n", "--consequence", "c")
    run("remark", "add", "Harbor", "They want a discount", "--on", "2026-11-20")
    return run


def plan_call(run, busy, tmp_path):
    data = json.loads(
        run("plan", "--busy", str(busy), "--json", "--out", str(tmp_path / "w.ics")).stdout
    )
    (block,) = data["blocks"]
    return block["call"]


def test_an_internal_meeting_naming_the_account_is_not_its_call(harbor, write, tmp_path):
    busy = write("cal.ics", calendar(DEAL_DESK, HARBOR_CALL))
    call = plan_call(harbor, busy, tmp_path)
    assert call["summary"] == "Harbor renewal", "the deal desk is not Harbor's call"
    alone = write("desk.ics", calendar(DEAL_DESK))
    assert plan_call(harbor, alone, tmp_path) is None


def test_an_external_organizer_makes_it_a_meeting_with_the_customer(harbor, write, tmp_path):
    """Only colleagues on the invitation list, but the customer sent it: not internal."""
    theirs = vevent(
        "harbor-desk@harbor.example",
        "20261201T150000Z",
        "20261201T153000Z",
        "Deal desk: Harbor pricing exception",
        [SELLER, "finance.lead@seller.example"],
        "buyer@harbor.example",
    )
    busy = write("cal.ics", calendar(theirs, HARBOR_CALL))
    assert plan_call(harbor, busy, tmp_path)["summary"].startswith("Deal desk")


def test_busy_shows_the_internal_meeting_as_internal(harbor, write):
    busy = write("cal.ics", calendar(DEAL_DESK, HARBOR_CALL))
    data = json.loads(harbor("busy", "--busy", str(busy), "--json").stdout)
    internal = {e["summary"]: e["internal"] for e in data["busy"]}
    assert internal == {"Deal desk: Harbor pricing exception": True, "Harbor renewal": False}
    assert [c["summary"] for c in data["calls"]] == ["Harbor renewal"]
    table = harbor("busy", "--busy", str(busy)).stdout
    desk = next(line for line in table.splitlines() if "Deal desk" in line)
    assert "internal" in desk
    renewal = next(line for line in table.splitlines() if "Harbor renewal" in line)
    assert "internal" not in renewal


def test_colleagues_at_another_domain_of_the_company(harbor, write, tmp_path, monkeypatch):
    desk = vevent(
        "desk-2@seller.example",
        "20261201T150000Z",
        "20261201T153000Z",
        "Deal desk: Harbor pricing exception",
        [SELLER, "controller@seller-group.example"],
        SELLER,
    )
    busy = write("cal.ics", calendar(desk))
    assert plan_call(harbor, busy, tmp_path)["summary"].startswith("Deal desk"), (
        "a domain that is not the seller's is a stranger's: the title makes it a call"
    )
    monkeypatch.setenv("FOCUSBLOCK_COLLEAGUE_DOMAINS", "seller-group.example")
    assert plan_call(harbor, busy, tmp_path) is None


def test_a_public_mail_domain_is_never_ones_own(run, write, tmp_path, monkeypatch):
    monkeypatch.setenv("FOCUSBLOCK_EMAIL", "sam.seller@gmail.com")
    run("account", "add", "Harbor", "--need", "n", "--consequence", "c")
    run("remark", "add", "Harbor", "They want a discount", "--on", "2026-11-20")
    meeting = vevent(
        "harbor-gmail@gmail.com",
        "20261201T150000Z",
        "20261201T153000Z",
        "Harbor pricing",
        ["sam.seller@gmail.com", "harbor.owner@gmail.com"],
        "harbor.owner@gmail.com",
    )
    busy = write("cal.ics", calendar(meeting))
    assert plan_call(run, busy, tmp_path)["summary"] == "Harbor pricing"


def test_colleague_domains_refuses_a_public_mail_domain(run, monkeypatch):
    monkeypatch.setenv("FOCUSBLOCK_COLLEAGUE_DOMAINS", "seller.example gmail.com")
    result = run("config", code=None)
    assert result.exit_code != 0
    assert "gmail.com" in result.stderr and "public" in result.stderr


def test_the_setting_is_in_the_template_and_config(run, monkeypatch):
    monkeypatch.setenv("FOCUSBLOCK_COLLEAGUE_DOMAINS", "Seller-Group.example, @eu.seller.example")
    shown = run("config").stdout
    assert "colleague_domains" in shown and "seller-group.example" in shown


# --- the rule itself ----------------------------------------------------------------------


def test_own_domains_are_the_emails_and_the_settings_never_a_public_one():
    assert own_domains("Sam@Seller.Example", ["seller-group.example"]) == {
        "seller.example",
        "seller-group.example",
    }
    assert own_domains("sam@gmail.com") == frozenset()
    assert own_domains(None, ["gmx.de", "yahoo.co.uk", "web.de"]) == frozenset()
    assert own_domains(None) == frozenset()


@pytest.mark.parametrize(
    "domain",
    [
        "gmail.com",
        "outlook.com",
        "hotmail.com",
        "yahoo.com",
        "icloud.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "proton.me",
        "protonmail.com",
        "yahoo.co.uk",
        "hotmail.fr",
        "outlook.de",
    ],
)
def test_public_mail_domains(domain):
    assert is_public_mail(domain)


def test_a_company_domain_is_not_public_mail():
    assert not is_public_mail("seller.example")
    assert not is_public_mail("live.seller.example")
    assert not is_public_mail("gmxtrade.com")


def test_is_colleague():
    own = own_domains(SELLER)
    assert is_colleague("finance.lead@seller.example", own)
    assert is_colleague("MAILTO:Lead@EU.Seller.Example", own), "a subdomain is the company's"
    assert not is_colleague("buyer@harbor.example", own)
    assert not is_colleague("someone@notseller.example", own)
    assert not is_colleague("not an address", own)


@pytest.mark.parametrize(
    ("invitees", "internal"),
    [
        ([], False),  # nobody invited: as before (a title may make it a call)
        ([SELLER], False),  # the seller alone
        ([SELLER, "lead@seller.example"], True),
        (["lead@seller.example"], True),  # the seller not on the list
        ([SELLER, "lead@seller.example", "buyer@harbor.example"], False),
        (["buyer@harbor.example", SELLER], False),  # an external organizer
        ([SELLER, "lead@seller.example", "c_1888@resource.calendar.google.com"], True),
        ([SELLER, "c_1888@resource.calendar.google.com"], False),  # a room is no one
    ],
)
def test_is_internal(invitees, internal):
    assert is_internal(invitees, own_domains(SELLER), SELLER) is internal


def test_no_own_domain_makes_nothing_internal():
    assert not is_internal(["a@gmail.com", "b@gmail.com"], own_domains("me@gmail.com"), None)


def test_the_week_picture_marks_no_call_for_an_internal_meeting():
    start = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
    end = datetime(2026, 12, 1, 15, 30, tzinfo=UTC)
    desk = CalendarEvent(
        start,
        end,
        False,
        "Deal desk: Harbor pricing exception",
        "desk",
        "cal.ics",
        (SELLER, "lead@seller-group.example"),
    )
    accounts = [AccountFacts(1, "Harbor", "pending", "n", "c", None)]
    week = (datetime(2026, 11, 30, tzinfo=UTC), datetime(2026, 12, 7, tzinfo=UTC))
    assert week_busy([desk], *week, accounts, SELLER).events[0].accounts == ("Harbor",)
    seen = week_busy([desk], *week, accounts, SELLER, ("seller-group.example",))
    assert seen.events[0].accounts == ()


def test_the_sellers_own_address_is_no_customers_attendee():
    """A seller at gmail.com with an account whose people are at gmail.com too: the
    seller's own address on every invitation must not make each meeting that account's."""
    from focusblock.calendar.calls import AccountSignature, next_calls

    start = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
    dentist = CalendarEvent(
        start, start, False, "Dentist", "d", "cal.ics", ("sam@gmail.com", "desk@dentist.example")
    )
    harbor = AccountSignature(1, ("Harbor",), ("gmail.com",))
    assert next_calls([dentist], [harbor], start, "sam@gmail.com").calls == {}
    with_them = replace(dentist, attendee_emails=("sam@gmail.com", "owner@gmail.com"))
    assert set(next_calls([with_them], [harbor], start, "sam@gmail.com").calls) == {1}
