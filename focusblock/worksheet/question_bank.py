"""The question bank: packaged TOML, optionally extended or replaced by the user's file.

Questions depend on the account's stage: pending deals get discovery and decision questions,
sold accounts questions about success, adoption and what to do next together; a lost account
(not-sold) gets none. Each stage has one list per lens, `general` for remarks without a lens,
and `quoted`: templates per kind of finding that quote the customer's words as {phrase}.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from focusblock.errors import ConfigError
from focusblock.names import LENSES
from focusblock.worksheet.finding_questions import OLD_KEYS, QUOTED_KEYS

QUESTION_STAGES = ("pending", "sold")
KEYS = ("general", *LENSES)
PHRASE = "{phrase}"


@dataclass
class StageQuestions:
    lenses: dict[str, list[str]] = field(default_factory=dict)  # general and the 12 lenses
    quoted: dict[str, list[str]] = field(default_factory=dict)  # per kind of finding


@dataclass
class QuestionBank:
    stages: dict[str, StageQuestions]

    def stage(self, stage: str) -> StageQuestions:
        """The questions for an account at `stage`; none at all for a lost account."""
        return self.stages.get(stage) or StageQuestions()


def packaged_bank() -> QuestionBank:
    text = resources.files("focusblock.worksheet").joinpath("questions.toml").read_text("utf-8")
    bank = QuestionBank({stage: StageQuestions() for stage in QUESTION_STAGES})
    _merge(bank, tomllib.loads(text), "the packaged question bank")
    return bank


def load_bank(user_file: str | None = None) -> QuestionBank:
    """The packaged bank, extended by the user's file: it adds questions per lens (or kind of
    quoted question), asked before the packaged ones, or replaces them with `replace = true`.

    User file shape, as the packaged one: `[sold] need = ["..."]`, `[sold.quoted] figure =
    ["They said “{phrase}”: ..."]`, or `[pending.need] questions = ["..."]  replace = true`.
    A lens list or `quoted` table at the top of the file is short for the same under [pending].
    """
    bank = packaged_bank()
    if not user_file:
        return bank
    path = Path(user_file).expanduser()
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the questions file ({exc.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not a valid TOML questions file ({exc})") from None
    _merge(bank, data, str(path))
    return bank


def questions_for(bank: QuestionBank, lens: str | None, stage: str = "pending") -> list[str]:
    """The lens's questions at that stage, or the general ones (none for a lost account)."""
    lenses = bank.stage(stage).lenses
    return lenses.get(lens or "general") or lenses.get("general", [])


def quoted_for(bank: QuestionBank, kind: str, stage: str = "pending") -> list[str]:
    """The templates that quote a finding of `kind`, with {phrase} still in them."""
    return bank.stage(stage).quoted.get(kind, [])


def _merge(bank: QuestionBank, data: dict, origin: str) -> None:
    shorthand = {key: value for key, value in data.items() if key not in QUESTION_STAGES}
    for key in shorthand:
        if key not in (*KEYS, "quoted"):
            _unknown(origin, key, (*QUESTION_STAGES, *KEYS, "quoted"))
    tables = [("pending", shorthand, "")] if shorthand else []
    for stage in QUESTION_STAGES:
        if stage in data:
            if not isinstance(data[stage], dict):
                raise ConfigError(f"{origin}: '{stage}' must be a table of question lists")
            tables.append((stage, data[stage], f"{stage}."))
    for stage, table, prefix in tables:
        target = bank.stages[stage]
        for key, value in table.items():
            if key == "quoted":
                if not isinstance(value, dict):
                    raise ConfigError(f"{origin}: '{prefix}quoted' must be a table per kind")
                for named, templates in value.items():
                    # a kind named as earlier versions named it still means the same list
                    kind = OLD_KEYS.get(str(named), str(named))
                    if kind not in QUOTED_KEYS:
                        _unknown(origin, f"{prefix}quoted.{named}", QUOTED_KEYS)
                    _add(target.quoted, kind, templates, origin, f"{prefix}quoted.{named}", True)
            elif key in KEYS:
                _add(target.lenses, key, value, origin, f"{prefix}{key}", False)
            else:
                _unknown(origin, f"{prefix}{key}", (*KEYS, "quoted"))


def _add(
    target: dict[str, list[str]], key: str, value: object, origin: str, name: str, quoted: bool
) -> None:
    replace = False
    if isinstance(value, dict):
        for option in value:
            if option not in ("questions", "replace"):
                _unknown(origin, f"{name}.{option}", ("questions", "replace"))
        replace = value.get("replace", False)
        if not isinstance(replace, bool):
            raise ConfigError(f"{origin}: '{name}.replace' must be true or false")
        value = value.get("questions", [])
    questions = _question_list(value, f"{origin}: '{name}'")
    if quoted and any(PHRASE not in q for q in questions):
        raise ConfigError(f"{origin}: '{name}': each quoted question must contain {PHRASE}")
    # added questions go first: a remark gets only the first few of its lens that the page
    # has not asked yet, and the ones a seller wrote on purpose are those to ask
    target[key] = questions if replace else [*questions, *target.get(key, [])]


def _unknown(origin: str, key: str, expected: tuple[str, ...]) -> None:
    raise ConfigError(f"{origin}: unknown key '{key}'; expected one of {', '.join(expected)}")


def _question_list(value: object, origin: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(q, str) and q.strip() for q in value):
        raise ConfigError(f"{origin}: expected a list of questions (text)")
    return [q.strip() for q in value]
