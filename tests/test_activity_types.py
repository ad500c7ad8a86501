"""A CRM's own activity types (Outbound Email, Inbound Call, Video Meeting, Demo, ...) read
as the nearest channel by their words, else `other`: never a refusal of the file; each
mapping listed once in the import report; the stored `via` is always one of the channels."""

from __future__ import annotations

import json

import pytest

from focusblock.model import Via

LABELS = {
    "Outbound Email": "email",
    "Email - Sent": "email",
    "E-mail": "email",
    "Inbound Call": "call",
    "Phone Call": "call",
    "Cold call (voicemail)": "call",
    "Teams call": "call",
    "Video Meeting": "meeting",
    "Video call": "meeting",
    "Zoom meeting": "meeting",
    "Demo": "meeting",
    "Onsite visit": "meeting",
    "LinkedIn message": "chat",
    "SMS": "chat",
    "WhatsApp": "chat",
    "Slack": "chat",
    "Task": "other",
    "Pigeon post": "other",
    "Note": "other",
    "call": "call",
    "MEETING": "meeting",
}


@pytest.mark.parametrize(("label", "channel"), LABELS.items())
def test_a_label_reads_as_the_nearest_channel_by_its_words(label, channel):
    from focusblock.names import channel_of_label

    assert channel_of_label(label) == Via(channel)


def test_a_crm_export_with_its_own_activity_types_is_imported_whole(run, write):
    path = write(
        "crm.csv",
        "Account Name,Note,Date,Activity Type\n"
        "Northgate Freight,Customs holds cost us a week.,2026-11-02,Outbound Email\n"
        "Northgate Freight,We ship from two ports.,2026-11-03,Inbound Call\n"
        "Northgate Freight,Show us the dock view.,2026-11-04,Demo\n"
        "Northgate Freight,Ping me on LinkedIn.,2026-11-05,LinkedIn message\n"
        "Northgate Freight,Follow up Tuesday.,2026-11-06,Task\n"
        "Northgate Freight,Audit is in March.,2026-11-07,outbound email\n"
        "Northgate Freight,Board meets Friday.,2026-11-08,call\n",
    )
    result = run("remark", "import", str(path))
    assert "Added 7 remarks" in result.stdout
    text = result.stdout
    # each mapping once, with its rows; a label that is already a channel is no mapping
    assert text.count("Outbound Email") == 1, text
    assert "Outbound Email -> email (2 rows)" in text
    assert "Inbound Call -> call (1 row)" in text
    assert "Demo -> meeting (1 row)" in text
    assert "LinkedIn message -> chat (1 row)" in text
    assert "Task -> other (1 row)" in text
    assert "call ->" not in text
    stored = json.loads(run("remark", "list", "--json").stdout)
    assert [r["via"] for r in stored] == [
        "email",
        "call",
        "meeting",
        "chat",
        "other",
        "email",
        "call",
    ]
    assert {r["via"] for r in stored} <= {v.value for v in Via}


def test_the_json_report_lists_each_mapping_once(run, write):
    path = write(
        "crm.csv",
        "account,text,via\n"
        "Acme,One.,Video Meeting\n"
        "Acme,Two.,Video Meeting\n"
        "Acme,Three.,SMS\n"
        "Acme,Four.,email\n",
    )
    shown = json.loads(run("remark", "import", str(path), "--json").stdout)
    assert shown["activity_types"] == [
        {"label": "Video Meeting", "via": "meeting", "rows": 2},
        {"label": "SMS", "via": "chat", "rows": 1},
    ]
    dry = json.loads(run("remark", "import", str(path), "--json", "--dry-run").stdout)
    assert dry["activity_types"] == shown["activity_types"]
    other = write("other.csv", "account,text,via\nAcme,Five.,Demo\n")
    both = json.loads(run("remark", "import", str(path), str(other), "--json").stdout)
    assert [f["activity_types"] for f in both["files"]] == [
        shown["activity_types"],
        [{"label": "Demo", "via": "meeting", "rows": 1}],
    ]


def test_remark_add_reads_a_label_too_but_refuses_words_of_no_channel(run):
    run("account", "add", "Acme")
    run("remark", "add", "Acme", "We need it by March.", "--via", "Outbound Email")
    (remark,) = json.loads(run("remark", "list", "--json").stdout)
    assert remark["via"] == "email"
    refused = run("remark", "add", "Acme", "Other words.", "--via", "pigeon", code=4)
    assert "via: 'pigeon' is not one of call, meeting, email, chat, other" in refused.stderr
