"""The Slack adapter (slack-bolt async + slack_sdk).

Pure seams — `render` (neutral replies → Block Kit bodies), `mrkdwn` (escaping, links,
mentions), `blocks` (limits), `commands` (payload → Command) — import no SDK at module level,
so `paperbot digest --format slack` works without slack_sdk. `app` (`run_slack`,
`SlackRuntime`), `poster` (`SlackPoster`), `readback` (finding what is already posted) and
`replies` talk to Slack.
"""
