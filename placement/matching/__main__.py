"""`python -m placement.matching rank|model ...` for use without the web app."""

from __future__ import annotations

import click

from .cli import model_group, rank_command


@click.group()
def main() -> None:
    """Matching engine commands."""


main.add_command(rank_command)
main.add_command(model_group)

if __name__ == "__main__":
    main()
