"""The one outgoing-message service: email and SMS for every app (see services.message_queue)."""
