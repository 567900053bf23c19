"""`indgang inquiries purge [--dry-run]`: delete inquiries whose retention period has passed."""

from indgang.inquiries.privacy import inquiries_purge_expired

help = (
    "Delete closed inquiries whose retention period has passed (with messages, attachments and "
    "their files), writing the deletion log; and old tracking-page lookups."
)


def add_arguments(parser) -> None:
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="Only count what would be deleted; change nothing.",
    )


def run(command, options) -> None:
    report = inquiries_purge_expired(dry_run=options["dry_run"])
    counts = report.as_dict()
    verb = "would delete" if report.dry_run else "deleted"
    command.stdout.write(
        f"{verb}: " + ", ".join(f"{counts[name]} {name.replace('_', ' ')}" for name in counts)
    )
    if options["verbosity"] > 1:
        for reference in report.references:
            command.stdout.write(reference)
