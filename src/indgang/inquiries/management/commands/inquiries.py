"""`indgang inquiries SUBCOMMAND …`: the inquiry jobs and tools (see indgang.inquiries.cli)."""

from importlib import import_module

from django.core.management.base import BaseCommand, CommandError

from indgang.inquiries.cli import SUBCOMMANDS


class Command(BaseCommand):
    help = "Inquiries: " + ", ".join(sorted(SUBCOMMANDS)) + " (see --help of each)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
        sub.required = True
        for name, module_path in sorted(SUBCOMMANDS.items()):
            module = import_module(module_path)
            sub_parser = sub.add_parser(name, help=module.help, description=module.help)
            module.add_arguments(sub_parser)

    def handle(self, *args, subcommand: str, **options):
        if subcommand not in SUBCOMMANDS:
            raise CommandError(f"Unknown subcommand {subcommand!r}")
        return import_module(SUBCOMMANDS[subcommand]).run(self, options)
