"""The repository explains itself: every document that code, templates and READMEs cite is in it.

Catalogue ids (B-01, R-09, ...) are rows of docs/reliability.md and § numbers are sections of
the PBI spec, docs/assessment/pbi-spec.md: a file that cites either also names the document, and
every row and section it cites is there.
"""

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Generated or installed, never written by hand.
SKIPPED_DIRS = {".git", ".venv", ".hypothesis", ".pytest_cache", ".ruff_cache", "__pycache__"}
SKIPPED_DIRS |= {"var", "media", "staticfiles", "node_modules", "out"}
TEXT_SUFFIXES = {".py", ".html", ".txt", ".md", ".js", ".css", ".toml", ".example"}
CATALOGUE = ROOT / "docs" / "reliability.md"
SPEC = ROOT / "docs" / "assessment" / "pbi-spec.md"

DOCS_PATH = re.compile(r"(?<![\w/.-])docs/[\w./-]*\w")
MARKDOWN_LINK = re.compile(r"\]\((?![a-z]+:|/|#)([^)#\s]+)")  # relative links only
ROW_ID = re.compile(r"\b[ABCDMRSTX]-\d{2}\b")
SECTION = re.compile(r"§(\d+(?:\.\d+)?)")
# Documents this project was once built from, which live outside the repository.
OUTSIDE = re.compile(r"\.\./shared|/work/|\b(?:NOTES|STYLE|PRODUCT|RELIABILITY)\.md|PBI-SPEC")


def text_files() -> list[Path]:
    files = []
    for folder, subfolders, names in os.walk(ROOT):
        subfolders[:] = [sub for sub in subfolders if sub not in SKIPPED_DIRS]
        paths = (Path(folder, file_name) for file_name in names)
        files += [
            path
            for path in paths
            if (path.suffix in TEXT_SUFFIXES or path.name in {"Makefile", "Procfile"})
            and path != Path(__file__)
        ]
    return files


FILES = text_files()
CITING = [path for path in FILES if path not in (CATALOGUE, SPEC)]


def name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_every_docs_path_cited_exists():
    missing = [
        f"{name(path)}: {cited}"
        for path in FILES
        for cited in DOCS_PATH.findall(path.read_text())
        if not (ROOT / cited).exists()
    ]
    assert missing == []


def test_every_relative_link_between_documents_resolves():
    missing = [
        f"{name(path)}: {link}"
        for path in FILES
        if path.suffix == ".md"
        for link in MARKDOWN_LINK.findall(path.read_text())
        if not (path.parent / link).exists()
    ]
    assert missing == []


def test_nothing_cites_a_document_outside_the_repository():
    outside = [
        f"{name(path)}: {match}" for path in FILES for match in OUTSIDE.findall(path.read_text())
    ]
    assert outside == []


@pytest.mark.parametrize(
    ("pattern", "document", "anchors"),
    [
        (ROW_ID, CATALOGUE, lambda text: set(re.findall(r"^\| ([A-Z]-\d{2})\b", text, re.M))),
        (SECTION, SPEC, lambda text: set(re.findall(r"^#+ (\d+(?:\.\d+)?)\.? ", text, re.M))),
    ],
    ids=["catalogue rows", "spec sections"],
)
def test_a_file_that_cites_a_document_names_it_and_cites_what_is_there(pattern, document, anchors):
    there = anchors(document.read_text())
    unnamed, unknown = [], []
    for path in CITING:
        text = path.read_text()
        cited = set(pattern.findall(text))
        if not cited:
            continue
        if document.name not in text:
            unnamed.append(name(path))
        unknown += [f"{name(path)}: {item}" for item in sorted(cited - there)]
    assert unnamed == [], f"name {name(document)} in these files"
    assert unknown == []
