"""Text messages to citizens through an adapter chosen by the setting SMS_BACKEND.

- `console` (the default): printed to standard output; for development and the demo.
- `file`: appended to the file SMS_FILE_PATH, one JSON object a line; for tests and staging.
- `http`: a generic JSON gateway: POST {"to", "text", "sender"} to SMS_GATEWAY_URL with
  `Authorization: Bearer SMS_GATEWAY_TOKEN`; any 2xx is success.

`send_sms(to=…, text=…)` raises SmsError when the message could not be handed over.
"""

from __future__ import annotations

from .backends import SmsError, backend_for, send_sms

__all__ = ["SmsError", "backend_for", "send_sms"]
