"""The build as a whole, and the processes that keep it warm: the kept build process and `publog serve`."""
