"""Reading and validating module files (format: ``data/modules/README.md``).

Every broken rule is reported with the file and the line, so an author can fix it without
reading this code. Building the module objects is left to ``placement.training.modules``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("de", "en")
SLUG = re.compile(r"^[a-z0-9_]+$")
PAGE_FILE = re.compile(r"^[A-Za-z0-9_.-]+\.md$")
MIN_QUESTIONS, MAX_QUESTIONS = 6, 10
MODULE_FIELDS = ("slug", "core", "minutes", "pass_mark", "title", "summary", "pages")


@dataclass(frozen=True)
class Problem:
    """One broken rule: which file, which line (1-based, None for a missing file), what."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}, line {self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


class ModuleError(ValueError):
    """Module files break the format; ``problems`` lists each broken rule with file and line."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("Invalid training module files:\n" + "\n".join(map(str, problems)))


@dataclass
class ModuleFiles:
    """The validated content of one module folder: module.yaml, quiz.yaml and page sources."""

    meta: dict[str, Any]
    questions: list[dict[str, Any]]
    pages: dict[str, dict[str, str]]  # file -> language -> Markdown


def read_module_folder(folder: Path, problems: list[Problem]) -> ModuleFiles | None:
    """The folder's validated files, or None after appending each broken rule to ``problems``."""
    return _ModuleReader(folder, problems).read()


