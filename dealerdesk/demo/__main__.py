"""`python -m dealerdesk.demo [--products N] [--seed S]`: load the demo data, print the logins.

Each persona is printed on a line of its own, `LOGIN <role> <e-mail> <password>`, for
scripts (the end-to-end tests, the benchmark) to pick up; nothing else starts with LOGIN.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dealerdesk.demo",
        description="Load the DealerDesk demo data (once) and print the demo logins.",
    )
    parser.add_argument(
        "--products", type=_positive, default=20_000, help="catalog size (default 20000)"
    )
    parser.add_argument("--seed", type=int, default=2026, help="catalog seed (default 2026)")
    parser.add_argument(
        "--allow-https",
        action="store_true",
        help="load even though HTTPS=1 says this is a production installation",
    )
    arguments = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealerdesk.settings")
    import django
    from django.conf import settings

    django.setup()
    if settings.HTTPS and not arguments.allow_https:
        # The demo creates users with a published password, a Django superuser among them.
        print(
            "Refusing to load demo data: HTTPS=1 marks a production installation.",
            file=sys.stderr,
        )
        return 2
    from dealerdesk.demo.services import load_demo

    result = load_demo(products=arguments.products, seed=arguments.seed)
    if result.created:
        print(f"Demo data loaded in {result.seconds:.1f} s.")
    else:
        print(f"Demo data already present: reused as it is ({result.seconds:.1f} s).")
    print(", ".join(f"{label}: {count}" for label, count in result.counts.items()))
    print("Demo logins (role, e-mail, password):")
    for persona in result.personas:
        print(f"LOGIN {persona.role} {persona.email} {persona.password}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
