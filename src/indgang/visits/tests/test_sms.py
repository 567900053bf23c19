import json
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.test import SimpleTestCase, override_settings

from indgang.visits.sms import SmsError, send_sms


class _Gateway(BaseHTTPRequestHandler):
    received: list = []
    status = 200
    delay = 0.0

    def do_POST(self):  # noqa: N802 - http.server's name
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length))
        type(self).received.append((self.headers.get("Authorization"), body))
        if self.delay:
            time.sleep(self.delay)
        try:
            self.send_response(self.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"id": "42"}' if self.status < 300 else b'{"error": "bad number"}')
        except OSError:
            pass  # the client gave up waiting (the timeout test)

    def log_message(self, *args):
        pass


class HttpGatewayTests(SimpleTestCase):
    def setUp(self):
        handler = type("Gateway", (_Gateway,), {"received": [], "status": 200, "delay": 0.0})
        self.handler = handler
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"

    def send(self, **settings):
        values = {
            "SMS_BACKEND": "http",
            "SMS_GATEWAY_URL": self.url,
            "SMS_GATEWAY_TOKEN": "hemmelig",
            "SMS_GATEWAY_TIMEOUT": 2,
            "SMS_SENDER": "Fjordby",
        } | settings
        with override_settings(**values):
            send_sms(to="+4520304050", text="Husk din tid i morgen kl. 9")

    def test_it_posts_json_with_the_token(self):
        self.send()
        ((auth, body),) = self.handler.received
        self.assertEqual(auth, "Bearer hemmelig")
        self.assertEqual(
            body, {"to": "+4520304050", "text": "Husk din tid i morgen kl. 9", "sender": "Fjordby"}
        )

    def test_an_error_status_is_a_clear_error(self):
        self.handler.status = 400
        with self.assertRaisesRegex(SmsError, "HTTP 400.*bad number"):
            self.send()

    def test_a_slow_gateway_times_out(self):
        self.handler.delay = 1.5
        with self.assertRaisesRegex(SmsError, "no answer within 0.5 seconds"):
            self.send(SMS_GATEWAY_TIMEOUT=0.5)

    def test_nothing_listening_is_a_clear_error(self):
        self.server.shutdown()
        self.server.server_close()
        with self.assertRaisesRegex(SmsError, "could not connect"):
            self.send()

    def test_no_url_is_a_clear_error(self):
        with self.assertRaisesRegex(SmsError, "SMS_GATEWAY_URL"):
            self.send(SMS_GATEWAY_URL="")


class LocalBackendTests(SimpleTestCase):
    def test_file_backend_appends_json_lines(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "sub" / "sms.log"
            with override_settings(SMS_BACKEND="file", SMS_FILE_PATH=str(path)):
                send_sms(to="+4520304050", text="én")
                send_sms(to="+4520304051", text="to")
            lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        self.assertEqual(
            [(sms["to"], sms["text"]) for sms in lines],
            [("+4520304050", "én"), ("+4520304051", "to")],
        )

    def test_console_backend_prints(self):
        import contextlib
        import io

        out = io.StringIO()
        with override_settings(SMS_BACKEND="console"), contextlib.redirect_stdout(out):
            send_sms(to="+4520304050", text="Hej")
        self.assertIn("SMS to +4520304050", out.getvalue())
        self.assertIn("Hej", out.getvalue())

    def test_unknown_backend_and_empty_input_are_errors(self):
        with override_settings(SMS_BACKEND="pigeon"), self.assertRaisesRegex(SmsError, "pigeon"):
            send_sms(to="+4520304050", text="Hej")
        with self.assertRaises(SmsError):
            send_sms(to="", text="Hej")
