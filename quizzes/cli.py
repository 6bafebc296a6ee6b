"""Command-line commands: export a bank to GIFT, check every lesson and bank for problems."""
import click
from flask import Flask
from flask.cli import AppGroup

from quizzes.bank import check_bank, load_bank
from quizzes.gift import to_gift
from quizzes.questions import BankError
from training.content import CONTENT, MODULE_FOLDER, missing_translations, read_catalog, read_yaml

quizzes_group = AppGroup("quizzes", help="Question banks.")
content_group = AppGroup("content", help="The curriculum files.")


@quizzes_group.command("export-gift")
@click.argument("slug")
@click.option("--language", default="en", show_default=True, help="Language of the exported text.")
def export_gift(slug: str, language: str) -> None:
    """Print a module's question bank in Moodle's GIFT format."""
    content, _problems = read_catalog(CONTENT)
    module = content.modules.get(slug)
    if module is None:
        known = ", ".join(content.modules) or "none"
        raise click.ClickException(f"no module with the slug '{slug}' (known: {known})")
    if language not in module.languages:
        raise click.ClickException(f"module '{slug}' is not written in '{language}' "
                                   f"(it has: {', '.join(module.languages)})")
    try:
        bank = load_bank(module.folder, list(module.languages))
    except BankError as error:
        raise click.ClickException(f"the bank cannot be exported: {error}") from None
    click.echo(to_gift(bank, language), nl=False)


@content_group.command("check")
def check() -> None:
    """List every problem of the lessons and question banks; exit 1 if there is any."""
    content, problems = read_catalog(CONTENT)
    for folder in sorted(p for p in CONTENT.iterdir() if p.is_dir() and MODULE_FOLDER.match(p.name)):
        # A module whose lesson has problems still gets its bank checked, in the languages it declares.
        languages = read_yaml(folder / "module.yaml", []).get("languages") or ["en"]
        problems += check_bank(folder, list(languages))
    for problem in problems:
        click.echo(problem)
    click.echo("Lessons per interface language:")
    for language, slugs in missing_translations(content).items():
        click.echo(f"  {language}: " + (f"{len(slugs)} modules in English only: {', '.join(slugs)}" if slugs
                                      else "every module translated"))
    if problems:
        raise click.ClickException(f"{len(problems)} problems found")
    click.echo("No problems found.")


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(quizzes_group)
    app.cli.add_command(content_group)
