"""`indgang inquiries export (--email E | --cpr C) [--output FILE]`: an access request's JSON."""

import json
import os
import sys

from django.core.management.base import CommandError

from indgang.inquiries.privacy import citizen_data_export

help = (
    "Export everything held about a citizen (found by the e-mail address or the CPR number given "
    "with their inquiries) as JSON, for an access request."
)


def add_arguments(parser) -> None:
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--email", help="The citizen's e-mail address (any case).")
    who.add_argument(
        "--cpr",
        help="The citizen's CPR number, with or without the dash; '-' reads it from standard "
        "input, which keeps it out of the shell history and the process list.",
    )
    parser.add_argument(
        "--output",
        metavar="FILE",
        help="Write the JSON to FILE (readable by its owner only) instead of standard output.",
    )


def run(command, options) -> None:
    cpr = options["cpr"]
    if cpr == "-":
        cpr = sys.stdin.readline().strip()
    try:
        data = citizen_data_export(email=options["email"], cpr=cpr)
    except ValueError as error:
        raise CommandError(str(error)) from None
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if not options["output"]:
        command.stdout.write(text, ending="")
        return
    # The file holds personal data: create it for the owner only.
    descriptor = os.open(options["output"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as output:
        output.write(text)
    command.stderr.write(
        f"Wrote {len(data['inquiries'])} inquiries to {options['output']}", ending="\n"
    )
