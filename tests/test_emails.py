"""Emails read into the sender's own new words. The files in tests/emails/ were written for
these tests; hostile ones are made here."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from focusblock.emails import MAX_BYTES, is_email, read_emails
from focusblock.errors import BadInput

SAMPLES = Path(__file__).parent / "emails"


def read(name: str):
    return read_emails(name, (SAMPLES / name).read_bytes())


def test_an_outlook_reply_keeps_only_the_new_words():
    (mail,) = read("outlook-reply.eml")
    assert mail.sender == "jonas.meyer@nordwind-logistik.de" and mail.sender_name == "Jonas Meyer"
    assert mail.words == (
        "Price is the issue. Procurement wants three quotes before Geschäftsführung signs."
    )
    assert mail.sent == datetime(2026, 12, 1, 9, 41, tzinfo=timezone(timedelta(hours=1)))
    assert mail.recipients == ("alex.morgan@example.com",)


def test_an_html_only_gmail_reply_leaves_out_its_quote_greeting_and_signature():
    (mail,) = read("gmail-html-only.eml")
    assert mail.words == (
        "We need the pilot signed before the board meets on the 12th.\n"
        "Our CFO wants a fixed price & a 90-day exit."
    )
    assert "Priya Raman" in mail.signature
    assert "board meeting?" not in mail.words


def test_an_mbox_holds_every_message_the_sellers_own_too():
    mails = read("thread.mbox")
    assert [m.sender for m in mails] == [
        "alex.morgan@example.com",
        "jonas.meyer@nordwind-logistik.de",
    ]
    assert mails[1].words == "Three quotes first, then we talk."
    assert mails[1].source == "thread.mbox #2"


def test_deep_mime_nesting_and_unknown_charsets_are_bounded():
    inner = "Content-Type: text/plain; charset=x-unknown-charset\n\nDeep words \xff.\n"
    for depth in range(60):
        boundary = f"b{depth}"
        head = f'Content-Type: multipart/mixed; boundary="{boundary}"\n\n'
        inner = f"{head}--{boundary}\n{inner}\n--{boundary}--\n"
    data = f"From: a@b.example\nSubject: deep\nDate: Tue, 01 Dec 2026 09:41:00 +0100\n{inner}"
    (mail,) = read_emails("deep.eml", data.encode("latin-1"))
    assert mail.words == ""  # nested past MAX_DEPTH: not read, and no crash
    shallow = (
        "From: a@b.example\nSubject: s\nContent-Type: text/plain; charset=x-unknown-charset\n\n"
        "Words in \xe9 an unknown charset.\n"
    )
    (mail,) = read_emails("odd.eml", shallow.encode("latin-1"))
    assert mail.words.startswith("Words in ")


def test_what_is_no_mail_is_one_line_naming_the_file():
    with pytest.raises(BadInput, match="no email message"):
        read_emails("notes.eml", b"Subject: no sender\n\nhello\n")
    with pytest.raises(BadInput, match="bytes; mail is read up to"):
        read_emails("huge.mbox", b"From x\n" + b"x" * MAX_BYTES)
    assert is_email((SAMPLES / "outlook-reply.eml").read_bytes())
    assert not is_email(b"WEBVTT\n\n00:00.000 --> 00:01.000\nhi\n")


def test_importing_a_mailbox_stores_the_customers_words_once(run, monkeypatch):
    monkeypatch.setenv("FOCUSBLOCK_NOW", "2026-12-04T09:00:00-05:00")  # after the mail
    monkeypatch.setenv("FOCUSBLOCK_EMAIL", "alex.morgan@example.com")
    run("account", "add", "Nordwind Logistik", "--domain", "nordwind-logistik.de")

    first = run("remark", "import", str(SAMPLES / "thread.mbox"))

    assert "Added 1 remark" in first.stdout
    assert "Skipped thread.mbox #1 from alex.morgan@example.com: your own message." in first.stdout
    (remark,) = json.loads(run("remark", "list", "--json").stdout)
    assert remark["text"] == "Three quotes first, then we talk."
    assert (remark["who"], remark["via"], remark["heard_on"]) == (
        "Jonas Meyer",
        "email",
        "2026-12-01",
    )
    again = run("remark", "import", str(SAMPLES / "thread.mbox"))
    assert "Added 0 remarks; skipped 1 already stored." in again.stdout


def test_an_email_from_no_accounts_domain_is_skipped_and_said(run, monkeypatch):
    monkeypatch.setenv("FOCUSBLOCK_EMAIL", "alex.morgan@example.com")
    run("account", "add", "Kestrel Robotics", "--domain", "kestrel-robotics.com")

    result = run("remark", "import", str(SAMPLES / "outlook-reply.eml"), "--json")

    data = json.loads(result.stdout)
    assert data["added"] == []
    assert data["skipped"] == [
        {
            "text": "outlook-reply.eml from jonas.meyer@nordwind-logistik.de",
            "why": "the sender is at no account's domain",
        }
    ]


@pytest.mark.parametrize(
    "header",
    [
        'Cc: "" <',
        "Content-Type: text/plain; charset=idna",
        "Content-Type: text/plain; charset=punycode",
        "Date: Fri, 31 Dec 9999 23:00:00 -1200",
    ],
)
def test_hostile_headers_are_never_a_traceback(header):
    data = f"From: Jonas <jonas@nordwind.example>\nSubject: x\n{header}\n\nSome words \xe9.\n"
    try:
        (mail,) = read_emails("odd.eml", data.encode("latin-1"))
    except BadInput as refused:
        assert str(refused).startswith("odd.eml") and "\n" not in str(refused)
    else:
        assert mail.sent is None or mail.sent.tzinfo is not None


def test_a_date_in_utc_of_unknown_zone_is_read_as_utc():
    data = b"From: J <j@n.example>\nSubject: x\nDate: Tue, 01 Dec 2026 23:30:00 -0000\n\nHi.\n"
    (mail,) = read_emails("utc.eml", data)
    assert mail.sent is not None and mail.sent.utcoffset() == timedelta(0)


def test_on_with_a_csv_file_is_a_usage_error_not_ignored(run, tmp_path):
    csv = tmp_path / "r.csv"
    csv.write_text("account,text\nAcme,Hello there\n", encoding="utf-8")
    result = run("remark", "import", str(csv), "--on", "2026-11-02", code=2)
    assert "--on dates an email or a transcript" in result.stderr
    assert json.loads(run("remark", "list", "--json").stdout) == []


def test_a_dry_run_lists_each_sender_with_what_would_be_stored_and_why_not(run, monkeypatch):
    monkeypatch.setenv("FOCUSBLOCK_NOW", "2026-12-04T09:00:00-05:00")  # after the mail
    monkeypatch.setenv("FOCUSBLOCK_EMAIL", "alex.morgan@example.com")
    run("account", "add", "Nordwind Logistik", "--domain", "nordwind-logistik.de")

    dry = run("remark", "import", str(SAMPLES / "thread.mbox"), "--dry-run", "--json")

    senders = {s["name"]: s for s in json.loads(dry.stdout)["speakers"]}
    assert senders["Jonas Meyer"]["side"] == "customer"
    assert senders["Jonas Meyer"]["account"] == "Nordwind Logistik"
    assert senders["Jonas Meyer"]["remarks"] == 1
    seller = next(s for s in senders.values() if s["side"] == "you")
    assert (seller["left_out"], seller["why"]) == (1, "your own messages")
    text = run("remark", "import", str(SAMPLES / "thread.mbox"), "--dry-run").stdout
    assert "1 message left out (your own messages)" in text


def test_a_corrected_email_remark_is_not_brought_back_by_the_same_file(run, monkeypatch):
    monkeypatch.setenv("FOCUSBLOCK_EMAIL", "alex.morgan@example.com")
    monkeypatch.setenv("FOCUSBLOCK_NOW", "2026-12-02T09:00:00-05:00")  # after the mail's date
    run("account", "add", "Nordwind Logistik", "--domain", "nordwind-logistik.de")
    run("remark", "import", str(SAMPLES / "outlook-reply.eml"))
    run("remark", "edit", "1", "--text", "Price is the issue: procurement wants three quotes.")

    again = run("remark", "import", str(SAMPLES / "outlook-reply.eml"), "--json")

    data = json.loads(again.stdout)
    assert data["added"] == []
    assert data["skipped"] == [
        {
            "text": "Price is the issue. Procurement wants three quotes before "
            "Geschäftsführung signs.",
            "why": "corrected since (remark #1)",
        }
    ]
    assert len(json.loads(run("remark", "list", "--json").stdout)) == 1


def test_mime_nested_a_thousand_deep_is_one_line_saying_so():
    inner = "Content-Type: text/plain; charset=utf-8\n\nDeep words.\n"
    for depth in range(1_000):  # past the depth the standard library's parser recurses to
        boundary = f"b{depth}"
        head = f'Content-Type: multipart/mixed; boundary="{boundary}"\n\n'
        inner = f"{head}--{boundary}\n{inner}\n--{boundary}--\n"
    data = f"From: a@b.example\nSubject: deep\nDate: Tue, 01 Dec 2026 09:41:00 +0100\n{inner}"
    with pytest.raises(BadInput) as refused:
        read_emails("deep.eml", data.encode())
    assert str(refused.value) == "deep.eml: MIME parts nested too deep to read"


def test_only_the_messages_of_wanted_senders_have_their_words_read():
    mails = read_emails(
        "thread.mbox",
        (SAMPLES / "thread.mbox").read_bytes(),
        wanted=lambda sender: sender.endswith("@nordwind-logistik.de"),
    )
    assert [(m.sender, bool(m.words)) for m in mails] == [
        ("alex.morgan@example.com", False),  # the seller's own: its words never matter
        ("jonas.meyer@nordwind-logistik.de", True),
    ]


def test_encoded_headers_are_decoded_and_lying_charsets_kept_as_written():
    data = (
        b"From: =?utf-8?q?J=C3=B6rg_M=C3=BCller?= <joerg@nordwind.example>\n"
        b"To: =?x-unknown?q?Alex?= <alex@example.com>\n"
        b"Subject: =?iso-8859-1?q?Pr=E4sentation?=\n"
        b"Date: Tue, 01 Dec 2026 09:41:00 +0100\n\nDie Lizenzen sind zu teuer.\n"
    )
    (mail,) = read_emails("encoded.eml", data)
    assert (mail.sender_name, mail.sender) == ("Jörg Müller", "joerg@nordwind.example")
    assert mail.subject == "Präsentation" and mail.recipients == ("alex@example.com",)


def test_on_dates_only_a_message_without_a_date_and_a_future_one_is_skipped(
    run, monkeypatch, tmp_path
):
    monkeypatch.setenv("FOCUSBLOCK_EMAIL", "alex.morgan@example.com")
    monkeypatch.setenv("FOCUSBLOCK_NOW", "2026-12-04T09:00:00-05:00")
    run("account", "add", "Nordwind Logistik", "--domain", "nordwind-logistik.de")

    run("remark", "import", str(SAMPLES / "thread.mbox"), "--on", "2026-11-15")

    (remark,) = json.loads(run("remark", "list", "--json").stdout)
    assert remark["heard_on"] == "2026-12-01"  # the message's own date, not --on
    future = (
        b"From: Jonas <jonas@nordwind-logistik.de>\nSubject: x\n"
        b"Date: Tue, 01 Dec 2099 09:00:00 +0100\n\nWe sign next week, promised.\n"
    )
    path = tmp_path / "future.eml"
    path.write_bytes(future)
    report = json.loads(run("remark", "import", str(path), "--json").stdout)
    assert report["added"] == [] and "after today" in report["skipped"][0]["why"]


@pytest.mark.parametrize(
    "history",
    [
        "-----Ursprüngliche Nachricht-----\nVon: Alex Morgan\nUnser Angebot: 40.000 EUR.",
        "---------- Forwarded message ---------\nFrom: Alex <alex@example.com>\nOffer.",
        "Alex Morgan wrote:\nCan you confirm the 40,000 EUR offer?",
        "From: Alex Morgan <alex@example.com>\nSent: Monday, 30 November 2026\nOffer.",
    ],
)
def test_quoted_history_in_other_wordings_is_not_their_words(history):
    data = (
        "From: Jonas Meyer <jonas@nordwind.example>\nSubject: Re: Angebot\n"
        "Date: Tue, 01 Dec 2026 09:41:00 +0100\nContent-Type: text/plain; charset=utf-8\n\n"
        f"Wir prüfen das intern bis Freitag.\n\n{history}\n"
    )
    (mail,) = read_emails("reply.eml", data.encode())
    assert mail.words == "Wir prüfen das intern bis Freitag."


@pytest.mark.parametrize(
    ("body", "words"),
    [
        pytest.param(
            "Agreed, go ahead.\n\nFrom: Sam Seller <sam@myco.example>\n"
            "Sent: Monday, 30 November 2026 10:00\nTo: Jonas\nSubject: Offer\n\n"
            "> How many trucks?\nWe can cover 40 trucks.\n> Price?\nOur price is 50k.\n\nSam\n",
            "Agreed, go ahead.",
            id="the-sellers-own-inline-answers-under-a-header-block",
        ),
        pytest.param(
            "Yes, we sign Friday.\nsam@seller.com wrote:\n", "Yes, we sign Friday.", id="html"
        ),
        pytest.param(
            "Yes, we sign Friday.\n\nsam@seller.com wrote:\nOur offer is 40k.\n",
            "Yes, we sign Friday.",
            id="an-address-before-wrote-and-nothing-quoted",
        ),
        pytest.param(
            "Prima.\n\nJan van der Berg <jan@x.nl> schreef:\nOns aanbod is 40k.\n",
            "Prima.",
            id="a-name-with-a-small-particle",
        ),
    ],
)
def test_an_older_mail_is_never_the_customers_words(body, words):
    """Review of the inline-answer reading: only the mail quoted right under 'On ... wrote:'
    may hold the customer's inline answers; an older mail under a header block holds the
    seller's own, and an attribution with nothing quoted under it (an HTML mail's) or with
    an address in it still starts the history."""
    from focusblock.emails import _own_words

    assert _own_words(body, "Jonas Meyer")[0] == words


def test_a_first_line_that_greets_without_a_comma_and_goes_on_is_kept():
    """Review of the greeting rule: 'Hey Sam we sign Friday' is the customer's words (the
    rule took up to four words after the greeting for a name, whatever they were)."""
    from focusblock.emails import _own_words

    assert _own_words("Hey Sam we sign Friday\n\nJonas\n", "Jonas Meyer")[0] == (
        "Hey Sam we sign Friday"
    )


@pytest.mark.slow  # a fresh interpreter, bounded in time
def test_many_lines_ending_in_wrote_are_read_in_linear_time():
    """A hostile mail of 200,000 lines 'she wrote:' (2 MB): telling where the quoted
    history starts looked at the rest of the mail for each of them (quadratic: minutes)."""
    import subprocess
    import sys

    probe = (
        "from focusblock.emails import _history_at\n"
        # only the last starts history: nothing is written after it (an HTML mail's)
        "assert _history_at(['she wrote:'] * 200_000) == 199_999\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, timeout=20)
    assert done.returncode == 0, done.stderr
