"""Clients, partners, subscribers and visitors are of any gender: no gendered pronoun in any
template or email, in the instrument's wording, in the site's scripts, or in any string or
comment of the Python code (messages, labels, help texts, docstrings). Where a sentence
needs someone, it names them ("the client", "the coach") or says "they".

Migrations are left out: they record the past and are never edited."""

import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GENDERED = re.compile(r"\b(she|her|hers|herself|he|him|his|himself)\b", re.IGNORECASE)
# (file, phrase) pairs where a pronoun is right, e.g. a quotation. None so far: even the
# coach is "the coach".
ALLOWED: frozenset[tuple[str, str]] = frozenset()
SOURCE_DIRS = ("bookings", "clients", "coaching", "content", "payments", "bench", "static",
               "templates")  # fmt: skip
TEXT_SUFFIXES = {".html", ".txt", ".js", ".json"}


def _files(suffixes: set[str]) -> list[Path]:
    return sorted(
        path
        for folder in SOURCE_DIRS
        for path in (ROOT / folder).rglob("*")
        if path.suffix in suffixes and "migrations" not in path.parts
    )


def _python_prose(path: Path) -> list[tuple[int, str]]:
    """Strings (docstrings included) and comments, never identifiers."""
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    kinds = {tokenize.STRING, tokenize.COMMENT}
    return [(token.start[0], token.string) for token in tokens if token.type in kinds]


def _text_lines(path: Path) -> list[tuple[int, str]]:
    return list(enumerate(path.read_text(encoding="utf-8").splitlines(), start=1))


def _gendered(path: Path, pieces: list[tuple[int, str]]) -> list[str]:
    name = str(path.relative_to(ROOT))
    return [
        f"{name}:{line}: {match.group(0)!r} in {text.strip()[:90]!r}"
        for line, text in pieces
        for match in GENDERED.finditer(text)
        if not any(name == file and phrase in text for file, phrase in ALLOWED)
    ]


PYTHON = [*_files({".py"}), ROOT / "manage.py"]
TEXT = _files(TEXT_SUFFIXES)


def test_the_scan_reaches_every_kind_of_file():
    names = {str(path.relative_to(ROOT)) for path in PYTHON + TEXT}
    assert {
        "bookings/services.py",
        "clients/intake/pbi_v1_0_0.json",
        "templates/emails/clients_erasure_requested_body.txt",
        "templates/bookings/coach_detail.html",
        "static/js/intake.js",
    } <= names
    assert not any("/migrations/" in name for name in names)


def test_python_strings_and_comments_are_gender_neutral():
    assert [found for path in PYTHON for found in _gendered(path, _python_prose(path))] == []


def test_templates_emails_scripts_and_the_instrument_are_gender_neutral():
    assert [found for path in TEXT for found in _gendered(path, _text_lines(path))] == []


def test_the_pronoun_check_would_catch_the_old_wording(tmp_path):
    old = tmp_path / "old.html"
    old.write_text('<a href="#">Her intake assessment</a>, the channel she chose', "utf-8")
    found = [match.group(0) for _, text in _text_lines(old) for match in GENDERED.finditer(text)]
    assert found == ["Her", "she"]
