import os
import subprocess
import sys

from django.test import SimpleTestCase

PRODUCTION_ENV = {
    "SECRET_KEY": "k3P9vQ2xZr7Lm4Tn8Wy1Bc6Dh0Fj5Gs2Hu9Ka4Lq7Mz3Nx8Pw1Rv6St0Uy5Vb2Xe",
    "ALLOWED_HOSTS": "borgerservice.example.dk",
    "INDGANG_SITE_URL": "https://borgerservice.example.dk",
    "EMAIL_HOST": "smtp.example.dk",
}


def run_indgang(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # A fresh process, because settings are read from the environment once at start-up.
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DJANGO_SETTINGS_MODULE",
            "DEBUG",
            "INDGANG_DEMO",
            "SECRET_KEY",
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_SECONDS",
            "EMAIL_HOST",
        }
    }
    return subprocess.run(
        [sys.executable, "-m", "indgang", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


class DeployCheckTests(SimpleTestCase):
    def test_production_settings_pass_the_deploy_check_without_warnings(self):
        result = run_indgang("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("no issues", result.stdout)

    def test_it_refuses_to_start_without_a_secret_key_in_production(self):
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
        result = run_indgang("check", env=env)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY", result.stderr)

    def test_the_demo_runs_without_a_secret_key_but_the_deploy_check_warns(self):
        result = run_indgang("check", "--deploy", env={"INDGANG_DEMO": "1"})
        self.assertIn("indgang.W001", result.stdout + result.stderr)

    def test_a_site_url_outside_allowed_hosts_is_reported(self):
        result = run_indgang(
            "check", env={**PRODUCTION_ENV, "INDGANG_SITE_URL": "https://other.example.dk"}
        )
        self.assertIn("indgang.W002", result.stdout + result.stderr)

    def test_production_without_an_email_server_is_reported(self):
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != "EMAIL_HOST"}
        result = run_indgang("check", "--deploy", env=env)
        self.assertIn("indgang.W003", result.stdout + result.stderr)
