"""``python -m benchmarks``: see :mod:`benchmarks.bench` and ``benchmarks/README.md``."""

from .bench import main

raise SystemExit(main())
