"""Every `placement` command in one list; the app's own here: demo, load-demo, create-user.

`db` comes from Flask-Migrate. The list is registered on the app (`flask --app placement`) and
on the `placement` console script alike, so both show the same commands.
"""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from werkzeug.serving import run_simple

from placement.extensions import db


def all_commands() -> list[click.Command]:
    """The commands each part of the package offers, in the order `--help` lists them."""
    from placement.matches.commands import embed_command, train_weights_command
    from placement.matching.cli import model_group, rank_command
    from placement.notifications.jobs import notifications_group
    from placement.placements.commands import reminders_group, worker_command
    from placement.serve import serve_command

    return [
        demo_command,
        serve_command,
        worker_command,
        reminders_group,
        notifications_group,
        create_user_command,
        load_demo_command,
        train_weights_command,
        embed_command,
        checked_rank(rank_command),
        model_group,
    ]


def checked_rank(engine_rank: click.Command) -> click.Command:
    """The engine's `rank` with the app's field limits (placement/limits.py) checked first: a
    record that a form or an import would refuse is refused here too, by file and line, and
    nothing is ranked. (The engine imports nothing of the app, so the check wraps it here.)"""
    from placement import limits
    from placement.matching import CandidateRecord, RecordError, VacancyRecord
    from placement.matching.cli import read_jsonl

    def within_limits(factory):
        def parse(data):
            record = factory(data)  # the engine's own checks first: the shape of the record
            problem = limits.row_problem(data)
            if problem:
                raise RecordError(str(problem), problem.code, problem.field, **problem.params)
            return record

        return parse

    def callback(**options):
        files = {"vacancies_path": VacancyRecord, "candidates_path": CandidateRecord}
        errors = []
        for key, record in files.items():
            errors += read_jsonl(options[key], within_limits(record.from_dict))[1]
        if errors:
            for error in errors:
                click.echo(error, err=True)
            sys.exit(1)
        return engine_rank.callback(**options)

    return click.Command(engine_rank.name, params=engine_rank.params, callback=callback,
                         help=engine_rank.help)  # fmt: skip


def register(app: Flask) -> None:
    for command in all_commands():
        app.cli.add_command(command)


def _load_demo_once() -> None:
    from placement.demo import DEMO_PASSWORD, demo_loaded, demo_logins, load_demo

    if demo_loaded():
        click.echo("Demo data are loaded already.")
    else:
        try:
            load_demo(schedule=current_app.config["PLACEMENT_FOLLOWUP_SCHEDULE"])
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        click.echo("Loaded demo data.")
    logins = demo_logins()
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    shown = {}
    for role, email, name in logins:
        shown.setdefault(role, []).append((email, name))
    for role, entries in shown.items():
        for email, name in entries[:3]:
            click.echo(f"  {role:<12} {email:<45} {name}")
        if len(entries) > 3:
            click.echo(f"  {'':<12} ... and {len(entries) - 3} more {role} logins")


@click.command("demo")
@with_appcontext
@click.option(
    "--port",
    default=5000,
    show_default=True,
    type=click.IntRange(1, 65535),
    envvar="PLACEMENT_PORT",
    help="Port on 127.0.0.1 (or PLACEMENT_PORT).",
)
@click.option("--no-serve", is_flag=True, help="Set up the database and demo data only.")
def demo_command(port: int, no_serve: bool) -> None:
    """Create the database if missing, load the demo data once, serve on 127.0.0.1."""
    upgrade()
    _load_demo_once()
    from placement.matches.preparation import prepare_everything

    click.echo("Preparing the demo data for matching (encoded once, kept in the database):")
    click.echo(prepare_everything(echo=click.echo))
    if no_serve:
        return
    from placement.placements.scheduler import start_inprocess_scheduler

    start_inprocess_scheduler(current_app._get_current_object())  # reminders, notifications
    click.echo(f"Serving on http://127.0.0.1:{port}/ (Ctrl+C to stop)")
    # app.run() is a no-op inside Flask's CLI; serve with Werkzeug directly.
    run_simple("127.0.0.1", port, current_app._get_current_object(), threaded=True)


@click.command("load-demo")
@with_appcontext
def load_demo_command() -> None:
    """Load the demo data into an existing database (once)."""
    _load_demo_once()


@click.command("create-user")
@with_appcontext
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option(
    "--role", required=True, type=click.Choice(["admin", "counsellor", "employer", "participant"])
)
@click.option("--organisation-id", type=int, default=None, help="Required for employers.")
@click.password_option(help="At least 12 characters; asked for when not given.")
def create_user_command(email, name, role, organisation_id, password) -> None:
    """Create an account."""
    from placement.accounts.services import AccountError, create_user
    from placement.employers.models import Organisation
    from placement.participants.services import create_participant_for_user

    org = db.session.get(Organisation, organisation_id) if organisation_id else None
    if organisation_id and org is None:
        raise click.BadParameter(f"no organisation with id {organisation_id}")
    try:
        user = create_user(email, name, role, password, organisation=org)
        if role == "participant":
            create_participant_for_user(user)
        db.session.commit()
    except AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {role} {user.email} (id {user.id}).")
