"""The `indgang` console command: Django's management commands under one name."""

import os
import sys


def main() -> None:
    # `indgang test` runs with the test settings unless the caller chose others.
    if len(sys.argv) > 1 and sys.argv[1] == "test":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "indgang.settings.test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "indgang.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
