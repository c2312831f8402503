"""Pure parsing core of the intake service: text, sheets and lists in, draft items out."""
