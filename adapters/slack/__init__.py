"""The Slack adapter (slack-bolt async + slack_sdk).

Pure seams — `render` (neutral replies → Block Kit bodies), `mrkdwn` (escaping, links,
mentions), `blocks` (limits), `commands` (payload → Command) — import no SDK at module level,
so `paperbot digest --format slack` works without slack_sdk. `app` (`run_slack`,
`SlackRuntime`), `poster` (`SlackPoster`), `readback` (finding what is already posted),
`membership` (joining a channel on `channel enable`) and `replies` talk to Slack; `errors`
says what a Slack failure means for a delivery, and `http_guard` what HTTP mode lets reach
Bolt (signed, fresh, once, form-encoded).
"""
