"""Every module that placement/ imports comes from a distribution that pyproject.toml declares:
a fresh machine has nothing else. Lazy imports inside functions count too."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _canon(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared_distributions() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    return {_canon(re.split(r"[\s<>=!~\[;(]", r, maxsplit=1)[0]) for r in requirements}


def imported_modules(package: Path) -> dict[str, str]:
    """Top-level module name -> first place it is imported (absolute imports only)."""
    found: dict[str, str] = {}
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                found.setdefault(top, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def undeclared_imports() -> list[str]:
    declared = declared_distributions()
    providers = packages_distributions()
    problems = []
    for module, where in sorted(imported_modules(ROOT / "placement").items()):
        if module == "placement" or module in sys.stdlib_module_names or module == "__future__":
            continue
        dists = {_canon(d) for d in providers.get(module, [])}
        if not dists:
            problems.append(f"{where}: {module} is not installed (declare its distribution)")
        elif not dists & declared:
            problems.append(f"{where}: {module} comes from {', '.join(sorted(dists))}, "
                            "which pyproject.toml does not declare")  # fmt: skip
    return problems


def test_every_import_comes_from_a_declared_distribution():
    assert undeclared_imports() == []


def test_the_check_finds_an_undeclared_import(tmp_path, monkeypatch):
    # The check itself must be able to fail: a lazy import of an undeclared package.
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    (tmp_path / "pyproject.toml").write_text('[project]\ndependencies = ["flask"]\n')
    (tmp_path / "placement").mkdir()
    (tmp_path / "placement" / "a.py").write_text("import flask\n\ndef f():\n    import yaml\n")
    assert set(imported_modules(tmp_path / "placement")) == {"flask", "yaml"}
    problems = undeclared_imports()
    assert len(problems) == 1
    assert "yaml" in problems[0]
    assert "pyyaml" in problems[0].lower()
