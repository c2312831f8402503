"""The notify service's pure rules (standard library only): the reminder ladder, texts,
delivery policy. Nothing here touches a database, a broker or a network."""
