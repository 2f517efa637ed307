"""What a Slack failure means for a delivery: try again, give up on the target, end a thread.

Slack answers most refusals with HTTP 200 and `{"ok": false, "error": code}`
(https://api.slack.com/web#evaluating_responses); only 429 (rate limited) and 5xx say "later".
Sends and read-backs are judged differently:

- A **send** (chat.postMessage, conversations.open) refused with a code in `TARGET_GONE` can
  never succeed for that target: the channel's schedule pauses, or — for a DM — that user's
  DM alerts. A code in `THREAD_GONE` ends only that day's thread. Anything else is treated as
  transient and tried again by the delivery engine.
- A **read-back** (conversations.history / .replies before a re-send) is only retried for a
  transport failure, a 429 or a 5xx: those say nothing about what is there. `THREAD_GONE`
  ends the thread as above. Any other `ok: false` (not a member of a public channel it posts
  to via chat:write.public, a scope the install lacks, an archived or vanished channel, a
  DM the Messages tab refuses) is logged and the send goes ahead unchecked: the send's own
  answer decides, so a reconcile step can never stall a thread by itself.
"""

from __future__ import annotations

from typing import Literal

from bot.daily.posting import DeliveryError, ThreadGone

# https://api.slack.com/methods/chat.postMessage#errors and conversations.open#errors
TARGET_GONE = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "messages_tab_disabled",  # the app's App Home Messages tab is off: no DM can arrive
        "account_inactive",
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "missing_scope",
        "restricted_action",
        "restricted_action_read_only_channel",
        "restricted_action_thread_only_channel",
        "no_permission",
        "team_access_not_granted",
        "user_not_found",
        "user_disabled",
        "cannot_dm_bot",
        "ekm_access_denied",
    }
)
# The parent is gone (https://api.slack.com/methods/conversations.replies#errors) or admins
# locked the thread (chat.postMessage: restricted_action_thread_locked).
THREAD_GONE = frozenset({"thread_not_found", "restricted_action_thread_locked"})
# What a person can do about a refusal, shown with the reason (status, /papers alerts).
HINTS = {
    "messages_tab_disabled": (
        "a workspace admin must turn on App Home → Show Tabs → Messages Tab for paperbot"
        " (see docs/slack.md)"
    ),
    "not_in_channel": "invite @paperbot to the channel",
    "channel_not_found": "the channel is gone, or private without @paperbot in it",
}

Verdict = Literal["transient", "thread_gone", "unchecked"]


def error_code(exc: Exception) -> tuple[str | None, int | None]:
    """(Slack error code, HTTP status) of an SDK error; (None, None) when nothing answered."""
    from slack_sdk.errors import SlackApiError

    if not isinstance(exc, SlackApiError):
        return None, None
    data = exc.response.data  # not a dict when a proxy answers with a page of HTML
    code = data.get("error") if isinstance(data, dict) else None
    return (str(code) if code else None), exc.response.status_code


def readback_verdict(exc: Exception) -> Verdict:
    code, status = error_code(exc)
    if status is None or status == 429 or status >= 500:
        return "transient"
    return "thread_gone" if code in THREAD_GONE else "unchecked"


def delivery_error(exc: Exception, what: str) -> DeliveryError:
    """Map an SDK/network failure of a send to the delivery engine's verdict."""
    code, status = error_code(exc)
    if status is None:
        return DeliveryError(f"Slack {what}: {type(exc).__name__}: {exc}", permanent=False)
    code = code or f"http_{status}"
    reason = f"Slack {what}: {code}" + (f" — {HINTS[code]}" if code in HINTS else "")
    if code in THREAD_GONE:
        return ThreadGone(reason)
    return DeliveryError(reason, permanent=code in TARGET_GONE)
