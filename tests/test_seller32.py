"""A seller's week, tried by a careful and a careless seller (seller32's hunt).

Each test is what a seller would expect and what main does not do yet (each was seen
failing on main when written); the docstring says what the seller expects.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import Run

SELLER = "sam@myco.example"


def an_email(message_id: str, body: str, date: str = "Thu, 03 Dec 2026 11:15:00 +0100") -> str:
    """A plain-text message from Jonas Meyer of Kestrel Robotics to the seller."""
    return (
        "From: Jonas Meyer <jonas.meyer@kestrel-robotics.com>\n"
        f"To: Sam Seller <{SELLER}>\n"
        "Subject: Re: Offer\n"
        f"Date: {date}\n"
        f"Message-ID: <{message_id}@kestrel-robotics.com>\n"
        "Content-Type: text/plain; charset=utf-8\n\n" + body
    )


@pytest.fixture
def kestrel(run: Run, monkeypatch: pytest.MonkeyPatch) -> Run:
    """A store with Kestrel Robotics (domain kestrel-robotics.com); the seller is sam@ and
    today is after the mails' dates."""
    monkeypatch.setenv("FOCUSBLOCK_EMAIL", SELLER)
    monkeypatch.setenv("FOCUSBLOCK_NOW", "2026-12-04T09:00:00-05:00")
    run("account", "add", "Kestrel Robotics", "--domain", "kestrel-robotics.com")
    return run


def texts(run: Run) -> list[str]:
    return [r["text"] for r in json.loads(run("remark", "list", "--json").stdout)]


# --- emails: the customer's words are never taken for a greeting or a quote ----------------


def test_a_one_line_email_that_opens_with_hi_keeps_the_customers_words(kestrel, write):
    """A customer who writes "Hi Sam, the budget of 50k is approved and we sign Friday."
    has said the most important thing of the deal in the greeting's line. A seller expects
    it stored; main drops the whole line as a greeting ("no words of their own") and the
    customer's commitment is lost. Severity: data lost (the customer's words are not kept)."""
    mail = write(
        "approved.eml",
        an_email("ok1", "Hi Sam, the budget of 50k is approved and we sign Friday.\n\nJonas\n"),
    )

    result = kestrel("remark", "import", str(mail))

    assert "no words of their own" not in result.stdout
    assert texts(kestrel) == ["the budget of 50k is approved and we sign Friday."] or texts(
        kestrel
    ) == ["Hi Sam, the budget of 50k is approved and we sign Friday."]


def test_answers_written_inline_between_the_sellers_quoted_questions_are_kept(kestrel, write):
    """Many customers answer "inline": they leave the seller's questions quoted with `>`
    and write each answer under its question. The quoted lines are the seller's own words
    and must be left out, but the answers between them are the customer's. A seller expects
    both answers stored; main cuts the message at "On ... wrote:" and stores nothing
    ("no words of their own"). Severity: data lost (the customer's answers are not kept)."""
    mail = write(
        "inline.eml",
        an_email(
            "inl1",
            "Hi Sam, answers inline.\n\n"
            "On Wed, 2 Dec 2026 at 09:00, Sam Seller <sam@myco.example> wrote:\n"
            "> Can you sign by the end of December?\n\n"
            "No, January at the earliest because of the budget freeze.\n\n"
            "> Is the price of 40,000 EUR acceptable?\n\n"
            "Only if you go 10% lower.\n\n"
            "Jonas\n",
        ),
    )

    kestrel("remark", "import", str(mail))

    stored = " ".join(texts(kestrel))
    assert "January at the earliest because of the budget freeze" in stored
    assert "Only if you go 10% lower." in stored
    assert "Can you sign" not in stored and "40,000 EUR acceptable" not in stored


# --- transcripts: a customer who shares the seller's first name is still the customer -----


def test_a_customer_who_shares_the_sellers_short_name_is_not_the_seller(kestrel, write):
    """A seller whose Zoom name is just "Alex" sets `--me Alex` (the settings file's own
    example allows a short name). On the call, the customer Alex Chen speaks too. A seller
    expects Alex Chen's words stored as Kestrel's: "Alex Chen" is not "Alex". Main takes any
    speaker whose name merely contains "Alex" for the seller and drops the customer's words
    as "your own words", silently. Severity: data lost (a customer's turns not stored)."""
    call = write(
        "GMT20261202-150000_Recording.transcript.vtt",
        "WEBVTT\n\n"
        "00:00:01.000 --> 00:00:05.000\nAlex: Thanks for joining, how many depots run today?\n\n"
        "00:00:06.000 --> 00:00:15.000\n"
        "Alex Chen: We run 14 depots and lose about 1,800 dollars on every wasted truck roll.\n",
    )

    kestrel("remark", "import", str(call), "--me", "Alex", "--account", "Kestrel Robotics")

    assert texts(kestrel) == [
        "We run 14 depots and lose about 1,800 dollars on every wasted truck roll."
    ]
