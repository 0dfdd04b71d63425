#!/usr/bin/env python3
"""sitegen's entry point: ``python build.py build | check | serve | diff | new | schema``.

The same program as the ``sitegen`` console command. On first use it installs what it
needs into ``.venv/`` (see ``src/sitegen/bootstrap.py``).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from sitegen import bootstrap

if __name__ == "__main__":
    bootstrap.ensure()
    from sitegen.cli import main

    sys.exit(main())
