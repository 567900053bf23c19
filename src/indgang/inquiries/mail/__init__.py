"""E-mail in and out for inquiries.

- `intake.email_ingest` takes in one RFC 822 message: a new inquiry, a message in an existing
  thread, or skipped (duplicate, auto-reply, our own mail) with the reason.
- `imap.mail_fetch` reads the configured IMAP mailbox and marks or deletes each message only after
  its inquiry has been committed.
- `sending.outbox_send_due` sends the outbox (receipts, answers) with retries and growing pauses.

`indgang inquiries work` runs the last two (and the retention purge) in a loop beside the web
processes.
"""
