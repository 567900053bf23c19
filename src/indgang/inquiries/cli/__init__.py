"""Subcommands of `indgang inquiries`: one module each, with `help`, `add_arguments(parser)` and
`run(command, options)` (command is the Django BaseCommand, for stdout/stderr and CommandError).

Add a subcommand by adding its module name to SUBCOMMANDS.
"""

SUBCOMMANDS: dict[str, str] = {
    "ingest-eml": "indgang.inquiries.cli.ingest_eml",
    "show": "indgang.inquiries.cli.show",
    "fetch-mail": "indgang.inquiries.cli.fetch_mail",
    "send-mail": "indgang.inquiries.cli.send_mail",
    "work": "indgang.inquiries.cli.work",
    "export": "indgang.inquiries.cli.export",
    "purge": "indgang.inquiries.cli.purge",
}
