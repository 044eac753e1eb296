"""Email delivery: subscribers, double opt-in, the outbox and SMTP sending."""
