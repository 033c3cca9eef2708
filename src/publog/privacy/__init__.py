"""What must never be published: private entries and passages, secrets, never-publish terms, photo locations."""
