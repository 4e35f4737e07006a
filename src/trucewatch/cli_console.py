"""The two consoles every command module prints through: results on stdout, messages on stderr.

One pair for the whole CLI, so the command modules (``cli``, ``cli_tag``, ``cli_gazetteer``)
share the terminal settings and tests can capture them in one place.
"""

from rich.console import Console

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
