"""The database cache's table (throttle counters shared by all app processes).

Django creates it with `createcachetable`, which is not a migration; running it here means
`indgang migrate` is the only set-up step, in development, CI and production alike. It creates
only what the CACHES setting names and does nothing for other cache backends or existing tables.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies: list = []
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
