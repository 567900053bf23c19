"""Real mail servers on loopback for the tests, never mocks of the mail libraries.

- `SmtpServer`: aiosmtpd in a thread of the test process; it keeps what it receives and can be
  told to refuse (e.g. "451 4.3.0 Try again later").
- `Dovecot`: Debian's Dovecot IMAP server (`apt-get install dovecot-imapd`) as a child process in
  the foreground, with its own configuration, one user and a Maildir in a temporary directory,
  listening on 127.0.0.1 on a free port: plain, STARTTLS or SSL with a self-signed certificate
  made with openssl. Tests that need it skip with the reason when /usr/sbin/dovecot is missing.
"""

from __future__ import annotations

import email
import email.utils
import imaplib
import logging
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
import unittest
from dataclasses import dataclass
from email import policy
from pathlib import Path

from aiosmtpd.controller import Controller
from django.utils import translation

DOVECOT = Path("/usr/sbin/dovecot")
OPENSSL = shutil.which("openssl")
requires_dovecot = unittest.skipUnless(
    DOVECOT.exists(),
    "IMAP tests need Dovecot at /usr/sbin/dovecot (apt-get install dovecot-imapd)",
)
requires_openssl = unittest.skipUnless(OPENSSL, "TLS tests need the openssl command")


def quiet_mail_logs(test: unittest.TestCase) -> None:
    """Keep the mail jobs' progress lines (one per message) out of the test output."""
    logger = logging.getLogger("indgang.inquiries")
    level = logger.level
    logger.setLevel(logging.ERROR)
    test.addCleanup(logger.setLevel, level)


def danish_active(test: unittest.TestCase) -> None:
    """Run the test in Danish, as the mail jobs and commands run in production.

    A command is a fresh process with the site's language (LANGUAGE_CODE "da") active, and the
    intake writes skip reasons in that language. In the test process a request to an /en/ page
    in an earlier test can leave English active in this thread, so pin Danish here.
    """
    test.enterContext(translation.override("da"))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (at least right now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, *, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    content: bytes

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.content, policy=policy.default)


class SmtpServer:
    """An SMTP server on loopback. Set `refuse_data` or `refuse_rcpt` to an SMTP reply such as
    "451 4.3.0 Try again later" to make it refuse; None accepts."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.refuse_data: str | None = None
        self.refuse_rcpt: str | None = None
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.refuse_rcpt:
            return self.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.refuse_data:
            return self.refuse_data
        self.received.append(
            Received(envelope.mail_from, tuple(envelope.rcpt_tos), bytes(envelope.original_content))
        )
        return "250 Message accepted for delivery"

    def start(self) -> SmtpServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def settings(self) -> dict:
        """Django settings that send through this server."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_TIMEOUT": 5,
        }


