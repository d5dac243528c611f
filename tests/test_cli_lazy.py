"""`carescore --help` lists every command without importing any of them."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from click.testing import CliRunner

from carescore.cli import CarescoreGroup, main

HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "flask", "httpx", "website", "collectors")
PROBE = """
import json, sys
from carescore.cli import main
try:
    main(["--help"])
except SystemExit:
    pass
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def test_help_imports_no_command_nor_the_database_layer():
    # A fresh interpreter: this test process has imported everything already.
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=True
    )
    *help_lines, modules_line = result.stdout.strip().splitlines()
    loaded = set(json.loads(modules_line))
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))
    commands = help_lines[help_lines.index("Commands:") + 1 :]
    listed = {line.split()[0] for line in commands if line.startswith("  ")}
    assert listed == set(main.list_commands(None))
    assert {"serve", "collect", "import", "db", "demo", "config", "rank", "export"} <= listed


def test_the_listing_shows_each_command_s_own_short_help():
    lazy = CliRunner().invoke(main, ["--help"], terminal_width=100)
    assert lazy.exit_code == 0
    group = CarescoreGroup(name="carescore")
    for name in main.list_commands(None):
        command = main.get_command(None, name)
        assert command is not None, name
        group.add_command(command, name)
    loaded = CliRunner().invoke(group, ["--help"], terminal_width=100)
    commands = lazy.output[lazy.output.index("Commands:") :]
    assert commands == loaded.output[loaded.output.index("Commands:") :]
    assert re.search(r"\n  db +Create or migrate the database schema\.\n", commands)


def test_a_command_is_loaded_when_it_runs():
    result = CliRunner().invoke(main, ["config", "--markdown"])
    assert result.exit_code == 0 and "| `CARESCORE_DATABASE_URL` |" in result.output
