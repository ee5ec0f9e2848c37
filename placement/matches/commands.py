"""`placement train-weights`: learn the weights of the score parts from proposal outcomes."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from placement.extensions import db
from placement.matches import learning
from placement.proposals.models import Proposal


@click.command("train-weights")
@with_appcontext
@click.option(
    "--min-outcomes", default=learning.MIN_OUTCOMES, show_default=True, type=click.IntRange(2)
)
@click.option("--min-gain", default=learning.MIN_GAIN, show_default=True, type=float,
              help="AUC the learned weights must gain over the defaults.")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Fit and evaluate, store nothing.")
def train_weights_command(min_outcomes: int, min_gain: float, dry_run: bool) -> None:
    """Fit weights on proposal outcomes; store them only when they beat the defaults."""
    proposals = db.session.scalars(
        select(Proposal).where(Proposal.status.in_(learning.POSITIVE | learning.NEGATIVE))
    )
    report = learning.train(proposals, min_outcomes=min_outcomes, min_gain=min_gain)
    click.echo(
        f"Outcomes: {report.n_outcomes} ({report.n_positive} positive, "
        f"{report.n_negative} negative)"
    )
    if report.auc_trained is not None:
        click.echo(f"Cross-validated AUC: learned {report.auc_trained:.3f}, "
                   f"default {report.auc_default:.3f}")  # fmt: skip
    if report.weights:
        shown = ", ".join(f"{k} {v:.3f}" for k, v in report.weights.items())
        click.echo(f"Learned weights: {shown}")
    click.echo(report.message)
    path = learning.weights_path(
        current_app.instance_path, current_app.config.get("PLACEMENT_MATCH_WEIGHTS_FILE")
    )
    if report.better and not dry_run:
        learning.save_weights(path, report)
        click.echo(f"Stored in {path}; match pages use them from now on.")
    elif report.better:
        click.echo("Dry run: nothing stored.")
    else:
        click.echo("Nothing stored; the weights in use stay as they are.")


@click.command("embed")
@with_appcontext
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Every participant and vacancy, not only those that can be matched now.",
)
@click.option("--model", default=None, help="Encoder name or path (default: configured model).")
def embed_command(everything: bool, model: str | None) -> None:
    """Encode every text match pages need that is not stored yet.

    Safe to interrupt (Ctrl+C): each batch is stored as it finishes, and a new run goes on
    where the last one stopped. A text stored once is never encoded again.
    """
    from placement.matches.preparation import prepare_everything

    try:
        report = prepare_everything(everything=everything, model=model, echo=click.echo)
    except KeyboardInterrupt:
        click.echo("\nInterrupted: what was encoded is stored; run again to go on.")
        raise SystemExit(130) from None
    click.echo(report)
