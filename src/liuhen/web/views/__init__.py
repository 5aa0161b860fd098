"""The server-rendered web pages (网页界面). Each view parses input, calls one selector or service, renders."""
