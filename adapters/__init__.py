"""Platform adapters: translate platform payloads to the neutral model and back."""
