"""A page reader of the inspection (`python -m generator.inspection.reader`), started by
`generator.inspection.pages.read_pages`: it reads pickled work on its standard input and
answers on its standard output."""

from __future__ import annotations

import sys

from generator.core.interrupts import die_with_parent
from generator.inspection.pages import serve

if __name__ == "__main__":
    die_with_parent()  # ends with the build; Ctrl-C is left to the build, which ends it
    serve(sys.stdin.buffer, sys.stdout.buffer)
