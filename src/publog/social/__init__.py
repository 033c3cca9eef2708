"""The author's learning network: people followed, pulled feeds, mentions, and community sites."""
