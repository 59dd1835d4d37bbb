"""`complaintctl init`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import typer

from complaintctl.base.errors import InvalidData, UsageError
from complaintctl.base.messages import set_language, t


def register(app: typer.Typer) -> None:
    app.command("init")(init)


def init(
    directory: Path = typer.Argument(Path("."), help="Where to make the store (made if missing)."),
    policy: str = typer.Option(..., "--policy", "-p", help="A built-in policy (tourism, wedding, metro, "
                               "manufacturing, service) or the path of your own policy file."),
    office: str = typer.Option("CC", "--office", help="The office code that starts every id (A-Z, 0-9)."),
    timezone: str = typer.Option("Asia/Shanghai", "--timezone", help="The store's time zone."),
    language: str = typer.Option(None, "--language", help="zh or en (default: the locale)."),
    git: bool = typer.Option(False, "--git", help="Also make it a git repository, with complaintctl's "
                             "merge driver and pre-commit hook (see `complaintctl git install`)."),
) -> None:
    """Make a new complaint store."""
    from pydantic import ValidationError

    from complaintctl.policy.loader import load_policy
    from complaintctl.store.directory import Store
    from complaintctl.store.settings import StoreSettings

    root = directory.expanduser().resolve()
    try:
        settings = StoreSettings(policy=policy, office=office.upper(), timezone=timezone,
                                 language=language or None)
    except ValidationError as error:
        first = error.errors()[0]
        raise UsageError(f"--{first['loc'][0]}: {first['msg']}") from error
    set_language(settings.language)
    load_policy(policy, base_dir=root)  # refuse an unknown or broken policy before writing anything
    root.mkdir(parents=True, exist_ok=True)
    Store.create(root, settings)
    typer.echo(t("store.created", path=root, policy=policy, office=settings.office))
    if git:
        if not (root / ".git").exists():
            done = subprocess.run(["git", "init", "-q", str(root)], capture_output=True, text=True,
                                  check=False)
            if done.returncode != 0:
                raise InvalidData(done.stderr.strip() or "git init failed")
            typer.echo(t("store.git_initialised"))
        from complaintctl.git import repo as gitrepo

        for line in gitrepo.install(Store.open(root), sys.executable):
            typer.echo(line)