class Dovecot:
    """Dovecot on 127.0.0.1 with one user. `security` is "none", "starttls" or "ssl"."""

    user = "borgerservice"
    password = "test-only-imap-password"

    def __init__(self, *, security: str = "none") -> None:
        self.security = security
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="indgang-dovecot-"))
        self.cert_file = self.directory / "cert.pem"
        self._process: subprocess.Popen | None = None

    # Users: as root (CI, this machine) Dovecot drops to its own system users and keeps the mail
    # as "nobody"; as an ordinary user everything runs as that user.
    def _users(self) -> tuple[str, str, int, int]:
        if os.getuid() == 0:
            nobody = pwd.getpwnam("nobody")
            return "dovecot", "dovenull", nobody.pw_uid, nobody.pw_gid
        me = pwd.getpwuid(os.getuid())
        return me.pw_name, me.pw_name, me.pw_uid, me.pw_gid

    def _certificate(self) -> None:
        subprocess.run(
            [
                OPENSSL or "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
                "-keyout",
                str(self.directory / "key.pem"),
                "-out",
                str(self.cert_file),
            ],
            check=True,
            capture_output=True,
        )

    def _config(self) -> str:
        internal, login, uid, gid = self._users()
        d = self.directory
        imap_port, imaps_port = (0, self.port) if self.security == "ssl" else (self.port, 0)
        if self.security == "none":
            tls = "ssl = no\ndisable_plaintext_auth = no\n"
        else:
            tls = (
                "ssl = required\n"
                f"ssl_cert = <{self.cert_file}\n"
                f"ssl_key = <{d / 'key.pem'}\n"
                "disable_plaintext_auth = yes\n"
            )
        return f"""
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
protocols = imap
listen = 127.0.0.1
{tls}
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = {min(uid, 500)}
mail_location = maildir:{d}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={d}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
  }}
}}
"""

    def start(self) -> Dovecot:
        _internal, _login, uid, gid = self._users()
        self.directory.chmod(0o755)  # the unprivileged Dovecot processes must reach the mail
        (self.directory / "mail").mkdir()
        os.chown(self.directory / "mail", uid, gid)
        (self.directory / "users").write_text(f"{self.user}:{{PLAIN}}{self.password}\n")
        if self.security != "none":
            self._certificate()
        config = self.directory / "dovecot.conf"
        config.write_text(self._config())
        self._process = subprocess.Popen(
            [str(DOVECOT), "-F", "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        if not _wait_for_port(self.port):
            log = self.log()
            self.stop()
            raise RuntimeError(f"Dovecot did not start on port {self.port}:\n{log}")
        return self

    def log(self) -> str:
        path = self.directory / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            if self._process.stderr:
                self._process.stderr.close()
            self._process = None
        shutil.rmtree(self.directory, ignore_errors=True)

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert_file))

    def settings(self) -> dict:
        """Django settings that read this server's INBOX."""
        return {
            "INQUIRY_IMAP_HOST": "127.0.0.1",
            "INQUIRY_IMAP_PORT": self.port,
            "INQUIRY_IMAP_SECURITY": self.security,
            "INQUIRY_IMAP_USER": self.user,
            "INQUIRY_IMAP_PASSWORD": self.password,
            "INQUIRY_IMAP_FOLDER": "INBOX",
            "INQUIRY_IMAP_AFTER": "flag",
        }

    def client(self) -> imaplib.IMAP4:
        """A logged-in IMAP connection of the test's own, with INBOX selected."""
        if self.security == "ssl":
            conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                "127.0.0.1", self.port, ssl_context=self.ssl_context(), timeout=10
            )
        else:
            conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
            if self.security == "starttls":
                conn.starttls(ssl_context=self.ssl_context())
        conn.login(self.user, self.password)
        conn.select("INBOX")
        return conn

    def deliver(self, raw: bytes) -> None:
        """Put a message in INBOX (IMAP APPEND), unread and unflagged."""
        conn = self.client()
        try:
            typ, data = conn.append(
                "INBOX", None, None, raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
            )
            assert typ == "OK", data
        finally:
            conn.logout()

    def messages(self) -> list[tuple[set[str], bytes]]:
        """(flags, raw message) of every message in INBOX, without marking anything read."""
        conn = self.client()
        try:
            _typ, data = conn.uid("SEARCH", None, "ALL")
            found = []
            for uid in (data[0] or b"").split():
                _typ, fetched = conn.uid("FETCH", uid, "(FLAGS BODY.PEEK[])")
                flags = imaplib.ParseFlags(fetched[0][0])
                found.append(({flag.decode() for flag in flags}, fetched[0][1]))
            return found
        finally:
            conn.logout()

    def clear(self) -> None:
        """Remove every message from INBOX."""
        conn = self.client()
        try:
            conn.store("1:*", "+FLAGS.SILENT", r"(\Deleted)")
            conn.expunge()
        except imaplib.IMAP4.error:
            pass  # an empty mailbox has no 1:*
        finally:
            conn.logout()


_counter = iter(range(1, 1_000_000))


def email_bytes(
    *,
    subject: str = "Spørgsmål om pas",
    body: str | None = "Hej, mit pas er udløbet. Hvad gør jeg?",
    html: str | None = None,
    sender: str = "Karen Jensen <karen@example.dk>",
    to: str = "borgerservice@fjordby.dk",
    message_id: str | None = "",
    date: str | None = None,
    headers: dict[str, str] | None = None,
    attachments: tuple[tuple[str, bytes, str], ...] = (),
) -> bytes:
    """An RFC 822 message as a mail client would send it. `message_id` "" makes a fresh one,
    None leaves the header out; `attachments` are (filename, content, "type/subtype")."""
    msg = email.message.EmailMessage(policy=policy.SMTP)
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = date or email.utils.formatdate(localtime=True)
    if message_id == "":
        message_id = f"<test-{next(_counter)}-{time.monotonic_ns()}@example.dk>"
    if message_id is not None:
        msg["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        msg[name] = value
    if body is not None:
        msg.set_content(body)
    if html is not None:
        if body is None:
            msg.set_content(html, subtype="html")
        else:
            msg.add_alternative(html, subtype="html")
    for filename, content, content_type in attachments:
        maintype, subtype = content_type.split("/")
        msg.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()
