"""Keep CPR numbers, e-mail addresses and phone numbers out of the logs.

`PersonalDataFilter` is attached to every handler in settings.LOGGING. It formats each record's
message with its arguments (so a CPR number passed as an argument is caught as well as one written
into the message), masks it with `mask_personal_data`, and does the same for the traceback and
stack text; a record that holds none of them passes unchanged. The filter never drops a record.
"""

from __future__ import annotations

import logging

from indgang.lib.masking import mask_personal_data

_formatter = logging.Formatter()


class PersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: logging reports it itself later
            return True
        masked = mask_personal_data(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = _formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal_data(record.stack_info)
        return True
