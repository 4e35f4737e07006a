"""The command line starts without loading what its command does not use.

Every ``trucewatch`` command imports the CLI, which registers every command; importing the
store (SQLAlchemy, Alembic, the schema) there cost about 1 s of each start-up, a
one-document ``extract`` included. Checked in a fresh interpreter, since this test
process has long imported everything.
"""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_cli_loads_neither_the_store_nor_the_nlp_models() -> None:
    probe = ("import sys, trucewatch.cli; "
             "print(' '.join(m for m in ('sqlalchemy', 'alembic', 'spacy', 'trucewatch.store.db') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == ""
