"""The question bank: packaged TOML, optionally extended or replaced per lens by the user's file."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from focusblock.errors import ConfigError
from focusblock.names import LENSES

QuestionBank = dict[str, list[str]]
KEYS = ("general", *LENSES)


def packaged_bank() -> QuestionBank:
    text = resources.files("focusblock.worksheet").joinpath("questions.toml").read_text("utf-8")
    return _validated(tomllib.loads(text), "the packaged question bank")


def load_bank(user_file: str | None = None) -> QuestionBank:
    """The packaged bank, extended by the user's file: it adds questions per lens, or replaces
    them with `replace = true`.

    User file shape: `[need] questions = ["...", "..."]  replace = false`, or plain
    `need = ["..."]` lists, which add.
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
    for key, value in data.items():
        if key not in KEYS:
            raise ConfigError(f"{path}: unknown lens '{key}'; expected one of {', '.join(KEYS)}")
        replace = False
        if isinstance(value, dict):
            replace = bool(value.get("replace", False))
            value = value.get("questions", [])
        questions = _question_list(value, f"{path}: '{key}'")
        bank[key] = questions if replace else [*bank[key], *questions]
    return bank


def questions_for(bank: QuestionBank, lens: str | None) -> list[str]:
    return bank.get(lens or "general") or bank["general"]


def _validated(data: dict, origin: str) -> QuestionBank:
    bank = {}
    for key in KEYS:
        bank[key] = _question_list(data.get(key, []), f"{origin}: '{key}'")
    return bank


def _question_list(value: object, origin: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(q, str) and q.strip() for q in value):
        raise ConfigError(f"{origin}: expected a list of questions (text)")
    return [q.strip() for q in value]
