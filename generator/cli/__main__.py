"""`python -m generator.cli`: the same as the `gongkai` command."""

from generator.cli.main import run

run()
