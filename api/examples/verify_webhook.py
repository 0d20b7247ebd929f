"""Verifying a creditline webhook in Python with the Standard Webhooks library.

    pip install standardwebhooks flask

Keep the raw body: the signature covers the exact bytes sent. During a key rotation creditline
signs with both keys (``webhook-signature: v1,<old> v1,<new>``), so an endpoint holding either
secret verifies every delivery; hold both while you switch.
"""
import os

from flask import Flask, request
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

SECRETS = [s for s in os.environ.get("CREDITLINE_WEBHOOK_SECRETS", "").split(",") if s]
app = Flask(__name__)
seen = set()  # use your database: webhook-id is the transaction_id, the same on every retry


def verify_creditline_webhook(raw_body: bytes, headers) -> dict:
    last_error = None
    for secret in SECRETS:
        try:
            return Webhook(secret).verify(raw_body, headers)  # signature and timestamp (±5 min)
        except WebhookVerificationError as error:
            last_error = error
    raise last_error or WebhookVerificationError("no secret configured")


@app.post("/hook")
def hook():
    try:
        decision = verify_creditline_webhook(request.get_data(), dict(request.headers))
    except WebhookVerificationError:
        return "", 400
    webhook_id = request.headers["webhook-id"]
    if webhook_id not in seen:
        seen.add(webhook_id)
        print(webhook_id, decision["status"], decision["remaining_credit"])
    return "", 204


if __name__ == "__main__":
    app.run(port=int(os.environ.get("PORT", "4100")))
