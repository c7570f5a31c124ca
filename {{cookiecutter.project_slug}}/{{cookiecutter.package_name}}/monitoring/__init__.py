"""What the server scores, logged on request, and `monitor`: its drift against the production model's data."""
