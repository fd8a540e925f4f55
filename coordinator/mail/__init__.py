"""Mail: composing messages, the transactional outbox, transports and delivery."""
