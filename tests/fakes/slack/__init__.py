"""Loopback fakes of Slack: the Web API (+ response_url) and the Socket Mode WebSocket."""
