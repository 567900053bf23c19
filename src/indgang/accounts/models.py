"""Staff accounts use django.contrib.auth; this module exists so that post_migrate reaches the app."""