class _YamlFile:
    """A parsed YAML file that can tell the line of any key path, for error messages."""

    def __init__(self, path: Path, problems: list[Problem]):
        self.path, self.problems = path, problems
        self.data: Any = None
        self.node: yaml.Node | None = None
        if not path.is_file():
            self.fail((), "file is missing")
            return
        source = path.read_text(encoding="utf-8")
        try:
            self.node = yaml.compose(source, Loader=yaml.SafeLoader)
            self.data = yaml.safe_load(source)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
            problem = getattr(error, "problem", None) or str(error)
            self.problems.append(Problem(path, mark.line + 1 if mark else None, problem))
            self.node = None
            return
        if self.node is None:
            self.problems.append(Problem(path, None, "file is empty"))
            return
        self._check_duplicate_keys(self.node)

    @property
    def ok(self) -> bool:
        return self.node is not None

    def line(self, path: tuple) -> int | None:
        """The line of the deepest node on ``path`` (a missing key: the line of its parent)."""
        node = self.node
        if node is None:
            return None
        line = node.start_mark.line + 1
        for key in path:
            if isinstance(node, yaml.MappingNode):
                match = next((kv for kv in node.value if kv[0].value == str(key)), None)
                if match is None:
                    break
                line, node = match[0].start_mark.line + 1, match[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
                if key >= len(node.value):
                    break
                node = node.value[key]
                line = node.start_mark.line + 1
            else:
                break
        return line

    def fail(self, path: tuple, message: str) -> None:
        self.problems.append(Problem(self.path, self.line(path), message))

    def _check_duplicate_keys(self, node: yaml.Node) -> None:
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key, value in node.value:
                if key.value in seen:
                    line = key.start_mark.line + 1
                    self.problems.append(Problem(self.path, line, f"duplicate key {key.value!r}"))
                seen.add(key.value)
                self._check_duplicate_keys(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                self._check_duplicate_keys(item)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _ModuleReader:
    """Reads one module folder, appending every broken rule to ``problems``."""

    def __init__(self, folder: Path, problems: list[Problem]):
        self.folder, self.problems = folder, problems

    def read(self) -> ModuleFiles | None:
        before = len(self.problems)
        meta = _YamlFile(self.folder / "module.yaml", self.problems)
        quiz = _YamlFile(self.folder / "quiz.yaml", self.problems)
        pages = self._pages(meta) if meta.ok else {}
        self._meta(meta)
        if quiz.ok:
            self._questions(quiz)
        if len(self.problems) > before:
            return None
        return ModuleFiles(meta=meta.data, questions=quiz.data["questions"], pages=pages)

    def _translated(self, doc: _YamlFile, value: Any, path: tuple, what: str) -> None:
        if not isinstance(value, dict):
            doc.fail(path, f"{what} needs a German and an English text ({{de: ..., en: ...}})")
            return
        for language in LANGUAGES:
            if not isinstance(value.get(language), str) or not value[language].strip():
                doc.fail(path, f"{what} has no {language!r} text")

    def _meta(self, doc: _YamlFile) -> None:
        data = doc.data
        if not doc.ok:
            return
        if not isinstance(data, dict):
            doc.fail((), "module.yaml must be a mapping of fields")
            return
        for field in MODULE_FIELDS:
            if field not in data:
                doc.fail((), f"required field {field!r} is missing")
        slug = data.get("slug")
        if "slug" in data and (not isinstance(slug, str) or not SLUG.match(slug)):
            doc.fail(("slug",), "slug must be lower-case ASCII letters, digits and underscores")
        elif "slug" in data and slug != self.folder.name:
            doc.fail(("slug",), f"slug {slug!r} must equal the folder name {self.folder.name!r}")
        if "core" in data and not isinstance(data["core"], bool):
            doc.fail(("core",), "core must be true or false")
        if "minutes" in data and (not _is_int(data["minutes"]) or data["minutes"] <= 0):
            doc.fail(("minutes",), "minutes must be a positive whole number")
        mark = data.get("pass_mark")
        if "pass_mark" in data and (
            isinstance(mark, bool) or not isinstance(mark, int | float) or not 0 < mark <= 1
        ):
            doc.fail(("pass_mark",), "pass_mark must be a number greater than 0 and at most 1")
        for field in ("title", "summary"):
            if field in data:
                self._translated(doc, data[field], (field,), field)

    def _pages(self, doc: _YamlFile) -> dict[str, dict[str, str]]:
        data = doc.data if isinstance(doc.data, dict) else {}
        entries = data.get("pages")
        if "pages" in data and (not isinstance(entries, list) or not entries):
            doc.fail(("pages",), "pages must be a non-empty list of {file: ...}")
            return {}
        pages: dict[str, dict[str, str]] = {}
        files = set()
        for i, entry in enumerate(entries or []):
            name = entry.get("file") if isinstance(entry, dict) else None
            if not isinstance(name, str) or not PAGE_FILE.match(name):
                doc.fail(("pages", i), "each page needs a file name like 01-intro.md")
                continue
            if name in files:
                doc.fail(("pages", i), f"page file {name!r} is listed twice")
                continue
            files.add(name)
            sources = self._page(doc, ("pages", i), name)
            if sources:
                pages[name] = sources
        for language in LANGUAGES:
            folder = self.folder / language
            for extra in sorted(folder.glob("*.md")) if folder.is_dir() else ():
                if extra.name not in files:
                    self.problems.append(Problem(extra, None, "page file not listed in pages"))
        return pages

    def _page(self, doc: _YamlFile, path: tuple, name: str) -> dict[str, str] | None:
        sources = {}
        for language in LANGUAGES:
            file = self.folder / language / name
            if not file.is_file():
                doc.fail(path, f"page file {language}/{name} does not exist")
                continue
            source = file.read_text(encoding="utf-8")
            lines = source.splitlines()
            if not lines or not lines[0].startswith("# "):
                self.problems.append(Problem(file, 1, "the first line must be a '# Title'"))
                continue
            for number, line in enumerate(lines[1:], start=2):
                if line.startswith("# "):
                    self.problems.append(Problem(file, number, "only one '# ' title per page"))
            sources[language] = source
        return sources if len(sources) == len(LANGUAGES) else None

    def _questions(self, doc: _YamlFile) -> None:
        data = doc.data
        items = data.get("questions") if isinstance(data, dict) else None
        if not isinstance(items, list):
            doc.fail((), "quiz.yaml needs a list 'questions'")
            return
        if not MIN_QUESTIONS <= len(items) <= MAX_QUESTIONS:
            doc.fail(("questions",), f"a quiz has {MIN_QUESTIONS} to {MAX_QUESTIONS} questions")
        ids: set[str] = set()
        for i, item in enumerate(items):
            self._question(doc, ("questions", i), item, ids)
        if not any(isinstance(q, dict) and q.get("kind") == "multiple" for q in items):
            doc.fail(("questions",), "at least one question must be of kind 'multiple'")

    def _question(self, doc: _YamlFile, path: tuple, item: Any, ids: set) -> None:
        if not isinstance(item, dict):
            doc.fail(path, "a question must be a mapping")
            return
        qid = item.get("id")
        if not isinstance(qid, str | int) or isinstance(qid, bool) or qid == "":
            doc.fail(path, "question needs an id")
        elif str(qid) in ids:
            doc.fail((*path, "id"), f"question id {qid!r} is used twice")
        ids.add(str(qid))
        label = f"question {qid!r}"
        kind = item.get("kind")
        if kind not in ("single", "multiple"):
            doc.fail((*path, "kind"), f"{label}: kind must be 'single' or 'multiple'")
        if not _is_int(item.get("points")) or item["points"] <= 0:
            doc.fail((*path, "points"), f"{label}: points must be a positive whole number")
        for field in ("text", "explanation"):
            self._translated(doc, item.get(field), (*path, field), f"{label}: {field}")
        correct = self._options(doc, (*path, "options"), item.get("options"), label)
        if correct is None:
            return
        if kind == "single" and correct != 1:
            message = f"{label} is single-choice and has {correct} correct options; it needs one"
            doc.fail((*path, "options"), message)
        elif correct < 1:
            doc.fail((*path, "options"), f"{label} has no correct option")

    def _options(self, doc: _YamlFile, path: tuple, items: Any, label: str) -> int | None:
        """Checks the options; returns how many are marked correct (None: no usable list)."""
        if not isinstance(items, list) or len(items) < 2:
            doc.fail(path, f"{label} needs a list of at least two options")
            return None
        correct, ids = 0, set()
        for i, item in enumerate(items):
            where = (*path, i)
            if not isinstance(item, dict):
                doc.fail(where, f"{label}: an option must be a mapping")
                continue
            oid = item.get("id")
            if not isinstance(oid, str | int) or isinstance(oid, bool) or oid == "":
                doc.fail(where, f"{label}: option needs an id")
                continue
            if str(oid) in ids:
                doc.fail((*where, "id"), f"{label}: option id {oid!r} is used twice")
            ids.add(str(oid))
            if not isinstance(item.get("correct"), bool):
                doc.fail(where, f"{label}, option {oid!r}: correct must be true or false")
            self._translated(doc, item.get("text"), (*where, "text"), f"{label}, option {oid!r}")
            correct += item.get("correct") is True
        return correct
