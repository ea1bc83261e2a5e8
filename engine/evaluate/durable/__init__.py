"""The durable-rules (Rete) engine behind an isolating worker process: translation, worker, adapter."""
