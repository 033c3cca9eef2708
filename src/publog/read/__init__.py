"""The journal's files -> sources: which files, their front matter, dates and titles, and the conventions of the generator a folder was written for."""
