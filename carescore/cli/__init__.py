"""The `carescore` command line.

Each module of this package holds the commands of one concern and lists them in
`COMMANDS`; the collectors and the site add theirs through the `carescore.commands`
entry points, so the domain never imports them. A command is imported when it runs (or
shows its own help), never to be listed: `carescore --help` reads the names and first
lines of help from the modules' source, so it answers without loading the database
layer, the scorer or the site. Errors meant for a person (a bad file, an unreachable
database, an unsafe setting) print one line and exit with status 2.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import pkgutil
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import click

from carescore import __version__

ENTRY_POINTS = "carescore.commands"


@dataclass(frozen=True)
class Declared:
    """A command as its source declares it: where it lives and its docstring."""

    module: str
    attribute: str
    doc: str


def _source_file(module: str) -> Path | None:
    """The file of `module`, found without importing it or its parent packages."""
    top, *rest = module.split(".")
    try:
        spec = importlib.util.find_spec(top)  # a top-level name is found, not imported
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    base = Path(next(iter(spec.submodule_search_locations))).joinpath(*rest)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _functions(module: str) -> dict[str, ast.FunctionDef]:
    path = _source_file(module)
    if path is None:
        return {}
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}


def _click_name(function: ast.FunctionDef) -> str | None:
    """The name given in `@click.command("name")` or `@click.group("name")`."""
    for decorator in function.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr in ("command", "group")
            and isinstance(decorator.func.value, ast.Name)
            and decorator.func.value.id == "click"
            and decorator.args
            and isinstance(decorator.args[0], ast.Constant)
        ):
            return str(decorator.args[0].value)
    return None


def _own_commands() -> dict[str, Declared]:
    """The commands each module of this package lists in `COMMANDS`, read from source."""
    found: dict[str, Declared] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = f"{__name__}.{info.name}"
        path = _source_file(module)
        tree = ast.parse(path.read_text(encoding="utf-8")) if path else ast.Module([], [])
        listed: list[str] = []
        for node in tree.body:
            if (
                isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "COMMANDS" for t in node.targets)
                and isinstance(node.value, ast.List | ast.Tuple)
            ):
                listed = [e.id for e in node.value.elts if isinstance(e, ast.Name)]
        functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
        for attribute in listed:
            function = functions.get(attribute)
            name = _click_name(function) if function else None
            if name is None:  # declared some other way: ask the module itself
                command = getattr(importlib.import_module(module), attribute)
                name, doc = command.name, command.help or ""
            else:
                doc = ast.get_docstring(function) or ""
            found[name] = Declared(module, attribute, doc)
    return found


@cache
def _declared() -> dict[str, Declared]:
    """Every command: the domain's own, then those of the entry points (not loaded)."""
    from importlib.metadata import entry_points

    found: dict[str, Declared] = {}
    for ep in entry_points(group=ENTRY_POINTS):
        module, _, attribute = ep.value.partition(":")
        function = _functions(module).get(attribute)
        doc = (ast.get_docstring(function) if function else None) or ""
        found[ep.name] = Declared(module, attribute.strip(), doc)
    return {**found, **_own_commands()}


class CarescoreGroup(click.Group):
    """Loads a command when it is run or asked for its own help, never to list it."""

    def list_commands(self, ctx: click.Context | None) -> list[str]:
        return sorted(set(_declared()) | set(self.commands))

    def get_command(self, ctx: click.Context | None, name: str) -> click.Command | None:
        declared = _declared().get(name)
        if name not in self.commands and declared is not None:
            try:
                module = importlib.import_module(declared.module)
            except ImportError as exc:  # a package of the distribution missing from this install
                click.echo(f"warning: command {name!r} unavailable: {exc}", err=True)
                return None
            self.add_command(getattr(module, declared.attribute), name)
        return self.commands.get(name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in self.commands:
                rows.append((name, self.commands[name].get_short_help_str(limit)))
            else:
                # click's own shortening, applied to the docstring read from the source
                listed = click.Command(name, help=_declared()[name].doc)
                rows.append((name, listed.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context):
        from carescore.errors import UserError

        try:
            return super().invoke(ctx)
        except UserError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)


@click.group(cls=CarescoreGroup)
@click.version_option(__version__, prog_name="carescore")
def main() -> None:
    """Carescore: rank companies by how they treat customers who speak up in public.

    Settings come from CARESCORE_* environment variables (`carescore config` shows them);
    the database is CARESCORE_DATABASE_URL (default sqlite:///var/carescore.db).
    """
