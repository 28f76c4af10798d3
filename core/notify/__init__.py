"""Messages to people: the outbox written with the event, and the channels that carry
them (e-mail over SMTP, or ``.eml`` files on the embedded default)."""
