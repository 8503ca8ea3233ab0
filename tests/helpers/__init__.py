"""Small scripts the reliability tests run as child processes (so they can be run concurrently, or killed)."""
