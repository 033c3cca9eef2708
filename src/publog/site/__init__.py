"""The journal -> the pages of the site, each with a fingerprint of what it shows."""
