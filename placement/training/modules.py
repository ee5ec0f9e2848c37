"""Diversity-awareness modules: loaded from ``data/modules/`` and validated at start-up.

``load_modules`` returns the modules by slug; ``render_page`` turns a page into safe HTML.
The file format and its checks live in ``placement.training.module_files``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import markdown
from markdown.extensions import Extension
from markupsafe import Markup

from placement.training.module_files import ModuleError, ModuleFiles, Problem, read_module_folder

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "data" / "modules"
__all__ = ["DEFAULT_DIR", "Module", "ModuleError", "Page", "Question", "load_modules", "text"]


@dataclass(frozen=True)
class Option:
    id: str
    correct: bool
    text: dict[str, str]


@dataclass(frozen=True)
class Question:
    id: str
    kind: str  # single | multiple
    points: int
    text: dict[str, str]
    options: tuple[Option, ...]
    explanation: dict[str, str]

    @property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(o.id for o in self.options if o.correct)


@dataclass(frozen=True)
class Page:
    file: str
    title: dict[str, str]  # the page's "# " heading per language
    source: dict[str, str]  # Markdown per language


@dataclass(frozen=True)
class Module:
    slug: str
    core: bool
    minutes: int
    pass_mark: float
    title: dict[str, str]
    summary: dict[str, str]
    pages: tuple[Page, ...]
    questions: tuple[Question, ...]

    @property
    def max_points(self) -> int:
        return sum(q.points for q in self.questions)


def text(value: dict[str, str], locale: object) -> str:
    """The text in the locale's language; German (the primary language) otherwise."""
    language = str(locale or "de")[:2]
    return value.get(language) or value["de"]


class _EscapeHtml(Extension):
    """Raw HTML in a page is shown as text, never passed through."""

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def render_page(page: Page, locale: object) -> Markup:
    """The page's Markdown as HTML, with raw HTML escaped."""
    return Markup(markdown.markdown(text(page.source, locale), extensions=[_EscapeHtml()]))


_loaded: dict[tuple, dict[str, Module]] = {}


def load_modules(directory: Path | str | None = None) -> dict[str, Module]:
    """All modules under ``directory`` by slug, core modules first; ModuleError if any breaks.

    Parsed once per process: later calls return the same modules until a file changes.
    """
    root = Path(directory) if directory else DEFAULT_DIR
    if not root.is_dir():
        raise ModuleError([Problem(root, None, "the modules folder does not exist")])
    key = (str(root.resolve()), _fingerprint(root))
    if key not in _loaded:
        if len(_loaded) >= 8:  # old states of changed files are not worth keeping
            _loaded.clear()
        _loaded[key] = _parse_modules(root)
    return _loaded[key]


def _fingerprint(root: Path) -> tuple:
    """Names, sizes and modification times of every file: a change means a new parse."""
    return tuple(
        (str(p.relative_to(root)), st.st_size, st.st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file() and (st := p.stat())
    )


def _parse_modules(root: Path) -> dict[str, Module]:
    problems: list[Problem] = []
    files = [read_module_folder(p, problems) for p in sorted(root.iterdir()) if p.is_dir()]
    if problems:
        raise ModuleError(problems)
    modules = sorted((_build(f) for f in files if f), key=lambda m: (not m.core, m.slug))
    return {m.slug: m for m in modules}


def _build(files: ModuleFiles) -> Module:
    meta = files.meta
    pages = tuple(
        Page(
            file=name,
            title={lang: src.splitlines()[0][2:].strip() for lang, src in sources.items()},
            source=sources,
        )
        for name, sources in files.pages.items()
    )
    questions = tuple(
        Question(
            id=str(q["id"]),
            kind=q["kind"],
            points=q["points"],
            text=q["text"],
            options=tuple(Option(str(o["id"]), o["correct"], o["text"]) for o in q["options"]),
            explanation=q["explanation"],
        )
        for q in files.questions
    )
    return Module(
        slug=meta["slug"],
        core=meta["core"],
        minutes=meta["minutes"],
        pass_mark=float(meta["pass_mark"]),
        title=meta["title"],
        summary=meta["summary"],
        pages=pages,
        questions=questions,
    )
